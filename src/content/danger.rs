//! `content/emergency.toml`: danger rules, the support block, and which public guidance
//! each word family was written from.

use crate::content::model::RecordIds;
use std::collections::{BTreeMap, HashMap, HashSet};

use toml::Spanned;

use super::contact::Source;
use super::model::*;
use super::raw::*;
use super::loader::{Loader, DETECTOR, EMERGENCY};
use crate::analysis::{normalize, VariantTable};

/// What the emergency file holds once checked.
pub(super) struct Emergency {
    pub dangers: Vec<Danger>,
    pub support: SupportBlock,
}

impl Loader {
    pub(super) fn emergency(
        &mut self,
        records: &[Record],
        by_id: &RecordIds,
        variants: &VariantTable,
        needs: &HashSet<String>,
        sources: &HashMap<String, Source>,
    ) -> Option<Emergency> {
        let raw: EmergencyFile = self.read(EMERGENCY)?;
        let lines = |this: &mut Self, ids: &[Spanned<String>], key: &str| -> Vec<String> {
            ids.iter()
                .filter(|h| this.callable(records, by_id, h, key))
                .map(|h| h.get_ref().clone())
                .collect()
        };
        let support = match &raw.support {
            Some(s) => {
                let s = s.get_ref();
                SupportBlock {
                    title: s.title.get_ref().clone(),
                    title_en: s.title_en.clone(),
                    message: s.message.get_ref().clone(),
                    message_en: s.message_en.clone(),
                    hotlines: lines(self, &s.hotlines, "support.hotlines"),
                }
            }
            None => SupportBlock::default(),
        };
        let mut out = Vec::new();
        for d in &raw.danger {
            let (span, d) = (d.span(), d.get_ref());
            let id = d.id.get_ref().clone();
            let tier = match d.tier.as_ref().map(|t| t.get_ref().as_str()) {
                None | Some("emergency") => Tier::Emergency,
                Some("support") => Tier::Support,
                Some(other) => {
                    let at = d.tier.as_ref().map(|t| t.span()).unwrap_or(span.clone());
                    self.err(
                        EMERGENCY,
                        at,
                        &format!("danger[{id}].tier"),
                        format!("unknown tier {other:?}: write \"emergency\" or \"support\""),
                    );
                    Tier::Emergency
                }
            };
            if tier == Tier::Emergency && d.message.is_none() {
                self.err(
                    EMERGENCY,
                    d.id.span(),
                    &format!("danger[{id}].message"),
                    "a danger needs the message its crisis block shows",
                );
            }
            if tier == Tier::Support && raw.support.is_none() {
                self.err(
                    EMERGENCY,
                    d.id.span(),
                    &format!("danger[{id}].tier"),
                    "a support-tier rule needs a [support] block to show",
                );
            }
            let hotlines = lines(self, &d.hotlines, &format!("danger[{id}].hotlines"));
            let mut city = HashMap::new();
            for (name, ids) in &d.city {
                let Some(c) = City::parse(name) else {
                    self.err(
                        EMERGENCY,
                        d.id.span(),
                        &format!("danger[{id}].city"),
                        format!("unknown city {name:?}: no folder {name}/ with a city.toml"),
                    );
                    continue;
                };
                city.insert(c, lines(self, ids, &format!("danger[{id}].city.{name}")));
            }
            if let Some(n) = &d.need {
                if !needs.contains(n.get_ref()) {
                    self.err(
                        EMERGENCY,
                        n.span(),
                        &format!("danger[{id}].need"),
                        format!("unknown need {:?} (see taxonomy.toml)", n.get_ref()),
                    );
                }
            }
            let combos = self.danger_combos(&d.combos, &raw.terms, &id, variants);
            let norm = |s: &str| normalize::normalize(s, variants).text;
            let norms = |v: &[String]| v.iter().map(|p| norm(p)).collect::<Vec<_>>();
            out.push(Danger {
                tier,
                keywords: d.keywords.iter().map(|p| norm(p.get_ref())).collect(),
                calm_if: norms(&d.calm_if),
                not_with: norms(&d.not_with),
                combos,
                need: d.need.as_ref().map(|n| n.get_ref().clone()),
                message: d.message.as_ref().map(|m| m.get_ref().clone()).unwrap_or_default(),
                message_en: d.message_en.clone(),
                phrases: d
                    .phrases
                    .iter()
                    .map(|p| norm(p.get_ref()))
                    .filter(|p| !p.is_empty())
                    .collect(),
                unless: norms(&d.unless),
                stand_down_if: norms(&d.stand_down_if),
                hotlines,
                city,
                id,
            });
        }
        self.cites(&raw.cites, &raw.terms, &out, sources);
        Some(Emergency {
            dangers: out,
            support,
        })
    }

