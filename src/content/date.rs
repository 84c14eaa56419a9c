//! Calendar dates of sources: their age is what residents are told about.

use std::time::{SystemTime, UNIX_EPOCH};

/// A calendar date; sources may give only a year or a year and month (the missing parts
/// count as the first day, so a year-only date is treated as its oldest possibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// `2023`, `2023-03` or `2023-03-01`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next().map_or(Some(1), |m| m.parse().ok())?;
        let day = parts.next().map_or(Some(1), |d| d.parse().ok())?;
        Some(Date { year, month, day })
    }

    /// Today's date (UTC) from the system clock.
    pub fn today() -> Date {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days((secs / 86_400) as i64)
    }

    /// Today's date in Japan (UTC+9, no daylight saving), e.g. for a slip's issue date.
    pub fn today_in_japan() -> Date {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Date::from_days(((secs + 9 * 3600) / 86_400) as i64)
    }

    /// Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    pub(super) fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400) as i32 + i32::from(month <= 2);
        Date { year, month, day }
    }

    /// The same day `years` years earlier.
    pub fn years_before(self, years: u32) -> Date {
        Date {
            year: self.year - years as i32,
            ..self
        }
    }
}

/// Whether a source dated `date` is older than `years` years on `today`. Undated
/// sources are not "stale" (their notice says they have no date instead).
pub fn is_stale(date: Option<&str>, today: Date, years: u32) -> bool {
    date.and_then(Date::parse)
        .is_some_and(|d| d < today.years_before(years))
}

/// `2026-12-03`.
impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}
