//! Danger rules compiled for matching (see `spelling.rs` for how words are matched).

use super::spelling::{Forms, View};
use crate::analysis::Analyzer;
use crate::content::Danger;

/// A reading shorter than this is too ambiguous to match on its own (遺書 → いしょ is
/// also 衣装); words inside a combo need a second family, so they may be shorter.
const MIN_READING_ALONE: usize = 4;
const MIN_READING_IN_COMBO: usize = 3;

/// One danger rule, compiled.
#[derive(Debug, Clone)]
pub struct Rule {
    phrases: Forms,
    keywords: Forms,
    calm_if: Forms,
    unless: Forms,
    combos: Vec<Vec<Forms>>,
    not_with: Forms,
}

impl Rule {
    pub fn compile(d: &Danger, analyzer: &Analyzer) -> Rule {
        let alone = |w: &[String]| Forms::new(w, analyzer, MIN_READING_ALONE);
        Rule {
            phrases: alone(&d.phrases),
            keywords: alone(&d.keywords),
            calm_if: alone(&d.calm_if),
            // Masks are matched exactly as written: a reading could mask too much.
            unless: Forms::new(&d.unless, analyzer, usize::MAX),
            not_with: alone(&d.not_with),
            combos: d
                .combos
                .iter()
                .map(|c| {
                    c.iter()
                        .map(|fam| Forms::new(fam, analyzer, MIN_READING_IN_COMBO))
                        .collect()
                })
                .collect(),
        }
    }

    /// Whether the message raises this danger.
    pub fn raised_by(&self, view: &View) -> bool {
        let v = view.masked(&self.unless);
        self.phrases.found_in(&v)
            || (!self.not_with.found_in(&v)
                && self.combos.iter().any(|c| c.iter().all(|f| f.found_in(&v))))
            || (self.keywords.found_in(&v) && !self.calm_if.found_in(&v))
    }
}
