//! Routes, lexicon and the plan coverage manifest: files that point at records
//! (the emergency rules are in `danger.rs`).

use crate::content::model::RecordIds;
use std::collections::{HashMap, HashSet};

use toml::Spanned;

use super::contact::*;
use super::model::*;
use super::raw::*;
use super::loader::{Loader, COVERAGE, LEXICON};
use super::validate::Taxonomy;
use crate::analysis::{normalize, VariantTable};

impl Loader {
    pub(super) fn routes(
        &mut self,
        raw: Vec<(String, City, Spanned<RawRoute>)>,
        records: &[Record],
        by_id: &RecordIds,
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
                missing: r.missing,
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

    pub(super) fn coverage(&mut self, by_id: &RecordIds) -> Option<Vec<CoverageItem>> {
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
