//! Load figure for the LINE webhook (not a timed test): the release server, a slow
//! stand-in of the Messaging API (500 ms per reply), and signed text events sent at a
//! fixed rate on loopback. Reports how fast 200s come back, whether every accepted
//! event got exactly one reply, and the server's peak memory.
//!
//!     cargo build --release --bin tsunagu
//!     RATE=1000 SECS=20 DELAY_MS=500 cargo run --release --example line_load
//!
//! `TSUNAGU_BIN` overrides the server binary (default: `tsunagu` beside `examples/`).

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use tsunagu::line::signature;

const SECRET: &str = "bench-secret";
const QUESTIONS: &[&str] = &[
    "成年後見について相談したい",
    "家賃が払えない",
    "親の物忘れが心配",
    "息子が何年も部屋から出てこない",
    "介護保険の申請はどこでするの",
    "仕事が見つからない",
    "子育てがつらい",
    "もう死にたい",
];

fn env(k: &str, d: u64) -> u64 {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

fn pct(v: &[u64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() - 1) as f64 * p) as usize] as f64 / 1000.0
}

fn peak_rss_kib(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string())
        })
        .unwrap_or_else(|| "?".into())
}

#[tokio::main]
async fn main() {
    let (rate, secs, delay) = (env("RATE", 1000), env("SECS", 20), env("DELAY_MS", 500));
    // Stand-in: counts replies per token after sleeping `delay`.
    let tokens: Arc<Mutex<Vec<String>>> = Arc::default();
    let t2 = tokens.clone();
    let app = axum::Router::new().route(
        "/v2/bot/message/reply",
        axum::routing::post(move |body: axum::body::Bytes| {
            let t2 = t2.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(delay)).await;
                let v: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                t2.lock()
                    .unwrap()
                    .push(v["replyToken"].as_str().unwrap_or("").to_string());
                axum::Json(json!({ "sentMessages": [] }))
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let standin = format!("http://{}", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await });

    let bin = std::env::var("TSUNAGU_BIN")
        .map(Into::into)
        .unwrap_or_else(|_| {
            std::env::current_exe()
                .unwrap()
                .parent()
                .unwrap()
                .parent()
                .unwrap()
                .join("tsunagu")
        });
    let index = tempfile::tempdir().unwrap();
    let root = tsunagu::repo_root();
    let mut child = Command::new(&bin)
        .arg("--content")
        .arg(root.join("content"))
        .arg("--index")
        .arg(index.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("TSUNAGU_DICT_DIR", root.join("index/dictionary"))
        .env("LINE_SAGAMIHARA_CHANNEL_SECRET", SECRET)
        .env("LINE_SAGAMIHARA_ACCESS_TOKEN", "bench-token")
        .env("LINE_API_BASE", &standin)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "starting {}: {e} (cargo build --release --bin tsunagu)",
                bin.display()
            )
        });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = loop {
        let l = lines.next().expect("server exited").unwrap();
        if let Some(b) = l.strip_prefix("listening on ") {
            break b.trim().to_string();
        }
    };
    let url = format!("{base}/line/sagamihara/webhook");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .unwrap();
    let lat: Arc<Mutex<Vec<u64>>> = Arc::default();
    let (ok, bad) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    println!(
        "sending {rate} signed events/s for {secs} s; stand-in answers each reply after {delay} ms"
    );
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(10));
    let per_tick = rate / 100;
    let mut n = 0u64;
    let mut handles = Vec::new();
    while started.elapsed() < Duration::from_secs(secs) {
        tick.tick().await;
        for _ in 0..per_tick {
            n += 1;
            let q = QUESTIONS[n as usize % QUESTIONS.len()];
            let body = serde_json::to_vec(&json!({ "destination": "Ubench", "events": [{
                "type": "message", "mode": "active", "timestamp": 0, "webhookEventId": format!("01BENCH{n:019}"),
                "replyToken": format!("rt{n}"), "deliveryContext": { "isRedelivery": false },
                "source": { "type": "user", "userId": format!("U{n:032}") },
                "message": { "type": "text", "id": n.to_string(), "quoteToken": "q", "text": q } }] }))
            .unwrap();
            let sig = signature::sign(SECRET.as_bytes(), &body);
            let (client, url, lat, ok, bad) = (
                client.clone(),
                url.clone(),
                lat.clone(),
                ok.clone(),
                bad.clone(),
            );
            handles.push(tokio::spawn(async move {
                let t = Instant::now();
                let r = client
                    .post(&url)
                    .header("x-line-signature", sig)
                    .body(body)
                    .send()
                    .await;
                let us = t.elapsed().as_micros() as u64;
                match r {
                    Ok(r) if r.status() == 200 => {
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                }
                lat.lock().unwrap().push(us);
            }));
        }
    }
    for h in handles {
        let _ = h.await;
    }
    let sent_for = started.elapsed();
    let accepted = ok.load(Ordering::Relaxed);
    let drain = Instant::now();
    while (tokens.lock().unwrap().len() as u64) < accepted
        && drain.elapsed() < Duration::from_secs(60)
    {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let drained = drain.elapsed();
    let got = tokens.lock().unwrap().clone();
    let distinct: HashSet<&String> = got.iter().collect();
    let mut l = lat.lock().unwrap().clone();
    l.sort_unstable();
    println!(
        "events sent {n} in {:.1} s = {:.0}/s; 200: {accepted}; other: {}",
        sent_for.as_secs_f64(),
        n as f64 / sent_for.as_secs_f64(),
        bad.load(Ordering::Relaxed)
    );
    println!(
        "ack latency ms: p50 {:.1}  p90 {:.1}  p99 {:.1}  max {:.1}",
        pct(&l, 0.5),
        pct(&l, 0.9),
        pct(&l, 0.99),
        pct(&l, 1.0)
    );
    println!(
        "replies received {} (distinct tokens {}), lost {}, drained {:.1} s after the last event",
        got.len(),
        distinct.len(),
        accepted.saturating_sub(distinct.len() as u64),
        drained.as_secs_f64()
    );
    println!("server peak RSS {} KiB", peak_rss_kib(child.id()));
    let _ = child.kill();
    let _ = child.wait();
}
