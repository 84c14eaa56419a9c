//! The real server over HTTP on a random port: every route, every refusal, reload.

use std::time::{Duration, Instant};

use crate::helpers::*;

fn error_code(v: &serde_json::Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

#[test]
fn every_route_answers_with_json() {
    let s = Server::start(&content_dir(), &[]);
    let (st, v) = s.get("/api/answer?q=%E6%88%90%E5%B9%B4%E5%BE%8C%E8%A6%8B&city=sagamihara");
    assert_eq!(st, 200);
    assert_eq!(v["city"], "sagamihara");
    assert!(!v["results"].as_array().unwrap().is_empty());

    let (st, v) = s.get("/api/search?q=&city=tsuruoka&kind=window&limit=5");
    assert_eq!(st, 200);
    assert!(v["total"].as_u64().unwrap() > 5);
    assert_eq!(v["results"].as_array().unwrap().len(), 5);
    assert!(v["facets"]["kind"]["window"].as_u64().unwrap() > 0);
    assert!(v["facets"]["topic"].as_object().unwrap().len() > 3);

    let (st, v) =
        s.get("/api/search?q=%E4%BB%8B%E8%AD%B7&function=%E7%9B%B8%E8%AB%87%E6%94%AF%E6%8F%B4");
    assert_eq!(st, 200);
    assert!(v["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["function"] == "相談支援"));

    let (st, v) = s.get("/api/resources/tsr-kurashisu");
    assert_eq!(st, 200);
    assert_eq!(v["contacts"][0]["phone"], "0235-29-1729");
    assert!(!v["plans"].as_array().unwrap().is_empty());
    assert!(!v["in_routes"].as_array().unwrap().is_empty());

    let (st, v) = s.get("/api/cities");
    assert_eq!(st, 200);
    assert_eq!(v["cities"].as_array().unwrap().len(), 3);
    let (st, v) = s.get("/api/topics");
    assert_eq!(st, 200);
    assert!(v["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "ひきこもり"));

    let (st, v) = s.get("/api/export/hsds?city=sagamihara");
    assert_eq!(st, 200);
    assert_eq!(v["hsds_version"], "3.0");
    let services = v["services"].as_array().unwrap();
    assert!(services
        .iter()
        .all(|s| s["organization_id"] == "org-sagamihara"));
    assert!(services
        .iter()
        .any(|s| s["phones"][0]["number"] == "042-770-7777"));

    let (st, v) = s.get("/openapi.json");
    assert_eq!(st, 200);
    for (_, path) in tsunagu::http::ROUTES {
        assert!(v["paths"].get(*path).is_some(), "{path} undocumented");
    }
    assert_eq!(s.get("/healthz").0, 200);
    let (st, v) = s.get("/readyz");
    assert_eq!(st, 200);
    assert_eq!(v["status"], "ready");

    let r = Server::client().get(s.url("/metrics")).send().unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().unwrap();
    assert!(
        text.contains("tsunagu_requests_total{route=\"/api/answer\",status=\"200\"} 1"),
        "{text}"
    );
    assert!(text.contains("tsunagu_index_documents"));
}

#[test]
fn bad_requests_are_refused_with_a_japanese_reason() {
    let s = Server::start(&fixture_dir(), &[]);
    let long = "あ".repeat(501);
    for (path, code) in [
        (format!("/api/answer?q={long}"), "query_too_long"),
        (
            "/api/answer?q=%E4%BB%8B%07".to_string(),
            "control_characters",
        ),
        ("/api/answer?q=%FF%FE".to_string(), "bad_encoding"),
        (
            "/api/answer?q=%E4%BB%8B&city=tokyo".to_string(),
            "unknown_city",
        ),
        ("/api/answer?q=%E4%BB%8B&limit=0".to_string(), "bad_limit"),
        ("/api/answer?q=%E4%BB%8B&limit=abc".to_string(), "bad_limit"),
        ("/api/answer?q=".to_string(), "empty_query"),
        ("/api/search?kind=shop".to_string(), "unknown_kind"),
        ("/api/search?offset=-1".to_string(), "bad_offset"),
    ] {
        let (st, v) = s.get(&path);
        assert_eq!(st, 400, "{path}");
        assert_eq!(error_code(&v), code, "{path}: {v}");
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(
            msg.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "not Japanese: {msg}"
        );
    }
    let (st, v) = s.get("/api/resources/no-such-id");
    assert_eq!((st, error_code(&v)), (404, "not_found"));
    let (st, v) = s.get("/no/such/route");
    assert_eq!((st, error_code(&v)), (404, "not_found"));
    let (st, v) = s.get("/api/resources/%FF");
    assert_eq!((st, error_code(&v)), (400, "bad_path"));
    let r = Server::client()
        .delete(s.url("/api/answer"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 405);
    let v: serde_json::Value = r.json().unwrap();
    assert_eq!(error_code(&v), "method_not_allowed");
    // The server is still up after all of that.
    assert_eq!(s.get("/healthz").0, 200);
}

#[test]
fn oversized_bodies_are_refused_with_413() {
    let s = Server::start(&fixture_dir(), &[("TSUNAGU_ADMIN_TOKEN", "t0ken")]);
    let r = Server::client()
        .post(s.url("/admin/reload"))
        .header("authorization", "Bearer t0ken")
        .body(vec![b'x'; 200_000])
        .send()
        .unwrap();
    assert_eq!(r.status(), 413);
    let v: serde_json::Value = r.json().unwrap();
    assert_eq!(error_code(&v), "too_large");
}

#[test]
fn cors_allows_only_configured_origins() {
    let s = Server::start(
        &fixture_dir(),
        &[("TSUNAGU_CORS_ORIGINS", "https://www.city.example.jp")],
    );
    let get = |origin: &str| {
        Server::client()
            .get(s.url("/api/cities"))
            .header("origin", origin)
            .send()
            .unwrap()
    };
    let ok = get("https://www.city.example.jp");
    assert_eq!(
        ok.headers().get("access-control-allow-origin").unwrap(),
        "https://www.city.example.jp"
    );
    let other = get("https://evil.example");
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

/// A content error on reload is reported (422, with the check's messages) and the old
/// index keeps answering; a good edit is served after the next reload.
#[test]
fn reload_with_broken_content_keeps_the_old_answers() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), dir.path());
    let s = Server::start(dir.path(), &[("TSUNAGU_ADMIN_TOKEN", "s3cret")]);
    let q = "/api/answer?q=%E6%88%90%E5%B9%B4%E5%BE%8C%E8%A6%8B&city=sagamihara";
    let (_, before) = s.get(q);

    let reload = |token: &str| {
        Server::client()
            .post(s.url("/admin/reload"))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .unwrap()
    };
    let r = reload("wrong");
    assert_eq!(r.status(), 401);

    std::fs::write(
        dir.path().join("city/records.toml"),
        "city = \"sagamihara\"\n[[record]]\nid = \"\"\n",
    )
    .unwrap();
    let r = reload("s3cret");
    assert_eq!(r.status(), 422);
    let v: serde_json::Value = r.json().unwrap();
    assert_eq!(error_code(&v), "content_invalid");
    assert!(
        v["error"]["details"][0]
            .as_str()
            .unwrap()
            .starts_with("city/records.toml:"),
        "{v}"
    );
    let (st, after) = s.get(q);
    assert_eq!(st, 200);
    assert_eq!(before["results"], after["results"]);

    copy_dir(&fixture_dir(), dir.path());
    let extra = "city = \"sagamihara\"\nsource = \"fixture\"\n\n[[record]]\nid = \"f-new\"\nkind = \"window\"\ntitle = \"新しい成年後見センター\"\ntopics = [\"成年後見/権利擁護\"]\n[[record.contact]]\nname = \"新しいセンター\"\nphone = \"042-000-0099\"\nsource = \"fixture\"\n";
    std::fs::write(dir.path().join("city/new.toml"), extra).unwrap();
    let r = reload("s3cret");
    assert_eq!(r.status(), 200);
    let (_, v) = s.get("/api/resources/f-new");
    assert_eq!(v["contacts"][0]["phone"], "042-000-0099");
}

#[cfg(unix)]
#[test]
fn sighup_reloads_and_sigterm_shuts_down_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), dir.path());
    let mut s = Server::start(dir.path(), &[]);
    let (_, ready) = s.get("/readyz");
    std::fs::write(
        dir.path().join("city/new.toml"),
        "city = \"sagamihara\"\nsource = \"fixture\"\n\n[[record]]\nid = \"f-hup\"\nkind = \"window\"\ntitle = \"再読み込みの確認\"\ntopics = [\"その他\"]\n[[record.contact]]\nname = \"確認\"\nphone = \"042-000-0098\"\nsource = \"fixture\"\n",
    )
    .unwrap();
    std::process::Command::new("kill")
        .args(["-HUP", &s.pid().to_string()])
        .status()
        .unwrap();
    // Poll (bounded) until the new content is served; this is not a timing assertion.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (_, now) = s.get("/readyz");
        if now["content_hash"] != ready["content_hash"] {
            break;
        }
        assert!(Instant::now() < deadline, "SIGHUP did not reload");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(s.get("/api/resources/f-hup").0, 200);
    std::process::Command::new("kill")
        .args(["-TERM", &s.pid().to_string()])
        .status()
        .unwrap();
    let status = s.wait();
    assert!(status.success(), "{status:?}");
}

/// The compact form says the same as the full one: resolving each contact position
/// gives back the full answer's contacts, card by card and step by step.
#[test]
fn the_compact_answer_names_the_same_contacts_in_less_space() {
    let s = Server::start(&content_dir(), &[]);
    let q = "/api/answer?q=%E5%A4%AB%E3%81%AB%E6%AE%B4%E3%82%89%E3%82%8C%E3%82%8B&city=sagamihara";
    let (_, full) = s.get(q);
    let (st, compact) = s.get(&format!("{q}&form=compact"));
    assert_eq!(st, 200);
    let table = compact["contacts"].as_array().unwrap();
    let at = |v: &serde_json::Value| table[v.as_u64().unwrap() as usize].clone();
    let crisis: Vec<_> = compact["emergency"]["contacts"].as_array().unwrap().iter().map(at).collect();
    assert_eq!(&crisis, full["emergency"]["contacts"].as_array().unwrap());
    for (c, f) in compact["results"].as_array().unwrap().iter().zip(full["results"].as_array().unwrap()) {
        assert_eq!(c["id"], f["id"]);
        let own: Vec<_> = c["contacts"].as_array().unwrap().iter().map(at).collect();
        assert_eq!(&own, f["contacts"].as_array().unwrap());
        for (cs, fs) in c["route"].as_array().unwrap().iter().zip(f["route"].as_array().unwrap()) {
            assert_eq!(cs["text"], fs["text"]);
            match cs["contact"].as_u64() {
                Some(_) => assert_eq!(at(&cs["contact"]), fs["contact"]),
                None => assert!(fs["contact"].is_null()),
            }
        }
    }
    assert!(compact.to_string().len() < full.to_string().len() / 2 + full.to_string().len() / 4);
    let (st, v) = s.get(&format!("{q}&form=zip"));
    assert_eq!(st, 400);
    assert_eq!(v["error"]["code"], "bad_form");
}

/// Despair with no clear danger: `/api/answer` carries `support` (title, message in
/// both languages, the lines with the contact shape of `emergency`) and no `emergency`;
/// the compact form names the same lines; danger still gives `emergency` alone.
#[test]
fn the_api_carries_the_support_block_in_both_forms_and_never_with_emergency() {
    let s = Server::start(&content_dir(), &[]);
    let q = format!("/api/answer?q={}&city=tsuruoka", enc("毎日もう疲れた。誰にも頼れない"));
    let (st, full) = s.get(&q);
    assert_eq!(st, 200);
    assert!(full["emergency"].is_null(), "{full}");
    let sup = &full["support"];
    assert_eq!(sup["title"], "つらい気持ちを話せる窓口");
    assert!(sup["message"].as_str().unwrap().contains("一人"));
    assert!(sup["message_en"].as_str().is_some());
    let lines = sup["contacts"].as_array().unwrap();
    assert!(lines.len() >= 2 && lines.iter().all(|c| c["phone"].is_string() && c["tel"].is_string()));
    let (_, compact) = s.get(&format!("{q}&form=compact"));
    let table = compact["contacts"].as_array().unwrap();
    let named: Vec<_> = compact["support"]["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| table[i.as_u64().unwrap() as usize].clone())
        .collect();
    assert_eq!(&named, lines);
    let (_, danger) = s.get(&format!("/api/answer?q={}&city=tsuruoka", enc("もう死にたい")));
    assert!(danger["emergency"].is_object() && danger["support"].is_null(), "{danger}");
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

/// Every error in the form its route speaks (issue 23): JSON for assets and the API
/// whatever the client accepts, a page with the reason and a way back for page routes
/// and for unknown paths a browser asked for, 415 for a form sent as JSON.
#[test]
fn errors_come_in_the_form_each_route_speaks() {
    let s = Server::start(&content_dir(), &[]);
    let c = Server::client();
    let html = "text/html,application/xhtml+xml";
    let r = c.get(s.url("/assets/..%2f..%2fCargo.toml")).header("accept", html).send().unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let v: serde_json::Value = r.json().unwrap();
    assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");

    let r = c.get(s.url("/nowhere")).header("accept", html).send().unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = r.text().unwrap();
    assert!(page.contains("見つかりませんでした") && page.contains("href=\"/\""), "a reason and a way back");
    let (st, v) = s.get("/nowhere");
    assert_eq!(st, 404);
    assert_eq!(v["error"]["code"], "not_found", "a machine without Accept: text/html gets JSON");
    let r = c.get(s.url("/api/nowhere")).header("accept", html).send().unwrap();
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("application/json"));

    let r = c
        .post(s.url("/staff"))
        .header("content-type", "application/json")
        .body(r#"{"note":"夫に殴られる"}"#)
        .send()
        .unwrap();
    assert_eq!(r.status(), 415);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(r.text().unwrap().contains("フォーム"), "says how to send it");
}
