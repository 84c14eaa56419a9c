//! Character normalisation that remembers where every character came from.
//!
//! NFKC (half-width kana, full-width ASCII), lowercase, iteration marks (々) and the
//! spelling-variant table (障がい→障害) all change the text. Search terms are found in the
//! normalised text, but highlights and snippets point into what the editor or resident
//! wrote, so each normalised character keeps the byte span of its original.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// One character of normalised text and the original bytes it stands for.
#[derive(Debug, Clone, Copy)]
struct Origin {
    byte: usize,
    orig_from: usize,
    orig_to: usize,
}

/// Normalised text plus the map back to the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    origins: Vec<Origin>,
    orig_len: usize,
}

impl Normalized {
    /// Maps a byte range of the normalised text back to a byte range of the original.
    pub fn original_span(&self, from: usize, to: usize) -> (usize, usize) {
        if self.origins.is_empty() || from >= to {
            return (self.orig_len.min(from), self.orig_len.min(from));
        }
        let first = self
            .origins
            .partition_point(|o| o.byte < from)
            .min(self.origins.len() - 1);
        let last = self
            .origins
            .partition_point(|o| o.byte < to)
            .saturating_sub(1)
            .max(first);
        let start = self.origins[first].orig_from;
        let end = self.origins[last].orig_to.max(start);
        (start, end)
    }
}

/// Spelling variants, applied longest match first after NFKC and lowercasing.
#[derive(Debug, Clone, Default)]
pub struct VariantTable {
    /// (normalised variant, canonical form), sorted by descending variant length.
    entries: Vec<(String, String)>,
}

impl VariantTable {
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut entries: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(from, to)| (basic(from), basic(to)))
            .filter(|(from, _)| !from.is_empty())
            .collect();
        entries.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        VariantTable { entries }
    }

    fn longest_match(&self, rest: &str) -> Option<&(String, String)> {
        self.entries
            .iter()
            .find(|(from, _)| rest.starts_with(from.as_str()))
    }
}

/// NFKC + lowercase of a short string, for table keys and comparisons.
pub fn basic(s: &str) -> String {
    normalize(s, &VariantTable::default()).text
}

fn is_iteration_mark(c: char) -> bool {
    matches!(c, '々' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ')
}

/// Half-width voiced marks and combining marks belong to the character before them.
fn joins_previous(c: char) -> bool {
    matches!(c, '\u{FF9E}' | '\u{FF9F}' | '\u{3099}' | '\u{309A}') || is_combining_mark(c)
}

/// Normalises `input`: NFKC per grapheme-ish cluster, lowercase, iteration marks, variants.
pub fn normalize(input: &str, variants: &VariantTable) -> Normalized {
    let mut text = String::with_capacity(input.len());
    let mut origins: Vec<Origin> = Vec::with_capacity(input.len());
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let mut j = i + 1;
        while j < chars.len() && joins_previous(chars[j].1) {
            j += 1;
        }
        let end = chars.get(j).map(|(b, _)| *b).unwrap_or(input.len());
        let cluster = &input[start..end];
        let emit = |ch: char, text: &mut String, origins: &mut Vec<Origin>| {
            origins.push(Origin {
                byte: text.len(),
                orig_from: start,
                orig_to: end,
            });
            text.push(ch);
        };
        if is_iteration_mark(c) && j == i + 1 {
            if let Some(prev) = text.chars().last() {
                emit(prev, &mut text, &mut origins);
                i = j;
                continue;
            }
        }
        for n in cluster.nfkc() {
            for l in n.to_lowercase() {
                emit(l, &mut text, &mut origins);
            }
        }
        i = j;
    }
    let basic = Normalized {
        text,
        origins,
        orig_len: input.len(),
    };
    if variants.entries.is_empty() {
        return basic;
    }
    apply_variants(basic, variants)
}

fn apply_variants(src: Normalized, variants: &VariantTable) -> Normalized {
    let mut text = String::with_capacity(src.text.len());
    let mut origins = Vec::with_capacity(src.origins.len());
    let mut idx = 0; // index into src.origins (one per char)
    while idx < src.origins.len() {
        let byte = src.origins[idx].byte;
        let rest = &src.text[byte..];
        if let Some((from, to)) = variants.longest_match(rest) {
            let n_chars = from.chars().count();
            let orig_from = src.origins[idx].orig_from;
            let orig_to = src.origins[idx + n_chars - 1].orig_to;
            for ch in to.chars() {
                origins.push(Origin {
                    byte: text.len(),
                    orig_from,
                    orig_to,
                });
                text.push(ch);
            }
            idx += n_chars;
        } else {
            let ch = rest.chars().next().expect("origin points at a char");
            origins.push(Origin {
                byte: text.len(),
                ..src.origins[idx]
            });
            text.push(ch);
            idx += 1;
        }
    }
    Normalized {
        text,
        origins,
        orig_len: src.orig_len,
    }
}

/// Hiragana → katakana, leaving everything else alone.
pub fn to_katakana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_width_kana_and_full_width_ascii_become_standard_forms() {
        let n = normalize("ｶﾞｽとＮＰＯ", &VariantTable::default());
        assert_eq!(n.text, "ガスとnpo");
        // ガ came from the 6 bytes of ｶﾞ.
        assert_eq!(n.original_span(0, 3), (0, 6));
        let npo = n.text.find("npo").unwrap();
        assert_eq!(n.original_span(npo, npo + 3), (12, 21));
    }

    #[test]
    fn iteration_mark_repeats_the_previous_character() {
        let n = normalize("人々", &VariantTable::default());
        assert_eq!(n.text, "人人");
        assert_eq!(n.original_span(3, 6), (3, 6));
    }

    #[test]
    fn variants_map_to_canonical_form_and_keep_the_original_span() {
        let table = VariantTable::new([("障がい", "障害"), ("障碍", "障害"), ("こども", "子ども")]);
        let input = "障がい者とこども";
        let n = normalize(input, &table);
        assert_eq!(n.text, "障害者と子ども");
        let (f, t) = n.original_span(0, "障害".len());
        assert_eq!(&input[f..t], "障がい");
        let k = n.text.find("子ども").unwrap();
        let (f, t) = n.original_span(k, k + "子ども".len());
        assert_eq!(&input[f..t], "こども");
    }

    #[test]
    fn longest_variant_wins() {
        let table = VariantTable::new([("引きこもり", "ひきこもり"), ("引き", "ひき")]);
        assert_eq!(normalize("引きこもり", &table).text, "ひきこもり");
    }
}
