//! ふりがな as a reader sees it: 100 phrases from the content and the pages
//! (`tests/fixtures/readings.tsv`), each with the readings a person would expect —
//! dates (3月 → がつ, 3日 → みっか, 20日 → はつか), weekdays in hours (月・木・金曜 → げつ・もく・きん), minutes (30分 →
//! ぷん), 一人 → ひとり, 日本いのちの電話 → にほん.

use crate::helpers::*;

fn ruby(text: &str) -> String {
    engine()
        .index
        .analyzer
        .furigana(text)
        .iter()
        .map(|p| match &p.reading {
            Some(r) => format!("{}({r})", p.text),
            None => p.text.clone(),
        })
        .collect()
}

#[test]
fn a_hundred_phrases_from_the_content_read_as_a_person_reads_them() {
    let file = std::fs::read_to_string(root().join("tests/fixtures/readings.tsv")).unwrap();
    let rows: Vec<(&str, &str)> = file
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect();
    assert!(rows.len() >= 100, "{} phrases", rows.len());
    let wrong: Vec<String> = rows
        .iter()
        .filter(|(text, want)| ruby(text) != *want)
        .map(|(text, want)| format!("{text}\n  want {want}\n  got  {}", ruby(text)))
        .collect();
    assert!(wrong.is_empty(), "{} misread:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn the_readings_that_were_wrong_where_it_matters_most() {
    assert!(ruby("2023年3月時点の情報です").contains("月(がつ)"));
    assert_eq!(ruby("月・木・金曜"), "月(げつ)・木(もく)・金曜(きんよう)");
    assert_eq!(ruby("火・水"), "火(か)・水(すい)");
    assert!(ruby("一人で悩まずに").starts_with("一人(ひとり)"));
    assert!(ruby("日本いのちの電話").starts_with("日本(にほん)"));
    assert_eq!(ruby("12月3日"), "12月(がつ)3日(みっか)");
    assert_eq!(ruby("4月1日"), "4月(がつ)1日(ついたち)");
    assert_eq!(ruby("20日"), "20日(はつか)");
    assert_eq!(ruby("31日"), "31日(にち)");
    // Outside a list of days the same kanji keep their ordinary readings.
    assert!(ruby("水を飲む").starts_with("水(みず)"));
    assert!(ruby("月がきれい").starts_with("月(つき)"));
}
