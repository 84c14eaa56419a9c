//! Validated content: what the rest of the program may rely on.
//! Built only by `content::load`; every contact has a source, every reference resolves.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use crate::analysis::AnalysisConfig;

use super::contact::{Contact, Source};
pub use super::place::{City, CityInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Window,
    Service,
    Activity,
    Hotline,
    Plan,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Window,
        Kind::Service,
        Kind::Activity,
        Kind::Hotline,
        Kind::Plan,
    ];

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Window => "window",
            Kind::Service => "service",
            Kind::Activity => "activity",
            Kind::Hotline => "hotline",
            Kind::Plan => "plan",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub summary: String,
    pub city: City,
    pub topics: Vec<String>,
    pub audience: Vec<String>,
    /// 社会福祉法 第106条の4 function (重層的支援), where it applies.
    pub function: Option<String>,
    pub keywords: Vec<String>,
    /// Contacts residents may be offered. Shared, so answers can hand them out without
    /// copying every string. Organisation-only and private numbers are never here.
    pub contacts: Vec<Arc<Contact>>,
    /// Organisation-only and private numbers, kept for staff views and editors; the
    /// answer engine never reads this.
    pub restricted: Vec<Arc<Contact>>,
    /// Unconfirmed candidates for editors (low-confidence sources), never shown to residents.
    pub leads: Vec<Lead>,
    /// Plan records this one implements.
    pub plan: Vec<String>,
    pub source: Source,
    /// Record to call while this one has no verified phone.
    pub fallback: Option<String>,
    /// Editor's note on what is missing.
    pub gap: Option<String>,
    /// Ward variants of one window share a group (e.g. 自立支援相談窓口 緑・中央・南).
    pub group: Option<String>,
    /// `file:line` of the open-data file `tsunagu import` made it from (None: written).
    pub imported: Option<String>,
}

/// The keyword that marks a record as a line taking calls in other languages.
pub const FOREIGN_LANGUAGE_TAG: &str = "foreign-language";

impl Record {
    pub fn is_foreign_language_line(&self) -> bool {
        self.keywords.iter().any(|k| k == FOREIGN_LANGUAGE_TAG)
    }

    /// Where a list with no question to rank by (the staff view opened or filtered)
    /// puts the record: a front desk in a city looks for the city's own windows first
    /// (a city's own line in other languages is one of them), then national lines, and
    /// last the national lines in other languages (useful, but their hours are often in
    /// English only). Lower comes first.
    pub fn browse_tier(&self) -> u8 {
        match (self.city, self.is_foreign_language_line()) {
            (City::National, true) => 2,
            (City::National, false) => 1,
            _ => 0,
        }
    }

    pub fn has_phone(&self) -> bool {
        self.contacts.iter().any(|c| c.phone.is_some())
    }

    /// The key a search scope selects this record by: its place's slug.
    pub fn scope_key(&self) -> &str {
        self.city.as_str()
    }
}

/// A candidate fact an editor should confirm before it becomes a contact.
#[derive(Debug, Clone, Serialize)]
pub struct Lead {
    pub text: String,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteStep {
    pub text: String,
    pub record: Option<String>,
    /// The source that states what the step says.
    pub source: Option<String>,
    /// General advice: states no fact about a particular office.
    pub advice: bool,
}

/// A referral route: first contact → referral → what happens next.
#[derive(Debug, Clone, Serialize)]
pub struct Route {
    pub id: String,
    pub city: City,
    pub need: String,
    pub title: String,
    pub steps: Vec<RouteStep>,
    /// A window no public source names for this need in this city (see `RawRoute`).
    pub missing: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Need {
    pub id: String,
    pub label: String,
    pub label_en: Option<String>,
    pub topic: String,
    pub suggestions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Concept {
    pub need: String,
    /// Normalised trigger phrases (NFKC, lowercase, variants applied by the caller).
    pub triggers: Vec<String>,
    pub expand: Vec<String>,
    pub fallback: bool,
}

#[derive(Debug, Clone)]
pub struct Danger {
    pub id: String,
    pub tier: Tier,
    pub message: String,
    pub message_en: Option<String>,
    pub phrases: Vec<String>,
    pub keywords: Vec<String>,
    pub calm_if: Vec<String>,
    /// Each combo: word families, each a list of normalised words; every family must
    /// have a word in the message.
    pub combos: Vec<Vec<Vec<String>>>,
    pub not_with: Vec<String>,
    pub unless: Vec<String>,
    pub stand_down_if: Vec<String>,
    pub hotlines: Vec<String>,
    pub city: HashMap<City, Vec<String>>,
    pub need: Option<String>,
}

/// How loud a recognised sign is: danger raises the crisis block; despair with no
/// clear danger raises the calm support block instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Support,
    Emergency,
}

/// The calm block's words and lines (`[support]` in `content/emergency.toml`).
#[derive(Debug, Clone, Default)]
pub struct SupportBlock {
    pub title: String,
    pub title_en: Option<String>,
    pub message: String,
    pub message_en: Option<String>,
    pub hotlines: Vec<String>,
}

/// One feature's weights, one per label.
pub type WeightRow<'a> = (&'a str, Vec<f32>);

/// `content/detector.toml`: a one-vs-rest logistic model over character n-grams.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DetectorModel {
    /// Danger rule ids (and the support sign), one model each.
    pub labels: Vec<String>,
    pub bias: Vec<f32>,
    /// At or above: the crisis block of the highest-scoring danger.
    pub emergency_at: f32,
    /// At or above (any label): the support block.
    pub support_at: f32,
    /// One line per feature: the n-gram, a tab, one weight per label separated by
    /// spaces. A single string, not a TOML table: 7,000 keys parsed as a table cost the
    /// server ~20 MB of heap that glibc kept.
    pub weights: String,
}

