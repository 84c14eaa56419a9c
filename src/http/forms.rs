//! Every error in the form its route speaks (issue 23): JSON under `/api/`, `/admin/`,
//! `/line/`, for assets and the machine endpoints; an HTML page with the reason and a
//! way back on page routes, and on unknown paths a browser asked for (`Accept:
//! text/html`). Handlers and layers keep returning [`AppError`] (JSON); this outermost
//! map only re-dresses error responses, so no handler decides its error's form.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use super::AppError;

/// Routes that answer machines: their errors are JSON whatever the client accepts.
const MACHINE_PREFIXES: [&str; 9] = [
    "/api/", "/admin/", "/line/", "/assets/", "/widget.js", "/openapi.json", "/healthz", "/readyz", "/metrics",
];
/// Page routes: their errors are pages, whatever the client accepts.
const PAGE_PATHS: [&str; 3] = ["/", "/staff", "/favicon.ico"];
const PAGE_PREFIXES: [&str; 2] = ["/resources/", "/staff/"];
/// Error bodies are a short JSON object; anything longer is left as it is.
const MAX_ERROR_BODY: usize = 16 * 1024;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Form {
    Json,
    Page,
}

fn form_of(path: &str, accepts_html: bool) -> Form {
    if MACHINE_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return Form::Json;
    }
    if PAGE_PATHS.contains(&path) || PAGE_PREFIXES.iter().any(|p| path.starts_with(p)) || accepts_html {
        return Form::Page;
    }
    Form::Json
}

pub async fn error_forms(req: Request, next: Next) -> Response {
    let accepts_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    let form = form_of(req.uri().path(), accepts_html);
    let res = next.run(req).await;
    if res.status().as_u16() < 400 {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"));
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("text/html"));
    match form {
        Form::Json if is_json => res,
        Form::Json => json_instead(res),
        Form::Page if is_html => res,
        Form::Page => page_instead(res).await,
    }
}

/// An error a handler answered in another form (an asset's empty 404): the same status
/// as JSON with the reason.
fn json_instead(res: Response) -> Response {
    let status = res.status();
    let mut out = match status {
        StatusCode::NOT_FOUND => AppError::NotFound.into_response(),
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed.into_response(),
        StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge.into_response(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => AppError::HeadTooLarge.into_response(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType.into_response(),
        s if s.is_server_error() => AppError::Internal(format!("{s} without a body")).into_response(),
        _ => AppError::bad("bad_request", crate::messages::errors::BAD_HTTP).into_response(),
    };
    *out.status_mut() = status;
    keep_headers(res.headers(), &mut out);
    out
}

/// A JSON error on a page route: the page shell with the same reason and a way back.
async fn page_instead(res: Response) -> Response {
    let (parts, body) = res.into_parts();
    let bytes = match http_body_util::Limited::new(body, MAX_ERROR_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Response::from_parts(parts, Body::empty()),
    };
    let message = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
        .unwrap_or_else(|| AppError::NotFound.message().to_string());
    let mut out = crate::web::error_page(parts.status, &message);
    keep_headers(&parts.headers, &mut out);
    out
}

/// What the client still needs from the original error (when to retry, which methods),
/// and no caching of an error.
fn keep_headers(from: &axum::http::HeaderMap, to: &mut Response) {
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(v) = from.get(&name) {
            to.headers_mut().insert(name, v.clone());
        }
    }
    to.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_has_its_form() {
        assert_eq!(form_of("/api/answer", true), Form::Json);
        assert_eq!(form_of("/assets/..%2fCargo.toml", true), Form::Json);
        assert_eq!(form_of("/staff", false), Form::Page);
        assert_eq!(form_of("/resources/x", false), Form::Page);
        assert_eq!(form_of("/nowhere", true), Form::Page);
        assert_eq!(form_of("/nowhere", false), Form::Json);
    }
}
