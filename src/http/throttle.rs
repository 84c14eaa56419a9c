//! The rate limit applied to requests (the buckets themselves are `app::limits`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::app::{AppError, AppState};

/// Routes a single client may call without a rate limit: probes (a load balancer polls
/// them), and the LINE webhook (every event comes from LINE's few addresses; it has its
/// own queue and signature check). Admin routes are limited on failures instead.
fn is_public(path: &str) -> bool {
    !(path == "/healthz"
        || path == "/readyz"
        || path == "/metrics"
        || path.starts_with("/admin/")
        || path.starts_with("/line/"))
}

/// 429 JSON with `Retry-After` when a client goes over its allowance.
pub(super) async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(ip) = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
    else {
        return next.run(req).await;
    };
    let limits = &state.limits;
    let path = req.uri().path();
    if path.starts_with("/admin/") {
        if let Err(wait) = limits.admin.check(ip) {
            tracing::warn!("admin request refused: too many wrong tokens from one client");
            return AppError::TooManyRequests(wait).into_response();
        }
        let response = next.run(req).await;
        if response.status() == axum::http::StatusCode::UNAUTHORIZED {
            limits.admin.spend(ip);
        }
        return response;
    }
    if is_public(path) {
        if let Some(Err(wait)) = limits.public.as_ref().map(|l| l.take(ip)) {
            return AppError::TooManyRequests(wait).into_response();
        }
    }
    next.run(req).await
}

