//! Records and their contacts: phones, leads, references between records.

use std::collections::HashMap;

use toml::Spanned;

use super::contact::*;
use super::loader::{Loader, RecordRefs};
use super::model::*;
use super::provenance::{self, Proof};
use super::raw::*;
use super::validate::{phone_is_valid, Taxonomy};
use crate::messages;

impl Loader {
    pub(super) fn records(
        &mut self,
        file: &str,
        raw: RecordFile,
        tax: &Taxonomy,
        sources: &HashMap<String, Source>,
        out: &mut Vec<Record>,
        routes: &mut Vec<(String, City, Spanned<RawRoute>)>,
    ) {
        let Some(city) = tax.city(raw.city.get_ref()) else {
            let known = tax.slugs();
            self.err(
                file,
                raw.city.span(),
                "city",
                format!(
                    "unknown city {:?}; a city is a folder with a city.toml ({known})",
                    raw.city.get_ref()
                ),
            );
            return;
        };
        let area_code = tax.area_code(city);
        routes.extend(raw.route.into_iter().map(|r| (file.to_string(), city, r)));
        for rec in raw.record {
            let rspan = rec.span();
            let r = rec.into_inner();
            let id = r.id.get_ref().clone();
            let key = |k: &str| format!("record[{id}].{k}");
            let kind = Kind::parse(r.kind.get_ref()).unwrap_or_else(|| {
                self.err(
                    file,
                    r.kind.span(),
                    &key("kind"),
                    format!(
                        "unknown kind {:?}; use window, service, activity, hotline or plan",
                        r.kind.get_ref()
                    ),
                );
                Kind::Service
            });
            if id.trim().is_empty() || id.contains(char::is_whitespace) {
                self.err(
                    file,
                    r.id.span(),
                    "record.id",
                    "the id is empty or has spaces",
                );
            }
            if r.title.get_ref().trim().is_empty() {
                self.err(file, r.title.span(), &key("title"), "the title is empty");
            }
            for t in &r.topics {
                if !tax.topics.contains(t.get_ref()) {
                    self.err(
                        file,
                        t.span(),
                        &key("topics"),
                        format!("unknown topic {:?} (see taxonomy.toml)", t.get_ref()),
                    );
                }
            }
            if r.topics.is_empty() {
                self.err(
                    file,
                    r.id.span(),
                    &key("topics"),
                    "a record needs at least one topic",
                );
            }
            for a in &r.audience {
                if !tax.audiences.contains(a.get_ref()) {
                    self.err(
                        file,
                        a.span(),
                        &key("audience"),
                        format!("unknown audience {:?} (see taxonomy.toml)", a.get_ref()),
                    );
                }
            }
            if let Some(fun) = &r.function {
                if !tax.functions.contains(fun.get_ref()) {
                    self.err(
                        file,
                        fun.span(),
                        &key("function"),
                        format!("unknown function {:?} (see taxonomy.toml)", fun.get_ref()),
                    );
                }
            }
            let mut contacts = Vec::new();
            let mut restricted = Vec::new();
            for c in r.contact {
                let cspan = c.span();
                let c = c.into_inner();
                if c.name.get_ref().trim().is_empty() {
                    self.err(
                        file,
                        c.name.span(),
                        &key("contact.name"),
                        "the contact name is empty",
                    );
                }
                for (k, v) in [("contact.phone", &c.phone), ("contact.fax", &c.fax)] {
                    if let Some(p) = v {
                        if !phone_is_valid(p.get_ref()) {
                            self.err(file, p.span(), &key(k), format!("{:?} is not a phone number like 042-769-9222, 0120-279-338, 189 or #8008", p.get_ref()));
                        }
                    }
                }
                if let Some(e) = &c.email {
                    if !e.get_ref().contains('@') || e.get_ref().contains(char::is_whitespace) {
                        self.err(
                            file,
                            e.span(),
                            &key("contact.email"),
                            format!("{:?} is not an email address", e.get_ref()),
                        );
                    }
                }
                let Some(source) = self.source(
                    file,
                    &key("contact.source"),
                    c.source.as_ref(),
                    cspan.clone(),
                    sources,
                ) else {
                    continue;
                };
                // One source per claim: each defaults to the contact's source.
                let claim_source = |this: &mut Self, k: &str, id: &Option<Spanned<String>>| match id
                {
                    None => Some(source.clone()),
                    Some(_) => this.source(file, &key(k), id.as_ref(), cspan.clone(), sources),
                };
                let (Some(phone_source), Some(hours_source), Some(address_source)) = (
                    claim_source(self, "contact.phone_source", &c.phone_source),
                    claim_source(self, "contact.hours_source", &c.hours_source),
                    claim_source(self, "contact.address_source", &c.address_source),
                ) else {
                    continue;
                };
                let audience = match c.audience.as_ref().map(|a| a.get_ref().as_str()) {
                    None | Some("residents") => Audience::Residents,
                    Some("organisations") => Audience::Organisations,
                    Some(other) => {
                        let span = c.audience.as_ref().map_or(cspan.clone(), |a| a.span());
                        self.err(
                            file,
                            span,
                            &key("contact.audience"),
                            format!("{other:?} is not residents or organisations"),
                        );
                        Audience::Residents
                    }
                };
                let contact_key = key("contact");
                let proof = Proof {
                    file,
                    key: &contact_key,
                    span: cspan.clone(),
                    area_code: area_code.as_deref(),
                };
                self.prove_contact(&proof, &c, &phone_source, &hours_source, &address_source);
                let stale = c
                    .phone
                    .as_ref()
                    .is_some_and(|p| !self.never_stale.contains(p.get_ref()))
                    && provenance::is_stale(
                        phone_source.date.as_deref(),
                        self.today,
                        self.stale_after_years,
                    );
                let as_of = if stale {
                    Some(messages::stale(phone_source.date.as_deref()))
                } else if phone_source.confidence == Confidence::Medium {
                    Some(messages::as_of(phone_source.date.as_deref()))
                } else {
                    None
                };
                let contact = std::sync::Arc::new(Contact {
                    tel: c.phone.as_ref().map(|p| tel_uri(p.get_ref())),
                    name: c.name.into_inner(),
                    phone: c.phone.map(Spanned::into_inner),
                    fax: c.fax.map(Spanned::into_inner),
                    email: c.email.map(Spanned::into_inner),
                    hours: c.hours.map(Spanned::into_inner),
                    address: c.address.map(Spanned::into_inner),
                    url: c.url,
                    confidence: phone_source.confidence,
                    hours_source: (hours_source.id != phone_source.id).then_some(hours_source),
                    address_source: (address_source.id != phone_source.id)
                        .then_some(address_source),
                    source: phone_source,
                    as_of,
                    stale,
                    audience,
                    private: c.private,
                    note: c.note,
                });
                if contact.stale {
                    self.warn(
                        file,
                        cspan.clone(),
                        &key("contact.phone_source"),
                        format!(
                            "{} comes from {} ({}), older than {} years: residents are told to check it; re-confirm the number and cite a newer source",
                            contact.phone.as_deref().unwrap_or(""),
                            contact.source.id,
                            contact.source.date.as_deref().unwrap_or("undated"),
                            self.stale_after_years
                        ),
                    );
                }
                if contact.private || contact.audience != Audience::Residents {
                    restricted.push(contact);
                } else {
                    contacts.push(contact);
                }
            }
            // The record's own source: explicit, else its first contact's (the record comes
            // from the page that gives its number), else the file's (e.g. the plan).
            let first = contacts
                .first()
                .or(restricted.first())
                .map(|c| c.source.clone());
            let record_source = match (r.source.as_ref(), first) {
                (Some(id), _) => self.source(file, &key("source"), Some(id), r.id.span(), sources),
                (None, Some(s)) => Some(s),
                (None, None) => match raw.source.as_ref() {
                    Some(id) => self.source(file, &key("source"), Some(id), r.id.span(), sources),
                    None => {
                        self.err(file, r.id.span(), &key("source"), "no source: set `source` on the record, at the top of the file, or on a contact");
                        None
                    }
                },
            };
            let leads = self.leads(file, &key("lead"), r.lead, sources);
            let has_phone = contacts.iter().any(|c| c.phone.is_some());
            if !has_phone && kind != Kind::Plan && r.fallback.is_none() {
                self.err(file, rspan.clone(), &key("fallback"), "a record without a phone residents may call needs `fallback = \"<id>\"`: the verified window residents should call meanwhile");
            }
            let Some(source) = record_source else {
                continue;
            };
            out.push(Record {
                id,
                kind,
                title: r.title.into_inner(),
                summary: r.summary.map(Spanned::into_inner).unwrap_or_default(),
                city,
                topics: r.topics.into_iter().map(Spanned::into_inner).collect(),
                audience: r.audience.into_iter().map(Spanned::into_inner).collect(),
                function: r.function.map(Spanned::into_inner),
                keywords: r.keywords,
                contacts,
                restricted,
                leads,
                plan: r.plan.iter().map(|p| p.get_ref().clone()).collect(),
                source,
                fallback: r.fallback.as_ref().map(|f| f.get_ref().clone()),
                group: r.group.clone(),
                imported: r.imported.clone(),
                gap: r.gap,
            });
            // Keep spans of references for the cross-record checks.
            let refs = RecordRefs {
                file: file.to_string(),
                plan: r.plan,
                fallback: r.fallback,
                id_span: r.id.span(),
            };
            self.pending_refs.push(refs);
        }
    }
}

impl Loader {
    /// A record's leads: candidates for editors, usually from low-confidence sources.
    fn leads(
        &mut self,
        file: &str,
        key: &str,
        raw: Vec<Spanned<RawLead>>,
        sources: &HashMap<String, Source>,
    ) -> Vec<Lead> {
        let mut out = Vec::new();
        for l in raw {
            let l = l.into_inner();
            match sources.get(l.source.get_ref()) {
                Some(s) => out.push(Lead {
                    text: l.text,
                    source: s.clone(),
                }),
                None => self.err(
                    file,
                    l.source.span(),
                    key,
                    format!(
                        "unknown source {:?} (not in sources.toml)",
                        l.source.get_ref()
                    ),
                ),
            }
        }
        out
    }
}
