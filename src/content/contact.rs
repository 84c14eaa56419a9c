//! What a contact is and where each of its facts comes from: sources (shared, with
//! their verbatim excerpts), confidence, whom a number serves, and the `tel:` link.

use std::sync::Arc;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// An official page dated 2022 or later shows the fact directly.
    High,
    /// Older, undated or second-hand: shown with its date so residents double-check.
    Medium,
    /// Only a secondary dataset or directory shows it: a lead for editors, never a
    /// contact residents see (`check` refuses it on a contact).
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// Whom a number serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Anyone may call it.
    #[default]
    Residents,
    /// It serves organisations (e.g. a food bank's supplier line): staff views only.
    Organisations,
}

/// Where a fact comes from. A shared handle: every record and contact citing one
/// source holds the same copy (the excerpts are the catalog's longest strings, and
/// deep copies made its memory grow by kilobytes per record).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Source(Arc<SourceInfo>);

impl Source {
    pub fn new(info: SourceInfo) -> Self {
        Source(Arc::new(info))
    }
}

impl std::ops::Deref for Source {
    type Target = SourceInfo;
    fn deref(&self) -> &SourceInfo {
        &self.0
    }
}

/// What a [`Source`] says of itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceInfo {
    pub title: String,
    pub url: Option<String>,
    pub date: Option<String>,
    #[serde(skip)]
    pub id: String,
    #[serde(skip)]
    pub confidence: Confidence,
    /// When the page was read (added field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen: Option<String>,
    /// Verbatim passages that state the facts this source supports.
    #[serde(skip)]
    pub excerpts: Vec<String>,
    /// Where the excerpts were copied from (a facts pack or plan seed).
    #[serde(skip)]
    pub via: Option<String>,
}

/// A way to reach a window. Serialises to the answer contract's `Contact`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub name: String,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub hours: Option<String>,
    pub address: Option<String>,
    pub url: Option<String>,
    /// The source that states the phone (the contact's source when it has no phone);
    /// its date is the contact's date.
    pub source: Source,
    /// The source of the hours, when another page states them (added field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_source: Option<Source>,
    /// The source of the address, when another page states it (added field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_source: Option<Source>,
    /// "high" or "medium" (added field).
    pub confidence: Confidence,
    /// The notice residents see with this contact: its date and a request to check
    /// before calling. Set for old (see `stale`), undated and medium-confidence sources
    /// (added field).
    pub as_of: Option<String>,
    /// The phone's source is older than `stale_after_years` in content/settings.toml
    /// (added field).
    pub stale: bool,
    /// Whom the number serves; answers only ever carry "residents" (added field).
    pub audience: Audience,
    /// A private person's number: kept for staff, never offered to residents (added field).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
    pub note: Option<String>,
    /// `tel:` link for call buttons (LINE, web), e.g. `tel:0427699222`, `tel:%238008`
    /// (added field).
    pub tel: Option<String>,
}

/// The `tel:` URI for a dialable number: digits only (full-width digits as ASCII),
/// `#` percent-encoded, a leading `+` kept.
pub fn tel_uri(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter_map(|c| match c {
            '0'..='9' | '+' => Some(c.to_string()),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).map(String::from),
            '#' | '＃' => Some("%23".to_string()),
            _ => None,
        })
        .collect();
    format!("tel:{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_buttons_get_tel_uris() {
        assert_eq!(tel_uri("042-769-9222"), "tel:0427699222");
        assert_eq!(tel_uri("#8008"), "tel:%238008");
        assert_eq!(tel_uri("189"), "tel:189");
        // Pages dial what is written (moved here from the web view's own copy).
        assert_eq!(tel_uri("042-769-8237"), "tel:0427698237");
        assert_eq!(tel_uri("０１２０-２７９-３３８"), "tel:0120279338");
    }
}
