//! A query clause scored once per index: the documents a fixed sub-query matches, each
//! with the score it gave. The lexicon's expansions are a fixed vocabulary, and each
//! was a phrase query over the keywords' bigrams in every question that named it; a
//! phrase scorer opens a position reader per bigram, which cost more than scoring.
//! Kept per segment (tantivy hands a weight one segment reader at a time).

use rustc_hash::FxHashMap;
use std::sync::Arc;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::index::SegmentId;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED};

/// Matching documents of one segment, ascending, with their scores.
type Postings = Arc<[(DocId, Score)]>;

#[derive(Clone, Debug, Default)]
pub struct ScoredDocs {
    segments: Arc<Vec<(SegmentId, Postings)>>,
}

impl ScoredDocs {
    /// Runs `query` once over every segment of `searcher` and keeps what it scored.
    pub fn record(query: &dyn Query, searcher: &tantivy::Searcher) -> tantivy::Result<ScoredDocs> {
        let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
        let mut segments = Vec::new();
        for reader in searcher.segment_readers() {
            let mut scorer = weight.scorer(reader, 1.0)?;
            let mut docs = Vec::new();
            while scorer.doc() != TERMINATED {
                docs.push((scorer.doc(), scorer.score()));
                scorer.advance();
            }
            if !docs.is_empty() {
                segments.push((reader.segment_id(), docs.into()));
            }
        }
        Ok(ScoredDocs {
            segments: Arc::new(segments),
        })
    }

    /// How many documents matched, over every segment.
    pub fn len(&self) -> usize {
        self.segments.iter().map(|(_, d)| d.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn of(&self, reader: &SegmentReader) -> Option<Postings> {
        self.in_segment(reader).map(Arc::clone)
    }

    /// The matches in one segment, ascending by document, with their scores.
    pub fn in_segment(&self, reader: &SegmentReader) -> Option<&Arc<[(DocId, Score)]>> {
        let id = reader.segment_id();
        self.segments.iter().find(|(s, _)| *s == id).map(|(_, d)| d)
    }
}

impl Query for ScoredDocs {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for ScoredDocs {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = self.of(reader).unwrap_or_else(|| Arc::from(Vec::new()));
        Ok(Box::new(Cursor { docs, at: 0, boost }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("scored once per index", scorer.score()))
    }
}

struct Cursor {
    docs: Postings,
    at: usize,
    boost: Score,
}

impl DocSet for Cursor {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc() < target {
            let rest = &self.docs[self.at..];
            self.at += rest.partition_point(|(d, _)| *d < target);
        }
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).map_or(TERMINATED, |(d, _)| *d)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at.min(self.docs.len())) as u32
    }
}

impl Scorer for Cursor {
    fn score(&mut self) -> Score {
        let s = self.docs.get(self.at).map_or(0.0, |(_, s)| *s);
        // A boost of exactly 1 leaves the recorded score untouched, bit for bit.
        if self.boost == 1.0 {
            s
        } else {
            s * self.boost
        }
    }
}

/// Every scoring clause's matches, recorded on first use and kept for the index's life:
/// the index is read-only, so a clause under the same filters always scores the same.
/// A question then costs a map lookup per clause instead of a BM25 weight, a term
/// dictionary lookup and a scorer each (two thirds of an answer's time, issue 21).
/// Keyed by filter scope, then by clause. Bounded: when a new clause would pass either
/// limit everything is dropped and recorded again as questions come (random text, each
/// of its bigrams a new key, cannot grow memory without end).
/// What a clause looks up: a term in a field, a contiguous run of bigrams in a field
/// (its grams joined in the key's text), or a lexicon expansion scored once per index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClauseKind {
    Term,
    Run,
    Expansion,
}

/// Names one clause within a filter scope: its kind, field, weight's bits and text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClauseKey {
    pub kind: ClauseKind,
    pub field: u32,
    pub boost: u32,
    pub text: String,
}

pub struct ScoredCache {
    kept: std::sync::RwLock<Kept>,
    max_postings: usize,
    max_entries: usize,
}

#[derive(Default)]
struct Kept {
    scopes: FxHashMap<String, FxHashMap<ClauseKey, ScoredDocs>>,
    postings: usize,
    entries: usize,
}

/// 16 MB of (document, score) pairs, and 50,000 clauses (~200 bytes each with their
/// key). Every question of the project's sets (1,344) in each city and none leaves
/// 32,194 clauses and 25,990 pairs (`examples/same_answers`); 35 maximal random
/// messages (500 characters, ~1,500 clauses each) start it again.
const MAX_POSTINGS: usize = 2_000_000;
const MAX_ENTRIES: usize = 50_000;

impl Default for ScoredCache {
    fn default() -> Self {
        ScoredCache::with_limits(MAX_POSTINGS, MAX_ENTRIES)
    }
}

impl ScoredCache {
    pub fn with_limits(max_postings: usize, max_entries: usize) -> Self {
        ScoredCache {
            kept: Default::default(),
            max_postings,
            max_entries,
        }
    }

    /// The matches of each of `n` clauses within `scope`, in order; `key(i)` names
    /// clause `i` and `record(i)` runs it when it was not kept.
    pub fn get_or_record<'k>(
        &self,
        scope: &str,
        n: usize,
        key: impl Fn(usize) -> &'k ClauseKey,
        record: impl Fn(usize) -> tantivy::Result<ScoredDocs>,
    ) -> tantivy::Result<Vec<ScoredDocs>> {
        let mut found: Vec<Option<ScoredDocs>> = {
            let kept = self.kept.read().unwrap_or_else(|p| p.into_inner());
            match kept.scopes.get(scope) {
                Some(clauses) => (0..n).map(|i| clauses.get(key(i)).cloned()).collect(),
                None => vec![None; n],
            }
        };
        let mut new = Vec::new();
        for (i, slot) in found.iter_mut().enumerate() {
            if slot.is_none() {
                let docs = record(i)?;
                new.push((key(i).clone(), docs.clone()));
                *slot = Some(docs);
            }
        }
        if !new.is_empty() {
            self.keep(scope, new);
        }
        Ok(found.into_iter().flatten().collect())
    }

    fn keep(&self, scope: &str, new: Vec<(ClauseKey, ScoredDocs)>) {
        let mut kept = self.kept.write().unwrap_or_else(|p| p.into_inner());
        let postings: usize = new.iter().map(|(_, d)| d.len()).sum();
        if kept.postings + postings > self.max_postings || kept.entries + new.len() > self.max_entries {
            tracing::debug!(entries = kept.entries, postings = kept.postings, "clause scores dropped");
            *kept = Kept::default();
        }
        let clauses = kept.scopes.entry(scope.to_string()).or_default();
        let (mut entries, mut pairs) = (0, 0);
        for (k, d) in new {
            // Another question may have recorded the same clause meanwhile: count once.
            let len = d.len();
            if clauses.insert(k, d).is_none() {
                (entries, pairs) = (entries + 1, pairs + len);
            }
        }
        kept.entries += entries;
        kept.postings += pairs;
    }

    /// (clauses, postings) kept now.
    pub fn size(&self) -> (usize, usize) {
        let kept = self.kept.read().unwrap_or_else(|p| p.into_inner());
        (kept.entries, kept.postings)
    }
}
