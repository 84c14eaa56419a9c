//! Japanese text analysis: the one place that turns text into search terms.
//!
//! Three views of the same text are produced, each for its own index field:
//! - **morphological terms**: IPADIC (normal mode) + base form + stop parts of speech +
//!   katakana stem. Precise: 払えない → 払える, ひきこもっ → ひきこもる.
//! - **character bigrams**: never miss a substring of two or more characters, so
//!   後見人 still meets 成年後見 (IPADIC splits them differently).
//! - **reading bigrams**: katakana readings, so 「せいねんこうけん」 finds 成年後見.
//!
//! All three run after the same normalisation (NFKC, lowercase, iteration marks, the
//! editable spelling-variant table), and every term keeps byte offsets into the original
//! text. Query and ranking policy live in `search`, not here.

pub mod dictionary;
pub mod furigana;
mod grams;
pub mod normalize;
mod tokenizers;

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use lindera::dictionary::{Dictionary, DictionaryBuilder, UserDictionary};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use sha2::{Digest, Sha256};

pub use dictionary::DictionaryError;
pub use grams::has_content_char;
pub use normalize::{basic, to_katakana, Normalized, VariantTable};
pub use tokenizers::{register, BIGRAM, MORPH, READING};

/// Bumped whenever the analysis chain or the index schema changes (3: `ord` fast field, `scope`).
pub const ANALYZER_VERSION: u32 = 3;

/// Parts of speech (IPADIC, comma-joined prefix) that carry no meaning for search.
/// Matching is by prefix, so `助詞` covers every particle; `名詞,接尾` is deliberately
/// absent (stopping it would turn 認知症 into 認知).
const STOP_POS: &[&str] = &[
    "助詞",
    "助動詞",
    "記号",
    "接続詞",
    "連体詞",
    "フィラー",
    "感動詞",
    "その他",
    "接頭詞",
    "副詞",
    "名詞,非自立",
    "名詞,代名詞",
    "名詞,接尾,助動詞語幹",
    "名詞,接尾,特殊",
    "動詞,非自立",
    "動詞,接尾",
    "形容詞,非自立",
    "形容詞,接尾",
];

/// Base forms too common in questions to mean anything on their own.
const STOP_WORDS: &[&str] = &[
    "する",
    "ある",
    "いる",
    "なる",
    "いう",
    "れる",
    "られる",
    "ない",
    "おる",
    "くる",
    "思う",
    "考える",
    "ください",
    "よい",
    "いい",
    "どう",
    "どこ",
    "何",
    "なに",
    "の",
    "ん",
];

/// The editable parts of the chain, from `content/analysis.toml`.
#[derive(Debug, Clone, Default)]
pub struct AnalysisConfig {
    /// (variant, canonical) spelling pairs, e.g. (障がい, 障害).
    pub variants: Vec<(String, String)>,
    /// Words IPADIC splits wrongly: (surface, katakana reading).
    pub user_words: Vec<(String, String)>,
    /// Ruby readings IPADIC gets wrong: (surface, hiragana). Ruby only: not in the
    /// fingerprint, as the index does not use them.
    pub readings: Vec<(String, String)>,
}

impl AnalysisConfig {
    /// A short fingerprint that changes when the chain's data changes.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(ANALYZER_VERSION.to_le_bytes());
        for (a, b) in self.variants.iter().chain(self.user_words.iter()) {
            h.update(a.as_bytes());
            h.update([0]);
            h.update(b.as_bytes());
            h.update([1]);
        }
        hex(&h.finalize()[..8])
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A question analysed once: see [`Analyzer::query`].
#[derive(Debug, Clone, Default)]
pub struct QueryText {
    pub normalized: String,
    /// Content words (base forms), in order, possibly repeated.
    pub morph: Vec<String>,
    /// Character bigrams of the normalised text.
    pub grams: Vec<String>,
}

/// One analysed term with its span in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    /// Byte offsets into the original (un-normalised) text.
    pub from: usize,
    pub to: usize,
    pub position: usize,
}

/// A token as IPADIC saw it, before stop filtering.
#[derive(Debug, Clone)]
struct Morpheme {
    surface: String,
    base: String,
    reading: String,
    pos: String,
    from: usize,
    to: usize,
}

