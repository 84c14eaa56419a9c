//! Security headers on every response, decided by route and content type so the pages
//! (`src/web/`) get them too when merged into the router:
//!
//! - `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` everywhere (a
//!   question in the URL must never reach another site through the Referer header);
//! - CSP: HTML may load scripts, styles and images from this origin only (no inline
//!   scripts or styles) and may be framed only by the widget's allowed origins; anything
//!   else (JSON, text) may load nothing and be framed by no one;
//! - `Cross-Origin-Resource-Policy`: `cross-origin` for `/widget.js` and `/assets/`
//!   (city websites include them), `same-origin` for the rest;
//! - `Cache-Control` when the handler set none: `no-store` for answers, searches,
//!   admin, LINE, probes, errors and anything carrying a question; a short public cache
//!   for assets, the widget and the lists that change only on reload.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;

/// `frame-ancestors` value for HTML pages: this origin plus the widget's CORS origins.
pub(super) fn frame_ancestors(cors_origins: &[String]) -> String {
    if cors_origins.iter().any(|o| o == "*") {
        return "*".to_string();
    }
    let mut v = vec!["'self'".to_string()];
    v.extend(cors_origins.iter().cloned());
    v.join(" ")
}

fn cache_control(path: &str, has_query_text: bool) -> &'static str {
    if path.starts_with("/assets/") {
        "public, max-age=3600"
    } else if path == "/widget.js"
        || (!has_query_text && matches!(path, "/api/cities" | "/api/topics" | "/openapi.json"))
    {
        "public, max-age=300"
    } else {
        "no-store"
    }
}

pub(super) async fn security_headers(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    let has_query = req.uri().query().is_some_and(|q| !q.is_empty());
    let mut res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let ok = res.status().is_success() || res.status().is_redirection();
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let csp = if is_html {
        format!(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors {}",
            frame_ancestors(&state.config.cors_origins)
        )
    } else {
        "default-src 'none'; frame-ancestors 'none'".to_string()
    };
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    let cross = path == "/widget.js" || path.starts_with("/assets/");
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static(if cross { "cross-origin" } else { "same-origin" }),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        let cc = if ok {
            cache_control(&path, has_query)
        } else {
            "no-store"
        };
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cc));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_never_cached_and_assets_are() {
        assert_eq!(cache_control("/api/answer", true), "no-store");
        assert_eq!(cache_control("/admin/insights", false), "no-store");
        assert_eq!(cache_control("/", true), "no-store");
        assert_eq!(cache_control("/assets/site.css", false), "public, max-age=3600");
        assert_eq!(cache_control("/api/cities", false), "public, max-age=300");
    }

    #[test]
    fn pages_may_be_framed_by_the_widget_origins_only() {
        assert_eq!(frame_ancestors(&[]), "'self'");
        assert_eq!(
            frame_ancestors(&["https://www.city.example.jp".into()]),
            "'self' https://www.city.example.jp"
        );
        assert_eq!(frame_ancestors(&["*".into()]), "*");
    }
}
