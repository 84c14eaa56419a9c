//! Styles and scripts, compiled into the binary: a city's closed network has no CDN,
//! and a page never waits on another server.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const FILES: &[(&str, &str, &str)] = &[
    ("style.css", "text/css; charset=utf-8", include_str!("../../web/style.css")),
    ("app.js", "text/javascript; charset=utf-8", include_str!("../../web/app.js")),
    ("widget.js", "text/javascript; charset=utf-8", include_str!("../../web/widget.js")),
];

/// A short hash of every asset, so a new build's URLs never hit an old cached copy.
fn version() -> &'static str {
    static V: OnceLock<String> = OnceLock::new();
    V.get_or_init(|| {
        let mut h = Sha256::new();
        for (_, _, body) in FILES {
            h.update(body.as_bytes());
        }
        h.finalize().iter().take(5).map(|b| format!("{b:02x}")).collect()
    })
}

/// The URL pages use for an asset.
pub fn url(name: &str) -> String {
    format!("/assets/{name}?v={}", version())
}

fn serve(name: &str, cache: &'static str) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, mime, body)) => (
            [(header::CONTENT_TYPE, *mime), (header::CACHE_CONTROL, cache)],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "").into_response(),
    }
}

/// `/assets/{file}`: versioned URLs, so they may be cached for a long time.
pub async fn file(Path(name): Path<String>) -> Response {
    serve(&name, "public, max-age=31536000, immutable")
}

/// `/widget.js`: included by city pages under a fixed URL, so cached briefly.
pub async fn widget() -> Response {
    serve("widget.js", "public, max-age=3600")
}
