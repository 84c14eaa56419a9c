//! The LINE official-account chatbot: one webhook per city, `POST /line/{city}/webhook`.
//!
//! A request is checked (signature on the raw bytes, in constant time), acknowledged at
//! once, and its events are answered afterwards in spawned tasks: text → the answer
//! engine → a reply rendered by `render` within the limits kept by `flex`, sent by
//! `client`. This layer formats the engine's `Answer`; it never re-decides it. Logs
//! carry event types, hashed ids and outcomes, never residents' words or raw ids.

pub mod client;
mod dedupe;
pub mod flex;
pub mod render;
pub mod richmenu;
pub mod signature;
pub mod webhook;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use self::client::{Client, Outcome};
use self::render::Reply;
use self::webhook::{CallbackRequest, Event, EventKind, Message, Mode};
use crate::answer::Engine;
use crate::content::City;
use crate::http::AppError;
use crate::messages::line as msg;

/// The longest question handed to the engine (the HTTP API's limit too).
pub const MAX_QUESTION: usize = 500;
/// The reply token a preview carries in place of a real one.
pub const PREVIEW_TOKEN: &str = "PREVIEW_REPLY_TOKEN";

/// A secret string whose `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// One city's channel: `LINE_<CITY>_CHANNEL_SECRET`, `LINE_<CITY>_ACCESS_TOKEN`.
#[derive(Debug, Clone)]
pub struct Channel {
    pub secret: Secret,
    pub token: Secret,
}

/// LINE settings, read once from the environment in `main`'s config step.
#[derive(Debug, Clone)]
pub struct LineConfig {
    pub channels: HashMap<City, Channel>,
    /// `LINE_API_BASE` (default https://api.line.me).
    pub api_base: String,
    /// `LINE_API_DATA_BASE` (default https://api-data.line.me, or `LINE_API_BASE` when
    /// only that is set, so one stand-in serves both).
    pub data_base: String,
    /// `LINE_LOG_SALT`: salt for hashing ids in logs (random per process when unset).
    pub log_salt: Secret,
    pub reply_timeout: Duration,
    /// Groups and rooms: a text starting with this word is for the bot.
    pub wake_word: String,
    /// Events accepted but not finished (`LINE_QUEUE`, default 20000); beyond it → 503.
    pub queue: usize,
    /// Events processed at once (`LINE_WORKERS`, default 1024).
    pub workers: usize,
    /// Answers computed at once (`LINE_ANSWER_THREADS`, default one fewer than the
    /// cores, at least 1).
    pub answer_threads: usize,
}

