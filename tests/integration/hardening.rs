//! Issue 14, tried as an attacker and as a careless operator would, against the real
//! server: idle and slow connections are closed, a connection flood from one client
//! leaves `/healthz` answering, rate limits answer 429 JSON with `Retry-After`, errors
//! from the HTTP layer (414, 431, unparseable bytes, chunked oversize bodies) are JSON,
//! security headers are on every response, `*` CORS is understood, a damaged index or
//! dictionary is never served, and SIGTERM is bounded even with a half-sent request.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::helpers::*;

fn addr(s: &Server) -> String {
    s.base.trim_start_matches("http://").to_string()
}

/// Sends `bytes` on a fresh connection and reads until the server closes it.
fn raw(s: &Server, bytes: &[u8]) -> String {
    let mut c = TcpStream::connect(addr(s)).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = c.write_all(bytes);
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    String::from_utf8_lossy(&out).to_string()
}

fn status_and_json(response: &str) -> (u16, serde_json::Value) {
    let status = response[9..12].parse().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

/// Waits (bounded) until the server closes `c`; true if it did.
fn closed_within(c: &mut TcpStream, limit: Duration) -> bool {
    c.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match c.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[test]
fn idle_and_slow_connections_are_closed_by_the_header_timeout() {
    let s = Server::start(&fixture_dir(), &[("TSUNAGU_HEADER_TIMEOUT", "2")]);
    let mut idle = TcpStream::connect(addr(&s)).unwrap();
    assert!(closed_within(&mut idle, Duration::from_secs(20)), "idle connection stayed open");

    // Half a request head, one byte at a time, never finished.
    let mut slow = TcpStream::connect(addr(&s)).unwrap();
    let started = Instant::now();
    let mut closed = false;
    for b in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
        if slow.write_all(&[*b]).is_err() {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
        if started.elapsed() > Duration::from_secs(8) {
            break;
        }
    }
    assert!(closed || closed_within(&mut slow, Duration::from_secs(20)), "slow header kept open");

    // A keep-alive connection that goes quiet after a response is closed too.
    let mut ka = TcpStream::connect(addr(&s)).unwrap();
    ka.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert!(closed_within(&mut ka, Duration::from_secs(20)));
    assert_eq!(s.get("/healthz").0, 200);
}

#[test]
fn a_connection_flood_from_one_client_leaves_healthz_answering() {
    let s = Server::start(
        &fixture_dir(),
        &[
            ("TSUNAGU_MAX_CONNECTIONS_PER_CLIENT", "50"),
            ("TSUNAGU_HEADER_TIMEOUT", "30"),
        ],
    );
    let target: std::net::SocketAddr = addr(&s).parse().unwrap();
    // 600 idle connections from 127.0.0.2 (another client on the loopback).
    let rt = tokio::runtime::Runtime::new().unwrap();
    let flood = rt.block_on(async {
        let mut held = Vec::new();
        for _ in 0..600 {
            let sock = tokio::net::TcpSocket::new_v4().unwrap();
            sock.bind("127.0.0.2:0".parse().unwrap()).unwrap();
            if let Ok(c) = sock.connect(target).await {
                held.push(c);
            }
        }
        held
    });
    assert!(flood.len() > 100, "could not open the flood");
    for _ in 0..5 {
        let (st, v) = s.get("/healthz");
        assert_eq!(st, 200);
        assert_eq!(v["status"], "ok");
    }
    let (st, _) = s.get("/api/answer?q=%E6%88%90%E5%B9%B4%E5%BE%8C%E8%A6%8B");
    assert_eq!(st, 200);
    let metrics = Server::client()
        .get(s.url("/metrics"))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let refused: u64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("tsunagu_connections_refused_total "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(refused >= 400, "{refused} refused\n{metrics}");
    // Over its cap, the client is told why, in JSON.
    let over = rt.block_on(async {
        use tokio::io::AsyncReadExt;
        let sock = tokio::net::TcpSocket::new_v4().unwrap();
        sock.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        let mut c = sock.connect(target).await.unwrap();
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(10), c.read_to_end(&mut out)).await;
        String::from_utf8_lossy(&out).to_string()
    });
    let (st, v) = status_and_json(&over);
    assert_eq!((st, v["error"]["code"].as_str()), (503, Some("busy")), "{over}");
    drop(flood);
}

#[test]
fn a_client_over_its_rate_gets_429_json_with_retry_after() {
    let s = Server::start(
        &fixture_dir(),
        &[
            ("TSUNAGU_RATE_PER_SEC", "1"),
            ("TSUNAGU_RATE_BURST", "3"),
            ("TSUNAGU_ADMIN_FAILURES", "2"),
            ("TSUNAGU_ADMIN_TOKEN", "right-token"),
        ],
    );
    let statuses: Vec<u16> = (0..6).map(|_| s.get("/api/cities").0).collect();
    assert_eq!(&statuses[..3], &[200, 200, 200]);
    assert!(statuses[3..].contains(&429), "{statuses:?}");
    let r = Server::client().get(s.url("/api/cities")).send().unwrap();
    assert_eq!(r.status(), 429);
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait >= 1);
    let v: serde_json::Value = r.json().unwrap();
    assert_eq!(v["error"]["code"], "too_many_requests");
    // Probes are not limited.
    assert_eq!(s.get("/healthz").0, 200);

    let reload = |token: &str| {
        Server::client()
            .post(s.url("/admin/reload"))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .unwrap()
    };
    assert_eq!(reload("wrong-1").status(), 401);
    assert_eq!(reload("wrong-2").status(), 401);
    let locked = reload("wrong-3");
    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    // Even the right token waits: guessing must not be able to continue.
    assert_eq!(reload("right-token").status(), 429);
}

#[test]
fn errors_from_the_http_layer_are_json() {
    let s = Server::start(&fixture_dir(), &[]);
    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000));
    let many_headers = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\n{}\r\n",
        (0..200).map(|i| format!("X-{i}: a\r\n")).collect::<String>()
    );
    // Complete in one read, so hyper's own buffer check never sees it unfinished.
    let one_big_header = format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n", "a".repeat(40_000));
    let invalid = b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec();
    // A URI past the 32 KiB head limit is refused like any oversized head (431): the
    // limit is passed before hyper's own URI limit (64 KiB, 414) can be.
    for (bytes, status, code) in [
        (long_uri.into_bytes(), 431, "headers_too_large"),
        (many_headers.into_bytes(), 431, "headers_too_large"),
        (one_big_header.into_bytes(), 431, "headers_too_large"),
        (invalid, 400, "bad_request"),
    ] {
        let response = raw(&s, &bytes);
        let (st, v) = status_and_json(&response);
        assert_eq!(st, status, "{response}");
        assert_eq!(v["error"]["code"], code, "{response}");
        assert!(response.contains("content-type: application/json"), "{response}");
    }
    // A chunked body (no Content-Length) over the limit is refused like any other.
    let body = vec![b'x'; 200_000];
    let mut chunked = b"POST /admin/reload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    chunked.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
    chunked.extend_from_slice(&body);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let response = raw(&s, &chunked);
    let (st, v) = status_and_json(&response);
    assert_eq!((st, v["error"]["code"].as_str()), (413, Some("too_large")), "{response}");
    assert_eq!(s.get("/healthz").0, 200);
}

