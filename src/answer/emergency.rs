//! Danger signals, checked on the raw message before and independently of search.
//!
//! Rules are data (`content/emergency.toml`, reviewed by hand): phrases, keywords and
//! combos of word families (a partner + being hit) matched on the normalised message in
//! every spelling (see `danger.rs`), with `unless` phrases for ordinary questions that
//! only look alarming (「自殺対策計画」). Nothing here reads the index or a score, so a broken or
//! missing index can never hide the crisis lines.

use serde::Serialize;

use super::danger::Rule;
use super::lang::Lang;
use super::spelling::{Hits, Scanner, View};
use crate::content::{Catalog, City, Contact, Danger};

/// The crisis block shown before anything else.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Emergency {
    pub message: String,
    pub contacts: Vec<std::sync::Arc<Contact>>,
    /// Which dangers were recognised, e.g. `["suicide"]` (added field).
    pub dangers: Vec<String>,
    /// The need the first recognised danger implies (routes the results below it).
    #[serde(skip)]
    pub need: Option<String>,
}

/// Returns the crisis block for the message seen as `view`, or
/// `None` for an ordinary question. `rules` are `catalog.dangers` compiled, in order.
pub fn detect(
    catalog: &Catalog,
    rules: &[Rule],
    view: &View,
    hits: &Hits,
    scanner: &Scanner,
    city: Option<City>,
    lang: Lang,
) -> Option<Emergency> {
    let hits: Vec<&Danger> = catalog
        .dangers
        .iter()
        .zip(rules)
        .filter(|(_, r)| r.raised_by(view, hits, scanner))
        .map(|(d, _)| d)
        .collect();
    block(catalog, &hits, city, lang)
}

/// The crisis block for dangers already recognised (e.g. carried on a referral slip by
/// id): their lines, the city's own lines, and their messages.
pub fn block(catalog: &Catalog, hits: &[&Danger], city: Option<City>, lang: Lang) -> Option<Emergency> {
    if hits.is_empty() {
        return None;
    }
    let mut ids: Vec<&str> = Vec::new();
    for d in hits {
        ids.extend(d.hotlines.iter().map(String::as_str));
        if let Some(local) = city.and_then(|c| d.city.get(&c)) {
            ids.extend(local.iter().map(String::as_str));
        }
    }
    let mut seen = std::collections::HashSet::new();
    let contacts = ids
        .into_iter()
        .filter(|id| seen.insert(*id))
        .filter_map(|id| catalog.record(id))
        .filter_map(|r| r.contacts.iter().find(|c| c.phone.is_some()).cloned())
        .collect();
    // An English question gets each message in English first; the Japanese stays, as
    // it is what the lines will speak.
    let message = hits
        .iter()
        .flat_map(|d| match (lang, &d.message_en) {
            (Lang::En, Some(en)) => vec![en.as_str(), d.message.as_str()],
            _ => vec![d.message.as_str()],
        })
        .collect::<Vec<_>>()
        .join("\n");
    Some(Emergency {
        message,
        contacts,
        dangers: hits.iter().map(|d| d.id.clone()).collect(),
        need: hits.iter().find_map(|d| d.need.clone()),
    })
}
