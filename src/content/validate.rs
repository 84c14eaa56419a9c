//! Turns raw files into a [`Catalog`], collecting every mistake with its file and line.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::model::*;
use super::raw::*;
use super::{toml_files, ContentError, ContentErrors};
use crate::analysis::{hex, normalize, AnalysisConfig, VariantTable};
use crate::messages;

const TAXONOMY: &str = "taxonomy.toml";
const SOURCES: &str = "sources.toml";
const ANALYSIS: &str = "analysis.toml";
const LEXICON: &str = "lexicon.toml";
const EMERGENCY: &str = "emergency.toml";
const COVERAGE: &str = "coverage.toml";

/// A phone number residents can dial: a 10–11 digit number starting with 0 written with
/// hyphens (042-769-9222, 0120-279-338), a 3-digit emergency number (110, 189) or a
/// #-short number (#8008).
pub fn phone_is_valid(p: &str) -> bool {
    let b = p.as_bytes();
    if b.len() == 3 && b.iter().all(u8::is_ascii_digit) {
        return true;
    }
    if b.len() == 5 && b[0] == b'#' && b[1..].iter().all(u8::is_ascii_digit) {
        return true;
    }
    let groups: Vec<&str> = p.split('-').collect();
    let digits: usize = groups.iter().map(|g| g.len()).sum();
    groups.len() >= 2
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|c| c.is_ascii_digit()))
        && p.starts_with('0')
        && (10..=11).contains(&digits)
}

fn date_is_valid(d: &str) -> bool {
    let parts: Vec<&str> = d.split('-').collect();
    let ok_num = |s: &str, len: usize, max: u32| {
        s.len() == len && s.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
    };
    match parts.as_slice() {
        [y] => ok_num(y, 4, 9999),
        [y, m] => ok_num(y, 4, 9999) && ok_num(m, 2, 12),
        [y, m, day] => ok_num(y, 4, 9999) && ok_num(m, 2, 12) && ok_num(day, 2, 31),
        _ => false,
    }
}

pub(super) struct Loader {
    dir: PathBuf,
    texts: HashMap<String, String>,
    errors: Vec<ContentError>,
    hasher: Sha256,
    pending_refs: Vec<RecordRefs>,
}

struct Taxonomy {
    cities: Vec<CityInfo>,
    raw_general: Vec<(String, City, Spanned<String>)>,
    topics: Vec<String>,
    audiences: Vec<String>,
    functions: Vec<String>,
    needs: Vec<Need>,
}

impl Loader {
    pub(super) fn new(dir: &Path) -> Self {
        Loader {
            dir: dir.to_path_buf(),
            texts: HashMap::new(),
            errors: Vec::new(),
            hasher: Sha256::new(),
            pending_refs: Vec::new(),
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

    fn read<T: DeserializeOwned>(&mut self, rel: &str) -> Option<T> {
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

    fn finish<T>(self, value: Option<T>) -> Result<T, ContentErrors> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(ContentErrors(self.errors)),
        }
    }

    pub(super) fn analysis_only(mut self) -> Result<AnalysisConfig, ContentErrors> {
        let cfg = self.analysis();
        self.finish(cfg)
    }

    fn analysis(&mut self) -> Option<AnalysisConfig> {
        let raw: AnalysisFile = self.read(ANALYSIS)?;
        Some(AnalysisConfig {
            variants: raw.variants.into_iter().collect(),
            user_words: raw.user_words.into_iter().collect(),
        })
    }

    pub(super) fn load(mut self) -> Result<Catalog, ContentErrors> {
        let analysis = self.analysis();
        let taxonomy = self.taxonomy();
        let sources = self.sources();
        let (Some(analysis), Some(tax), Some(sources)) = (analysis, taxonomy, sources) else {
            return Err(ContentErrors(self.errors));
        };
        let variants = VariantTable::new(
            analysis
                .variants
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str())),
        );

