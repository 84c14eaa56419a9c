//! User text → clauses → ranked record ids.
//!
//! A question's clauses are scored by tantivy once per index and remembered; answers
//! add up remembered scores (`scoring`). Staff browsing, which needs counts and facets
//! over every match, runs the clauses as one tantivy query. Queries are built in code
//! from analysed terms, never with tantivy's `QueryParser` (it turns an unspaced
//! Japanese sentence into one exact phrase and finds nothing).
//! Each query word is looked up in three views, the morphological one weighted highest:
//! morphological terms (precise), character bigrams (recall across compound splits) and
//! reading bigrams (kana input). Expansions from the lexicon weigh less than the words the
//! resident wrote. Ranking policy beyond BM25 (kinds, needs) lives in `answer`.

mod query;
mod scoring;
mod stats;

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::schema::Facet;

use crate::analysis::QueryText;
use crate::content::{City, Kind};
use crate::index::SearchIndex;
use query::build_query;
use stats::Stats;

/// Restricts results; empty lists mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub cities: Vec<City>,
    pub kinds: Vec<Kind>,
    pub topic: Option<String>,
    pub audience: Option<String>,
    pub function: Option<String>,
}

impl Filters {
    /// The cities a search for residents of `city` covers: that city plus national
    /// lines; `national` alone means national lines only; no city means everywhere.
    pub fn scope(city: Option<City>) -> Vec<City> {
        match city {
            None => Vec::new(),
            Some(City::National) => vec![City::National],
            Some(c) => vec![c, City::National],
        }
    }

