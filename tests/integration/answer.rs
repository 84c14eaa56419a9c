//! The answer engine on the bundled content, as residents would notice it: crisis lines
//! first for danger, none for ordinary questions, the right city's windows, never an
//! empty answer, and the JSON contract every surface renders.

use tsunagu::content::City;

use crate::helpers::*;

/// One message per danger class, with a phone the crisis block must show.
const DANGER: &[(&str, &str)] = &[
    ("もう消えてしまいたい", "0120-279-338"),
    ("死にたい", "0120-061-338"),
    ("リストカットがやめられない", "119"),
    (
        "隣の家から毎晩子どもの泣き声と怒鳴り声がして虐待かもしれない",
        "189",
    ),
    ("親に殴られて家に帰りたくない", "189"),
    (
        "介護している母を叩いてしまう。高齢者虐待になりますか",
        "110",
    ),
    ("夫から暴力を振るわれていて逃げたい", "0120-279-889"),
    ("今、包丁を持った人がいて殺されるかもしれない", "110"),
    (
        "所持金が数百円しかない、今日のご飯はどうしよう",
        "0120-279-338",
    ),
    ("性暴力の被害にあった", "#8891"),
];

#[test]
fn every_danger_class_shows_its_crisis_lines_first() {
    for (msg, phone) in DANGER {
        for city in [City::named("sagamihara").unwrap(), City::named("tsuruoka").unwrap()] {
            let a = engine().answer(msg, Some(city), 5);
            let e = a
                .emergency
                .as_ref()
                .unwrap_or_else(|| panic!("no crisis block for {msg:?} in {city:?}"));
            let phones: Vec<&str> = e
                .contacts
                .iter()
                .filter_map(|c| c.phone.as_deref())
                .collect();
            assert!(phones.contains(phone), "{msg:?} in {city:?}: {phones:?}");
            assert!(!e.message.is_empty());
        }
    }
}

#[test]
fn crisis_lines_come_even_when_nothing_else_matches() {
    let a = engine().answer("しにたい", Some(City::named("sagamihara").unwrap()), 5);
    assert!(a.emergency.is_some());
    let a = engine().answer("死 に た い", Some(City::named("tsuruoka").unwrap()), 5);
    assert!(
        a.emergency.is_some(),
        "spaces typed on a phone must not hide the crisis block"
    );
}

#[test]
fn the_city_line_is_added_for_suicidal_thoughts() {
    let phones = crisis_phones(&engine().answer("死にたい", Some(City::named("sagamihara").unwrap()), 5));
    assert!(phones.contains(&"042-769-9819".to_string()), "{phones:?}");
    let phones = crisis_phones(&engine().answer("死にたい", Some(City::named("tsuruoka").unwrap()), 5));
    assert!(phones.contains(&"023-645-4343".to_string()), "{phones:?}");
    assert!(
        !phones.contains(&"042-769-9819".to_string()),
        "a Sagamihara line in Tsuruoka: {phones:?}"
    );
}

#[test]
fn ordinary_questions_do_not_raise_the_crisis_block() {
    for q in [
        "介護保険の申請はどこでできますか",
        "自殺対策計画について知りたい",
        "虐待防止の研修はありますか",
        "民生委員になりたい",
        "成年後見について相談したい",
        "家賃が払えない",
        "子育て支援センターの場所",
        "助けてもらえる制度はありますか",
    ] {
        let a = engine().answer(q, Some(City::named("sagamihara").unwrap()), 5);
        assert!(
            a.emergency.is_none(),
            "false alarm for {q:?}: {:?}",
            a.emergency
        );
    }
}

#[test]
fn nothing_matching_still_returns_the_general_windows() {
    let a = engine().answer("明日の天気は晴れますか", Some(City::named("tsuruoka").unwrap()), 5);
    assert!(a.notice.is_some());
    let ids: Vec<_> = a.results.iter().map(|r| r.id.as_str()).collect();
    assert!(ids.contains(&"tsr-sogo-sodan"), "{ids:?}");
    assert!(a
        .results
        .iter()
        .all(|r| r.contacts.iter().any(|c| c.phone.is_some())));
}

#[test]
fn a_tsuruoka_question_never_gets_a_sagamihara_window() {
    for q in [
        "成年後見について相談したい",
        "家賃が払えない",
        "息子が何年も部屋から出てこない",
        "ボランティアをしたい",
        "介護",
    ] {
        let a = engine().answer(q, Some(City::named("tsuruoka").unwrap()), 10);
        for r in &a.results {
            assert!(
                (r.city == City::named("tsuruoka").unwrap() || r.city == City::National),
                "{q:?} → {}",
                r.id
            );
            for s in &r.route {
                if let Some(rec) = &s.record {
                    assert!(!rec.starts_with("sgm-"), "{q:?} → route via {rec}");
                }
            }
        }
    }
}

