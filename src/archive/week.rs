//! ISO week keys (`2025-W10`): the name of a snapshot and of its folder.

use chrono::{Datelike, NaiveDate, Weekday};
use std::fmt;

/// The years a week may be in: four digits, from the Unix epoch on.
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=9999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WeekKey {
    pub year: i32,
    pub week: u32,
}

impl WeekKey {
    /// The ISO week a date falls in.
    pub fn of(date: NaiveDate) -> WeekKey {
        let iso = date.iso_week();
        WeekKey {
            year: iso.year(),
            week: iso.week(),
        }
    }

    /// Reads `2025-W10` (also `2025-w10`); `None` for anything else,
    /// including weeks a year does not have and years outside `YEARS`
    /// (a year is four digits, no sign).
    pub fn parse(text: &str) -> Option<WeekKey> {
        let (year, week) = text.trim().split_once(['W', 'w'])?;
        let year = year.strip_suffix('-')?;
        if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        if !YEARS.contains(&year) {
            return None;
        }
        if week.len() != 2 || !week.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let week: u32 = week.parse().ok()?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
        Some(WeekKey { year, week })
    }

    /// The Monday the week starts on.
    pub fn monday(&self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Mon).unwrap_or(NaiveDate::MIN)
    }

    /// The Sunday the week ends on: archived pages speak as of this day.
    pub fn sunday(&self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.week, Weekday::Sun).unwrap_or(NaiveDate::MIN)
    }
}

impl fmt::Display for WeekKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

/// As its text (`2025-W10`): the key of a week in the records a build
/// keeps for the next one.
impl serde::Serialize for WeekKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for WeekKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        WeekKey::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not an ISO week")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks() {
        let date = NaiveDate::from_ymd_opt(2025, 3, 7).expect("date");
        assert_eq!(WeekKey::of(date).to_string(), "2025-W10");
        // 29 Dec 2025 belongs to week 1 of 2026.
        let date = NaiveDate::from_ymd_opt(2025, 12, 29).expect("date");
        assert_eq!(WeekKey::of(date).to_string(), "2026-W01");
        let key = WeekKey::parse("2025-W10").expect("valid");
        assert_eq!(
            key.monday(),
            NaiveDate::from_ymd_opt(2025, 3, 3).expect("date")
        );
        assert_eq!(
            key.sunday(),
            NaiveDate::from_ymd_opt(2025, 3, 9).expect("date")
        );
        for bad in [
            "2025-W54",
            "2025-10",
            "W10",
            "2025-W1",
            "2025-W10x",
            "../2025-W10",
            "0000-W01",
            "99999-W01",
            "1969-W01",
            "+2025-W01",
            "-001-W01",
        ] {
            assert_eq!(WeekKey::parse(bad), None, "{bad}");
        }
        assert!(WeekKey::parse("2026-W53").is_some());
    }
}
