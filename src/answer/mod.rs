//! The answer engine: a resident's question becomes the window to call, its route and,
//! when the message signals danger, the crisis lines first.
//!
//! [`Answer`] is the one JSON contract shared by `tsunagu ask --json`, `GET /api/answer`
//! and every surface to come (LINE, web page, staff view): they render it, they do not
//! re-decide it. Fields may be added, never renamed or removed.

mod case;
pub mod compact;
mod compose;
mod coverage;
pub mod danger;
pub mod detector;
pub mod emergency;
pub mod lang;
pub mod lexicon;
mod rank;
mod render;
mod selfcheck;
mod signs;
pub mod spelling;
mod types;

use std::sync::Arc;


pub use case::{Case, CaseNeed};
pub use emergency::{Blocks, Emergency, Support};
pub use lexicon::Understanding;
pub use render::render_text;
pub use types::{Answer, Facets, ResultItem, SearchPage, Step};

use crate::analysis::QueryText;
use crate::content::{Catalog, City, Kind};
use crate::index::SearchIndex;
use crate::messages;
use crate::search::{self, Filters};

pub const DEFAULT_LIMIT: usize = 5;
pub use crate::content::FOREIGN_LANGUAGE_TAG;
/// The support-tier rule the learned detector's calm verdict is shown as.
pub const SUPPORT_SIGN: &str = "despair";
/// How many candidates BM25 hands to the re-ranker.
const CANDIDATES: usize = 30;

/// A message as the engine reads it, once per question (see [`Engine::read`]).
struct Reading {
    q: QueryText,
    lang: lang::Lang,
    blocks: Blocks,
    understanding: Understanding,
}

/// Catalog + index: everything needed to answer. Cheap to clone; swapped whole on reload.
#[derive(Clone)]
pub struct Engine {
    pub catalog: Arc<Catalog>,
    pub index: SearchIndex,
    /// `catalog.dangers` compiled for matching, in the same order.
    dangers: Arc<Vec<danger::Rule>>,
    lexicon: Arc<lexicon::Lexicon>,
    /// Every spelling of every rule word and lexicon trigger, scanned once per question.
    scanner: Arc<spelling::Scanner>,
    /// The learned detector, consulted when the rules find nothing (None: not shipped,
    /// or switched off to measure the rules alone).
    detector: Option<Arc<detector::Detector>>,
    /// The words of records checked by [`Engine::covers`], kept once read.
    coverage: Arc<coverage::Coverage>,
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
        let mut patterns = spelling::Patterns::default();
        let dangers = catalog
            .dangers
            .iter()
            .map(|d| danger::Rule::compile(d, a, &mut patterns))
            .collect();
        let lexicon = lexicon::Lexicon::compile(&catalog, a, &mut patterns);
        let scanner = patterns.build();
        let detector = catalog.detector.as_ref().map(|m| Arc::new(detector::Detector::new(m)));
        search::prepare(&index);
        Engine {
            detector,
            catalog,
            index,
            dangers: Arc::new(dangers),
            lexicon: Arc::new(lexicon),
            scanner: Arc::new(scanner),
            coverage: Arc::default(),
        }
    }

    /// Answers a resident's question for `city` (None: every city).
    pub fn answer(&self, query: &str, city: Option<City>, limit: usize) -> Answer {
        let Reading {
            q,
            lang,
            blocks: Blocks { emergency, support },
            understanding,
        } = self.read(query, city);
        let need = understanding.primary_need().map(str::to_string);
        let filters = Filters::for_place(city);
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
        let mut notice = self.missing_window(city, need.as_deref());
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
            support,
            results,
            suggestions,
            need,
            notice,
            lang,
            need_label,
        }
    }

    /// The note for a need whose own window no public source names in `city` (its
    /// route's `missing`): the windows shown are the city's general ones, and says so.
    pub(crate) fn missing_window(&self, city: Option<City>, need: Option<&str>) -> Option<String> {
        let route = self.catalog.route(city?, need?)?;
        route.missing.as_deref().map(messages::missing_window)
    }

    /// Reads a message once: analysed, scanned for every rule word and lexicon trigger,
    /// its language, the crisis block and the needs. Answers and case notes share it.
    fn read(&self, text: &str, city: Option<City>) -> Reading {
        let q = self.index.analyzer.query(text);
        let view = spelling::View::new(&q.normalized);
        let hits = self.scanner.scan(&view);
        let lang = lang::detect(text);
        let blocks = self.blocks(&view, &hits, city, lang);
        let mut understanding = self.lexicon.understand(&hits);
        // A recognised sign says what the case is about more surely than the lexicon
        // (「ママがごはんをくれない」 is a child at risk, not a household budget).
        let sign_need = match &blocks.emergency {
            Some(e) => e.need.clone(),
            None => blocks.support.as_ref().and_then(|s| s.need.clone()),
        };
        if let Some(n) = sign_need {
            understanding = lexicon::for_need(&self.catalog, &n).then(understanding);
        }
        Reading {
            q,
            lang,
            blocks,
            understanding,
        }
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
        let browsing = query.trim().is_empty();
        // Ranking re-orders BM25's best, so a page takes more candidates than it shows.
        let want = if browsing {
            offset + limit
        } else {
            (offset + limit).max(CANDIDATES) * 2
        };
        let found = search::browse(&self.index, &q, &understanding.expansions, filters, want)
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "search failed");
                search::Browse {
                    hits: Vec::new(),
                    total: 0,
                    facets: Vec::new(),
                }
            });
        let need = understanding.primary_need();
        let city = filters
            .cities
            .iter()
            .copied()
            .find(|c| *c != City::National);
        let ranked = if browsing {
            found.hits.into_iter().map(|h| (h.id, 0.0)).collect()
        } else {
            self.rerank(found.hits, &understanding.needs)
        };
        let mut facets = Facets::default();
        for (dim, value, n) in found.facets {
            let map = match dim.as_str() {
                "topic" => &mut facets.topic,
                "audience" => &mut facets.audience,
                "kind" => &mut facets.kind,
                "city" => &mut facets.city,
                _ => &mut facets.function,
            };
            map.insert(value, n);
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
            total: found.total,
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

    /// One record composed for residents of `city` (its route for that city), as the
    /// answer would show it; used by the relevance baseline.
    pub fn resource_in(&self, id: &str, city: Option<City>) -> Option<ResultItem> {
        let r = self.catalog.record(id)?;
        Some(self.item(r, 0.0, city, None))
    }
}
