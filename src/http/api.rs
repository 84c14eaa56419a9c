//! The JSON API handlers: parse the request into plain values, run the engine off the
//! async threads, convert the result.

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::{hsds, AppError, AppState, Params};
use crate::answer;
use crate::content::Kind;
use crate::search::Filters;

pub(super) async fn answer_handler(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let p = Params::parse(raw.as_deref())?;
    let q = p.query()?;
    if q.is_empty() {
        return Err(AppError::bad(
            "empty_query",
            crate::messages::errors::EMPTY_QUERY,
        ));
    }
    let city = p.city()?;
    let limit = p.limit(answer::DEFAULT_LIMIT)?;
    let compact = match p.get("form") {
        None | Some("full") => false,
        Some("compact") => true,
        Some(_) => return Err(AppError::bad("bad_form", crate::messages::errors::BAD_FORM)),
    };
    let engine = state.engine.load_full();
    let insights = state.insights.clone();
    // Serialised in the same job: a full answer is ~29 KB of JSON.
    let short = q.chars().count() <= crate::app::INLINE_MAX_CHARS;
    let body = state
        .short_or_blocking(short, move || {
            let ans = engine.answer(&q, city, limit);
            if let Some(store) = insights {
                let event = crate::insights::Event::of(&engine.index.analyzer, &q, "web", &ans);
                store.record(&event);
            }
            if compact {
                serde_json::to_vec(&ans.compact())
            } else {
                serde_json::to_vec(&ans)
            }
        })
        .await?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

pub(super) async fn search_handler(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let p = Params::parse(raw.as_deref())?;
    let q = p.query()?;
    let filters = Filters {
        cities: Filters::scope(p.city()?),
        kinds: p.kind()?.into_iter().collect::<Vec<Kind>>(),
        topic: p.get("topic").map(str::to_string),
        audience: p.get("audience").map(str::to_string),
        function: p.get("function").map(str::to_string),
    };
    let limit = p.limit(20)?;
    let offset = p.offset()?;
    let engine = state.engine.load_full();
    let page = state.blocking(move || engine.browse(&q, &filters, limit, offset)).await?;
    Ok(Json(page).into_response())
}

pub(super) async fn resource_handler(
    State(state): State<AppState>,
    id: Result<UrlPath<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, AppError> {
    let UrlPath(id) =
        id.map_err(|_| AppError::bad("bad_path", crate::messages::errors::BAD_PATH))?;
    let engine = state.engine.load_full();
    let item = engine.resource(&id).ok_or(AppError::NotFound)?;
    let record = engine.catalog.record(&id).ok_or(AppError::NotFound)?;
    let plans: Vec<_> = record
        .plan
        .iter()
        .filter_map(|p| engine.catalog.record(p))
        .map(|p| json!({ "id": p.id, "title": p.title, "summary": p.summary }))
        .collect();
    let routes: Vec<_> = engine
        .catalog
        .routes
        .iter()
        .filter(|r| {
            r.steps
                .iter()
                .any(|s| s.record.as_deref() == Some(id.as_str()))
        })
        .map(|r| json!({ "id": r.id, "title": r.title, "need": r.need }))
        .collect();
    let mut body = serde_json::to_value(&item).map_err(|e| AppError::Internal(e.to_string()))?;
    body["plans"] = json!(plans);
    body["keywords"] = json!(record.keywords);
    body["fallback"] = json!(record.fallback);
    body["in_routes"] = json!(routes);
    Ok(Json(body).into_response())
}

pub(super) async fn cities_handler(State(state): State<AppState>) -> Json<serde_json::Value> {
    let engine = state.engine.load_full();
    let cities: Vec<_> = engine
        .catalog
        .cities
        .iter()
        .map(|c| {
            let count = engine
                .catalog
                .records
                .iter()
                .filter(|r| r.city == c.id)
                .count();
            json!({ "id": c.id, "name": c.name, "records": count, "general": c.general })
        })
        .collect();
    Json(json!({ "cities": cities }))
}

pub(super) async fn topics_handler(State(state): State<AppState>) -> Json<serde_json::Value> {
    let c = &state.engine.load_full().catalog;
    Json(json!({
        "topics": c.topics,
        "audiences": c.audiences,
        "functions": c.functions,
        "kinds": Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "needs": c.needs.iter().map(|n| json!({ "id": n.id, "label": n.label, "topic": n.topic })).collect::<Vec<_>>(),
    }))
}

pub(super) async fn hsds_handler(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let p = Params::parse(raw.as_deref())?;
    let city = p.city()?;
    let engine = state.engine.load_full();
    Ok(Json(hsds::export(&engine.catalog, city)).into_response())
}

/// Ready only when the serving engine passes its self-check (records found by their
/// own titles), not merely when an index is loaded.
pub(super) async fn readyz_handler(State(state): State<AppState>) -> Response {
    let engine = state.engine.load_full();
    let docs = engine.index.num_docs();
    let hash = engine.catalog.hash.clone();
    let checked = tokio::task::spawn_blocking(move || engine.self_check(3))
        .await
        .unwrap_or_else(|_| Err("self-check panicked".into()));
    match checked {
        Ok(()) if docs > 0 => Json(json!({ "status": "ready", "records": docs, "content_hash": hash })).into_response(),
        result => {
            if let Err(e) = result {
                tracing::error!(error = %e, "readiness self-check failed");
            }
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "not_ready", "records": docs, "content_hash": hash,
                             "error": { "code": "not_ready", "message": crate::messages::errors::NOT_READY } })),
            )
                .into_response()
        }
    }
}

pub(super) async fn metrics_handler(State(state): State<AppState>) -> Response {
    let body = state.metrics.render(state.limits.conns.open());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
fn same_token(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(expected) = state.config.admin_token.as_deref() else {
        return Err(AppError::Unauthorized);
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_token(given.as_bytes(), expected.as_bytes()) {
        return Err(AppError::Unauthorized);
    }
    Ok(())
}

/// Reads (and ignores) its body before answering: a reply sent while the client is still
/// writing would reach it as a reset connection instead of the reason (issue 23).
pub(super) async fn reload_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, AppError> {
    axum::body::to_bytes(body, state.config.max_body)
        .await
        .map_err(|_| AppError::TooLarge)?;
    authorize(&state, &headers)?;
    Ok(Json(state.reload().await?).into_response())
}

/// Top needs and the (redacted) questions nothing matched, for editors. `days`
/// (default 30) and `top` (default 20) choose the window and the list lengths.
pub(super) async fn insights_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    authorize(&state, &headers)?;
    let p = Params::parse(raw.as_deref())?;
    let top = 20;
    let days = match p.get("days") {
        Some(d) => d
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=3650).contains(d))
            .ok_or(AppError::bad("bad_days", crate::messages::errors::BAD_DAYS))?,
        None => 30,
    };
    let Some(store) = state.insights.clone() else {
        return Ok(Json(json!({ "enabled": false })).into_response());
    };
    let summary = tokio::task::spawn_blocking(move || store.summary(days, top))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Json(json!({ "enabled": true, "summary": summary })).into_response())
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_comparison_needs_exact_match() {
        assert!(same_token(b"secret-token", b"secret-token"));
        assert!(!same_token(b"secret-token", b"secret-tokeN"));
        assert!(!same_token(b"secret", b"secret-token"));
        assert!(!same_token(b"", b"x"));
    }

}
