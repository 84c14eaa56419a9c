//! Municipalities: `city new`, `gaps --city`, `import`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use tsunagu::content;
use tsunagu::Paths;

use super::parse_city;

pub fn gaps(paths: &Paths, out: Option<PathBuf>, city: &str) -> anyhow::Result<ExitCode> {
    let catalog = content::load(&paths.content)?;
    let city = parse_city(&catalog, Some(city.to_string()))?.context("a city")?;
    let lines = content::onboard::city_gaps(&catalog, city);
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    match out {
        Some(path) => {
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{text}"),
    }
    eprintln!("{} thing(s) missing for {}", lines.len(), city.as_str());
    Ok(ExitCode::SUCCESS)
}

pub fn city_new(
    paths: &Paths,
    slug: &str,
    name: &str,
    prefecture: &str,
    reading: &str,
    area_code: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let c = content::onboard::NewCity {
        slug,
        name,
        reading,
        prefecture,
        area_code,
    };
    match content::onboard::new_city(&paths.content, &c) {
        Ok(files) => {
            for f in files {
                println!("wrote {}", f.display());
            }
            println!("next: fill in the source and the first window, then `tsunagu check` and `tsunagu gaps --city {slug}`");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => bail!(e),
    }
}

pub fn import(
    paths: &Paths,
    file: &Path,
    city: &str,
    format: &str,
    as_of: Option<String>,
    fallback: Option<String>,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let Some(format) = tsunagu::import::Format::parse(format) else {
        bail!("unknown format {format:?}; use facilities, care, medical or hsds")
    };
    let opts = tsunagu::import::Options {
        content: &paths.content,
        city,
        format,
        file,
        as_of,
        fallback,
        dry_run,
    };
    match tsunagu::import::import(&opts) {
        Ok(w) => {
            let verb = if dry_run { "would import" } else { "imported" };
            println!("{verb} {} record(s) into {}", w.records, city);
            for f in &w.files {
                println!("  {}", f.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                println!("{e}");
            }
            eprintln!("{} error(s); nothing was imported", errors.len());
            Ok(ExitCode::FAILURE)
        }
    }
}
