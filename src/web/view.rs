//! Pieces every page shares: the page shell, the crisis block, a window's contacts,
//! its route and its dates. They render the engine's answer as it is; nothing here
//! chooses, orders or filters what the engine decided.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::assets;
use crate::analysis::Analyzer;
use crate::answer::{Blocks, Emergency, ResultItem, Step, Support};
use crate::content::{Contact, Source};
use crate::messages::{self, web as t};

/// How Japanese text is written out: with ふりがな (`<ruby>`) or plain.
#[derive(Clone, Copy)]
pub struct Ja<'a> {
    pub analyzer: &'a Analyzer,
    pub furigana: bool,
}

impl Ja<'_> {
    /// `s`, with readings over its kanji when ふりがな is on.
    pub fn text(&self, s: &str) -> Markup {
        if !self.furigana {
            return html! { (s) };
        }
        html! {
            @for piece in self.analyzer.furigana(s) {
                @match &piece.reading {
                    Some(r) => ruby { (piece.text) rp { "(" } rt { (r) } rp { ")" } },
                    None => (piece.text),
                }
            }
        }
    }
}

/// The page shell: language, title, styles, skip link, header and footer.
pub fn page(title: &str, class: &str, body: Markup) -> Markup {
    shell(title, class, None, body)
}

/// The page shell as residents read it: with ふりがな on, the header, skip link and
/// footer get readings too (the `<title>` cannot hold ruby and stays plain).
pub fn page_ja(title: &str, class: &str, ja: Ja, body: Markup) -> Markup {
    shell(title, class, Some(ja), body)
}

fn shell(title: &str, class: &str, ja: Option<Ja>, body: Markup) -> Markup {
    let say = |s: &str| match ja {
        Some(ja) => ja.text(s),
        None => html! { (s) },
    };
    html! {
        (DOCTYPE)
        html lang="ja" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " | " (t::SITE) }
                link rel="stylesheet" href=(assets::url("style.css"));
                script src=(assets::url("app.js")) defer {}
            }
            body class=(class) {
                a.skip href="#main" { (say(t::SKIP)) }
                header.site {
                    a.brand href=(ja.filter(|j| j.furigana).map_or("/", |_| "/?furigana=1")) { (say(t::SITE)) }
                }
                main #main tabindex="-1" { (body) }
                footer.site { p { (say(t::FOOTER)) } }
            }
        }
    }
}

/// The crisis block, or else the calm support block: first on every page that has one.
/// The engine never raises both; if it did, the crisis block would win here too.
pub fn blocks(b: &Blocks, ja: Ja) -> Markup {
    html! {
        @if let Some(e) = &b.emergency { (crisis(e, ja)) }
        @else if let Some(s) = &b.support { (support(s, ja)) }
    }
}

/// 「つらい気持ちを話せる窓口」: calm, boxed, not an alert.
pub fn support(s: &Support, ja: Ja) -> Markup {
    html! {
        section.support aria-labelledby="support-title" {
            h2 #support-title { (ja.text(&s.title)) }
            p.support-message { (ja.text(&s.message)) }
            ul.support-lines {
                @for c in &s.contacts { (line_item(c, ja)) }
            }
        }
    }
}

/// One line of a crisis or support block: who, the number to tap, when.
fn line_item(c: &Contact, ja: Ja) -> Markup {
    html! {
        li {
            span.name { (ja.text(&c.name)) }
            " "
            (phone(c))
            @if let Some(h) = &c.hours { " " span.hours { (ja.text(h)) } }
        }
    }
}

/// The crisis block, first on every page that has one.
pub fn crisis(e: &Emergency, ja: Ja) -> Markup {
    html! {
        section.crisis role="alert" aria-labelledby="crisis-title" {
            h2 #crisis-title { (ja.text(t::CRISIS_TITLE)) }
            @for line in e.message.lines() {
                p.crisis-message { (ja.text(line)) }
            }
            ul.crisis-lines {
                @for c in &e.contacts { (line_item(c, ja)) }
            }
        }
    }
}

/// A phone number as a `tel:` link (the contact's own `tel`, as LINE's call buttons use).
pub fn phone(c: &Contact) -> Markup {
    match (&c.phone, &c.tel) {
        (Some(p), Some(tel)) => html! { a.tel href=(tel) { (p) } },
        (Some(p), None) => html! { (p) },
        _ => html! {},
    }
}

