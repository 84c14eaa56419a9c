//! The engine's [`Answer`] (and records it names) as LINE messages. This module only
//! formats: which windows, which crisis lines and in what order is decided by
//! `Engine::answer`; wording lives in `messages::line`; limits are kept by `flex`.

use serde_json::Value;

use super::flex::{
    self, bubble, button, carousel, message_action, postback_action, text, uri_action,
};
use super::blocks::{crisis_bubble, crisis_text, support_bubble, support_text};
use crate::answer::{Answer, Engine, ResultItem};
use crate::content::{City, Contact};
use crate::messages::line as msg;

/// Cards per reply; もっと見る pages on.
pub const PAGE: usize = 5;
const GREY: &str = "#666666";

/// Messages (≤5) and the quick replies for the last one.
#[derive(Debug, Default)]
pub struct Reply {
    pub messages: Vec<Value>,
    pub quick: Vec<Value>,
}

impl Reply {
    pub fn body(self, reply_token: &str) -> Value {
        flex::reply_body(reply_token, self.messages, self.quick)
    }
}

/// What a postback button asks for. Everything needed travels in `data` (≤300
/// units), so any replica can answer without session state.
#[derive(Debug, PartialEq)]
pub enum Postback {
    Details(String),
    More { offset: usize, query: String },
    Help,
}

impl Postback {
    pub fn data(&self) -> String {
        match self {
            Postback::Details(id) => flex::cut(&format!("detail:{id}"), flex::MAX_DATA),
            Postback::More { offset, query } => {
                flex::cut(&format!("more:{offset}:{query}"), flex::MAX_DATA)
            }
            Postback::Help => "help".to_string(),
        }
    }

    pub fn parse(data: &str) -> Option<Postback> {
        if data == "help" {
            return Some(Postback::Help);
        }
        if let Some(id) = data.strip_prefix("detail:") {
            return (!id.is_empty()).then(|| Postback::Details(id.to_string()));
        }
        let rest = data.strip_prefix("more:")?;
        let (offset, query) = rest.split_once(':')?;
        Some(Postback::More {
            offset: offset.parse().ok()?,
            query: query.to_string(),
        })
    }
}

/// A resident's question: crisis lines and what was understood first, then the cards.
pub fn for_text(engine: &Engine, city: City, question: &str) -> Reply {
    if question.trim().is_empty() {
        return plain(msg::EMPTY_TEXT, topics(engine));
    }
    page(engine, city, question, 0)
}

/// One page of the answer to `query`, starting at `offset`.
pub fn page(engine: &Engine, city: City, query: &str, offset: usize) -> Reply {
    let ans = engine.answer(query, Some(city), offset + PAGE + 1);
    let shown: Vec<&ResultItem> = ans.results.iter().skip(offset).take(PAGE).collect();
    let more = ans.results.len() > offset + PAGE;
    let mut first = String::new();
    if let Some(e) = &ans.emergency {
        first.push_str(&crisis_text(e));
        first.push_str("\n\n");
    } else if let Some(sp) = &ans.support {
        first.push_str(&support_text(sp));
        first.push_str("\n\n");
    }
    if shown.is_empty() {
        first.push_str(msg::NO_MORE);
    } else if offset > 0 {
        first.push_str(msg::MORE_INTRO);
    } else if let Some(n) = &ans.notice {
        first.push_str(n);
    } else {
        // A person in crisis or despair is not told what category they were filed under
        // (「こころの不調・自殺念慮」): the windows follow without a label.
        let calm = ans.emergency.is_none() && ans.support.is_none();
        let label = ans
            .need
            .as_deref()
            .filter(|_| calm)
            .and_then(|n| engine.catalog.need(n))
            .map(|n| n.label.as_str());
        first.push_str(&msg::understood(label, shown.len()));
    }
    let mut bubbles: Vec<Value> = ans.emergency.iter().map(crisis_bubble).collect();
    if ans.emergency.is_none() {
        bubbles.extend(ans.support.iter().map(support_bubble));
    }
    bubbles.extend(shown.iter().map(|r| card(r, true)));
    let mut messages = vec![flex::text_message(&first)];
    messages.extend(carousel(&alt_text(&ans, &shown), bubbles));
    let mut quick: Vec<Value> = Vec::new();
    if more {
        let next = Postback::More {
            offset: offset + PAGE,
            query: query.to_string(),
        };
        quick.push(postback_action(msg::MORE, &next.data(), msg::MORE));
    }
    quick.extend(ans.suggestions.iter().map(|s| message_action(s, s)));
    Reply { messages, quick }
}

