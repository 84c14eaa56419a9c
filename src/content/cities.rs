//! Reading the municipalities: every folder of the content with a `city.toml` is one
//! (`national/` holds the lines all of them show). Their first-contact windows and
//! local crisis lines are checked once the records are known.

use crate::content::model::RecordIds;
use std::path::PathBuf;

use toml::Spanned;

use super::loader::{Loader, CITY_FILE};
use super::model::*;
use super::raw::CityFile;

/// The municipalities read, with the record ids they name (checked after the records).
#[derive(Default)]
pub(super) struct Cities {
    pub(super) infos: Vec<CityInfo>,
    /// (file, city, record id) of each first-contact window.
    pub(super) general: Vec<(String, City, Spanned<String>)>,
    /// (file, city, record id) of each local crisis line.
    pub(super) crisis: Vec<(String, City, Spanned<String>)>,
}

impl Loader {
    /// Every `<slug>/city.toml` among `files` (paths relative to the content folder).
    pub(super) fn cities(&mut self, files: &[PathBuf]) -> Cities {
        let mut out = Cities::default();
        for rel in files {
            let parts: Vec<_> = rel.iter().map(|p| p.to_string_lossy().to_string()).collect();
            let [slug, name] = parts.as_slice() else { continue };
            if name != CITY_FILE {
                continue;
            }
            let file = format!("{slug}/{CITY_FILE}");
            let Some(city) = City::named(slug) else {
                self.err(
                    &file,
                    0..0,
                    "(folder)",
                    format!(
                        "{slug:?} cannot name a municipality: use lowercase letters, digits and hyphens, starting with a letter (it becomes part of URLs and of LINE_<SLUG>_… settings)"
                    ),
                );
                continue;
            };
            let Some(raw) = self.read::<CityFile>(&file) else { continue };
            out.general.extend(raw.general.into_iter().map(|g| (file.clone(), city, g)));
            out.crisis.extend(raw.crisis.into_iter().map(|g| (file.clone(), city, g)));
            out.infos.push(CityInfo {
                id: city,
                name: raw.name.into_inner(),
                reading: raw.reading.into_inner(),
                prefecture: raw.prefecture.into_inner(),
                area_code: raw.area_code.map(Spanned::into_inner),
                general: Vec::new(),
                crisis: Vec::new(),
                languages: raw.languages,
                file,
            });
        }
        if !out.infos.iter().any(|c| c.id == City::National) {
            self.err(
                &format!("national/{CITY_FILE}"),
                0..0,
                "(file)",
                "the national lines need their folder and city.toml (name = \"全国\")",
            );
        }
        out.infos.sort_by_key(|c| c.id);
        out
    }

    /// Keeps the first-contact windows and crisis lines that name a record with a phone.
    pub(super) fn link_cities(&mut self, cities: &mut Cities, records: &[Record], by_id: &RecordIds) {
        let lists = [
            (std::mem::take(&mut cities.general), "general"),
            (std::mem::take(&mut cities.crisis), "crisis"),
        ];
        for (list, key) in lists {
            for (file, city, id) in list {
                match by_id.get(id.get_ref()).map(|&i| &records[i]) {
                    Some(r) if r.has_phone() => {
                        if let Some(c) = cities.infos.iter_mut().find(|c| c.id == city) {
                            let to = if key == "general" { &mut c.general } else { &mut c.crisis };
                            to.push(id.get_ref().clone());
                        }
                    }
                    Some(_) => self.err(
                        &file,
                        id.span(),
                        key,
                        format!("record {} has no phone to show", id.get_ref()),
                    ),
                    None => self.err(
                        &file,
                        id.span(),
                        key,
                        format!("no record has the id {}", id.get_ref()),
                    ),
                }
            }
        }
    }
}
