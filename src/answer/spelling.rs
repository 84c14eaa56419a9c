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

    /// The view with every occurrence of `masks` blanked out, so 「自殺対策」 hides its
    /// own 自殺 but not a 死にたい elsewhere in the message.
    pub fn masked(&self, masks: &Forms) -> View {
        if masks.is_empty() {
            return self.clone();
        }
        let mut v = self.clone();
        for m in masks.kana.iter().chain(&masks.readings) {
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
            v.words = v.words.replace(m.text.trim_end(), " | ");
        }
        v
    }
}

#[derive(Debug, Clone)]
struct English {
    /// " word" with a trailing space unless it is a prefix.
    text: String,
}

/// One word list in every spelling it is matched in.
#[derive(Debug, Clone, Default)]
pub struct Forms {
    /// As written (katakana as hiragana): match anywhere.
    kana: Vec<String>,
    /// Readings of words written in kanji: match only where a word can start, not
    /// after a kanji (蹴られ → けられ must not match 受けられる or 預けられる).
    readings: Vec<String>,
    english: Vec<English>,
}

impl Forms {
    pub fn new(words: &[String], analyzer: &Analyzer, min_reading: usize) -> Forms {
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
                if text.trim().is_empty() {
                    continue;
                }
                f.english.push(English { text });
                continue;
            }
            let written = to_hiragana(w);
            let reading = to_hiragana(&analyzer.reading(w));
            if reading != written
                && reading.chars().count() >= min_reading
                && reading.chars().all(is_kana)
                && !f.readings.contains(&reading)
            {
                f.readings.push(reading);
            }
            f.push_kana(written);
        }
        f
    }

    fn push_kana(&mut self, s: String) {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if !s.is_empty() && !self.kana.contains(&s) {
            self.kana.push(s);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.kana.is_empty() && self.readings.is_empty() && self.english.is_empty()
    }

    pub fn found_in(&self, v: &View) -> bool {
        self.kana.iter().any(|k| v.kana.contains(k.as_str()))
            || self.readings.iter().any(|r| at_word_start(&v.kana, r))
            || self
                .english
                .iter()
                .any(|e| v.words.contains(e.text.as_str()))
    }
}

/// Whether `needle` occurs in `hay` somewhere not right after a kanji.
fn at_word_start(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        !hay[..i]
            .chars()
            .next_back()
            .is_some_and(|c| matches!(c, '\u{4E00}'..='\u{9FFF}' | '々'))
    })
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
        assert!(at_word_start("ぱぱにけられた", "けられ"));
        assert!(!at_word_start("支援を受けられる", "けられ"));
        assert!(!at_word_start("子どもを預けられる", "けられ"));
    }

    #[test]
    fn katakana_and_hiragana_are_one_view() {
        assert_eq!(View::new("ナグラレル 毎日").kana, "なぐられる毎日");
    }
}