        let files = match toml_files(&self.dir) {
            Ok(f) => f,
            Err(e) => {
                self.err(
                    ".",
                    0..0,
                    "(folder)",
                    format!("cannot list the content folder: {e}"),
                );
                return Err(ContentErrors(self.errors));
            }
        };
        let mut records = Vec::new();
        let mut raw_routes = Vec::new();
        for rel in files.iter().filter(|p| p.components().count() > 1) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if let Some(file) = self.read::<RecordFile>(&rel) {
                self.records(&rel, file, &tax, &sources, &mut records, &mut raw_routes);
            }
        }
        let by_id = self.index_records(&records);
        self.check_references(&records, &by_id);
        let routes = self.routes(raw_routes, &records, &by_id, &tax);
        let concepts = self.lexicon(&tax, &variants).unwrap_or_default();
        let need_ids: HashSet<String> = tax.needs.iter().map(|n| n.id.clone()).collect();
        let dangers = self
            .emergency(&records, &by_id, &variants, &need_ids)
            .unwrap_or_default();
        let coverage = self.coverage(&by_id).unwrap_or_default();
        let mut cities = tax.cities.clone();
        for (file, city, id) in &tax.raw_general {
            match by_id.get(id.get_ref()).map(|&i| &records[i]) {
                Some(r) if r.has_phone() => {
                    if let Some(c) = cities.iter_mut().find(|c| c.id == *city) {
                        c.general.push(id.get_ref().clone());
                    }
                }
                Some(_) => self.err(
                    file,
                    id.span(),
                    "city.general",
                    format!("record {} has no phone to show", id.get_ref()),
                ),
                None => self.err(
                    file,
                    id.span(),
                    "city.general",
                    format!("no record has the id {}", id.get_ref()),
                ),
            }
        }
        let hash = hex(&std::mem::take(&mut self.hasher).finalize());
        let catalog = Catalog {
            records,
            routes,
            needs: tax.needs,
            cities,
            topics: tax.topics,
            audiences: tax.audiences,
            functions: tax.functions,
            concepts,
            dangers,
            coverage,
            analysis,
            hash,
            by_id,
        };
        self.finish(Some(catalog))
    }

    fn taxonomy(&mut self) -> Option<Taxonomy> {
        let raw: TaxonomyFile = self.read(TAXONOMY)?;
        let f = TAXONOMY;
        let mut cities = Vec::new();
        let mut raw_general = Vec::new();
        for c in raw.city {
            let c = c.into_inner();
            match City::parse(c.id.get_ref()) {
                Some(id) => {
                    cities.push(CityInfo {
                        id,
                        name: c.name.into_inner(),
                        general: Vec::new(),
                    });
                    raw_general.extend(c.general.into_iter().map(|g| (f.to_string(), id, g)));
                }
                None => self.err(
                    f,
                    c.id.span(),
                    "city.id",
                    format!(
                        "unknown city {:?}; use sagamihara, tsuruoka or national",
                        c.id.get_ref()
                    ),
                ),
            }
        }
        let list =
            |v: Vec<Spanned<String>>| v.into_iter().map(Spanned::into_inner).collect::<Vec<_>>();
        let topics = list(raw.topics);
        let mut needs = Vec::new();
        let mut seen = HashSet::new();
        for n in raw.need {
            let n = n.into_inner();
            if !seen.insert(n.id.get_ref().clone()) {
                self.err(
                    f,
                    n.id.span(),
                    "need.id",
                    format!("duplicate need id {}", n.id.get_ref()),
                );
            }
            if !topics.contains(n.topic.get_ref()) {
                self.err(
                    f,
                    n.topic.span(),
                    "need.topic",
                    format!("unknown topic {:?}", n.topic.get_ref()),
                );
            }
            needs.push(Need {
                id: n.id.into_inner(),
                label: n.label.into_inner(),
                label_en: n.label_en,
                topic: n.topic.into_inner(),
                suggestions: n.suggestions,
            });
        }
        Some(Taxonomy {
            cities,
            raw_general,
            topics,
            audiences: list(raw.audiences),
            functions: list(raw.functions),
            needs,
        })
    }

    fn sources(&mut self) -> Option<HashMap<String, Source>> {
        let raw: SourcesFile = self.read(SOURCES)?;
        let mut out = HashMap::new();
        for (id, s) in raw.source {
            let span = s.span();
            let s = s.into_inner();
            let confidence = match s.confidence.get_ref().as_str() {
                "high" => Confidence::High,
                "medium" => Confidence::Medium,
                other => {
                    self.err(SOURCES, s.confidence.span(), &format!("source.{id}.confidence"), format!("{other:?} is not high or medium (low-confidence facts are never shown; list them as gaps instead)"));
                    Confidence::Medium
                }
            };
            if let Some(d) = &s.date {
                if !date_is_valid(d.get_ref()) {
                    self.err(
                        SOURCES,
                        d.span(),
                        &format!("source.{id}.date"),
                        format!("{:?} is not a date like 2023-03 or 2023-03-01", d.get_ref()),
                    );
                }
            }
            if s.title.get_ref().trim().is_empty() {
                self.err(
                    SOURCES,
                    span,
                    &format!("source.{id}.title"),
                    "the title is empty",
                );
            }
            out.insert(
                id.clone(),
                Source {
                    title: s.title.into_inner(),
                    url: s.url,
                    date: s.date.map(Spanned::into_inner),
                    id,
                    confidence,
                },
            );
        }
        Some(out)
    }

    fn source(
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

    fn records(
        &mut self,
        file: &str,
        raw: RecordFile,
        tax: &Taxonomy,
        sources: &HashMap<String, Source>,
        out: &mut Vec<Record>,
        routes: &mut Vec<(String, City, Spanned<RawRoute>)>,
    ) {
        let Some(city) = City::parse(raw.city.get_ref()) else {
            self.err(
                file,
                raw.city.span(),
                "city",
                format!(
                    "unknown city {:?}; use sagamihara, tsuruoka or national",
                    raw.city.get_ref()
                ),
            );
            return;
        };
        routes.extend(raw.route.into_iter().map(|r| (file.to_string(), city, r)));
        for rec in raw.record {
            let rspan = rec.span();
            let r = rec.into_inner();
            let id = r.id.get_ref().clone();
            let key = |k: &str| format!("record[{id}].{k}");
            let kind = Kind::parse(r.kind.get_ref()).unwrap_or_else(|| {
                self.err(
                    file,
                    r.kind.span(),
                    &key("kind"),
                    format!(
                        "unknown kind {:?}; use window, service, activity, hotline or plan",
                        r.kind.get_ref()
                    ),
                );
                Kind::Service
            });
            if id.trim().is_empty() || id.contains(char::is_whitespace) {
                self.err(
                    file,
                    r.id.span(),
                    "record.id",
                    "the id is empty or has spaces",
                );
            }
            if r.title.get_ref().trim().is_empty() {
                self.err(file, r.title.span(), &key("title"), "the title is empty");
            }
            for t in &r.topics {
                if !tax.topics.contains(t.get_ref()) {
                    self.err(
                        file,
                        t.span(),
                        &key("topics"),
                        format!("unknown topic {:?} (see taxonomy.toml)", t.get_ref()),
                    );
                }
            }
            if r.topics.is_empty() {
                self.err(
                    file,
                    r.id.span(),
                    &key("topics"),
                    "a record needs at least one topic",
                );
            }
            for a in &r.audience {
                if !tax.audiences.contains(a.get_ref()) {
                    self.err(
                        file,
                        a.span(),
                        &key("audience"),
                        format!("unknown audience {:?} (see taxonomy.toml)", a.get_ref()),
                    );
                }
            }
            if let Some(fun) = &r.function {
                if !tax.functions.contains(fun.get_ref()) {
                    self.err(
                        file,
                        fun.span(),
                        &key("function"),
                        format!("unknown function {:?} (see taxonomy.toml)", fun.get_ref()),
                    );
                }
            }
            let mut contacts = Vec::new();
            for c in r.contact {
                let cspan = c.span();
                let c = c.into_inner();
                if c.name.get_ref().trim().is_empty() {
                    self.err(
                        file,
                        c.name.span(),
                        &key("contact.name"),
                        "the contact name is empty",
                    );
                }
                for (k, v) in [("contact.phone", &c.phone), ("contact.fax", &c.fax)] {
                    if let Some(p) = v {
                        if !phone_is_valid(p.get_ref()) {
                            self.err(file, p.span(), &key(k), format!("{:?} is not a phone number like 042-769-9222, 0120-279-338, 189 or #8008", p.get_ref()));
                        }
                    }
                }
                if let Some(e) = &c.email {
                    if !e.get_ref().contains('@') || e.get_ref().contains(char::is_whitespace) {
                        self.err(
                            file,
                            e.span(),
                            &key("contact.email"),
                            format!("{:?} is not an email address", e.get_ref()),
                        );
                    }
                }
                let Some(source) = self.source(
                    file,
                    &key("contact.source"),
                    c.source.as_ref(),
                    cspan,
                    sources,
                ) else {
                    continue;
                };
                let as_of = (source.confidence == Confidence::Medium)
                    .then(|| messages::as_of(source.date.as_deref()));
                contacts.push(std::sync::Arc::new(Contact {
                    tel: c.phone.as_ref().map(|p| tel_uri(p.get_ref())),
                    name: c.name.into_inner(),
                    phone: c.phone.map(Spanned::into_inner),
                    fax: c.fax.map(Spanned::into_inner),
                    email: c.email.map(Spanned::into_inner),
                    hours: c.hours,
                    address: c.address,
                    url: c.url,
                    confidence: source.confidence,
                    source,
                    as_of,
                    note: c.note,
                }));
            }
            // The record's own source: explicit, else the file's, else its first contact's.
            let record_source = match r.source.as_ref().or(raw.source.as_ref()) {
                Some(id) => self.source(file, &key("source"), Some(id), r.id.span(), sources),
                None => match contacts.first() {
                    Some(c) => Some(c.source.clone()),
                    None => {
                        self.err(file, r.id.span(), &key("source"), "no source: set `source` on the record, at the top of the file, or on a contact");
                        None
                    }
                },
            };
            let has_phone = contacts.iter().any(|c| c.phone.is_some());
            if !has_phone && kind != Kind::Plan && r.fallback.is_none() {
                self.err(file, rspan.clone(), &key("fallback"), "a record without a phone needs `fallback = \"<id>\"`: the verified window residents should call meanwhile");
            }
            let Some(source) = record_source else {
                continue;
            };
            out.push(Record {
                id,
                kind,
                title: r.title.into_inner(),
                summary: r.summary.map(Spanned::into_inner).unwrap_or_default(),
                city,
                topics: r.topics.into_iter().map(Spanned::into_inner).collect(),
                audience: r.audience.into_iter().map(Spanned::into_inner).collect(),
                function: r.function.map(Spanned::into_inner),
                keywords: r.keywords,
                contacts,
                plan: r.plan.iter().map(|p| p.get_ref().clone()).collect(),
                source,
                fallback: r.fallback.as_ref().map(|f| f.get_ref().clone()),
                group: r.group.clone(),
                gap: r.gap,
            });
            // Keep spans of references for the cross-record checks.
            let refs = RecordRefs {
                file: file.to_string(),
                plan: r.plan,
                fallback: r.fallback,
                id_span: r.id.span(),
            };
            self.pending_refs.push(refs);
        }
    }
}

