//! The index's schema, and the document each record becomes: which fields hold what,
//! analysed by which tokenizer, and the place keys (`scope`) that filters select.

use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST,
    STORED, STRING,
};
use tantivy::{doc, TantivyDocument};

use crate::analysis;
use crate::content::{Catalog, City, Record};

/// Field handles; the only place field names exist.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// Position of the record in the catalog, read from a fast field (no doc store).
    pub ord: Field,
    /// The order of a list with no question: [`Record::browse_tier`], then `ord`.
    pub browse: Field,
    pub city: Field,
    /// Cities a record serves: its own, or every city for national lines. Lets the
    /// usual "this city plus national" filter be one term instead of a union.
    pub scope: Field,
    pub kind: Field,
    pub topic: Field,
    pub audience: Field,
    pub function: Field,
    pub title_m: Field,
    pub title_b: Field,
    pub keywords_m: Field,
    pub keywords_b: Field,
    pub body_m: Field,
    pub body_b: Field,
    pub reading: Field,
    /// `/topic/…`, `/audience/…`, `/kind/…`, `/city/…`, `/function/…`: counted by
    /// tantivy's facet collector for the staff view, in the same pass as the search.
    pub facet: Field,
}

/// Bumped when the schema changes, so an index built before is rebuilt, not misread.
pub(super) const SCHEMA_VERSION: u32 = 3;

/// The fast field a list with no question is ordered by.
pub const BROWSE: &str = "browse";

/// The facet dimensions, in the order the staff view lists them.
pub const FACETS: [&str; 5] = ["topic", "audience", "kind", "city", "function"];

fn text(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

pub fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        ord: b.add_u64_field("ord", FAST),
        browse: b.add_u64_field(BROWSE, FAST),
        city: b.add_text_field("city", STRING),
        scope: b.add_text_field("scope", STRING),
        kind: b.add_text_field("kind", STRING),
        topic: b.add_text_field("topic", STRING),
        audience: b.add_text_field("audience", STRING),
        function: b.add_text_field("function", STRING),
        title_m: b.add_text_field("title_m", text(analysis::MORPH)),
        title_b: b.add_text_field("title_b", text(analysis::BIGRAM)),
        keywords_m: b.add_text_field("keywords_m", text(analysis::MORPH)),
        keywords_b: b.add_text_field("keywords_b", text(analysis::BIGRAM)),
        body_m: b.add_text_field("body_m", text(analysis::MORPH)),
        body_b: b.add_text_field("body_b", text(analysis::BIGRAM)),
        reading: b.add_text_field("reading", text(analysis::READING)),
        facet: b.add_facet_field("facet", FacetOptions::default()),
    };
    (b.build(), fields)
}

/// A phrase analysed once: morphological terms and character bigrams.
/// Every scope key a national record carries (each place's), so any place filter is
/// one term.
pub(super) fn national_scope(catalog: &Catalog) -> Vec<String> {
    catalog.places().iter().map(|c| c.as_str().to_string()).collect()
}

pub(super) fn document(
    f: &Fields,
    ord: usize,
    r: &Record,
    catalog: &Catalog,
    national: &[String],
) -> TantivyDocument {
    let mut d = doc!(
        f.id => r.id.clone(),
        f.ord => ord as u64,
        f.browse => (u64::from(r.browse_tier()) << 32) | ord as u64,
        f.city => r.city.as_str(),
        f.kind => r.kind.as_str(),
        f.title_m => r.title.clone(),
        f.title_b => r.title.clone(),
        f.body_m => r.summary.clone(),
        f.body_b => r.summary.clone(),
        f.reading => r.title.clone(),
    );
    match r.city {
        City::National => national.iter().for_each(|k| d.add_text(f.scope, k)),
        _ => d.add_text(f.scope, r.scope_key()),
    }
    for t in &r.topics {
        d.add_text(f.topic, t);
        d.add_facet(f.facet, Facet::from_path(["topic", t.as_str()]));
    }
    for a in &r.audience {
        d.add_text(f.audience, a);
        d.add_facet(f.facet, Facet::from_path(["audience", a.as_str()]));
    }
    d.add_facet(f.facet, Facet::from_path(["kind", r.kind.as_str()]));
    d.add_facet(f.facet, Facet::from_path(["city", r.city.as_str()]));
    if let Some(fun) = &r.function {
        d.add_facet(f.facet, Facet::from_path(["function", fun.as_str()]));
        d.add_text(f.function, fun);
        d.add_text(f.body_m, fun);
        d.add_text(f.body_b, fun);
    }
    // Keywords: the editor's aliases plus the topic names, so 「介護」 finds every
    // record filed under 高齢者・介護 even when its title says 地域包括支援センター.
    let topic_words = r.topics.iter().map(|t| t.replace(['/', '・'], " "));
    for k in r.keywords.iter().cloned().chain(topic_words) {
        d.add_text(f.keywords_m, &k);
        d.add_text(f.keywords_b, &k);
        d.add_text(f.reading, &k);
    }
    for c in &r.contacts {
        d.add_text(f.body_m, &c.name);
        d.add_text(f.body_b, &c.name);
    }
    for p in r.plan.iter().filter_map(|p| catalog.record(p)) {
        d.add_text(f.body_m, &p.title);
        d.add_text(f.body_b, &p.title);
    }
    d
}
