//! Every word in every spelling a resident may use, for the danger rules and the lexicon.
//!
//! Editors write a word once, as they would in kanji (殴られ, 夫). At load each
//! Japanese word also gets its reading in hiragana (なぐられ, おっと), and the message is
//! matched in hiragana too, so 「おっとに なぐられる」, 「ｵｯﾄﾆﾅｸﾞﾗﾚﾙ」 and 「夫に殴られる」 are
//! one message to the rules. English words match on word boundaries ("die" is not in
//! "studied"); a trailing `*` makes one a prefix ("abus*" → abused, abusive).

use crate::analysis::Analyzer;

/// Katakana → hiragana, everything else unchanged.
pub fn to_hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// The message as the rules see it.
#[derive(Debug, Clone)]
pub struct View {
    /// Normalised, without spaces, katakana as hiragana.
    kana: String,
    /// ASCII words, lowercase, one space between and around them: " my husband hits me ".
    words: String,
}

impl View {
    pub fn new(normalized: &str) -> View {
        let compact: String = normalized.chars().filter(|c| !c.is_whitespace()).collect();
        let mut words = String::from(" ");
        for w in normalized
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
        {
            words.push_str(&w.to_ascii_lowercase().replace('\'', ""));
            words.push(' ');
        }
        View {
            kana: to_hiragana(&compact),
            words,
        }
    }

    /// The message without spaces, katakana as hiragana (what the learned detector reads).
    pub fn kana(&self) -> &str {
        &self.kana
    }

    /// The ASCII words, lowercase, space-separated.
    pub fn words(&self) -> &str {
        &self.words
    }

    /// The view with every occurrence of `masks` blanked out, so 「自殺対策」 hides its
    /// own 自殺 but not a 死にたい elsewhere in the message.
    pub fn masked(&self, masks: &Forms) -> View {
        if masks.is_empty() {
            return self.clone();
        }
        let mut v = self.clone();
        for m in &masks.kana {
            if !v.kana.contains(m.as_str()) {
                continue;
            }
            v.kana = v.kana.replace(m.as_str(), "|");
            // A mask that starts with a Latin word (dvじゃない) masks that word in the
            // word view too, or "dv" there would still count.
            let latin: String = m
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if !latin.is_empty() {
                v.words = v.words.replacen(&format!(" {latin} "), " | ", 1);
            }
        }
        for m in &masks.english {
            v.words = v.words.replace(m.trim_end(), " | ");
        }
        v
    }
}

/// Every pattern of every word list, scanned in one pass per message (Aho-Corasick)
/// instead of one `contains` per word per rule: the rules and the lexicon hold some
/// 3,000 spellings, and a question must stay well under a millisecond.
#[derive(Debug, Default)]
pub struct Patterns {
    /// (pattern, is a reading) → id: a reading only counts where a word can start.
    ids: std::collections::HashMap<(String, Kind), u32>,
    kana: Vec<(String, u32, bool)>,
    english: Vec<(String, u32)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Written,
    Reading,
    English,
}

impl Patterns {
    fn intern(&mut self, text: String, kind: Kind) -> u32 {
        let next = self.ids.len() as u32;
        let id = *self.ids.entry((text.clone(), kind)).or_insert(next);
        if id == next {
            match kind {
                Kind::English => self.english.push((text, id)),
                _ => self.kana.push((text, id, kind == Kind::Reading)),
            }
        }
        id
    }

    /// The automata for every pattern interned so far.
    pub fn build(self) -> Scanner {
        let ac = |pats: Vec<&str>| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(pats)
                .expect("patterns are plain strings and fit in memory")
        };
        Scanner {
            kana: ac(self.kana.iter().map(|(t, _, _)| t.as_str()).collect()),
            kana_ids: self.kana.iter().map(|(_, id, r)| (*id, *r)).collect(),
            english: ac(self.english.iter().map(|(t, _)| t.as_str()).collect()),
            english_ids: self.english.iter().map(|(_, id)| *id).collect(),
            len: self.ids.len(),
        }
    }
}

