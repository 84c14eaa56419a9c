//! Term statistics looked up once per question. Building a query used to look each
//! term up in the term dictionary twice (its BM25 weight, then its scorer) even when the
//! field does not hold it, and most (field, bigram) pairs are absent. The query builder
//! now asks here first and leaves absent terms out; the weights ask again and are
//! answered from this memory (issue 21).

use std::cell::RefCell;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{InvertedIndexReader, Searcher, Term};

pub(super) struct Stats<'a> {
    searcher: &'a Searcher,
    /// Off only in the test that pins that leaving absent terms out changes nothing.
    skip_absent: bool,
    /// Keyed with a fast hash: terms are short, and SipHash cost as much as the lookup.
    freq: RefCell<HashMap<Term, u64>>,
    tokens: RefCell<HashMap<Field, u64>>,
    /// Each field's readers, one per segment, fetched once per question (tantivy takes a
    /// lock and a map lookup for each term otherwise).
    readers: RefCell<Vec<(Field, Vec<Arc<InvertedIndexReader>>)>>,
}

impl<'a> Stats<'a> {
    pub(super) fn new(searcher: &'a Searcher) -> Self {
        Stats {
            searcher,
            skip_absent: true,
            freq: RefCell::new(HashMap::with_capacity_and_hasher(128, Default::default())),
            tokens: RefCell::new(HashMap::default()),
            readers: RefCell::new(Vec::new()),
        }
    }

    /// Every clause kept, as before this cache (for the equivalence test).
    #[cfg(test)]
    pub(super) fn keeping_absent(searcher: &'a Searcher) -> Self {
        Stats {
            skip_absent: false,
            ..Stats::new(searcher)
        }
    }

    /// Whether any document holds `term` (looked up once; remembered either way).
    pub(super) fn holds(&self, term: &Term) -> bool {
        !self.skip_absent || self.doc_freq(term).unwrap_or(1) > 0
    }
}

impl Stats<'_> {
    /// `Searcher::doc_freq`, with the field's readers kept for the next term.
    fn lookup(&self, term: &Term) -> tantivy::Result<u64> {
        let field = term.field();
        let mut readers = self.readers.borrow_mut();
        let i = match readers.iter().position(|(f, _)| *f == field) {
            Some(i) => i,
            None => {
                let per_segment = self
                    .searcher
                    .segment_readers()
                    .iter()
                    .map(|s| s.inverted_index(field))
                    .collect::<tantivy::Result<Vec<_>>>()?;
                readers.push((field, per_segment));
                readers.len() - 1
            }
        };
        let mut n = 0;
        for inverted in &readers[i].1 {
            n += u64::from(inverted.doc_freq(term)?);
        }
        Ok(n)
    }
}

impl Bm25StatisticsProvider for Stats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if let Some(&n) = self.tokens.borrow().get(&field) {
            return Ok(n);
        }
        let n = self.searcher.total_num_tokens(field)?;
        self.tokens.borrow_mut().insert(field, n);
        Ok(n)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        if let Some(&n) = self.freq.borrow().get(term) {
            return Ok(n);
        }
        let n = self.lookup(term)?;
        self.freq.borrow_mut().insert(term.clone(), n);
        Ok(n)
    }
}
