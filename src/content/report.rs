//! Editors' views of the catalog: per-city counts (`tsunagu check --report`) and the
//! worklist of records still without a verified phone and of windows no source names
//! (`tsunagu gaps`, CSV).

use serde::Serialize;

use super::model::*;

/// A record whose contact is still missing, or a window no source names, for editors.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub id: String,
    pub city: City,
    pub title: String,
    pub note: Option<String>,
    pub fallback: Option<String>,
}

impl Catalog {
    /// Records with no verified phone, then windows no source names (a route's
    /// `missing`, by route id, with the route's first window as the fallback), for editors.
    pub fn gaps(&self) -> Vec<Gap> {
        let records = self
            .records
            .iter()
            .filter(|r| !r.has_phone() && r.kind != Kind::Plan)
            .map(|r| Gap {
                id: r.id.clone(),
                city: r.city,
                title: r.title.clone(),
                note: r.gap.clone(),
                fallback: r.fallback.clone(),
            });
        records.chain(self.missing_windows()).collect()
    }

    /// Windows a route needs that no public source names, one per route.
    pub fn missing_windows(&self) -> impl Iterator<Item = Gap> + '_ {
        self.routes.iter().filter_map(|r| {
            Some(Gap {
                id: r.id.clone(),
                city: r.city,
                title: r.missing.clone()?,
                note: Some(crate::messages::MISSING_WINDOW.to_string()),
                fallback: r.steps.first().and_then(|s| s.record.clone()),
            })
        })
    }
}

/// One city's line in `check --report`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityReport {
    pub city: City,
    /// Records residents can be sent to (plan records excluded).
    pub records: usize,
    /// Of those, records with a phone of their own, proven by an excerpt.
    pub with_phone: usize,
    /// Resident contacts whose phone source is older than `stale_after_years`.
    pub stale: Vec<String>,
    /// Records without a verified phone.
    pub gaps: usize,
}

impl CityReport {
    pub fn percent(&self) -> f64 {
        if self.records == 0 {
            return 0.0;
        }
        100.0 * self.with_phone as f64 / self.records as f64
    }
}

/// Counts per place, municipalities first, `national` last.
pub fn city_reports(catalog: &Catalog) -> Vec<CityReport> {
    catalog
        .places()
        .into_iter()
        .map(|city| {
            let recs: Vec<&Record> = catalog
                .records
                .iter()
                .filter(|r| r.city == city && r.kind != Kind::Plan)
                .collect();
            let with_phone = recs.iter().filter(|r| r.has_phone()).count();
            let stale = recs
                .iter()
                .flat_map(|r| r.contacts.iter().map(move |c| (r, c)))
                .filter(|(_, c)| c.stale)
                .map(|(r, c)| {
                    format!(
                        "{} {} {} ({})",
                        r.id,
                        c.name,
                        c.phone.as_deref().unwrap_or(""),
                        c.source.date.as_deref().unwrap_or("undated")
                    )
                })
                .collect();
            CityReport {
                city,
                records: recs.len(),
                with_phone,
                stale,
                gaps: recs.len() - with_phone,
            }
        })
        .collect()
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The worklist: one row per record without a verified phone, with what residents see
/// meanwhile and the best lead an editor has to confirm; then one per window a route
/// needs that no public source names (`missing` on a route).
pub fn gaps_csv(catalog: &Catalog) -> String {
    let mut out = String::from(
        "city,record,window,missing,fallback_residents_see,lead,lead_source,lead_url,lead_confidence\n",
    );
    for r in catalog
        .records
        .iter()
        .filter(|r| !r.has_phone() && r.kind != Kind::Plan)
    {
        let fallback = r
            .fallback
            .as_deref()
            .and_then(|f| catalog.record(f))
            .map(|f| {
                let phone = f
                    .contacts
                    .iter()
                    .find_map(|c| c.phone.as_deref())
                    .unwrap_or("");
                format!("{} {phone}", f.title)
            })
            .unwrap_or_default();
        let missing = r
            .gap
            .clone()
            .unwrap_or_else(|| "電話番号（出典つき）".to_string());
        let (lead, lead_source, lead_url, lead_conf) = match r.leads.first() {
            Some(l) => (
                l.text.clone(),
                l.source.title.clone(),
                l.source.url.clone().unwrap_or_default(),
                l.source.confidence.as_str().to_string(),
            ),
            None => match r.restricted.iter().find(|c| c.phone.is_some()) {
                Some(c) => (
                    format!(
                        "{} {}（住民には案内しない番号）",
                        c.name,
                        c.phone.as_deref().unwrap_or("")
                    ),
                    c.source.title.clone(),
                    c.source.url.clone().unwrap_or_default(),
                    c.source.confidence.as_str().to_string(),
                ),
                None => (
                    "(なし: 市・運営団体に確認)".to_string(),
                    r.source.title.clone(),
                    r.source.url.clone().unwrap_or_default(),
                    r.source.confidence.as_str().to_string(),
                ),
            },
        };
        let row = [
            r.city.as_str(),
            &r.id,
            &r.title,
            &missing,
            &fallback,
            &lead,
            &lead_source,
            &lead_url,
            &lead_conf,
        ];
        let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    // Windows no public source names: the route's id, and its first window as what
    // residents are sent to meanwhile.
    for g in catalog.missing_windows() {
        let fallback = g
            .fallback
            .as_deref()
            .and_then(|f| catalog.record(f))
            .map(|f| {
                let phone = catalog
                    .reachable_contact(f)
                    .and_then(|c| c.phone.clone())
                    .unwrap_or_default();
                format!("{} {phone}", f.title)
            })
            .unwrap_or_default();
        let note = g.note.unwrap_or_default();
        let row = [
            g.city.as_str(),
            &g.id,
            &g.title,
            &note,
            &fallback,
            "(なし: 市・運営団体に確認)",
            "",
            "",
            "",
        ];
        let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_quote_commas_and_quotes() {
        assert_eq!(csv_field("a,\"b\""), "\"a,\"\"b\"\"\"");
    }
}
