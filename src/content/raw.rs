//! The serde shape of the files in `content/`, exactly as editors write them.
//! Unknown keys are rejected so a typo (`phnoe = …`) is an error, not a silent gap.
//! Nothing here is used outside `content`; `model` holds the validated types.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

type S = Spanned<String>;

/// `content/<city>/*.toml` with records.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordFile {
    pub city: S,
    /// Default source id for the records in this file (where the record is named).
    pub source: Option<S>,
    #[serde(default)]
    pub record: Vec<Spanned<RawRecord>>,
    #[serde(default)]
    pub route: Vec<Spanned<RawRoute>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecord {
    pub id: S,
    pub kind: S,
    pub title: S,
    #[serde(default)]
    pub summary: Option<S>,
    #[serde(default)]
    pub topics: Vec<S>,
    #[serde(default)]
    pub audience: Vec<S>,
    #[serde(default)]
    pub function: Option<S>,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub plan: Vec<S>,
    pub source: Option<S>,
    /// Where to send people while this record has no verified phone.
    pub fallback: Option<S>,
    /// Records that are one window in several places (one per ward) share a group;
    /// answers show the best of a group first and its siblings after other help.
    pub group: Option<String>,
    /// Why the contact is missing, for editors (shown in `tsunagu check --gaps`).
    pub gap: Option<String>,
    /// Set by `tsunagu import`: the file and line the record came from, so editors can
    /// tell imported records from written ones.
    pub imported: Option<String>,
    #[serde(default)]
    pub contact: Vec<Spanned<RawContact>>,
    /// Unconfirmed candidates for editors (`tsunagu gaps`); never shown to residents.
    #[serde(default)]
    pub lead: Vec<Spanned<RawLead>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLead {
    /// What the lead says, e.g. "なえづ地域包括支援センター 0235-26-9260".
    pub text: String,
    /// Usually a `confidence = "low"` source.
    pub source: S,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    pub name: S,
    pub phone: Option<S>,
    pub fax: Option<S>,
    pub email: Option<S>,
    pub hours: Option<S>,
    pub address: Option<S>,
    pub url: Option<String>,
    pub note: Option<String>,
    /// Source of the whole contact (name); also the default for each claim below.
    pub source: Option<S>,
    /// The source whose excerpt states the phone (and fax); its date is the contact's date.
    pub phone_source: Option<S>,
    /// The source whose excerpt states the hours.
    pub hours_source: Option<S>,
    /// The source whose excerpt states the address.
    pub address_source: Option<S>,
    /// Who the number serves: "residents" (default) or "organisations" (kept for staff,
    /// never offered to residents).
    pub audience: Option<S>,
    /// A private person's number (e.g. a volunteer's mobile): never offered to residents.
    #[serde(default)]
    pub private: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoute {
    pub id: S,
    pub need: S,
    pub title: S,
    /// The window this need would have in this city that no public source names (a
    /// dedicated ごみ屋敷 window): the route goes to the city's general windows, and
    /// `tsunagu gaps` lists this one as missing.
    pub missing: Option<String>,
    #[serde(default)]
    pub step: Vec<Spanned<RawStep>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub text: S,
    pub record: Option<S>,
    /// The source that states what the step says (who guides what, which office exists).
    pub source: Option<S>,
    /// General advice that states no fact about a particular office.
    #[serde(default)]
    pub advice: bool,
}

/// `content/sources.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcesFile {
    #[serde(default)]
    pub source: BTreeMap<String, Spanned<RawSource>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: S,
    pub url: Option<String>,
    pub date: Option<S>,
    pub confidence: S,
    /// When the page was read (the stored copy behind the facts pack), YYYY[-MM[-DD]].
    pub seen: Option<S>,
    /// Verbatim passages of the page that state the phone numbers, hours and addresses
    /// this source supports (line breaks collapsed to one space).
    #[serde(default)]
    pub excerpts: Vec<S>,
    /// Where the excerpts were copied from, e.g. "facts/sagamihara.md".
    pub via: Option<String>,
}

/// `content/settings.toml`: editorial settings that are not content.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    /// A contact whose phone source is older than this many years is stale: `check`
    /// warns and residents see its date with a request to check before calling.
    pub stale_after_years: Spanned<u32>,
    /// National short numbers fixed by law or by the state (110, 119, 189, 188) never
    /// go stale: a crisis block must not ask someone to check a website before dialling 110.
    #[serde(default)]
    pub never_stale: Vec<String>,
}

