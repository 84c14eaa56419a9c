//! The HTTP API (axum). Handlers are thin: parse the request into plain values, run the
//! engine in `spawn_blocking`, convert the result. Ranking, composition and validation
//! live in the library; this module never logs a resident's question.

mod api;
mod config;
mod conn;
mod error;
mod forms;
mod headers;
mod idle;
pub mod hsds;
mod limits;
mod metrics;
pub mod openapi;
pub mod params;
mod serve;

use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use config::{Config, ServeArgs};
pub use error::AppError;
pub use serve::serve;
use limits::Limits;
use metrics::Metrics;
pub use params::Params;

use crate::answer::Engine;
use crate::Paths;

/// Every route the server answers, as (method, path). `openapi.json` documents exactly
/// these, and a test checks both directions.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/answer"),
    ("GET", "/api/search"),
    ("GET", "/api/resources/{id}"),
    ("GET", "/api/cities"),
    ("GET", "/api/topics"),
    ("GET", "/api/export/hsds"),
    ("GET", "/openapi.json"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("POST", "/admin/reload"),
    ("GET", "/admin/insights"),
    ("POST", "/line/{city}/webhook"),
];

#[derive(Clone)]
pub struct AppState {
    engine: Arc<ArcSwap<Engine>>,
    paths: Paths,
    config: Arc<Config>,
    metrics: Arc<Metrics>,
    reloading: Arc<tokio::sync::Mutex<()>>,
    line: Arc<crate::line::Line>,
    limits: Arc<Limits>,
    insights: Option<Arc<crate::insights::Store>>,
}

impl axum::extract::FromRef<AppState> for Arc<crate::line::Line> {
    fn from_ref(state: &AppState) -> Self {
        state.line.clone()
    }
}

/// The size of a request's head as sent: request line and header lines.
fn head_bytes(req: &Request) -> usize {
    let line = req.method().as_str().len() + req.uri().path_and_query().map_or(1, |p| p.as_str().len()) + 12;
    line + req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum::<usize>()
}

impl AppState {
    pub fn new(engine: Engine, paths: Paths, config: Config) -> Self {
        let metrics = Arc::new(Metrics::default());
        metrics.set_reloaded(engine.index.num_docs());
        let engine = Arc::new(ArcSwap::from_pointee(engine));
        let line = Arc::new(crate::line::Line::new(engine.clone(), config.line.clone()));
        let limits = Arc::new(Limits::new(&config));
        AppState {
            limits,
            insights: None,
            engine,
            paths,
            config: Arc::new(config),
            metrics,
            reloading: Arc::new(tokio::sync::Mutex::new(())),
            line,
        }
    }

    /// The engine serving now (pages and API alike).
    pub fn engine(&self) -> Arc<Engine> {
        self.engine.load_full()
    }

    /// Records anonymised query events in `store` (opt-in; see `crate::insights`).
    pub fn with_insights(mut self, store: crate::insights::Store) -> Self {
        self.insights = Some(Arc::new(store));
        self
    }