#[test]
fn every_response_carries_security_headers() {
    let s = Server::start(
        &fixture_dir(),
        &[("TSUNAGU_CORS_ORIGINS", "https://www.city.example.jp")],
    );
    for (path, cache) in [
        ("/api/answer?q=%E4%BB%8B%E8%AD%B7", "no-store"),
        ("/api/cities", "public, max-age=300"),
        ("/no/such/route", "no-store"),
        ("/healthz", "no-store"),
    ] {
        let r = Server::client().get(s.url(path)).send().unwrap();
        let h = r.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["cache-control"], cache, "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h["cross-origin-resource-policy"], "same-origin");
    }
}

#[test]
fn star_cors_means_every_origin_and_mixed_lists_are_refused() {
    let s = Server::start(&fixture_dir(), &[("TSUNAGU_CORS_ORIGINS", "*")]);
    let r = Server::client()
        .get(s.url("/api/cities"))
        .header("origin", "https://any.example")
        .send()
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers().get("access-control-allow-credentials").is_none());

    let out = Command::new(bin())
        .args(["serve", "--addr", "127.0.0.1:0", "--cors-origins", "*,https://a.example"])
        .env("TSUNAGU_DICT_DIR", dict_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot be combined"), "{err}");
}

#[cfg(unix)]
#[test]
fn sigterm_exits_within_the_shutdown_timeout_despite_a_half_sent_request() {
    let mut s = Server::start(
        &fixture_dir(),
        &[("TSUNAGU_SHUTDOWN_TIMEOUT", "2"), ("TSUNAGU_HEADER_TIMEOUT", "120")],
    );
    let mut half = TcpStream::connect(addr(&s)).unwrap();
    half.write_all(b"POST /admin/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        .unwrap();
    let mut idle = TcpStream::connect(addr(&s)).unwrap();
    idle.write_all(b"GET /heal").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    Command::new("kill")
        .args(["-TERM", &s.pid().to_string()])
        .status()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let pid = s.pid();
    std::thread::spawn(move || {
        // Fallback so a hung server cannot hang the suite.
        if rx.recv_timeout(Duration::from_secs(30)).is_err() {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
        }
    });
    let status = s.wait();
    let _ = tx.send(());
    assert!(status.success(), "not a clean exit within 30 s: {status:?}");
}

/// Copies the compiled dictionary so a test can damage it.
fn dictionary_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&dict_dir(), dir.path());
    let words = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .unwrap()
        .join("dict.words");
    (dir, words)
}

