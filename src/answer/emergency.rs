//! Danger signals, checked on the raw message before and independently of search.
//!
//! Rules are data (`content/emergency.toml`, reviewed by hand): phrases matched on the
//! normalised message, with `unless` phrases for ordinary questions that only look
//! alarming (「自殺対策計画」). Nothing here reads the index or a score, so a broken or
//! missing index can never hide the crisis lines.

use serde::Serialize;

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

/// A phrase counts unless that occurrence sits inside one of the rule's `unless`
/// phrases: 「自殺対策について」 is not a crisis, 「自殺対策とかじゃなく死にたい」 is.
fn triggered(d: &Danger, normalized: &str) -> bool {
    let mut text = normalized.to_string();
    for u in &d.unless {
        text = text.replace(u.as_str(), "|");
    }
    d.phrases.iter().any(|p| text.contains(p.as_str()))
}

/// Returns the crisis block for `normalized` (already NFKC-normalised with variants), or
/// `None` for an ordinary question.
pub fn detect(catalog: &Catalog, normalized: &str, city: Option<City>) -> Option<Emergency> {
    // Spaces inside a phrase are how people type on phones (「死に たい」); ignore them.
    let compact: String = normalized.chars().filter(|c| !c.is_whitespace()).collect();
    let hits: Vec<&Danger> = catalog
        .dangers
        .iter()
        .filter(|d| triggered(d, &compact))
        .collect();
    if hits.is_empty() {
        return None;
    }
    let mut ids: Vec<&str> = Vec::new();
    for d in &hits {
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
    let message = hits
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    Some(Emergency {
        message,
        contacts,
        dangers: hits.iter().map(|d| d.id.clone()).collect(),
        need: hits.iter().find_map(|d| d.need.clone()),
    })
}
