//! Message builder for the Messaging API. Every LINE limit is enforced here, where the
//! JSON is made, so no caller can produce a message LINE would refuse:
//! ≤5 messages, text ≤5000 UTF-16 units, altText ≤1500, ≤12 bubbles, bubble ≤30 KB,
//! carousel ≤50 KB, quick reply ≤13 items with labels ≤20, Flex button labels ≤40,
//! postback `data`/`displayText` and message `text` ≤300, `uri` ≤1000 with an allowed
//! scheme. Lengths are counted in UTF-16 units, which is never less than LINE's
//! grapheme count, so a clipped string always fits. Not the place to decide wording.

use serde_json::{json, Value};

pub const MAX_MESSAGES: usize = 5;
pub const MAX_TEXT: usize = 5000;
pub const MAX_ALT_TEXT: usize = 1500;
pub const MAX_BUBBLES: usize = 12;
pub const MAX_BUBBLE_BYTES: usize = 30 * 1000;
pub const MAX_CAROUSEL_BYTES: usize = 50 * 1000;
pub const MAX_QUICK_REPLIES: usize = 13;
pub const MAX_QUICK_LABEL: usize = 20;
pub const MAX_BUTTON_LABEL: usize = 40;
pub const MAX_DATA: usize = 300;
pub const MAX_URI: usize = 1000;

/// LINE's count for text: UTF-16 code units.
pub fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