/// `content/taxonomy.toml`: what topics, audiences, functions, cities and needs exist.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyFile {
    pub topics: Vec<S>,
    pub audiences: Vec<S>,
    pub functions: Vec<S>,
    pub need: Vec<Spanned<RawNeed>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityFile {
    pub name: S,
    pub reading: S,
    pub prefecture: S,
    /// The area code its sources may leave off (「☎29-4180」 for 0235-29-4180).
    pub area_code: Option<S>,
    /// The first-contact windows shown when nothing matches (general consultation).
    #[serde(default)]
    pub general: Vec<S>,
    /// Local lines its crisis blocks add after the national ones.
    #[serde(default)]
    pub crisis: Vec<S>,
    /// Languages its residents write in.
    #[serde(default)]
    pub languages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNeed {
    pub id: S,
    pub label: S,
    /// The need in one line of English, for questions asked in English.
    pub label_en: Option<String>,
    pub topic: S,
    /// Follow-up questions offered as chips / quick replies.
    #[serde(default)]
    pub suggestions: Vec<String>,
}

/// `content/lexicon.toml`: colloquial phrases → needs and formal search terms.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconFile {
    pub concept: Vec<Spanned<RawConcept>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConcept {
    pub need: S,
    pub triggers: Vec<S>,
    #[serde(default)]
    pub expand: Vec<String>,
    /// A catch-all need (「どこに相談すれば」): it comes after any topic the question
    /// also names, so "who can help with my elderly mother" is about care.
    #[serde(default)]
    pub fallback: bool,
}

/// `content/emergency.toml`: danger signals and the lines shown first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyFile {
    /// Word families (`partner = ["夫", "旦那", …]`) that `combos` name.
    #[serde(default)]
    pub terms: BTreeMap<String, Vec<String>>,
    /// Which public guidance (source ids in `sources.toml`) a word family or a rule was
    /// written from: `despair = ["g-mhlw-sign"]`, `danger.dv = ["g-gender-dv"]`.
    #[serde(default)]
    pub cites: BTreeMap<String, Vec<S>>,
    pub danger: Vec<Spanned<RawDanger>>,
    /// The calm block for despair that names no clear danger.
    pub support: Option<Spanned<RawSupport>>,
}

/// `[support]` in `content/emergency.toml`: the block shown above the results when a
/// support-tier rule is raised and no danger is (「つらい気持ちを話せる窓口」).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSupport {
    pub title: S,
    pub title_en: Option<String>,
    pub message: S,
    pub message_en: Option<String>,
    /// Lines that listen, a 24-hour one first.
    pub hotlines: Vec<S>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDanger {
    pub id: S,
    /// `emergency` (the default: the crisis block) or `support` (the calm block).
    pub tier: Option<S>,
    /// The crisis block's words; support-tier rules show `[support]`'s and have none.
    pub message: Option<S>,
    /// The message in English, shown above the Japanese one to English questions.
    pub message_en: Option<String>,
    /// Any one of these alone raises the danger.
    #[serde(default)]
    pub phrases: Vec<S>,
    /// Naming the danger itself (dv, 虐待): raises it unless a `calm_if` word shows the
    /// question is about learning or prevention (DV防止の講座).
    #[serde(default)]
    pub keywords: Vec<S>,
    #[serde(default)]
    pub calm_if: Vec<String>,
    /// Each combo lists word families from `[terms]`; a word of every family in the
    /// message raises the danger (a partner + being hit, whatever the wording).
    #[serde(default)]
    pub combos: Vec<Vec<S>>,
    /// Words that switch this rule's combos off (a carer's 娘 is not a child at risk).
    #[serde(default)]
    pub not_with: Vec<String>,
    /// Phrases that look alarming but are ordinary questions (自殺対策計画とは).
    #[serde(default)]
    pub unless: Vec<String>,
    /// Words that say the whole message is about something else (a parent afraid of
    /// being *thought* an abuser, release from prison): the rule is not raised at all.
    #[serde(default)]
    pub stand_down_if: Vec<String>,
    pub hotlines: Vec<S>,
    #[serde(default)]
    pub city: BTreeMap<String, Vec<S>>,
    /// The need whose windows and route follow the crisis block.
    pub need: Option<S>,
}

/// `content/analysis.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisFile {
    #[serde(default)]
    pub variants: BTreeMap<String, String>,
    #[serde(default)]
    pub user_words: BTreeMap<String, String>,
    /// Ruby readings IPADIC gets wrong in this content (一人 → ひとり), in hiragana.
    #[serde(default)]
    pub readings: BTreeMap<String, String>,
}

/// `content/coverage.toml`: every item the plans name → the records that cover it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageFile {
    pub item: Vec<Spanned<RawCoverage>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoverage {
    pub plan: S,
    pub text: S,
    pub records: Vec<S>,
}
