//! Which language a question is written in. Foreign residents ask in English; the answer
//! keeps the Japanese window names and numbers (what they will hear on the phone) and
//! adds an English label of the need and the lines that take calls in other languages.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// English when the question is mostly Latin letters: 「dv 夫」 or 「NPOについて」 stay
/// Japanese; "my husband hits me" and "help" are English.
pub fn detect(text: &str) -> Lang {
    let latin = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    let japanese = text
        .chars()
        .filter(|c| matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ｦ'..='ﾟ' | '\u{4E00}'..='\u{9FFF}'))
        .count();
    if latin >= 4 && latin >= 3 * japanese {
        Lang::En
    } else {
        Lang::Ja
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_mostly_latin_letters() {
        assert_eq!(detect("I can't pay my rent"), Lang::En);
        assert_eq!(detect("help"), Lang::En);
        assert_eq!(detect("dv 夫"), Lang::Ja);
        assert_eq!(detect("NPOの相談窓口"), Lang::Ja);
        assert_eq!(detect("ＤＶ"), Lang::Ja);
        assert_eq!(detect("成年後見について相談したい"), Lang::Ja);
    }
}
