//! User text → tantivy query → ranked record ids.
//!
//! Queries are built in code from analysed terms, never with tantivy's `QueryParser`
//! (it turns an unspaced Japanese sentence into one exact phrase and finds nothing).
//! Each query word is looked up in three views, the morphological one weighted highest:
//! morphological terms (precise), character bigrams (recall across compound splits) and
//! reading bigrams (kana input). Expansions from the lexicon weigh less than the words the
//! resident wrote. Ranking policy beyond BM25 (kinds, needs) lives in `answer`.

use std::collections::BTreeSet;

use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DisjunctionMaxQuery, Occur, PhraseQuery, Query,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::analysis::{has_content_char, to_katakana};
use crate::content::{City, Kind};
use crate::index::SearchIndex;

/// Restricts results; empty lists mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub cities: Vec<City>,
    pub kinds: Vec<Kind>,
    pub topic: Option<String>,
    pub audience: Option<String>,
    pub function: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub score: f32,
}

/// Weights of the query parts, relative to a literal morphological term (1.0).
const W_BIGRAM: f32 = 0.35;
const W_READING: f32 = 0.8;
const W_EXPANSION: f32 = 0.5;

fn term_q(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs);
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// Best field wins, so a word in the title and the body does not count twice.
fn dismax(parts: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(DisjunctionMaxQuery::with_tie_breaker(parts, 0.2))
}

fn morph_clause(idx: &SearchIndex, term: &str, weight: f32) -> Box<dyn Query> {
    let f = &idx.fields;
    let q = dismax(vec![
        term_q(f.title_m, term, 3.0),
        term_q(f.keywords_m, term, 2.5),
        term_q(f.body_m, term, 1.0),
    ]);
    Box::new(BoostQuery::new(q, weight))
}

fn bigram_clause(idx: &SearchIndex, gram: &str, weight: f32) -> Box<dyn Query> {
    let f = &idx.fields;
    let q = dismax(vec![
        term_q(f.title_b, gram, 1.5),
        term_q(f.keywords_b, gram, 1.2),
        term_q(f.body_b, gram, 0.6),
    ]);
    Box::new(BoostQuery::new(q, weight))
}

/// A contiguous run of bigrams: a substring match on one field.
fn gram_phrase(field: Field, grams: &[String], weight: f32) -> Option<Box<dyn Query>> {
    let q: Box<dyn Query> = match grams {
        [] => return None,
        [one] => Box::new(TermQuery::new(Term::from_field_text(field, one), IndexRecordOption::WithFreqs)),
        many => Box::new(PhraseQuery::new(many.iter().map(|g| Term::from_field_text(field, g)).collect())),
    };
    Some(Box::new(BoostQuery::new(q, weight)))
}

/// Kana runs of three or more characters, read as katakana bigrams, for the reading field.
fn kana_runs(normalized: &str) -> Vec<Vec<String>> {
    let mut runs = Vec::new();
    let mut cur: Vec<char> = Vec::new();
    let flush = |cur: &mut Vec<char>, runs: &mut Vec<Vec<String>>| {
        if cur.len() >= 3 {
            let k: Vec<char> = to_katakana(&cur.iter().collect::<String>()).chars().collect();
            runs.push(k.windows(2).map(|w| w.iter().collect()).collect());
        }
        cur.clear();
    };
    for c in normalized.chars() {
        if matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー') {
            cur.push(c);
        } else {
            flush(&mut cur, &mut runs);
        }
    }
    flush(&mut cur, &mut runs);
    runs
}

/// The scoring part of a query: literal words, bigrams, readings and expansions.
fn text_query(idx: &SearchIndex, text: &str, expansions: &[String]) -> Vec<(Occur, Box<dyn Query>)> {
    let a = &idx.analyzer;
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let morph: BTreeSet<String> = a.morph_terms(text).into_iter().map(|t| t.text).collect();
    for t in &morph {
        clauses.push((Occur::Should, morph_clause(idx, t, 1.0)));
    }
    let grams: Vec<String> = a.bigrams(text).into_iter().map(|t| t.text).collect();
    let any_content = grams.iter().any(|g| has_content_char(g));
    let grams: BTreeSet<String> =
        grams.into_iter().filter(|g| !any_content || has_content_char(g)).collect();
    for g in &grams {
        clauses.push((Occur::Should, bigram_clause(idx, g, W_BIGRAM)));
    }
    let normalized = a.normalize(text).text;
    for run in kana_runs(&normalized) {
        if let Some(q) = gram_phrase(idx.fields.reading, &run, W_READING) {
            clauses.push((Occur::Should, q));
        }
    }
    let mut seen = morph;
    for e in expansions {
        for t in a.morph_terms(e) {
            if seen.insert(t.text.clone()) {
                clauses.push((Occur::Should, morph_clause(idx, &t.text, W_EXPANSION)));
            }
        }
        let eg: Vec<String> = a.bigrams(e).into_iter().map(|t| t.text).collect();
        if let Some(q) = gram_phrase(idx.fields.keywords_b, &eg, W_EXPANSION) {
            clauses.push((Occur::Should, q));
        }
    }
    clauses
}

