//! A question scored from remembered clauses instead of one tantivy query.
//!
//! The index does not change between reloads, so each clause (a word in a field, a run
//! of bigrams, an expansion) under the same filters always matches the same records
//! with the same scores. Each is recorded once with tantivy's own scorer (bit for bit
//! its BM25) and kept in the index's [`ScoredCache`]; a question then adds up its
//! clauses' kept scores per record, in clause order, as tantivy's union does. Building
//! a weight and a scorer per clause was two thirds of an answer's time.
//!
//! Differences from the one-query path, pinned by the tests below: none for questions
//! of fewer than four words in a place. For longer ones tantivy's minimum-should-match
//! scorer adds the same scores in heap order, and with no place at all it scores a
//! union of terms with block-max WAND; both can differ in the last bit. On the
//! project's sets (`examples/same_answers`) that reordered results only where two
//! records' scores were equal to a millionth, and only with no place: they now tie
//! exactly and keep index order.

use std::cell::RefCell;

use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{DocAddress, DocId, Score, Searcher};

use super::query::{filter_clauses, place, text_query, Clause, Clauses, LONG_QUESTION_WORDS, PLACE_SCORE};
use super::stats::Stats;
use super::Filters;
use crate::analysis::QueryText;
use crate::index::{ScoredCache, ScoredDocs, SearchIndex};

/// The best `limit` records for a question with words, best first; ties in index order.
pub(super) fn top(
    idx: &SearchIndex,
    cache: &ScoredCache,
    searcher: &Searcher,
    q: &QueryText,
    expansions: &[String],
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let (clauses, words) = text_query(idx, q, expansions);
    let place = place(idx, filters);
    let scope = format!(
        "{place:?}|{:?}|{:?}|{:?}|{:?}",
        filters.kinds, filters.topic, filters.audience, filters.function
    );
    // The filters select inside each recorded clause (scored 0), built only when a
    // clause is new; being in the asked place adds its constant afterwards, as the one
    // query's required clause did.
    let (select, stats) = (std::cell::OnceCell::new(), std::cell::OnceCell::new());
    let lists = cache.get_or_record(&scope, clauses.len(), |i| &clauses[i].key, |i| {
        // Most of a question's (field, bigram) pairs are in no record: one dictionary
        // lookup says so, where a weight and a scorer cost several.
        if !clauses[i].holds(stats.get_or_init(|| Stats::new(searcher))) {
            return Ok(ScoredDocs::default());
        }
        let select = select.get_or_init(|| filter_clauses(idx, filters, &place, 0.0));
        record(&clauses[i], select, searcher)
    })?;
    let place_score = if place.1.is_empty() { None } else { Some(PLACE_SCORE) };
    // Long questions: a record must match at least two clauses, so one stray bigram in
    // a long sentence does not qualify it.
    let need = if words >= LONG_QUESTION_WORDS { 2 } else { 1 };
    let mut found = Vec::new();
    for (seg, reader) in searcher.segment_readers().iter().enumerate() {
        let per_segment: Vec<&[(DocId, Score)]> =
            lists.iter().filter_map(|l| l.in_segment(reader)).map(|p| &p[..]).collect();
        SUMS.with(|sums| {
            sums.borrow_mut().add(reader.max_doc(), &per_segment, need, |doc, score| {
                let score = place_score.map_or(score, |p| score + p);
                found.push((score, DocAddress::new(seg as u32, doc)));
            })
        });
    }
    Ok(best(found, limit))
}

/// One clause's matches under the filters, scored by tantivy.
fn record(clause: &Clause, select: &Clauses, searcher: &Searcher) -> tantivy::Result<ScoredDocs> {
    if select.is_empty() {
        return ScoredDocs::record(clause.query().as_ref(), searcher);
    }
    let mut must: Clauses = vec![(Occur::Must, clause.query())];
    must.extend(select.iter().map(|(o, q)| (*o, q.box_clone())));
    // A filter scores 0, and a score plus 0 is the score: the clause's own, bit for bit.
    ScoredDocs::record(&BooleanQuery::new(must) as &dyn Query, searcher)
}

/// Best first; equal scores in index order, as tantivy's collector returns them.
fn best(mut found: Vec<(Score, DocAddress)>, limit: usize) -> Vec<(Score, DocAddress)> {
    let order = |a: &(Score, DocAddress), b: &(Score, DocAddress)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    let limit = limit.max(1);
    if found.len() > limit {
        found.select_nth_unstable_by(limit - 1, order);
        found.truncate(limit);
    }
    found.sort_unstable_by(order);
    found
}

thread_local! {
    /// Per-record sums for one segment, reused by every question on this thread: 8
    /// bytes a record (800 KB at 100k records) per live thread that has answered. The
    /// answer permit (`Limits::answers`, twice the cores) bounds how many answer at
    /// once, and tokio ends an idle blocking thread (and its buffer) after 10 s.
    static SUMS: RefCell<Sums> = RefCell::new(Sums::default());
}

/// A score and a count of matched clauses per document, and which documents were
/// touched, so clearing costs what the question matched rather than the segment's size.
#[derive(Default)]
struct Sums {
    score: Vec<Score>,
    matched: Vec<u32>,
    touched: Vec<DocId>,
}

