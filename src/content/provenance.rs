//! Proof inside the repository: every phone, hours text and address of a contact must
//! appear in a verbatim excerpt of the source that contact cites for it, and every
//! source has an age that residents are told about once it is old.
//!
//! Matching is on normalised text, and the normalisation is the whole of what is allowed
//! to differ from the page:
//! - Unicode NFKC (全角 → 半角: ０４２ → 042, （ → (, ～ → ~);
//! - every dash (−, –, ‐, —, －, ‑, ―) → `-`, the wave dash 〜 → `~`, ♯ → `#`;
//! - whitespace is ignored (the packs collapse line breaks to spaces);
//! - phones are compared as whole numbers without their hyphens (0120-078310 is
//!   0120-0-78310; `・` between digits is a hyphen: 0120・061・338), and a number may
//!   appear without the area code its municipality's city.toml names (鶴岡's newsletter
//!   prints 25-2111 for 0235-25-2111).
//!
//! Anything else (午後4時～9時 for 16:00–21:00) is a rewrite and fails: copy the
//! source's words instead.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

use super::contact::Source;
use super::raw::RawContact;
pub use super::date::{is_stale, Date};
use super::loader::Loader;

/// Where a contact's claims are checked, for the error message.
pub(super) struct Proof<'a> {
    pub file: &'a str,
    pub key: &'a str,
    pub span: Range<usize>,
    /// The area code the municipality's sources may leave off.
    pub area_code: Option<&'a str>,
}

impl Loader {
    /// Every phone, fax, hours text and address of `c` appears in an excerpt of the
    /// source it cites for that claim; otherwise one error per claim, at its line.
    pub(super) fn prove_contact(
        &mut self,
        at: &Proof<'_>,
        c: &RawContact,
        phone: &Source,
        hours: &Source,
        address: &Source,
    ) {
        let claims = [
            ("phone", c.phone.as_ref(), phone, true),
            ("fax", c.fax.as_ref(), phone, true),
            ("hours", c.hours.as_ref(), hours, false),
            ("address", c.address.as_ref(), address, false),
        ];
        for (what, value, source, is_phone) in claims {
            let Some(value) = value else { continue };
            let v = value.get_ref();
            let found = source.excerpts.iter().any(|e| {
                if is_phone {
                    phone_in(v, e, at.area_code)
                } else {
                    text_in(v, e)
                }
            });
            if !found {
                let span = if value.span().is_empty() {
                    at.span.clone()
                } else {
                    value.span()
                };
                let cite = if what == "fax" { "phone" } else { what };
                self.err(
                    at.file,
                    span,
                    &format!("{}.{what}", at.key),
                    format!(
                        "{v:?} does not appear in any excerpt of source {} (copy the sentence that states it into sources.toml `excerpts`, or cite the source that does with `{cite}_source`)",
                        source.id
                    ),
                );
            }
        }
    }
}

/// The documented normalisation (see the module doc).
pub fn normalise(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '−' | '–' | '‐' | '—' | '－' | '‑' | '―' | '‒' => '-',
            '〜' => '~',
            '♯' => '#',
            c => c,
        })
        .collect()
}

/// The numbers printed in `text`: maximal runs of digits, hyphens and `#` (a `・`
/// between digits counts as a hyphen), compared without their hyphens, since where a
/// page puts them (0120-078310 / 0120-0-78310) does not change the number.
fn numbers_in(text: &str) -> Vec<String> {
    // Spaces end a number here (「0235-24-4608 9時」 is two numbers).
    let t: Vec<char> = text
        .split_whitespace()
        .map(normalise)
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    let mut out = Vec::new();
    let mut cur = String::new();
    for (i, &c) in t.iter().enumerate() {
        let dot_between_digits = c == '・'
            && i > 0
            && t[i - 1].is_ascii_digit()
            && t.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_ascii_digit() || c == '#' {
            cur.push(c);
        } else if c == '-' || dot_between_digits {
            // a separator inside a number
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether `phone` appears in `text` as a whole number (not part of a longer one).
/// `area_code` (the municipality's, from its city.toml) may be left off in `text`.
pub fn phone_in(phone: &str, text: &str, area_code: Option<&str>) -> bool {
    let want: String = normalise(phone)
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '#')
        .collect();
    let local = area_code
        .and_then(|a| want.strip_prefix(a))
        .filter(|l| l.len() >= 6);
    numbers_in(text)
        .iter()
        .any(|n| *n == want || Some(n.as_str()) == local)
}

/// Whether `claim` (hours or an address) appears in `text` after normalisation.
pub fn text_in(claim: &str, text: &str) -> bool {
    let c = normalise(claim);
    !c.is_empty() && normalise(text).contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_out_right() {
        // Moved from the referral slip, which now uses this calendar (and Japan's day).
        let ymd = |d: Date| (d.year, d.month, d.day);
        assert_eq!(ymd(Date::from_days(0)), (1970, 1, 1));
        assert_eq!(ymd(Date::from_days(20_422)), (2025, 11, 30));
        assert_eq!(ymd(Date::from_days(19_782)), (2024, 2, 29));
    }

    #[test]
    fn phones_match_across_dash_styles_and_full_width_digits() {
        assert!(phone_in("042-770-7777", "電話 042−770−7777", None));
        assert!(phone_in(
            "042-770-7777",
            "電話０４２‐７７０‐７７７７", None
        ));
        assert!(phone_in(
            "0120-061-338",
            "電話 0120・061・338(フリーダイヤル",
            None
        ));
        assert!(phone_in("#7119", "電話番号: ♯7119(直通", None));
    }

    #[test]
    fn a_phone_is_not_found_inside_a_longer_number() {
        assert!(!phone_in("110", "0120-007-110", None));
        assert!(!phone_in("042-770-777", "042-770-7777", None));
        assert!(phone_in("110", "警察(110番)に通報", None));
        assert!(phone_in(
            "042-730-3500",
            "電話042-730-3500 24時間通告", None
        ));
    }

    #[test]
    fn local_numbers_may_be_printed_without_the_area_code() {
        assert!(phone_in("0235-35-1252", "本所福祉課?35‐1252", Some("0235")));
        assert!(!phone_in("0235-35-1252", "本所福祉課?35‐1252", None));
        assert!(!phone_in("0235-25-2111", "023-25-2111", Some("0235")));
        assert!(phone_in(
            "0120-0-78310",
            "SOSダイヤル0120-078310(なやみいおう)",
            None
        ));
    }

    #[test]
    fn rewritten_hours_do_not_match_the_source_wording() {
        let excerpt =
            "フリーダイヤル0120-783-556(毎日午後4時~午後9時、毎月10日午前8時~翌日午前8時)";
        assert!(text_in("毎日午後4時～午後9時", excerpt));
        assert!(!text_in("毎日 午後4時～9時", excerpt));
        assert!(text_in("午前8時 ～ 午後9時", "午前8時〜午後9時"));
    }

    #[test]
    fn dates_know_their_age() {
        let today = Date::parse("2026-11-29").unwrap();
        assert!(is_stale(Some("2019-09-01"), today, 3));
        assert!(is_stale(Some("2023-11"), today, 3));
        assert!(!is_stale(Some("2023-12"), today, 3));
        assert!(!is_stale(Some("2024"), today, 3));
        assert!(!is_stale(None, today, 3));
        assert_eq!(Date::from_days(20_421), Date::parse("2025-11-29").unwrap());
    }
}
