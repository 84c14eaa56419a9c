//! The crisis and support blocks as LINE messages: their text for the first message
//! and their call cards, first in the carousel. The engine decides which one; this only
//! formats it.

use serde_json::Value;

use super::flex::{bubble, button, text, uri_action};
use std::sync::Arc;

use crate::answer::{Emergency, Support};
use crate::content::Contact;
use crate::messages::line as msg;

const CRISIS_RED: &str = "#C62828";
/// The support block is calm: the page's accent blue, not the alarm red.
const SUPPORT_BLUE: &str = "#0B4F8A";

pub(super) fn crisis_text(e: &Emergency) -> String {
    with_lines(e.message.clone(), &e.contacts)
}

/// `words`, then one ☎ line per contact with a number: name, number, hours.
fn with_lines(mut t: String, contacts: &[Arc<Contact>]) -> String {
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
    // Calm: the accent colour and plain (secondary) call buttons.
    call_card(&sp.title, SUPPORT_BLUE, &sp.contacts, |a| button(a, "secondary"))
}

pub(super) fn crisis_bubble(e: &Emergency) -> Value {
    call_card(msg::CRISIS_TITLE, CRISIS_RED, &e.contacts, |a| {
        let mut b = button(a, "primary");
        b["color"] = Value::from(CRISIS_RED);
        b
    })
}

/// A block's card: its title in its colour, each line's name and number, and up to
/// four call buttons styled by `style`.
fn call_card(title: &str, colour: &str, contacts: &[Arc<Contact>], style: impl Fn(Value) -> Value) -> Value {
    let mut body = vec![text(title, "md", true, Some(colour), None)];
    for c in contacts {
        let line = format!("{} {}", c.name, c.phone.as_deref().unwrap_or(""));
        body.push(text(&line, "sm", false, None, Some(2)));
    }
    let buttons = contacts
        .iter()
        .take(4)
        .filter_map(|c| uri_action(&format!("{} {}", msg::CALL, c.name), c.tel.as_deref()?))
        .map(style)
        .collect();
    bubble(body, buttons, None)
}
