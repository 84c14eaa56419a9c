//! The HTTP API (axum). Handlers are thin: parse the request into plain values, run the
//! engine in `spawn_blocking`, convert the result. Ranking, composition and validation
//! live in the library; this module never logs a resident's question.

mod error;
pub mod hsds;
mod metrics;
pub mod openapi;
mod params;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use axum::extract::{MatchedPath, Path as UrlPath, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use error::AppError;
use metrics::Metrics;
use params::Params;

use crate::answer::{self, Engine};
use crate::content::{City, Kind};
use crate::search::Filters;
use crate::Paths;

/// Every route the server answers, as (method, path). `openapi.json` documents exactly
/// these, and a test checks both directions.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/answer"),
    ("GET", "/api/search"),
    ("GET", "/api/resources/{id}"),
    ("GET", "/api/cities"),
    ("GET", "/api/topics"),
    ("GET", "/api/export/hsds"),
    ("GET", "/openapi.json"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("POST", "/admin/reload"),
    ("POST", "/line/{city}/webhook"),
];

/// Server settings: file < environment < command line. Secrets come from env only.
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

#[derive(Clone)]
pub struct AppState {
    engine: Arc<ArcSwap<Engine>>,
    paths: Paths,
    config: Arc<Config>,
    metrics: Arc<Metrics>,
    reloading: Arc<tokio::sync::Mutex<()>>,
    line: Arc<crate::line::Line>,
}

impl axum::extract::FromRef<AppState> for Arc<crate::line::Line> {
    fn from_ref(state: &AppState) -> Self {
        state.line.clone()
    }
}

impl AppState {
    pub fn new(engine: Engine, paths: Paths, config: Config) -> Self {
        let metrics = Arc::new(Metrics::default());
        metrics.set_reloaded(engine.index.num_docs());
        let engine = Arc::new(ArcSwap::from_pointee(engine));
        let line = Arc::new(crate::line::Line::new(engine.clone(), config.line.clone()));
        AppState {
            engine,
            paths,
            config: Arc::new(config),
            metrics,
            reloading: Arc::new(tokio::sync::Mutex::new(())),
            line,
        }
    }

    /// Re-reads content and builds a new index aside; swaps only on success.
    /// In-flight requests keep the engine they started with.
    pub async fn reload(&self) -> Result<serde_json::Value, AppError> {
        let _guard = self.reloading.lock().await;
        let paths = self.paths.clone();
        let built = tokio::task::spawn_blocking(move || crate::rebuild_engine(&paths))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        match built {
            Ok(engine) => {
                let docs = engine.index.num_docs();
                let hash = engine.catalog.hash.clone();
                self.engine.store(Arc::new(engine));
                self.metrics.set_reloaded(docs);
                tracing::info!(records = docs, "content reloaded");
                Ok(json!({ "status": "reloaded", "records": docs, "content_hash": hash }))
            }
            Err(crate::LoadError::Content(errors)) => {
                tracing::warn!(errors = errors.0.len(), "reload refused: content errors");
                Err(AppError::ContentInvalid(
                    errors.0.iter().map(|e| e.to_string()).collect(),
                ))
            }
            Err(e) => Err(AppError::Internal(e.to_string())),
        }
    }
}

pub fn router(state: AppState) -> Router {
    let cors = cors_layer(&state.config.cors_origins);
    Router::new()
        .route("/api/answer", get(answer_handler))
        .route("/api/search", get(search_handler))
        .route("/api/resources/{id}", get(resource_handler))
        .route("/api/cities", get(cities_handler))
        .route("/api/topics", get(topics_handler))
        .route("/api/export/hsds", get(hsds_handler))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .route(
            "/healthz",
            get(|| async { Json(json!({ "status": "ok" })) }),
        )
        .route("/readyz", get(readyz_handler))
        .route("/metrics", get(metrics_handler))
        .route("/admin/reload", post(reload_handler))
        .route("/line/{city}/webhook", post(crate::line::webhook_handler))
        .fallback(|| async { AppError::NotFound })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        // A bug must cost one request a JSON 500, never the server.
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                AppError::Internal("handler panicked".into()).into_response()
            },
        ))
        .layer(cors)
        .with_state(state)
}

