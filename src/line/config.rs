//! LINE settings from the environment: one channel (secret + access token) per
//! municipality, `LINE_<SLUG>_CHANNEL_SECRET` and `LINE_<SLUG>_ACCESS_TOKEN` (the slug
//! of its content folder in capitals, `-` as `_`; see `City::env_key`),
//! the API hosts, and the bounds on work in flight. Read once at start-up; secrets are
//! wrapped so they never print.

use std::collections::HashMap;
use std::time::Duration;

use crate::content::City;

/// A secret string whose `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// One municipality's channel: `LINE_<SLUG>_CHANNEL_SECRET`, `LINE_<SLUG>_ACCESS_TOKEN`.
#[derive(Debug, Clone)]
pub struct Channel {
    pub secret: Secret,
    pub token: Secret,
}

/// LINE settings, read once from the environment in `main`'s config step.
#[derive(Debug, Clone)]
pub struct LineConfig {
    /// By `City::env_key` (whatever municipalities the environment names; one the
    /// content does not hold is never reached, as its webhook path is refused).
    pub channels: HashMap<String, Channel>,
    /// `LINE_API_BASE` (default https://api.line.me).
    pub api_base: String,
    /// `LINE_API_DATA_BASE` (default https://api-data.line.me, or `LINE_API_BASE` when
    /// only that is set, so one stand-in serves both).
    pub data_base: String,
    /// `LINE_LOG_SALT`: salt for hashing ids in logs (random per process when unset).
    pub log_salt: Secret,
    pub reply_timeout: Duration,
    /// Groups and rooms: a text starting with this word is for the bot.
    pub wake_word: String,
    /// Events accepted but not finished (`LINE_QUEUE`, default 20000); beyond it → 503.
    pub queue: usize,
    /// Events processed at once (`LINE_WORKERS`, default 1024).
    pub workers: usize,
    /// Answers computed at once (`LINE_ANSWER_THREADS`, default one fewer than the
    /// cores, at least 1).
    pub answer_threads: usize,
}

impl LineConfig {
    pub fn from_env() -> LineConfig {
        let vars: HashMap<String, String> =
            std::env::vars().filter(|(_, v)| !v.is_empty()).collect();
        LineConfig::from_vars(|k| vars.get(k).cloned(), vars.keys().map(String::as_str))
    }

    /// `get` reads one variable; `names` are every variable's name (to find the
    /// municipalities that have a channel).
    pub fn from_vars<'a>(
        get: impl Fn(&str) -> Option<String>,
        names: impl Iterator<Item = &'a str>,
    ) -> LineConfig {
        let mut channels = HashMap::new();
        let keys: Vec<String> = names
            .filter_map(|n| n.strip_prefix("LINE_")?.strip_suffix("_CHANNEL_SECRET"))
            .map(str::to_string)
            .collect();
        for up in keys {
            if let Some(secret) = get(&format!("LINE_{up}_CHANNEL_SECRET")) {
                let token = get(&format!("LINE_{up}_ACCESS_TOKEN")).unwrap_or_else(|| {
                    tracing::warn!(
                        key = up.as_str(),
                        "LINE channel secret set but no access token: replies will fail"
                    );
                    String::new()
                });
                channels.insert(
                    up,
                    Channel {
                        secret: Secret(secret),
                        token: Secret(token),
                    },
                );
            }
        }
        let api_base = get("LINE_API_BASE").unwrap_or_else(|| "https://api.line.me".into());
        let data_base = get("LINE_API_DATA_BASE").unwrap_or_else(|| match get("LINE_API_BASE") {
            Some(b) => b,
            None => "https://api-data.line.me".into(),
        });
        let num = |k: &str, d: usize| {
            get(k)
                .and_then(|v| v.parse().ok())
                .filter(|n| *n > 0)
                .unwrap_or(d)
        };
        LineConfig {
            channels,
            api_base,
            data_base,
            log_salt: Secret(get("LINE_LOG_SALT").unwrap_or_else(random_salt)),
            reply_timeout: Duration::from_secs(10),
            wake_word: "つなぐ".into(),
            queue: num("LINE_QUEUE", 20_000),
            workers: num("LINE_WORKERS", 1024),
            answer_threads: num(
                "LINE_ANSWER_THREADS",
                std::thread::available_parallelism()
                    .map_or(1, |n| n.get().saturating_sub(1).max(1)),
            ),
        }
    }

    pub fn channel(&self, city: City) -> Option<&Channel> {
        self.channels.get(&city.env_key())
    }
}

fn random_salt() -> String {
    let mut buf = [0u8; 16];
    let ok = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut buf))
        .is_ok();
    if !ok {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        buf[..16].copy_from_slice(&t.as_nanos().to_le_bytes());
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_come_from_per_city_env_vars() {
        let vars: HashMap<&str, &str> = [
            ("LINE_SAGAMIHARA_CHANNEL_SECRET", "s"),
            ("LINE_SAGAMIHARA_ACCESS_TOKEN", "t"),
            ("LINE_API_BASE", "http://127.0.0.1:9"),
        ]
        .into();
        let c = LineConfig::from_vars(|k| vars.get(k).map(|v| v.to_string()), vars.keys().copied());
        assert!(c.channel(City::named("sagamihara").unwrap()).is_some());
        assert!(c.channel(City::named("tsuruoka").unwrap()).is_none());
        assert_eq!(c.data_base, "http://127.0.0.1:9");
        assert!(!format!("{c:?}").contains("\"s\""), "secrets never print");
        let d = LineConfig::from_vars(|_| None, std::iter::empty());
        assert_eq!(d.api_base, "https://api.line.me");
        assert_eq!(d.data_base, "https://api-data.line.me");
    }
}
