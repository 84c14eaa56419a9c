//! The LINE webhook end to end: the real server, signed events, and a stand-in of the
//! Messaging API on a loopback port (`LINE_API_BASE`). Every reply body the stand-in
//! receives is checked against LINE's limits here (`flex::check_limits`) and written to
//! a folder that `./run test` validates against LINE's official OpenAPI schema
//! (`tests/line-schema/validate.py`).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tsunagu::line::{flex, signature};

use crate::helpers::*;

const SECRET: &str = "test-channel-secret-sagamihara";
const TOKEN: &str = "test-access-token";

/// One request the stand-in received.
#[derive(Clone, Debug)]
pub struct Call {
    pub path: String,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

/// A stand-in of api.line.me: records every request, answers 200 (after `delay` for
/// replies) with `{"richMenuId":…}` for rich-menu creation and `{}` otherwise.
pub struct StandIn {
    pub base: String,
    calls: Arc<Mutex<Vec<Call>>>,
    _rt: tokio::runtime::Runtime,
}

impl StandIn {
    pub fn start(delay: Duration) -> StandIn {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let calls: Arc<Mutex<Vec<Call>>> = Arc::default();
        let seen = calls.clone();
        let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
            let seen = seen.clone();
            async move {
                let path = req.uri().path().to_string();
                let headers = req.headers().clone();
                let body = axum::body::to_bytes(req.into_body(), usize::MAX)
                    .await
                    .unwrap()
                    .to_vec();
                let reply = path == "/v2/bot/message/reply";
                if reply {
                    tokio::time::sleep(delay).await;
                }
                seen.lock().unwrap().push(Call {
                    path: path.clone(),
                    headers,
                    body,
                });
                let answer = if path == "/v2/bot/richmenu" {
                    json!({ "richMenuId": "richmenu-0123456789abcdef" })
                } else if reply {
                    json!({ "sentMessages": [{ "id": "1" }] })
                } else {
                    json!({})
                };
                ([("x-line-request-id", "standin-req")], axum::Json(answer))
            }
        });
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        rt.spawn(async move { axum::serve(listener, app).await });
        StandIn {
            base: format!("http://{addr}"),
            calls,
            _rt: rt,
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// Reply bodies received so far.
    pub fn replies(&self) -> Vec<Value> {
        self.calls()
            .into_iter()
            .filter(|c| c.path == "/v2/bot/message/reply")
            .map(|c| serde_json::from_slice(&c.body).unwrap())
            .collect()
    }

    /// Waits until at least `n` replies arrived (10 s at most), then returns them all.
    pub fn wait_replies(&self, n: usize) -> Vec<Value> {
        let started = Instant::now();
        loop {
            let r = self.replies();
            if r.len() >= n || started.elapsed() > Duration::from_secs(10) {
                return r;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The folder reply bodies go to for the schema check (`./run test` sets it).
fn replies_dir() -> std::path::PathBuf {
    std::env::var_os("TSUNAGU_LINE_REPLIES")
        .map(Into::into)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("line-replies"))
}

/// Checks LINE's limits on a body and keeps it for the schema validation.
pub fn keep(name: &str, kind: &str, body: &Value) {
    if kind == "reply" {
        flex::check_limits(body).unwrap_or_else(|e| panic!("{name}: {e}\n{body:#}"));
    }
    let dir = replies_dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join(format!("{name}.{kind}.json")),
        serde_json::to_vec_pretty(body).unwrap(),
    )
    .unwrap();
}

fn line_server(standin: &StandIn) -> Server {
    Server::start(&content_dir(), &line_env(standin))
}

fn line_env(standin: &StandIn) -> Vec<(&'static str, &str)> {
    vec![
        ("LINE_SAGAMIHARA_CHANNEL_SECRET", SECRET),
        ("LINE_SAGAMIHARA_ACCESS_TOKEN", TOKEN),
        ("LINE_API_BASE", standin.base.as_str()),
        ("LINE_LOG_SALT", "test-salt"),
        ("RUST_LOG", "info"),
    ]
}

static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A webhook event; `id` becomes both webhookEventId and replyToken.
pub fn event(kind: &str, extra: Value, id: &str) -> Value {
    let mut e = json!({
        "type": kind, "mode": "active", "timestamp": 1_700_000_000_000i64,
        "source": { "type": "user", "userId": "U4af4980629aaaaaaaaaaaaaaaaaaaaaa" },
        "webhookEventId": id, "replyToken": format!("rt-{id}"),
        "deliveryContext": { "isRedelivery": false },
    });
    for (k, v) in extra.as_object().unwrap() {
        e[k] = v.clone();
    }
    e
}

pub fn text_event(text: &str) -> (Value, String) {
    let id = format!(
        "01TEXT{:020}",
        SEQ.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    (
        event(
            "message",
            json!({ "message": { "type": "text", "id": "1", "quoteToken": "q", "text": text } }),
            &id,
        ),
        id,
    )
}

pub fn body_of(events: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(
        &json!({ "destination": "U8e742f61d673b39c7fff3cecb7536ef0", "events": events }),
    )
    .unwrap()
}

/// POSTs `body` signed with `secret` (None: no header) → status and JSON answer.
fn post(s: &Server, city: &str, body: &[u8], secret: Option<&str>) -> (u16, Value) {
    let mut req = Server::client()
        .post(s.url(&format!("/line/{city}/webhook")))
        .header("content-type", "application/json")
        .body(body.to_vec());
    if let Some(k) = secret {
        req = req.header("x-line-signature", signature::sign(k.as_bytes(), body));
    }
    let r = req.send().unwrap();
    let status = r.status().as_u16();
    (status, r.json().unwrap_or(Value::Null))
}

fn all_text(v: &Value) -> String {
    v.to_string()
}

#[test]
fn a_signed_question_about_seinen_kouken_gets_cards_with_the_window_phone() {
    let standin = StandIn::start(Duration::ZERO);
    let s = line_server(&standin);
    let q = "成年後見について相談したい";
    let (e, id) = text_event(q);
    let started = Instant::now();
    let (status, _) = post(&s, "sagamihara", &body_of(vec![e]), Some(SECRET));
    assert_eq!(status, 200);
    assert!(started.elapsed() < Duration::from_secs(2));
    let replies = standin.wait_replies(1);
    assert_eq!(replies.len(), 1);
    let reply = &replies[0];
    keep("kouken", "reply", reply);
    assert_eq!(reply["replyToken"], format!("rt-{id}"));
    let text = all_text(reply);
    // The window the content's 成年後見 route starts at, and its call button.
    assert!(text.contains("042-756-5034"), "{reply:#}");
    assert!(text.contains("tel:0427565034"), "{reply:#}");
    let msgs = reply["messages"].as_array().unwrap();
    assert_eq!(msgs[0]["type"], "text");
    assert!(
        msgs[0]["text"].as_str().unwrap().contains("成年後見"),
        "{}",
        msgs[0]
    );
    let carousel = &msgs[1]["contents"];
    assert_eq!(carousel["type"], "carousel");
    let first = &carousel["contents"][0];
    let buttons = first["footer"]["contents"].as_array().unwrap();
    let labels: Vec<&str> = buttons
        .iter()
        .map(|b| b["action"]["label"].as_str().unwrap())
        .collect();
    assert_eq!(&labels[..2], ["電話する", "詳しく見る"], "{first:#}");
    assert!(msgs.last().unwrap()["quickReply"]["items"]
        .as_array()
        .is_some_and(|i| !i.is_empty()));
    // Bearer token, JSON, and never a retry key on reply.
    let call = standin
        .calls()
        .into_iter()
        .find(|c| c.path == "/v2/bot/message/reply")
        .unwrap();
    assert_eq!(call.headers["authorization"], format!("Bearer {TOKEN}"));
    assert!(call.headers.get("x-line-retry-key").is_none());

    // The editor's preview is exactly what residents get.
    let (out, _dir) = cli(
        &content_dir(),
        &["line", "preview", "--city", "sagamihara", q],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut preview: Value = serde_json::from_slice(&out.stdout).unwrap();
    keep("kouken-preview", "reply", &preview);
    preview["replyToken"] = reply["replyToken"].clone();
    assert_eq!(&preview, reply);
}

#[test]
fn a_forged_or_missing_signature_gets_401_and_no_reply() {
    let standin = StandIn::start(Duration::ZERO);
    let s = line_server(&standin);
    let (e, _) = text_event("介護の相談");
    let body = body_of(vec![e]);
    let (status, v) = post(&s, "sagamihara", &body, Some("forged-secret"));
    assert_eq!(status, 401);
    assert_eq!(v["error"]["code"], "bad_signature");
    assert_eq!(post(&s, "sagamihara", &body, None).0, 401);
    // The signature covers the exact bytes: re-serialised JSON no longer matches.
    let sig = signature::sign(SECRET.as_bytes(), &body);
    let mut changed = body.clone();
    changed.push(b' ');
    let r = Server::client()
        .post(s.url("/line/sagamihara/webhook"))
        .header("x-line-signature", sig)
        .body(changed)
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    // A genuine event afterwards is answered, and it is the only reply.
    let (ok, _) = text_event("介護の相談");
    assert_eq!(
        post(&s, "sagamihara", &body_of(vec![ok]), Some(SECRET)).0,
        200
    );
    let replies = standin.wait_replies(1);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(standin.replies().len(), 1, "{replies:?}");
}

#[test]
fn a_redelivered_event_gets_no_second_reply() {
    let standin = StandIn::start(Duration::ZERO);
    let s = line_server(&standin);
    let (e, _) = text_event("家賃が払えない");
    let mut again = e.clone();
    again["deliveryContext"]["isRedelivery"] = json!(true);
    assert_eq!(
        post(&s, "sagamihara", &body_of(vec![e.clone()]), Some(SECRET)).0,
        200
    );
    standin.wait_replies(1);
    assert_eq!(
        post(&s, "sagamihara", &body_of(vec![again]), Some(SECRET)).0,
        200
    );
    // The same event twice in one request counts once too.
    let (twice, _) = text_event("仕事が見つからない");
    assert_eq!(
        post(
            &s,
            "sagamihara",
            &body_of(vec![twice.clone(), twice]),
            Some(SECRET)
        )
        .0,
        200
    );
    let replies = standin.wait_replies(2);
    std::thread::sleep(Duration::from_millis(500));
    let replies_after = standin.replies();
    assert_eq!(replies_after.len(), 2, "{replies:?}");
    for (i, r) in replies_after.iter().enumerate() {
        keep(&format!("dedupe-{i}"), "reply", r);
    }
}

#[test]
fn a_crisis_message_carries_the_crisis_lines_in_its_first_message() {
    let standin = StandIn::start(Duration::ZERO);
    let s = line_server(&standin);
    let (e, _) = text_event("もう死にたい");
    assert_eq!(
        post(&s, "sagamihara", &body_of(vec![e]), Some(SECRET)).0,
        200
    );
    let reply = standin.wait_replies(1).remove(0);
    keep("crisis", "reply", &reply);
    let expected = crisis_phones(&engine().answer(
        "もう死にたい",
        Some(tsunagu::content::City::named("sagamihara").unwrap()),
        5,
    ));
    assert!(!expected.is_empty());
    let first = reply["messages"][0]["text"].as_str().unwrap();
    for p in &expected {
        assert!(
            first.contains(p.as_str()),
            "{p} missing from the first message: {first}"
        );
    }
    // The crisis lines come before anything else in that message, and the first card
    // of the carousel calls them.
    let first_phone = first.find(expected[0].as_str()).unwrap();
    assert!(!first[..first_phone].contains("ご案内します"), "{first}");
    let crisis_card = &reply["messages"][1]["contents"]["contents"][0];
    assert!(crisis_card["footer"]["contents"][0]["action"]["uri"]
        .as_str()
        .unwrap()
        .starts_with("tel:"));
    assert!(reply["messages"][1]["altText"]
        .as_str()
        .unwrap()
        .contains(expected[0].as_str()));
}

#[test]
fn follow_postbacks_stickers_and_unknown_events_are_handled() {
    let standin = StandIn::start(Duration::ZERO);
    let s = line_server(&standin);
    // Connection check from the console: no events.
    assert_eq!(
        post(&s, "sagamihara", &body_of(vec![]), Some(SECRET)).0,
        200
    );
    let follow = event(
        "follow",
        json!({ "follow": { "isUnblocked": false } }),
        "01FOLLOW",
    );
    let sticker = event(
        "message",
        json!({ "message": { "type": "sticker", "id": "2", "packageId": "1", "stickerId": "1" } }),
        "01STICKER",
    );
    let location = event(
        "message",
        json!({ "message": { "type": "location", "id": "3", "latitude": 35.5, "longitude": 139.3 } }),
        "01LOCATION",
    );
    let unknown = event(
        "messageEdited",
        json!({ "edited": { "anything": 1 } }),
        "01UNKNOWN",
    );
    let mut standby = event("follow", json!({}), "01STANDBY");
    standby["mode"] = json!("standby");
    standby.as_object_mut().unwrap().remove("replyToken");
    let unfollow = event("unfollow", json!({}), "01UNFOLLOW");
    let body = body_of(vec![follow, sticker, location, unknown, standby, unfollow]);
    assert_eq!(post(&s, "sagamihara", &body, Some(SECRET)).0, 200);
    standin.wait_replies(3);
    std::thread::sleep(Duration::from_millis(300));
    let replies = standin.replies();
    assert_eq!(replies.len(), 3, "follow, sticker, location: {replies:#?}");
    let by_token = |t: &str| {
        replies
            .iter()
            .find(|r| r["replyToken"] == t)
            .cloned()
            .unwrap()
    };
    let greeting = by_token("rt-01FOLLOW");
    keep("follow", "reply", &greeting);
    assert!(greeting["messages"][0]["text"]
        .as_str()
        .unwrap()
        .contains("つなぐ"));
    let topics = greeting["messages"][0]["quickReply"]["items"]
        .as_array()
        .unwrap();
    assert!(topics.len() >= 5 && topics.len() <= 13);
    for t in ["rt-01STICKER", "rt-01LOCATION"] {
        let r = by_token(t);
        keep(&format!("prompt-{t}"), "reply", &r);
        assert!(
            r["messages"][0]["text"]
                .as_str()
                .unwrap()
                .contains("言葉で"),
            "{r}"
        );
    }

    // 詳しく見る: a card's postback data, sent back, gives details and the route.
    let (q, _) = text_event("成年後見について相談したい");
    assert_eq!(
        post(&s, "sagamihara", &body_of(vec![q]), Some(SECRET)).0,
        200
    );
    let answer = standin.wait_replies(4).pop().unwrap();
    let data = answer["messages"][1]["contents"]["contents"][0]["footer"]["contents"][1]["action"]
        ["data"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(data.starts_with("detail:") && data.len() <= 300, "{data}");
    let pb = event(
        "postback",
        json!({ "postback": { "data": data } }),
        "01POSTBACK",
    );
    assert_eq!(
        post(&s, "sagamihara", &body_of(vec![pb]), Some(SECRET)).0,
        200
    );
    let details = standin.wait_replies(5).pop().unwrap();
    keep("details", "reply", &details);
    let t = details["messages"][0]["text"].as_str().unwrap();
    assert!(
        t.contains("相談の流れ") && t.contains("042-756-5034"),
        "{t}"
    );

    // もっと見る carries the question and the offset: the next page, no server state.
    let more = answer["messages"].as_array().unwrap().last().unwrap()["quickReply"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["action"]["type"] == "postback")
        .map(|i| i["action"]["data"].as_str().unwrap().to_string())
        .expect("もっと見る");
    assert!(more.starts_with("more:5:"), "{more}");
    let pb = event(
        "postback",
        json!({ "postback": { "data": more } }),
        "01MORE",
    );
    assert_eq!(
        post(&s, "sagamihara", &body_of(vec![pb]), Some(SECRET)).0,
        200
    );
    let page2 = standin.wait_replies(6).pop().unwrap();
    keep("more", "reply", &page2);
    let first_titles: Vec<&Value> = answer["messages"][1]["contents"]["contents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["body"]["contents"][0]["text"])
        .collect();
    for b in page2["messages"][1]["contents"]["contents"]
        .as_array()
        .unwrap()
    {
        assert!(
            !first_titles.contains(&&b["body"]["contents"][0]["text"]),
            "page 2 repeats {}",
            b["body"]["contents"][0]["text"]
        );
    }
}

#[test]
fn groups_get_answers_only_when_they_call_the_bot() {
    let standin = StandIn::start(Duration::ZERO);
    let s = line_server(&standin);
    let group = |text: &str, id: &str| {
        let mut e = event(
            "message",
            json!({ "message": { "type": "text", "id": "1", "quoteToken": "q", "text": text } }),
            id,
        );
        e["source"] = json!({ "type": "group", "groupId": "Cgroup0001", "userId": "Uabc" });
        e
    };
    let chatter = group("今日の夕飯は何にする?", "01G1");
    let sticker = {
        let mut e = event(
            "message",
            json!({ "message": { "type": "sticker", "id": "2" } }),
            "01G2",
        );
        e["source"] = json!({ "type": "room", "roomId": "Rroom" });
        e
    };
    let called = group("つなぐ 介護の相談をしたい", "01G3");
    assert_eq!(
        post(
            &s,
            "sagamihara",
            &body_of(vec![chatter, sticker, called]),
            Some(SECRET)
        )
        .0,
        200
    );
    standin.wait_replies(1);
    std::thread::sleep(Duration::from_millis(300));
    let replies = standin.replies();
    assert_eq!(replies.len(), 1, "{replies:#?}");
    assert_eq!(replies[0]["replyToken"], "rt-01G3");
    keep("group", "reply", &replies[0]);
}

#[test]
fn a_city_without_a_channel_secret_has_no_webhook() {
    let standin = StandIn::start(Duration::ZERO);
    let s = line_server(&standin);
    let body = body_of(vec![]);
    let (status, v) = post(&s, "tsuruoka", &body, Some(SECRET));
    assert_eq!(status, 404);
    assert_eq!(v["error"]["code"], "not_found");
    assert_eq!(post(&s, "national", &body, Some(SECRET)).0, 404);
    assert_eq!(post(&s, "tokyo", &body, Some(SECRET)).0, 404);
    // A server with no LINE settings at all has no webhook either.
    let plain = Server::start(&content_dir(), &[]);
    assert_eq!(post(&plain, "sagamihara", &body, Some(SECRET)).0, 404);
}

#[test]
fn logs_carry_no_message_text_and_no_raw_user_id() {
    let standin = StandIn::start(Duration::ZERO);
    let log = tempfile::NamedTempFile::new().unwrap();
    let s = Server::start_logging(
        &content_dir(),
        &line_env(&standin),
        log.reopen().unwrap().into(),
    );
    let (e, _) = text_event("息子が何年も部屋から出てこない");
    assert_eq!(
        post(&s, "sagamihara", &body_of(vec![e]), Some(SECRET)).0,
        200
    );
    standin.wait_replies(1);
    std::thread::sleep(Duration::from_millis(200));
    drop(s);
    let text = std::fs::read_to_string(log.path()).unwrap();
    assert!(text.contains("replied"), "{text}");
    assert!(!text.contains("息子"), "{text}");
    assert!(!text.contains("U4af4980629"), "{text}");
}

#[test]
fn the_rich_menu_is_created_uploaded_and_made_default_on_the_stand_in() {
    let standin = StandIn::start(Duration::ZERO);
    let index = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(bin())
        .args(["--content"])
        .arg(content_dir())
        .arg("--index")
        .arg(index.path())
        .args(["line", "richmenu", "--city", "sagamihara"])
        .envs(line_env(&standin))
        .env_remove("LINE_API_DATA_BASE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("richmenu-0123456789abcdef"));
    let calls = standin.calls();
    let paths: Vec<&str> = calls.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/v2/bot/richmenu",
            "/v2/bot/richmenu/richmenu-0123456789abcdef/content",
            "/v2/bot/user/all/richmenu/richmenu-0123456789abcdef"
        ]
    );
    let menu: Value = serde_json::from_slice(&calls[0].body).unwrap();
    keep("richmenu", "richmenu", &menu);
    assert_eq!(menu["areas"].as_array().unwrap().len(), 6);
    assert_eq!(calls[1].headers["content-type"], "image/png");
    assert_eq!(&calls[1].body[1..4], b"PNG");
    assert!(calls
        .iter()
        .all(|c| c.headers["authorization"] == format!("Bearer {TOKEN}")));
    // Without a token for the city the command says what to set.
    let out = std::process::Command::new(bin())
        .args(["line", "richmenu", "--city", "tsuruoka"])
        .env_remove("LINE_TSURUOKA_CHANNEL_SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("LINE_TSURUOKA_CHANNEL_SECRET"));
}

#[test]
fn despair_gets_the_lines_that_listen_in_the_first_message_and_no_crisis_card() {
    let standin = StandIn::start(Duration::ZERO);
    let s = line_server(&standin);
    let msg = "毎日もう疲れた。誰にも頼れない";
    let (e, _) = text_event(msg);
    assert_eq!(post(&s, "sagamihara", &body_of(vec![e]), Some(SECRET)).0, 200);
    let reply = standin.wait_replies(1).remove(0);
    keep("support", "reply", &reply);
    let a = engine().answer(msg, Some(tsunagu::content::City::named("sagamihara").unwrap()), 5);
    let sup = a.support.expect("support block");
    let first = reply["messages"][0]["text"].as_str().unwrap();
    assert!(first.starts_with("つらい気持ちを話せる窓口"), "{first}");
    assert!(!first.contains("のご相談として"), "a person in despair is not told their category: {first}");
    for c in &sup.contacts {
        assert!(first.contains(c.phone.as_deref().unwrap()), "{first}");
    }
    let card = &reply["messages"][1]["contents"]["contents"][0];
    assert!(card["footer"]["contents"][0]["action"]["uri"].as_str().unwrap().starts_with("tel:"));
    assert!(!all_text(card).contains(tsunagu::messages::line::CRISIS_TITLE), "not the crisis card");
}

#[test]
fn a_municipality_added_as_a_folder_answers_on_its_own_channel() {
    // 架空町 (tests/fixtures/municipality/kakuu) joined with files and two settings,
    // LINE_KAKUU_CHANNEL_SECRET and LINE_KAKUU_ACCESS_TOKEN: no Rust names it.
    let standin = StandIn::start(Duration::ZERO);
    let s = Server::start(
        &content_with_kakuu(),
        &[
            ("LINE_KAKUU_CHANNEL_SECRET", SECRET),
            ("LINE_KAKUU_ACCESS_TOKEN", TOKEN),
            ("LINE_API_BASE", standin.base.as_str()),
            ("LINE_LOG_SALT", "test-salt"),
        ],
    );
    let (e, _) = text_event("家賃が払えない");
    assert_eq!(post(&s, "kakuu", &body_of(vec![e]), Some(SECRET)).0, 200);
    let reply = standin.wait_replies(1).remove(0);
    keep("kakuu-money", "reply", &reply);
    assert!(all_text(&reply).contains("0000-00-0004"), "its くらし相談センター: {reply}");
    assert!(!all_text(&reply).contains("042-"), "no 相模原 window for 架空町: {reply}");

    let (e, _) = text_event("もう死にたい");
    assert_eq!(post(&s, "kakuu", &body_of(vec![e]), Some(SECRET)).0, 200);
    let reply = standin.wait_replies(2).remove(1);
    keep("kakuu-crisis", "reply", &reply);
    let first = reply["messages"][0]["text"].as_str().unwrap();
    assert!(first.contains("0120-279-338") && first.contains("0000-00-0002"), "national lines and its own: {first}");
    // Its secret opens its webhook only.
    assert_eq!(post(&s, "sagamihara", &body_of(vec![]), Some(SECRET)).0, 404);
}
