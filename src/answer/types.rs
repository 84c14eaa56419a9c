//! What the engine hands every surface: an answer (crisis block, results with their
//! contacts and routes), and for staff a page of results with facet counts.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::{lang, Emergency, Support};
use crate::content::{City, Contact, Kind, Source};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Step {
    pub step: usize,
    pub text: String,
    pub contact: Option<Arc<Contact>>,
    /// The record this step points at (added field).
    pub record: Option<String>,
    /// Every callable contact of that record when there are several, e.g. one per ward
    /// (added field; omitted when `contact` says it all).
    #[serde(skip_serializing_if = "one_or_none")]
    pub contacts: Vec<Arc<Contact>>,
}

impl Step {
    /// The contacts a surface shows for this step: one per ward when there are several,
    /// else the step's own contact. Decided here so the CLI, LINE and pages agree.
    pub fn shown_contacts(&self) -> Vec<&Contact> {
        if self.contacts.len() > 1 {
            self.contacts.iter().map(|c| c.as_ref()).collect()
        } else {
            self.contact.iter().map(|c| c.as_ref()).collect()
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResultItem {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub summary: String,
    pub city: City,
    pub topics: Vec<String>,
    pub audience: Vec<String>,
    pub contacts: Vec<Arc<Contact>>,
    pub route: Vec<Step>,
    pub source: Source,
    pub score: f32,
    /// 重層的支援 function (added field).
    pub function: Option<String>,
    /// Why this record has no phone of its own (added field).
    pub gap: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Answer {
    pub query: String,
    pub city: Option<City>,
    pub emergency: Option<Emergency>,
    /// The calm block for despair with no clear danger; never set with `emergency`
    /// (added field).
    pub support: Option<Support>,
    pub results: Vec<ResultItem>,
    pub suggestions: Vec<String>,
    /// The need recognised in the question, e.g. "kouken" (added field).
    pub need: Option<String>,
    /// A note for the resident, e.g. when only the general windows matched (added field).
    pub notice: Option<String>,
    /// The language the question was asked in, "ja" or "en" (added field).
    pub lang: lang::Lang,
    /// The recognised need in one line, in the question's language (added field).
    pub need_label: Option<String>,
}

impl Answer {
    /// The crisis and support blocks, as one value the surfaces render.
    pub fn blocks(&self) -> super::Blocks {
        super::Blocks {
            emergency: self.emergency.clone(),
            support: self.support.clone(),
        }
    }
}

/// Staff browsing: a page of results with facet counts over all matches.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchPage {
    pub query: String,
    pub total: usize,
    pub offset: usize,
    pub results: Vec<ResultItem>,
    pub facets: Facets,
}

#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Facets {
    pub topic: BTreeMap<String, usize>,
    pub audience: BTreeMap<String, usize>,
    pub kind: BTreeMap<String, usize>,
    pub city: BTreeMap<String, usize>,
    pub function: BTreeMap<String, usize>,
}

fn one_or_none(v: &[Arc<Contact>]) -> bool {
    v.len() <= 1
}