    /// A resident's place and nothing else (see [`Filters::scope`]).
    pub fn for_place(city: Option<City>) -> Filters {
        Filters {
            cities: Filters::scope(city),
            ..Filters::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub score: f32,
}

/// Does now what the first question would otherwise pay for: scoring the lexicon's
/// expansions once (see [`crate::index::ScoredDocs`]).
pub fn prepare(idx: &SearchIndex) {
    query::expansion_hits(idx);
}

/// Searches `text` (plus lexicon `expansions`) under `filters`; best first.
/// An empty `text` browses: every record that passes the filters, score 0.
pub fn search(
    idx: &SearchIndex,
    q: &QueryText,
    expansions: &[String],
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Vec<Hit>> {
    let searcher = idx.reader.searcher();
    // A question with words is added up from its remembered clauses (see `scoring`).
    if let (Some(cache), false) = (&idx.clause_scores, query::browses(q, expansions)) {
        let top = scoring::top(idx, cache, &searcher, q, expansions, filters, limit)?;
        return hits_of(idx, &searcher, top, false);
    }
    let stats = Stats::new(&searcher);
    let (query, browsing) = build_query(idx, &stats, &searcher, q, expansions, filters);
    let top = if browsing {
        let top = searcher.search(&query, &in_browse_order(limit))?;
        top.into_iter().map(|(_, a)| (0.0, a)).collect()
    } else {
        searcher.search_with_statistics_provider(
            &query,
            &TopDocs::with_limit(limit.max(1)).order_by_score(),
            &stats,
        )?
    };
    hits_of(idx, &searcher, top, browsing)
}

/// With no question every match scores the same, and ties would fall in index order
/// (national lines first, as their folder sorts first). A list with no question is
/// ordered by the `browse` fast field instead: the city's own records, then national
/// lines, then national lines in other languages (`Record::browse_tier`).
fn in_browse_order(
    limit: usize,
) -> impl tantivy::collector::Collector<Fruit = Vec<(Option<u64>, tantivy::DocAddress)>> {
    TopDocs::with_limit(limit.max(1)).order_by_u64_field(crate::index::BROWSE, tantivy::Order::Asc)
}

/// What the staff view needs from one pass: the best `limit` hits, how many records
/// match in all, and the facet counts over all of them. Nothing here walks every
/// match in Rust: tantivy counts, so the cost follows the matches' postings, not the
/// catalog.
pub struct Browse {
    pub hits: Vec<Hit>,
    pub total: usize,
    /// (dimension, value) → count, for the dimensions in [`crate::index::FACETS`].
    pub facets: Vec<(String, String, usize)>,
}

pub fn browse(
    idx: &SearchIndex,
    q: &QueryText,
    expansions: &[String],
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Browse> {
    let searcher = idx.reader.searcher();
    let stats = Stats::new(&searcher);
    let (query, browsing) = build_query(idx, &stats, &searcher, q, expansions, filters);
    let mut fc = FacetCollector::for_field("facet");
    for dim in crate::index::FACETS {
        fc.add_facet(Facet::from_path([dim]));
    }
    let (top, total, counts) = if browsing {
        let (top, total, counts) = searcher.search(&query, &(in_browse_order(limit), Count, fc))?;
        (top.into_iter().map(|(_, a)| (0.0, a)).collect(), total, counts)
    } else {
        let collectors = (TopDocs::with_limit(limit.max(1)).order_by_score(), Count, fc);
        searcher.search_with_statistics_provider(&query, &collectors, &stats)?
    };
    let mut facets = Vec::new();
    for dim in crate::index::FACETS {
        for (facet, n) in counts.get(Facet::from_path([dim])) {
            if let Some(value) = facet.to_path().last() {
                facets.push((dim.to_string(), value.to_string(), n as usize));
            }
        }
    }
    Ok(Browse {
        hits: hits_of(idx, &searcher, top, browsing)?,
        total,
        facets,
    })
}

fn hits_of(
    idx: &SearchIndex,
    searcher: &tantivy::Searcher,
    top: Vec<(tantivy::Score, tantivy::DocAddress)>,
    browsing: bool,
) -> tantivy::Result<Vec<Hit>> {
    let mut hits = Vec::with_capacity(top.len());
    // Opening a fast-field column looks its name up and decodes its header: once per
    // segment, not once per hit (it was a fifth of an answer's time).
    let mut columns: Vec<Option<tantivy::columnar::Column<u64>>> = Vec::new();
    for (score, addr) in top {
        // The record's position comes from a fast field: no doc-store decompression.
        let seg = addr.segment_ord as usize;
        if columns.len() <= seg {
            columns.resize(seg + 1, None);
        }
        let column = match &columns[seg] {
            Some(c) => c,
            None => columns[seg].insert(searcher.segment_reader(addr.segment_ord).fast_fields().u64("ord")?),
        };
        let Some(ord) = column.first(addr.doc_id) else {
            continue;
        };
        if let Some(id) = idx.ids.get(ord as usize) {
            hits.push(Hit {
                id: id.clone(),
                score: if browsing { 0.0 } else { score },
            });
        }
    }
    Ok(hits)
}

/// Properties pinned on the fixture corpus (`tests/fixtures/content`):
/// kana readings, spelling variants and compound splits still find 成年後見; a full
/// sentence is not turned into one exact phrase; filters scope by city; an empty query
/// browses.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::build_in_ram;
    use std::sync::Arc;
    use crate::testutil::fixture;

    #[test]
    fn expansions_scored_once_rank_and_score_as_their_phrases() {
        let (catalog, analyzer) = fixture();
        let idx = build_in_ram(&catalog, &analyzer).unwrap();
        // The same index with nothing scored ahead: every expansion runs its phrase.
        let phrases = SearchIndex {
            expansion_hits: Arc::new(std::sync::OnceLock::from(std::collections::HashMap::new())),
            ..idx.clone()
        };
        let every: Vec<String> = catalog.concepts.iter().flat_map(|c| c.expand.clone()).collect();
        assert!(every.len() >= 3, "the fixture lexicon expands: {every:?}");
        assert!(query::expansion_hits(&idx).values().flatten().any(|d| !d.is_empty()));
        for q in ["成年後見について相談したい", "お金がなくて家賃が払えない", "せいねんこうけん", "zzzz"] {
            let text = analyzer.query(q);
            for expansions in [&every[..], &every[..1], &every[every.len() - 2..]] {
                for filters in [Filters::default(), Filters::for_place(Some(City::named("tsuruoka").unwrap()))] {
                    let run = |idx: &SearchIndex| {
                        search(idx, &text, expansions, &filters, 50)
                            .unwrap()
                            .into_iter()
                            .map(|h| (h.id, h.score.to_bits()))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(run(&idx), run(&phrases), "{q} {expansions:?}");
                }
            }
        }
    }

    #[test]
    fn leaving_absent_terms_out_changes_no_result_and_no_score() {
        let (catalog, analyzer) = fixture();
        let idx = build_in_ram(&catalog, &analyzer).unwrap();
        let searcher = idx.reader.searcher();
        let expansions = vec!["成年後見制度".to_string(), "高齢者支援センター".to_string()];
        for q in [
            "成年後見について相談したい", "お金がなくて家賃が払えない", "せいねんこうけん",
            "夫に殴られる", "親の介護と仕事の両立がつらい", "ひきこもりの息子のことで",
            "障がいのある子の将来", "zzzz", "市民後見人になりたい", "認知症の母が一人暮らし",
        ] {
            let text = analyzer.query(q);
            for filters in [Filters::default(), Filters::for_place(Some(City::named("tsuruoka").unwrap()))] {
                let run = |stats: &stats::Stats<'_>| {
                    let (query, _) = build_query(&idx, stats, &searcher, &text, &expansions, &filters);
                    let top = searcher
                        .search_with_statistics_provider(&query, &TopDocs::with_limit(50).order_by_score(), stats)
                        .unwrap();
                    top.into_iter().map(|(s, a)| (s.to_bits(), a)).collect::<Vec<_>>()
                };
                let before = run(&stats::Stats::keeping_absent(&searcher));
                assert_eq!(run(&stats::Stats::new(&searcher)), before, "{q}");
            }
        }
    }

    fn top(q: &str, filters: &Filters) -> Vec<String> {
        let (catalog, analyzer) = fixture();
        let idx = build_in_ram(&catalog, &analyzer).unwrap();
        search(&idx, &analyzer.query(q), &[], filters, 10)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn hiragana_reading_finds_seinen_kouken() {
        assert_eq!(
            top("せいねんこうけん", &Filters::default())
                .first()
                .map(String::as_str),
            Some("f-kouken")
        );
    }

    #[test]
    fn compound_split_differently_still_matches() {
        // IPADIC keeps 後見人 whole but splits 成年|後見; the bigram field bridges them.
        assert_eq!(
            top("成年後見人", &Filters::default())
                .first()
                .map(String::as_str),
            Some("f-kouken")
        );
    }

    #[test]
    fn spelling_variant_finds_the_canonical_form() {
        assert_eq!(
            top("障がい", &Filters::default())
                .first()
                .map(String::as_str),
            Some("f-shogai")
        );
    }

    #[test]
    fn a_whole_sentence_is_not_an_exact_phrase() {
        let hits = top("成年後見について相談したい", &Filters::default());
        assert_eq!(
            hits.first().map(String::as_str),
            Some("f-kouken"),
            "{hits:?}"
        );
    }

    #[test]
    fn city_filter_keeps_other_cities_out() {
        let f = Filters {
            cities: vec![City::named("tsuruoka").unwrap(), City::National],
            ..Filters::default()
        };
        let hits = top("成年後見", &f);
        assert!(!hits.is_empty());
        assert!(
            hits.iter()
                .all(|id| id.starts_with("f-tsr") || id == "f-hotline"),
            "{hits:?}"
        );
    }

    #[test]
    fn a_municipality_is_searched_alone_and_ranked_as_without_the_filter() {
        let (base, analyzer) = fixture();
        let catalog = crate::content::synth::synthesize(&base, 2000, 1);
        let idx = build_in_ram(&catalog, &analyzer).unwrap();
        let q = analyzer.query("成年後見について相談したい");
        let unfiltered = search(&idx, &q, &[], &Filters::default(), 5000).unwrap();
        let mut checked = 0;
        for town in catalog.municipalities() {
            let in_place = |id: &str| {
                let r = catalog.record(id).unwrap();
                r.city == town || r.city == City::National
            };
            let f = Filters::for_place(Some(town));
            let hits: Vec<String> = search(&idx, &q, &[], &f, 20)
                .unwrap()
                .into_iter()
                .map(|h| h.id)
                .collect();
            assert!(hits.iter().all(|id| in_place(id)), "{town}: {hits:?}");
            // The filter (and its copy inside every clause) changes who, not the order.
            let expected: Vec<&String> = unfiltered
                .iter()
                .map(|h| &h.id)
                .filter(|id| in_place(id))
                .take(20)
                .collect();
            assert_eq!(hits.iter().collect::<Vec<_>>(), expected, "{town}");
            checked += usize::from(hits.iter().any(|id| id.contains('~')));
        }
        assert!(checked >= 2, "no municipality had its own hits");
        // The real city's search no longer reaches the made-up municipalities.
        let f = Filters::for_place(Some(City::named("sagamihara").unwrap()));
        let hits = search(&idx, &q, &[], &f, 50).unwrap();
        assert!(!hits.is_empty() && hits.iter().all(|h| !h.id.contains('~')));
    }

    #[test]
    fn empty_query_browses_by_filters() {
        let f = Filters {
            kinds: vec![Kind::Hotline],
            ..Filters::default()
        };
        assert_eq!(top("", &f), vec!["f-hotline"]);
        assert_eq!(top("", &Filters::default()).len(), 8);
    }

    #[test]
    fn a_long_question_needs_more_than_one_stray_match() {
        assert_eq!(top("家族", &Filters::default()), vec!["f-shogai"]);
        assert!(top(
            "昨日は友達と映画を見て家族と食事をした",
            &Filters::default()
        )
        .is_empty());
    }

    #[test]
    fn unrelated_words_find_nothing() {
        assert!(top("ラーメン", &Filters::default()).is_empty());
    }
}
