//! Places: a municipality is a folder `content/<slug>/` with a `city.toml`; `national`
//! holds the lines every municipality shows. No place is named in code: a `City` is the
//! slug of a folder the content holds, so the next municipality joins with files.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use serde::{Serialize, Serializer};

/// A place the content holds, by its slug (`sagamihara`, `national`). Cheap to copy and
/// compare; the slugs live as long as the process (a few bytes per municipality).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct City(&'static str);

/// Every slug content has named in this process.
fn known() -> &'static Mutex<HashSet<&'static str>> {
    static KNOWN: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    KNOWN.get_or_init(|| Mutex::new(HashSet::from(["national"])))
}

impl City {
    /// The lines every municipality shows (content/national/).
    #[allow(non_upper_case_globals)]
    pub const National: City = City("national");

    /// A municipality's slug as content names it: lowercase ASCII letters, digits and
    /// hyphens, starting with a letter (it becomes a URL path part and an env var key).
    pub fn slug_is_valid(s: &str) -> bool {
        s.len() <= 40
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.ends_with('-')
    }

    /// The place named `slug`, registering it (content loading and tests). `None` for a
    /// malformed slug.
    pub fn named(slug: &str) -> Option<City> {
        if !City::slug_is_valid(slug) {
            return None;
        }
        let mut k = known().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = k.get(slug) {
            return Some(City(s));
        }
        let s: &'static str = Box::leak(slug.to_string().into_boxed_str());
        k.insert(s);
        Some(City(s))
    }

    /// A place some content has named (a resident's parameter, a cookie): unknown slugs
    /// are `None` and are never registered, so requests cannot grow the table.
    pub fn parse(s: &str) -> Option<City> {
        let k = known().lock().unwrap_or_else(|e| e.into_inner());
        k.get(s).map(|s| City(s))
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// `LINE_<KEY>_CHANNEL_SECRET` / `_ACCESS_TOKEN` name this municipality's channel.
    pub fn env_key(self) -> String {
        self.0.to_ascii_uppercase().replace('-', "_")
    }
}

/// Municipalities in slug order, the national lines last (lists and tables read so).
impl Ord for City {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0 == "national", self.0).cmp(&(other.0 == "national", other.0))
    }
}

impl PartialOrd for City {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for City {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl std::fmt::Display for City {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// A municipality as `content/<slug>/city.toml` describes it (or the national lines).
#[derive(Debug, Clone, Serialize)]
pub struct CityInfo {
    pub id: City,
    pub name: String,
    /// The name in kana (furigana on pages, the LINE rich menu).
    pub reading: String,
    pub prefecture: String,
    /// The area code its sources may leave off (鶴岡's newsletter prints 「☎29-4180」
    /// for 0235-29-4180); a phone is found in an excerpt with or without it.
    pub area_code: Option<String>,
    /// General consultation windows shown when nothing else matches (first contact).
    pub general: Vec<String>,
    /// Local lines its crisis blocks add after the national ones.
    pub crisis: Vec<String>,
    /// Languages its residents write in (`ja`, `en`, …), for the editors' checks.
    pub languages: Vec<String>,
    /// The folder's `city.toml`, for messages that point an editor at it.
    #[serde(skip)]
    pub file: String,
}

impl CityInfo {
    /// The key of its LINE channel's environment variables.
    pub fn line_key(&self) -> String {
        self.id.env_key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_named_slugs_parse_and_national_sorts_last() {
        assert_eq!(City::parse("no-such-town-xyz"), None, "requests cannot name a place");
        let a = City::named("aaa-town").unwrap();
        assert_eq!(City::parse("aaa-town"), Some(a));
        assert!(City::named("Bad Slug").is_none() && City::named("9town").is_none());
        let mut v = [City::National, a, City::named("zzz").unwrap()];
        v.sort();
        assert_eq!(v.last(), Some(&City::National));
        assert_eq!(City::named("kakuu-cho").unwrap().env_key(), "KAKUU_CHO");
    }
}