/// A contact's details as a definition list, with the notice about its date.
pub fn contact(c: &Contact, ja: Ja) -> Markup {
    contact_lines(c, ja, Said::default())
}

/// What a group of contacts says of one outside its box's usual rows: its number on the
/// name's line, and the closing lines the group says once for all its numbers.
#[derive(Clone, Copy, Default)]
struct Said {
    phone_by_name: bool,
    note: bool,
    as_of: bool,
    dated: bool,
}

fn contact_lines(c: &Contact, ja: Ja, said: Said) -> Markup {
    html! {
        div.contact {
            p.contact-name {
                (ja.text(&c.name))
                @if said.phone_by_name { " " (phone(c)) }
            }
            (contact_details(c, ja, !said.phone_by_name))
            @if let (Some(n), false) = (&c.note, said.note) { p.note { (ja.text(n)) } }
            @if let (Some(n), false) = (&c.as_of, said.as_of) { p.as-of { "※" (ja.text(n)) } }
            @if !said.dated { (dated(c, ja)) }
        }
    }
}

fn contact_details(c: &Contact, ja: Ja, with_phone: bool) -> Markup {
    let phone_row = with_phone && c.phone.is_some();
    let any = c.hours.is_some() || c.address.is_some() || c.email.is_some() || c.url.is_some();
    if !phone_row && !any {
        return html! {};
    }
    html! {
        dl {
            @if phone_row { dt { (ja.text(t::PHONE)) } dd { (phone(c)) } }
            @if let Some(h) = &c.hours { dt { (ja.text(t::HOURS)) } dd { (ja.text(h)) } }
            @if let Some(a) = &c.address { dt { (ja.text(t::ADDRESS)) } dd { (ja.text(a)) } }
            @if let Some(m) = &c.email { dt { (ja.text(t::EMAIL)) } dd { a href={ "mailto:" (m) } { (m) } } }
            @if let Some(u) = &c.url { dt { (ja.text(t::WEBSITE)) } dd { a href=(u) rel="noopener" { (u) } } }
        }
    }
}

fn dated(c: &Contact, ja: Ja) -> Markup {
    html! {
        p.dated {
            (ja.text(&t::dated(c.source.date.as_deref())))
            "（" (ja.text(t::SOURCE)) ": " (ja.text(&c.source.title)) "）"
        }
    }
}

/// Several contacts of one window (a card's numbers, a slip's), each number on its
/// office's line. Numbers from one source (the three ward offices of one newsletter)
/// share their note, age notice and source line: said once after them, so neither a
/// phone screen nor a sheet repeats one warning three times. Age notices that differ
/// are each said once.
pub fn contacts(list: &[&Contact], ja: Ja) -> Markup {
    contacts_citing(list, None, ja)
}

/// `cited`: the source a card names at its foot; numbers from it need no line of their own.
fn contacts_citing(list: &[&Contact], cited: Option<&Source>, ja: Ja) -> Markup {
    let Some(first) = list.first() else {
        return html! {};
    };
    let many = list.len() > 1;
    let one_source = list.iter().all(|c| same_source(&c.source, &first.source));
    let cited = one_source && cited.is_some_and(|s| same_source(s, &first.source));
    let said = Said {
        phone_by_name: true,
        note: many && first.note.is_some() && list.iter().all(|c| c.note == first.note),
        as_of: many,
        dated: (many && one_source) || cited,
    };
    // One number keeps its notice in its own box, as on the record page.
    let notices = match many {
        true => distinct(list.iter().filter_map(|c| c.as_of.as_deref())),
        false => Vec::new(),
    };
    html! {
        @for c in list { (contact_lines(c, ja, said)) }
        @if let (Some(n), true) = (&first.note, said.note) { p.note { (ja.text(n)) } }
        @for n in &notices { p.as-of { "※" (ja.text(n)) } }
        @if said.dated && !cited { (dated(first, ja)) }
    }
}

fn same_source(a: &Source, b: &Source) -> bool {
    a.id == b.id && a.title == b.title
}

fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// The numbered route: first contact, referral, what happens next. `heading` is the
/// level that fits where it is placed (h3 under a page's h2, h4 in a card).
pub fn route(steps: &[Step], heading: u8, ja: Ja) -> Markup {
    if steps.is_empty() {
        return html! {};
    }
    html! {
        div.route {
            @match heading {
                2 => h2 { (ja.text(t::ROUTE)) },
                3 => h3 { (ja.text(t::ROUTE)) },
                _ => h4 { (ja.text(t::ROUTE)) },
            }
            ol { @for s in steps { (step(s, &[], ja)) } }
        }
    }
}

/// A card's route: the first step (whom to call), then the rest behind a <details>, so
/// five cards fit a phone screen. It opens with the keyboard and without script; wide
/// screens show it whole (style.css).
fn route_folded(steps: &[Step], shown: &[&Contact], ja: Ja) -> Markup {
    let Some((first, rest)) = steps.split_first() else {
        return html! {};
    };
    html! {
        div.route {
            h4 { (ja.text(t::ROUTE)) }
            ol { (step(first, shown, ja)) }
            @if !rest.is_empty() {
                details.route-more {
                    summary { (ja.text(&t::route_more(rest.len()))) }
                    ol start="2" { @for s in rest { (step(s, shown, ja)) } }
                }
            }
        }
    }
}

/// One step with the numbers to call for it, but those already `shown` (a card's own
/// numbers, just above its route).
fn step(s: &Step, shown: &[&Contact], ja: Ja) -> Markup {
    let new = |c: &&Contact| !shown.iter().any(|o| o.phone == c.phone);
    html! {
        li {
            p { (ja.text(&s.text)) }
            @for c in s.shown_contacts().into_iter().filter(new) {
                p.step-contact {
                    span.name { (ja.text(&c.name)) } " " (phone(c))
                    @if let Some(h) = &c.hours { " " span.hours { (ja.text(h)) } }
                }
            }
        }
    }
}

/// A result card for residents: what the window is, how to reach it, the route.
pub fn card(r: &ResultItem, city_q: &str, ja: Ja) -> Markup {
    let phones: Vec<&Contact> = r
        .contacts
        .iter()
        .map(|c| c.as_ref())
        .filter(|c| c.phone.is_some())
        .collect();
    html! {
        article.card {
            h3 { a href={ "/resources/" (r.id) (city_q) } { (ja.text(&r.title)) } }
            p.summary { (ja.text(&r.summary)) }
            (contacts_citing(&phones, Some(&r.source), ja))
            // A window with no number of its own: the route's first step already says
            // so and whom to call instead; the notice is needed only when it does not.
            @if phones.is_empty() && !first_step_elsewhere(r) {
                p.gap { (ja.text(&messages::gap_note(None))) }
            }
            (route_folded(&r.route, &phones, ja))
            (source_line(&r.source, ja))
        }
    }
}

/// Whether a card's first step sends residents to another record's number instead.
fn first_step_elsewhere(r: &ResultItem) -> bool {
    r.route
        .first()
        .is_some_and(|s| s.record.as_deref() != Some(r.id.as_str()) && s.contact.is_some())
}

pub fn source_line(s: &Source, ja: Ja) -> Markup {
    html! {
        p.source {
            (ja.text(t::SOURCE)) ": "
            @match &s.url {
                Some(u) => a href=(u) rel="noopener" { (ja.text(&s.title)) },
                None => (ja.text(&s.title)),
            }
            " (" (ja.text(&t::dated(s.date.as_deref()))) ")"
        }
    }
}

/// A full source with its verbatim excerpts (record pages and the staff view).
pub fn source_full(s: &Source, ja: Ja) -> Markup {
    html! {
        li {
            (source_line(s, ja))
            @for e in &s.excerpts {
                blockquote.excerpt { span.visually-hidden { (t::EXCERPT) ": " } (ja.text(e)) }
            }
        }
    }
}

/// Every source behind a record as shown: its own and its contacts' (phone, hours,
/// address), each once.
pub fn sources_of(r: &ResultItem) -> Vec<Source> {
    let mut out: Vec<Source> = Vec::new();
    let mut push = |s: &Source| {
        if !out.iter().any(|o| same_source(o, s)) {
            out.push(s.clone());
        }
    };
    push(&r.source);
    for c in &r.contacts {
        push(&c.source);
        if let Some(s) = &c.hours_source {
            push(s);
        }
        if let Some(s) = &c.address_source {
            push(s);
        }
    }
    out
}

/// Raw SVG (the QR code) placed as is.
pub fn svg(s: String) -> Markup {
    PreEscaped(s)
}
