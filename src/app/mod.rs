//! The service a request reaches, below every surface (the API in `http`, the pages in
//! `web`, the LINE bot in `line`): the shared state, the parameters they parse, the one
//! error type they answer with, the settings and the limits. Nothing here knows a route.

pub mod config;
pub mod error;
pub mod limits;
pub mod metrics;
pub mod params;

use std::sync::Arc;

use arc_swap::ArcSwap;
use serde_json::json;

pub use config::{Config, ServeArgs};
pub use error::AppError;
use limits::Limits;
use metrics::Metrics;
pub use params::Params;

use crate::answer::Engine;
use crate::Paths;

#[derive(Clone)]
pub struct AppState {
    pub(crate) engine: Arc<ArcSwap<Engine>>,
    /// Shared: the state is cloned for every request and middleware layer, and three
    /// path buffers were three allocations each time.
    paths: Arc<Paths>,
    pub(crate) config: Arc<Config>,
    pub(crate) metrics: Arc<Metrics>,
    reloading: Arc<tokio::sync::Mutex<()>>,
    pub(crate) line: Arc<crate::line::Line>,
    pub(crate) limits: Arc<Limits>,
    pub(crate) insights: Option<Arc<crate::insights::Store>>,
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
        let limits = Arc::new(Limits::new(&config));
        AppState {
            limits,
            insights: None,
            engine,
            paths: Arc::new(paths),
            config: Arc::new(config),
            metrics,
            reloading: Arc::new(tokio::sync::Mutex::new(())),
            line,
        }
    }

    /// The engine serving now (pages and API alike).
    pub fn engine(&self) -> Arc<Engine> {
        self.engine.load_full()
    }

    /// Records anonymised query events in `store` (opt-in; see `crate::insights`).
    pub fn with_insights(mut self, store: crate::insights::Store) -> Self {
        self.insights = Some(Arc::new(store));
        self
    }

    /// Re-reads content and builds a new index aside; swaps only on success.
    /// In-flight requests keep the engine they started with.
    pub async fn reload(&self) -> Result<serde_json::Value, AppError> {
        let _guard = self.reloading.lock().await;
        let paths = Arc::clone(&self.paths);
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
            Err(e) => Err(AppError::ReloadFailed(e.to_string())),
        }
    }
}

/// Questions up to this long are answered on the async worker (see
/// [`AppState::short_or_blocking`]); longer ones, up to the 500-character limit, cost
/// more with every word and go to the blocking pool so they never stall other requests.
pub(crate) const INLINE_MAX_CHARS: usize = 80;

impl AppState {
    /// Runs engine work off the async threads, at most `max_answers` at once: a burst
    /// queues here (bounded by the request timeout) instead of growing the blocking pool
    /// to hundreds of threads.
    pub(crate) async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let _permit = self.answer_permit().await?;
        tokio::task::spawn_blocking(f)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }

    /// As [`AppState::blocking`], but work the caller knows is short (an answer to a
    /// question of at most [`INLINE_MAX_CHARS`] characters: ~150 µs with its JSON) runs
    /// on the async worker itself. Handing it to the blocking pool cost more than the
    /// work: two thread wake-ups per request, ~18 % of the server's time in context
    /// switches under load; inline, wrk measured +25–32 % req/s (BENCHMARKS.md, Speed II).
    pub(crate) async fn short_or_blocking<T: Send + 'static>(
        &self,
        short: bool,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        if !short {
            return self.blocking(f).await;
        }
        let _permit = self.answer_permit().await?;
        Ok(f())
    }

    /// One of the `max_answers` slots for engine work, wherever the work then runs.
    async fn answer_permit(&self) -> Result<tokio::sync::OwnedSemaphorePermit, AppError> {
        self.limits
            .answers
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))
    }
}
