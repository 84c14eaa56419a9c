//! Importing what municipalities already publish: the Digital Agency's standard open
//! datasets (自治体標準オープンデータセット: 公共施設一覧, 介護サービス事業所一覧,
//! 医療機関一覧; CSV in Shift_JIS or UTF-8, with or without BOM) and Open Referral HSDS
//! 3.0 JSON (what `/api/export/hsds` writes). Each imported record cites its file and
//! row: the row itself is the verbatim excerpt its phone, hours and address are proven
//! against, as for hand-written content. Records are written to
//! `content/<slug>/imported-<file>.toml` (+ `.sources.toml`), marked `imported`, and only
//! after the whole content, with them, passes `tsunagu check`: a bad row means
//! `file:line: reason` and nothing written.

mod hsds;
mod opendata;
mod toml_out;

use std::path::{Path, PathBuf};

pub use opendata::Dataset;

/// What the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Open(Dataset),
    Hsds,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "facilities" | "公共施設一覧" => Format::Open(Dataset::Facilities),
            "care" | "介護サービス事業所一覧" => Format::Open(Dataset::Care),
            "medical" | "医療機関一覧" => Format::Open(Dataset::Medical),
            "hsds" => Format::Hsds,
            _ => return None,
        })
    }
}

/// One record read from a row, before it is written as content.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// 1-based line (CSV) or `services[i]` (HSDS), for `imported` and messages.
    pub at: String,
    pub key: String,
    pub kind: &'static str,
    pub title: String,
    pub summary: String,
    pub topics: Vec<String>,
    pub audience: Vec<String>,
    pub keywords: Vec<String>,
    pub phone: Option<String>,
    pub hours: Option<String>,
    pub address: Option<String>,
    pub url: Option<String>,
    /// The verbatim text of the row (the source excerpt).
    pub excerpts: Vec<String>,
}

/// How to import.
pub struct Options<'a> {
    pub content: &'a Path,
    pub city: &'a str,
    pub format: Format,
    pub file: &'a Path,
    /// The date of the data (`--as-of`); undated otherwise (residents are told so).
    pub as_of: Option<String>,
    /// Rows without a phone send residents here (a record id with a verified phone).
    pub fallback: Option<String>,
    /// Check only; write nothing.
    pub dry_run: bool,
}

/// What was (or would be) written.
#[derive(Debug)]
pub struct Written {
    pub records: usize,
    pub files: Vec<PathBuf>,
}

/// Reads `opts.file`, checks the records with the whole content, writes them.
/// Errors are `file:line: reason` lines, every one found.
pub fn import(opts: &Options<'_>) -> Result<Written, Vec<String>> {
    let name = opts
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let bytes = std::fs::read(opts.file).map_err(|e| vec![format!("{name}: cannot read: {e}")])?;
    let drafts = match opts.format {
        Format::Open(d) => opendata::read(&name, &bytes, d)?,
        Format::Hsds => hsds::read(&name, &bytes)?,
    };
    if drafts.is_empty() {
        return Err(vec![format!("{name}: no rows to import")]);
    }
    let stem = toml_out::stem(&name);
    let (records, sources) = toml_out::render(opts, &name, &stem, &drafts);
    let folder = opts.content.join(opts.city);
    if !folder.join("city.toml").is_file() {
        return Err(vec![format!(
            "{}: no municipality {:?} (create it with `tsunagu city new {}`)",
            folder.display(),
            opts.city,
            opts.city
        )]);
    }
    let files = vec![
        folder.join(format!("imported-{stem}.toml")),
        folder.join(format!("imported-{stem}.sources.toml")),
    ];
    check_with(opts.content, opts.city, &files, [&records, &sources])?;
    if !opts.dry_run {
        for (path, text) in files.iter().zip([&records, &sources]) {
            std::fs::write(path, text).map_err(|e| vec![format!("{}: cannot write: {e}", path.display())])?;
        }
    }
    Ok(Written {
        records: drafts.len(),
        files,
    })
}

/// Loads the content as it would be with `texts` written to `files`, in a scratch copy
/// (links to every other entry): the import is written only if this passes.
fn check_with(content: &Path, city: &str, files: &[PathBuf], texts: [&String; 2]) -> Result<(), Vec<String>> {
    let scratch = std::env::temp_dir().join(format!("tsunagu-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let io = |e: std::io::Error| vec![format!("preparing the check: {e}")];
    std::fs::create_dir_all(scratch.join(city)).map_err(io)?;
    let link = |from: &Path, to: &Path| -> std::io::Result<()> {
        let from = std::fs::canonicalize(from)?;
        #[cfg(unix)]
        return std::os::unix::fs::symlink(from, to);
        #[cfg(not(unix))]
        return std::fs::copy(from, to).map(|_| ());
    };
    let result = (|| -> std::io::Result<()> {
        for e in std::fs::read_dir(content)?.flatten() {
            if e.file_name() != city {
                link(&e.path(), &scratch.join(e.file_name()))?;
            }
        }
        for e in std::fs::read_dir(content.join(city))?.flatten() {
            if !files.iter().any(|f| f.file_name() == Some(&e.file_name())) {
                link(&e.path(), &scratch.join(city).join(e.file_name()))?;
            }
        }
        for (f, t) in files.iter().zip(texts) {
            std::fs::write(scratch.join(city).join(f.file_name().unwrap_or_default()), t)?;
        }
        Ok(())
    })();
    result.map_err(io)?;
    let loaded = crate::content::load(&scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    loaded.map(|_| ()).map_err(|e| e.0.iter().map(|e| e.to_string()).collect())
}