/// 詳しく見る: the record's contacts, hours, address, route and source, as the engine
/// composes them for residents of `city`.
pub fn details(engine: &Engine, city: City, id: &str) -> Reply {
    let Some(r) = engine.resource_in(id, Some(city)) else {
        return plain(msg::EXPIRED_BUTTON, topics(engine));
    };
    let mut t = format!("【{}】\n{}\n", r.title, r.summary);
    for c in r.contacts.iter().filter(|c| c.phone.is_some()) {
        t.push('\n');
        t.push_str(&contact_lines(c));
    }
    if !r.route.is_empty() {
        t.push_str(&format!("\n{}\n", msg::ROUTE));
        for s in &r.route {
            t.push_str(&format!("{}. {}", s.step, s.text));
            let shown = s.shown_contacts();
            // Each number with its hours: a window without a number of its own sends
            // people to another office's, and when to call it matters as much.
            let names: Vec<String> = shown
                .iter()
                .map(|c| {
                    let mut n = format!("{} {}", c.name, c.phone.as_deref().unwrap_or(""));
                    if let Some(h) = &c.hours {
                        n.push_str(&format!(" {}: {h}", msg::HOURS));
                    }
                    n
                })
                .collect();
            if !names.is_empty() {
                t.push_str(&format!("（{}）", names.join(" / ")));
            }
            t.push('\n');
        }
    }
    t.push('\n');
    t.push_str(&msg::source_line(&r.source.title, r.source.date.as_deref()));
    if let Some(u) = &r.source.url {
        t.push_str(&format!("\n{u}"));
    }
    let mut messages = vec![flex::text_message(t.trim_end())];
    messages.extend(carousel(
        &format!("{}: {}", msg::ALT_TEXT, r.title),
        vec![card(&r, false)],
    ));
    Reply {
        messages,
        quick: topics(engine),
    }
}

/// Postback → details, the next page, or the help text.
pub fn for_postback(engine: &Engine, city: City, data: &str) -> Reply {
    match Postback::parse(data) {
        Some(Postback::Details(id)) => details(engine, city, &id),
        Some(Postback::More { offset, query }) => page(engine, city, &query, offset),
        Some(Postback::Help) => greeting(engine, false),
        None => plain(msg::EXPIRED_BUTTON, topics(engine)),
    }
}

/// `follow` (and 使い方): what the bot does, with topic quick replies.
pub fn greeting(engine: &Engine, unblocked: bool) -> Reply {
    plain(
        if unblocked {
            msg::WELCOME_BACK
        } else {
            msg::GREETING
        },
        topics(engine),
    )
}

/// Stickers, photos, location…: a polite prompt to type the worry in words.
pub fn please_type(engine: &Engine) -> Reply {
    plain(msg::PLEASE_TYPE, topics(engine))
}

pub fn join() -> Reply {
    plain(msg::JOIN, Vec::new())
}

fn plain(t: &str, quick: Vec<Value>) -> Reply {
    Reply {
        messages: vec![flex::text_message(t)],
        quick,
    }
}

/// Quick replies naming the needs the content knows (≤12, plus 使い方).
fn topics(engine: &Engine) -> Vec<Value> {
    let mut q: Vec<Value> = engine
        .catalog
        .needs
        .iter()
        .take(flex::MAX_QUICK_REPLIES - 1)
        .map(|n| message_action(&n.label, &n.label))
        .collect();
    q.push(postback_action(
        msg::HELP,
        &Postback::Help.data(),
        msg::HELP,
    ));
    q
}