    /// `content/detector.toml`, when present: every label a rule, every row as long as
    /// the labels, thresholds between 0 and 1. A broken file is an error at its line;
    /// a missing one leaves the rules alone.
    pub(super) fn detector(&mut self, dangers: &[Danger]) -> Option<DetectorModel> {
        if !self.dir.join(DETECTOR).exists() {
            return None;
        }
        let m: DetectorModel = self.read(DETECTOR)?;
        let mut problems = Vec::new();
        for l in &m.labels {
            if !dangers.iter().any(|d| d.id == *l) {
                problems.push(format!("label {l:?} is no rule in emergency.toml"));
            }
        }
        if m.bias.len() != m.labels.len() {
            problems.push(format!("bias has {} values for {} labels", m.bias.len(), m.labels.len()));
        }
        if let Err((line, why)) = m.rows() {
            // Point at the line in the file: the weights start after `weights = '''`.
            let text = self.texts.get(DETECTOR).map(String::as_str).unwrap_or("");
            let start = text.find("weights = '''").map_or(0, |i| i + "weights = '''\n".len());
            let at = text[start..]
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum::<usize>()
                + start;
            self.err(DETECTOR, at..at, "weights", format!("{why}: retrain with `cargo run --release --features train --bin train-detector`"));
        }
        for (name, t) in [("emergency_at", m.emergency_at), ("support_at", m.support_at)] {
            if !(0.0..=1.0).contains(&t) {
                problems.push(format!("{name} = {t} is not a probability"));
            }
        }
        for p in &problems {
            self.err(DETECTOR, 0..0, "(model)", format!("{p}: retrain with `cargo run --release --features train --bin train-detector`"));
        }
        problems.is_empty().then_some(m)
    }

    /// A crisis or support line must be a record residents can call. A line without a
    /// verified phone is a warning, not an error: a number withdrawn for lack of proof
    /// must not stop the other crisis lines from loading. It is left out.
    fn callable(
        &mut self,
        records: &[Record],
        by_id: &RecordIds,
        rid: &Spanned<String>,
        key: &str,
    ) -> bool {
        match by_id.get(rid.get_ref()).map(|&i| &records[i]) {
            Some(r) if r.has_phone() => true,
            Some(r) if r.restricted.iter().any(|c| c.phone.is_some()) => {
                self.warn(
                    EMERGENCY,
                    rid.span(),
                    key,
                    format!(
                        "{} has only organisation-only or private numbers; it is never shown to residents, remove it from this block",
                        rid.get_ref()
                    ),
                );
                false
            }
            Some(_) => {
                self.warn(
                    EMERGENCY,
                    rid.span(),
                    key,
                    format!(
                        "{} has no verified phone; it is left out of this block (crisis lines must be callable): remove it",
                        rid.get_ref()
                    ),
                );
                false
            }
            None => {
                self.err(
                    EMERGENCY,
                    rid.span(),
                    key,
                    format!("no record has the id {}", rid.get_ref()),
                );
                false
            }
        }
    }

    /// `[cites]`: each key names a word family or a rule, each value a source in
    /// `sources.toml` whose excerpts state the warning signs the words were taken from.
    fn cites(
        &mut self,
        cites: &BTreeMap<String, Vec<Spanned<String>>>,
        terms: &BTreeMap<String, Vec<String>>,
        dangers: &[Danger],
        sources: &HashMap<String, Source>,
    ) {
        for (name, ids) in cites {
            let known = terms.contains_key(name) || dangers.iter().any(|d| d.id == *name);
            for id in ids {
                if !known {
                    self.err(
                        EMERGENCY,
                        id.span(),
                        &format!("cites.{name}"),
                        format!("no word family or rule is called {name:?}"),
                    );
                }
                match sources.get(id.get_ref()) {
                    Some(s) if s.excerpts.is_empty() => self.err(
                        EMERGENCY,
                        id.span(),
                        &format!("cites.{name}"),
                        format!("source {} has no excerpt stating the signs", id.get_ref()),
                    ),
                    Some(_) => {}
                    None => self.err(
                        EMERGENCY,
                        id.span(),
                        &format!("cites.{name}"),
                        format!("no source {} in sources.toml", id.get_ref()),
                    ),
                }
            }
        }
    }

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
