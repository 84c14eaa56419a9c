//! The bundled content: sources on every contact, numbers that exist in the collected
//! facts, every plan item covered, a route for every need in every city.

use std::collections::HashSet;

use tsunagu::content::{phone_in, text_in, City, Confidence};

use crate::helpers::*;
use crate::seeds;

#[test]
fn every_contact_carries_a_source() {
    for r in &engine().catalog.records {
        for c in &r.contacts {
            assert!(!c.source.title.trim().is_empty(), "{}: {}", r.id, c.name);
            assert!(
                c.source.url.is_some() || c.source.date.is_some() || c.source.id.ends_with("plan"),
                "{}: {} has neither url nor date",
                r.id,
                c.name
            );
            if c.confidence == Confidence::Medium {
                assert!(
                    c.as_of.is_some(),
                    "{}: medium-confidence contact without its date note",
                    r.id
                );
            }
        }
    }
}

/// Every phone, fax, hours text and address of every contact appears in an excerpt of
/// the source that contact cites for it. `content::load` refuses content otherwise; this
/// re-checks the loaded catalog on the repository alone (nothing beside it is read).
#[test]
fn every_claim_in_content_is_proven_by_an_excerpt_inside_content() {
    let catalog = &engine().catalog;
    let mut unproven = Vec::new();
    let mut phones = 0;
    for r in &catalog.records {
        let area = catalog.city(r.city).and_then(|c| c.area_code.as_deref());
        for c in r.contacts.iter().chain(&r.restricted) {
            for p in c.phone.iter().chain(c.fax.iter()) {
                phones += 1;
                if !c.source.excerpts.iter().any(|e| phone_in(p, e, area)) {
                    unproven.push(format!("{} {p} ({})", r.id, c.source.id));
                }
            }
            let claims = [
                (&c.hours, c.hours_source.as_ref().unwrap_or(&c.source)),
                (&c.address, c.address_source.as_ref().unwrap_or(&c.source)),
            ];
            for (claim, source) in claims {
                if let Some(v) = claim {
                    if !source.excerpts.iter().any(|e| text_in(v, e)) {
                        unproven.push(format!("{} {v} ({})", r.id, source.id));
                    }
                }
            }
        }
    }
    assert!(
        unproven.is_empty(),
        "claims without an excerpt: {unproven:#?}"
    );
    assert!(phones >= 120, "only {phones} phones in content");
}

/// Every 施策 line of both seeds, and every item the content issue names, maps to records.
#[test]
fn coverage_manifest_covers_every_plan_item() {
    let catalog = &engine().catalog;
    assert!(
        catalog.coverage.len() >= 90,
        "coverage has {} items",
        catalog.coverage.len()
    );
    for item in &catalog.coverage {
        assert!(!item.records.is_empty(), "{}", item.text);
        for id in &item.records {
            assert!(catalog.record(id).is_some(), "{}: {id}", item.text);
        }
    }
    // The two plan seeds are copied into tests/fixtures/seeds so this runs on a fresh
    // clone with nothing beside it.
    let texts: HashSet<&str> = catalog.coverage.iter().map(|i| i.text.as_str()).collect();
    let seed = |prefix: &str| {
        let e = std::fs::read_dir(root().join("tests/fixtures/seeds"))
            .unwrap()
            .flatten()
            .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
            .unwrap();
        std::fs::read_to_string(e.path()).unwrap()
    };
    let mut missing: Vec<String> = seeds::sagamihara(&seed("000"))
        .into_iter()
        .filter(|i| !texts.contains(i.as_str()))
        .collect();
    missing.extend(
        seeds::tsuruoka(&seed("004"))
            .into_iter()
            .filter(|i| !texts.contains(i.as_str())),
    );
    assert!(
        missing.is_empty(),
        "plan items with no record in content/coverage.toml: {missing:#?}"
    );
}

#[test]
fn every_need_has_a_route_in_each_city_whose_first_step_can_be_called() {
    let catalog = &engine().catalog;
    for need in &catalog.needs {
        for city in [City::named("sagamihara").unwrap(), City::named("tsuruoka").unwrap()] {
            let route = catalog
                .route(city, &need.id)
                .unwrap_or_else(|| panic!("no route for {} in {city:?}", need.id));
            assert!((2..=4).contains(&route.steps.len()));
            let first = catalog
                .record(
                    route.steps[0]
                        .record
                        .as_deref()
                        .expect("first step names a record"),
                )
                .unwrap();
            assert!(
                catalog.reachable_contact(first).is_some(),
                "{}: first step has no phone",
                route.id
            );
        }
    }
}

/// `ask` for each need, in each city, shows the route's first contact.
#[test]
fn asking_about_each_need_shows_the_routes_first_contact() {
    let questions = [
        ("kouken", "親の財産管理のために後見人をつけたい"),
        (
            "ninchisho-kaigo",
            "母の物忘れがひどくなって介護が必要かもしれない",
        ),
        ("miyori", "身寄りがない一人暮らしの高齢者です"),
        ("shogai", "障害のある子の相談をしたい"),
        ("kosodate", "子育てがつらくて相談したい"),
        ("young-carer", "ヤングケアラーの相談"),
        ("konkyu", "お金がなくて家賃が払えない"),
        ("shuro", "仕事が見つからなくて働きたい"),
        ("hikikomori", "息子が何年も部屋から出てこない"),
        ("kokoro", "眠れなくて気分が落ち込む"),
        ("gyakutai-child", "近所の子どもが虐待されているかもしれない"),
        (
            "gyakutai-elder",
            "介護で疲れ果ててつい強い言葉を使ってしまう",
        ),
        ("dv", "夫からのDVで悩んでいる"),
        ("saihan", "出所後の住まいと仕事が心配"),
        ("volunteer", "ボランティアを始めたい"),
        ("zaitaku", "在宅医療で家で看取りたい"),
        ("iryo", "夜中に急に熱が出て病院が開いていない"),
        ("bousai", "災害のときに一人で避難できない"),
        ("sogo", "どこに相談すればいいかわからない"),
        ("jinken", "差別を受けたので相談したい"),
    ];
    let catalog = &engine().catalog;
    for (need, q) in questions {
        for city in [City::named("sagamihara").unwrap(), City::named("tsuruoka").unwrap()] {
            let route = catalog.route(city, need).unwrap();
            let first = catalog
                .record(route.steps[0].record.as_deref().unwrap())
                .unwrap();
            let want: Vec<String> = catalog
                .reachable_contacts(first)
                .into_iter()
                .filter_map(|c| c.phone.clone())
                .collect();
            let shown = all_phones(&engine().answer(q, Some(city), 5), 5);
            assert!(
                want.iter().any(|p| shown.contains(p)),
                "{need} in {city:?} ({q}): want one of {want:?}, shown {shown:?}"
            );
        }
    }
}
