//! Readings for ruby text (ふりがな): residents who read kanji with difficulty switch
//! them on. IPADIC gives each word's reading in katakana; the part written in kana
//! (送り仮名) is trimmed so that 相談したい reads 相談(そうだん)したい, not a reading
//! over the whole word.

use super::grams::is_kanji;
use super::Morpheme;

/// A piece of text and, when it holds kanji, its reading in hiragana.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ruby {
    pub text: String,
    pub reading: Option<String>,
}

/// Cuts `original` into pieces along the morphemes (spans into `original`), giving
/// each kanji piece its reading. Text between morphemes is kept as it was.
pub(super) fn pieces(original: &str, morphemes: &[Morpheme]) -> Vec<Ruby> {
    let mut out = Vec::new();
    let mut at = 0;
    for m in morphemes {
        if m.from < at || m.to > original.len() || m.from > m.to {
            continue; // overlapping spans (a normalisation merged characters)
        }
        if m.from > at {
            out.push(plain(&original[at..m.from]));
        }
        let surface = &original[m.from..m.to];
        out.extend(word(surface, &m.reading));
        at = m.to;
    }
    if at < original.len() {
        out.push(plain(&original[at..]));
    }
    out
}

/// Readings that depend on the neighbours, which IPADIC reads word by word: 月 after a
/// number is がつ (2023年3月), 日 after one is the day's own reading (3日 みっか, 20日
/// はつか), a weekday abbreviated in a list of hours is げつ・か・すい (月・木・金曜, 火・水),
/// and the content's own table (`[readings]` in analysis.toml: 一人 → ひとり,
/// 日本いのちの電話's 日本 → にほん) wins over the dictionary, matched across pieces.
pub(super) fn in_context(pieces: Vec<Ruby>, table: &[(String, String)]) -> Vec<Ruby> {
    let mut out = from_table(pieces, table);
    for i in 0..out.len() {
        let before = i.checked_sub(1).and_then(|j| out[j].text.chars().last());
        let after = out.get(i + 1).and_then(|p| p.text.chars().next());
        if out[i].text == "日" {
            if let Some(n) = number_before(&out[..i]) {
                out[i].reading = Some(day(n, after).to_string());
                continue;
            }
        }
        if let Some(r) = contextual(&out[i].text, before, after) {
            out[i].reading = Some(r.to_string());
        }
    }
    out
}

/// The number written just before a piece (「12月3日」 → 3), read across pieces.
fn number_before(pieces: &[Ruby]) -> Option<u32> {
    let mut digits: Vec<u32> = Vec::new();
    'pieces: for p in pieces.iter().rev() {
        for c in p.text.chars().rev() {
            match digit(c) {
                Some(d) => digits.push(d),
                None => break 'pieces,
            }
        }
    }
    if digits.is_empty() || digits.len() > 4 {
        return None;
    }
    Some(digits.iter().rev().fold(0, |n, d| n * 10 + d))
}

fn digit(c: char) -> Option<u32> {
    c.to_digit(10)
        .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32))
}

/// 日 after a day number: the days of the month with readings of their own (3日 みっか,
/// 20日 はつか), else にち (15日 じゅうごにち: the number keeps its digits). 「1日」 is
/// the first of the month (ついたち) but a count before another number (1日3回 いちにち).
fn day(n: u32, after: Option<char>) -> &'static str {
    match n {
        1 if after.and_then(digit).is_some() => "にち",
        1 => "ついたち",
        2 => "ふつか",
        3 => "みっか",
        4 => "よっか",
        5 => "いつか",
        6 => "むいか",
        7 => "なのか",
        8 => "ようか",
        9 => "ここのか",
        10 => "とおか",
        14 => "じゅうよっか",
        20 => "はつか",
        24 => "にじゅうよっか",
        _ => "にち",
    }
}

const WEEKDAYS: [(&str, &str); 7] = [
    ("月", "げつ"),
    ("火", "か"),
    ("水", "すい"),
    ("木", "もく"),
    ("金", "きん"),
    ("土", "ど"),
    ("日", "にち"),
];

fn contextual(text: &str, before: Option<char>, after: Option<char>) -> Option<&'static str> {
    let number = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if text == "月" && number(before) {
        return Some("がつ");
    }
    // 30分 is さんじゅっぷん, 15分 じゅうごふん: the last digit decides.
    if text == "分" && number(before) {
        let d = before.and_then(digit);
        return Some(if matches!(d, Some(1 | 3 | 4 | 6 | 8 | 0)) { "ぷん" } else { "ふん" });
    }
    let listed = |c: Option<char>| matches!(c, Some('・' | '曜' | '、' | '～' | '~' | '〜' | '-' | '，'));
    let (_, reading) = WEEKDAYS.iter().find(|(w, _)| *w == text)?;
    (listed(before) || listed(after) || after == Some('祝')).then_some(reading)
}

