//! Onboarding a municipality: `tsunagu city new` writes the folder with the minimum a
//! municipality needs, commented; `tsunagu gaps --city` lists what it still lacks.

use std::path::{Path, PathBuf};

use super::{Catalog, City, Kind};

/// What `city new` is told.
pub struct NewCity<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub reading: &'a str,
    pub prefecture: &'a str,
    pub area_code: Option<&'a str>,
}

/// Writes `content/<slug>/` (city.toml, sources.toml, windows.toml, routes.toml). The
/// folder must not exist. It passes `tsunagu check` as written: the first window and
/// route are commented examples, and `tsunagu gaps --city` lists what is missing.
pub fn new_city(content: &Path, c: &NewCity<'_>) -> Result<Vec<PathBuf>, String> {
    if City::named(c.slug).is_none() || c.slug == "national" {
        return Err(format!(
            "{:?} cannot name a municipality: lowercase letters, digits and hyphens, starting with a letter (e.g. sakata)",
            c.slug
        ));
    }
    let dir = content.join(c.slug);
    if dir.exists() {
        return Err(format!("{} exists already", dir.display()));
    }
    let key = City::named(c.slug).map(|x| x.env_key()).unwrap_or_default();
    let area = c
        .area_code
        .map(|a| format!("area_code = \"{a}\"\n"))
        .unwrap_or_else(|| "# area_code = \"0235\"   # if its newsletters print numbers without it\n".into());
    let files = [
        (
            "city.toml",
            format!(
                "# {name}: one municipality of Tsunagu. Everything about it lives in this folder:\n\
                 # its sources (sources.toml), windows (*.toml with [[record]]) and routes.\n\
                 # Its LINE channel: LINE_{key}_CHANNEL_SECRET and LINE_{key}_ACCESS_TOKEN.\n\
                 name = \"{name}\"\nreading = \"{reading}\"\nprefecture = \"{pref}\"\n{area}\
                 # First contact when nothing matches: record ids with a sourced phone,\n\
                 # e.g. [\"{slug}-sogo\"] once windows.toml has it.\n\
                 general = []\n\
                 # Local lines its crisis blocks add after the national ones (record ids).\n\
                 crisis = []\nlanguages = [\"ja\"]\n",
                name = c.name,
                reading = c.reading,
                pref = c.prefecture,
                slug = c.slug,
            ),
        ),
        (
            "sources.toml",
            format!(
                "# Where every number, hour and address of {name} comes from: the page's title,\n\
                 # address and date, and the sentence that states it, copied word for word.\n\
                 # Never write a number from memory.\n\
                 # [source.{slug}-koho]\n# title = \"（資料の題名）\"\n# url = \"https://…\"\n# date = \"2026-01\"\n\
                 # confidence = \"high\"\n# seen = \"2026-01-01\"\n# excerpts = [\n#   \"（電話番号を含む一文をそのまま）\",\n# ]\n",
                name = c.name,
                slug = c.slug,
            ),
        ),
        (
            "windows.toml",
            format!(
                "# {name}の窓口. One [[record]] per window; each contact cites its source.\n\
                 city = \"{slug}\"\n\n# [[record]]\n# id = \"{slug}-sogo\"\n# kind = \"window\"\n\
                 # title = \"{name} 福祉の総合相談窓口\"\n\
                 # summary = \"どこに相談したらよいか分からないときの最初の窓口。\"\n\
                 # topics = [\"その他\"]\n# audience = [\"全世代\"]\n# keywords = [\"総合相談\", \"どこに相談\"]\n\
                 # [[record.contact]]\n# name = \"…\"\n# phone = \"（資料のとおり）\"\n# hours = \"…\"\n\
                 # source = \"{slug}-koho\"\n",
                name = c.name,
                slug = c.slug,
            ),
        ),
        (
            "routes.toml",
            format!(
                "# {name}の相談の道すじ: first contact → referral → what happens next, per need.\n\
                 city = \"{slug}\"\n\n\
                 # [[route]]\n# id = \"{slug}-route-konkyu\"\n# need = \"konkyu\"\n# title = \"お金と暮らしの相談\"\n\
                 # [[route.step]]\n# text = \"まず…に相談します。\"\n# record = \"{slug}-sogo\"\n",
                name = c.name,
                slug = c.slug,
            ),
        ),
    ];
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// What `city` still lacks, one line each, for its editors.
pub fn city_gaps(catalog: &Catalog, city: City) -> Vec<String> {
    let mut out = Vec::new();
    if catalog.city(city).is_some_and(|c| c.general.is_empty()) {
        out.push("no first-contact window: `general` in city.toml names none with a phone".to_string());
    }
    for g in catalog.gaps().into_iter().filter(|g| g.city == city) {
        out.push(format!(
            "window without a verified phone: {} ({}){}",
            g.id,
            g.title,
            g.note.map(|n| format!(": {n}")).unwrap_or_default()
        ));
    }
    let windows: Vec<_> = catalog
        .records
        .iter()
        .filter(|r| r.city == city && r.kind != Kind::Plan && r.has_phone())
        .collect();
    for n in &catalog.needs {
        let routed = catalog.route(city, &n.id).is_some();
        let served = windows.iter().any(|r| r.topics.contains(&n.topic));
        if !routed && !served {
            out.push(format!("need with no window: {} ({}, topic {})", n.id, n.label, n.topic));
        }
    }
    for r in catalog.routes.iter().filter(|r| r.city == city) {
        let first = r.steps.first();
        let callable = first
            .and_then(|s| s.record.as_deref())
            .and_then(|id| catalog.record(id))
            .is_some_and(|rec| !catalog.reachable_contacts(rec).is_empty());
        if !callable {
            out.push(format!("route without a first step to call: {} ({})", r.id, r.title));
        }
    }
    out
}
