//! Building the tantivy query from an analysed question and the filters: which
//! fields each word, bigram, reading and expansion is looked up in and how much each
//! weighs, how filters select, and where the place filter goes so a municipality's
//! search costs what its own records cost.

use std::collections::{BTreeSet, HashMap};

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::stats::Stats;
use super::Filters;
use crate::analysis::{has_content_char, to_katakana, QueryText};
use crate::content::City;
use crate::index::{ClauseKey, ClauseKind, ScoredDocs, SearchIndex};

/// Boolean clauses of a query under construction.
pub(super) type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// Weights of the query parts, relative to a literal morphological term (1.0).
const W_BIGRAM: f32 = 0.35;
const W_READING: f32 = 0.8;
const W_EXPANSION: f32 = 0.5;

/// Joins a run's grams in its key (no gram holds a control character).
const GRAM_SEP: char = '\u{1f}';

/// One scoring part of a question before it is a query: a term in one field, weighted;
/// a contiguous run of bigrams in one field, a substring match; or a lexicon expansion
/// whose phrase was scored once per index ([`ClauseKind`]). The tantivy path
/// turns each into a query ([`Clause::query`]); the remembered path looks its matches
/// up by its key (see `super::scoring`), which is all the clause is, so a question
/// builds each clause's text once.
pub(super) struct Clause {
    pub(super) key: ClauseKey,
    scored: Option<ScoredDocs>,
}

impl Clause {
    fn term(field: Field, text: String, boost: f32) -> Clause {
        Clause::of(ClauseKind::Term, field, boost, text)
    }

    fn run(field: Field, grams: &[String], boost: f32) -> Clause {
        Clause::of(ClauseKind::Run, field, boost, grams.join(&GRAM_SEP.to_string()))
    }

    fn expansion(expansion: &str, docs: ScoredDocs) -> Clause {
        let key = ClauseKey { kind: ClauseKind::Expansion, field: 0, boost: 0, text: expansion.to_string() };
        Clause { key, scored: Some(docs) }
    }

    fn of(kind: ClauseKind, field: Field, boost: f32, text: String) -> Clause {
        let key = ClauseKey { kind, field: field.field_id(), boost: boost.to_bits(), text };
        Clause { key, scored: None }
    }

    fn field(&self) -> Field {
        Field::from_field_id(self.key.field)
    }

    fn grams(&self) -> Vec<String> {
        self.key.text.split(GRAM_SEP).map(str::to_string).collect()
    }

    /// Whether the clause can match at all: every term of it is in its field. Absent
    /// terms are left out of the tantivy query (a weight and a scorer for nothing cost
    /// two dictionary lookups). A scored expansion is kept even when it matches nothing,
    /// as its phrase was: a union of term clauses alone is scored by block-max WAND,
    /// whose sums differ in the last bits.
    pub(super) fn holds(&self, stats: &Stats<'_>) -> bool {
        let field = self.field();
        match self.key.kind {
            ClauseKind::Term => stats.holds(&Term::from_field_text(field, &self.key.text)),
            ClauseKind::Run => self.key.text.split(GRAM_SEP).all(|g| stats.holds(&Term::from_field_text(field, g))),
            ClauseKind::Expansion => true,
        }
    }

    pub(super) fn query(&self) -> Box<dyn Query> {
        let boost = f32::from_bits(self.key.boost);
        match (&self.scored, self.key.kind) {
            (Some(docs), _) => Box::new(docs.clone()),
            (None, ClauseKind::Run) => run_query(self.field(), &self.grams(), boost),
            (None, _) => {
                let term = Term::from_field_text(self.field(), &self.key.text);
                let q = TermQuery::new(term, IndexRecordOption::WithFreqs);
                Box::new(BoostQuery::new(Box::new(q), boost))
            }
        }
    }
}

/// A literal word in each morphological field. The fields' scores add up (a word in
/// the title and the keywords counts more); nesting them in a DisMax would cost a
/// union scorer (a 20 KB buffer) per word, which dominated query time.
fn morph_clauses(idx: &SearchIndex, term: &str, weight: f32, out: &mut Vec<Clause>) {
    let f = &idx.fields;
    for (field, boost) in [(f.title_m, 3.0), (f.keywords_m, 2.5), (f.body_m, 1.0)] {
        out.push(Clause::term(field, term.to_string(), boost * weight));
    }
}

/// Expansions are the content's own vocabulary: they only need to meet titles and
/// keywords, which keeps the query small.
fn expansion_clauses(idx: &SearchIndex, term: &str, out: &mut Vec<Clause>) {
    let f = &idx.fields;
    for (field, boost) in [(f.title_m, 3.0), (f.keywords_m, 2.5)] {
        out.push(Clause::term(field, term.to_string(), boost * W_EXPANSION));
    }
}

fn bigram_clauses(idx: &SearchIndex, gram: &str, weight: f32, out: &mut Vec<Clause>) {
    let f = &idx.fields;
    for (field, boost) in [(f.title_b, 1.5), (f.keywords_b, 1.2), (f.body_b, 0.6)] {
        out.push(Clause::term(field, gram.to_string(), boost * weight));
    }
}

