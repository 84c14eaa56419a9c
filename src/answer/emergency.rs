//! Danger signals, checked on the raw message before and independently of search.
//!
//! Rules are data (`content/emergency.toml`, reviewed by hand): phrases, keywords and
//! combos of word families (a partner + being hit) matched on the normalised message in
//! every spelling (see `danger.rs`), with `unless` phrases for ordinary questions that
//! only look alarming (「自殺対策計画」). Nothing here reads the index or a score, so a broken or
//! missing index can never hide the crisis lines.
//!
//! Two tiers: a danger raises the crisis block ([`Emergency`]); despair that names no clear
//! danger raises the calm [`Support`] block instead. Never both: danger wins.

use serde::Serialize;

use super::danger::Rule;
use super::lang::Lang;
use super::spelling::{Hits, Scanner, View};
use crate::content::{Catalog, City, Contact, Danger, Tier};

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

/// The calm block above the results: 「つらい気持ちを話せる窓口」 and two lines that listen.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Support {
    pub title: String,
    pub title_en: Option<String>,
    pub message: String,
    pub message_en: Option<String>,
    pub contacts: Vec<std::sync::Arc<Contact>>,
    /// Which support-tier signs were recognised, e.g. `["despair"]`.
    pub signs: Vec<String>,
    /// The need the first sign implies, if any (a parent who hit once → child-rearing).
    #[serde(skip)]
    pub need: Option<String>,
}

/// The blocks a message raises: the crisis block, or else the support block.
#[derive(Debug, Clone, Default)]
pub struct Blocks {
    pub emergency: Option<Emergency>,
    pub support: Option<Support>,
}

/// The blocks for the message seen as `view`; both `None` for an ordinary question.
/// `rules` are `catalog.dangers` compiled, in order.
pub fn detect(
    catalog: &Catalog,
    rules: &[Rule],
    view: &View,
    hits: &Hits,
    scanner: &Scanner,
    city: Option<City>,
    lang: Lang,
) -> Blocks {
    let raised: Vec<&Danger> = catalog
        .dangers
        .iter()
        .zip(rules)
        .filter(|(_, r)| r.raised_by(view, hits, scanner))
        .map(|(d, _)| d)
        .collect();
    blocks(catalog, &raised, city, lang)
}

/// The blocks for signs already recognised (e.g. carried on a referral slip by id):
/// any emergency-tier sign gives the crisis block and no support block.
pub fn blocks(catalog: &Catalog, raised: &[&Danger], city: Option<City>, lang: Lang) -> Blocks {
    let (danger, calm): (Vec<&Danger>, Vec<&Danger>) =
        raised.iter().partition(|d| d.tier == Tier::Emergency);
    let emergency = block(catalog, &danger, city, lang);
    let support = if emergency.is_none() && !calm.is_empty() {
        support(catalog, &calm)
    } else {
        None
    };
    Blocks { emergency, support }
}

fn support(catalog: &Catalog, signs: &[&Danger]) -> Option<Support> {
    let s = &catalog.support;
    let contacts = callable(catalog, s.hotlines.iter().map(String::as_str));
    if contacts.is_empty() {
        return None;
    }
    Some(Support {
        title: s.title.clone(),
        title_en: s.title_en.clone(),
        message: s.message.clone(),
        message_en: s.message_en.clone(),
        contacts,
        signs: signs.iter().map(|d| d.id.clone()).collect(),
        need: signs.iter().find_map(|d| d.need.clone()),
    })
}

/// Each record's first phone, once per record, in order.
fn callable<'a>(catalog: &Catalog, ids: impl Iterator<Item = &'a str>) -> Vec<std::sync::Arc<Contact>> {
    let mut seen = std::collections::HashSet::new();
    ids.filter(|id| seen.insert(*id))
        .filter_map(|id| catalog.record(id))
        .filter_map(|r| r.contacts.iter().find(|c| c.phone.is_some()).cloned())
        .collect()
}

/// The crisis block for dangers already recognised: their lines, the city's own
/// lines, and their messages.
fn block(catalog: &Catalog, hits: &[&Danger], city: Option<City>, lang: Lang) -> Option<Emergency> {
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
    // The municipality's own crisis lines (its city.toml), after every danger's.
    if let Some(info) = city.and_then(|c| catalog.city(c)) {
        ids.extend(info.crisis.iter().map(String::as_str));
    }
    let contacts = callable(catalog, ids.into_iter());
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