/// A result card: title, one-line summary, phone and hours, the source's date, and
/// 電話する / 詳しく見る / ウェブで見る.
fn card(r: &ResultItem, with_details: bool) -> Value {
    let mut body = vec![
        text(&r.title, "md", true, None, Some(3)),
        text(
            &flex::clip(&r.summary, 60),
            "sm",
            false,
            Some(GREY),
            Some(3),
        ),
    ];
    let own = r.contacts.iter().find(|c| c.phone.is_some());
    let call = own.or_else(|| r.route.first().and_then(|s| s.contact.as_ref()));
    if let Some(c) = call {
        let phone = c.phone.as_deref().unwrap_or("");
        let line = if own.is_some() {
            format!("☎ {phone}（{}）", c.name)
        } else {
            format!("{}: {} ☎ {phone}", msg::PHONE_PENDING, c.name)
        };
        body.push(text(&line, "sm", false, None, Some(3)));
        if let Some(h) = &c.hours {
            body.push(text(
                &format!("{}: {h}", msg::HOURS),
                "xs",
                false,
                None,
                Some(3),
            ));
        }
    }
    let note = call.and_then(|c| c.as_of.clone()).unwrap_or_else(|| {
        msg::source_line(&flex::clip(&r.source.title, 40), r.source.date.as_deref())
    });
    body.push(text(&note, "xxs", false, Some(GREY), Some(3)));
    let mut buttons = Vec::new();
    if let Some(a) = call
        .and_then(|c| c.tel.as_deref())
        .and_then(|t| uri_action(msg::CALL, t))
    {
        buttons.push(button(a, "primary"));
    }
    if with_details {
        let data = Postback::Details(r.id.clone()).data();
        buttons.push(button(
            postback_action(msg::DETAILS, &data, &msg::details_display(&r.title)),
            "secondary",
        ));
    }
    let web = call
        .and_then(|c| c.url.clone())
        .or_else(|| r.source.url.clone());
    if let Some(a) = web.as_deref().and_then(|u| uri_action(msg::WEB, u)) {
        buttons.push(button(a, "link"));
    }
    bubble(body, buttons, None)
}

fn contact_lines(c: &Contact) -> String {
    let mut t = format!("☎ {} {}", c.name, c.phone.as_deref().unwrap_or(""));
    if let Some(h) = &c.hours {
        t.push_str(&format!("\n　{}: {h}", msg::HOURS));
    }
    if let Some(a) = &c.address {
        t.push_str(&format!("\n　{a}"));
    }
    if let Some(n) = &c.as_of {
        t.push_str(&format!("\n　※{n}"));
    }
    t.push('\n');
    t
}

/// Notification text: the crisis line first when raised, then the window names.
fn alt_text(ans: &Answer, shown: &[&ResultItem]) -> String {
    let mut parts = Vec::new();
    if let Some(c) = ans.emergency.as_ref().and_then(|e| e.contacts.first()) {
        parts.push(format!(
            "{}: {} {}",
            msg::CRISIS_TITLE,
            c.name,
            c.phone.as_deref().unwrap_or("")
        ));
    } else if let Some(sp) = &ans.support {
        if let Some(c) = sp.contacts.first() {
            parts.push(format!("{}: {} {}", sp.title, c.name, c.phone.as_deref().unwrap_or("")));
        }
    }
    parts.extend(shown.iter().map(|r| r.title.clone()));
    format!("{}: {}", msg::ALT_TEXT, parts.join(" / "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postback_data_round_trips_and_stays_within_300_units() {
        for p in [
            Postback::Details("sgm-kouken".into()),
            Postback::More {
                offset: 5,
                query: "成年後見: 相談".into(),
            },
            Postback::Help,
        ] {
            assert_eq!(Postback::parse(&p.data()), Some(p));
        }
        let long = Postback::More {
            offset: 10,
            query: "あ".repeat(400),
        }
        .data();
        assert!(flex::units(&long) <= flex::MAX_DATA);
        assert!(matches!(
            Postback::parse(&long),
            Some(Postback::More { offset: 10, .. })
        ));
        assert_eq!(Postback::parse("more:x:q"), None);
        assert_eq!(Postback::parse("detail:"), None);
    }
}
