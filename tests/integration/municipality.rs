//! A municipality joins with files (issue 20): the fictional 架空町 folder of
//! `tests/fixtures/municipality/kakuu/` dropped beside the real content is answered,
//! browsed, exported and shown on pages like the real cities, and no Rust names it.
//! (Its LINE webhook is tested in line.rs, its pages in the browser in run.mjs.)

use serde_json::Value;

use crate::helpers::*;

fn phones(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(p)) = m.get("phone") {
                    out.push(p.clone());
                }
                stack.extend(m.values());
            }
            Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    out
}

#[test]
fn a_fictional_municipality_dropped_in_as_a_folder_is_served_everywhere() {
    let s = Server::start(&content_with_kakuu(), &[]);

    // Listed with its name, beside the real cities.
    let (st, v) = s.get("/api/cities");
    assert_eq!(st, 200);
    let kakuu = v["cities"].as_array().unwrap().iter().find(|c| c["id"] == "kakuu").cloned();
    let kakuu = kakuu.expect("架空町 is listed");
    assert_eq!(kakuu["name"], "架空町");
    assert!(kakuu["records"].as_u64().unwrap() >= 12);

    // Answered with its own window and route, and only its own (plus national lines).
    let (st, v) = s.get("/api/answer?q=%E6%88%90%E5%B9%B4%E5%BE%8C%E8%A6%8B%E3%81%AB%E3%81%A4%E3%81%84%E3%81%A6%E7%9B%B8%E8%AB%87%E3%81%97%E3%81%9F%E3%81%84&city=kakuu");
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["results"][0]["id"], "kak-shakyo", "{v}");
    assert!(v["results"].as_array().unwrap().iter().all(|r| r["city"] == "kakuu" || r["city"] == "national"), "{v}");
    // Its own route (kak-route-kouken): first contact → what happens next.
    assert_eq!(v["results"][0]["route"][1]["text"], "申立ての手続きは権利擁護センターが案内します。");
    // A question about the same need in a real city never reaches 架空町.
    let (_, real) = s.get("/api/answer?q=%E6%88%90%E5%B9%B4%E5%BE%8C%E8%A6%8B&city=sagamihara");
    assert!(!real.to_string().contains("0000-00-"), "{real}");

    // Danger: the national crisis lines first, then the municipality's own line.
    let (_, v) = s.get("/api/answer?q=%E3%82%82%E3%81%86%E6%AD%BB%E3%81%AB%E3%81%9F%E3%81%84&city=kakuu");
    let crisis = phones(&v["emergency"]);
    assert!(crisis.iter().any(|p| p == "0000-00-0002"), "its own crisis line: {crisis:?}");
    assert!(crisis.iter().any(|p| p == "0120-279-338"), "national lines too: {crisis:?}");

    // Nothing matches: its first-contact window.
    let (_, v) = s.get("/api/answer?q=zzzz&city=kakuu");
    assert!(v.to_string().contains("0000-00-0001"), "{v}");

    // Browsed and exported.
    let (_, v) = s.get("/api/search?city=kakuu&kind=activity");
    let ids: Vec<&str> = v["results"].as_array().unwrap().iter().filter_map(|r| r["id"].as_str()).collect();
    assert!(ids.contains(&"kak-mimamori") && ids.contains(&"kak-ninchisho-cafe"), "{ids:?}");
    let (st, v) = s.get("/api/export/hsds?city=kakuu");
    assert_eq!(st, 200);
    assert!(v["organizations"].to_string().contains("架空町"));
    assert!(v["services"].as_array().unwrap().iter().any(|x| x["phones"][0]["number"] == "0000-00-0006"));

    // The API's own description lists it.
    let (_, v) = s.get("/openapi.json");
    assert!(v.to_string().contains("\"kakuu\""));

    // Pages: the resident page offers it and answers for it; the staff view too.
    let page = Server::client().get(s.url("/")).send().unwrap().text().unwrap();
    assert!(page.contains("架空町") && page.contains("value=\"kakuu\""), "the city choice offers 架空町");
    let page = Server::client()
        .get(s.url("/?q=%E5%AE%B6%E8%B3%83%E3%81%8C%E6%89%95%E3%81%88%E3%81%AA%E3%81%84&city=kakuu"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(page.contains("架空町くらし相談センター") && page.contains("tel:0000000004"), "家賃 → its くらし相談センター");
    let staff = Server::client()
        .get(s.url("/staff?city=kakuu&q=%E8%AA%8D%E7%9F%A5%E7%97%87"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(staff.contains("架空町地域包括支援センター"), "the staff view finds its windows");
}

#[test]
fn the_real_content_holds_no_fictional_place() {
    // The fixture lives in tests/ only: the bundled content answers for real places.
    let (_, v) = {
        let s = Server::start(&content_dir(), &[]);
        s.get("/api/cities")
    };
    assert!(!v.to_string().contains("kakuu"), "{v}");
}
