//! Colloquial phrases → needs and formal terms (`content/lexicon.toml`).
//!
//! 「お金がなくて家賃が払えない」 contains 家賃が払え → need `konkyu`, expanded with
//! 生活困窮・住居確保給付金. Triggers are substrings of the normalised question; a longer
//! trigger is more specific, so it counts more when needs compete.

use std::collections::HashMap;

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

pub fn understand(catalog: &Catalog, normalized: &str) -> Understanding {
    let compact: String = normalized.chars().filter(|c| !c.is_whitespace()).collect();
    let mut score: HashMap<&str, usize> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    let mut expand: HashMap<&str, Vec<&String>> = HashMap::new();
    for c in &catalog.concepts {
        let matched: usize = c
            .triggers
            .iter()
            .filter(|t| compact.contains(t.as_str()))
            .map(|t| t.chars().count())
            .sum();
        if matched == 0 {
            continue;
        }
        if !score.contains_key(c.need.as_str()) {
            order.push(&c.need);
        }
        *score.entry(&c.need).or_default() += matched;
        expand.entry(&c.need).or_default().extend(c.expand.iter());
    }
    // Stable: ties keep lexicon order, so editors control precedence.
    order.sort_by_key(|n| std::cmp::Reverse(score[n]));
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