/// `s` cut to at most `max` UTF-16 units, ending in 「…」 when cut.
pub fn clip(s: &str, max: usize) -> String {
    if units(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        if n + c.len_utf16() + 1 > max {
            break;
        }
        n += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` cut without a marker (postback data must stay parseable).
pub fn cut(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        if n + c.len_utf16() > max {
            break;
        }
        n += c.len_utf16();
        out.push(c);
    }
    out
}

/// A URI LINE accepts on a button: http, https, tel or line, ≤1000 characters,
/// no spaces. Anything else gives no button rather than a refused reply.
pub fn safe_uri(uri: &str) -> Option<String> {
    let ok_scheme = ["http://", "https://", "tel:", "line://"]
        .iter()
        .any(|s| uri.starts_with(s));
    (ok_scheme && uri.len() <= MAX_URI && !uri.chars().any(|c| c.is_whitespace() || c.is_control()))
        .then(|| uri.to_string())
}

pub fn text_message(text: &str) -> Value {
    json!({ "type": "text", "text": clip(text, MAX_TEXT) })
}

pub fn uri_action(label: &str, uri: &str) -> Option<Value> {
    Some(json!({ "type": "uri", "label": clip(label, MAX_BUTTON_LABEL), "uri": safe_uri(uri)? }))
}

pub fn postback_action(label: &str, data: &str, display: &str) -> Value {
    json!({
        "type": "postback",
        "label": clip(label, MAX_BUTTON_LABEL),
        "data": cut(data, MAX_DATA),
        "displayText": clip(display, MAX_DATA),
    })
}

pub fn message_action(label: &str, text: &str) -> Value {
    json!({ "type": "message", "label": clip(label, MAX_BUTTON_LABEL), "text": clip(text, MAX_DATA) })
}

/// A Flex button; `primary` for the call button.
pub fn button(action: Value, style: &str) -> Value {
    json!({ "type": "button", "style": style, "height": "sm", "action": action })
}

pub fn text(s: &str, size: &str, bold: bool, color: Option<&str>, max_lines: Option<u32>) -> Value {
    let mut v = json!({ "type": "text", "text": clip(s, 2000), "size": size, "wrap": true });
    if bold {
        v["weight"] = json!("bold");
    }
    if let Some(c) = color {
        v["color"] = json!(c);
    }
    if let Some(m) = max_lines {
        v["maxLines"] = json!(m);
    }
    v
}

pub fn vbox(contents: Vec<Value>, spacing: &str) -> Value {
    json!({ "type": "box", "layout": "vertical", "spacing": spacing, "contents": contents })
}

/// One bubble: body texts and footer buttons. Shrinks the body (drops its last
/// components) until the bubble fits in 30 KB.
pub fn bubble(mut body: Vec<Value>, buttons: Vec<Value>, header_color: Option<&str>) -> Value {
    loop {
        let mut b = json!({ "type": "bubble", "size": "kilo", "body": vbox(body.clone(), "sm") });
        if let Some(c) = header_color {
            b["styles"] = json!({ "body": { "backgroundColor": c } });
        }
        if !buttons.is_empty() {
            b["footer"] = vbox(buttons.clone(), "sm");
        }
        if size(&b) <= MAX_BUBBLE_BYTES || body.len() <= 1 {
            return b;
        }
        body.pop();
    }
}

fn size(v: &Value) -> usize {
    serde_json::to_vec(v).map(|b| b.len()).unwrap_or(usize::MAX)
}

/// A carousel Flex message: at most 12 bubbles, and bubbles are dropped from the end
/// until the carousel fits in 50 KB. `None` when there is no bubble.
pub fn carousel(alt_text: &str, mut bubbles: Vec<Value>) -> Option<Value> {
    bubbles.truncate(MAX_BUBBLES);
    loop {
        if bubbles.is_empty() {
            return None;
        }
        let contents = json!({ "type": "carousel", "contents": bubbles });
        if size(&contents) <= MAX_CAROUSEL_BYTES {
            return Some(json!({
                "type": "flex",
                "altText": clip(alt_text, MAX_ALT_TEXT),
                "contents": contents,
            }));
        }
        bubbles.pop();
    }
}

/// A quick-reply item; `None` for an empty label.
pub fn quick_item(action: Value) -> Value {
    let mut a = action;
    if let Some(l) = a.get("label").and_then(Value::as_str) {
        a["label"] = json!(clip(l, MAX_QUICK_LABEL));
    }
    json!({ "type": "action", "action": a })
}

/// The reply body: at most 5 messages; quick replies (≤13) go on the last one, the
/// only one LINE shows them on.
pub fn reply_body(reply_token: &str, mut messages: Vec<Value>, quick: Vec<Value>) -> Value {
    messages.truncate(MAX_MESSAGES);
    if messages.is_empty() {
        messages.push(text_message("…"));
    }
    let mut items: Vec<Value> = quick.into_iter().map(quick_item).collect();
    items.truncate(MAX_QUICK_REPLIES);
    if !items.is_empty() {
        if let Some(last) = messages.last_mut() {
            last["quickReply"] = json!({ "items": items });
        }
    }
    json!({ "replyToken": reply_token, "messages": messages })
}

/// Every limit above, checked on a finished reply body; the tests run it on every
/// reply they see. Returns the first breach.
pub fn check_limits(body: &Value) -> Result<(), String> {
    let msgs = body["messages"].as_array().ok_or("no messages")?;
    if msgs.is_empty() || msgs.len() > MAX_MESSAGES {
        return Err(format!("{} messages", msgs.len()));
    }
    for (i, m) in msgs.iter().enumerate() {
        if let Some(t) = m.get("text").and_then(Value::as_str) {
            if units(t) > MAX_TEXT || t.is_empty() {
                return Err(format!("messages[{i}].text is {} units", units(t)));
            }
        }
        if m["type"] == "flex" {
            let alt = m["altText"].as_str().unwrap_or("");
            if alt.is_empty() || units(alt) > MAX_ALT_TEXT {
                return Err(format!("messages[{i}].altText is {} units", units(alt)));
            }
            let c = &m["contents"];
            if c["type"] == "carousel" {
                let n = c["contents"].as_array().map_or(0, Vec::len);
                if n == 0 || n > MAX_BUBBLES {
                    return Err(format!("messages[{i}] has {n} bubbles"));
                }
                if size(c) > MAX_CAROUSEL_BYTES {
                    return Err(format!("messages[{i}] carousel is {} bytes", size(c)));
                }
                for b in c["contents"].as_array().into_iter().flatten() {
                    if size(b) > MAX_BUBBLE_BYTES {
                        return Err(format!("messages[{i}] has a bubble of {} bytes", size(b)));
                    }
                }
            }
            check_actions(c, MAX_BUTTON_LABEL)?;
        }
        if let Some(items) = m.pointer("/quickReply/items").and_then(Value::as_array) {
            if items.len() > MAX_QUICK_REPLIES {
                return Err(format!("messages[{i}] has {} quick replies", items.len()));
            }
            for it in items {
                check_actions(it, MAX_QUICK_LABEL)?;
            }
        }
    }
    Ok(())
}

fn check_actions(v: &Value, max_label: usize) -> Result<(), String> {
    match v {
        Value::Object(o) => {
            if let Some(a) = o.get("action") {
                let label = a["label"].as_str().unwrap_or("");
                if label.is_empty() || units(label) > max_label {
                    return Err(format!("action label {label:?} ({} units)", units(label)));
                }
                for k in ["data", "displayText", "text"] {
                    if let Some(s) = a.get(k).and_then(Value::as_str) {
                        if units(s) > MAX_DATA {
                            return Err(format!("action {k} is {} units", units(s)));
                        }
                    }
                }
                if let Some(u) = a.get("uri").and_then(Value::as_str) {
                    if safe_uri(u).is_none() {
                        return Err(format!("action uri {u:?}"));
                    }
                }
            }
            o.values().try_for_each(|x| check_actions(x, max_label))
        }
        Value::Array(a) => a.iter().try_for_each(|x| check_actions(x, max_label)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_counts_utf16_units_and_marks_the_cut() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        let emoji = "😀".repeat(10); // 2 units each
        let c = clip(&emoji, 7);
        assert!(units(&c) <= 7, "{c}");
        assert_eq!(cut("𠮷野家", 2), "𠮷");
    }

    #[test]
    fn every_limit_holds_whatever_goes_in() {
        let long = "あ".repeat(6000);
        let t = text_message(&long);
        assert_eq!(units(t["text"].as_str().unwrap()), MAX_TEXT);
        let big_bubbles: Vec<Value> = (0..20)
            .map(|i| {
                bubble(
                    vec![text(
                        &format!("{i}{}", "長".repeat(1900)),
                        "sm",
                        false,
                        None,
                        None,
                    )],
                    vec![
                        button(
                            uri_action(&"電話".repeat(30), "tel:0427699222").unwrap(),
                            "primary",
                        ),
                        button(
                            postback_action("詳しく見る", &"d".repeat(400), &"x".repeat(400)),
                            "link",
                        ),
                    ],
                    None,
                )
            })
            .collect();
        let c = carousel(&"代".repeat(2000), big_bubbles).unwrap();
        let quick: Vec<Value> = (0..20)
            .map(|i| message_action(&format!("{i}{}", "長い".repeat(20)), "x"))
            .collect();
        let body = reply_body(
            "t",
            vec![t.clone(), t.clone(), t.clone(), t.clone(), t, c],
            quick,
        );
        check_limits(&body).unwrap();
        assert_eq!(body["messages"].as_array().unwrap().len(), MAX_MESSAGES);
        let carousel_bytes = serde_json::to_vec(&body["messages"][4]["contents"])
            .unwrap()
            .len();
        assert!(carousel_bytes <= MAX_CAROUSEL_BYTES);
    }

    #[test]
    fn check_limits_reports_a_breach() {
        let mut body = reply_body(
            "t",
            vec![text_message("x")],
            vec![message_action("ok", "ok")],
        );
        body["messages"][0]["quickReply"]["items"][0]["action"]["label"] = json!("あ".repeat(21));
        assert!(check_limits(&body).unwrap_err().contains("label"));
    }

    #[test]
    fn only_allowed_uri_schemes_make_buttons() {
        assert!(uri_action("web", "https://www.city.sagamihara.kanagawa.jp/").is_some());
        assert!(uri_action("call", "tel:%238008").is_some());
        assert!(uri_action("x", "javascript:alert(1)").is_none());
        assert!(uri_action("x", &format!("https://e.jp/{}", "a".repeat(1000))).is_none());
    }
}
