//! Whether the top record of a question with no recognised need is really about it:
//! 「明日の天気」 must not answer with a group whose name contains 明日.
//!
//! The check analyses the record's own text. That was a third of such an answer's time
//! (a record's summary is longer than any question), so each checked record's words are
//! kept for the engine's life, bounded: only records that came first for such a
//! question are ever kept, and the map starts again when it is full.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::FxHashMap;

use super::Engine;
use crate::analysis::{to_katakana, Analyzer, QueryText};
use crate::content::Record;

/// Records whose words are kept at most (a few KB each).
const MAX_KEPT: usize = 4_096;

/// A record's text as the check reads it.
struct Words {
    raw: String,
    /// Base forms of its content words.
    words: HashSet<String>,
    /// Its normalised text (a question word may be a substring of a compound).
    text: String,
    /// Its katakana reading, for kana questions; read on first need.
    reading: OnceLock<String>,
}

impl Words {
    fn of(record: &Record, a: &Analyzer) -> Words {
        let raw = format!(
            "{} {} {} {}",
            record.title,
            record.summary,
            record.keywords.join(" "),
            record.topics.join(" ")
        );
        Words {
            words: a.morph_terms(&raw).into_iter().map(|t| t.text).collect(),
            text: a.normalize(&raw).text,
            reading: OnceLock::new(),
            raw,
        }
    }
}

/// Each checked record's words, by id.
#[derive(Default)]
pub(super) struct Coverage {
    kept: Mutex<FxHashMap<String, Arc<Words>>>,
}

impl Coverage {
    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<String, Arc<Words>>> {
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn words(&self, record: &Record, a: &Analyzer) -> Arc<Words> {
        if let Some(w) = self.lock().get(&record.id) {
            return Arc::clone(w);
        }
        // Analysed outside the lock: another thread may do the same record meanwhile.
        let w = Arc::new(Words::of(record, a));
        let mut map = self.lock();
        if map.len() >= MAX_KEPT {
            map.clear();
        }
        map.insert(record.id.clone(), Arc::clone(&w));
        w
    }
}

impl Engine {
    /// Whether a record mentions at least half of the question's content words. Used
    /// only when the lexicon recognised no need.
    pub(super) fn covers(&self, id: &str, q: &QueryText) -> bool {
        let Some(record) = self.catalog.record(id) else {
            return false;
        };
        let terms: HashSet<&String> = q.morph.iter().filter(|t| t.chars().count() >= 2).collect();
        if terms.is_empty() {
            return true;
        }
        let a = &self.index.analyzer;
        let w = self.coverage.words(record, a);
        let hit = terms
            .iter()
            .filter(|t| w.words.contains(**t) || w.text.contains(t.as_str()))
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
        kana.chars().count() >= 3 && w.reading.get_or_init(|| a.reading(&w.raw)).contains(&to_katakana(&kana))
    }
}