/// Finds which patterns occur in a message.
#[derive(Debug, Clone)]
pub struct Scanner {
    kana: aho_corasick::AhoCorasick,
    kana_ids: Vec<(u32, bool)>,
    english: aho_corasick::AhoCorasick,
    english_ids: Vec<u32>,
    len: usize,
}

/// Which patterns a message contains.
#[derive(Debug, Clone)]
pub struct Hits(Vec<bool>);

impl Scanner {
    pub fn scan(&self, v: &View) -> Hits {
        let mut hit = vec![false; self.len];
        for m in self.kana.find_overlapping_iter(v.kana.as_str()) {
            let (id, reading) = self.kana_ids[m.pattern().as_usize()];
            if !reading || !after_kanji(&v.kana, m.start()) {
                hit[id as usize] = true;
            }
        }
        for m in self.english.find_overlapping_iter(v.words.as_str()) {
            hit[self.english_ids[m.pattern().as_usize()] as usize] = true;
        }
        Hits(hit)
    }
}

/// One word list in every spelling it is matched in.
#[derive(Debug, Clone, Default)]
pub struct Forms {
    /// As written (katakana as hiragana): match anywhere. Kept as text for masking.
    kana: Vec<String>,
    /// " word " on the word view (no trailing space for a prefix). Kept for masking.
    english: Vec<String>,
    /// Pattern ids: written forms, readings of words written in kanji (matched only
    /// where a word can start, so 蹴られ → けられ does not match 受けられる), English.
    ids: Vec<u32>,
}

impl Forms {
    pub fn new(
        words: &[String],
        analyzer: &Analyzer,
        patterns: &mut Patterns,
        min_reading: usize,
    ) -> Forms {
        let mut f = Forms::default();
        for w in words {
            let w = w.trim();
            if w.is_empty() {
                continue;
            }
            if w.is_ascii() {
                let (stem, prefix) = match w.strip_suffix('*') {
                    Some(s) => (s, true),
                    None => (w, false),
                };
                let words = View::new(stem).words;
                let text = if prefix {
                    words.trim_end().to_string()
                } else {
                    words
                };
                if text.trim().is_empty() || f.english.contains(&text) {
                    continue;
                }
                f.ids.push(patterns.intern(text.clone(), Kind::English));
                f.english.push(text);
                continue;
            }
            let written: String = to_hiragana(w)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let reading = to_hiragana(&analyzer.reading(w));
            if reading != written
                && reading.chars().count() >= min_reading
                && reading.chars().all(is_kana)
            {
                f.ids.push(patterns.intern(reading, Kind::Reading));
            }
            if !written.is_empty() && !f.kana.contains(&written) {
                f.ids.push(patterns.intern(written.clone(), Kind::Written));
                f.kana.push(written);
            }
        }
        f
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn found_in(&self, hits: &Hits) -> bool {
        self.ids.iter().any(|&i| hits.0[i as usize])
    }
}

/// Whether the byte offset `at` in `hay` comes right after a kanji.
fn after_kanji(hay: &str, at: usize) -> bool {
    hay[..at]
        .chars()
        .next_back()
        .is_some_and(|c| matches!(c, '\u{4E00}'..='\u{9FFF}' | '々'))
}

fn is_kana(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ー')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_words_match_on_word_boundaries() {
        let v = View::new("I studied, then my husband hits me!");
        assert!(v.words.contains(" hits me "));
        assert!(!v.words.contains(" die "));
    }

    #[test]
    fn a_reading_matches_where_a_word_starts_not_inside_okurigana() {
        let at = |s: &str| s.find("けられ").unwrap();
        assert!(!after_kanji("ぱぱにけられた", at("ぱぱにけられた")));
        assert!(after_kanji("支援を受けられる", at("支援を受けられる")));
        assert!(after_kanji("子どもを預けられる", at("子どもを預けられる")));
    }

    #[test]
    fn katakana_and_hiragana_are_one_view() {
        assert_eq!(View::new("ナグラレル 毎日").kana, "なぐられる毎日");
    }
}
