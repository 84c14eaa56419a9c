//! The front-desk view: filter every record, read its routes and sources, collect the
//! windows a case needs in the つなぎ basket (kept in the URL: no session, nothing
//! stored) and print one slip. A case note is answered need by need by the engine.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::basket::{read_query, StaffQuery, MAX_BASKET};
use super::view::{self, Ja};
use super::{city_cookie, html};
use crate::answer::{Blocks, Case, Engine, ResultItem};
use crate::content::{City, Kind};
use crate::app::{AppState, Params};
use crate::messages::web as t;
use crate::search::Filters;

const PAGE: usize = 50;

/// `GET /staff`
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let engine = state.engine();
    let params = Params::parse(raw.as_deref());
    let body = tokio::task::spawn_blocking(move || {
        let mut sq = match &params {
            Ok(p) => read_query(&engine, p, &headers),
            Err(e) => StaffQuery {
                error: Some(e.message()),
                ..StaffQuery::default()
            },
        };
        if sq.error.is_some() {
            sq.q.clear();
        }
        let mut blocks = Blocks::default();
        if !sq.q.is_empty() {
            blocks = engine.signs(&engine.index.analyzer.normalize(&sq.q).text, sq.city);
        }
        if blocks.emergency.is_none() && blocks.support.is_none() {
            blocks = engine.blocks_for(&sq.dangers, sq.city);
        }
        render(&engine, &sq, &blocks, None)
    });
    match body.await {
        Ok(b) => html(StatusCode::OK, b),
        Err(_) => html(StatusCode::INTERNAL_SERVER_ERROR, html! { p { (t::JS_ERROR) } }),
    }
}

/// `POST /staff` with a case note (form field `note`): every need it names, each with
/// its first window, proposed as the basket. The note is answered and dropped.
pub async fn case_note(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: String,
) -> Response {
    // The note form posts urlencoded fields; anything else (JSON) is refused, not guessed.
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return crate::app::AppError::UnsupportedMediaType.into_response();
    }
    let engine = state.engine();
    let body = tokio::task::spawn_blocking(move || {
        let p = match Params::parse(Some(&body)) {
            Ok(p) => p,
            Err(e) => {
                let sq = StaffQuery {
                    error: Some(e.message()),
                    ..StaffQuery::default()
                };
                return (render(&engine, &sq, &Blocks::default(), None), None);
            }
        };
        let mut sq = read_query(&engine, &p, &headers);
        sq.q.clear();
        // One case, one city: the note is answered only for a chosen city, never across
        // both (the form asks; the city is remembered like the resident's choice).
        let Some(city) = sq.city else {
            sq.error = Some(crate::messages::web::NOTE_CITY_REQUIRED);
            return (render(&engine, &sq, &Blocks::default(), None), None);
        };
        let note = p.get("note").unwrap_or("").trim().to_string();
        if note.chars().count() > crate::app::params::MAX_QUERY_CHARS * 4 {
            sq.error = Some(crate::messages::errors::QUERY_TOO_LONG);
            return (render(&engine, &sq, &Blocks::default(), None), Some(city));
        }
        let case = engine.case(&note, Some(city));
        for n in &case.needs {
            if !sq.basket.contains(&n.window.id) && sq.basket.len() < MAX_BASKET {
                sq.basket.push(n.window.id.clone());
            }
        }
        // The slip carries the signs by id, so it shows the same block.
        let blocks = Blocks {
            emergency: case.emergency.clone(),
            support: case.support.clone(),
        };
        if let Some(e) = &blocks.emergency {
            sq.dangers = e.dangers.clone();
        } else if let Some(s) = &blocks.support {
            sq.dangers = s.signs.clone();
        }
        (render(&engine, &sq, &blocks, Some(&case)), Some(city))
    });
    let mut res = match body.await {
        Ok((b, city)) => {
            let mut r = html(StatusCode::OK, b);
            if let Some(c) = city {
                r.headers_mut().insert(header::SET_COOKIE, city_cookie(c));
            }
            r
        }
        Err(_) => html(StatusCode::INTERNAL_SERVER_ERROR, html! { p { (t::JS_ERROR) } }),
    };
    // The answer to a case note is about someone's life: a shared front-desk PC must not
    // keep it in its cache, not even to revalidate.
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn render(
    engine: &Engine,
    sq: &StaffQuery,
    blocks: &Blocks,
    case: Option<&Case>,
) -> Markup {
    let ja = Ja {
        analyzer: &engine.index.analyzer,
        furigana: false,
    };
    let filters = Filters {
        cities: Filters::scope(sq.city),
        kinds: sq.kind.into_iter().collect(),
        topic: sq.topic.clone(),
        audience: sq.audience.clone(),
        function: sq.function.clone(),
    };
    let page = engine.browse(&sq.q, &filters, PAGE, sq.offset);
    let body = html! {
        (view::blocks(blocks, ja))
        h1 { (t::STAFF_TITLE) }
        @if let Some(e) = sq.error { p.error role="alert" { (e) } }
        div.staff-grid {
            (basket(engine, sq))
            div.staff-main {
                (note_form(engine, sq))
                @if let Some(c) = case { (case_result(c)) }
                (filter_form(engine, sq, &page.facets))
                p.count aria-live="polite" { (t::results_count(page.total)) }
                ol.records start=(sq.offset + 1) { @for r in &page.results { (row(engine, sq, r, ja)) } }
                nav.paging aria-label=(t::PAGING) {
                    @if sq.offset > 0 {
                        a href=(sq.url_at(&sq.basket, sq.offset.saturating_sub(PAGE))) { (t::PREV) }
                    }
                    @if sq.offset + PAGE < page.total {
                        " " a href=(sq.url_at(&sq.basket, sq.offset + PAGE)) { (t::NEXT) }
                    }
                }
            }
        }
    };
    view::page(t::STAFF_TITLE, "staff", body)
}

