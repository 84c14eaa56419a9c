//! Messaging API client (reqwest with rustls): reply, plus the calls `richmenu` needs.
//! Reply rules from LINE: one quick retry on 5xx or timeout (inside the one-minute
//! token window), `400 Invalid reply token` means expired or already used, 429 is
//! backed off, and `X-Line-Retry-Key` is never sent on reply (LINE answers 400).
//! Not the place to build messages or read env vars.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

use super::Secret;

/// What happened to one reply; logged by the caller with the event's hashed ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent {
        attempts: u32,
    },
    /// 400 Invalid reply token: expired, or used (maybe by our own first attempt).
    Expired,
    /// 429 that did not clear within the token window (or the monthly quota).
    RateLimited,
    Failed(String),
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    data_base: String,
    retry_pause: Duration,
}

enum Attempt {
    Done(Outcome),
    Retry(String),
    Backoff,
}

impl Client {
    /// `base`: https://api.line.me (or a stand-in); `data_base`: https://api-data.line.me
    /// (image uploads).
    pub fn new(base: &str, data_base: &str, timeout: Duration) -> Client {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            // Keep a connection per concurrent reply instead of reconnecting under load.
            .pool_max_idle_per_host(1024)
            .build()
            .expect("reqwest client builds with static settings");
        Client {
            http,
            base: base.trim_end_matches('/').to_string(),
            data_base: data_base.trim_end_matches('/').to_string(),
            retry_pause: Duration::from_millis(200),
        }
    }

    /// Sends a reply body (`{"replyToken","messages"}`).
    pub async fn reply(&self, token: &Secret, body: &Value) -> Outcome {
        let started = Instant::now();
        let window = Duration::from_secs(50);
        let mut retried = false;
        let mut backoff = Duration::from_millis(500);
        let mut attempts = 0;
        loop {
            attempts += 1;
            match self.try_reply(token, body).await {
                Attempt::Done(Outcome::Sent { .. }) => return Outcome::Sent { attempts },
                Attempt::Done(o) => return o,
                Attempt::Retry(why) => {
                    if retried || started.elapsed() > window {
                        return Outcome::Failed(why);
                    }
                    retried = true;
                    tracing::info!(%why, "reply failed; retrying once");
                    tokio::time::sleep(self.retry_pause).await;
                }
                Attempt::Backoff => {
                    if started.elapsed() + backoff > window {
                        return Outcome::RateLimited;
                    }
                    tokio::time::sleep(backoff + jitter(backoff / 2)).await;
                    backoff *= 2;
                }
            }
        }
    }

    async fn try_reply(&self, token: &Secret, body: &Value) -> Attempt {
        let res = self
            .http
            .post(format!("{}/v2/bot/message/reply", self.base))
            .bearer_auth(token.expose())
            .json(body)
            .send()
            .await;
        let res = match res {
            Ok(r) => r,
            Err(e) if e.is_timeout() || e.is_connect() || e.is_request() => {
                return Attempt::Retry(format!("transport: {e}"))
            }
            Err(e) => return Attempt::Done(Outcome::Failed(format!("transport: {e}"))),
        };
        let status = res.status();
        let request_id = res
            .headers()
            .get("x-line-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("-")
            .to_string();
        if status.is_success() {
            tracing::debug!(%request_id, "reply sent");
            return Attempt::Done(Outcome::Sent { attempts: 1 });
        }
        let text = res.text().await.unwrap_or_default();
        let message = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or_default();
        match status {
            s if s.is_server_error() => Attempt::Retry(format!("{s} {request_id}")),
            StatusCode::TOO_MANY_REQUESTS if message.contains("monthly limit") => {
                Attempt::Done(Outcome::RateLimited)
            }
            StatusCode::TOO_MANY_REQUESTS => Attempt::Backoff,
            StatusCode::BAD_REQUEST if message.to_lowercase().contains("reply token") => {
                Attempt::Done(Outcome::Expired)
            }
            // LINE's error details name properties, never residents' words.
            s => Attempt::Done(Outcome::Failed(format!(
                "{s} {request_id} {}",
                clip_log(&text)
            ))),
        }
    }

    /// POST JSON to the API (`/v2/bot/...`); returns the JSON answer.
    pub async fn post_json(
        &self,
        token: &Secret,
        path: &str,
        body: &Value,
    ) -> anyhow::Result<Value> {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token.expose())
            .json(body)
            .send()
            .await?;
        read(res, path).await
    }