fn any_of(field: Field, values: impl IntoIterator<Item = String>) -> Option<Box<dyn Query>> {
    let qs: Vec<(Occur, Box<dyn Query>)> = values
        .into_iter()
        .map(|v| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, &v),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    (!qs.is_empty()).then(|| Box::new(BooleanQuery::new(qs)) as Box<dyn Query>)
}

fn filter_clauses(idx: &SearchIndex, filters: &Filters) -> Vec<(Occur, Box<dyn Query>)> {
    let f = &idx.fields;
    [
        any_of(f.city, filters.cities.iter().map(|c| c.as_str().to_string())),
        any_of(f.kind, filters.kinds.iter().map(|k| k.as_str().to_string())),
        any_of(f.topic, filters.topic.clone()),
        any_of(f.audience, filters.audience.clone()),
        any_of(f.function, filters.function.clone()),
    ]
    .into_iter()
    .flatten()
    .map(|q| (Occur::Must, q))
    .collect()
}

/// Searches `text` (plus lexicon `expansions`) under `filters`; best first.
/// An empty `text` browses: every record that passes the filters, score 0.
pub fn search(
    idx: &SearchIndex,
    text: &str,
    expansions: &[String],
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Vec<Hit>> {
    let scoring = text_query(idx, text, expansions);
    let browsing = scoring.is_empty();
    let mut clauses = filter_clauses(idx, filters);
    if browsing {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    } else {
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(scoring))));
    }
    let query = BooleanQuery::new(clauses);
    let searcher = idx.reader.searcher();
    let top = searcher.search(&query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
    let mut hits = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if let Some(id) = doc.get_first(idx.fields.id).and_then(|v| v.as_str()) {
            hits.push(Hit { id: id.to_string(), score: if browsing { 0.0 } else { score } });
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
    use crate::testutil::fixture;

    fn top(q: &str, filters: &Filters) -> Vec<String> {
        let (catalog, analyzer) = fixture();
        let idx = build_in_ram(&catalog, &analyzer).unwrap();
        search(&idx, q, &[], filters, 10).unwrap().into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn hiragana_reading_finds_seinen_kouken() {
        assert_eq!(top("せいねんこうけん", &Filters::default()).first().map(String::as_str), Some("f-kouken"));
    }

    #[test]
    fn compound_split_differently_still_matches() {
        // IPADIC keeps 後見人 whole but splits 成年|後見; the bigram field bridges them.
        assert_eq!(top("成年後見人", &Filters::default()).first().map(String::as_str), Some("f-kouken"));
    }

    #[test]
    fn spelling_variant_finds_the_canonical_form() {
        assert_eq!(top("障がい", &Filters::default()).first().map(String::as_str), Some("f-shogai"));
    }

    #[test]
    fn a_whole_sentence_is_not_an_exact_phrase() {
        let hits = top("成年後見について相談したい", &Filters::default());
        assert_eq!(hits.first().map(String::as_str), Some("f-kouken"), "{hits:?}");
    }

    #[test]
    fn city_filter_keeps_other_cities_out() {
        let f = Filters { cities: vec![City::Tsuruoka, City::National], ..Filters::default() };
        let hits = top("成年後見", &f);
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|id| id.starts_with("f-tsr") || id == "f-hotline"), "{hits:?}");
    }

    #[test]
    fn empty_query_browses_by_filters() {
        let f = Filters { kinds: vec![Kind::Hotline], ..Filters::default() };
        assert_eq!(top("", &f), vec!["f-hotline"]);
        assert_eq!(top("", &Filters::default()).len(), 8);
    }

    #[test]
    fn unrelated_words_find_nothing() {
        assert!(top("ラーメン", &Filters::default()).is_empty());
    }
}