/// Replaces runs of pieces whose text is a table surface with one piece read as the
/// table says. The longest surface starting at a piece wins.
fn from_table(pieces: Vec<Ruby>, table: &[(String, String)]) -> Vec<Ruby> {
    if table.is_empty() {
        return pieces;
    }
    let mut out: Vec<Ruby> = Vec::with_capacity(pieces.len());
    let mut i = 0;
    'next: while i < pieces.len() {
        let mut joined = String::new();
        let mut best: Option<(usize, &(String, String))> = None;
        for (j, p) in pieces[i..].iter().enumerate().take(8) {
            joined.push_str(&p.text);
            if let Some(entry) = table.iter().find(|(s, _)| *s == joined) {
                best = Some((j + 1, entry));
            }
            if !table.iter().any(|(s, _)| s.starts_with(joined.as_str())) {
                break;
            }
        }
        if let Some((n, (surface, reading))) = best {
            out.extend(word_read_as(surface, reading));
            i += n;
            continue 'next;
        }
        out.push(pieces[i].clone());
        i += 1;
    }
    out
}

/// A table entry as ruby: kana in the surface stay plain, as for dictionary words.
fn word_read_as(surface: &str, reading_hiragana: &str) -> Vec<Ruby> {
    word(surface, &reading_hiragana.chars().map(|c| match c {
        'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
        _ => c,
    }).collect::<String>())
}

fn plain(s: &str) -> Ruby {
    Ruby {
        text: s.to_string(),
        reading: None,
    }
}

/// One word: the kana around its kanji stay plain, the kanji get what is left of the
/// reading. A reading that does not fit (unknown words read as themselves) is dropped.
fn word(surface: &str, reading_katakana: &str) -> Vec<Ruby> {
    if !surface.chars().any(is_kanji) {
        return vec![plain(surface)];
    }
    let reading: Vec<char> = to_hiragana(reading_katakana).chars().collect();
    let chars: Vec<char> = surface.chars().collect();
    let hira: Vec<char> = chars.iter().map(|c| hiragana_of(*c)).collect();
    let head = hira
        .iter()
        .zip(&reading)
        .take_while(|(a, b)| a == b && !is_kanji(**a))
        .count();
    let tail = hira[head..]
        .iter()
        .rev()
        .zip(reading[head..].iter().rev())
        .take_while(|(a, b)| a == b && !is_kanji(**a))
        .count();
    let core_reading: String = reading[head..reading.len() - tail].iter().collect();
    let core: String = chars[head..chars.len() - tail].iter().collect();
    if core_reading.is_empty() || core_reading.chars().any(is_kanji) {
        return vec![plain(surface)];
    }
    let mut out = Vec::new();
    if head > 0 {
        out.push(plain(&chars[..head].iter().collect::<String>()));
    }
    out.push(Ruby {
        text: core,
        reading: Some(core_reading),
    });
    if tail > 0 {
        out.push(plain(&chars[chars.len() - tail..].iter().collect::<String>()));
    }
    out
}

fn hiragana_of(c: char) -> char {
    match c {
        'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

pub fn to_hiragana(s: &str) -> String {
    s.chars().map(hiragana_of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(pieces: &[Ruby]) -> String {
        pieces
            .iter()
            .map(|p| match &p.reading {
                Some(r) => format!("{}({})", p.text, r),
                None => p.text.clone(),
            })
            .collect()
    }

    #[test]
    fn okurigana_stays_outside_the_reading() {
        assert_eq!(show(&word("払え", "ハラエ")), "払(はら)え");
        assert_eq!(show(&word("お金", "オカネ")), "お金(かね)");
        assert_eq!(show(&word("相談", "ソウダン")), "相談(そうだん)");
        assert_eq!(show(&word("した", "シタ")), "した");
    }

    #[test]
    fn a_reading_that_does_not_fit_is_left_out() {
        // Unknown words come back "read" as themselves.
        assert_eq!(show(&word("鶴岡", "鶴岡")), "鶴岡");
    }

    #[test]
    fn the_real_analyser_gives_ruby_for_a_question() {
        let (_, analyzer) = crate::testutil::fixture();
        let text = "成年後見について相談したい";
        let p = analyzer.furigana(text);
        assert_eq!(p.iter().map(|r| r.text.as_str()).collect::<String>(), text);
        assert!(show(&p).contains("相談(そうだん)"), "{}", show(&p));
        assert!(show(&p).contains("成年(せいねん)"), "{}", show(&p));
    }
}