#[test]
fn colloquial_questions_reach_the_right_window() {
    let cases: &[(&str, City, &str)] = &[
        (
            "親が認知症でお金の管理ができなくなった",
            City::named("sagamihara").unwrap(),
            "042-756-5034",
        ),
        (
            "お金がなくて家賃が払えない",
            City::named("sagamihara").unwrap(),
            "042-774-1131",
        ),
        (
            "息子が何年も部屋から出てこない",
            City::named("tsuruoka").unwrap(),
            "0235-33-8939",
        ),
        ("せいねんこうけん", City::named("sagamihara").unwrap(), "042-756-5034"),
        ("障がいのある子の将来が心配", City::named("tsuruoka").unwrap(), "0235-25-2794"),
        (
            "出所したけど住むところも仕事もない",
            City::named("sagamihara").unwrap(),
            "042-851-2341",
        ),
    ];
    for (q, city, phone) in cases {
        let a = engine().answer(q, Some(*city), 5);
        let phones = phones_in(&a, 3);
        assert!(
            phones.iter().any(|p| p == phone),
            "{q:?} in {city:?}: {phones:?}"
        );
    }
}

#[test]
fn medium_confidence_contacts_say_how_old_they_are() {
    // 2022-01 is also older than stale_after_years: the notice is the stronger one.
    let a = engine().answer("障害の相談", Some(City::named("tsuruoka").unwrap()), 5);
    let c = a
        .results
        .iter()
        .flat_map(|r| &r.contacts)
        .find(|c| c.phone.as_deref() == Some("0235-25-2794"))
        .expect("障害者相談支援センター");
    assert_eq!(
        c.as_of.as_deref(),
        Some(tsunagu::messages::stale(Some("2022-01")).as_str())
    );
    assert!(c
        .as_of
        .as_deref()
        .unwrap()
        .starts_with("2022年1月時点の情報です。"));
}

#[test]
fn the_json_contract_has_every_field() {
    let a = engine().answer("成年後見について相談したい", Some(City::named("sagamihara").unwrap()), 5);
    let v = serde_json::to_value(&a).unwrap();
    for k in ["query", "city", "emergency", "results", "suggestions"] {
        assert!(v.get(k).is_some(), "answer.{k}");
    }
    let r = &v["results"][0];
    for k in [
        "id", "kind", "title", "summary", "city", "topics", "audience", "contacts", "route",
        "source", "score",
    ] {
        assert!(r.get(k).is_some(), "result.{k}");
    }
    for k in ["title", "url", "date"] {
        assert!(r["source"].get(k).is_some(), "source.{k}");
    }
    let step = &r["route"][0];
    for k in ["step", "text", "contact"] {
        assert!(step.get(k).is_some(), "route.{k}");
    }
    let c = &step["contact"];
    for k in [
        "name", "phone", "fax", "email", "hours", "address", "url", "source",
    ] {
        assert!(c.get(k).is_some(), "contact.{k}");
    }
    assert!((2..=4).contains(&v["suggestions"].as_array().unwrap().len()));
}

#[test]
fn answers_only_contain_contacts_from_content() {
    let known: std::collections::HashSet<String> = engine()
        .catalog
        .records
        .iter()
        .flat_map(|r| r.contacts.iter().filter_map(|c| c.phone.clone()))
        .collect();
    for q in [
        "成年後見",
        "死にたい",
        "家賃",
        "子育て",
        "天気",
        "ボランティア",
        "DV",
    ] {
        for city in [City::named("sagamihara").unwrap(), City::named("tsuruoka").unwrap()] {
            for p in all_phones(&engine().answer(q, Some(city), 10), 10) {
                assert!(known.contains(&p), "{q:?}: {p} is not in content/");
            }
        }
    }
}

/// The project's own labelled set (bench/questions.tsv): crisis recall must be 1.0 in
/// every danger class, false alarms at most 5% and recall@3 at least 0.95 in each city,
/// so a change that hides a crisis line or loses a window fails the build.
#[test]
fn own_question_set_keeps_crisis_recall_and_false_alarm_bars() {
    use tsunagu::relevance::{evaluate, load_questions, Expectations};
    let qs = load_questions(&root().join("bench/questions.tsv")).unwrap();
    assert!(
        qs.len() >= 650,
        "the labelled set has {} questions",
        qs.len()
    );
    let calm = qs.iter().filter(|q| !q.crisis).count();
    assert!(calm >= 300, "only {calm} questions that must stay calm");
    let exp = Expectations::load(&root().join("bench/expectations.toml")).unwrap();
    let report = evaluate(engine(), &qs, &exp, &engine().catalog.municipalities());
    let bad: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| o.crisis_ok == Some(false))
        .map(|o| (&o.id, o.city, &o.text))
        .collect();
    assert!(bad.is_empty(), "crisis block missing: {bad:?}");
    for class in [
        "dv",
        "child-abuse",
        "carer-harm",
        "suicide",
        "self-harm",
        "no-food",
        "violence-now",
    ] {
        assert!(
            report.by_class.get(class).is_some_and(|f| f.crisis >= 10),
            "too few {class} questions"
        );
    }
    for (city, f) in &report.by_city {
        assert!(
            f.false_alarm_rate() <= 0.05,
            "{city}: false alarms {:.3}",
            f.false_alarm_rate()
        );
        assert!(f.recall3() >= 0.95, "{city}: recall@3 {:.3}", f.recall3());
    }
}

#[test]
fn national_scope_gives_national_lines_only() {
    let a = engine().answer("死にたい", Some(City::National), 5);
    assert!(!a.results.is_empty());
    assert!(
        a.results.iter().all(|r| r.city == City::National),
        "{:?}",
        a.results.iter().map(|r| &r.id).collect::<Vec<_>>()
    );
}
