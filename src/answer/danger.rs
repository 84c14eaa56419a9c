//! Danger rules compiled for matching (see `spelling.rs` for how words are matched).

use super::spelling::{Forms, Hits, Patterns, Scanner, View};
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
    stand_down: Forms,
}

impl Rule {
    pub fn compile(d: &Danger, analyzer: &Analyzer, patterns: &mut Patterns) -> Rule {
        let mut alone = |w: &[String]| Forms::new(w, analyzer, patterns, MIN_READING_ALONE);
        let phrases = alone(&d.phrases);
        let keywords = alone(&d.keywords);
        let calm_if = alone(&d.calm_if);
        let not_with = alone(&d.not_with);
        let stand_down = alone(&d.stand_down_if);
        Rule {
            stand_down,
            phrases,
            keywords,
            calm_if,
            not_with,
            // Masks are matched exactly as written: a reading could mask too much.
            unless: Forms::new(&d.unless, analyzer, patterns, usize::MAX),
            combos: d
                .combos
                .iter()
                .map(|c| {
                    c.iter()
                        .map(|fam| Forms::new(fam, analyzer, patterns, MIN_READING_IN_COMBO))
                        .collect()
                })
                .collect(),
        }
    }

    /// Whether the message raises this danger. `hits` are the patterns in `view`; when
    /// one of this rule's masks occurs (rare), the masked view is scanned again.
    pub fn raised_by(&self, view: &View, hits: &Hits, scanner: &Scanner) -> bool {
        if self.stand_down.found_in(hits) {
            return false;
        }
        if self.unless.found_in(hits) {
            let masked = scanner.scan(&view.masked(&self.unless));
            return self.raised(&masked);
        }
        self.raised(hits)
    }

    /// Whether the message names something this rule was told to stay calm about: a
    /// mask (「自殺対策」), a stand-down word (卒論) or a learning word beside its keyword
    /// (「DV防止の講座」). The learned detector does not overrule such a message.
    pub fn calmed_by(&self, hits: &Hits) -> bool {
        self.stand_down.found_in(hits)
            || self.unless.found_in(hits)
            || (self.keywords.found_in(hits) && self.calm_if.found_in(hits))
    }

    fn raised(&self, h: &Hits) -> bool {
        self.phrases.found_in(h)
            || (!self.not_with.found_in(h)
                && self.combos.iter().any(|c| c.iter().all(|f| f.found_in(h))))
            || (self.keywords.found_in(h) && !self.calm_if.found_in(h))
    }
}
