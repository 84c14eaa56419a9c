//! Server settings: file < environment < command line. Secrets come from env only.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on [env TSUNAGU_ADDR; default 127.0.0.1:8080].
    #[arg(long, env = "TSUNAGU_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Origins allowed to call the API from a browser, comma-separated
    /// [env TSUNAGU_CORS_ORIGINS].
    #[arg(long, env = "TSUNAGU_CORS_ORIGINS", value_delimiter = ',')]
    pub cors_origins: Option<Vec<String>>,
    /// Seconds before a request is cut off [default 10].
    #[arg(long, env = "TSUNAGU_REQUEST_TIMEOUT")]
    pub request_timeout: Option<u64>,
    /// Largest accepted request body in bytes [default 65536].
    #[arg(long, env = "TSUNAGU_MAX_BODY")]
    pub max_body: Option<usize>,
    /// Seconds a connection may take to send a request head, counted from when it opens
    /// or its previous response was sent, so it also closes idle keep-alive connections
    /// [env TSUNAGU_HEADER_TIMEOUT; default 10].
    #[arg(long, env = "TSUNAGU_HEADER_TIMEOUT")]
    pub header_timeout: Option<u64>,
    /// A second address serving only `/healthz` and `/readyz`, with connections of its
    /// own, so liveness and readiness probes are answered even when a flood has filled
    /// the public connection cap; keep it off the public network [env TSUNAGU_PROBE_ADDR].
    #[arg(long, env = "TSUNAGU_PROBE_ADDR")]
    pub probe_addr: Option<std::net::SocketAddr>,
    /// Open connections at most; default: the open-file limit minus 256 kept for the
    /// index, logs and the dictionary (at most 10000) [env TSUNAGU_MAX_CONNECTIONS].
    #[arg(long, env = "TSUNAGU_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Open connections from one client address at most [env TSUNAGU_MAX_CONNECTIONS_PER_CLIENT;
    /// default 256]. Beyond it the connection gets a 503 JSON and is closed.
    #[arg(long, env = "TSUNAGU_MAX_CONNECTIONS_PER_CLIENT")]
    pub max_connections_per_client: Option<usize>,
    /// Requests per second one client address may make on public routes, sustained
    /// [env TSUNAGU_RATE_PER_SEC; default 50; 0 turns the limit off].
    #[arg(long, env = "TSUNAGU_RATE_PER_SEC")]
    pub rate_per_sec: Option<u32>,
    /// Requests one client may make at once above the sustained rate
    /// [env TSUNAGU_RATE_BURST; default 500].
    #[arg(long, env = "TSUNAGU_RATE_BURST")]
    pub rate_burst: Option<u32>,
    /// Wrong admin tokens one client may send before waiting (one more per minute)
    /// [env TSUNAGU_ADMIN_FAILURES; default 10].
    #[arg(long, env = "TSUNAGU_ADMIN_FAILURES")]
    pub admin_failures: Option<u32>,
    /// Answers and searches computed at once; others wait (within the request timeout)
    /// [env TSUNAGU_MAX_ANSWERS; default: 2 × cores].
    #[arg(long, env = "TSUNAGU_MAX_ANSWERS")]
    pub max_answers: Option<usize>,
    /// Seconds open connections get to finish after SIGTERM before the process exits
    /// [env TSUNAGU_SHUTDOWN_TIMEOUT; default 10].
    #[arg(long, env = "TSUNAGU_SHUTDOWN_TIMEOUT")]
    pub shutdown_timeout: Option<u64>,
    /// Folder for the opt-in insights store (anonymised query events); off when unset
    /// [env TSUNAGU_INSIGHTS_DIR].
    #[arg(long, env = "TSUNAGU_INSIGHTS_DIR")]
    pub insights_dir: Option<PathBuf>,
    /// Days insights events are kept [env TSUNAGU_INSIGHTS_DAYS; default 90].
    #[arg(long, env = "TSUNAGU_INSIGHTS_DAYS")]
    pub insights_days: Option<u32>,
    /// Optional TOML file with the same settings (the long option names with `_`).
    #[arg(long, env = "TSUNAGU_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<SocketAddr>,
    cors_origins: Option<Vec<String>>,
    request_timeout: Option<u64>,
    max_body: Option<usize>,
    header_timeout: Option<u64>,
    probe_addr: Option<SocketAddr>,
    max_connections: Option<usize>,
    max_connections_per_client: Option<usize>,
    rate_per_sec: Option<u32>,
    rate_burst: Option<u32>,
    admin_failures: Option<u32>,
    max_answers: Option<usize>,
    shutdown_timeout: Option<u64>,
    insights_dir: Option<PathBuf>,
    insights_days: Option<u32>,
}

