//! Colloquial phrases → needs and formal terms (`content/lexicon.toml`).
//!
//! 「お金がなくて家賃が払えない」 contains 家賃が払え → need `konkyu`, expanded with
//! 生活困窮・住居確保給付金. Triggers are pieces of the normalised question, in any
//! spelling (kanji, kana; English on word boundaries); a longer trigger is more
//! specific, so it counts more when needs compete.

use std::collections::{HashMap, HashSet};

use super::spelling::{Forms, Hits, Patterns};
use crate::analysis::Analyzer;
use crate::content::Catalog;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Understanding {
    /// Needs recognised, most specific first.
    pub needs: Vec<String>,
    /// Formal terms to add to the query, weighted below the resident's own words.
    pub expansions: Vec<String>,
}

impl Understanding {
    pub fn primary_need(&self) -> Option<&str> {
        self.needs.first().map(String::as_str)
    }

    /// This understanding first, then `other`'s needs and expansions not already in it.
    pub fn then(mut self, other: Understanding) -> Understanding {
        for n in other.needs {
            if !self.needs.contains(&n) {
                self.needs.push(n);
            }
        }
        for e in other.expansions {
            if !self.expansions.contains(&e) {
                self.expansions.push(e);
            }
        }
        self
    }
}

/// The lexicon compiled for matching: each trigger in every spelling (see `spelling.rs`),
/// so 「おかね が ない」 finds the trigger お金がな and "rent" is an English word, not a
/// piece of "parent".
#[derive(Debug, Clone)]
pub struct Lexicon {
    concepts: Vec<Compiled>,
}

#[derive(Debug, Clone)]
struct Compiled {
    need: String,
    /// Each trigger's spellings and its length as written (longer = more specific).
    triggers: Vec<(Forms, usize)>,
    expand: Vec<String>,
    fallback: bool,
}

/// Readings of three kana or more stand for their trigger (家賃 → やちん); a wrong
/// guess here only adds a need, never a crisis.
const MIN_READING: usize = 3;

impl Lexicon {
    pub fn compile(catalog: &Catalog, analyzer: &Analyzer, patterns: &mut Patterns) -> Lexicon {
        let concepts = catalog
            .concepts
            .iter()
            .map(|c| Compiled {
                need: c.need.clone(),
                triggers: c
                    .triggers
                    .iter()
                    .map(|t| {
                        let forms =
                            Forms::new(std::slice::from_ref(t), analyzer, patterns, MIN_READING);
                        (forms, t.trim_end_matches('*').chars().count())
                    })
                    .collect(),
                expand: c.expand.clone(),
                fallback: c.fallback,
            })
            .collect();
        Lexicon { concepts }
    }

    /// The needs in a message whose patterns are `hits`.
    pub fn understand(&self, hits: &Hits) -> Understanding {
        let mut score: HashMap<&str, usize> = HashMap::new();
        let mut fallback: HashSet<&str> = HashSet::new();
        let mut order: Vec<&str> = Vec::new();
        let mut expand: HashMap<&str, Vec<&String>> = HashMap::new();
        for c in &self.concepts {
            let matched: usize = c
                .triggers
                .iter()
                .filter(|(f, _)| f.found_in(hits))
                .map(|(_, len)| len)
                .sum();
            if matched == 0 {
                continue;
            }
            if !score.contains_key(c.need.as_str()) {
                order.push(&c.need);
            }
            *score.entry(&c.need).or_default() += matched;
            if c.fallback {
                fallback.insert(&c.need);
            }
            expand.entry(&c.need).or_default().extend(c.expand.iter());
        }
        // Stable: ties keep lexicon order, so editors control precedence.
        order.sort_by_key(|n| (fallback.contains(n), std::cmp::Reverse(score[n])));
        // Only the two strongest needs expand the query: every expansion is a clause to
        // score, and a third need's vocabulary mostly adds noise.
        let mut expansions: Vec<String> = Vec::new();
        for need in order.iter().take(2) {
            for e in &expand[need] {
                if !expansions.contains(e) {
                    expansions.push((*e).clone());
                }
            }
        }
        Understanding {
            needs: order.into_iter().map(str::to_string).collect(),
            expansions,
        }
    }
}

/// What the lexicon would have understood had the question named `need` directly.
pub fn for_need(catalog: &Catalog, need: &str) -> Understanding {
    let mut expansions: Vec<String> = Vec::new();
    for c in catalog.concepts.iter().filter(|c| c.need == need) {
        for e in &c.expand {
            if !expansions.contains(e) {
                expansions.push(e.clone());
            }
        }
    }
    Understanding {
        needs: vec![need.to_string()],
        expansions,
    }
}