impl Sums {
    /// Adds each list's scores in list order and calls `out` for every document matched
    /// by at least `need` lists, in document order.
    fn add(&mut self, max_doc: u32, lists: &[&[(DocId, Score)]], need: u32, mut out: impl FnMut(DocId, Score)) {
        let n = max_doc as usize;
        if self.score.len() < n {
            self.score.resize(n, 0.0);
            self.matched.resize(n, 0);
        }
        for list in lists {
            for &(doc, s) in *list {
                let d = doc as usize;
                if self.matched[d] == 0 {
                    self.touched.push(doc);
                }
                self.score[d] += s;
                self.matched[d] += 1;
            }
        }
        self.touched.sort_unstable();
        for &doc in &self.touched {
            let d = doc as usize;
            if self.matched[d] >= need {
                out(doc, self.score[d]);
            }
            self.score[d] = 0.0;
            self.matched[d] = 0;
        }
        self.touched.clear();
    }
}

/// The remembered path against the one tantivy query it replaces, on the fixture.
#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::content::{City, Kind};
    use crate::index::build_in_ram;
    use crate::search::{search, Hit};
    use crate::testutil::fixture;

    const QUESTIONS: [&str; 12] = [
        "成年後見について相談したい", "お金がなくて家賃が払えない", "せいねんこうけん",
        "夫に殴られる", "親の介護と仕事の両立がつらい", "ひきこもりの息子のことで",
        "障がいのある子の将来", "市民後見人になりたい", "認知症の母が一人暮らしで心配です",
        "成年後見人", "zzzz", "昨日は友達と映画を見て家族と食事をした",
    ];

    fn filters() -> Vec<Filters> {
        let tsuruoka = City::named("tsuruoka").unwrap();
        vec![
            Filters::default(),
            Filters::for_place(Some(tsuruoka)),
            Filters::for_place(Some(City::named("sagamihara").unwrap())),
            Filters { topic: Some("成年後見/権利擁護".into()), ..Filters::for_place(Some(tsuruoka)) },
            Filters { kinds: vec![Kind::Window], ..Filters::default() },
        ]
    }

    fn run(idx: &SearchIndex, q: &str, f: &Filters) -> Vec<Hit> {
        let text = idx.analyzer.query(q);
        let expansions: Vec<String> = idx.expansions.keys().take(2).cloned().collect();
        search(idx, &text, &expansions, f, 50).unwrap()
    }

    /// Same records in the same order; scores equal, bit for bit for questions of
    /// fewer than four words under a place (the minimum-should-match scorer and, with
    /// no place, block-max WAND add the same scores in another order).
    fn assert_same(kept: &[Hit], one_query: &[Hit], exact: bool, what: &str) {
        assert_eq!(kept.len(), one_query.len(), "{what}");
        for (a, b) in kept.iter().zip(one_query) {
            if exact {
                assert_eq!(a, b, "{what}");
            } else {
                assert!((a.score - b.score).abs() <= 1e-5 * a.score.abs(), "{what}: {a:?} {b:?}");
            }
        }
        let ids = |h: &[Hit]| h.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        if exact {
            assert_eq!(ids(kept), ids(one_query), "{what}");
        }
    }

    #[test]
    fn kept_clauses_rank_and_score_as_the_one_query() {
        let (catalog, analyzer) = fixture();
        let idx = build_in_ram(&catalog, &analyzer).unwrap();
        let one_query = SearchIndex { clause_scores: None, ..idx.clone() };
        for q in QUESTIONS {
            let words = analyzer.query(q).morph.iter().collect::<std::collections::BTreeSet<_>>().len();
            for f in filters() {
                let exact = words < LONG_QUESTION_WORDS && !f.cities.is_empty();
                // Twice: recorded on first use, then read back.
                for _ in 0..2 {
                    assert_same(&run(&idx, q, &f), &run(&one_query, q, &f), exact, &format!("{q} {f:?}"));
                }
            }
        }
        assert!(idx.clause_scores.as_ref().unwrap().size().0 > 0);
    }

    #[test]
    fn a_full_cache_starts_again_and_answers_the_same() {
        let (catalog, analyzer) = fixture();
        let idx = build_in_ram(&catalog, &analyzer).unwrap();
        let small = SearchIndex { clause_scores: Some(Arc::new(ScoredCache::with_limits(40, 30))), ..idx.clone() };
        for q in QUESTIONS {
            for f in filters() {
                assert_eq!(run(&small, q, &f), run(&idx, q, &f), "{q} {f:?}");
                let (entries, postings) = small.clause_scores.as_ref().unwrap().size();
                // One question's clauses may pass the limits alone; never two questions'.
                assert!(entries <= 30 + 60 && postings <= 40 + 200, "{entries} {postings}");
            }
        }
    }

    #[test]
    fn a_sum_counts_each_list_once_and_clears_for_the_next_question() {
        let mut sums = Sums::default();
        let (a, b) = ([(1, 1.0), (3, 2.0)], [(3, 0.5), (7, 4.0)]);
        let mut got = Vec::new();
        sums.add(8, &[&a[..], &b[..]], 2, |d, s| got.push((d, s)));
        assert_eq!(got, vec![(3, 2.5)]);
        got.clear();
        sums.add(8, &[&b[..]], 1, |d, s| got.push((d, s)));
        assert_eq!(got, vec![(3, 0.5), (7, 4.0)], "nothing left over from the last question");
    }
}