/// Replaces `file` by its first half (a new file, so a process mapping the old one is
/// unaffected, as with an interrupted copy).
fn truncate_to_half(file: &Path) {
    let bytes = std::fs::read(file).unwrap();
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::rename(tmp, file).unwrap();
}

#[test]
fn a_truncated_dictionary_is_refused_at_start_and_at_reload() {
    let _ = Server::start(&fixture_dir(), &[]); // records the shared dictionary's hashes
    let (dict, words) = dictionary_copy();
    truncate_to_half(&words);
    let index = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .arg("--content")
        .arg(fixture_dir())
        .arg("--index")
        .arg(index.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("TSUNAGU_DICT_DIR", dict.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("damaged") && err.contains("dict.words"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("listening"));

    // Damaged while serving: reload is refused with the reason; the old index serves.
    let (dict, words) = dictionary_copy();
    let s = Server::start(
        &fixture_dir(),
        &[
            ("TSUNAGU_DICT_DIR", dict.path().to_str().unwrap()),
            ("TSUNAGU_ADMIN_TOKEN", "t"),
        ],
    );
    let q = "/api/answer?q=%E6%88%90%E5%B9%B4%E5%BE%8C%E8%A6%8B&city=sagamihara";
    let (_, before) = s.get(q);
    truncate_to_half(&words);
    let r = Server::client()
        .post(s.url("/admin/reload"))
        .header("authorization", "Bearer t")
        .send()
        .unwrap();
    assert_eq!(r.status(), 500);
    let v: serde_json::Value = r.json().unwrap();
    assert_eq!(v["error"]["code"], "reload_failed");
    assert!(v["error"]["details"][0].as_str().unwrap().contains("dict.words"), "{v}");
    let (st, after) = s.get(q);
    assert_eq!(st, 200);
    assert_eq!(before["results"], after["results"]);
}

#[test]
fn a_damaged_index_segment_is_rebuilt_before_serving() {
    let index = tempfile::tempdir().unwrap();
    let out = Command::new(bin())
        .arg("--content")
        .arg(fixture_dir())
        .arg("--index")
        .arg(index.path())
        .arg("index")
        .env("TSUNAGU_DICT_DIR", dict_dir())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let current = index.path().join("current");
    let mut damaged = 0;
    for e in std::fs::read_dir(&current).unwrap().flatten() {
        let p = e.path();
        let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
        if ext == "term" || ext == "idx" {
            // Same size, garbage inside.
            let mut bytes = std::fs::read(&p).unwrap();
            let (start, end) = (bytes.len() / 4, (bytes.len() / 4 + 4096).min(bytes.len() - 16));
            for (i, b) in bytes[start..end].iter_mut().enumerate() {
                *b = (i as u8).wrapping_mul(31) ^ 0xa5;
            }
            std::fs::write(&p, &bytes).unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0);
    let gen_before = std::fs::read_link(&current).unwrap();

    let log = tempfile::NamedTempFile::new().unwrap();
    let s = start_on_index(index.path(), log.reopen().unwrap());
    let (st, v) = s.get("/readyz");
    assert_eq!((st, v["status"].as_str()), (200, Some("ready")), "{v}");
    let (st, v) = s.get("/api/answer?q=%E6%88%90%E5%B9%B4%E5%BE%8C%E8%A6%8B&city=sagamihara");
    assert_eq!(st, 200);
    assert!(!v["results"].as_array().unwrap().is_empty());
    assert_ne!(std::fs::read_link(&current).unwrap(), gen_before, "not rebuilt");
    let text = std::fs::read_to_string(log.path()).unwrap();
    assert!(text.contains("rebuilding it"), "{text}");
}

/// A server over an existing index folder (the helper always makes a fresh one).
fn start_on_index(index: &Path, log: std::fs::File) -> ServerOn {
    use std::io::BufRead;
    let mut child = Command::new(bin())
        .arg("--content")
        .arg(fixture_dir())
        .arg("--index")
        .arg(index)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("TSUNAGU_DICT_DIR", dict_dir())
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut base = None;
    for l in lines.map_while(Result::ok) {
        if let Some(b) = l.strip_prefix("listening on ") {
            base = Some(b.trim().to_string());
            break;
        }
    }
    ServerOn {
        child,
        base: base.expect("server exited before listening"),
    }
}

struct ServerOn {
    child: std::process::Child,
    base: String,
}

impl ServerOn {
    fn get(&self, path: &str) -> (u16, serde_json::Value) {
        let r = Server::client().get(format!("{}{path}", self.base)).send().unwrap();
        (r.status().as_u16(), r.json().unwrap_or(serde_json::Value::Null))
    }
}

impl Drop for ServerOn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn insights_are_opt_in_redacted_and_shown_to_the_admin_only() {
    let store = tempfile::tempdir().unwrap();
    let s = Server::start(
        &fixture_dir(),
        &[
            ("TSUNAGU_INSIGHTS_DIR", store.path().to_str().unwrap()),
            ("TSUNAGU_ADMIN_TOKEN", "t"),
        ],
    );
    // A question with a name and a phone that matches nothing specific.
    let q = "山田太郎です。090-1234-5678に電話ください。ぴよぴよ";
    let url = format!("/api/answer?q={}", urlencode(q));
    assert_eq!(s.get(&url).0, 200);
    assert_eq!(s.get("/api/answer?q=%E6%88%90%E5%B9%B4%E5%BE%8C%E8%A6%8B").0, 200);
    assert_eq!(s.get("/admin/insights").0, 401);
    let r = Server::client()
        .get(s.url("/admin/insights?days=7"))
        .header("authorization", "Bearer t")
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let v: serde_json::Value = r.json().unwrap();
    assert_eq!(v["summary"]["questions"], 2, "{v}");
    let file = std::fs::read_to_string(store.path().join("insights.jsonl")).unwrap();
    for secret in ["太郎", "5678", "山田"] {
        assert!(!file.contains(secret), "{secret} stored: {file}");
    }
    assert!(file.contains("〔電話番号〕"), "{file}");
    // The CLI reads the same store.
    let out = Command::new(bin())
        .args(["insights", "--json", "--dir"])
        .arg(store.path())
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli["questions"], 2);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Issue 23: with every public connection slot taken (here by 4 idle clients), the
/// probe listener still answers liveness and readiness, and a half-sent request head past
/// 32 KiB is refused with 431 at once instead of being buffered until the header timeout.
/// A connection to `addr` from 127.0.0.`2+i` (Linux answers every 127/8 address on
/// loopback), so a test can stand for many clients.
fn connect_from(addr: &str, i: u8) -> std::net::TcpStream {
    use socket2::{Domain, Socket, Type};
    let target: std::net::SocketAddr = addr.parse().unwrap();
    let sock = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let from = std::net::SocketAddr::from(([127, 0, 0, 2 + i], 0));
    sock.bind(&from.into()).unwrap();
    sock.connect(&target.into()).unwrap();
    sock.into()
}

#[test]
fn probes_are_answered_when_the_public_cap_is_full_and_big_heads_are_refused() {
    use std::io::{Read, Write};
    let s = Server::start(
        &content_dir(),
        &[("TSUNAGU_PROBE_ADDR", "127.0.0.1:0"), ("TSUNAGU_MAX_CONNECTIONS", "4")],
    );
    let probe = s.probe.clone().expect("the probe listener announces itself");
    let addr = s.base.trim_start_matches("http://").to_string();
    // Idle connections from four addresses (each under the per-address cap) fill the
    // public cap; past the high-water mark the longest idle are closed for newcomers.
    let mut idle: Vec<std::net::TcpStream> = (0..4u8)
        .map(|i| {
            let sock = connect_from(&addr, i);
            std::thread::sleep(std::time::Duration::from_millis(20));
            sock
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let r = Server::client().get(s.url("/healthz")).send().unwrap();
    assert_eq!(r.status(), 200, "the public /healthz is answered with the cap full of idle connections");
    let first = &mut idle[0];
    first.set_read_timeout(Some(std::time::Duration::from_secs(2))).unwrap();
    let mut buf = [0u8; 16];
    assert_eq!(first.read(&mut buf).unwrap_or(0), 0, "the longest-idle connection was closed");
    for path in ["/healthz", "/readyz"] {
        let r = Server::client().get(format!("{probe}{path}")).send().unwrap();
        assert_eq!(r.status(), 200, "{path} on the probe listener");
    }
    let r = Server::client().get(format!("{probe}/api/answer?q=x")).send().unwrap();
    assert_eq!(r.status(), 404, "the probe listener serves probes only");
    drop(idle);
    std::thread::sleep(std::time::Duration::from_millis(200));

    // A head that keeps coming (never finished) is refused once it passes the limit,
    // not held until the header timeout.
    let mut c = std::net::TcpStream::connect(&addr).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(5))).unwrap();
    let half = format!("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}", "a".repeat(40 * 1024));
    let _ = c.write_all(half.as_bytes());
    let mut reply = String::new();
    let _ = c.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 431"), "{}", &reply[..reply.len().min(80)]);
    assert!(reply.contains("\"error\""), "431 with a JSON reason");
}

#[test]
fn reload_reads_its_body_before_answering() {
    // An admin tool that streams a body gets the reason, not a reset: nothing is answered
    // while the body is still coming, and the 401 follows once it has arrived.
    let s = Server::start(&fixture_dir(), &[("TSUNAGU_ADMIN_TOKEN", "right-token")]);
    let mut c = TcpStream::connect(addr(&s)).unwrap();
    c.write_all(b"POST /admin/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n12345")
        .unwrap();
    c.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let mut buf = [0u8; 64];
    assert!(c.read(&mut buf).is_err(), "no answer before the body has arrived");
    c.write_all(b"67890").unwrap();
    c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut out = Vec::new();
    let _ = c.read_to_end(&mut out);
    let response = String::from_utf8_lossy(&out).to_string();
    let (st, v) = status_and_json(&response);
    assert_eq!((st, v["error"]["code"].as_str()), (401, Some("unauthorized")), "{response}");
}