fn cors_layer(origins: &[String]) -> CorsLayer {
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim()).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(list))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
}

/// Body limit, timeout and metrics for every request. Logs the route template and
/// status only: never the query string, which holds residents' words.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let too_large = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > state.config.max_body);
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = req.method().clone();
    let started = std::time::Instant::now();
    let response = if too_large {
        AppError::TooLarge.into_response()
    } else {
        match tokio::time::timeout(state.config.request_timeout, next.run(req)).await {
            Ok(r) => r,
            Err(_) => AppError::Timeout.into_response(),
        }
    };
    let elapsed = started.elapsed();
    state
        .metrics
        .observe(&route, response.status().as_u16(), elapsed);
    tracing::debug!(%method, %route, status = response.status().as_u16(), ms = elapsed.as_secs_f64() * 1e3, "request");
    response
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

async fn answer_handler(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let p = Params::parse(raw.as_deref())?;
    let q = p.query()?;
    if q.is_empty() {
        return Err(AppError::bad(
            "empty_query",
            crate::messages::errors::EMPTY_QUERY,
        ));
    }
    let city = p.city()?;
    let limit = p.limit(answer::DEFAULT_LIMIT)?;
    let engine = state.engine.load_full();
    let ans = blocking(move || engine.answer(&q, city, limit)).await?;
    Ok(Json(ans).into_response())
}

async fn search_handler(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let p = Params::parse(raw.as_deref())?;
    let q = p.query()?;
    let filters = Filters {
        cities: match p.city()? {
            Some(City::National) => vec![City::National],
            Some(c) => vec![c, City::National],
            None => vec![],
        },
        kinds: p.kind()?.into_iter().collect::<Vec<Kind>>(),
        topic: p.get("topic").map(str::to_string),
        audience: p.get("audience").map(str::to_string),
        function: p.get("function").map(str::to_string),
    };
    let limit = p.limit(20)?;
    let offset = p.offset()?;
    let engine = state.engine.load_full();
    let page = blocking(move || engine.browse(&q, &filters, limit, offset)).await?;
    Ok(Json(page).into_response())
}

async fn resource_handler(
    State(state): State<AppState>,
    id: Result<UrlPath<String>, axum::extract::rejection::PathRejection>,
) -> Result<Response, AppError> {
    let UrlPath(id) =
        id.map_err(|_| AppError::bad("bad_path", crate::messages::errors::BAD_PATH))?;
    let engine = state.engine.load_full();
    let item = engine.resource(&id).ok_or(AppError::NotFound)?;
    let record = engine.catalog.record(&id).ok_or(AppError::NotFound)?;
    let plans: Vec<_> = record
        .plan
        .iter()
        .filter_map(|p| engine.catalog.record(p))
        .map(|p| json!({ "id": p.id, "title": p.title, "summary": p.summary }))
        .collect();
    let routes: Vec<_> = engine
        .catalog
        .routes
        .iter()
        .filter(|r| {
            r.steps
                .iter()
                .any(|s| s.record.as_deref() == Some(id.as_str()))
        })
        .map(|r| json!({ "id": r.id, "title": r.title, "need": r.need }))
        .collect();
    let mut body = serde_json::to_value(&item).map_err(|e| AppError::Internal(e.to_string()))?;
    body["plans"] = json!(plans);
    body["keywords"] = json!(record.keywords);
    body["fallback"] = json!(record.fallback);
    body["in_routes"] = json!(routes);
    Ok(Json(body).into_response())
}

async fn cities_handler(State(state): State<AppState>) -> Json<serde_json::Value> {
    let engine = state.engine.load_full();
    let cities: Vec<_> = engine
        .catalog
        .cities
        .iter()
        .map(|c| {
            let count = engine
                .catalog
                .records
                .iter()
                .filter(|r| r.city == c.id)
                .count();
            json!({ "id": c.id, "name": c.name, "records": count, "general": c.general })
        })
        .collect();
    Json(json!({ "cities": cities }))
}

