//! Is this engine fit to serve? Each sampled record is searched by its own title, in
//! its own place, and must come back among the first 20 results (or records of the
//! same title must), without a panic. A damaged index that slipped past the
//! checksums, or a wrong dictionary, fails here, so it is never served (start and
//! reload refuse it; `/readyz` reports it).

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::Engine;
use crate::search::Filters;

impl Engine {
    /// Checks `sample` records spread over the catalog; more than a tenth missing fails.
    pub fn self_check(&self, sample: usize) -> Result<(), String> {
        let records = &self.catalog.records;
        if records.is_empty() {
            return Err("the catalog has no records".into());
        }
        let sample = sample.clamp(1, records.len());
        let step = (records.len() / sample).max(1);
        let mut missed = Vec::new();
        let mut checked = 0;
        for r in records.iter().step_by(step).take(sample) {
            checked += 1;
            // Within the record's own place, as residents search: in a corpus of many
            // municipalities an unscoped title search costs the whole corpus.
            let place = Filters::for_place(Some(r.city));
            let page = catch_unwind(AssertUnwindSafe(|| self.browse(&r.title, &place, 20, 0)))
            .map_err(|_| format!("searching the title of {} panicked", r.id))?;
            // A record sharing its title with more than 20 others in its place (copied
            // records) is found when records of that title fill the page.
            if !page.results.iter().any(|x| x.id == r.id || x.title == r.title) {
                missed.push(r.id.as_str());
            }
        }
        if missed.len() * 10 > checked {
            return Err(format!(
                "{} of {checked} records were not found by their own title ({})",
                missed.len(),
                missed.join(", ")
            ));
        }
        Ok(())
    }
}
