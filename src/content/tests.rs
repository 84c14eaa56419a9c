//! Content-truth rules on a copy of the fixture corpus: excerpts prove every claim, one
//! source per claim, numbers only for who they serve, route steps that state facts cite
//! a source, and old sources said out loud. Each test breaks one thing and reads the
//! message an editor would see.

use std::path::Path;

use super::*;

const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 29,
};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// The fixture corpus plus `extra` as `city/extra.toml`, and `sources` appended to
/// sources.toml.
fn corpus(extra: &str, sources: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &crate::repo_root().join("tests/fixtures/content"),
        dir.path(),
    );
    std::fs::write(dir.path().join("city/extra.toml"), extra).unwrap();
    let src = dir.path().join("sources.toml");
    let mut text = std::fs::read_to_string(&src).unwrap();
    text.push_str(sources);
    std::fs::write(src, text).unwrap();
    dir
}

fn errors(dir: &Path) -> Vec<String> {
    match load_on(dir, TODAY) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(|e| e.to_string()).collect(),
    }
}

const SOURCES: &str = r#"
[source.new-page]
title = "新しいページ"
date = "2025-04-01"
confidence = "high"
excerpts = ["相談室 電話042-000-0100 受付 平日9時から17時まで"]

[source.old-page]
title = "古いページ"
date = "2019-09-01"
confidence = "high"
excerpts = ["相談室 電話042-000-0200 所在地 中央区1-1"]

[source.dataset]
title = "第三者データ"
confidence = "low"
excerpts = ["候補 042-000-0300"]
"#;

#[test]
fn a_phone_missing_from_its_sources_excerpts_fails_with_file_and_line() {
    let dir = corpus(
        r#"city = "sagamihara"

[[record]]
id = "x-room"
kind = "window"
title = "相談室"
topics = ["その他"]
[[record.contact]]
name = "相談室"
phone = "042-000-0199"
source = "new-page"
"#,
        SOURCES,
    );
    let errs = errors(dir.path());
    assert!(
        errs.iter().any(
            |e| e.starts_with("city/extra.toml:10: record[x-room].contact.phone:")
                && e.contains("\"042-000-0199\" does not appear in any excerpt of source new-page")
        ),
        "{errs:#?}"
    );
}

#[test]
fn rewritten_hours_fail_and_the_sources_wording_passes() {
    let record = |hours: &str| {
        format!(
            "city = \"sagamihara\"\n\n[[record]]\nid = \"x-room\"\nkind = \"window\"\ntitle = \"相談室\"\ntopics = [\"その他\"]\n[[record.contact]]\nname = \"相談室\"\nphone = \"042-000-0100\"\nhours = \"{hours}\"\nsource = \"new-page\"\n"
        )
    };
    let errs = errors(corpus(&record("平日 午前9時～午後5時"), SOURCES).path());
    assert!(
        errs.iter()
            .any(|e| e.contains("contact.hours") && e.contains("city/extra.toml:11")),
        "{errs:#?}"
    );
    assert_eq!(
        errors(corpus(&record("平日９時から１７時まで"), SOURCES).path()),
        Vec::<String>::new()
    );
}

#[test]
fn a_contact_takes_the_date_of_the_source_behind_its_phone_not_the_newest() {
    // Phone from the 2019 page, hours from the 2025 page: the contact is as old as its phone.
    let dir = corpus(
        r#"city = "sagamihara"

[[record]]
id = "x-merged"
kind = "window"
title = "相談室"
topics = ["その他"]
[[record.contact]]
name = "相談室"
phone = "042-000-0200"
hours = "平日9時から17時まで"
address = "中央区1-1"
source = "old-page"
hours_source = "new-page"
"#,
        SOURCES,
    );
    let catalog = load_on(dir.path(), TODAY).unwrap();
    let c = &catalog.record("x-merged").unwrap().contacts[0];
    assert_eq!(c.source.id, "old-page");
    assert_eq!(c.source.date.as_deref(), Some("2019-09-01"));
    assert_eq!(c.hours_source.as_ref().unwrap().id, "new-page");
    assert!(c.stale);
    assert!(c
        .as_of
        .as_deref()
        .unwrap()
        .starts_with("2019年9月時点の情報です"));
    // The same hours cited to the old page fail: it does not state them.
    let dir = corpus(
        &std::fs::read_to_string(dir.path().join("city/extra.toml"))
            .unwrap()
            .replace("hours_source = \"new-page\"\n", ""),
        SOURCES,
    );
    assert!(errors(dir.path())
        .iter()
        .any(|e| e.contains("contact.hours")));
}