/// Spans of a record's references, checked once all records are known.
pub(super) struct RecordRefs {
    file: String,
    plan: Vec<Spanned<String>>,
    fallback: Option<Spanned<String>>,
    id_span: Range<usize>,
}

impl Loader {
    fn index_records(&mut self, records: &[Record]) -> HashMap<String, usize> {
        let mut by_id = HashMap::new();
        let refs = std::mem::take(&mut self.pending_refs);
        for (i, r) in records.iter().enumerate() {
            if by_id.insert(r.id.clone(), i).is_some() {
                let rf = &refs[i];
                self.err(
                    &rf.file,
                    rf.id_span.clone(),
                    "record.id",
                    format!("duplicate id {}", r.id),
                );
            }
        }
        self.pending_refs = refs;
        by_id
    }

    fn check_references(&mut self, records: &[Record], by_id: &HashMap<String, usize>) {
        let refs = std::mem::take(&mut self.pending_refs);
        for (r, rf) in records.iter().zip(refs.iter()) {
            for p in &rf.plan {
                match by_id.get(p.get_ref()).map(|&i| &records[i]) {
                    Some(t) if t.kind == Kind::Plan => {}
                    Some(_) => self.err(
                        &rf.file,
                        p.span(),
                        &format!("record[{}].plan", r.id),
                        format!("{} is not a plan record", p.get_ref()),
                    ),
                    None => self.err(
                        &rf.file,
                        p.span(),
                        &format!("record[{}].plan", r.id),
                        format!("no record has the id {}", p.get_ref()),
                    ),
                }
            }
            if let Some(fb) = &rf.fallback {
                match by_id.get(fb.get_ref()).map(|&i| &records[i]) {
                    Some(t) if !t.has_phone() => self.err(
                        &rf.file,
                        fb.span(),
                        &format!("record[{}].fallback", r.id),
                        format!(
                            "{} has no phone either; point at a window with a verified phone",
                            fb.get_ref()
                        ),
                    ),
                    Some(t) if t.city != r.city && t.city != City::National => self.err(
                        &rf.file,
                        fb.span(),
                        &format!("record[{}].fallback", r.id),
                        format!("{} belongs to another city", fb.get_ref()),
                    ),
                    Some(_) => {}
                    None => self.err(
                        &rf.file,
                        fb.span(),
                        &format!("record[{}].fallback", r.id),
                        format!("no record has the id {}", fb.get_ref()),
                    ),
                }
            }
        }
    }

