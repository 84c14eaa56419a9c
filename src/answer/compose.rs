//! Composing what residents see from the ranked records: each card with its route for
//! the resident's city and need, the general windows when nothing matched, the lines
//! for other languages, and the follow-up suggestions.

use std::collections::HashSet;

use super::{Engine, ResultItem, Step};
use crate::content::{City, Record};
use crate::messages;
use crate::search::Filters;

impl Engine {
    /// Lines that take calls in other languages (records tagged `foreign-language`),
    /// added to an English answer after its own results, within `limit`.
    /// The one that serves the question's need comes first (a crisis → the
    /// counselling line, not the human-rights one).
    pub(super) fn add_language_lines(
        &self,
        results: &mut Vec<ResultItem>,
        city: Option<City>,
        need: Option<&str>,
        limit: usize,
    ) {
        let cities = Filters::scope(city);
        let topic = need
            .and_then(|n| self.catalog.need(n))
            .map(|n| n.topic.as_str());
        let mut lines: Vec<&Record> = self
            .catalog
            .records
            .iter()
            .filter(|r| r.is_foreign_language_line())
            .filter(|r| cities.is_empty() || cities.contains(&r.city))
            .filter(|r| r.has_phone())
            .filter(|r| !results.iter().any(|x| x.id == r.id))
            .collect();
        // Stable: among equals, content order decides.
        lines.sort_by_key(|r| !topic.is_some_and(|t| r.topics.iter().any(|x| x == t)));
        lines.truncate(1);
        for r in lines {
            if results.len() >= limit.max(1) {
                results.pop();
            }
            results.push(self.item(r, 0.0, city, None));
        }
    }

    pub(super) fn general_windows(&self, city: Option<City>) -> Vec<&Record> {
        let cities: Vec<City> = match city {
            Some(c) => vec![c, City::National],
            None => self.catalog.places(),
        };
        cities
            .iter()
            .filter_map(|c| self.catalog.city(*c))
            .flat_map(|c| c.general.iter())
            .filter_map(|id| self.catalog.record(id))
            .collect()
    }

    pub(super) fn item(
        &self,
        r: &Record,
        score: f32,
        city: Option<City>,
        need: Option<&str>,
    ) -> ResultItem {
        ResultItem {
            id: r.id.clone(),
            kind: r.kind,
            title: r.title.clone(),
            summary: r.summary.clone(),
            city: r.city,
            topics: r.topics.clone(),
            audience: r.audience.clone(),
            contacts: r.contacts.clone(),
            route: self.route_for(r, city, need),
            source: r.source.clone(),
            score,
            function: r.function.clone(),
            gap: r.gap.clone(),
        }
    }

    /// The route residents of `city` take for this record: the content's route for the
    /// recognised need when the record serves it, else the route of the record's own
    /// topic, else a route made of the record itself (and its fallback).
    pub(super) fn route_for(
        &self,
        r: &Record,
        city: Option<City>,
        need: Option<&str>,
    ) -> Vec<Step> {
        let route_city = if r.city == City::National {
            city
        } else {
            Some(r.city)
        };
        let need = need
            .filter(|n| {
                self.catalog
                    .need(n)
                    .is_some_and(|n| r.topics.contains(&n.topic))
            })
            .map(str::to_string)
            .or_else(|| self.default_need(r));
        let route = route_city
            .zip(need.as_deref())
            .and_then(|(c, n)| self.catalog.route(c, n));
        let mut steps: Vec<Step> = Vec::new();
        if r.has_phone() || r.fallback.is_none() {
            steps.push(self.step(1, messages::direct_step(&r.title), Some(r)));
        } else if let Some(fb) = r.fallback.as_deref().and_then(|f| self.catalog.record(f)) {
            steps.push(self.step(1, messages::fallback_step(&r.title, &fb.title), Some(fb)));
        }
        if let Some(route) = route {
            // Step 1 already names this record (or its fallback): skip route steps that
            // would send the resident to the same place again.
            let mut covered: HashSet<String> =
                steps.iter().filter_map(|s| s.record.clone()).collect();
            covered.insert(r.id.clone());
            for s in &route.steps {
                if s.record.as_ref().is_some_and(|id| covered.contains(id)) {
                    continue;
                }
                let rec = s.record.as_deref().and_then(|id| self.catalog.record(id));
                let n = steps.len() + 1;
                steps.push(self.step(n, s.text.clone(), rec));
            }
        }
        steps
    }

    pub(super) fn default_need(&self, r: &Record) -> Option<String> {
        let topic = r.topics.first()?;
        self.catalog
            .needs
            .iter()
            .find(|n| &n.topic == topic)
            .map(|n| n.id.clone())
    }

    pub(super) fn step(&self, n: usize, text: String, rec: Option<&Record>) -> Step {
        let contacts = rec
            .map(|r| self.catalog.reachable_contacts(r))
            .unwrap_or_default();
        Step {
            step: n,
            text,
            contact: contacts.first().cloned(),
            record: rec.map(|r| r.id.clone()),
            contacts,
        }
    }

    pub(super) fn suggestions(&self, need: Option<&str>, results: &[ResultItem]) -> Vec<String> {
        let from_need = need
            .map(str::to_string)
            .or_else(|| {
                let r = self.catalog.record(&results.first()?.id)?;
                self.default_need(r)
            })
            .and_then(|n| self.catalog.need(&n))
            .map(|n| n.suggestions.clone())
            .unwrap_or_default();
        if !from_need.is_empty() {
            return from_need.into_iter().take(4).collect();
        }
        self.catalog
            .needs
            .iter()
            .take(4)
            .map(|n| n.label.clone())
            .collect()
    }
}
