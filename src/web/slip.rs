//! The つなぎシート: an A4 sheet the front desk prints and hands over. Every window in
//! the basket with its phone, hours and address, in the order the routes take them,
//! a QR code to each window's page, and room for the resident's own note. The crisis
//! lines come first when the case note named a danger.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use maud::{html, Markup};
use qrcode::render::svg;
use qrcode::QrCode;

use super::basket::{in_route_order, read_query};
use super::view::{self, Ja};
use super::{html, public_base};
use crate::answer::Engine;
use crate::content::{City, Contact};
use crate::app::{AppState, Params};
use crate::messages::web as t;

/// `GET /staff/referral?b=id,id&city=…&e=…`: the whole basket on one sheet.
pub async fn basket(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    slip(state, headers, raw, None).await
}

/// `GET /staff/referral/{id}`: one window's sheet.
pub async fn single(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    slip(state, headers, raw, Some(id)).await
}

async fn slip(
    state: AppState,
    headers: HeaderMap,
    raw: Option<String>,
    id: Option<String>,
) -> Response {
    let engine = state.engine();
    let base = public_base(&headers);
    let built = tokio::task::spawn_blocking(move || {
        let p = Params::parse(raw.as_deref()).ok()?;
        let mut sq = read_query(&engine, &p, &headers);
        if let Some(id) = id {
            engine.catalog.record(&id)?;
            sq.basket = vec![id];
        }
        let ids = in_route_order(&engine, &sq.basket, sq.city);
        let blocks = engine.blocks_for(&sq.dangers, sq.city);
        Some(render(&engine, &ids, sq.city, &blocks, &base))
    });
    match built.await {
        Ok(Some(body)) => html(StatusCode::OK, body),
        Ok(None) => html(
            StatusCode::NOT_FOUND,
            view::page(t::NOT_FOUND, "slip", html! { h1 { (t::NOT_FOUND) } }),
        ),
        Err(_) => html(StatusCode::INTERNAL_SERVER_ERROR, html! { p { (t::JS_ERROR) } }),
    }
}

fn render(
    engine: &Engine,
    ids: &[String],
    city: Option<City>,
    blocks: &crate::answer::Blocks,
    base: &str,
) -> Markup {
    let ja = Ja {
        analyzer: &engine.index.analyzer,
        furigana: false,
    };
    let d = crate::content::Date::today_in_japan();
    let today = format!("{}年{}月{}日", d.year, d.month, d.day);
    let body = html! {
        (view::blocks(blocks, ja))
        header.slip-head {
            h1 { (t::SLIP_TITLE) }
            p { (t::SLIP_ISSUED) ": " (today) }
            button.print type="button" hidden { (t::PRINT) }
        }
        @if ids.is_empty() { p { (t::SLIP_EMPTY) } } @else { p.lead { (t::SLIP_LEAD) } }
        ol.slip-windows {
            @for id in ids {
                @if let Some(item) = engine.resource_in(id, city) {
                    li.slip-window {
                        div.slip-text {
                            h2 { (item.title) }
                            p.summary { (item.summary) }
                            (window_contacts(engine, id, ja))
                            (view::route(&item.route, 3, ja))
                        }
                        (qr(&format!("{base}/resources/{id}{}", super::city_query(city)), &item.title))
                    }
                }
            }
        }
        section.memo aria-labelledby="memo-title" {
            h2 #memo-title { (t::SLIP_MEMO) }
            div.memo-lines {}
        }
    };
    view::page(t::SLIP_TITLE, "slip", body)
}

/// A window's numbers as the slip prints them: its own, else those its route reaches.
fn window_contacts(engine: &Engine, id: &str, ja: Ja) -> Markup {
    let list = engine
        .catalog
        .record(id)
        .map(|r| engine.catalog.reachable_contacts(r))
        .unwrap_or_default();
    let list: Vec<&Contact> = list.iter().map(|c| c.as_ref()).collect();
    view::contacts(&list, ja)
}

/// A QR code for `url` as inline SVG, labelled for screen readers.
fn qr(url: &str, title: &str) -> Markup {
    let Ok(code) = QrCode::new(url.as_bytes()) else {
        return html! {};
    };
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(112, 112)
        .quiet_zone(true)
        .build();
    // Inline in HTML the XML declaration is noise; the image gets its name.
    let label = maud::html! { (t::SLIP_QR) ": " (title) }.into_string();
    let svg = svg
        .find("<svg")
        .map(|i| format!("<svg role=\"img\" aria-label=\"{label}\"{}", &svg[i + 4..]))
        .unwrap_or_default();
    html! {
        figure.qr {
            (view::svg(svg))
            figcaption aria-hidden="true" { (t::SLIP_QR) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_is_inline_svg_with_a_label() {
        let m = qr("http://localhost/resources/x", "窓口").into_string();
        assert!(m.starts_with("<figure"), "{m}");
        assert!(m.contains("<svg") && !m.contains("<?xml"), "{m}");
    }
}
