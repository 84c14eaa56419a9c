//! The tantivy index over a validated [`Catalog`]: schema, build and open.
//!
//! The index holds only what search needs (ids, filter terms and analysed text); answers
//! are rendered from the catalog. Builds go to a fresh `gen-*` folder and become current
//! through an atomic symlink swap, so a failed build leaves the previous index untouched.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analysis::{self, Analyzer, ANALYZER_VERSION};
use crate::content::Catalog;

mod schema;
mod scored;
pub use scored::{ClauseKey, ClauseKind, ScoredCache, ScoredDocs};
pub use schema::{schema, Fields, BROWSE, FACETS};
use schema::{document, national_scope, SCHEMA_VERSION};

/// Name of the symlink in the index folder that points at the current build.
pub const CURRENT: &str = "current";
const MANIFEST: &str = "manifest.json";

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index folder {path}: {reason}")]
    Io { path: PathBuf, reason: String },
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(
        "the index in {0} was built from other content or another analyser; run `tsunagu index`"
    )]
    Stale(PathBuf),
    #[error("the index in {path} is damaged (checksum mismatch in {files}); run `tsunagu index`")]
    Damaged { path: PathBuf, files: String },
}

/// Checks every segment file against the checksum tantivy wrote in its footer.
fn verify(index: &Index, path: &Path) -> Result<(), IndexError> {
    let damaged = index.validate_checksum()?;
    if damaged.is_empty() {
        return Ok(());
    }
    let mut files: Vec<String> = damaged.iter().map(|p| p.display().to_string()).collect();
    files.sort();
    tracing::error!(path = %path.display(), files = ?files, "index damaged");
    Err(IndexError::Damaged {
        path: path.to_path_buf(),
        files: files.join(", "),
    })
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |e| IndexError::Io {
        path: path.to_path_buf(),
        reason: e.to_string(),
    }
}

/// Written next to every build; tells whether a build matches the content.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub content_hash: String,
    pub analyzer: String,
    pub analyzer_version: u32,
    /// Missing in manifests from before the facet field: read as 0, so they rebuild.
    #[serde(default)]
    pub schema: u32,
    pub records: usize,
    pub tantivy: String,
}

