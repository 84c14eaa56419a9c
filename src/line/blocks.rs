//! The crisis and support blocks as LINE messages: their text for the first message
//! and their call cards, first in the carousel. The engine decides which one; this only
//! formats it.

use serde_json::Value;

use super::flex::{bubble, button, text, uri_action};
use crate::answer::{Emergency, Support};
use crate::messages::line as msg;

const CRISIS_RED: &str = "#C62828";
/// The support block is calm: the page's accent blue, not the alarm red.
const SUPPORT_BLUE: &str = "#0B4F8A";

pub(super) fn crisis_text(e: &Emergency) -> String {
    with_lines(e.message.clone(), &e.contacts)
}

/// `words`, then one ☎ line per contact with a number: name, number, hours.
fn with_lines(mut t: String, contacts: &[std::sync::Arc<crate::content::Contact>]) -> String {
    for c in contacts {
        if let Some(p) = &c.phone {
            t.push_str(&format!("\n☎ {} {}", c.name, p));
            if let Some(h) = &c.hours {
                t.push_str(&format!("（{h}）"));
            }
        }
    }
    t
}

/// 「つらい気持ちを話せる窓口」 in the first message: its words and the lines that listen.
pub(super) fn support_text(sp: &Support) -> String {
    with_lines(format!("{}\n{}", sp.title, sp.message), &sp.contacts)
}

pub(super) fn support_bubble(sp: &Support) -> Value {
    let mut body = vec![text(&sp.title, "md", true, Some(SUPPORT_BLUE), None)];
    for c in &sp.contacts {
        let line = format!("{} {}", c.name, c.phone.as_deref().unwrap_or(""));
        body.push(text(&line, "sm", false, None, Some(2)));
    }
    let buttons = sp
        .contacts
        .iter()
        .take(4)
        .filter_map(|c| uri_action(&format!("{} {}", msg::CALL, c.name), c.tel.as_deref()?))
        .map(|a| button(a, "secondary"))
        .collect();
    bubble(body, buttons, None)
}

pub(super) fn crisis_bubble(e: &Emergency) -> Value {
    let mut body = vec![text(msg::CRISIS_TITLE, "md", true, Some(CRISIS_RED), None)];
    for c in &e.contacts {
        let line = format!("{} {}", c.name, c.phone.as_deref().unwrap_or(""));
        body.push(text(&line, "sm", false, None, Some(2)));
    }
    let buttons = e
        .contacts
        .iter()
        .take(4)
        .filter_map(|c| {
            let label = format!("{} {}", msg::CALL, c.name);
            uri_action(&label, c.tel.as_deref()?)
        })
        .map(|a| {
            let mut b = button(a, "primary");
            b["color"] = Value::from(CRISIS_RED);
            b
        })
        .collect();
    bubble(body, buttons, None)
}

