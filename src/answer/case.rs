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

/// Needs that concern a child; a note whose people are all adults does not name them.
const CHILD_NEEDS: [&str; 2] = ["kosodate", "young-carer"];
/// Words that put a child in the note whatever ages it gives.
const CHILD_WORDS: [&str; 14] = [
    "乳児", "幼児", "赤ちゃん", "園児", "児童", "生徒", "小学", "中学", "高校生", "保育園", "幼稚園", "未成年", "子ども", "孫",
];

/// Whether the note gives ages (「80代の母」「50代の息子」「35歳」) and every one is an
/// adult's, with no word for a child: the people are then grown-ups, whatever their role.
fn only_adults(note: &str) -> bool {
    if CHILD_WORDS.iter().any(|w| note.contains(w)) {
        return false;
    }
    let chars: Vec<char> = note.chars().collect();
    let mut ages = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let n: u32 = chars[start..i].iter().collect::<String>().parse().unwrap_or(0);
            if matches!(chars.get(i), Some('代' | '歳' | '才')) {
                ages.push(n);
            }
        }
        i += 1;
    }
    !ages.is_empty() && ages.iter().all(|&a| a >= 18)
}

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
    /// Why this window and not a dedicated one: no public source names one (ごみ屋敷).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
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
        let grown = only_adults(&q.normalized);
        let named: Vec<&String> = understanding
            .needs
            .iter()
            .filter(|n| !self.is_fallback_need(n))
            // 「50代の息子」 is no child in care: with only adults in the note, the
            // child-rearing and young-carer windows do not apply (8050 is ひきこもり).
            .filter(|n| !(grown && CHILD_NEEDS.contains(&n.as_str())))
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
                note: self.missing_window(city, Some(need)),
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
            ..Filters::for_place(city)
        };
        let hits = search::search(&self.index, q, &u.expansions, &filters, PER_NEED).ok()?;
        let (id, score) = self.rerank(hits, &u.needs).into_iter().next()?;
        let r = self.catalog.record(&id)?;
        Some(self.item(r, score, city, Some(need)))
    }
}

#[cfg(test)]
mod tests {
    use super::only_adults;

    #[test]
    fn ages_and_roles_say_whether_a_note_is_about_grown_ups() {
        assert!(only_adults("80代の母と50代で無職の息子、家はごみだらけ"));
        assert!(only_adults("35歳の娘が家から出ない"));
        assert!(!only_adults("8歳の息子が学校に行かない"));
        assert!(!only_adults("40代の母と中学生の娘"));
        assert!(!only_adults("息子が暴れる"), "no age given: the lexicon decides");
    }
}
