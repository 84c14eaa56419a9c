//! The compact form of an [`Answer`] (`/api/answer?form=compact`): every contact once,
//! in `contacts`, and referenced by its position everywhere else. A route repeats the
//! same windows card after card, so the full form spends most of its bytes on copies;
//! the full form stays the documented default.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::{lang::Lang, Answer, Emergency, ResultItem, Step};
use crate::content::{City, Contact, Kind, Source};

#[derive(Debug, Serialize)]
pub struct CompactAnswer<'a> {
    pub form: &'static str,
    pub query: &'a str,
    pub city: Option<City>,
    pub emergency: Option<CompactEmergency<'a>>,
    pub support: Option<CompactSupport<'a>>,
    pub results: Vec<CompactItem<'a>>,
    pub suggestions: &'a [String],
    pub need: Option<&'a str>,
    pub notice: Option<&'a str>,
    pub lang: Lang,
    pub need_label: Option<&'a str>,
    /// Every contact the answer shows, once; other fields hold positions in this list.
    pub contacts: Vec<&'a Contact>,
}

#[derive(Debug, Serialize)]
pub struct CompactEmergency<'a> {
    pub message: &'a str,
    pub contacts: Vec<usize>,
    pub dangers: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct CompactSupport<'a> {
    pub title: &'a str,
    pub title_en: Option<&'a str>,
    pub message: &'a str,
    pub message_en: Option<&'a str>,
    pub contacts: Vec<usize>,
    pub signs: &'a [String],
}

#[derive(Debug, Serialize)]
pub struct CompactItem<'a> {
    pub id: &'a str,
    pub kind: Kind,
    pub title: &'a str,
    pub summary: &'a str,
    pub city: City,
    pub topics: &'a [String],
    pub audience: &'a [String],
    pub contacts: Vec<usize>,
    pub route: Vec<CompactStep<'a>>,
    pub source: &'a Source,
    pub score: f32,
    pub function: Option<&'a str>,
    pub gap: Option<&'a str>,
}

#[derive(Debug, Serialize)]
pub struct CompactStep<'a> {
    pub step: usize,
    pub text: &'a str,
    pub contact: Option<usize>,
    pub record: Option<&'a str>,
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    pub contacts: Vec<usize>,
}

/// Positions of contacts, keyed by identity (contacts are shared `Arc`s from the
/// catalog) and, failing that, by value.
#[derive(Default)]
struct Table<'a> {
    list: Vec<&'a Contact>,
    by_ptr: HashMap<*const Contact, usize>,
}

impl<'a> Table<'a> {
    fn id(&mut self, c: &'a Arc<Contact>) -> usize {
        let ptr = Arc::as_ptr(c);
        if let Some(&i) = self.by_ptr.get(&ptr) {
            return i;
        }
        let i = match self.list.iter().position(|x| *x == c.as_ref()) {
            Some(i) => i,
            None => {
                self.list.push(c.as_ref());
                self.list.len() - 1
            }
        };
        self.by_ptr.insert(ptr, i);
        i
    }

    fn ids(&mut self, cs: &'a [Arc<Contact>]) -> Vec<usize> {
        cs.iter().map(|c| self.id(c)).collect()
    }
}

impl Answer {
    pub fn compact(&self) -> CompactAnswer<'_> {
        let mut t = Table::default();
        let emergency = self.emergency.as_ref().map(|e| emergency(e, &mut t));
        let support = self.support.as_ref().map(|s| CompactSupport {
            title: &s.title,
            title_en: s.title_en.as_deref(),
            message: &s.message,
            message_en: s.message_en.as_deref(),
            contacts: t.ids(&s.contacts),
            signs: &s.signs,
        });
        let results = self.results.iter().map(|r| item(r, &mut t)).collect();
        CompactAnswer {
            form: "compact",
            query: &self.query,
            city: self.city,
            emergency,
            support,
            results,
            suggestions: &self.suggestions,
            need: self.need.as_deref(),
            notice: self.notice.as_deref(),
            lang: self.lang,
            need_label: self.need_label.as_deref(),
            contacts: t.list,
        }
    }
}

fn emergency<'a>(e: &'a Emergency, t: &mut Table<'a>) -> CompactEmergency<'a> {
    CompactEmergency {
        message: &e.message,
        contacts: t.ids(&e.contacts),
        dangers: &e.dangers,
    }
}

fn item<'a>(r: &'a ResultItem, t: &mut Table<'a>) -> CompactItem<'a> {
    CompactItem {
        id: &r.id,
        kind: r.kind,
        title: &r.title,
        summary: &r.summary,
        city: r.city,
        topics: &r.topics,
        audience: &r.audience,
        contacts: t.ids(&r.contacts),
        route: r.route.iter().map(|s| step(s, t)).collect(),
        source: &r.source,
        score: r.score,
        function: r.function.as_deref(),
        gap: r.gap.as_deref(),
    }
}

fn step<'a>(s: &'a Step, t: &mut Table<'a>) -> CompactStep<'a> {
    CompactStep {
        step: s.step,
        text: &s.text,
        contact: s.contact.as_ref().map(|c| t.id(c)),
        record: s.record.as_deref(),
        // As in the full form: listed only when there are several (one per ward).
        contacts: if s.contacts.len() > 1 {
            t.ids(&s.contacts)
        } else {
            Vec::new()
        },
    }
}