/// The analyser. Cheap to clone (the dictionary is shared).
#[derive(Clone)]
pub struct Analyzer {
    segmenter: Arc<Segmenter>,
    variants: Arc<VariantTable>,
    fingerprint: String,
    /// Ruby readings from `analysis.toml` that override IPADIC's.
    readings: Arc<Vec<(String, String)>>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

impl Analyzer {
    /// Builds the analyser on the process-wide IPADIC (built into `dict_cache` if needed).
    pub fn new(dict_cache: &Path, config: &AnalysisConfig) -> Result<Self, DictionaryError> {
        let dict = dictionary::system(dict_cache)?;
        let user =
            user_dictionary(&dict, &config.user_words).map_err(|reason| DictionaryError::Load {
                path: dict_cache.to_path_buf(),
                reason,
            })?;
        let segmenter = Segmenter::new(Mode::Normal, dict, user);
        Ok(Analyzer {
            segmenter: Arc::new(segmenter),
            variants: Arc::new(VariantTable::new(
                config
                    .variants
                    .iter()
                    .map(|(a, b)| (a.as_str(), b.as_str())),
            )),
            fingerprint: config.fingerprint(),
            readings: Arc::new(config.readings.clone()),
        })
    }

    /// Identifies the chain and its data; stored in the index manifest.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    pub fn normalize(&self, text: &str) -> Normalized {
        normalize::normalize(text, &self.variants)
    }

    fn morphemes(&self, text: &str) -> (Normalized, Vec<Morpheme>) {
        let norm = self.normalize(text);
        let morphemes = self.morphemes_of(&norm);
        (norm, morphemes)
    }

    fn morphemes_of(&self, norm: &Normalized) -> Vec<Morpheme> {
        let mut out = Vec::new();
        let Ok(tokens) = self.segmenter.segment(Cow::Borrowed(norm.text.as_str())) else {
            return out;
        };
        for mut tok in tokens {
            let (from, to) = norm.original_span(tok.byte_start, tok.byte_end);
            let surface = tok.surface.to_string();
            // Borrowed from the dictionary: only the fields kept are copied (copying
            // all nine of every token was most of a question's analysis time).
            let details: Vec<&str> = tok.details();
            let known = details.len() >= 8;
            let mut pos = String::new();
            for d in details.iter().take(4).filter(|d| **d != "*") {
                if !pos.is_empty() {
                    pos.push(',');
                }
                pos.push_str(d);
            }
            let base = match details.get(6) {
                Some(b) if known && *b != "*" => b.to_string(),
                _ => surface.clone(),
            };
            let reading = match details.get(7) {
                Some(r) if known && *r != "*" => r.to_string(),
                _ => to_katakana(&surface),
            };
            out.push(Morpheme {
                surface,
                base,
                reading,
                pos: if pos.is_empty() { "未知語".into() } else { pos },
                from,
                to,
            });
        }
        out
    }

    /// Byte spans (in `text`) of tokens IPADIC tags as personal names (名詞,固有名詞,人名),
    /// in order; used to redact names before anything is stored.
    pub fn person_name_spans(&self, text: &str) -> Vec<(usize, usize)> {
        let (_, morphemes) = self.morphemes(text);
        morphemes
            .into_iter()
            .filter(|m| m.pos.starts_with("名詞,固有名詞,人名"))
            .filter(|m| text.is_char_boundary(m.from) && text.is_char_boundary(m.to) && m.from < m.to)
            .map(|m| (m.from, m.to))
            .collect()
    }

    /// Morphological terms: base forms of content words, stop tags removed.
    /// Positions keep the gaps left by removed tokens.
    pub fn morph_terms(&self, text: &str) -> Vec<Term> {
        let (_, morphemes) = self.morphemes(text);
        content_terms(morphemes)
    }

    /// A question analysed once for every use on the query path: the normalised text
    /// (crisis rules, lexicon), its morphological terms and its bigrams (search).
    pub fn query(&self, text: &str) -> QueryText {
        let norm = self.normalize(text);
        QueryText {
            morph: content_terms(self.morphemes_of(&norm))
                .into_iter()
                .map(|t| t.text)
                .collect(),
            grams: self.bigrams_of(&norm).into_iter().map(|t| t.text).collect(),
            normalized: norm.text,
        }
    }
}

/// Base forms of content words, stop tags removed; positions keep the gaps.
fn content_terms(morphemes: Vec<Morpheme>) -> Vec<Term> {
    morphemes
        .into_iter()
        .enumerate()
        .filter(|(_, m)| !is_stopped(m))
        .filter_map(|(position, m)| {
            let term = katakana_stem(&m.base);
            (!term.trim().is_empty()).then_some(Term {
                text: term,
                from: m.from,
                to: m.to,
                position,
            })
        })
        .collect()
}


fn is_stopped(m: &Morpheme) -> bool {
    // Punctuation that NFKC turned into ASCII (！→!) is not always tagged 記号.
    !m.surface.chars().any(char::is_alphanumeric)
        || STOP_POS
            .iter()
            .any(|p| m.pos.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with(',')))
        || STOP_WORDS.contains(&m.base.as_str())
}

