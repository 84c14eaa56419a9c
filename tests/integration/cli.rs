//! The command line an operator and a content editor use: check, index, ask, export.

use crate::helpers::*;

#[test]
fn check_passes_on_the_bundled_content() {
    let (out, _) = cli(&content_dir(), &["check"]);
    assert!(out.status.success(), "{}", stdout(&out));
    assert!(stdout(&out).starts_with("content OK"));
}

#[test]
fn check_lists_every_mistake_with_file_line_and_reason_and_nothing_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), dir.path());
    std::fs::write(
        dir.path().join("city/updates.toml"),
        r#"city = "sagamihara"
source = "fixture"

[[record]]
id = "f-kouken"
kind = "window"
title = ""
topics = ["その他"]
[[record.contact]]
name = "番号の形がおかしい窓口"
phone = "042-769-922"
source = "fixture"
[[record.contact]]
name = "出典のない窓口"
phone = "042-000-0009"

[[route]]
id = "r-dangling"
need = "kouken"
title = "行き先のない道すじ"
[[route.step]]
text = "存在しない窓口へ"
record = "no-such-record"
[[route.step]]
text = "次へ"
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("city/typo.toml"),
        "city = \"sagamihara\"\nsource = \"fixture\"\n\n[[record]]\nid = \"f-typo\"\nkind = \"window\"\ntitle = \"t\"\ntopics = [\"その他\"]\nphnoe = \"042-000-0010\"\n",
    )
    .unwrap();
    let (out, index) = cli(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    for expected in [
        "city/updates.toml:5: record.id: duplicate id f-kouken",
        "city/updates.toml:7: record[f-kouken].title: the title is empty",
        "city/updates.toml:11: record[f-kouken].contact.phone: \"042-769-922\" is not a phone number",
        "city/updates.toml:13: record[f-kouken].contact.source: no source",
        "city/updates.toml:23: route[r-dangling].step.record: no record has the id no-such-record",
        "city/typo.toml:9: phnoe: unknown field `phnoe`",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // `index` refuses too, and leaves no index behind.
    let (out, _) = cli(dir.path(), &["index"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!index.path().join("current").exists());
}

#[test]
fn check_gaps_lists_records_without_a_verified_phone() {
    let (out, _) = cli(&content_dir(), &["check", "--gaps"]);
    let text = stdout(&out);
    assert!(text.contains("without a verified phone"));
    assert!(text.contains("sgm-anshin-center"), "{text}");
    assert!(text.contains("tsr-chukaku"), "{text}");
}

#[test]
fn ask_prints_the_windows_with_phone_numbers() {
    let (out, _) = cli(
        &content_dir(),
        &["ask", "成年後見について相談したい", "--city", "sagamihara"],
    );
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("成年後見"), "{text}");
    assert!(
        text.contains("042-756-5034") || text.contains("042-707-7055"),
        "{text}"
    );
}

#[test]
fn index_builds_and_reports_the_record_count() {
    let (out, index) = cli(&fixture_dir(), &["index"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).starts_with("indexed 8 records"),
        "{}",
        stdout(&out)
    );
    assert!(index.path().join("current/manifest.json").exists());
}

#[test]
fn ask_json_and_export_hsds_are_json() {
    let (out, _) = cli(
        &content_dir(),
        &["ask", "家賃が払えない", "--city", "tsuruoka", "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["city"], "tsuruoka");
    assert!(!v["results"].as_array().unwrap().is_empty());
    let (out, _) = cli(&content_dir(), &["export", "--hsds", "--city", "tsuruoka"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == "tsr-kurashisu"));
}

#[test]
fn unknown_city_is_refused_with_a_reason() {
    let (out, _) = cli(&content_dir(), &["ask", "介護", "--city", "tokyo"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown city"));
}

#[test]
fn a_missing_dictionary_source_says_how_to_install_it() {
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(bin())
        .arg("--content")
        .arg(fixture_dir())
        .arg("--index")
        .arg(empty.path().join("index"))
        .arg("index")
        .env("TSUNAGU_DICT_DIR", empty.path().join("dict"))
        .env("TSUNAGU_IPADIC_SRC", empty.path().join("no-ipadic-here"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("apt-get install mecab-ipadic"), "{err}");
}

/// A damaged learned-detector file is a content error at its line with the command that
/// rebuilds it; nothing is indexed (the rules never run with a half-read model).
#[test]
fn a_malformed_detector_file_fails_the_check_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&content_dir(), dir.path());
    let path = dir.path().join("detector.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let head = text.find("weights = '''").unwrap();
    let line_no = text[..head].lines().count() + 3; // the weights' second line
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[line_no - 1] = "^い\t0.5 0.5".to_string();
    std::fs::write(&path, lines.join("\n")).unwrap();
    let (out, _) = cli(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let expected = format!("detector.toml:{line_no}: weights: 2 weights for 9 labels");
    assert!(text.contains(&expected), "missing {expected:?} in:\n{text}");
    assert!(text.contains("train-detector"), "says how to rebuild it");
}
