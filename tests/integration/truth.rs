//! Issue 10 (content truth II) on the bundled content: old numbers say so in every
//! answer, organisation-only and private numbers never reach residents, the worklist and
//! the report cover every gap, and the CLI shows what a resident would see.

use tsunagu::content::{report, Audience, City};

use crate::helpers::*;

/// Every contact an answer shows: crisis block, cards and route steps.
fn contacts(a: &tsunagu::answer::Answer) -> Vec<std::sync::Arc<tsunagu::content::Contact>> {
    let mut all: Vec<_> = a
        .emergency
        .iter()
        .flat_map(|e| e.contacts.clone())
        .collect();
    for r in &a.results {
        all.extend(r.contacts.iter().cloned());
        for s in &r.route {
            all.extend(s.contact.iter().cloned());
            all.extend(s.contacts.iter().cloned());
        }
    }
    all
}

#[test]
fn answers_about_kaigo_in_sagamihara_show_the_stale_notice_on_the_2019_numbers() {
    let a = engine().answer("介護の相談をしたい", Some(City::named("sagamihara").unwrap()), 5);
    let old: Vec<_> = contacts(&a)
        .into_iter()
        .filter(|c| {
            c.source
                .date
                .as_deref()
                .is_some_and(|d| d.starts_with("2019"))
        })
        .collect();
    assert!(!old.is_empty(), "no 2019 number in the answer");
    for c in old {
        assert!(c.stale, "{}", c.name);
        let notice = c.as_of.as_deref().unwrap_or_default();
        assert!(notice.starts_with("2019年"), "{}: {notice}", c.name);
        assert!(notice.contains("ご確認ください"), "{notice}");
    }
    let text = tsunagu::answer::render_text(&a);
    assert!(text.contains("2019年9月時点の情報です"), "{text}");
}

#[test]
fn no_food_today_in_sagamihara_offers_no_organisation_only_or_private_number() {
    for q in [
        "今日食べるものがない",
        "食べ物がなくて困っている",
        "子ども食堂に行きたい",
    ] {
        let a = engine().answer(q, Some(City::named("sagamihara").unwrap()), 10);
        let shown = contacts(&a);
        assert!(!shown.is_empty(), "{q}: nothing to call");
        for c in &shown {
            assert_eq!(c.audience, Audience::Residents, "{q}: {}", c.name);
            assert!(!c.private, "{q}: {}", c.name);
        }
        let phones = all_phones(&a, 10);
        assert!(
            !phones.iter().any(|p| p == "070-4481-4094"),
            "{q}: {phones:?}"
        );
        assert!(
            !phones.iter().any(|p| p == "070-3524-0408"),
            "{q}: {phones:?}"
        );
    }
}

#[test]
fn restricted_numbers_are_kept_for_staff_but_never_in_resident_contacts() {
    let catalog = &engine().catalog;
    let food = catalog.record("sgm-food-community").unwrap();
    assert!(food.contacts.is_empty());
    assert_eq!(food.restricted[0].audience, Audience::Organisations);
    let chao = catalog.record("sgm-chao").unwrap();
    assert!(chao.contacts.is_empty());
    assert!(chao.restricted[0].private);
    for r in &catalog.records {
        for c in catalog.reachable_contacts(r) {
            assert!(c.audience == Audience::Residents && !c.private, "{}", r.id);
        }
    }
}

#[test]
fn the_7119_direct_line_carries_the_date_of_its_own_source() {
    let r = engine().catalog.record("sgm-7119").unwrap();
    let direct = r
        .contacts
        .iter()
        .find(|c| c.phone.as_deref() == Some("045-232-7119"))
        .unwrap();
    // The 2026 article states #7119, not the 045 number: the direct line is undated.
    assert_eq!(direct.source.date, None);
    assert!(direct.as_of.is_some());
    assert!(direct.hours.is_none());
}

#[test]
fn route_steps_without_a_window_cite_a_source_or_are_advice() {
    for route in &engine().catalog.routes {
        for s in &route.steps {
            assert!(
                s.record.is_some() || s.source.is_some() || s.advice,
                "{}: {}",
                route.id,
                s.text
            );
            for claim in [
                "電話で確認済み",
                "現在のこども家庭センター",
                "一時的な保護",
                "保護命令",
            ] {
                assert!(!s.text.contains(claim), "{}: {}", route.id, s.text);
            }
        }
    }
}

#[test]
fn english_questions_find_the_foreign_language_lines() {
    let a = engine().answer("I need help in English", Some(City::named("tsuruoka").unwrap()), 10);
    let ids: Vec<&str> = a.results.iter().map(|r| r.id.as_str()).collect();
    assert!(
        ids.iter()
            .any(|id| ["nat-tell", "nat-gaikokugo-jinken", "nat-yorisoi-foreign"].contains(id)),
        "{ids:?}"
    );
    // FRESC's number is a low-confidence lead for editors: never shown.
    let r = engine().catalog.record("nat-gaikokugo-jinken").unwrap();
    assert!(r.leads.iter().any(|l| l.text.contains("0570-011000")));
    let a = engine().answer("FRESC foreign residents support center", None, 10);
    assert!(!all_phones(&a, 10).iter().any(|p| p == "0570-011000"));
}

#[test]
fn the_worklist_lists_every_record_without_a_verified_phone() {
    let catalog = &engine().catalog;
    let csv = report::gaps_csv(catalog);
    let gaps = catalog.gaps();
    assert_eq!(csv.lines().count(), gaps.len() + 1);
    for g in &gaps {
        assert!(csv.contains(&format!("\"{}\"", g.id)), "{}", g.id);
    }
    let (out, _) = cli(&content_dir(), &["gaps"]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), csv);
}

#[test]
fn check_report_prints_per_city_counts_and_stale_contacts() {
    let (out, _) = cli(&content_dir(), &["check", "--report"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    for c in report::city_reports(&engine().catalog) {
        assert!(text.contains(c.city.as_str()), "{text}");
        assert!(c.records >= c.with_phone);
    }
    assert!(text.contains("stale contacts in sagamihara"), "{text}");
    assert!(text.contains("warning:"), "{text}");
}

#[test]
fn ask_in_the_terminal_shows_notes_stale_notices_and_gap_notes() {
    let (out, _) = cli(
        &content_dir(),
        &["ask", "家族を自死で亡くした", "--city", "sagamihara"],
    );
    let text = stdout(&out);
    assert!(text.contains("注: "), "{text}");
    assert!(text.contains("時点の情報です"), "{text}");
    let (out, _) = cli(
        &content_dir(),
        &["ask", "成年後見について相談したい", "--city", "sagamihara"],
    );
    let text = stdout(&out);
    assert!(text.contains("※ "), "{text}");
}
