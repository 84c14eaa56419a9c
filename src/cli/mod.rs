//! The bodies of the `tsunagu` commands that are more than a call into the library
//! (main.rs holds the command line and the dispatch).

pub mod check;
pub mod line;
pub mod places;

use anyhow::bail;
use tsunagu::content::{self, City};

/// `--city`: a place the content holds (a folder with a city.toml, or `national`).
pub fn parse_city(
    catalog: &content::Catalog,
    city: Option<String>,
) -> anyhow::Result<Option<City>> {
    let Some(c) = city else { return Ok(None) };
    match City::named(&c).filter(|c| catalog.city(*c).is_some()) {
        Some(c) => Ok(Some(c)),
        None => bail!("unknown city {c:?}; the content holds {}", slugs(catalog)),
    }
}

fn slugs(catalog: &content::Catalog) -> String {
    let v: Vec<&str> = catalog.places().iter().map(|c| c.as_str()).collect();
    v.join(", ")
}
