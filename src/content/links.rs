//! Routes, lexicon, emergency rules and the plan coverage manifest: files that point at
//! records.

use std::collections::{HashMap, HashSet};

use toml::Spanned;

use super::contact::*;
use super::model::*;
use super::raw::*;
use super::validate::Loader;
use super::validate::{Taxonomy, COVERAGE, EMERGENCY, LEXICON};
use crate::analysis::{normalize, VariantTable};

impl Loader {
    pub(super) fn routes(
        &mut self,
        raw: Vec<(String, City, Spanned<RawRoute>)>,
        records: &[Record],
        by_id: &HashMap<String, usize>,
        tax: &Taxonomy,
        sources: &HashMap<String, Source>,
    ) -> Vec<Route> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for (file, city, route) in raw {
            let span = route.span();
            let r = route.into_inner();
            let id = r.id.get_ref().clone();
            if !seen.insert(id.clone()) {
                self.err(
                    &file,
                    r.id.span(),
                    "route.id",
                    format!("duplicate route id {id}"),
                );
            }
            if !tax.needs.iter().any(|n| n.id == *r.need.get_ref()) {
                self.err(
                    &file,
                    r.need.span(),
                    &format!("route[{id}].need"),
                    format!("unknown need {:?} (see taxonomy.toml)", r.need.get_ref()),
                );
            }
            if !(2..=4).contains(&r.step.len()) {
                self.err(
                    &file,
                    span,
                    &format!("route[{id}].step"),
                    format!("a route has 2 to 4 steps, this one has {}", r.step.len()),
                );
            }
            let mut steps = Vec::new();
            for s in r.step {
                let sspan = s.span();
                let s = s.into_inner();
                if s.record.is_none() && s.source.is_none() && !s.advice {
                    self.err(
                        &file,
                        sspan,
                        &format!("route[{id}].step"),
                        "a step that names no window states a fact: cite `source = \"<id>\"` or mark general advice with `advice = true`",
                    );
                }
                if let Some(src) = &s.source {
                    if !sources.contains_key(src.get_ref()) {
                        self.err(
                            &file,
                            src.span(),
                            &format!("route[{id}].step.source"),
                            format!("unknown source {:?} (not in sources.toml)", src.get_ref()),
                        );
                    }
                }
                if let Some(rec) = &s.record {
                    match by_id.get(rec.get_ref()).map(|&i| &records[i]) {
                        Some(t) if t.city != city && t.city != City::National => self.err(
                            &file,
                            rec.span(),
                            &format!("route[{id}].step.record"),
                            format!("{} belongs to another city", rec.get_ref()),
                        ),
                        Some(_) => {}
                        None => self.err(
                            &file,
                            rec.span(),
                            &format!("route[{id}].step.record"),
                            format!("no record has the id {}", rec.get_ref()),
                        ),
                    }
                }
                steps.push(RouteStep {
                    text: s.text.into_inner(),
                    record: s.record.map(Spanned::into_inner),
                    source: s.source.map(Spanned::into_inner),
                    advice: s.advice,
                });
            }
            out.push(Route {
                id,
                city,
                need: r.need.into_inner(),
                title: r.title.into_inner(),
                steps,
            });
        }
        out
    }

    pub(super) fn lexicon(
        &mut self,
        tax: &Taxonomy,
        variants: &VariantTable,
    ) -> Option<Vec<Concept>> {
        let raw: LexiconFile = self.read(LEXICON)?;
        let mut out = Vec::new();
        for c in raw.concept {
            let c = c.into_inner();
            if !tax.needs.iter().any(|n| n.id == *c.need.get_ref()) {
                self.err(
                    LEXICON,
                    c.need.span(),
                    "concept.need",
                    format!("unknown need {:?} (see taxonomy.toml)", c.need.get_ref()),
                );
            }
            let mut triggers = Vec::new();
            for t in &c.triggers {
                let n = normalize::normalize(t.get_ref(), variants).text;
                if n.trim().is_empty() {
                    self.err(
                        LEXICON,
                        t.span(),
                        "concept.triggers",
                        "an empty trigger would match every question",
                    );
                } else {
                    triggers.push(n);
                }
            }
            out.push(Concept {
                need: c.need.into_inner(),
                triggers,
                expand: c.expand,
                fallback: c.fallback,
            });
        }
        Some(out)
    }

    pub(super) fn emergency(
        &mut self,
        records: &[Record],
        by_id: &HashMap<String, usize>,
        variants: &VariantTable,
        needs: &HashSet<String>,
    ) -> Option<Vec<Danger>> {
        let raw: EmergencyFile = self.read(EMERGENCY)?;
        let mut out = Vec::new();
        for d in raw.danger {
            let d = d.into_inner();
            let id = d.id.get_ref().clone();
            let check = |this: &mut Self, rid: &Spanned<String>, key: &str| match by_id
                .get(rid.get_ref())
                .map(|&i| &records[i])
            {
                Some(r) if r.has_phone() => true,
                Some(r) if r.restricted.iter().any(|c| c.phone.is_some()) => {
                    this.warn(
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
                    // A warning, not an error: a number withdrawn for lack of proof must
                    // not stop the other crisis lines from loading. It is left out.
                    this.warn(
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
                    this.err(
                        EMERGENCY,
                        rid.span(),
                        key,
                        format!("no record has the id {}", rid.get_ref()),
                    );
                    false
                }
            };
            let mut hotlines = Vec::new();
            for h in &d.hotlines {
                if check(self, h, &format!("danger[{id}].hotlines")) {
                    hotlines.push(h.get_ref().clone());
                }
            }
            let mut city = HashMap::new();
            for (name, ids) in &d.city {
                let Some(c) = City::parse(name) else {
                    self.err(
                        EMERGENCY,
                        d.id.span(),
                        &format!("danger[{id}].city"),
                        format!("unknown city {name:?}"),
                    );
                    continue;
                };
                let ok: Vec<String> = ids
                    .iter()
                    .filter(|h| check(self, h, &format!("danger[{id}].city.{name}")))
                    .map(|h| h.get_ref().clone())
                    .collect();
                city.insert(c, ok);
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
            out.push(Danger {
                keywords: d.keywords.iter().map(|p| norm(p.get_ref())).collect(),
                calm_if: d.calm_if.iter().map(|p| norm(p)).collect(),
                not_with: d.not_with.iter().map(|p| norm(p)).collect(),
                combos,
                need: d.need.as_ref().map(|n| n.get_ref().clone()),
                id,
                message: d.message.into_inner(),
                message_en: d.message_en,
                phrases: d
                    .phrases
                    .iter()
                    .map(|p| norm(p.get_ref()))
                    .filter(|p| !p.is_empty())
                    .collect(),
                unless: d.unless.iter().map(|p| norm(p)).collect(),
                hotlines,
                city,
            });
        }
        Some(out)
    }

    pub(super) fn coverage(&mut self, by_id: &HashMap<String, usize>) -> Option<Vec<CoverageItem>> {
        if !self.dir.join(COVERAGE).exists() {
            return Some(Vec::new());
        }
        let raw: CoverageFile = self.read(COVERAGE)?;
        let mut out = Vec::new();
        for item in raw.item {
            let item = item.into_inner();
            for r in &item.records {
                if !by_id.contains_key(r.get_ref()) {
                    self.err(
                        COVERAGE,
                        r.span(),
                        "item.records",
                        format!("no record has the id {}", r.get_ref()),
                    );
                }
            }
            if item.records.is_empty() {
                self.err(
                    COVERAGE,
                    item.text.span(),
                    "item.records",
                    format!("{:?} is covered by no record", item.text.get_ref()),
                );
            }
            out.push(CoverageItem {
                plan: item.plan.into_inner(),
                text: item.text.into_inner(),
                records: item.records.into_iter().map(Spanned::into_inner).collect(),
            });
        }
        Some(out)
    }
}
