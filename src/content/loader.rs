//! The loader's state while content is read: the texts read so far (for line numbers),
//! every mistake found, and what the parts of validation (records, provenance,
//! references, links, danger rules) hand on to each other. The parts add their own
//! `impl Loader` blocks; this file knows none of them.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::date::Date;
use super::{ContentError, ContentErrors};

/// A municipality's own settings, in its folder.
pub(super) const CITY_FILE: &str = "city.toml";
pub(super) const TAXONOMY: &str = "taxonomy.toml";
pub(super) const SOURCES: &str = "sources.toml";
pub(super) const ANALYSIS: &str = "analysis.toml";
pub(super) const LEXICON: &str = "lexicon.toml";
pub(super) const EMERGENCY: &str = "emergency.toml";
pub(super) const DETECTOR: &str = "detector.toml";
pub(super) const COVERAGE: &str = "coverage.toml";
pub(super) const SETTINGS: &str = "settings.toml";

/// Spans of a record's references, checked once all records are known.
pub(super) struct RecordRefs {
    pub(super) file: String,
    pub(super) plan: Vec<Spanned<String>>,
    pub(super) fallback: Option<Spanned<String>>,
    pub(super) id_span: Range<usize>,
}

pub(super) struct Loader {
    pub(super) dir: PathBuf,
    pub(super) texts: HashMap<String, String>,
    pub(super) errors: Vec<ContentError>,
    /// Things an editor should look at that do not stop the content from loading.
    pub(super) warnings: Vec<ContentError>,
    pub(super) hasher: Sha256,
    pub(super) pending_refs: Vec<RecordRefs>,
    /// "Today" for the age of sources (passed in so tests are deterministic).
    pub(super) today: Date,
    pub(super) stale_after_years: u32,
    pub(super) never_stale: Vec<String>,
}

impl Loader {
    pub(super) fn new(dir: &Path, today: Date) -> Self {
        Loader {
            dir: dir.to_path_buf(),
            texts: HashMap::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            hasher: Sha256::new(),
            pending_refs: Vec::new(),
            today,
            stale_after_years: 3,
            never_stale: Vec::new(),
        }
    }

    pub(super) fn err(
        &mut self,
        file: &str,
        span: Range<usize>,
        key: &str,
        reason: impl Into<String>,
    ) {
        let line = self
            .texts
            .get(file)
            .map(|t| t[..span.start.min(t.len())].matches('\n').count() + 1)
            .unwrap_or(1);
        self.errors.push(ContentError {
            file: file.to_string(),
            line,
            key: key.to_string(),
            reason: reason.into(),
        });
    }

    /// Like `err`, but the content still loads (`check` prints it as a warning).
    pub(super) fn warn(
        &mut self,
        file: &str,
        span: Range<usize>,
        key: &str,
        reason: impl Into<String>,
    ) {
        self.err(file, span, key, reason);
        if let Some(w) = self.errors.pop() {
            self.warnings.push(w);
        }
    }

    pub(super) fn read<T: DeserializeOwned>(&mut self, rel: &str) -> Option<T> {
        let path = self.dir.join(rel);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    self.err(rel, 0..0, "(file)", "the file is not UTF-8 text");
                    return None;
                }
            },
            Err(e) => {
                self.err(rel, 0..0, "(file)", format!("cannot read the file: {e}"));
                return None;
            }
        };
        self.hasher.update(rel.as_bytes());
        self.hasher.update([0]);
        self.hasher.update(text.as_bytes());
        self.texts.insert(rel.to_string(), text);
        let parsed = toml::from_str::<T>(&self.texts[rel]);
        match parsed {
            Ok(v) => Some(v),
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                let msg = e.message().trim().to_string();
                let key = key_from_message(&msg);
                self.err(rel, span, &key, msg);
                None
            }
        }
    }

    pub(super) fn finish<T>(self, value: Option<T>) -> Result<T, ContentErrors> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(ContentErrors(self.errors)),
        }
    }
}

/// `sources.toml` or `<name>.sources.toml`.
pub(super) fn is_sources_file(p: &std::path::Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == SOURCES || n.ends_with(".sources.toml"))
}

/// Pulls the key name out of serde's messages ("unknown field `phnoe`, expected …").
fn key_from_message(msg: &str) -> String {
    msg.split('`')
        .nth(1)
        .map(str::to_string)
        .unwrap_or_else(|| "(syntax)".to_string())
}
