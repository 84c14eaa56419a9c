//! Danger combos in `content/emergency.toml`: word-family names resolved to their words.

use std::collections::BTreeMap;

use toml::Spanned;

use super::validate::Loader;
use crate::analysis::{normalize, VariantTable};

const EMERGENCY: &str = "emergency.toml";

impl Loader {
    /// Resolves each combo's family names against `[terms]`; an unknown name or a combo
    /// of fewer than two families is a mistake at its line (one family alone would be a
    /// phrase list, and belongs in `phrases`).
    pub(super) fn danger_combos(
        &mut self,
        combos: &[Vec<Spanned<String>>],
        terms: &BTreeMap<String, Vec<String>>,
        id: &str,
        variants: &VariantTable,
    ) -> Vec<Vec<Vec<String>>> {
        let mut out = Vec::new();
        for combo in combos {
            if combo.len() < 2 {
                let span = combo.first().map(|n| n.span()).unwrap_or(0..0);
                self.err(
                    EMERGENCY,
                    span,
                    &format!("danger[{id}].combos"),
                    "a combo needs at least two word families",
                );
                continue;
            }
            let mut families = Vec::new();
            for name in combo {
                match terms.get(name.get_ref()) {
                    Some(words) => families.push(
                        words
                            .iter()
                            .map(|w| normalize::normalize(w, variants).text)
                            .filter(|w| !w.is_empty())
                            .collect(),
                    ),
                    None => self.err(
                        EMERGENCY,
                        name.span(),
                        &format!("danger[{id}].combos"),
                        format!("no word family {:?} in [terms]", name.get_ref()),
                    ),
                }
            }
            if families.len() == combo.len() {
                out.push(families);
            }
        }
        out
    }
}