#[test]
fn organisation_only_and_private_numbers_never_reach_resident_contacts() {
    let dir = corpus(
        r#"city = "sagamihara"

[[record]]
id = "x-food"
kind = "activity"
title = "食材を届ける団体"
topics = ["その他"]
fallback = "f-general"
[[record.contact]]
name = "団体向けの窓口"
phone = "042-000-0100"
source = "new-page"
audience = "organisations"

[[record]]
id = "x-cafe"
kind = "activity"
title = "子ども食堂"
topics = ["その他"]
fallback = "f-general"
[[record.contact]]
name = "担当者"
phone = "042-000-0200"
source = "old-page"
private = true
"#,
        SOURCES,
    );
    let catalog = load_on(dir.path(), TODAY).unwrap();
    for id in ["x-food", "x-cafe"] {
        let r = catalog.record(id).unwrap();
        assert!(r.contacts.is_empty(), "{id}");
        assert!(!r.has_phone(), "{id}");
        assert_eq!(r.restricted.len(), 1, "{id}");
        assert!(catalog
            .reachable_contacts(r)
            .iter()
            .all(|c| c.audience == Audience::Residents && !c.private));
    }
    // Without a fallback, a record whose only number is restricted is an error.
    let errs = errors(
        corpus(
            &std::fs::read_to_string(dir.path().join("city/extra.toml"))
                .unwrap()
                .replacen("fallback = \"f-general\"\n", "", 1),
            SOURCES,
        )
        .path(),
    );
    assert!(
        errs.iter().any(|e| e.contains("record[x-food].fallback")),
        "{errs:#?}"
    );
}

#[test]
fn a_low_confidence_source_may_back_a_lead_but_never_a_contact() {
    let lead = r#"city = "sagamihara"
source = "fixture"

[[record]]
id = "x-gap"
kind = "window"
title = "番号未確認の窓口"
topics = ["その他"]
fallback = "f-general"
[[record.lead]]
text = "候補 042-000-0300"
source = "dataset"
"#;
    let catalog = load_on(corpus(lead, SOURCES).path(), TODAY).unwrap();
    assert_eq!(
        catalog.record("x-gap").unwrap().leads[0].source.id,
        "dataset"
    );
    let contact = lead.replace(
        "[[record.lead]]\ntext = \"候補 042-000-0300\"",
        "[[record.contact]]\nname = \"候補\"\nphone = \"042-000-0300\"",
    );
    let errs = errors(corpus(&contact, SOURCES).path());
    assert!(
        errs.iter()
            .any(|e| e.contains("dataset is a low-confidence source")),
        "{errs:#?}"
    );
}

#[test]
fn a_route_step_that_names_no_window_must_cite_a_source_or_be_advice() {
    let route = |extra: &str| {
        format!(
            "city = \"sagamihara\"\n\n[[route]]\nid = \"x-route\"\nneed = \"kouken\"\ntitle = \"道すじ\"\n[[route.step]]\ntext = \"窓口に相談します。\"\nrecord = \"f-kouken\"\n[[route.step]]\ntext = \"家庭裁判所が後見人を選びます。\"\n{extra}"
        )
    };
    let errs = errors(corpus(&route(""), SOURCES).path());
    assert!(
        errs.iter().any(
            |e| e.starts_with("city/extra.toml:10: route[x-route].step:")
                && e.contains("advice = true")
        ),
        "{errs:#?}"
    );
    assert!(errors(corpus(&route("advice = true\n"), SOURCES).path()).is_empty());
    assert!(errors(corpus(&route("source = \"new-page\"\n"), SOURCES).path()).is_empty());
    let errs = errors(corpus(&route("source = \"nowhere\"\n"), SOURCES).path());
    assert!(
        errs.iter()
            .any(|e| e.contains("unknown source \"nowhere\"")),
        "{errs:#?}"
    );
}

#[test]
fn old_sources_warn_and_carry_a_dated_notice_whatever_their_confidence() {
    let dir = corpus(
        r#"city = "sagamihara"

[[record]]
id = "x-old"
kind = "window"
title = "相談室"
topics = ["その他"]
[[record.contact]]
name = "相談室"
phone = "042-000-0200"
source = "old-page"
"#,
        SOURCES,
    );
    let catalog = load_on(dir.path(), TODAY).unwrap();
    let c = &catalog.record("x-old").unwrap().contacts[0];
    assert_eq!(c.confidence, Confidence::High);
    assert!(c.stale);
    assert_eq!(
        c.as_of.as_deref(),
        Some(crate::messages::stale(Some("2019-09-01")).as_str())
    );
    assert!(catalog
        .warnings
        .iter()
        .any(|w| w.file == "city/extra.toml" && w.to_string().contains("older than 3 years")));
    // Measured from the day passed in: in 2021 the same page was recent.
    let then = Date::parse("2021-01-01").unwrap();
    let catalog = load_on(dir.path(), then).unwrap();
    assert!(!catalog.record("x-old").unwrap().contacts[0].stale);
}
