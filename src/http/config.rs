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
    /// Optional TOML file with the same settings (addr, cors_origins, request_timeout, max_body).
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
}

/// The resolved, typed configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub cors_origins: Vec<String>,
    pub request_timeout: Duration,
    pub max_body: usize,
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
            cors_origins: args
                .cors_origins
                .clone()
                .or(file.cors_origins)
                .unwrap_or_default(),
            request_timeout: Duration::from_secs(
                args.request_timeout.or(file.request_timeout).unwrap_or(10),
            ),
            max_body: args.max_body.or(file.max_body).unwrap_or(64 * 1024),
            admin_token: std::env::var("TSUNAGU_ADMIN_TOKEN")
                .ok()
                .filter(|t| !t.is_empty()),
            line: crate::line::LineConfig::from_env(),
        })
    }
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