/// The resolved, typed configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub cors_origins: Vec<String>,
    pub request_timeout: Duration,
    pub max_body: usize,
    pub header_timeout: Duration,
    /// The probe listener's address (`/healthz`, `/readyz` only), if any.
    pub probe_addr: Option<SocketAddr>,
    pub max_connections: usize,
    pub max_connections_per_client: usize,
    /// Sustained requests per second per client on public routes; 0 = no limit.
    pub rate_per_sec: u32,
    pub rate_burst: u32,
    pub admin_failures: u32,
    pub max_answers: usize,
    pub shutdown_timeout: Duration,
    pub insights_dir: Option<PathBuf>,
    pub insights_days: u32,
    /// `TSUNAGU_ADMIN_TOKEN`; reload is refused when unset.
    pub admin_token: Option<String>,
    /// LINE channels per city and API base (`LINE_*`).
    pub line: crate::line::LineConfig,
}

impl Config {
    pub fn resolve(args: &ServeArgs) -> anyhow::Result<Config> {
        let file: FileConfig = match &args.config {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| anyhow::anyhow!("reading config {}: {e}", p.display()))?;
                toml::from_str(&text).map_err(|e| anyhow::anyhow!("config {}: {e}", p.display()))?
            }
            None => FileConfig::default(),
        };
        Ok(Config {
            addr: args
                .addr
                .or(file.addr)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            cors_origins: validate_origins(
                args.cors_origins.clone().or(file.cors_origins).unwrap_or_default(),
            )?,
            request_timeout: Duration::from_secs(
                args.request_timeout.or(file.request_timeout).unwrap_or(10),
            ),
            max_body: args.max_body.or(file.max_body).unwrap_or(64 * 1024),
            header_timeout: Duration::from_secs(
                args.header_timeout.or(file.header_timeout).unwrap_or(10).max(1),
            ),
            probe_addr: args.probe_addr.or(file.probe_addr),
            max_connections: args
                .max_connections
                .or(file.max_connections)
                .unwrap_or_else(super::limits::default_max_connections)
                .max(1),
            max_connections_per_client: args
                .max_connections_per_client
                .or(file.max_connections_per_client)
                .unwrap_or(256)
                .max(1),
            rate_per_sec: args.rate_per_sec.or(file.rate_per_sec).unwrap_or(50),
            rate_burst: args.rate_burst.or(file.rate_burst).unwrap_or(500).max(1),
            admin_failures: args.admin_failures.or(file.admin_failures).unwrap_or(10).max(1),
            max_answers: args
                .max_answers
                .or(file.max_answers)
                .unwrap_or_else(|| {
                    2 * std::thread::available_parallelism().map_or(2, |n| n.get())
                })
                .max(1),
            shutdown_timeout: Duration::from_secs(
                args.shutdown_timeout.or(file.shutdown_timeout).unwrap_or(10),
            ),
            insights_dir: args.insights_dir.clone().or(file.insights_dir),
            insights_days: args.insights_days.or(file.insights_days).unwrap_or(90).max(1),
            admin_token: std::env::var("TSUNAGU_ADMIN_TOKEN")
                .ok()
                .filter(|t| !t.is_empty()),
            line: crate::line::LineConfig::from_env(),
        })
    }
}

