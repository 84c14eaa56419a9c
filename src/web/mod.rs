//! The web pages: the resident search for the city website (`/`, `/resources/{id}`),
//! the front-desk staff view (`/staff`) with its referral slips, and `/widget.js`.
//!
//! Server-rendered HTML that works without JavaScript (the script only saves a page
//! load). Every page renders the engine's own answer, the same one `/api/answer`
//! returns; none re-decides it. No resident's words are stored or logged: the staff
//! case note travels in a POST body and is answered, never kept.

mod assets;
mod basket;
mod resident;
mod slip;
mod staff;
mod view;


use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::Markup;

use crate::content::City;
use crate::app::AppState;

/// Page routes as (method, path); the API's are in `http::ROUTES`.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/resources/{id}"),
    ("GET", "/staff"),
    ("POST", "/staff"),
    ("GET", "/staff/referral"),
    ("GET", "/staff/referral/{id}"),
    ("GET", "/widget.js"),
    ("GET", "/assets/{file}"),
    ("GET", "/favicon.ico"),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(resident::index))
        .route("/resources/{id}", get(resident::record))
        .route("/staff", get(staff::page).post(staff::case_note))
        .route("/staff/referral", get(slip::basket))
        .route("/staff/referral/{id}", get(slip::single))
        .route("/widget.js", get(assets::widget))
        .route("/assets/{file}", get(assets::file))
        // Browsers ask for it on every page; nothing to show, and no 404 in their console.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
}

/// The cookie that remembers a resident's city between visits (nothing else is kept).
const CITY_COOKIE: &str = "tsunagu_city";

/// An error on a page route, as a page: the reason and a way back (issue 23). The status
/// is the error's own; nothing about the request is echoed.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let body = view::page(
        crate::messages::web::ERROR_TITLE,
        "error",
        maud::html! {
            h1 { (crate::messages::web::ERROR_TITLE) }
            p.error role="alert" { (message) }
            p { a href="/" { (crate::messages::web::ERROR_BACK) } }
        },
    );
    let mut res = html(status, body);
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// An HTML page; pages hold no one's data, but answers change with content reloads.
fn html(status: StatusCode, body: Markup) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-cache")],
        Html(body.into_string()),
    )
        .into_response()
}

/// The city chosen on the page, else the one remembered in the cookie.
fn remembered_city(headers: &HeaderMap) -> Option<City> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == CITY_COOKIE)
        .and_then(|(_, v)| City::parse(v))
}

fn city_cookie(city: City) -> HeaderValue {
    let v = format!(
        "{CITY_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        city.as_str()
    );
    HeaderValue::from_str(&v).expect("city ids are ASCII")
}

/// `?city=…` to carry the city on links (empty when none is chosen).
fn city_query(city: Option<City>) -> String {
    city.map(|c| format!("?city={}", c.as_str())).unwrap_or_default()
}

/// Percent-encodes a value for a URL query.
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where this server is reached from outside, for the QR codes on printed slips:
/// `TSUNAGU_PUBLIC_URL` when set (behind a proxy), else the request's Host.
fn public_base(headers: &HeaderMap) -> String {
    if let Ok(u) = std::env::var("TSUNAGU_PUBLIC_URL") {
        if !u.is_empty() {
            return u.trim_end_matches('/').to_string();
        }
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_remembered_city_comes_from_its_cookie_only() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=b; tsunagu_city=tsuruoka"));
        assert_eq!(remembered_city(&h), Some(City::named("tsuruoka").unwrap()));
        h.insert(header::COOKIE, HeaderValue::from_static("tsunagu_city=nowhere"));
        assert_eq!(remembered_city(&h), None);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(enc("成年 後見&x"), "%E6%88%90%E5%B9%B4%20%E5%BE%8C%E8%A6%8B%26x");
    }
}