impl LineConfig {
    pub fn from_env() -> LineConfig {
        LineConfig::from_vars(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
    }

    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> LineConfig {
        let mut channels = HashMap::new();
        for city in [City::Sagamihara, City::Tsuruoka] {
            let up = city.as_str().to_uppercase();
            if let Some(secret) = get(&format!("LINE_{up}_CHANNEL_SECRET")) {
                let token = get(&format!("LINE_{up}_ACCESS_TOKEN")).unwrap_or_else(|| {
                    tracing::warn!(
                        city = city.as_str(),
                        "LINE channel secret set but no access token: replies will fail"
                    );
                    String::new()
                });
                channels.insert(
                    city,
                    Channel {
                        secret: Secret(secret),
                        token: Secret(token),
                    },
                );
            }
        }
        let api_base = get("LINE_API_BASE").unwrap_or_else(|| "https://api.line.me".into());
        let data_base = get("LINE_API_DATA_BASE").unwrap_or_else(|| match get("LINE_API_BASE") {
            Some(b) => b,
            None => "https://api-data.line.me".into(),
        });
        let num = |k: &str, d: usize| {
            get(k)
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(d)
        };
        LineConfig {
            channels,
            api_base,
            data_base,
            log_salt: Secret(get("LINE_LOG_SALT").unwrap_or_else(random_salt)),
            reply_timeout: Duration::from_secs(10),
            wake_word: "つなぐ".into(),
            queue: num("LINE_QUEUE", 20_000),
            workers: num("LINE_WORKERS", 1024),
            answer_threads: num(
                "LINE_ANSWER_THREADS",
                std::thread::available_parallelism()
                    .map_or(1, |n| n.get().saturating_sub(1).max(1)),
            ),
        }
    }

    pub fn channel(&self, city: City) -> Option<&Channel> {
        self.channels.get(&city)
    }
}

fn random_salt() -> String {
    let mut buf = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut buf))
        .is_ok();
    if !ok {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        buf[..16].copy_from_slice(&t.as_nanos().to_le_bytes());
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Webhook state: the engine, the channels, the reply client, the dedupe memory and
/// the bounds on work in flight.
pub struct Line {
    engine: Arc<ArcSwap<Engine>>,
    config: LineConfig,
    client: Client,
    seen: Mutex<dedupe::Seen>,
    queue: Arc<Semaphore>,
    workers: Arc<Semaphore>,
    /// Answers computed at once: one fewer than the cores, so a burst of events can
    /// never crowd out the threads that acknowledge webhooks (and never piles up
    /// hundreds of blocking threads).
    cpu: Arc<Semaphore>,
}

impl Line {
    pub fn new(engine: Arc<ArcSwap<Engine>>, config: LineConfig) -> Line {
        let client = Client::new(&config.api_base, &config.data_base, config.reply_timeout);
        Line {
            engine,
            client,
            // 24 h (LINE redelivers within 20 min); 1M ids ≈ 40 MB at most.
            seen: Mutex::new(dedupe::Seen::new(Duration::from_secs(24 * 3600), 1_000_000)),
            queue: Arc::new(Semaphore::new(config.queue)),
            workers: Arc::new(Semaphore::new(config.workers)),
            cpu: Arc::new(Semaphore::new(config.answer_threads)),
            config,
        }
    }

    /// A salted hash of a LINE id, the only form ids take in logs.
    pub fn hash_id(&self, id: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.config.log_salt.expose().as_bytes());
        h.update(id.as_bytes());
        h.finalize()
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Dedupes and queues events; `Err` when the queue is full (nothing is taken then,
    /// so LINE's redelivery can try again).
    fn accept(self: &Arc<Self>, city: City, events: Vec<Event>) -> Result<usize, ()> {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let mut batch = HashSet::new();
        let mut fresh = Vec::new();
        for e in events {
            if e.mode != Mode::Active {
                tracing::debug!(event = e.type_name(), "standby: no reply");
                continue;
            }
            if let Some(id) = &e.webhook_event_id {
                if seen.contains(id, now) || !batch.insert(id.clone()) {
                    let redelivery = e.delivery_context.as_ref().is_some_and(|d| d.is_redelivery);
                    tracing::info!(event = e.type_name(), redelivery, "duplicate event dropped");
                    continue;
                }
            }
            fresh.push(e);
        }
        let mut permits = Vec::with_capacity(fresh.len());
        for _ in &fresh {
            match self.queue.clone().try_acquire_owned() {
                Ok(p) => permits.push(p),
                Err(_) => return Err(()),
            }
        }
        for id in fresh.iter().filter_map(|e| e.webhook_event_id.as_deref()) {
            seen.insert(id, now);
        }
        drop(seen);
        let n = fresh.len();
        for (e, permit) in fresh.into_iter().zip(permits) {
            let line = self.clone();
            tokio::spawn(async move {
                line.process(city, e).await;
                drop(permit);
            });
        }
        Ok(n)
    }

    async fn process(self: Arc<Self>, city: City, e: Event) {
        let Ok(_worker) = self.workers.clone().acquire_owned().await else {
            return;
        };
        let kind = e.type_name();
        let who = e
            .source
            .as_ref()
            .and_then(|s| s.id())
            .map(|id| self.hash_id(id))
            .unwrap_or_default();
        let Some(token) = e.reply_token.clone() else {
            tracing::debug!(event = kind, user = %who, "no reply token: nothing to send");
            return;
        };
        let Some(channel) = self.config.channel(city).cloned() else {
            return;
        };
        let started = Instant::now();
        let engine = self.engine.load_full();
        let wake = self.config.wake_word.clone();
        let reply = {
            let Ok(_cpu) = self.cpu.acquire().await else {
                return;
            };
            tokio::task::spawn_blocking(move || reply_for(&engine, city, &e, &wake)).await
        };
        let Some(reply) = reply.ok().flatten() else {
            tracing::debug!(event = kind, user = %who, "not addressed to the bot: no reply");
            return;
        };
        let outcome = self.client.reply(&channel.token, &reply.body(&token)).await;
        let ms = started.elapsed().as_millis() as u64;
        let city = city.as_str();
        match outcome {
            Outcome::Sent { attempts } => {
                tracing::info!(city, event = kind, user = %who, attempts, ms, "replied")
            }
            Outcome::Expired => {
                tracing::warn!(city, event = kind, user = %who, ms, "reply token expired or already used")
            }
            Outcome::RateLimited => {
                tracing::warn!(city, event = kind, user = %who, ms, "reply rate-limited; given up")
            }
            Outcome::Failed(why) => {
                tracing::error!(city, event = kind, user = %who, ms, %why, "reply failed")
            }
        }
    }
}

/// The question in a text, as the engine gets it (trimmed, at most 500 characters).
pub fn question(text: &str) -> String {
    flex::cut(text.trim(), MAX_QUESTION)
}

/// What the bot answers to one event, or `None` (group chatter, unfollow, leave…).
pub fn reply_for(engine: &Engine, city: City, e: &Event, wake: &str) -> Option<Reply> {
    let shared = e.source.as_ref().is_some_and(|s| s.is_shared());
    match &e.kind {
        EventKind::Message {
            message: Message::Text { text, mention },
        } => {
            let q = webhook::addressed_text(text, mention.as_ref(), shared, wake)?;
            Some(render::for_text(engine, city, &question(&q)))
        }
        EventKind::Message { .. } => (!shared).then(|| render::please_type(engine)),
        EventKind::Follow { follow } => Some(render::greeting(
            engine,
            follow.as_ref().is_some_and(|f| f.is_unblocked),
        )),
        EventKind::Postback { postback } => {
            Some(render::for_postback(engine, city, &postback.data))
        }
        EventKind::Join => Some(render::join()),
        EventKind::Unfollow | EventKind::Leave | EventKind::Unknown => None,
    }
}

/// `tsunagu line preview`: the exact body the webhook would send for `text`.
pub fn preview(engine: &Engine, city: City, text: &str) -> Value {
    render::for_text(engine, city, &question(text)).body(PREVIEW_TOKEN)
}

fn refuse(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

/// `POST /line/{city}/webhook`.
pub async fn webhook_handler(
    State(line): State<Arc<Line>>,
    UrlPath(city): UrlPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((city, channel)) = City::parse(&city).and_then(|c| Some((c, line.config.channel(c)?)))
    else {
        return AppError::NotFound.into_response();
    };
    let sig = headers.get("x-line-signature").map(|v| v.as_bytes());
    if !signature::verify(channel.secret.expose().as_bytes(), &body, sig) {
        tracing::warn!(
            city = city.as_str(),
            "webhook signature missing or wrong: refused"
        );
        return refuse(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            msg::BAD_SIGNATURE,
        );
    }
    let Ok(req) = serde_json::from_slice::<CallbackRequest>(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "bad_body", msg::BAD_BODY);
    };
    let events: Vec<Event> = req
        .events
        .into_iter()
        .filter_map(|v| {
            let e = Event::parse(v);
            if e.is_none() {
                tracing::debug!("an event that does not parse was skipped");
            }
            e
        })
        .collect();
    match line.accept(city, events) {
        Ok(_) => (StatusCode::OK, Json(json!({}))).into_response(),
        Err(()) => {
            tracing::warn!(
                city = city.as_str(),
                "event queue full: 503 so LINE can redeliver"
            );
            refuse(StatusCode::SERVICE_UNAVAILABLE, "busy", msg::BUSY)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_come_from_per_city_env_vars() {
        let vars: HashMap<&str, &str> = [
            ("LINE_SAGAMIHARA_CHANNEL_SECRET", "s"),
            ("LINE_SAGAMIHARA_ACCESS_TOKEN", "t"),
            ("LINE_API_BASE", "http://127.0.0.1:9"),
        ]
        .into();
        let c = LineConfig::from_vars(|k| vars.get(k).map(|v| v.to_string()));
        assert!(c.channel(City::Sagamihara).is_some());
        assert!(c.channel(City::Tsuruoka).is_none());
        assert_eq!(c.data_base, "http://127.0.0.1:9");
        assert!(!format!("{c:?}").contains("\"s\""), "secrets never print");
        let d = LineConfig::from_vars(|_| None);
        assert_eq!(d.api_base, "https://api.line.me");
        assert_eq!(d.data_base, "https://api-data.line.me");
    }
}
