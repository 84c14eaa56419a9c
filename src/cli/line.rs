//! `tsunagu line preview | richmenu`.

use std::process::ExitCode;

use anyhow::{bail, Context};
use tsunagu::content::{self, City};
use tsunagu::Paths;

use super::slugs;
use crate::LineCommand;

/// A municipality with a LINE channel (not `national`).
fn line_city(catalog: &content::Catalog, city: &str) -> anyhow::Result<City> {
    match City::named(city).filter(|c| *c != City::National && catalog.city(*c).is_some()) {
        Some(c) => Ok(c),
        _ => bail!(
            "unknown city {city:?}; the content holds {}",
            slugs(catalog)
        ),
    }
}

pub fn line(paths: &Paths, command: LineCommand) -> anyhow::Result<ExitCode> {
    match command {
        LineCommand::Preview { question, city } => {
            let engine = tsunagu::load_engine(paths)?;
            let city = line_city(&engine.catalog, &city)?;
            let body = tsunagu::line::preview(&engine, city, &question);
            println!("{}", serde_json::to_string_pretty(&body)?);
        }
        LineCommand::Richmenu { city } => {
            let city = line_city(&content::load(&paths.content)?, &city)?;
            let config = tsunagu::line::LineConfig::from_env();
            let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            let id = rt.block_on(tsunagu::line::richmenu::install(&config, city))?;
            println!(
                "rich menu {id} created and set as the default for {}",
                city.as_str()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
