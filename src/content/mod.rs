//! Content: the TOML files in `content/` that city employees edit, read and validated.
//!
//! `load` reads every file, checks everything it can and returns either a [`Catalog`] or
//! every mistake found, each as `file:line: key: reason` so an editor can fix them all in
//! one pass. A catalog with a mistake is never returned, so nothing broken is indexed.

mod cities;
mod contact;
mod danger;
mod date;
mod links;
mod loader;
mod model;
mod place;
mod provenance;
mod raw;
mod records;
mod refs;
mod sources;
pub mod onboard;
pub mod report;
pub mod synth;
mod validate;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

pub use contact::*;
pub use model::*;
pub use provenance::{normalise, phone_in, text_in, Date};
pub use validate::phone_is_valid;

use crate::analysis::AnalysisConfig;

/// One mistake in a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// Path relative to the content folder, e.g. `sagamihara/windows.toml`.
    pub file: String,
    pub line: usize,
    pub key: String,
    pub reason: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.key, self.reason
        )
    }
}

/// Every mistake found in one pass over the content folder.
#[derive(Debug, Clone)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        write!(f, "{} error(s) in content", self.0.len())
    }
}

impl std::error::Error for ContentErrors {}

/// Reads and validates the whole content folder.
pub fn load(dir: &Path) -> Result<Catalog, ContentErrors> {
    load_on(dir, Date::today())
}

/// Like [`load`], with the date that sources' ages are measured from (tests pass a
/// fixed one so stale notices do not change with the calendar).
pub fn load_on(dir: &Path, today: Date) -> Result<Catalog, ContentErrors> {
    loader::Loader::new(dir, today).load()
}

/// Reads only `analysis.toml` (the analyser is needed before records are indexed).
pub fn load_analysis_config(dir: &Path) -> Result<AnalysisConfig, ContentErrors> {
    loader::Loader::new(dir, Date::today()).analysis_only()
}

/// All `.toml` files under `dir`, sorted, as paths relative to `dir`.
fn toml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path.strip_prefix(dir).unwrap_or(&path).to_path_buf());
            }
        }
    }
    out.sort();
    Ok(out)
}
