//! The term producers beside morphemes: character bigrams (recall across compounds
//! split differently, and words IPADIC does not know) and katakana readings (kana
//! input), with the character classes they break runs on.

use super::*;

impl Analyzer {
    /// Overlapping character bigrams of the normalised text (unigram for a lone
    /// character); ASCII words and numbers whole. Punctuation and spaces break runs.
    pub fn bigrams(&self, text: &str) -> Vec<Term> {
        self.bigrams_of(&self.normalize(text))
    }

    pub(super) fn bigrams_of(&self, norm: &Normalized) -> Vec<Term> {
        let chars: Vec<(usize, char)> = norm.text.char_indices().collect();
        let mut out = Vec::new();
        let mut position = 0;
        let mut i = 0;
        while i < chars.len() {
            let class = char_class(chars[i].1);
            let mut j = i + 1;
            while j < chars.len() && char_class(chars[j].1) == class {
                j += 1;
            }
            let byte_at = |k: usize| chars.get(k).map(|c| c.0).unwrap_or(norm.text.len());
            match class {
                CharClass::Japanese => {
                    let run = &chars[i..j];
                    if run.len() == 1 {
                        push_gram(&mut out, norm, byte_at(i), byte_at(j), &mut position);
                    }
                    for k in i..j.saturating_sub(1) {
                        push_gram(&mut out, norm, byte_at(k), byte_at(k + 2), &mut position);
                    }
                }
                CharClass::Word => {
                    push_gram(&mut out, norm, byte_at(i), byte_at(j), &mut position);
                }
                CharClass::Break => {}
            }
            i = j;
        }
        out
    }

    /// Bigrams of the katakana reading, so kana queries meet kanji text.
    pub fn reading_bigrams(&self, text: &str) -> Vec<Term> {
        let (_, morphemes) = self.morphemes(text);
        // One reading string per run of non-symbol tokens; each reading char remembers
        // the original span of the token it came from.
        let mut runs: Vec<Vec<(char, usize, usize)>> = vec![Vec::new()];
        for m in &morphemes {
            if m.pos.starts_with("記号") || m.surface.trim().is_empty() {
                runs.push(Vec::new());
                continue;
            }
            let reading = normalize::basic(&to_katakana(&m.reading));
            let run = runs.last_mut().expect("runs is never empty");
            run.extend(
                reading
                    .chars()
                    .filter(|c| is_kana(*c))
                    .map(|c| (c, m.from, m.to)),
            );
        }
        let mut out = Vec::new();
        let mut position = 0;
        for run in runs.iter().filter(|r| !r.is_empty()) {
            if run.len() == 1 {
                let (c, f, t) = run[0];
                out.push(Term {
                    text: c.to_string(),
                    from: f,
                    to: t,
                    position,
                });
                position += 1;
            }
            for w in run.windows(2) {
                out.push(Term {
                    text: [w[0].0, w[1].0].iter().collect(),
                    from: w[0].1,
                    to: w[1].2,
                    position,
                });
                position += 1;
            }
            position += 1; // a gap between runs keeps phrases from spanning them
        }
        out
    }

    /// `text` in pieces, kanji pieces with their reading in hiragana (ふりがな).
    pub fn furigana(&self, text: &str) -> Vec<furigana::Ruby> {
        let (_, morphemes) = self.morphemes(text);
        furigana::in_context(furigana::pieces(text, &morphemes), &self.readings)
    }

    /// The whole text read in katakana (symbols dropped), e.g. 成年後見 → セイネンコウケン.
    pub fn reading(&self, text: &str) -> String {
        let (_, morphemes) = self.morphemes(text);
        morphemes
            .iter()
            .filter(|m| !m.pos.starts_with("記号"))
            .map(|m| normalize::basic(&to_katakana(&m.reading)))
            .collect()
    }

    /// Readable dump of the chain for snapshot tests: `surface/base/pos` per token, with
    /// `×` marking stopped tokens.
    pub fn explain(&self, text: &str) -> String {
        let (_, morphemes) = self.morphemes(text);
        morphemes
            .iter()
            .map(|m| {
                let mark = if is_stopped(m) { "×" } else { "" };
                format!("{mark}{}", katakana_stem(&m.base))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn push_gram(out: &mut Vec<Term>, norm: &Normalized, from: usize, to: usize, pos: &mut usize) {
    let (of, ot) = norm.original_span(from, to);
    out.push(Term {
        text: norm.text[from..to].to_string(),
        from: of,
        to: ot,
        position: *pos,
    });
    *pos += 1;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Japanese,
    Word,
    Break,
}

fn is_kana(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー')
}

pub(super) fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '〆' | '〇')
}

/// True for kanji or katakana (not hiragana): bigrams made only of hiragana are
/// grammar (について, したい) and are left out of queries.
pub fn has_content_char(s: &str) -> bool {
    s.chars()
        .any(|c| is_kanji(c) || matches!(c, 'ァ'..='ヺ') || c.is_ascii_alphanumeric())
}

fn char_class(c: char) -> CharClass {
    if is_kana(c) || is_kanji(c) {
        CharClass::Japanese
    } else if c.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Break
    }
}
