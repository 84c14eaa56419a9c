//! A staff member's case note, answered need by need.
//!
//! Real cases are tangled (「80代の母と50代で無職の息子、家はごみだらけ、母は物忘れ」): the
//! note names several needs, and the front desk wants the first window for each, not
//! one ranking that lets the strongest need push the others out. The pages render this;
//! they never split needs themselves.

use serde::Serialize;

use super::{lang, lexicon, Blocks, Emergency, Engine, ResultItem, Support};
use crate::content::City;
use crate::search::{self, Filters};

/// How many candidates to consider per need when the city has no route for it.
const PER_NEED: usize = 10;
/// A note rarely names more; past this the tail is noise from incidental words.
const MAX_NEEDS: usize = 5;

/// Every need a case note names, each with the window to contact first.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Case {
    pub city: Option<City>,
    /// Shown before the needs when the note signals danger.
    pub emergency: Option<Emergency>,
    /// Shown instead when the note tells of despair with no clear danger.
    pub support: Option<Support>,
    pub needs: Vec<CaseNeed>,
    pub lang: lang::Lang,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CaseNeed {
    /// The need id, e.g. "kaigo".
    pub need: String,
    /// The need in one line, in the note's language.
    pub label: String,
    /// The first window for this need, with the route that follows it.
    pub window: ResultItem,
}

impl Engine {
    /// Splits a case note into the needs it names and answers each with its first
    /// window: the city's route for the need when there is one, else the best search
    /// hit on the need's topic. One window serving two needs is listed once, under the
    /// first.
    pub fn case(&self, note: &str, city: Option<City>) -> Case {
        let super::Reading {
            q,
            lang,
            blocks: Blocks { emergency, support },
            understanding,
        } = self.read(note, city);
        // Every recognised danger names a need (DV, a child at risk…), ahead of the
        // lexicon's: a note with two dangers needs both windows.
        let mut first = lexicon::Understanding::default();
        for id in emergency.iter().flat_map(|e| &e.dangers) {
            if let Some(n) = self.catalog.dangers.iter().find(|d| &d.id == id).and_then(|d| d.need.as_deref()) {
                first = first.then(lexicon::for_need(&self.catalog, n));
            }
        }
        let understanding = first.then(understanding);
        let named: Vec<&String> = understanding
            .needs
            .iter()
            .filter(|n| !self.is_fallback_need(n))
            .collect();
        // The catch-all need counts only when nothing more specific was named.
        let needs: Vec<&String> = if named.is_empty() {
            understanding.needs.iter().take(1).collect()
        } else {
            named
        };
        let mut out: Vec<CaseNeed> = Vec::new();
        for need in needs.into_iter().take(MAX_NEEDS) {
            let Some(window) = self.first_window(&q, city, need) else {
                continue;
            };
            if out.iter().any(|c| c.window.id == window.id) {
                continue;
            }
            let label = self
                .catalog
                .need(need)
                .map(|n| match (lang, &n.label_en) {
                    (lang::Lang::En, Some(en)) => en.clone(),
                    _ => n.label.clone(),
                })
                .unwrap_or_else(|| need.clone());
            out.push(CaseNeed {
                need: need.clone(),
                label,
                window,
            });
        }
        Case {
            city,
            emergency,
            support,
            needs: out,
            lang,
        }
    }

    fn is_fallback_need(&self, need: &str) -> bool {
        self.catalog
            .concepts
            .iter()
            .any(|c| c.need == need && c.fallback)
    }

    fn first_window(
        &self,
        q: &crate::analysis::QueryText,
        city: Option<City>,
        need: &str,
    ) -> Option<ResultItem> {
        if let Some(stop) = self.first_stop(city, Some(need)) {
            let r = self.catalog.record(&stop)?;
            return Some(self.item(r, 0.0, city, Some(need)));
        }
        let topic = self.catalog.need(need).map(|n| n.topic.clone())?;
        let u = lexicon::for_need(&self.catalog, need);
        let filters = Filters {
            topic: Some(topic),
            ..Filters::for_place(city, None)
        };
        let hits = search::search(&self.index, q, &u.expansions, &filters, PER_NEED).ok()?;
        let (id, score) = self.rerank(hits, &u.needs).into_iter().next()?;
        let r = self.catalog.record(&id)?;
        Some(self.item(r, score, city, Some(need)))
    }
}
