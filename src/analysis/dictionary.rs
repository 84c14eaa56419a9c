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
    #[error(
        "the compiled dictionary in {path} is damaged: {files} changed since it was built \
         (hashes in {HASHES}). Delete that folder and start again to rebuild it from the \
         IPADIC sources"
    )]
    Damaged { path: PathBuf, files: String },
}

/// SHA-256 of every file of a built dictionary, written when it is built.
pub const HASHES: &str = "tsunagu-sha256.json";

fn file_hashes(dir: &Path) -> std::io::Result<std::collections::BTreeMap<String, String>> {
    use sha2::{Digest, Sha256};
    let mut out = std::collections::BTreeMap::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().to_string();
        if name == HASHES || name.starts_with('.') || !e.file_type()?.is_file() {
            continue;
        }
        let mut h = Sha256::new();
        std::io::copy(&mut std::fs::File::open(e.path())?, &mut h)?;
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        out.insert(name, hex);
    }
    Ok(out)
}

fn write_hashes(dir: &Path) -> std::io::Result<()> {
    let json = serde_json::to_vec_pretty(&file_hashes(dir)?).map_err(std::io::Error::other)?;
    // Unique per call: two threads of one process may record at once on first use.
    let tmp = dir.join(format!(".{HASHES}.{}-{}", std::process::id(), unique_suffix()));
    std::fs::write(&tmp, json)?;
    std::fs::rename(tmp, dir.join(HASHES))
}

/// Checks a built dictionary against the hashes recorded when it was built, so a
/// truncated or overwritten file is refused instead of silently changing answers. A
/// dictionary built before hashes were recorded gets them now (trusted on first use).
pub fn verify(dir: &Path) -> Result<(), DictionaryError> {
    let load_err = |e: std::io::Error| DictionaryError::Load {
        path: dir.to_path_buf(),
        reason: e.to_string(),
    };
    let recorded: Option<std::collections::BTreeMap<String, String>> =
        std::fs::read(dir.join(HASHES))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
    let Some(recorded) = recorded else {
        tracing::info!(dir = %dir.display(), "recording the dictionary's file hashes");
        return write_hashes(dir).map_err(load_err);
    };
    let now = file_hashes(dir).map_err(load_err)?;
    let changed: Vec<&str> = recorded
        .iter()
        .filter(|(name, hash)| now.get(*name) != Some(*hash))
        .map(|(name, _)| name.as_str())
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    tracing::error!(dir = %dir.display(), files = ?changed, "dictionary damaged");
    Err(DictionaryError::Damaged {
        path: dir.to_path_buf(),
        files: changed.join(", "),
    })
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
    write_hashes(&tmp).map_err(|e| build_err(e.to_string()))?;
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

fn unique_suffix() -> String {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{nanos}-{n}")
}

static SYSTEM: OnceLock<Dictionary> = OnceLock::new();

/// The process-wide dictionary, built on first use and loaded (mmap) once.
/// Cloning it is cheap: its parts are `Arc`s.
/// Verified against its recorded hashes on every call (start and each reload).
pub fn system(cache_dir: &Path) -> Result<Dictionary, DictionaryError> {
    let dir = ensure_built(cache_dir)?;
    verify(&dir)?;
    if let Some(dict) = SYSTEM.get() {
        return Ok(dict.clone());
    }
    let dict = load_fs_dictionary(&dir).map_err(|e| DictionaryError::Load {
        path: dir.clone(),
        reason: e.to_string(),
    })?;
    Ok(SYSTEM.get_or_init(|| dict).clone())
}
