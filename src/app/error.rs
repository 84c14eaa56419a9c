//! The one error type at the HTTP edge: every failure is JSON
//! `{"error":{"code":…,"message":"<日本語で理由>"}}`; 5xx never leaks internals.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::messages::errors as msg;

#[derive(Debug)]
pub enum AppError {
    /// 400: a parameter is missing, malformed or out of range.
    BadRequest {
        code: &'static str,
        message: &'static str,
    },
    /// 401: the admin token is missing or wrong.
    Unauthorized,
    /// 404: unknown route or resource id.
    NotFound,
    /// 405: the route exists but not for this method.
    MethodNotAllowed,
    /// 413: the request body is over the limit.
    TooLarge,
    /// 431: the request head (URL and headers) is over the limit.
    HeadTooLarge,
    /// 415: a form was sent with another content type (JSON to `POST /staff`).
    UnsupportedMediaType,
    /// 422: content failed validation; the old index keeps serving.
    ContentInvalid(Vec<String>),
    /// 503: the request took longer than the configured timeout.
    Timeout,
    /// 429: this client is over its allowance; `Retry-After` says when to come back.
    TooManyRequests(std::time::Duration),
    /// 500: logged with its cause, answered with a fixed message.
    Internal(String),
    /// 500 to the admin who asked for a reload: the new dictionary or index is damaged or
    /// failed its self-check; the reason is given (admin only) and the old index serves.
    ReloadFailed(String),
}

impl AppError {
    pub fn bad(code: &'static str, message: &'static str) -> Self {
        AppError::BadRequest { code, message }
    }

    /// What a person is told (pages show it in place of results).
    pub fn message(&self) -> &'static str {
        match self {
            AppError::BadRequest { message, .. } => message,
            AppError::Unauthorized => msg::UNAUTHORIZED,
            AppError::NotFound => msg::NOT_FOUND,
            AppError::MethodNotAllowed => msg::METHOD_NOT_ALLOWED,
            AppError::TooLarge => msg::TOO_LARGE,
            AppError::HeadTooLarge => msg::HEADERS_TOO_LARGE,
            AppError::UnsupportedMediaType => msg::UNSUPPORTED_MEDIA_TYPE,
            AppError::ContentInvalid(_) => msg::CONTENT_INVALID,
            AppError::Timeout => msg::TIMEOUT,
            AppError::TooManyRequests(_) => msg::TOO_MANY_REQUESTS,
            AppError::Internal(_) => msg::INTERNAL,
            AppError::ReloadFailed(_) => msg::RELOAD_FAILED,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, details) = match self {
            AppError::BadRequest { code, message } => {
                (StatusCode::BAD_REQUEST, code, message, None)
            }
            AppError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                msg::UNAUTHORIZED,
                None,
            ),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", msg::NOT_FOUND, None),
            AppError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                msg::METHOD_NOT_ALLOWED,
                None,
            ),
            AppError::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                msg::TOO_LARGE,
                None,
            ),
            AppError::HeadTooLarge => (
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers_too_large",
                msg::HEADERS_TOO_LARGE,
                None,
            ),
            AppError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                msg::UNSUPPORTED_MEDIA_TYPE,
                None,
            ),
            AppError::ContentInvalid(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "content_invalid",
                msg::CONTENT_INVALID,
                Some(errors),
            ),
            AppError::Timeout => (
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                msg::TIMEOUT,
                None,
            ),
            AppError::TooManyRequests(wait) => {
                let body = json!({ "error": { "code": "too_many_requests", "message": msg::TOO_MANY_REQUESTS } });
                let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(axum::http::header::RETRY_AFTER, secs.to_string())],
                    Json(body),
                )
                    .into_response();
            }
            AppError::ReloadFailed(reason) => {
                tracing::error!(%reason, "reload refused");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "reload_failed",
                    msg::RELOAD_FAILED,
                    Some(vec![reason]),
                )
            }
            AppError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    msg::INTERNAL,
                    None,
                )
            }
        };
        let mut body = json!({ "error": { "code": code, "message": message } });
        if let Some(d) = details {
            body["error"]["details"] = json!(d);
        }
        (status, Json(body)).into_response()
    }
}

/// A complete HTTP/1.1 response for errors written below the router (connection cap,
/// malformed requests hyper refuses): JSON like every other error, then the connection
/// closes.
pub(crate) fn raw_response(status: u16, reason: &str, code: &str, message: &str) -> Vec<u8> {
    let body = json!({ "error": { "code": code, "message": message } }).to_string();
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\ncache-control: no-store\r\n\
         x-content-type-options: nosniff\r\n",
        body.len()
    );
    if status == 503 {
        out.push_str("retry-after: 1\r\n");
    }
    out.push_str("\r\n");
    out.push_str(&body);
    out.into_bytes()
}