impl DetectorModel {
    /// The weight lines, parsed; the first line that is not `n-gram<TAB>w w …` with one
    /// weight per label, as (line number within `weights`, reason).
    pub fn rows(&self) -> Result<Vec<WeightRow<'_>>, (usize, String)> {
        let mut out = Vec::new();
        for (i, line) in self.weights.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
            let (gram, ws) = line
                .split_once('\t')
                .ok_or_else(|| (i + 1, "no tab between the n-gram and its weights".to_string()))?;
            let ws: Vec<f32> = ws
                .split(' ')
                .map(|w| w.parse::<f32>().map_err(|_| (i + 1, format!("{w:?} is not a number"))))
                .collect::<Result<_, _>>()?;
            if ws.len() != self.labels.len() {
                return Err((i + 1, format!("{} weights for {} labels", ws.len(), self.labels.len())));
            }
            out.push((gram, ws));
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageItem {
    pub plan: String,
    pub text: String,
    pub records: Vec<String>,
}

/// Record position by id. FxHash: a catalog lookup happens for every hit of every
/// answer, and SipHash's protection against chosen keys is not needed for ids that
/// come from the content.
pub type RecordIds = rustc_hash::FxHashMap<String, usize>;

/// Everything in `content/`, validated.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub records: Vec<Record>,
    pub routes: Vec<Route>,
    pub needs: Vec<Need>,
    pub cities: Vec<CityInfo>,
    pub topics: Vec<String>,
    pub audiences: Vec<String>,
    pub functions: Vec<String>,
    pub concepts: Vec<Concept>,
    pub dangers: Vec<Danger>,
    pub support: SupportBlock,
    /// The learned danger detector's weights (`content/detector.toml`), if present.
    pub detector: Option<DetectorModel>,
    pub coverage: Vec<CoverageItem>,
    pub analysis: AnalysisConfig,
    /// SHA-256 over every content file, in path order.
    pub hash: String,
    /// What `check` warns about (old sources, blocks that lost a number), as
    /// file:line: key: reason.
    pub warnings: Vec<crate::content::ContentError>,
    /// From content/settings.toml.
    pub stale_after_years: u32,
    pub(crate) by_id: RecordIds,
}

impl Catalog {
    /// Every place the content holds, municipalities in slug order, `national` last.
    pub fn places(&self) -> Vec<City> {
        self.cities.iter().map(|c| c.id).collect()
    }

    /// The municipalities (every place but `national`).
    pub fn municipalities(&self) -> Vec<City> {
        self.places().into_iter().filter(|c| *c != City::National).collect()
    }

    pub fn record(&self, id: &str) -> Option<&Record> {
        self.by_id.get(id).map(|&i| &self.records[i])
    }

    pub fn need(&self, id: &str) -> Option<&Need> {
        self.needs.iter().find(|n| n.id == id)
    }

    pub fn city(&self, city: City) -> Option<&CityInfo> {
        self.cities.iter().find(|c| c.id == city)
    }

    /// The route for `need` in `city`, if the content has one.
    pub fn route(&self, city: City, need: &str) -> Option<&Route> {
        self.routes
            .iter()
            .find(|r| r.city == city && r.need == need)
    }

    /// Every contact with a phone: the record's own, or else its fallback's.
    pub fn reachable_contacts(&self, record: &Record) -> Vec<Arc<Contact>> {
        let own: Vec<Arc<Contact>> = record
            .contacts
            .iter()
            .filter(|c| c.phone.is_some())
            .cloned()
            .collect();
        if !own.is_empty() {
            return own;
        }
        record
            .fallback
            .as_deref()
            .and_then(|f| self.record(f))
            .map(|fb| {
                fb.contacts
                    .iter()
                    .filter(|c| c.phone.is_some())
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The first contact with a phone: the record's own, or its fallback's.
    pub fn reachable_contact<'a>(&'a self, record: &'a Record) -> Option<&'a Arc<Contact>> {
        let own = record.contacts.iter().find(|c| c.phone.is_some());
        own.or_else(|| {
            let fb = self.record(record.fallback.as_deref()?)?;
            fb.contacts.iter().find(|c| c.phone.is_some())
        })
    }
}
