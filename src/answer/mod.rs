//! The answer engine: a resident's question becomes the window to call, its route and,
//! when the message signals danger, the crisis lines first.
//!
//! [`Answer`] is the one JSON contract shared by `tsunagu ask --json`, `GET /api/answer`
//! and every surface to come (LINE, web page, staff view): they render it, they do not
//! re-decide it. Fields may be added, never renamed or removed.

pub mod danger;
pub mod emergency;
pub mod lang;
pub mod lexicon;
mod render;
pub mod spelling;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

pub use emergency::Emergency;
pub use lexicon::Understanding;
pub use render::render_text;

use crate::analysis::QueryText;
use crate::content::{Catalog, City, Contact, Kind, Record, Source};
use crate::index::SearchIndex;
use crate::messages;
use crate::search::{self, Filters, Hit};

pub const DEFAULT_LIMIT: usize = 5;
/// The keyword that marks a record as a line taking calls in other languages.
pub const FOREIGN_LANGUAGE_TAG: &str = "foreign-language";
/// How many candidates BM25 hands to the re-ranker.
const CANDIDATES: usize = 30;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub step: usize,
    pub text: String,
    pub contact: Option<Arc<Contact>>,
    /// The record this step points at (added field).
    pub record: Option<String>,
    /// Every callable contact of that record when there are several, e.g. one per ward
    /// (added field; omitted when `contact` says it all).
    #[serde(skip_serializing_if = "one_or_none")]
    pub contacts: Vec<Arc<Contact>>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResultItem {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub summary: String,
    pub city: City,
    pub topics: Vec<String>,
    pub audience: Vec<String>,
    pub contacts: Vec<Arc<Contact>>,
    pub route: Vec<Step>,
    pub source: Source,
    pub score: f32,
    /// 重層的支援 function (added field).
    pub function: Option<String>,
    /// Why this record has no phone of its own (added field).
    pub gap: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Answer {
    pub query: String,
    pub city: Option<City>,
    pub emergency: Option<Emergency>,
    pub results: Vec<ResultItem>,
    pub suggestions: Vec<String>,
    /// The need recognised in the question, e.g. "kouken" (added field).
    pub need: Option<String>,
    /// A note for the resident, e.g. when only the general windows matched (added field).
    pub notice: Option<String>,
    /// The language the question was asked in, "ja" or "en" (added field).
    pub lang: lang::Lang,
    /// The recognised need in one line, in the question's language (added field).
    pub need_label: Option<String>,
}

/// Staff browsing: a page of results with facet counts over all matches.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchPage {
    pub query: String,
    pub total: usize,
    pub offset: usize,
    pub results: Vec<ResultItem>,
    pub facets: Facets,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Facets {
    pub topic: BTreeMap<String, usize>,
    pub audience: BTreeMap<String, usize>,
    pub kind: BTreeMap<String, usize>,
    pub city: BTreeMap<String, usize>,
    pub function: BTreeMap<String, usize>,
}

fn one_or_none(v: &[Arc<Contact>]) -> bool {
    v.len() <= 1
}

/// What a record says, analysed once at load for the relevance gate.
struct RecordText {
    terms: HashSet<String>,
    text: String,
    reading: String,
}

/// Catalog + index: everything needed to answer. Cheap to clone; swapped whole on reload.
#[derive(Clone)]
pub struct Engine {
    pub catalog: Arc<Catalog>,
    pub index: SearchIndex,
    texts: Arc<std::collections::HashMap<String, RecordText>>,
    /// `catalog.dangers` compiled for matching, in the same order.
    dangers: Arc<Vec<danger::Rule>>,
    lexicon: Arc<lexicon::Lexicon>,
    /// Every spelling of every rule word and lexicon trigger, scanned once per question.
    scanner: Arc<spelling::Scanner>,
}

fn kind_weight(kind: Kind) -> f32 {
    match kind {
        Kind::Window => 1.25,
        Kind::Service => 1.1,
        Kind::Activity => 0.9,
        Kind::Hotline => 0.8,
        Kind::Plan => 0.5,
    }
}

impl Engine {
    pub fn new(catalog: Arc<Catalog>, index: SearchIndex) -> Self {
        let a = &index.analyzer;
        let texts = catalog
            .records
            .iter()
            .map(|r| {
                let raw = format!(
                    "{} {} {} {}",
                    r.title,
                    r.summary,
                    r.keywords.join(" "),
                    r.topics.join(" ")
                );
                let text = a.normalize(&raw).text;
                let terms = a.morph_terms(&raw).into_iter().map(|t| t.text).collect();
                (
                    r.id.clone(),
                    RecordText {
                        terms,
                        reading: a.reading(&raw),
                        text,
                    },
                )
            })
            .collect();
        let mut patterns = spelling::Patterns::default();
        let dangers = catalog
            .dangers
            .iter()
            .map(|d| danger::Rule::compile(d, a, &mut patterns))
            .collect();
        let lexicon = lexicon::Lexicon::compile(&catalog, a, &mut patterns);
        let scanner = patterns.build();
        Engine {
            catalog,
            index,
            texts: Arc::new(texts),
            dangers: Arc::new(dangers),
            lexicon: Arc::new(lexicon),
            scanner: Arc::new(scanner),
        }
    }

    /// Answers a resident's question for `city` (None: every city).
    pub fn answer(&self, query: &str, city: Option<City>, limit: usize) -> Answer {
        // Analysed once; crisis rules, lexicon, search and the relevance gate share it.
        let q = self.index.analyzer.query(query);
        let view = spelling::View::new(&q.normalized);
        let hits = self.scanner.scan(&view);
        let lang = lang::detect(query);
        let emergency = emergency::detect(
            &self.catalog,
            &self.dangers,
            &view,
            &hits,
            &self.scanner,
            city,
            lang,
        );
        let mut understanding = self.lexicon.understand(&hits);
        // A recognised danger says what the case is about more surely than the lexicon
        // (「ママがごはんをくれない」 is a child at risk, not a household budget).
        if let Some(n) = emergency.as_ref().and_then(|e| e.need.clone()) {
            understanding = lexicon::for_need(&self.catalog, &n).then(understanding);
        }
        let need = understanding.primary_need().map(str::to_string);
        let filters = Filters {
            cities: scope(city),
            ..Filters::default()
        };
        let hits = search::search(
            &self.index,
            &q,
            &understanding.expansions,
            &filters,
            CANDIDATES,
        )
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "search failed; answering with the general windows");
            Vec::new()
        });
        let mut ranked = self.rerank(hits, &understanding.needs);
        self.keep_first_stop_in_view(&mut ranked, city, need.as_deref());
        if need.is_none() && ranked.first().is_some_and(|(id, _)| !self.covers(id, &q)) {
            ranked.clear(); // a stray word matched; better the general windows than noise
        }
        let mut notice = None;
        let results: Vec<ResultItem> = if ranked.is_empty() {
            notice = Some(messages::NO_MATCH.to_string());
            self.general_windows(city)
                .into_iter()
                .take(limit)
                .map(|r| self.item(r, 0.0, city, None))
                .collect()
        } else {
            ranked
                .into_iter()
                .take(limit)
                .filter_map(|(id, s)| {
                    self.catalog
                        .record(&id)
                        .map(|r| self.item(r, s, city, need.as_deref()))
                })
                .collect()
        };
        let mut results = results;
        if lang == lang::Lang::En {
            self.add_language_lines(&mut results, city, need.as_deref(), limit);
        }
        let suggestions = self.suggestions(need.as_deref(), &results);
        let need_label =
            need.as_deref()
                .and_then(|n| self.catalog.need(n))
                .map(|n| match (lang, &n.label_en) {
                    (lang::Lang::En, Some(en)) => en.clone(),
                    _ => n.label.clone(),
                });
        Answer {
            query: query.to_string(),
            city,
            emergency,
            results,
            suggestions,
            need,
            notice,
            lang,
            need_label,
        }
    }

    /// The crisis block for an already normalised message, if it signals danger.
    pub fn emergency(&self, normalized: &str, city: Option<City>) -> Option<Emergency> {
        let view = spelling::View::new(normalized);
        let hits = self.scanner.scan(&view);
        let lang = lang::detect(normalized);
        emergency::detect(
            &self.catalog,
            &self.dangers,
            &view,
            &hits,
            &self.scanner,
            city,
            lang,
        )
    }

    /// What the lexicon understands of an already normalised message.
    pub fn understand(&self, normalized: &str) -> Understanding {
        let hits = self.scanner.scan(&spelling::View::new(normalized));
        self.lexicon.understand(&hits)
    }

    /// Staff search: filters, paging and facet counts over every match.
    pub fn browse(
        &self,
        query: &str,
        filters: &Filters,
        limit: usize,
        offset: usize,
    ) -> SearchPage {
        let q = self.index.analyzer.query(query);
        let understanding = self.understand(&q.normalized);
        let all = search::search(
            &self.index,
            &q,
            &understanding.expansions,
            filters,
            self.catalog.records.len(),
        )
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "search failed");
            Vec::new()
        });
        let need = understanding.primary_need();
        let city = filters
            .cities
            .iter()
            .copied()
            .find(|c| *c != City::National);
        let ranked = if query.trim().is_empty() {
            let mut v: Vec<(String, f32)> = all.into_iter().map(|h| (h.id, 0.0)).collect();
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v
        } else {
            self.rerank(all, &understanding.needs)
        };
        let mut facets = Facets::default();
        for (id, _) in &ranked {
            let Some(r) = self.catalog.record(id) else {
                continue;
            };
            for t in &r.topics {
                *facets.topic.entry(t.clone()).or_default() += 1;
            }
            for a in &r.audience {
                *facets.audience.entry(a.clone()).or_default() += 1;
            }
            *facets.kind.entry(r.kind.as_str().into()).or_default() += 1;
            *facets.city.entry(r.city.as_str().into()).or_default() += 1;
            if let Some(f) = &r.function {
                *facets.function.entry(f.clone()).or_default() += 1;
            }
        }
        let results = ranked
            .iter()
            .skip(offset)
            .take(limit)
            .filter_map(|(id, s)| {
                self.catalog
                    .record(id)
                    .map(|r| self.item(r, *s, city, need))
            })
            .collect();
        SearchPage {
            query: query.to_string(),
            total: ranked.len(),
            offset,
            results,
            facets,
        }
    }

    /// One record with everything, for `/api/resources/{id}`.
    pub fn resource(&self, id: &str) -> Option<ResultItem> {
        let r = self.catalog.record(id)?;
        Some(self.item(r, 0.0, None, None))
    }

    /// Whether a record mentions at least half of the question's content words. Used
    /// only when the lexicon recognised no need: 「明日の天気」 must not answer with a
    /// group whose name contains 明日.
    fn covers(&self, id: &str, q: &QueryText) -> bool {
        let Some(rt) = self.texts.get(id) else {
            return false;
        };
        let terms: HashSet<&String> = q.morph.iter().filter(|t| t.chars().count() >= 2).collect();
        if terms.is_empty() {
            return true;
        }
        let hit = terms
            .iter()
            .filter(|t| rt.terms.contains(**t) || rt.text.contains(t.as_str()))
            .count();
        if hit * 2 >= terms.len() {
            return true;
        }
        // Kana input (「せいねんこうけん」) analyses into junk words; compare readings instead.
        let kana: String = q
            .normalized
            .chars()
            .filter(|c| matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー'))
            .collect();
        kana.chars().count() >= 3 && rt.reading.contains(&crate::analysis::to_katakana(&kana))
    }

    /// One record composed for residents of `city` (its route for that city), as the
    /// answer would show it; used by the relevance baseline.
    pub fn resource_in(&self, id: &str, city: Option<City>) -> Option<ResultItem> {
        let r = self.catalog.record(id)?;
        Some(self.item(r, 0.0, city, None))
    }

    /// BM25 × kind × need match. Windows first when scores are close: residents want
    /// somewhere to call, not the plan's prose.
    /// The recognised needs boost records on their topics: the main need most, the
    /// second (「生活保護…介護保険」) somewhat, so both kinds of window appear.
    fn rerank(&self, hits: Vec<Hit>, needs: &[String]) -> Vec<(String, f32)> {
        let topic_of = |i: usize| {
            needs
                .get(i)
                .and_then(|n| self.catalog.need(n))
                .map(|n| n.topic.as_str())
        };
        let (first, second) = (topic_of(0), topic_of(1).filter(|t| Some(*t) != topic_of(0)));
        let mut scored: Vec<(String, f32)> = hits
            .into_iter()
            .filter_map(|h| {
                let r = self.catalog.record(&h.id)?;
                let mut s = h.score * kind_weight(r.kind);
                let serves = |t: Option<&str>| t.is_some_and(|t| r.topics.iter().any(|rt| rt == t));
                if serves(first) {
                    s *= 1.8;
                } else if serves(second) {
                    s *= 1.4;
                }
                if !r.has_phone() {
                    s *= 0.7;
                }
                Some((h.id, s))
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.one_per_family(scored)
    }

    /// The record the content's route for `need` in `city` starts at.
    fn first_stop(&self, city: Option<City>, need: Option<&str>) -> Option<String> {
        let route = self.catalog.route(city?, need?)?;
        route.steps.first()?.record.clone()
    }

    /// When a need is recognised, the window its route starts at is among the first
    /// three cards even if the question's words did not name it (「成年後見」 does not
    /// mention 区の高齢者相談課, yet that is where the plan sends the case first).
    fn keep_first_stop_in_view(
        &self,
        ranked: &mut Vec<(String, f32)>,
        city: Option<City>,
        need: Option<&str>,
    ) {
        let Some(stop) = self.first_stop(city, need) else {
            return;
        };
        if ranked.is_empty() || ranked.iter().take(3).any(|(id, _)| *id == stop) {
            return;
        }
        ranked.retain(|(id, _)| *id != stop);
        let score = ranked[0].1;
        ranked.insert(1.min(ranked.len()), (stop, score));
    }

    /// Keeps the best record of each `group` (one window in several wards) at its
    /// place and moves its siblings after the others, so three wards of one window do
    /// not push every other kind of help out of the top three.
    fn one_per_family(&self, scored: Vec<(String, f32)>) -> Vec<(String, f32)> {
        let family = |id: &str| {
            self.catalog
                .record(id)
                .and_then(|r| r.group.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let mut seen = HashSet::new();
        let (mut first, mut later) = (Vec::new(), Vec::new());
        for item in scored {
            if seen.insert(family(&item.0)) {
                first.push(item);
            } else {
                later.push(item);
            }
        }
        first.extend(later);
        first
    }

    /// Lines that take calls in other languages (records tagged `foreign-language`),
    /// added to an English answer after its own results, within `limit`.
    /// The one that serves the question's need comes first (a crisis → the
    /// counselling line, not the human-rights one).
    fn add_language_lines(
        &self,
        results: &mut Vec<ResultItem>,
        city: Option<City>,
        need: Option<&str>,
        limit: usize,
    ) {
        let cities = scope(city);
        let topic = need
            .and_then(|n| self.catalog.need(n))
            .map(|n| n.topic.as_str());
        let mut lines: Vec<&Record> = self
            .catalog
            .records
            .iter()
            .filter(|r| r.keywords.iter().any(|k| k == FOREIGN_LANGUAGE_TAG))
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

    fn general_windows(&self, city: Option<City>) -> Vec<&Record> {
        let cities: Vec<City> = match city {
            Some(c) => vec![c, City::National],
            None => City::ALL.to_vec(),
        };
        cities
            .iter()
            .filter_map(|c| self.catalog.city(*c))
            .flat_map(|c| c.general.iter())
            .filter_map(|id| self.catalog.record(id))
            .collect()
    }

    fn item(&self, r: &Record, score: f32, city: Option<City>, need: Option<&str>) -> ResultItem {
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
    fn route_for(&self, r: &Record, city: Option<City>, need: Option<&str>) -> Vec<Step> {
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

    fn default_need(&self, r: &Record) -> Option<String> {
        let topic = r.topics.first()?;
        self.catalog
            .needs
            .iter()
            .find(|n| &n.topic == topic)
            .map(|n| n.id.clone())
    }

    fn step(&self, n: usize, text: String, rec: Option<&Record>) -> Step {
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

    fn suggestions(&self, need: Option<&str>, results: &[ResultItem]) -> Vec<String> {
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

/// The chosen city plus national lines; `national` alone means national lines only;
/// no city means everywhere.
fn scope(city: Option<City>) -> Vec<City> {
    match city {
        None => Vec::new(),
        Some(City::National) => vec![City::National],
        Some(c) => vec![c, City::National],
    }
}