/// Strips a trailing ー from katakana words longer than three characters
/// (センター → センタ), so long-vowel spelling differences still match.
fn katakana_stem(term: &str) -> String {
    let is_katakana = term.chars().all(|c| matches!(c, 'ァ'..='ヺ' | 'ー'));
    if is_katakana && term.chars().count() > 3 && term.ends_with('ー') {
        term.trim_end_matches('ー').to_string()
    } else {
        term.to_string()
    }
}

fn user_dictionary(
    dict: &Dictionary,
    words: &[(String, String)],
) -> Result<Option<UserDictionary>, String> {
    if words.is_empty() {
        return Ok(None);
    }
    let csv: String = words
        .iter()
        .map(|(surface, reading)| format!("{surface},カスタム名詞,{reading}\n"))
        .collect();
    let mut metadata = (*dict.metadata).clone();
    metadata.encoding = "UTF-8".into();
    DictionaryBuilder::new(metadata)
        .build_user_dict_from_reader(csv.as_bytes())
        .map(Some)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// The analyser with the project's own `content/analysis.toml`.
    pub(crate) fn analyzer() -> Analyzer {
        static A: OnceLock<Analyzer> = OnceLock::new();
        A.get_or_init(|| {
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            let config = crate::content::load_analysis_config(&root.join("content"))
                .expect("content/analysis.toml loads");
            Analyzer::new(&root.join("index").join("dictionary"), &config).expect("dictionary")
        })
        .clone()
    }

    fn morph(text: &str) -> String {
        analyzer()
            .morph_terms(text)
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Snapshot of the chain for a fixed list of phrases. A change here changes the
    /// index: bump ANALYZER_VERSION and look at the relevance benchmark.
    #[test]
    fn analyzer_snapshots() {
        let cases = [
            ("成年後見について相談したい", "成年 後見 相談"),
            ("成年後見人", "成年 後見人"),
            ("お金がなくて家賃が払えない", "お金 家賃 払える"),
            ("息子が何年も部屋から出てこない", "息子 年 部屋 出る"),
            ("障がいのある人", "障害 人"),
            ("子供の発達が心配", "子ども 発達 心配"),
            ("引きこもりの相談", "ひきこもり 相談"),
            ("地域包括支援センター", "地域 包括 支援 センタ"),
            ("生活困窮者自立支援制度", "生活 困窮 者 自立 支援 制度"),
            ("認知症の親", "認知 症 親"),
            ("ＮＰＯ法人", "npo 法人"),
        ];
        let mut failures = Vec::new();
        for (input, expected) in cases {
            let got = morph(input);
            if got != expected {
                failures.push(format!(
                    "{input}: got [{got}] want [{expected}] ({})",
                    analyzer().explain(input)
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn term_offsets_point_into_the_original_text() {
        let input = "障がいのある方とＮＰＯの相談";
        for t in analyzer()
            .morph_terms(input)
            .into_iter()
            .chain(analyzer().bigrams(input))
            .chain(analyzer().reading_bigrams(input))
        {
            assert!(t.from < t.to && t.to <= input.len(), "{t:?}");
            assert!(
                input.is_char_boundary(t.from) && input.is_char_boundary(t.to),
                "{t:?}"
            );
        }
        let first = &analyzer().morph_terms(input)[0];
        assert_eq!(first.text, "障害");
        assert_eq!(&input[first.from..first.to], "障がい");
    }

    #[test]
    fn bigrams_cover_compounds_split_differently() {
        let doc: Vec<String> = analyzer()
            .bigrams("成年後見制度")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert!(doc.contains(&"後見".to_string()));
        let q: Vec<String> = analyzer()
            .bigrams("後見人")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(q, vec!["後見", "見人"]);
        let one: Vec<String> = analyzer()
            .bigrams("肩")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(one, vec!["肩"]);
    }

    #[test]
    fn hiragana_reading_meets_kanji_reading() {
        let kanji: Vec<String> = analyzer()
            .reading_bigrams("成年後見")
            .into_iter()
            .map(|t| t.text)
            .collect();
        let kana: Vec<String> = analyzer()
            .bigrams("せいねんこうけん")
            .into_iter()
            .map(|t| to_katakana(&t.text))
            .collect();
        assert_eq!(kanji, kana);
    }

    #[test]
    fn empty_and_blank_input_give_no_terms() {
        for input in ["", "   ", "。、！？"] {
            assert!(analyzer().morph_terms(input).is_empty(), "{input:?}");
            assert!(analyzer().bigrams(input).is_empty(), "{input:?}");
            assert!(analyzer().reading_bigrams(input).is_empty(), "{input:?}");
        }
    }
}
