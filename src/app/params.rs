//! Query-string parsing that refuses, rather than guesses: invalid UTF-8, control
//! characters, over-long questions, unknown cities and bad numbers are 400s with a reason.

use std::collections::HashMap;

use super::error::AppError;
use crate::content::{City, Kind};
use crate::messages::errors as msg;

pub const MAX_QUERY_CHARS: usize = 500;
pub const MAX_LIMIT: usize = 50;

/// Decoded `key=value` pairs; the first value of a repeated key wins.
pub struct Params(HashMap<String, String>);

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    Some(out)
}

impl Params {
    pub fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        let mut map = HashMap::new();
        for pair in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| percent_decode(s).and_then(|b| String::from_utf8(b).ok());
            let (Some(k), Some(v)) = (decode(k), decode(v)) else {
                return Err(AppError::bad("bad_encoding", msg::BAD_QUERY_STRING));
            };
            map.entry(k).or_insert(v);
        }
        Ok(Params(map))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The question: at most 500 characters, no control characters (newlines allowed).
    pub fn query(&self) -> Result<String, AppError> {
        let q = self.get("q").unwrap_or("").trim().to_string();
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::bad("query_too_long", msg::QUERY_TOO_LONG));
        }
        if q.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(AppError::bad(
                "control_characters",
                msg::QUERY_CONTROL_CHARS,
            ));
        }
        Ok(q)
    }

    pub fn city(&self) -> Result<Option<City>, AppError> {
        match self.get("city") {
            None => Ok(None),
            Some(c) => City::parse(c)
                .map(Some)
                .ok_or(AppError::bad("unknown_city", msg::UNKNOWN_CITY)),
        }
    }

    pub fn kind(&self) -> Result<Option<Kind>, AppError> {
        match self.get("kind") {
            None => Ok(None),
            Some(k) => Kind::parse(k)
                .map(Some)
                .ok_or(AppError::bad("unknown_kind", msg::BAD_KIND)),
        }
    }

    pub fn limit(&self, default: usize) -> Result<usize, AppError> {
        match self.get("limit") {
            None => Ok(default),
            Some(l) => match l.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
                _ => Err(AppError::bad("bad_limit", msg::BAD_LIMIT)),
            },
        }
    }

    pub fn offset(&self) -> Result<usize, AppError> {
        match self.get("offset") {
            None => Ok(0),
            Some(o) => o
                .parse::<usize>()
                .map_err(|_| AppError::bad("bad_offset", msg::BAD_OFFSET)),
        }
    }
}
