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

#[test]
fn a_new_municipality_is_onboarded_and_imports_what_cities_publish() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_dir(&content_dir(), &content);
    let run = |args: &[&str]| {
        let (out, _) = cli(&content, args);
        (out.status.code(), stdout(&out), String::from_utf8_lossy(&out.stderr).to_string())
    };
    // `city new` writes a folder that passes the check as it stands…
    let (code, out, err) = run(&["city", "new", "mihon", "--name", "見本町", "--prefecture", "架空県", "--reading", "みほんちょう"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(content.join("mihon/city.toml").is_file());
    let (code, out, _) = run(&["check"]);
    assert_eq!(code, Some(0), "a new municipality's folder passes the check: {out}");
    // …and `gaps --city` says what it still lacks.
    let (_, gaps, _) = run(&["gaps", "--city", "mihon"]);
    assert!(gaps.contains("no first-contact window"), "{gaps}");
    assert!(gaps.contains("need with no window: ninchisho-kaigo"), "{gaps}");

    // The three standard datasets, in their encodings, and an HSDS file.
    let fixture = |f: &str| root().join("tests/fixtures/import").join(f).to_string_lossy().to_string();
    for (format, file, extra) in [
        ("care", "kaigo-jigyousho.csv", None), // UTF-8 with BOM
        ("facilities", "koukyou-shisetsu.csv", None), // Shift_JIS, CRLF
        ("medical", "iryou-kikan.csv", None), // UTF-8
        ("hsds", "hsds-kakuu.json", Some("imp-hsds-kakuu-kak-sogo")),
    ] {
        let path = fixture(file);
        let mut args = vec!["import", "--city", "mihon", "--format", format, "--as-of", "2026-10", path.as_str()];
        if let Some(f) = extra {
            args.extend(["--fallback", f]);
        }
        let (code, out, err) = run(&args);
        assert_eq!(code, Some(0), "{file}: {out}{err}");
    }
    // What was imported is found the way residents ask, with its number.
    for (q, phone) in [
        ("デイサービスを探している", "0000-00-0201"),
        ("ふれあい福祉センター", "0000-00-0101"),
        ("もの忘れ外来のある診療所", "0000-00-0301"),
        ("成年後見について相談したい", "0000-00-0006"),
    ] {
        let (code, out, err) = run(&["ask", q, "--city", "mihon"]);
        assert_eq!(code, Some(0), "{err}");
        assert!(out.contains(phone), "{q} → {phone}:\n{out}");
    }
    // Each imported record cites its file and row, verbatim, and says it was imported.
    let records = std::fs::read_to_string(content.join("mihon/imported-kaigo-jigyousho.toml")).unwrap();
    assert!(records.contains("imported = \"kaigo-jigyousho.csv:2\""), "{records}");
    let sources = std::fs::read_to_string(content.join("mihon/imported-kaigo-jigyousho.sources.toml")).unwrap();
    assert!(sources.contains("デイサービスかくう,デイサービスカクウ,0000000001,通所介護"), "{sources}");

    // A file with bad rows: every one reported with its line, nothing written.
    let bad = tmp.path().join("bad.csv");
    std::fs::write(&bad, "名称,電話番号\nよい窓口,0000-00-0401\n,0000-00-0402\n悪い番号,12345\n").unwrap();
    let (code, out, _) = run(&["import", "--city", "mihon", "--format", "facilities", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(out.contains("bad.csv:3: 名称 is empty") && out.contains("bad.csv:4: 電話番号"), "{out}");
    assert!(!content.join("mihon/imported-bad.toml").exists(), "nothing half imported");
    // Rows that read well but fail the content check (no phone, no fallback): nothing written.
    std::fs::write(&bad, "名称,電話番号\n番号のない施設,\n").unwrap();
    let (code, out, _) = run(&["import", "--city", "mihon", "--format", "facilities", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("imported-bad.toml:") && out.contains("fallback"), "{out}");
    assert!(!content.join("mihon/imported-bad.toml").exists(), "nothing half imported");
}