impl Manifest {
    fn for_catalog(catalog: &Catalog, analyzer: &Analyzer) -> Self {
        Manifest {
            content_hash: catalog.hash.clone(),
            analyzer: analyzer.fingerprint().to_string(),
            analyzer_version: ANALYZER_VERSION,
            schema: SCHEMA_VERSION,
            records: catalog.records.len(),
            tantivy: tantivy::version_string().to_string(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Analysed {
    pub morph: Vec<String>,
    pub grams: Vec<String>,
}

impl Analysed {
    pub fn new(analyzer: &Analyzer, text: &str) -> Self {
        Analysed {
            morph: analyzer
                .morph_terms(text)
                .into_iter()
                .map(|t| t.text)
                .collect(),
            grams: analyzer.bigrams(text).into_iter().map(|t| t.text).collect(),
        }
    }
}

/// An open index ready to search: index, reader, fields and the analyser that built it.
#[derive(Clone)]
pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub analyzer: Analyzer,
    pub manifest: Manifest,
    /// Record ids by `ord`.
    pub ids: Arc<Vec<String>>,
    /// The lexicon's expansion phrases, analysed once at load instead of per query.
    pub expansions: Arc<HashMap<String, Analysed>>,
    /// What each expansion's phrase matches, scored once per index by search (see
    /// [`ScoredDocs`]); filled on first use.
    pub expansion_hits: Arc<std::sync::OnceLock<HashMap<String, Option<ScoredDocs>>>>,
    /// Each question clause's matches, kept once recorded (see [`ScoredCache`]). None:
    /// every question runs as one tantivy query (the reference the kept scores are
    /// compared with).
    pub clause_scores: Option<Arc<ScoredCache>>,
}

impl SearchIndex {
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// Builds an index for `catalog` in RAM (tests, and the server's fallback).
pub fn build_in_ram(catalog: &Catalog, analyzer: &Analyzer) -> Result<SearchIndex, IndexError> {
    let (schema, fields) = schema();
    let index = Index::create_in_ram(schema);
    fill(&index, &fields, catalog, analyzer)?;
    open_reader(
        index,
        fields,
        analyzer.clone(),
        Manifest::for_catalog(catalog, analyzer),
        catalog,
    )
}

/// Corpora from this size are analysed on several threads. Below it one thread
/// builds in under a second and keeps one segment, so documents with equal scores
/// come back in catalog order on every build; above it, build time is lindera
/// analysing every text field (~0.7 ms a record) and the threads share it, at the
/// price of equal-score ties following the segments' order.
const PARALLEL_FROM: usize = 5_000;
const WRITER_BUDGET_PER_THREAD: usize = 40_000_000;

fn writer_threads(records: usize) -> usize {
    if records < PARALLEL_FROM {
        return 1;
    }
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

fn fill(
    index: &Index,
    fields: &Fields,
    catalog: &Catalog,
    analyzer: &Analyzer,
) -> Result<(), IndexError> {
    analysis::register(index, analyzer);
    let threads = writer_threads(catalog.records.len());
    let mut writer = index.writer_with_num_threads(threads, WRITER_BUDGET_PER_THREAD * threads)?;
    let national = national_scope(catalog);
    for (ord, r) in catalog.records.iter().enumerate() {
        writer.add_document(document(fields, ord, r, catalog, &national))?;
    }
    writer.commit()?;
    // One segment: the index is read-only once built, and every query term is looked
    // up once per segment (several threads leave one segment each).
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.wait_merging_threads()?;
    Ok(())
}

fn open_reader(
    index: Index,
    fields: Fields,
    analyzer: Analyzer,
    manifest: Manifest,
    catalog: &Catalog,
) -> Result<SearchIndex, IndexError> {
    analysis::register(&index, &analyzer);
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let ids = Arc::new(catalog.records.iter().map(|r| r.id.clone()).collect());
    let expansions = catalog
        .concepts
        .iter()
        .flat_map(|c| c.expand.iter())
        .map(|e| (e.clone(), Analysed::new(&analyzer, e)))
        .collect();
    Ok(SearchIndex {
        index,
        reader,
        fields,
        analyzer,
        manifest,
        ids,
        expansions: Arc::new(expansions),
        expansion_hits: Arc::default(),
        clause_scores: Some(Arc::default()),
    })
}

/// Builds into a fresh `gen-*` folder under `dir` and points `dir/current` at it.
/// Older generations are removed afterwards; open readers keep their files (mmap).
pub fn build(
    dir: &Path,
    catalog: &Catalog,
    analyzer: &Analyzer,
) -> Result<SearchIndex, IndexError> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let gen_name = format!(
        "gen-{}-{stamp}",
        &catalog.hash[..12.min(catalog.hash.len())]
    );
    let gen = dir.join(&gen_name);
    std::fs::create_dir_all(&gen).map_err(io_err(&gen))?;
    let result = (|| {
        let (schema, fields) = schema();
        let index = Index::create_in_dir(&gen, schema)?;
        fill(&index, &fields, catalog, analyzer)?;
        verify(&index, &gen)?;
        let manifest = Manifest::for_catalog(catalog, analyzer);
        let json = serde_json::to_vec_pretty(&manifest).expect("manifest serialises");
        std::fs::write(gen.join(MANIFEST), json).map_err(io_err(&gen))?;
        open_reader(index, fields, analyzer.clone(), manifest, catalog)
    })();
    let built = match result {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&gen);
            return Err(e);
        }
    };
    swap_current(dir, &gen_name)?;
    remove_old_generations(dir, &gen_name);
    Ok(built)
}

fn swap_current(dir: &Path, gen_name: &str) -> Result<(), IndexError> {
    let tmp = dir.join(format!(".{CURRENT}.{gen_name}"));
    let _ = std::fs::remove_file(&tmp);
    #[cfg(unix)]
    std::os::unix::fs::symlink(gen_name, &tmp).map_err(io_err(&tmp))?;
    std::fs::rename(&tmp, dir.join(CURRENT)).map_err(io_err(dir))
}

fn remove_old_generations(dir: &Path, keep: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with("gen-") && name != keep {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Reads the manifest of the current build, if any.
pub fn current_manifest(dir: &Path) -> Option<Manifest> {
    let bytes = std::fs::read(dir.join(CURRENT).join(MANIFEST)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Opens `dir/current` if it was built from exactly this catalog and analyser.
pub fn open(dir: &Path, catalog: &Catalog, analyzer: &Analyzer) -> Result<SearchIndex, IndexError> {
    let current = dir.join(CURRENT);
    let manifest = current_manifest(dir).ok_or_else(|| IndexError::Stale(current.clone()))?;
    if manifest != Manifest::for_catalog(catalog, analyzer) {
        return Err(IndexError::Stale(current));
    }
    let index = Index::open_in_dir(&current)?;
    verify(&index, &current)?;
    let (_, fields) = schema();
    open_reader(index, fields, analyzer.clone(), manifest, catalog)
}

/// Opens the current build when it matches, otherwise builds a new one.
pub fn open_or_build(
    dir: &Path,
    catalog: &Catalog,
    analyzer: &Analyzer,
) -> Result<SearchIndex, IndexError> {
    match open(dir, catalog, analyzer) {
        Ok(idx) => Ok(idx),
        Err(IndexError::Stale(_)) => build(dir, catalog, analyzer),
        Err(e @ (IndexError::Damaged { .. } | IndexError::Tantivy(_))) => {
            tracing::warn!(error = %e, "the index is damaged or unreadable; rebuilding it");
            build(dir, catalog, analyzer)
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::fixture;

    #[test]
    fn build_then_open_round_trips_through_the_manifest() {
        let (catalog, analyzer) = fixture();
        let dir = tempfile::tempdir().unwrap();
        let built = build(dir.path(), &catalog, &analyzer).unwrap();
        assert_eq!(built.num_docs(), catalog.records.len() as u64);
        let opened = open(dir.path(), &catalog, &analyzer).unwrap();
        assert_eq!(opened.num_docs(), built.num_docs());
        assert_eq!(
            current_manifest(dir.path()).unwrap().content_hash,
            catalog.hash
        );
    }

    #[test]
    fn an_index_from_other_content_is_stale_and_rebuilt() {
        let (catalog, analyzer) = fixture();
        let dir = tempfile::tempdir().unwrap();
        build(dir.path(), &catalog, &analyzer).unwrap();
        let mut changed = (*catalog).clone();
        changed.hash = "0000000000000000".into();
        assert!(matches!(
            open(dir.path(), &changed, &analyzer),
            Err(IndexError::Stale(_))
        ));
        open_or_build(dir.path(), &changed, &analyzer).unwrap();
        assert_eq!(
            current_manifest(dir.path()).unwrap().content_hash,
            changed.hash
        );
        // Only the current generation is kept.
        let gens = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
            .count();
        assert_eq!(gens, 1);
    }
}