/// Origins for CORS: either exactly `*` (any web page may call the API from a browser;
/// no cookies or credentials are ever allowed, so this only exposes what `curl` already
/// sees) or a list of `scheme://host[:port]` origins. Anything else is refused at start.
fn validate_origins(list: Vec<String>) -> anyhow::Result<Vec<String>> {
    let list: Vec<String> = list
        .into_iter()
        .map(|o| o.trim().trim_end_matches('/').to_string())
        .filter(|o| !o.is_empty())
        .collect();
    if list.iter().any(|o| o == "*") {
        if list.len() > 1 {
            anyhow::bail!(
                "cors_origins: `*` (every origin) cannot be combined with other origins; \
                 give either `*` alone or a list like https://www.city.example.jp"
            );
        }
        return Ok(list);
    }
    for o in &list {
        let rest = o
            .strip_prefix("https://")
            .or_else(|| o.strip_prefix("http://"));
        let ok = rest.is_some_and(|h| {
            !h.is_empty()
                && !h.contains(['/', '?', '#', '*', ' ', ','])
                && axum::http::HeaderValue::from_str(o).is_ok()
        });
        if !ok {
            anyhow::bail!(
                "cors_origins: {o:?} is not an origin; write scheme://host[:port] without a \
                 path, e.g. https://www.city.example.jp (or `*` alone for every origin)"
            );
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    fn args(addr: Option<&str>, config: Option<std::path::PathBuf>) -> ServeArgs {
        ServeArgs {
            addr: addr.map(|a| a.parse().unwrap()),
            cors_origins: None,
            request_timeout: None,
            max_body: None,
            header_timeout: None,
            probe_addr: None,
            max_connections: None,
            max_connections_per_client: None,
            rate_per_sec: None,
            rate_burst: None,
            admin_failures: None,
            max_answers: None,
            shutdown_timeout: None,
            insights_dir: None,
            insights_days: None,
            config,
        }
    }

    #[test]
    fn settings_come_from_file_then_env_or_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tsunagu.toml");
        std::fs::write(&file, "addr = \"127.0.0.1:9001\"\ncors_origins = [\"https://city.example\"]\nmax_body = 1024\n").unwrap();
        let from_file = Config::resolve(&args(None, Some(file.clone()))).unwrap();
        assert_eq!(from_file.addr.port(), 9001);
        assert_eq!(from_file.cors_origins, vec!["https://city.example"]);
        assert_eq!(from_file.max_body, 1024);
        // A value given on the command line (or through its environment variable) wins.
        let overridden = Config::resolve(&args(Some("127.0.0.1:9002"), Some(file))).unwrap();
        assert_eq!(overridden.addr.port(), 9002);
        assert_eq!(overridden.max_body, 1024);
        let defaults = Config::resolve(&args(None, None)).unwrap();
        assert_eq!(defaults.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(defaults.request_timeout, Duration::from_secs(10));
    }

    #[test]
    fn cors_origins_are_a_star_alone_or_real_origins() {
        let v = |l: &[&str]| validate_origins(l.iter().map(|s| s.to_string()).collect());
        assert_eq!(v(&["*"]).unwrap(), vec!["*"]);
        assert_eq!(
            v(&["https://a.example/", " http://b.example:8080"]).unwrap(),
            vec!["https://a.example", "http://b.example:8080"]
        );
        assert!(v(&["*", "https://a.example"]).unwrap_err().to_string().contains("alone"));
        assert!(v(&["a.example"]).unwrap_err().to_string().contains("scheme://host"));
        assert!(v(&["https://a.example/path"]).is_err());
        assert!(v(&["https://*.example"]).is_err());
    }

    #[test]
    fn a_config_file_with_a_typo_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tsunagu.toml");
        std::fs::write(&file, "adr = \"127.0.0.1:9001\"\n").unwrap();
        let err = Config::resolve(&args(None, Some(file)))
            .unwrap_err()
            .to_string();
        assert!(err.contains("adr"), "{err}");
    }

}