fn note_form(engine: &Engine, sq: &StaffQuery) -> Markup {
    html! {
        form.note method="post" action="/staff" {
            label for="note" { (t::NOTE) }
            textarea #note name="note" rows="3" maxlength="2000" {}
            fieldset.city {
                legend { (t::NOTE_CITY) }
                @for c in engine.catalog.cities.iter().filter(|c| c.id != City::National) {
                    label {
                        input type="radio" name="city" value=(c.id.as_str()) required checked[sq.city == Some(c.id)];
                        " " (c.name)
                    }
                }
            }
            @if !sq.basket.is_empty() { input type="hidden" name="b" value=(sq.basket.join(",")); }
            button type="submit" { (t::NOTE_BUTTON) }
        }
    }
}

fn case_result(case: &Case) -> Markup {
    html! {
        section.case aria-labelledby="case-title" {
            h2 #case-title { (t::NOTE_RESULT) }
            @if case.needs.is_empty() { p { (t::NOTE_NONE) } }
            ol {
                @for n in &case.needs {
                    li.case-need {
                        strong.need { (n.label) } " → "
                        a href={ "/resources/" (n.window.id) } { (n.window.title) }
                        @for c in n.window.route.first().map(|s| s.shown_contacts()).unwrap_or_default() {
                            " " span.name { (c.name) } " " (view::phone(c))
                            @if let Some(h) = &c.hours { " " span.hours { (h) } }
                        }
                        @if let Some(note) = &n.note { p.note { (note) } }
                    }
                }
            }
        }
    }
}

fn filter_form(engine: &Engine, sq: &StaffQuery, facets: &crate::answer::Facets) -> Markup {
    let c = &engine.catalog;
    let select = |name: &str, label: &str, options: Vec<(String, String)>, chosen: Option<&str>, counts: &std::collections::BTreeMap<String, usize>| {
        html! {
            label for=(format!("f-{name}")) { (label) }
            select id=(format!("f-{name}")) name=(name) {
                option value="" { (t::ANY) }
                @for (value, text) in &options {
                    option value=(value) selected[chosen == Some(value.as_str())] {
                        (text) " (" (counts.get(value).copied().unwrap_or(0)) ")"
                    }
                }
            }
        }
    };
    let plain = |v: &[String]| v.iter().map(|x| (x.clone(), x.clone())).collect::<Vec<_>>();
    let cities: Vec<(String, String)> = c
        .cities
        .iter()
        .map(|x| (x.id.as_str().to_string(), x.name.clone()))
        .collect();
    let kinds: Vec<(String, String)> = Kind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), t::kind_label(k.as_str()).to_string()))
        .collect();
    html! {
        form.filters method="get" action="/staff" {
            label for="f-q" { (t::STAFF_QUERY) }
            input #f-q type="search" name="q" value=(sq.q) maxlength="500";
            (select("city", t::CITY, cities, sq.city.map(|c| c.as_str()), &facets.city))
            (select("topic", t::TOPIC, plain(&c.topics), sq.topic.as_deref(), &facets.topic))
            (select("audience", t::AUDIENCE, plain(&c.audiences), sq.audience.as_deref(), &facets.audience))
            (select("kind", t::KIND, kinds, sq.kind.map(|k| k.as_str()), &facets.kind))
            (select("function", t::FUNCTION, plain(&c.functions), sq.function.as_deref(), &facets.function))
            @if !sq.basket.is_empty() { input type="hidden" name="b" value=(sq.basket.join(",")); }
            @if !sq.dangers.is_empty() { input type="hidden" name="e" value=(sq.dangers.join(",")); }
            button type="submit" { (t::FILTER) }
        }
    }
}

