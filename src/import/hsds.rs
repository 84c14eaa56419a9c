//! Open Referral HSDS 3.0 JSON (as `/api/export/hsds` writes it): one record per
//! service, its first phone, schedule and address; the service (and its location) as
//! JSON is the verbatim excerpt.

use serde_json::Value;

use super::Draft;

pub(super) fn read(name: &str, bytes: &[u8]) -> Result<Vec<Draft>, Vec<String>> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| vec![format!("{name}:{}: not JSON: {e}", e.line())])?;
    let Some(services) = doc["services"].as_array() else {
        return Err(vec![format!("{name}:1: no `services` list: is this an HSDS 3.0 file?")]);
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, s) in services.iter().enumerate() {
        let at = format!("services[{i}]");
        let Some(title) = s["name"].as_str().filter(|t| !t.trim().is_empty()) else {
            errors.push(format!("{name}:{at}: the service has no name"));
            continue;
        };
        let phone = s["phones"][0]["number"].as_str().map(str::to_string);
        if let Some(p) = &phone {
            if !crate::content::phone_is_valid(p) {
                errors.push(format!("{name}:{at}: phone {p:?} is not a number residents can dial"));
                continue;
            }
        }
        let id = s["id"].as_str().unwrap_or_default();
        let location = doc["service_at_locations"]
            .as_array()
            .and_then(|v| v.iter().find(|l| l["service_id"] == id))
            .and_then(|l| {
                doc["locations"]
                    .as_array()?
                    .iter()
                    .find(|x| x["id"] == l["location_id"])
            });
        let address = location.and_then(|l| l["addresses"][0]["address_1"].as_str()).map(str::to_string);
        let mut excerpts = vec![s.to_string()];
        if let Some(l) = location {
            excerpts.push(l.to_string());
        }
        let terms: Vec<String> = s["attributes"]
            .as_array()
            .map(|a| a.iter().filter_map(|t| t["taxonomy_term"]["term"].as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let key: String = id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect();
        out.push(Draft {
            key: if key.trim_matches('-').is_empty() { i.to_string() } else { key },
            at,
            kind: "window",
            title: title.to_string(),
            summary: s["description"].as_str().unwrap_or(title).to_string(),
            topics: if terms.is_empty() { vec!["その他".into()] } else { terms },
            audience: vec!["全世代".into()],
            keywords: Vec::new(),
            phone,
            hours: s["schedules"][0]["description"].as_str().map(str::to_string),
            address,
            url: s["url"].as_str().map(str::to_string),
            excerpts,
        });
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}
