//! The resident pages: one search box on the city website, and a page per window.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::view::{self, Ja};
use super::{city_cookie, city_query, enc, html, remembered_city};
use crate::answer::{self, Answer, Engine};
use crate::content::City;
use crate::app::{AppState, Params};
use crate::messages::web as t;

/// What the resident asked for, read from the query string.
struct Ask {
    q: String,
    city: Option<City>,
    /// The city was chosen on this request (remember it).
    chosen: bool,
    furigana: bool,
    /// Only the results section (the page's script swaps it in without a reload).
    part: bool,
    error: Option<&'static str>,
}

fn read_ask(raw: Option<&str>, headers: &HeaderMap) -> Ask {
    let mut ask = Ask {
        q: String::new(),
        city: remembered_city(headers),
        chosen: false,
        furigana: false,
        part: false,
        error: None,
    };
    let p = match Params::parse(raw) {
        Ok(p) => p,
        Err(e) => {
            ask.error = Some(e.message());
            return ask;
        }
    };
    ask.furigana = p.get("furigana") == Some("1");
    ask.part = p.get("part") == Some("results");
    match p.get("city") {
        Some("all") => (ask.city, ask.chosen) = (None, true),
        Some(_) => match p.city() {
            Ok(c) => (ask.city, ask.chosen) = (c, true),
            Err(e) => ask.error = Some(e.message()),
        },
        None => {}
    }
    match p.query() {
        Ok(q) => ask.q = q,
        Err(e) => ask.error = Some(e.message()),
    }
    ask
}

/// `GET /`: the search box, and the answer when a question was asked.
pub async fn index(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let ask = read_ask(raw.as_deref(), &headers);
    let engine = state.engine();
    let (chosen, city) = (ask.chosen, ask.city);
    let Ok(body) = tokio::task::spawn_blocking(move || {
        let answer = (ask.error.is_none() && !ask.q.is_empty())
            .then(|| engine.answer(&ask.q, ask.city, answer::DEFAULT_LIMIT));
        let ja = Ja {
            analyzer: &engine.index.analyzer,
            furigana: ask.furigana,
        };
        // The crisis (or support) block goes above everything, the search box included.
        let crisis = html! {
            div #crisis-slot {
                @if let Some(a) = &answer {
                    (view::blocks(&a.blocks(), ja))
                }
            }
        };
        let results = results(&ask, answer.as_ref(), ja);
        if ask.part {
            html! { (crisis) (results) }
        } else {
            let body = html! { (crisis) (search_page(&engine, &ask, results, ja)) };
            view::page_ja(t::ASK, "resident", ja, body)
        }
    })
    .await
    else {
        return html(StatusCode::INTERNAL_SERVER_ERROR, html! { p { (t::JS_ERROR) } });
    };
    let mut response = html(StatusCode::OK, body);
    // Also on the part the page's script fetches: a choice made with JavaScript is
    // remembered like one made without.
    if chosen {
        if let Some(c) = city {
            response.headers_mut().insert(header::SET_COOKIE, city_cookie(c));
        }
    }
    response
}

/// The box, then the answer right under it: once a question is asked the city choice
/// folds to one line naming the chosen city, and the example questions follow the
/// answer, folded too, so on a phone the first window is on the first screen.
/// Every word on it goes through `ja`: with ふりがな on, the heading, hint, button,
/// labels and city names get readings too, on the empty page as under an answer.
fn search_page(engine: &Engine, ask: &Ask, results: Markup, ja: Ja) -> Markup {
    html! {
        form #ask action="/" method="get" role="search" {
            h1 { label for="q" { (ja.text(t::ASK)) } }
            p #q-hint .hint { (ja.text(t::ASK_HINT)) }
            div.ask-row {
                input #q type="search" name="q" value=(ask.q) maxlength="500"
                    aria-describedby="q-hint" autocomplete="off" enterkeyhint="search";
                button type="submit" { (ja.text(t::SEARCH)) }
            }
            div.options {
                (city_choice(engine, ask, ja))
                label.switch {
                    input #furigana type="checkbox" name="furigana" value="1" checked[ask.furigana];
                    " " (ja.text(t::FURIGANA))
                }
            }
        }
        (results)
        nav.examples aria-label=(t::EXAMPLES) {
            @if ask.q.is_empty() {
                h2 { (ja.text(t::EXAMPLES)) }
                (examples(ask, ja))
            } @else {
                details { summary { (ja.text(t::EXAMPLES)) } (examples(ask, ja)) }
            }
        }
    }
}