    fn routes(
        &mut self,
        raw: Vec<(String, City, Spanned<RawRoute>)>,
        records: &[Record],
        by_id: &HashMap<String, usize>,
        tax: &Taxonomy,
    ) -> Vec<Route> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for (file, city, route) in raw {
            let span = route.span();
            let r = route.into_inner();
            let id = r.id.get_ref().clone();
            if !seen.insert(id.clone()) {
                self.err(
                    &file,
                    r.id.span(),
                    "route.id",
                    format!("duplicate route id {id}"),
                );
            }
            if !tax.needs.iter().any(|n| n.id == *r.need.get_ref()) {
                self.err(
                    &file,
                    r.need.span(),
                    &format!("route[{id}].need"),
                    format!("unknown need {:?} (see taxonomy.toml)", r.need.get_ref()),
                );
            }
            if !(2..=4).contains(&r.step.len()) {
                self.err(
                    &file,
                    span,
                    &format!("route[{id}].step"),
                    format!("a route has 2 to 4 steps, this one has {}", r.step.len()),
                );
            }
            let mut steps = Vec::new();
            for s in r.step {
                let s = s.into_inner();
                if let Some(rec) = &s.record {
                    match by_id.get(rec.get_ref()).map(|&i| &records[i]) {
                        Some(t) if t.city != city && t.city != City::National => self.err(
                            &file,
                            rec.span(),
                            &format!("route[{id}].step.record"),
                            format!("{} belongs to another city", rec.get_ref()),
                        ),
                        Some(_) => {}
                        None => self.err(
                            &file,
                            rec.span(),
                            &format!("route[{id}].step.record"),
                            format!("no record has the id {}", rec.get_ref()),
                        ),
                    }
                }
                steps.push(RouteStep {
                    text: s.text.into_inner(),
                    record: s.record.map(Spanned::into_inner),
                });
            }
            out.push(Route {
                id,
                city,
                need: r.need.into_inner(),
                title: r.title.into_inner(),
                steps,
            });
        }
        out
    }

    fn lexicon(&mut self, tax: &Taxonomy, variants: &VariantTable) -> Option<Vec<Concept>> {
        let raw: LexiconFile = self.read(LEXICON)?;
        let mut out = Vec::new();
        for c in raw.concept {
            let c = c.into_inner();
            if !tax.needs.iter().any(|n| n.id == *c.need.get_ref()) {
                self.err(
                    LEXICON,
                    c.need.span(),
                    "concept.need",
                    format!("unknown need {:?} (see taxonomy.toml)", c.need.get_ref()),
                );
            }
            let mut triggers = Vec::new();
            for t in &c.triggers {
                let n = normalize::normalize(t.get_ref(), variants).text;
                if n.trim().is_empty() {
                    self.err(
                        LEXICON,
                        t.span(),
                        "concept.triggers",
                        "an empty trigger would match every question",
                    );
                } else {
                    triggers.push(n);
                }
            }
            out.push(Concept {
                need: c.need.into_inner(),
                triggers,
                expand: c.expand,
                fallback: c.fallback,
            });
        }
        Some(out)
    }

    fn emergency(
        &mut self,
        records: &[Record],
        by_id: &HashMap<String, usize>,
        variants: &VariantTable,
        needs: &HashSet<String>,
    ) -> Option<Vec<Danger>> {
        let raw: EmergencyFile = self.read(EMERGENCY)?;
        let mut out = Vec::new();
        for d in raw.danger {
            let d = d.into_inner();
            let id = d.id.get_ref().clone();
            let check = |this: &mut Self, rid: &Spanned<String>, key: &str| match by_id
                .get(rid.get_ref())
                .map(|&i| &records[i])
            {
                Some(r) if r.has_phone() => true,
                Some(_) => {
                    this.err(
                        EMERGENCY,
                        rid.span(),
                        key,
                        format!(
                            "{} has no phone; crisis lines must be callable",
                            rid.get_ref()
                        ),
                    );
                    false
                }
                None => {
                    this.err(
                        EMERGENCY,
                        rid.span(),
                        key,
                        format!("no record has the id {}", rid.get_ref()),
                    );
                    false
                }
            };
            let mut hotlines = Vec::new();
            for h in &d.hotlines {
                if check(self, h, &format!("danger[{id}].hotlines")) {
                    hotlines.push(h.get_ref().clone());
                }
            }
            let mut city = HashMap::new();
            for (name, ids) in &d.city {
                let Some(c) = City::parse(name) else {
                    self.err(
                        EMERGENCY,
                        d.id.span(),
                        &format!("danger[{id}].city"),
                        format!("unknown city {name:?}"),
                    );
                    continue;
                };
                let ok: Vec<String> = ids
                    .iter()
                    .filter(|h| check(self, h, &format!("danger[{id}].city.{name}")))
                    .map(|h| h.get_ref().clone())
                    .collect();
                city.insert(c, ok);
            }
            if let Some(n) = &d.need {
                if !needs.contains(n.get_ref()) {
                    self.err(
                        EMERGENCY,
                        n.span(),
                        &format!("danger[{id}].need"),
                        format!("unknown need {:?} (see taxonomy.toml)", n.get_ref()),
                    );
                }
            }
            let combos = self.danger_combos(&d.combos, &raw.terms, &id, variants);
            let norm = |s: &str| normalize::normalize(s, variants).text;
            out.push(Danger {
                keywords: d.keywords.iter().map(|p| norm(p.get_ref())).collect(),
                calm_if: d.calm_if.iter().map(|p| norm(p)).collect(),
                not_with: d.not_with.iter().map(|p| norm(p)).collect(),
                combos,
                need: d.need.as_ref().map(|n| n.get_ref().clone()),
                id,
                message: d.message.into_inner(),
                message_en: d.message_en,
                phrases: d
                    .phrases
                    .iter()
                    .map(|p| norm(p.get_ref()))
                    .filter(|p| !p.is_empty())
                    .collect(),
                unless: d.unless.iter().map(|p| norm(p)).collect(),
                hotlines,
                city,
            });
        }
        Some(out)
    }

    fn coverage(&mut self, by_id: &HashMap<String, usize>) -> Option<Vec<CoverageItem>> {
        if !self.dir.join(COVERAGE).exists() {
            return Some(Vec::new());
        }
        let raw: CoverageFile = self.read(COVERAGE)?;
        let mut out = Vec::new();
        for item in raw.item {
            let item = item.into_inner();
            for r in &item.records {
                if !by_id.contains_key(r.get_ref()) {
                    self.err(
                        COVERAGE,
                        r.span(),
                        "item.records",
                        format!("no record has the id {}", r.get_ref()),
                    );
                }
            }
            if item.records.is_empty() {
                self.err(
                    COVERAGE,
                    item.text.span(),
                    "item.records",
                    format!("{:?} is covered by no record", item.text.get_ref()),
                );
            }
            out.push(CoverageItem {
                plan: item.plan.into_inner(),
                text: item.text.into_inner(),
                records: item.records.into_iter().map(Spanned::into_inner).collect(),
            });
        }
        Some(out)
    }
}

