//! Open Referral HSDS 3.0 export, so a neighbouring city or a data portal can take the
//! content. One organization per city, one service per record, phones and schedules
//! (free-text hours) where known, a location per distinct address.

use serde_json::{json, Value};

use crate::content::{Catalog, City};

pub fn export(catalog: &Catalog, city: Option<City>) -> Value {
    let records: Vec<_> = catalog
        .records
        .iter()
        .filter(|r| city.is_none_or(|c| r.city == c))
        .collect();
    let organizations: Vec<Value> = catalog
        .cities
        .iter()
        .filter(|c| city.is_none_or(|x| c.id == x))
        .map(|c| json!({ "id": format!("org-{}", c.id.as_str()), "name": c.name, "description": c.name }))
        .collect();
    let mut services = Vec::new();
    let mut locations: Vec<Value> = Vec::new();
    let mut service_at_locations = Vec::new();
    for r in records {
        let phones: Vec<Value> = r
            .contacts
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let number = c.phone.as_ref()?;
                Some(json!({
                    "id": format!("{}-phone-{i}", r.id),
                    "number": number,
                    "description": c.name,
                    "type": "voice",
                }))
            })
            .collect();
        let schedules: Vec<Value> = r
            .contacts
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                Some(json!({ "id": format!("{}-schedule-{i}", r.id), "description": c.hours.as_ref()? }))
            })
            .collect();
        for (i, c) in r.contacts.iter().enumerate() {
            let Some(address) = &c.address else { continue };
            let loc_id = format!("{}-location-{i}", r.id);
            locations.push(json!({
                "id": loc_id,
                "name": c.name,
                "location_type": "physical",
                "addresses": [{ "id": format!("{loc_id}-address"), "address_1": address,
                                "city": catalog.city(r.city).map(|c| c.name.clone()).unwrap_or_default(),
                                "country": "JP", "address_type": "physical" }],
            }));
            service_at_locations.push(json!({ "id": format!("{}-sal-{i}", r.id), "service_id": r.id, "location_id": loc_id }));
        }
        let email = r.contacts.iter().find_map(|c| c.email.clone());
        let url = r
            .contacts
            .iter()
            .find_map(|c| c.url.clone())
            .or_else(|| r.source.url.clone());
        services.push(json!({
            "id": r.id,
            "organization_id": format!("org-{}", r.city.as_str()),
            "name": r.title,
            "description": r.summary,
            "status": "active",
            "email": email,
            "url": url,
            "phones": phones,
            "schedules": schedules,
            "attributes": r.topics.iter().map(|t| json!({ "taxonomy_term": { "term": t } })).collect::<Vec<_>>(),
            "last_modified": r.source.date,
        }));
    }
    json!({
        "hsds_version": "3.0",
        "organizations": organizations,
        "services": services,
        "locations": locations,
        "service_at_locations": service_at_locations,
    })
}