fn examples(ask: &Ask, ja: Ja) -> Markup {
    html! {
        ul {
            @for q in t::EXAMPLE_QUESTIONS {
                li { a.chip href=(example_href(q, ask)) { (ja.text(q)) } }
            }
        }
    }
}

/// The city radios in a <details>: open on the empty page, closed under an answer.
fn city_choice(engine: &Engine, ask: &Ask, ja: Ja) -> Markup {
    let cities = || engine.catalog.cities.iter().filter(|c| c.id != City::National);
    let chosen = ask
        .city
        .and_then(|id| cities().find(|c| c.id == id))
        .map_or(t::ALL_CITIES, |c| c.name.as_str());
    html! {
        details.city-choice open[ask.q.is_empty()] {
            summary { (ja.text(t::CITY)) ": " span.chosen { (ja.text(chosen)) } }
            fieldset.city {
                legend.visually-hidden { (t::CITY) }
                @for c in cities() {
                    label {
                        input type="radio" name="city" value=(c.id.as_str())
                            checked[ask.city == Some(c.id)];
                        " " (ja.text(&c.name))
                    }
                }
                label {
                    input type="radio" name="city" value="all" checked[ask.city.is_none()];
                    " " (ja.text(t::ALL_CITIES))
                }
            }
        }
    }
}

/// The query a window's page is linked with: the city, and ふりがな when it is on, so
/// the page a card opens reads as the one it came from.
fn link_query(ask: &Ask) -> String {
    let city = city_query(ask.city);
    match (ask.furigana, city.is_empty()) {
        (false, _) => city,
        (true, true) => "?furigana=1".to_string(),
        (true, false) => format!("{city}&furigana=1"),
    }
}

fn example_href(q: &str, ask: &Ask) -> String {
    let mut h = format!("/?q={}", enc(q));
    if let Some(c) = ask.city {
        h.push_str(&format!("&city={}", c.as_str()));
    }
    if ask.furigana {
        h.push_str("&furigana=1");
    }
    h
}

/// The answer, in the order the engine gave it: crisis lines, what was understood,
/// the windows, related questions.
fn results(ask: &Ask, answer: Option<&Answer>, ja: Ja) -> Markup {
    let link_q = link_query(ask);
    html! {
        section #results aria-live="polite" {
            @if let Some(e) = ask.error {
                p.error role="alert" { (ja.text(e)) }
            }
            @if let Some(a) = answer {
                @if let Some(label) = &a.need_label {
                    p.understood { (ja.text(t::UNDERSTOOD)) ": " strong { (ja.text(label)) } }
                }
                @if let Some(n) = &a.notice { p.notice { (ja.text(n)) } }
                h2 #results-title tabindex="-1" {
                    (ja.text(t::RESULTS)) " " span.count { (ja.text(&t::results_count(a.results.len()))) }
                }
                @for r in &a.results { (view::card(r, &link_q, ja)) }
                @if !a.suggestions.is_empty() {
                    nav.related aria-label=(t::RELATED) {
                        h2 { (ja.text(t::RELATED)) }
                        ul {
                            @for s in &a.suggestions {
                                li { a.chip href=(example_href(s, ask)) { (ja.text(s)) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /resources/{id}`: one window, shareable, with its route and sources.
pub async fn record(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let ask = read_ask(raw.as_deref(), &headers);
    let engine = state.engine();
    let Some(item) = engine.resource_in(&id, ask.city) else {
        let body = html! { h1 { (t::NOT_FOUND) } p { a href="/" { (t::BACK) } } };
        return html(StatusCode::NOT_FOUND, view::page(t::NOT_FOUND, "resident", body));
    };
    let Ok(body) = tokio::task::spawn_blocking(move || {
        let ja = Ja {
            analyzer: &engine.index.analyzer,
            furigana: ask.furigana,
        };
        let sources = view::sources_of(&item);
        let body = html! {
            article.record {
                h1 { (ja.text(&item.title)) }
                p.summary { (ja.text(&item.summary)) }
                @for c in &item.contacts { (view::contact(c, ja)) }
                (view::route(&item.route, 2, ja))
                section.sources {
                    h2 { (ja.text(t::SOURCES)) }
                    ul { @for s in &sources { (view::source_full(s, ja)) } }
                }
            }
            p { a href=(format!("/{}", link_query(&ask))) { (ja.text(t::BACK)) } }
        };
        view::page_ja(&item.title, "resident", ja, body)
    })
    .await
    else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    html(StatusCode::OK, body)
}