async fn topics_handler(State(state): State<AppState>) -> Json<serde_json::Value> {
    let c = &state.engine.load_full().catalog;
    Json(json!({
        "topics": c.topics,
        "audiences": c.audiences,
        "functions": c.functions,
        "kinds": Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "needs": c.needs.iter().map(|n| json!({ "id": n.id, "label": n.label, "topic": n.topic })).collect::<Vec<_>>(),
    }))
}

async fn hsds_handler(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let p = Params::parse(raw.as_deref())?;
    let city = p.city()?;
    let engine = state.engine.load_full();
    Ok(Json(hsds::export(&engine.catalog, city)).into_response())
}

async fn readyz_handler(State(state): State<AppState>) -> Response {
    let engine = state.engine.load_full();
    let docs = engine.index.num_docs();
    let status = if docs > 0 {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(json!({ "status": if docs > 0 { "ready" } else { "empty" }, "records": docs, "content_hash": engine.catalog.hash }))).into_response()
}

async fn metrics_handler(State(state): State<AppState>) -> Response {
    let body = state.metrics.render();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// Constant-time comparison, so the token cannot be guessed byte by byte from timings.
fn same_token(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn reload_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Some(expected) = state.config.admin_token.as_deref() else {
        return Err(AppError::Unauthorized);
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !same_token(given.as_bytes(), expected.as_bytes()) {
        return Err(AppError::Unauthorized);
    }
    Ok(Json(state.reload().await?).into_response())
}

/// Waits for Ctrl-C or SIGTERM. The SIGTERM handler is installed by the caller before
/// the server announces itself, so a signal can never hit the default action (exit).
async fn shutdown_signal(#[cfg(unix)] mut term: tokio::signal::unix::Signal) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async move {
        term.recv().await;
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// Reloads content on SIGHUP, like `POST /admin/reload`. The handler is already
/// installed when this is called (see [`serve`]).
#[cfg(unix)]
fn reload_on_sighup(state: AppState, mut hup: tokio::signal::unix::Signal) {
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            if let Err(e) = state.reload().await {
                tracing::warn!(error = ?e, "SIGHUP reload failed; the previous index keeps serving");
            }
        }
    });
}

/// Loads the engine, binds, and serves until SIGTERM or Ctrl-C.
pub async fn serve(paths: Paths, args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::resolve(&args)?;
    let p = paths.clone();
    let engine = tokio::task::spawn_blocking(move || crate::load_engine(&p)).await??;
    tracing::info!(records = engine.index.num_docs(), "index ready");
    let addr = config.addr;
    let state = AppState::new(engine, paths, config);
    #[cfg(unix)]
    let term = {
        use tokio::signal::unix::{signal, SignalKind};
        reload_on_sighup(state.clone(), signal(SignalKind::hangup())?);
        signal(SignalKind::terminate())?
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("binding {addr}: {e}"))?;
    // Printed on stdout so scripts and tests can find a port chosen by the OS (`:0`).
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal(
            #[cfg(unix)]
            term,
        ))
        .await?;
    Ok(())
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

    #[test]
    fn token_comparison_needs_exact_match() {
        assert!(same_token(b"secret-token", b"secret-token"));
        assert!(!same_token(b"secret-token", b"secret-tokeN"));
        assert!(!same_token(b"secret", b"secret-token"));
        assert!(!same_token(b"", b"x"));
    }

    #[test]
    fn openapi_documents_exactly_the_served_routes() {
        let doc = openapi::document();
        let mut documented: Vec<(String, String)> = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                documented.push((method.to_uppercase(), path.clone()));
            }
        }
        documented.sort();
        let mut served: Vec<(String, String)> = ROUTES
            .iter()
            .map(|(m, p)| (m.to_string(), p.to_string()))
            .collect();
        served.sort();
        assert_eq!(documented, served);
    }
}