/// A run of bigrams as a query: a phrase, or a term when it is one gram.
fn run_query(field: Field, grams: &[String], weight: f32) -> Box<dyn Query> {
    let q: Box<dyn Query> = match grams {
        [one] => Box::new(TermQuery::new(
            Term::from_field_text(field, one),
            IndexRecordOption::WithFreqs,
        )),
        many => Box::new(PhraseQuery::new(
            many.iter()
                .map(|g| Term::from_field_text(field, g))
                .collect(),
        )),
    };
    Box::new(BoostQuery::new(q, weight))
}

/// A contiguous run of bigrams on one field (nothing when a gram of it is absent from
/// the field: the run cannot occur there).
fn gram_phrase(stats: &Stats<'_>, field: Field, grams: &[String], weight: f32) -> Option<Box<dyn Query>> {
    let run = Clause::run(field, grams, weight);
    (!grams.is_empty() && run.holds(stats)).then(|| run.query())
}

/// Kana runs of three or more characters, read as katakana bigrams, for the reading field.
fn kana_runs(normalized: &str) -> Vec<Vec<String>> {
    let mut runs = Vec::new();
    let mut cur: Vec<char> = Vec::new();
    let flush = |cur: &mut Vec<char>, runs: &mut Vec<Vec<String>>| {
        if cur.len() >= 3 {
            let k: Vec<char> = to_katakana(&cur.iter().collect::<String>())
                .chars()
                .collect();
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

/// Questions with at least this many content words get a minimum-should-match.
pub(super) const LONG_QUESTION_WORDS: usize = 4;

/// The scoring parts of a question (literal words, bigrams, readings and expansions),
/// in the order their scores are summed, and how many content words the question has.
pub(super) fn text_query(idx: &SearchIndex, q: &QueryText, expansions: &[String]) -> (Vec<Clause>, usize) {
    let a = &idx.analyzer;
    let mut clauses = Vec::new();
    let morph: BTreeSet<String> = q.morph.iter().cloned().collect();
    let words = morph.len();
    for t in &morph {
        morph_clauses(idx, t, 1.0, &mut clauses);
    }
    let any_content = q.grams.iter().any(|g| has_content_char(g));
    // Grams equal to a morphological term add little beside it; the rest bridge
    // compounds split differently (後見人 ↔ 成年|後見) and words IPADIC does not know.
    let grams: BTreeSet<&String> = q
        .grams
        .iter()
        .filter(|g| !any_content || has_content_char(g))
        .filter(|g| !morph.contains(*g))
        .collect();
    for g in &grams {
        bigram_clauses(idx, g, W_BIGRAM, &mut clauses);
    }
    for grams in kana_runs(&q.normalized) {
        clauses.push(Clause::run(idx.fields.reading, &grams, W_READING));
    }
    let mut seen = morph;
    for e in expansions {
        let analysed = match idx.expansions.get(e) {
            Some(cached) => cached.clone(),
            None => crate::index::Analysed::new(a, e),
        };
        for t in &analysed.morph {
            if seen.insert(t.clone()) {
                expansion_clauses(idx, t, &mut clauses);
            }
        }
        match expansion_hits(idx).get(e) {
            Some(None) => {}
            Some(Some(docs)) => clauses.push(Clause::expansion(e, docs.clone())),
            None if analysed.grams.is_empty() => {}
            None => clauses.push(Clause::run(idx.fields.keywords_b, &analysed.grams, W_EXPANSION)),
        }
    }
    (clauses, words)
}

/// An expansion matching more records than this keeps its phrase query: its scores
/// would take more memory (8 bytes a record) than the phrase costs to run.
const MAX_SCORED_ONCE: usize = 50_000;

/// Each lexicon expansion's phrase over the keywords' bigrams, run once per index
/// (its matches and their scores, bit for bit those of the phrase query; the query
/// statistics are the index's either way).
/// None: a bigram of the expansion is in no record's keywords (no clause, as before).
pub(super) fn expansion_hits(idx: &SearchIndex) -> &HashMap<String, Option<ScoredDocs>> {
    idx.expansion_hits.get_or_init(|| {
        let searcher = idx.reader.searcher();
        let stats = Stats::new(&searcher);
        let mut hits = HashMap::new();
        for (e, analysed) in idx.expansions.iter() {
            let docs = match gram_phrase(&stats, idx.fields.keywords_b, &analysed.grams, W_EXPANSION) {
                None => None,
                Some(q) => match ScoredDocs::record(q.as_ref(), &searcher) {
                    Ok(docs) if docs.len() <= MAX_SCORED_ONCE => Some(docs),
                    _ => continue,
                },
            };
            hits.insert(e.clone(), docs);
        }
        hits
    })
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
    match qs.len() {
        0 => None,
        1 => qs.into_iter().next().map(|(_, q)| q),
        _ => Some(Box::new(BooleanQuery::new(qs))),
    }
}

/// The place filter as (field, values): a municipality plus the national lines (one
/// `scope` term: national records carry every place's key), or a list of places.
pub(super) fn place(idx: &SearchIndex, filters: &Filters) -> (Field, Vec<String>) {
    let f = &idx.fields;
    match filters.cities.as_slice() {
        [c, City::National] | [City::National, c] if *c != City::National => {
            (f.scope, vec![c.as_str().to_string()])
        }
        cities => (f.city, cities.iter().map(|c| c.as_str().to_string()).collect()),
    }
}

/// What being in the asked place adds to a record's score. It used to be the place
/// term's BM25 weight, which ranking was tuned with (the kind weights multiply it, so
/// it favours windows over plan records); as a term it grew with the corpus (a small
/// municipality's key is rare) and shrank for national records (whose scope field
/// holds every place's key). A constant keeps the tuned effect at every size: from
/// 0.6 to 1.2 the relevance tables (`src/bin/relevance.rs`) are exactly those of the
/// term; at 0.4 one project question drops from rank 1.
pub(super) const PLACE_SCORE: f32 = 0.8;

/// The filters as required clauses; being in the place scores `place_score`.
pub(super) fn filter_clauses(
    idx: &SearchIndex,
    filters: &Filters,
    place: &(Field, Vec<String>),
    place_score: f32,
) -> Clauses {
    let f = &idx.fields;
    let (place_field, places) = place.clone();
    let place = any_of(place_field, places)
        .map(|q| Box::new(ConstScoreQuery::new(q, place_score)) as Box<dyn Query>);
    let others = [
        any_of(f.kind, filters.kinds.iter().map(|k| k.as_str().to_string())),
        any_of(f.topic, filters.topic.clone()),
        any_of(f.audience, filters.audience.clone()),
        any_of(f.function, filters.function.clone()),
    ]
    .into_iter()
    .flatten()
    // The other filters select and do not score (a record with more topics no longer
    // scores lower under a topic filter).
    .map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>);
    place
        .into_iter()
        .chain(others)
        .map(|q| (Occur::Must, q))
        .collect()
}

/// The place filter again, to be put inside every scoring clause, when the place holds
/// at most a quarter of the index (one municipality of many). tantivy cannot skip
/// through the question's disjunction (the minimum-should-match scorer has no `seek`,
/// the union rescans 4,096-document windows), so a filter outside it still visits
/// every record matching any word; inside each clause, each word's postings are
/// intersected with the place's few hundred records first. Scored 0: ranking is
/// unchanged.
fn narrow_place(
    searcher: &tantivy::Searcher,
    (field, places): &(Field, Vec<String>),
) -> Option<Box<dyn Query>> {
    let in_place: u64 = places
        .iter()
        .map(|v| searcher.doc_freq(&Term::from_field_text(*field, v)).unwrap_or(u64::MAX / 8))
        .sum();
    let small = !places.is_empty() && in_place.saturating_mul(4) <= searcher.num_docs();
    small.then(|| {
        any_of(*field, places.clone())
            .map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>)
    })?
}

/// Browsing is a question with nothing to look up: every record that passes the filters.
pub(super) fn browses(q: &QueryText, expansions: &[String]) -> bool {
    q.morph.is_empty() && q.grams.is_empty() && expansions.is_empty()
}

/// The whole query: the question's clauses under the filters. `browsing` when the
/// question has no words (every record that passes the filters, in catalog order).
pub(super) fn build_query(
    idx: &SearchIndex,
    stats: &Stats<'_>,
    searcher: &tantivy::Searcher,
    q: &QueryText,
    expansions: &[String],
    filters: &Filters,
) -> (BooleanQuery, bool) {
    let (clauses, words) = text_query(idx, q, expansions);
    let scoring: Clauses = clauses
        .iter()
        .filter(|c| c.holds(stats))
        .map(|c| (Occur::Should, c.query()))
        .collect();
    // A question whose words no record holds (its clauses all left out) matches nothing.
    let browsing = browses(q, expansions);
    if !browsing && scoring.is_empty() {
        return (BooleanQuery::new(vec![(Occur::Must, Box::new(tantivy::query::EmptyQuery))]), false);
    }
    let place = place(idx, filters);
    let mut clauses = filter_clauses(idx, filters, &place, PLACE_SCORE);
    if browsing {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    } else {
        let scoring = match narrow_place(searcher, &place) {
            Some(place) => scoring
                .into_iter()
                .map(|(occur, q)| {
                    let inner = vec![(Occur::Must, q), (Occur::Must, place.box_clone())];
                    (occur, Box::new(BooleanQuery::new(inner)) as Box<dyn Query>)
                })
                .collect(),
            None => scoring,
        };
        // Long questions: a record must match at least two (field, word) pairs, so one
        // stray bigram in a long sentence does not qualify it.
        let scoring = if words >= LONG_QUESTION_WORDS {
            BooleanQuery::with_minimum_required_clauses(scoring, 2)
        } else {
            BooleanQuery::new(scoring)
        };
        clauses.push((Occur::Must, Box::new(scoring)));
    }
    (BooleanQuery::new(clauses), browsing)
}
