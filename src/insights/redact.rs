//! Removes what could identify a resident from a question before anything is stored:
//! e-mail addresses, LINE ids, postal codes, phone numbers, street addresses (numbers
//! after a town name: 2丁目11-15, 3番地) and personal names (IPADIC's 名詞,固有名詞,人名).
//! Each becomes a bracketed label, so editors still see what kind of thing was said.
//! Errs on the side of removing: a common word IPADIC tags as a name is removed too.

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::Analyzer;

pub const EMAIL: &str = "〔メール〕";
pub const LINE_ID: &str = "〔LINE ID〕";
pub const POSTAL: &str = "〔郵便番号〕";
pub const PHONE: &str = "〔電話番号〕";
pub const ADDRESS: &str = "〔住所〕";
pub const NAME: &str = "〔氏名〕";

const D: &str = "[0-9０-９]";
const DASH: &str = "[-‐－―ー−]";

fn patterns() -> &'static [(Regex, &'static str)] {
    static P: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    P.get_or_init(|| {
        let re = |s: String| Regex::new(&s).expect("redaction pattern");
        vec![
            (
                re(r"[A-Za-z0-9._%+\-]+\s*[@＠]\s*[A-Za-z0-9.\-]+\.[A-Za-z]{2,}".into()),
                EMAIL,
            ),
            (re(r"U[0-9a-f]{32}".into()), LINE_ID),
            (
                re(r"(?i)(?:LINE\s*(?:ID)?|ライン\s*(?:ID|ＩＤ)?)\s*[:：は]?\s*@?[A-Za-z0-9._\-]{3,}".into()),
                LINE_ID,
            ),
            (re(r"[@＠][A-Za-z0-9._\-]{3,}".into()), LINE_ID),
            // Written-out numbers first (090-1234-5678, 0427699222), so digits before a
            // number cannot pull the loose pattern below off its groups (fuzz finding:
            // "07 090-1234-5678" left "-5678").
            (
                re(format!(r"(?:\+81{DASH}?|＋８１{DASH}?|0|０){D}{{1,4}}{DASH}{D}{{1,4}}{DASH}{D}{{3,4}}")),
                PHONE,
            ),
            (re(format!(r"(?:0|０){D}{{9,10}}")), PHONE),
            (
                re(format!(
                    r"(?:\+81|＋８１|0|０)[\s(（]*{D}{{1,4}}[\s)）]*{DASH}?[\s(（]*{D}{{1,4}}[\s)）]*{DASH}?\s*{D}{{3,4}}"
                )),
                PHONE,
            ),
            // After phones, so the last digits of 090-1234-5678 are not a postal code.
            (re(format!(r"〒?\s*{D}{{3}}{DASH}{D}{{4}}")), POSTAL),
            (
                re(format!(
                    r"[\p{{Han}}\p{{Katakana}}ヶケ]{{0,6}}(?:{D}+|[一二三四五六七八九十]+)丁目(?:\s*{D}+(?:番地?|{DASH}))?(?:\s*{D}+号?)?"
                )),
                ADDRESS,
            ),
            (re(format!(r"{D}+番地?{D}*号?")), ADDRESS),
            (re(format!(r"{D}+{DASH}{D}+{DASH}{D}+")), ADDRESS),
        ]
    })
}

/// The question with personal data replaced by labels.
pub fn redact(analyzer: &Analyzer, text: &str) -> String {
    let mut out = text.to_string();
    for (re, label) in patterns() {
        out = re.replace_all(&out, *label).into_owned();
    }
    let spans = analyzer.person_name_spans(&out);
    if spans.is_empty() {
        return out;
    }
    let mut redacted = String::with_capacity(out.len());
    let mut at = 0;
    for (from, to) in spans {
        if from < at {
            continue;
        }
        redacted.push_str(&out[at..from]);
        if !redacted.ends_with(NAME) {
            redacted.push_str(NAME);
        }
        at = to;
    }
    redacted.push_str(&out[at..]);
    redacted
}
