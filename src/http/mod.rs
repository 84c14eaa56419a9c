//! The HTTP API (axum). Handlers are thin: parse the request into plain values, run the
//! engine (inline for short questions, else in `spawn_blocking`: see
//! `AppState::short_or_blocking`), convert the result. Ranking, composition and validation
//! live in the library; this module never logs a resident's question.

mod api;
mod conn;
mod forms;
mod headers;
mod idle;
pub mod hsds;
pub mod openapi;
mod serve;
mod throttle;


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

pub use crate::app::{params, AppError, AppState, Config, Params, ServeArgs};
pub use serve::serve;

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

pub fn router(state: AppState) -> Router {
    let cors = cors_layer(&state.config.cors_origins);
    Router::new()
        .route("/api/answer", get(api::answer_handler))
        .route("/api/search", get(api::search_handler))
        .route("/api/resources/{id}", get(api::resource_handler))
        .route("/api/cities", get(api::cities_handler))
        .route("/api/topics", get(api::topics_handler))
        .route("/api/export/hsds", get(api::hsds_handler))
        .route(
            "/openapi.json",
            get(|State(s): State<AppState>| async move {
                Json(openapi::document(&s.engine().catalog.places()))
            }),
        )
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
        .layer(middleware::from_fn_with_state(state.clone(), throttle::rate_limit))
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
        // At the fastest level: the default (brotli's and gzip's middle settings) cost
        // more than the answer itself and halved the answers a second a browser gets;
        // the fastest keeps most of the saving (BENCHMARKS.md, "Compression").
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
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

/// The size of a request's head as sent: request line and header lines.
fn head_bytes(req: &Request) -> usize {
    let line = req.method().as_str().len() + req.uri().path_and_query().map_or(1, |p| p.as_str().len()) + 12;
    line + req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum::<usize>()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openapi_documents_exactly_the_served_routes() {
        let doc = openapi::document(&[]);
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
