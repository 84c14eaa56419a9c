//! A query clause scored once per index: the documents a fixed sub-query matches, each
//! with the score it gave. The lexicon's expansions are a fixed vocabulary, and each
//! was a phrase query over the keywords' bigrams in every question that named it; a
//! phrase scorer opens a position reader per bigram, which cost more than scoring.
//! Kept per segment (tantivy hands a weight one segment reader at a time).

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
        let id = reader.segment_id();
        self.segments.iter().find(|(s, _)| *s == id).map(|(_, d)| Arc::clone(d))
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
