//! The LINE official-account chatbot: one webhook per city, `POST /line/{city}/webhook`.
//!
//! A request is checked (signature on the raw bytes, in constant time), acknowledged at
//! once, and its events are answered afterwards in spawned tasks: text → the answer
//! engine → a reply rendered by `render` within the limits kept by `flex`, sent by
//! `client`. This layer formats the engine's `Answer`; it never re-decides it. Logs
//! carry event types, hashed ids and outcomes, never residents' words or raw ids.

mod blocks;
pub mod client;
mod config;
mod dedupe;
pub mod flex;
pub mod render;
pub mod richmenu;
pub mod signature;
pub mod webhook;

use std::collections::HashSet;
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
pub use self::config::{Channel, LineConfig, Secret};
use self::render::Reply;
use self::webhook::{CallbackRequest, Event, EventKind, Message, Mode};
use crate::answer::Engine;
use crate::content::City;
use crate::app::error::AppError;
use crate::messages::line as msg;

/// The longest question handed to the engine (the HTTP API's limit too).
pub const MAX_QUESTION: usize = 500;
/// The reply token a preview carries in place of a real one.
pub const PREVIEW_TOKEN: &str = "PREVIEW_REPLY_TOKEN";

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