fn row(engine: &Engine, sq: &StaffQuery, r: &ResultItem, ja: Ja) -> Markup {
    let restricted = engine
        .catalog
        .record(&r.id)
        .map(|rec| rec.restricted.clone())
        .unwrap_or_default();
    let in_basket = sq.basket.contains(&r.id);
    let mut with = sq.basket.clone();
    with.push(r.id.clone());
    html! {
        li.record-row id={ "r-" (r.id) } {
            div.row-head {
                a.title href={ "/resources/" (r.id) } { (r.title) }
                span.tag { (t::kind_label(r.kind.as_str())) }
                @if let Some(c) = engine.catalog.city(r.city) { span.tag { (c.name) } }
                @for tp in &r.topics { span.tag { (tp) } }
                @if let Some(f) = &r.function { span.tag { (f) } }
            }
            @for c in r.contacts.iter().filter(|c| c.phone.is_some()) {
                p.row-contact {
                    span.name { (c.name) } " " (view::phone(c))
                    @if let Some(h) = &c.hours { " " span.hours { (h) } }
                    @if let Some(n) = &c.as_of { " " span.as-of { "※" (n) } }
                }
            }
            @if r.contacts.iter().all(|c| c.phone.is_none()) {
                @if let Some(g) = &r.gap { p.gap { (g) } }
            }
            @if !restricted.is_empty() {
                details.restricted {
                    summary { (t::RESTRICTED) }
                    @for c in &restricted { (view::contact(c, ja)) }
                }
            }
            details {
                summary { (t::ROUTE) " / " (t::SOURCES) }
                (view::route(&r.route, 4, ja))
                ul.sources { @for s in view::sources_of(r) { (view::source_full(&s, ja)) } }
            }
            @if in_basket {
                span.in-basket { "✓ " (t::BASKET) }
            } @else if sq.basket.len() < MAX_BASKET {
                a.add href={ (sq.url_with(&with)) "#r-" (r.id) } { (t::ADD) span.visually-hidden { ": " (r.title) } }
            }
        }
    }
}

fn basket(engine: &Engine, sq: &StaffQuery) -> Markup {
    let ordered = super::basket::in_route_order(engine, &sq.basket, sq.city);
    html! {
        aside.basket aria-labelledby="basket-title" {
            h2 #basket-title { (t::BASKET) }
            @if ordered.is_empty() { p { (t::BASKET_EMPTY) } }
            ol {
                @for id in &ordered {
                    @if let Some(rec) = engine.catalog.record(id) {
                        @let rest: Vec<String> = sq.basket.iter().filter(|b| *b != id).cloned().collect();
                        li {
                            span.title { (rec.title) }
                            // A window with no number of its own shows whom to call instead:
                            // that office's name, number and hours, never a bare number.
                            @if let Some(c) = engine.catalog.reachable_contacts(rec).first() {
                                @if !rec.has_phone() { " " span.name { (c.name) } }
                                " " (view::phone(c))
                                @if let Some(h) = &c.hours { " " span.hours { (h) } }
                            }
                            " " a.remove href=(sq.url_with(&rest)) { (t::REMOVE) span.visually-hidden { ": " (rec.title) } }
                        }
                    }
                }
            }
            @if !ordered.is_empty() {
                a.button.print-slip href=(sq.slip_url()) { (t::PRINT_SLIP) }
            }
        }
    }
}
