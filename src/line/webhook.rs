//! The webhook's wire types (LINE → us), after the signature has been checked.
//! Tolerant by design: unknown fields are ignored and unknown event or message types
//! land in an `Unknown` variant, because LINE adds them without notice.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct CallbackRequest {
    #[serde(default)]
    pub destination: Option<String>,
    #[serde(default)]
    pub events: Vec<serde_json::Value>,
}

/// One event. Parsed one by one from `serde_json::Value`, so a malformed event of a
/// type we do not know cannot sink its neighbours.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(flatten)]
    pub kind: EventKind,
    #[serde(default)]
    pub mode: Mode,
    #[serde(default)]
    pub timestamp: i64,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub webhook_event_id: Option<String>,
    #[serde(default)]
    pub reply_token: Option<String>,
    #[serde(default)]
    pub delivery_context: Option<DeliveryContext>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    Active,
    Standby,
    #[serde(other)]
    Other,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryContext {
    #[serde(default)]
    pub is_redelivery: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum EventKind {
    Message {
        message: Message,
    },
    Follow {
        #[serde(default)]
        follow: Option<Follow>,
    },
    Postback {
        postback: Postback,
    },
    Join,
    Unfollow,
    Leave,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    #[serde(default)]
    pub is_unblocked: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Postback {
    pub data: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Message {
    Text {
        text: String,
        #[serde(default)]
        mention: Option<Mention>,
    },
    Sticker,
    Image,
    Video,
    Audio,
    File,
    Location,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Mention {
    #[serde(default)]
    pub mentionees: Vec<Mentionee>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Mentionee {
    #[serde(default)]
    pub index: usize,
    #[serde(default)]
    pub length: usize,
    #[serde(default)]
    pub is_self: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Source {
    User {
        #[serde(default)]
        user_id: Option<String>,
    },
    Group {
        #[serde(default)]
        group_id: Option<String>,
        #[serde(default)]
        user_id: Option<String>,
    },
    Room {
        #[serde(default)]
        room_id: Option<String>,
        #[serde(default)]
        user_id: Option<String>,
    },
    #[serde(other)]
    Unknown,
}

impl Source {
    /// Group chats and rooms: the bot speaks only when addressed.
    pub fn is_shared(&self) -> bool {
        matches!(self, Source::Group { .. } | Source::Room { .. })
    }

    /// The id to hash for logs (never logged raw).
    pub fn id(&self) -> Option<&str> {
        match self {
            Source::User { user_id } => user_id.as_deref(),
            Source::Group { group_id, .. } => group_id.as_deref(),
            Source::Room { room_id, .. } => room_id.as_deref(),
            Source::Unknown => None,
        }
    }
}

impl Event {
    pub fn parse(v: serde_json::Value) -> Option<Event> {
        serde_json::from_value(v).ok()
    }

    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            EventKind::Message { message } => match message {
                Message::Text { .. } => "message.text",
                Message::Sticker => "message.sticker",
                Message::Image => "message.image",
                Message::Video => "message.video",
                Message::Audio => "message.audio",
                Message::File => "message.file",
                Message::Location => "message.location",
                Message::Unknown => "message.unknown",
            },
            EventKind::Follow { .. } => "follow",
            EventKind::Postback { .. } => "postback",
            EventKind::Join => "join",
            EventKind::Unfollow => "unfollow",
            EventKind::Leave => "leave",
            EventKind::Unknown => "unknown",
        }
    }
}

/// The question in a text message, or `None` when a group message is not for us.
/// One-on-one: every text. Group or room: only when the bot is mentioned (the mention
/// is cut out) or the text starts with the wake word (cut off too).
pub fn addressed_text(
    text: &str,
    mention: Option<&Mention>,
    shared: bool,
    wake: &str,
) -> Option<String> {
    if !shared {
        return Some(text.trim().to_string());
    }
    if let Some(m) = mention.and_then(|m| m.mentionees.iter().find(|m| m.is_self)) {
        // `index`/`length` count UTF-16 units.
        let units: Vec<u16> = text.encode_utf16().collect();
        let (start, end) = (
            m.index.min(units.len()),
            (m.index + m.length).min(units.len()),
        );
        let mut rest = String::from_utf16_lossy(&units[..start]);
        rest.push_str(&String::from_utf16_lossy(&units[end..]));
        return Some(rest.trim().to_string());
    }
    let t = text.trim_start();
    t.strip_prefix(wake).map(|r| {
        r.trim_start_matches([' ', '　', '、', ',', ':', '：'])
            .trim()
            .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_event_and_message_types_parse_as_unknown() {
        let e = Event::parse(serde_json::json!({"type":"messageEdited","mode":"active","timestamp":1,"webhookEventId":"X","extra":{"a":1}})).unwrap();
        assert!(matches!(e.kind, EventKind::Unknown));
        let e = Event::parse(serde_json::json!({"type":"message","mode":"active","timestamp":1,"replyToken":"r","message":{"type":"hologram","id":"1"}})).unwrap();
        assert!(matches!(
            e.kind,
            EventKind::Message {
                message: Message::Unknown
            }
        ));
        let e = Event::parse(serde_json::json!({"type":"follow","mode":"standby","timestamp":1}))
            .unwrap();
        assert_eq!(e.mode, Mode::Standby);
        assert!(matches!(e.kind, EventKind::Follow { follow: None }));
    }

    #[test]
    fn groups_answer_only_when_addressed() {
        assert_eq!(
            addressed_text(" 介護 ", None, false, "つなぐ").as_deref(),
            Some("介護")
        );
        assert_eq!(addressed_text("介護の話", None, true, "つなぐ"), None);
        assert_eq!(
            addressed_text("つなぐ 介護の相談", None, true, "つなぐ").as_deref(),
            Some("介護の相談")
        );
        let m = Mention {
            mentionees: vec![Mentionee {
                index: 0,
                length: 4,
                is_self: true,
            }],
        };
        assert_eq!(
            addressed_text("@つなぐ 介護の相談", Some(&m), true, "x").as_deref(),
            Some("介護の相談")
        );
        let other = Mention {
            mentionees: vec![Mentionee {
                index: 0,
                length: 3,
                is_self: false,
            }],
        };
        assert_eq!(
            addressed_text("@太郎 介護の相談", Some(&other), true, "つなぐ"),
            None
        );
    }
}
