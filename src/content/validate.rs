//! Turns raw files into a [`Catalog`], collecting every mistake with its file and line.

use std::collections::HashSet;

use sha2::Digest;
use toml::Spanned;

use super::loader::*;
use super::model::*;
use super::raw::*;
use super::{toml_files, ContentErrors};
use crate::analysis::{hex, AnalysisConfig, VariantTable};

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

pub(super) fn date_is_valid(d: &str) -> bool {
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

pub(super) struct Taxonomy {
    pub(super) cities: Vec<CityInfo>,
    pub(super) topics: Vec<String>,
    pub(super) audiences: Vec<String>,
    pub(super) functions: Vec<String>,
    pub(super) needs: Vec<Need>,
}

impl Taxonomy {
    /// The municipality (or `national`) this content holds under `slug`.
    pub(super) fn city(&self, slug: &str) -> Option<City> {
        self.cities
            .iter()
            .map(|c| c.id)
            .find(|c| c.as_str() == slug)
    }

    /// The slugs this content holds, for messages.
    pub(super) fn slugs(&self) -> String {
        let v: Vec<&str> = self.cities.iter().map(|c| c.id.as_str()).collect();
        v.join(", ")
    }

    pub(super) fn area_code(&self, city: City) -> Option<String> {
        self.cities.iter().find(|c| c.id == city)?.area_code.clone()
    }
}

impl Loader {
    pub(super) fn analysis_only(mut self) -> Result<AnalysisConfig, ContentErrors> {
        let cfg = self.analysis();
        self.finish(cfg)
    }

    fn analysis(&mut self) -> Option<AnalysisConfig> {
        let raw: AnalysisFile = self.read(ANALYSIS)?;
        Some(AnalysisConfig {
            variants: raw.variants.into_iter().collect(),
            user_words: raw.user_words.into_iter().collect(),
            readings: raw.readings.into_iter().collect(),
        })
    }

    pub(super) fn load(mut self) -> Result<Catalog, ContentErrors> {
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
        let analysis = self.analysis();
        let mut cities = self.cities(&files);
        let taxonomy = self.taxonomy(cities.infos.clone());
        if let Some(settings) = self.read::<SettingsFile>(SETTINGS) {
            self.stale_after_years = *settings.stale_after_years.get_ref();
            self.never_stale = settings.never_stale;
        }
        let sources = self.sources(&files);
        let (Some(analysis), Some(tax), Some(sources)) = (analysis, taxonomy, sources) else {
            return Err(ContentErrors(self.errors));
        };
        let variants = VariantTable::new(
            analysis
                .variants
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str())),
        );

        let mut records = Vec::new();
        let mut raw_routes = Vec::new();
        let is_records = |p: &&std::path::PathBuf| {
            p.components().count() > 1
                && p.file_name().is_some_and(|n| n != CITY_FILE)
                && !is_sources_file(p)
        };
        for rel in files.iter().filter(is_records) {
            let rel = rel.to_string_lossy().replace('\\', "/");
            if let Some(file) = self.read::<RecordFile>(&rel) {
                self.records(&rel, file, &tax, &sources, &mut records, &mut raw_routes);
            }
        }
        let by_id = self.index_records(&records);
        self.check_references(&records, &by_id);
        let routes = self.routes(raw_routes, &records, &by_id, &tax, &sources);
        let concepts = self.lexicon(&tax, &variants).unwrap_or_default();
        let need_ids: HashSet<String> = tax.needs.iter().map(|n| n.id.clone()).collect();
        let (dangers, support) =
            match self.emergency(&records, &by_id, &variants, &need_ids, &sources) {
                Some(e) => (e.dangers, e.support),
                None => Default::default(),
            };
        let detector = self.detector(&dangers);
        let coverage = self.coverage(&by_id).unwrap_or_default();
        self.link_cities(&mut cities, &records, &by_id);
        let cities = cities.infos;
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
            support,
            detector,
            coverage,
            analysis,
            hash,
            warnings: std::mem::take(&mut self.warnings),
            stale_after_years: self.stale_after_years,
            by_id,
        };
        self.finish(Some(catalog))
    }

    fn taxonomy(&mut self, cities: Vec<CityInfo>) -> Option<Taxonomy> {
        let raw: TaxonomyFile = self.read(TAXONOMY)?;
        let f = TAXONOMY;
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
            topics,
            audiences: list(raw.audiences),
            functions: list(raw.functions),
            needs,
        })
    }
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
    fn dates_are_year_month_or_day() {
        assert!(date_is_valid("2023"));
        assert!(date_is_valid("2023-03"));
        assert!(date_is_valid("2023-03-01"));
        assert!(!date_is_valid("2023/03/01"));
        assert!(!date_is_valid("令和5年"));
        assert!(!date_is_valid("2023-13"));
    }
}
