//! The つなぎ basket and the staff page's other URL state: what `/staff` and its slips
//! carry in their query strings (no session, nothing stored on the server).

use axum::http::HeaderMap;

use super::{enc, remembered_city};
use crate::answer::Engine;
use crate::content::{City, Kind};
use crate::app::Params;

/// A basket longer than this is not a referral any more.
pub const MAX_BASKET: usize = 20;

/// Everything the staff page's URL carries.
#[derive(Default, Clone)]
pub struct StaffQuery {
    pub q: String,
    pub city: Option<City>,
    pub topic: Option<String>,
    pub audience: Option<String>,
    pub kind: Option<Kind>,
    pub function: Option<String>,
    /// The つなぎ basket: record ids, in the order they were added.
    pub basket: Vec<String>,
    /// Dangers named by a case note, so the slip prints the crisis lines first.
    pub dangers: Vec<String>,
    /// Where the list starts (paging through everything that matches).
    pub offset: usize,
    pub error: Option<&'static str>,
}

/// Reads the staff page's parameters. Unknown record ids and dangers are dropped, so
/// a URL can never put anything on a slip that the content does not hold.
pub fn read_query(engine: &Engine, p: &Params, headers: &HeaderMap) -> StaffQuery {
    let mut sq = StaffQuery {
        city: remembered_city(headers),
        ..StaffQuery::default()
    };
    match p.query() {
        Ok(q) => sq.q = q,
        Err(e) => sq.error = Some(e.message()),
    }
    match p.get("city") {
        Some("all") => sq.city = None,
        Some(_) => match p.city() {
            Ok(c) => sq.city = c,
            Err(e) => sq.error = Some(e.message()),
        },
        None => {}
    }
    let c = &engine.catalog;
    let known = |v: Option<&str>, list: &[String]| {
        v.filter(|v| list.iter().any(|x| x == v)).map(str::to_string)
    };
    sq.topic = known(p.get("topic"), &c.topics);
    sq.audience = known(p.get("audience"), &c.audiences);
    sq.function = known(p.get("function"), &c.functions);
    sq.kind = p.kind().ok().flatten();
    sq.offset = p.offset().unwrap_or(0);
    for id in p.get("b").unwrap_or("").split(',') {
        if c.record(id).is_some() && !sq.basket.iter().any(|b| b == id) {
            sq.basket.push(id.to_string());
        }
    }
    sq.basket.truncate(MAX_BASKET);
    sq.dangers = p
        .get("e")
        .unwrap_or("")
        .split(',')
        .filter(|d| c.dangers.iter().any(|x| x.id == *d))
        .map(str::to_string)
        .collect();
    sq
}

impl StaffQuery {
    /// This page's URL with another basket.
    pub fn url_with(&self, basket: &[String]) -> String {
        self.url_at(basket, self.offset)
    }

    pub fn url_at(&self, basket: &[String], offset: usize) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut add = |k: &str, v: Option<&str>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", enc(v)));
            }
        };
        add("q", Some(&self.q));
        add("city", self.city.map(|c| c.as_str()));
        add("topic", self.topic.as_deref());
        add("audience", self.audience.as_deref());
        add("kind", self.kind.map(|k| k.as_str()));
        add("function", self.function.as_deref());
        add("b", Some(&basket.join(",")));
        add("e", Some(&self.dangers.join(",")));
        if offset > 0 {
            parts.push(format!("offset={offset}"));
        }
        format!("/staff?{}", parts.join("&"))
    }

    pub fn slip_url(&self) -> String {
        let mut u = format!("/staff/referral?b={}", self.basket.join(","));
        if let Some(c) = self.city {
            u.push_str(&format!("&city={}", c.as_str()));
        }
        if !self.dangers.is_empty() {
            u.push_str(&format!("&e={}", self.dangers.join(",")));
        }
        u
    }
}

/// The basket in the order a resident meets the windows: records that start a route
/// first, then referral steps, then the rest; ties keep the order they were added.
pub fn in_route_order(engine: &Engine, ids: &[String], city: Option<City>) -> Vec<String> {
    let position = |id: &String| {
        engine
            .catalog
            .routes
            .iter()
            .filter(|r| city.is_none_or(|c| r.city == c))
            .filter_map(|r| {
                r.steps
                    .iter()
                    .position(|s| s.record.as_deref() == Some(id.as_str()))
            })
            .min()
            .unwrap_or(usize::MAX)
    };
    let mut v: Vec<(usize, String)> = ids.iter().map(|id| (position(id), id.clone())).collect();
    v.sort_by_key(|(p, _)| *p);
    v.into_iter().map(|(_, id)| id).collect()
}

