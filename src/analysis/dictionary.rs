//! The IPADIC system dictionary, built once from Debian's `mecab-ipadic` sources.
//!
//! lindera's `embed-*` features download at build time, which fails on closed city
//! networks. Instead we compile the EUC-JP sources that `apt-get install mecab-ipadic`
//! puts in `/usr/share/mecab/dic/ipadic` with lindera's own `DictionaryBuilder`, cache the
//! result in a directory keyed by lindera's version, and memory-map it on every start.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use lindera::dictionary::{load_fs_dictionary, Dictionary, DictionaryBuilder, Metadata};

/// Where Debian's `mecab-ipadic` package installs its source files.
pub const DEBIAN_IPADIC_DIR: &str = "/usr/share/mecab/dic/ipadic";

/// lindera-ipadic's metadata, with the encoding set to EUC-JP for Debian's sources.
const IPADIC_METADATA: &str = include_str!("ipadic-metadata.json");

#[derive(Debug, thiserror::Error)]
pub enum DictionaryError {
    #[error(
        "the IPADIC source files were not found in {0}. Install them with \
         `sudo apt-get install mecab-ipadic` (or set TSUNAGU_IPADIC_SRC to a folder with \
         matrix.def, char.def, unk.def and the *.csv files)"
    )]
    SourceMissing(PathBuf),
    #[error("could not build the IPADIC dictionary into {path}: {reason}")]
    Build { path: PathBuf, reason: String },
    #[error("could not load the IPADIC dictionary from {path}: {reason}")]
    Load { path: PathBuf, reason: String },
}

/// Folder holding Debian's IPADIC sources (`TSUNAGU_IPADIC_SRC` overrides it).
pub fn source_dir() -> PathBuf {
    std::env::var_os("TSUNAGU_IPADIC_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(DEBIAN_IPADIC_DIR))
}

/// Default cache folder for the built dictionary (`TSUNAGU_DICT_DIR` overrides it).
pub fn default_cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TSUNAGU_DICT_DIR") {
        return PathBuf::from(dir);
    }
    PathBuf::from("index").join("dictionary")
}

/// Builds the dictionary into `cache_dir` unless a build for this lindera version is
/// already there, and returns the folder to load. A partial build never becomes visible:
/// it is written to a temporary sibling and renamed into place.
pub fn ensure_built(cache_dir: &Path) -> Result<PathBuf, DictionaryError> {
    let target = cache_dir.join(format!("ipadic-lindera-{}", lindera::get_version()));
    if target.join("metadata.json").exists() {
        return Ok(target);
    }
    let source = source_dir();
    if !source.join("matrix.def").exists() {
        return Err(DictionaryError::SourceMissing(source));
    }
    let build_err = |reason: String| DictionaryError::Build {
        path: target.clone(),
        reason,
    };
    std::fs::create_dir_all(cache_dir).map_err(|e| build_err(e.to_string()))?;
    let tmp = cache_dir.join(format!(".build-{}-{}", std::process::id(), unique_suffix()));
    let metadata: Metadata =
        serde_json::from_str(IPADIC_METADATA).map_err(|e| build_err(e.to_string()))?;
    DictionaryBuilder::new(metadata)
        .build_dictionary(&source, &tmp)
        .map_err(|e| build_err(e.to_string()))?;
    match std::fs::rename(&tmp, &target) {
        Ok(()) => Ok(target),
        // Another process finished first: use its copy and drop ours.
        Err(_) if target.join("metadata.json").exists() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(target)
        }
        Err(e) => Err(build_err(e.to_string())),
    }
}

fn unique_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

static SYSTEM: OnceLock<Dictionary> = OnceLock::new();

/// The process-wide dictionary, built on first use and loaded (mmap) once.
/// Cloning it is cheap: its parts are `Arc`s.
pub fn system(cache_dir: &Path) -> Result<Dictionary, DictionaryError> {
    if let Some(dict) = SYSTEM.get() {
        return Ok(dict.clone());
    }
    let dir = ensure_built(cache_dir)?;
    let dict = load_fs_dictionary(&dir).map_err(|e| DictionaryError::Load {
        path: dir.clone(),
        reason: e.to_string(),
    })?;
    Ok(SYSTEM.get_or_init(|| dict).clone())
}