/// Pulls the key name out of serde's messages ("unknown field `phnoe`, expected …").
fn key_from_message(msg: &str) -> String {
    msg.split('`')
        .nth(1)
        .map(str::to_string)
        .unwrap_or_else(|| "(syntax)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_residents_can_dial_are_accepted() {
        for p in [
            "042-769-9222",
            "0235-35-1273",
            "0120-279-338",
            "0570-064-556",
            "0120-0-78310",
            "070-3524-0408",
            "110",
            "189",
            "#8008",
        ] {
            assert!(phone_is_valid(p), "{p}");
        }
    }

    #[test]
    fn malformed_phone_numbers_are_rejected() {
        for p in [
            "042-769-922",
            "42-769-9222",
            "042 769 9222",
            "０４２-769-9222",
            "042-769-9222(代表)",
            "",
            "#80",
            "1100",
            "04276992222222",
        ] {
            assert!(!phone_is_valid(p), "{p}");
        }
    }

    #[test]
    fn call_buttons_get_tel_uris() {
        assert_eq!(tel_uri("042-769-9222"), "tel:0427699222");
        assert_eq!(tel_uri("#8008"), "tel:%238008");
        assert_eq!(tel_uri("189"), "tel:189");
    }

    #[test]
    fn dates_are_year_month_or_day() {
        assert!(date_is_valid("2023"));
        assert!(date_is_valid("2023-03"));
        assert!(date_is_valid("2023-03-01"));
        assert!(!date_is_valid("2023/03/01"));
        assert!(!date_is_valid("令和5年"));
        assert!(!date_is_valid("2023-13"));
    }
}