    /// POST raw bytes to the data API (rich menu images).
    pub async fn post_data(
        &self,
        token: &Secret,
        path: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> anyhow::Result<Value> {
        let res = self
            .http
            .post(format!("{}{path}", self.data_base))
            .bearer_auth(token.expose())
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(bytes)
            .send()
            .await?;
        read(res, path).await
    }

    #[cfg(test)]
    fn with_retry_pause(mut self, d: Duration) -> Client {
        self.retry_pause = d;
        self
    }
}

async fn read(res: reqwest::Response, path: &str) -> anyhow::Result<Value> {
    let status = res.status();
    let text = res.text().await.unwrap_or_default();
    if !status.is_success() {
        anyhow::bail!("{path}: {status} {}", clip_log(&text));
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn clip_log(s: &str) -> String {
    s.chars().take(300).collect()
}

/// Up to `max` of jitter, from the clock (no RNG dependency for this).
fn jitter(max: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0) as u64;
    Duration::from_nanos(nanos % (max.as_nanos() as u64).max(1))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use axum::http::HeaderMap;
    use axum::routing::post;
    use axum::Router;

    use super::*;

    /// A stand-in answering the statuses in `script` in turn (then 200), recording
    /// each request's headers.
    async fn stand_in(
        script: Vec<(u16, &'static str, u64)>,
    ) -> (String, Arc<Mutex<Vec<HeaderMap>>>) {
        let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
        let n = Arc::new(AtomicUsize::new(0));
        let s2 = seen.clone();
        let app = Router::new().route(
            "/v2/bot/message/reply",
            post(move |headers: HeaderMap| {
                let i = n.fetch_add(1, Ordering::SeqCst);
                s2.lock().unwrap().push(headers);
                let (status, body, delay) = script.get(i).cloned().unwrap_or((200, "{}", 0));
                async move {
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                    (StatusCode::from_u16(status).unwrap(), body.to_string())
                }
            }),
        );
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", l.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(l, app).await });
        (base, seen)
    }

    fn client(base: &str) -> Client {
        Client::new(base, base, Duration::from_millis(300))
            .with_retry_pause(Duration::from_millis(1))
    }

    #[tokio::test]
    async fn a_5xx_is_retried_once_and_never_with_a_retry_key() {
        let (base, seen) = stand_in(vec![(500, "{}", 0)]).await;
        let out = client(&base)
            .reply(
                &Secret::new("tok"),
                &serde_json::json!({"replyToken":"r","messages":[]}),
            )
            .await;
        assert_eq!(out, Outcome::Sent { attempts: 2 });
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2);
        assert!(seen.iter().all(|h| h.get("x-line-retry-key").is_none()));
        assert_eq!(seen[0]["authorization"], "Bearer tok");
    }

    #[tokio::test]
    async fn a_timeout_is_retried_once_then_given_up() {
        let (base, seen) = stand_in(vec![(200, "{}", 1000), (200, "{}", 1000)]).await;
        let out = client(&base)
            .reply(&Secret::new("t"), &serde_json::json!({}))
            .await;
        assert!(matches!(out, Outcome::Failed(_)), "{out:?}");
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn an_invalid_reply_token_is_reported_as_expired_without_retry() {
        let (base, seen) = stand_in(vec![(400, r#"{"message":"Invalid reply token"}"#, 0)]).await;
        let out = client(&base)
            .reply(&Secret::new("t"), &serde_json::json!({}))
            .await;
        assert_eq!(out, Outcome::Expired);
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_429_is_backed_off_then_sent() {
        let (base, seen) = stand_in(vec![(
            429,
            r#"{"message":"The API rate limit has been exceeded. Try again later."}"#,
            0,
        )])
        .await;
        let started = Instant::now();
        let out = client(&base)
            .reply(&Secret::new("t"), &serde_json::json!({}))
            .await;
        assert_eq!(out, Outcome::Sent { attempts: 2 });
        assert!(started.elapsed() >= Duration::from_millis(500));
        assert_eq!(seen.lock().unwrap().len(), 2);
        let (base, _) = stand_in(vec![(
            429,
            r#"{"message":"You have reached your monthly limit."}"#,
            0,
        )])
        .await;
        assert_eq!(
            client(&base)
                .reply(&Secret::new("t"), &serde_json::json!({}))
                .await,
            Outcome::RateLimited
        );
    }
}
