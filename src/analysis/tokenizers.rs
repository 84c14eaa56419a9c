//! tantivy `Tokenizer` adapters over [`Analyzer`] (lindera-tantivy lags behind tantivy
//! 0.27, so we keep our own). Registered by name; the schema stores only the names, so
//! [`register`] must run every time an index is created or opened.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::Index;

use super::{Analyzer, Term};

pub const MORPH: &str = "ja_morph";
pub const BIGRAM: &str = "ja_bigram";
pub const READING: &str = "ja_reading";

#[derive(Clone, Copy)]
enum View {
    Morph,
    Bigram,
    Reading,
}

#[derive(Clone)]
struct JaTokenizer {
    analyzer: Analyzer,
    view: View,
}

struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

impl Tokenizer for JaTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let terms: Vec<Term> = match self.view {
            View::Morph => self.analyzer.morph_terms(text),
            View::Bigram => self.analyzer.bigrams(text),
            View::Reading => self.analyzer.reading_bigrams(text),
        };
        let tokens = terms
            .into_iter()
            .map(|t| Token {
                offset_from: t.from,
                offset_to: t.to,
                position: t.position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        VecTokenStream { tokens, index: 0 }
    }
}

/// Registers the three Japanese views on `index` under [`MORPH`], [`BIGRAM`], [`READING`].
pub fn register(index: &Index, analyzer: &Analyzer) {
    for (name, view) in [
        (MORPH, View::Morph),
        (BIGRAM, View::Bigram),
        (READING, View::Reading),
    ] {
        let tok = JaTokenizer {
            analyzer: analyzer.clone(),
            view,
        };
        index.tokenizers().register(name, TextAnalyzer::from(tok));
    }
}
