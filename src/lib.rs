//! Tsunagu (つなぐ): find the right welfare consultation window in Japanese cities.
//!
//! Modules, in the order data flows: `content` (editable TOML → validated catalog),
//! `analysis` (Japanese text → terms), `index` (tantivy), `search` (query building),
//! `answer` (crisis check, lexicon, ranking, routes → the answer contract), `http`
//! (axum API), `line` (the LINE chatbot, a surface over the answer). `main.rs` is a thin CLI over this library.

pub mod analysis;
pub mod answer;
pub mod app;
pub mod content;
pub mod http;
pub mod import;
pub mod index;
pub mod insights;
pub mod line;
pub mod messages;
pub mod relevance;
pub mod search;
pub mod web;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use analysis::Analyzer;
use answer::Engine;

/// Where things live; one value passed down from `main`.
#[derive(Debug, Clone)]
pub struct Paths {
    pub content: PathBuf,
    pub index: PathBuf,
    pub dictionary: PathBuf,
}

impl Paths {
    pub fn new(content: impl Into<PathBuf>, index: impl Into<PathBuf>) -> Self {
        let index = index.into();
        let dictionary = std::env::var_os("TSUNAGU_DICT_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| index.join("dictionary"));
        Paths {
            content: content.into(),
            index,
            dictionary,
        }
    }

    /// The bundled content of this checkout with an index in `index`, sharing the
    /// checkout's compiled dictionary (tests, benchmarks and examples).
    pub fn checkout(index: impl Into<PathBuf>) -> Self {
        let root = repo_root();
        Paths {
            content: root.join("content"),
            index: index.into(),
            dictionary: root.join("index").join("dictionary"),
        }
    }
}

/// Why the engine could not start; each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Content(#[from] content::ContentErrors),
    #[error("{0}")]
    Dictionary(#[from] analysis::DictionaryError),
    #[error("{0}")]
    Index(#[from] index::IndexError),
    #[error("the index failed its self-check: {0}; run `tsunagu index`")]
    SelfCheck(String),
}

/// Records searched by their title before an engine is served.
const SELF_CHECK_SAMPLE: usize = 40;

/// Validates content and builds the analyser for it.
///
/// `TSUNAGU_SYNTHETIC=N` (benchmarks only, see BENCHMARKS.md) grows the catalog to N
/// records with [`content::synth`], so the server can be measured at scale.
pub fn load_content(paths: &Paths) -> Result<(Arc<content::Catalog>, Analyzer), LoadError> {
    let t = std::time::Instant::now();
    let mut catalog = content::load(&paths.content)?;
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "content read and checked");
    if let Some(n) = std::env::var("TSUNAGU_SYNTHETIC")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        tracing::warn!(records = n, "serving a SYNTHETIC corpus (benchmark mode)");
        catalog = content::synth::synthesize(&catalog, n, 1);
        tracing::debug!(ms = t.elapsed().as_millis() as u64, "synthetic corpus made");
    }
    let analyzer = Analyzer::new(&paths.dictionary, &catalog.analysis)?;
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "analyser ready");
    Ok((Arc::new(catalog), analyzer))
}

/// Content + index (opened if current, else rebuilt) → a ready engine.
pub fn load_engine(paths: &Paths) -> Result<Engine, LoadError> {
    let (catalog, analyzer) = load_content(paths)?;
    let t = std::time::Instant::now();
    let idx = index::open_or_build(&paths.index, &catalog, &analyzer)?;
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "index open");
    let engine = Engine::new(catalog.clone(), idx);
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "engine ready");
    match engine.self_check(SELF_CHECK_SAMPLE) {
        Ok(()) => Ok(engine),
        Err(e) => {
            tracing::warn!(error = %e, "the index failed its self-check; rebuilding it");
            let idx = index::build(&paths.index, &catalog, &analyzer)?;
            let engine = Engine::new(catalog, idx);
            engine.self_check(SELF_CHECK_SAMPLE).map_err(LoadError::SelfCheck)?;
            Ok(engine)
        }
    }
}

/// Like [`load_engine`] but always builds a fresh index (used by reload).
pub fn rebuild_engine(paths: &Paths) -> Result<Engine, LoadError> {
    let (catalog, analyzer) = load_content(paths)?;
    let idx = index::build(&paths.index, &catalog, &analyzer)?;
    let engine = Engine::new(catalog, idx);
    engine.self_check(SELF_CHECK_SAMPLE).map_err(LoadError::SelfCheck)?;
    Ok(engine)
}

/// The repository root when running from a checkout (tests, benchmarks).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Shared test fixtures: the small frozen corpus in `tests/fixtures/content`.
#[cfg(test)]
pub(crate) mod testutil {
    use std::sync::{Arc, OnceLock};

    use crate::analysis::Analyzer;
    use crate::content::Catalog;

    pub(crate) fn fixture() -> (Arc<Catalog>, Analyzer) {
        static F: OnceLock<(Arc<Catalog>, Analyzer)> = OnceLock::new();
        F.get_or_init(|| {
            let root = crate::repo_root();
            let catalog = crate::content::load(&root.join("tests/fixtures/content"))
                .expect("fixture content is valid");
            let analyzer = Analyzer::new(&root.join("index/dictionary"), &catalog.analysis)
                .expect("dictionary");
            (Arc::new(catalog), analyzer)
        })
        .clone()
    }
}