    /// Re-reads content and builds a new index aside; swaps only on success.
    /// In-flight requests keep the engine they started with.
    pub async fn reload(&self) -> Result<serde_json::Value, AppError> {
        let _guard = self.reloading.lock().await;
        let paths = self.paths.clone();
        let built = tokio::task::spawn_blocking(move || crate::rebuild_engine(&paths))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        match built {
            Ok(engine) => {
                let docs = engine.index.num_docs();
                let hash = engine.catalog.hash.clone();
                self.engine.store(Arc::new(engine));
                self.metrics.set_reloaded(docs);
                tracing::info!(records = docs, "content reloaded");
                Ok(json!({ "status": "reloaded", "records": docs, "content_hash": hash }))
            }
            Err(crate::LoadError::Content(errors)) => {
                tracing::warn!(errors = errors.0.len(), "reload refused: content errors");
                Err(AppError::ContentInvalid(
                    errors.0.iter().map(|e| e.to_string()).collect(),
                ))
            }
            Err(e) => Err(AppError::ReloadFailed(e.to_string())),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let cors = cors_layer(&state.config.cors_origins);
    Router::new()
        .route("/api/answer", get(api::answer_handler))
        .route("/api/search", get(api::search_handler))
        .route("/api/resources/{id}", get(api::resource_handler))
        .route("/api/cities", get(api::cities_handler))
        .route("/api/topics", get(api::topics_handler))
        .route("/api/export/hsds", get(api::hsds_handler))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .route(
            "/healthz",
            get(|| async { Json(json!({ "status": "ok" })) }),
        )
        .route("/readyz", get(api::readyz_handler))
        .route("/metrics", get(api::metrics_handler))
        .route("/admin/reload", post(api::reload_handler))
        .route("/admin/insights", get(api::insights_handler))
        .route("/line/{city}/webhook", post(crate::line::webhook_handler))
        .merge(crate::web::routes())
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(state.clone(), limits::rate_limit))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        // A bug must cost one request a JSON 500, never the server.
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                AppError::Internal("handler panicked".into()).into_response()
            },
        ))
        .layer(cors)
        .layer(middleware::from_fn_with_state(state.clone(), headers::security_headers))
        // Errors in the form each route speaks: pages for people, JSON for machines.
        .layer(middleware::from_fn(forms::error_forms))
        // Pages and answers are text: compressed, the resident page stays small on phones.
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// `/healthz` and `/readyz` alone, for the probe listener (`--probe-addr`): it has its
/// own small connection cap, so probes are answered when a flood has filled the public one.
pub fn probe_router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { Json(json!({ "status": "ok" })) }))
        .route("/readyz", get(api::readyz_handler))
        .fallback(|| async { AppError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), headers::security_headers))
        .with_state(state)
}

/// `*` (validated to stand alone in config.rs) lets any page call the API; credentials
/// are never allowed either way.
fn cors_layer(origins: &[String]) -> CorsLayer {
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim()).ok()),
        )
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
}

/// Body limit, timeout and metrics for every request. Logs the route template and
/// status only: never the query string, which holds residents' words. A chunked body
/// (no Content-Length) is read here, within the timeout, up to the limit.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if head_bytes(&req) > conn::MAX_HEAD_BYTES {
        return AppError::HeadTooLarge.into_response();
    }
    let too_large = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > state.config.max_body);
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().clone();
    let started = std::time::Instant::now();
    let chunked = req.headers().contains_key(header::TRANSFER_ENCODING);
    let max_body = state.config.max_body;
    let run = async move {
        let req = if chunked {
            let (parts, body) = req.into_parts();
            match http_body_util::BodyExt::collect(http_body_util::Limited::new(body, max_body))
                .await
            {
                Ok(c) => Request::from_parts(parts, axum::body::Body::from(c.to_bytes())),
                Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                    return AppError::TooLarge.into_response()
                }
                Err(_) => {
                    return AppError::bad("bad_body", crate::messages::errors::BAD_HTTP)
                        .into_response()
                }
            }
        } else {
            req
        };
        next.run(req).await
    };
    let response = if too_large {
        AppError::TooLarge.into_response()
    } else {
        match tokio::time::timeout(state.config.request_timeout, run).await {
            Ok(r) => r,
            Err(_) => AppError::Timeout.into_response(),
        }
    };
    let elapsed = started.elapsed();
    state
        .metrics
        .observe(&route, response.status().as_u16(), elapsed);
    tracing::debug!(%method, %route, status = response.status().as_u16(), ms = elapsed.as_secs_f64() * 1e3, "request");
    response
}

impl AppState {
    /// Runs engine work off the async threads, at most `max_answers` at once: a burst
    /// queues here (bounded by the request timeout) instead of growing the blocking pool
    /// to hundreds of threads.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self
            .limits
            .answers
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_documents_exactly_the_served_routes() {
        let doc = openapi::document();
        let mut documented: Vec<(String, String)> = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                documented.push((method.to_uppercase(), path.clone()));
            }
        }
        documented.sort();
        let mut served: Vec<(String, String)> = ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        served.sort();
        assert_eq!(documented, served);
    }
}
