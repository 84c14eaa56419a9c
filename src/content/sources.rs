//! Sources: `sources.toml` (the project's and each municipality's), their dates and
//! verbatim excerpts, and how a record's claim names one.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use super::contact::{Confidence, Source, SourceInfo};
use super::loader::{is_sources_file, Loader, SOURCES};
use super::raw::*;
use super::validate::date_is_valid;

impl Loader {
    /// `sources.toml`, and each municipality folder's own `<slug>/…sources.toml` (a
    /// municipality joins with its folder alone; `tsunagu import` writes
    /// `<slug>/imported-<file>.sources.toml`). An id is defined once in all of them.
    pub(super) fn sources(
        &mut self,
        files: &[std::path::PathBuf],
    ) -> Option<HashMap<String, Source>> {
        let mut out = HashMap::new();
        self.sources_in(SOURCES, &mut out)?;
        for rel in files
            .iter()
            .filter(|p| p.components().count() == 2 && is_sources_file(p))
        {
            let rel = rel.to_string_lossy().replace('\\', "/");
            self.sources_in(&rel, &mut out);
        }
        Some(out)
    }

    fn sources_in(&mut self, file: &str, out: &mut HashMap<String, Source>) -> Option<()> {
        let raw: SourcesFile = self.read(file)?;
        for (id, s) in raw.source {
            let span = s.span();
            if out.contains_key(&id) {
                self.err(file, span.clone(), &format!("source.{id}"), format!("the source id {id} is defined twice (ids are shared by every sources.toml)"));
            }
            let s = s.into_inner();
            let confidence = match s.confidence.get_ref().as_str() {
                "high" => Confidence::High,
                "medium" => Confidence::Medium,
                "low" => Confidence::Low,
                other => {
                    self.err(file, s.confidence.span(), &format!("source.{id}.confidence"), format!("{other:?} is not high, medium or low (low sources may only back a record's `lead`)"));
                    Confidence::Medium
                }
            };
            let dates = [("date", &s.date, "2023-03 or 2023-03-01"), ("seen", &s.seen, "2026-11-29")];
            for (field, d, like) in dates {
                let Some(d) = d.as_ref().filter(|d| !date_is_valid(d.get_ref())) else { continue };
                let reason = format!("{:?} is not a date like {like}", d.get_ref());
                self.err(file, d.span(), &format!("source.{id}.{field}"), reason);
            }
            if s.title.get_ref().trim().is_empty() {
                self.err(
                    file,
                    span,
                    &format!("source.{id}.title"),
                    "the title is empty",
                );
            }
            out.insert(
                id.clone(),
                Source::new(SourceInfo {
                    title: s.title.into_inner(),
                    url: s.url,
                    date: s.date.map(Spanned::into_inner),
                    id,
                    confidence,
                    seen: s.seen.map(Spanned::into_inner),
                    via: s.via,
                    excerpts: s.excerpts.into_iter().map(Spanned::into_inner).collect(),
                }),
            );
        }
        Some(())
    }

    pub(super) fn source(
        &mut self,
        file: &str,
        key: &str,
        id: Option<&Spanned<String>>,
        span: Range<usize>,
        sources: &HashMap<String, Source>,
    ) -> Option<Source> {
        match id {
            None => {
                self.err(
                    file,
                    span,
                    key,
                    "no source: every contact needs `source = \"<id in sources.toml>\"`",
                );
                None
            }
            Some(id) => match sources.get(id.get_ref()) {
                Some(s) if s.confidence == Confidence::Low => {
                    self.err(file, id.span(), key, format!("{} is a low-confidence source: it may back a `lead` for editors, never what residents see", id.get_ref()));
                    None
                }
                Some(s) => Some(s.clone()),
                None => {
                    self.err(
                        file,
                        id.span(),
                        key,
                        format!("unknown source {:?} (not in sources.toml)", id.get_ref()),
                    );
                    None
                }
            },
        }
    }
}
