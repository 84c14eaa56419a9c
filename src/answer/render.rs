//! Plain-text rendering of an [`Answer`] for the terminal (`tsunagu ask`): everything a
//! resident would see, in the order they would see it. It renders, it does not decide.

use super::Answer;
use crate::content::Contact;
use crate::messages;

/// Plain-text rendering for the terminal (`tsunagu ask`).
pub fn render_text(a: &Answer) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let contact_line = |c: &Contact| {
        let mut s = format!(
            "{} {}",
            c.name,
            c.phone.as_deref().unwrap_or("(電話番号未確認)")
        );
        if let Some(h) = &c.hours {
            let _ = write!(s, "  {h}");
        }
        if let Some(n) = &c.as_of {
            let _ = write!(s, "\n      ※{n}");
        }
        if let Some(n) = &c.note {
            let _ = write!(s, "\n      注: {n}");
        }
        s
    };
    if let Some(e) = &a.emergency {
        let _ = writeln!(out, "!! {}", e.message);
        for c in &e.contacts {
            let _ = writeln!(out, "   ☎ {}", contact_line(c));
        }
        out.push('\n');
    }
    if let Some(s) = &a.support {
        let _ = writeln!(out, "◎ {}\n  {}", s.title, s.message);
        for c in &s.contacts {
            let _ = writeln!(out, "   ☎ {}", contact_line(c));
        }
        out.push('\n');
    }
    if let Some(n) = &a.notice {
        let _ = writeln!(out, "{n}\n");
    }
    // What was understood, in the question's language ("Domestic violence" for English).
    if let Some(label) = &a.need_label {
        let _ = writeln!(out, "〔{label}〕\n");
    }
    for (i, r) in a.results.iter().enumerate() {
        // A number's notice is said once per card: with the card's own contact, or on
        // the first step that shows that number.
        let key = |c: &Contact| format!("{:?}{:?}", c.phone, c.as_of);
        let mut said: Vec<String> = r.contacts.iter().map(|c| key(c)).collect();
        if !r.contacts.iter().any(|c| c.phone.is_some()) {
            said.extend(r.route.first().and_then(|s| s.contact.as_deref()).map(key));
        }
        let _ = writeln!(
            out,
            "{}. {} [{} / {}] ({})",
            i + 1,
            r.title,
            r.city.as_str(),
            r.kind.as_str(),
            r.id
        );
        for c in r.contacts.iter().filter(|c| c.phone.is_some()) {
            let _ = writeln!(out, "   ☎ {}", contact_line(c));
        }
        if !r.contacts.iter().any(|c| c.phone.is_some()) {
            if let Some(g) = &r.gap {
                let _ = writeln!(out, "   ※ {g}");
            }
            if let Some(c) = r.route.first().and_then(|s| s.contact.as_ref()) {
                let _ = writeln!(
                    out,
                    "   ☎ {}{}",
                    messages::PHONE_PENDING_CALL_FIRST,
                    contact_line(c)
                );
            }
        }
        for s in &r.route {
            let _ = write!(out, "   {}→ {}", s.step, s.text);
            let shown = s.shown_contacts();
            let names: Vec<String> = shown
                .iter()
                .map(|c| format!("{} {}", c.name, c.phone.as_deref().unwrap_or("")))
                .collect();
            if !names.is_empty() {
                let _ = write!(out, " [{}]", names.join(" / "));
            }
            out.push('\n');
            // Old or second-hand numbers say so wherever they are shown.
            for c in &shown {
                let Some(n) = c.as_of.as_deref() else {
                    continue;
                };
                if !said.contains(&key(c)) {
                    said.push(key(c));
                    let _ = writeln!(
                        out,
                        "      ※{} {}: {n}",
                        c.name,
                        c.phone.as_deref().unwrap_or("")
                    );
                }
            }
        }
    }
    if !a.suggestions.is_empty() {
        let _ = writeln!(out, "\n関連: {}", a.suggestions.join(" / "));
    }
    out
}
