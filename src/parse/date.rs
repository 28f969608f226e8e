//! Dates as plan authors write them: `2024-12-15`, `December 15, 2024`,
//! `Dec 15 2024`, `15 Dec 2024`, `15th December 2024`.

use chrono::NaiveDate;

const FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%B %d, %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%b. %d, %Y",
    "%Y/%m/%d",
];

/// Reads a written date; `None` when it is not one (or not a real day).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let cleaned = strip_ordinals(text.trim().trim_end_matches('.'));
    FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(&cleaned, format).ok())
}

/// `15th` -> `15`, so chrono's `%d` can read it.
fn strip_ordinals(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let (digits, suffix) = word.split_at(
                word.find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(word.len()),
            );
            let suffix_plain = suffix.trim_end_matches(',');
            if !digits.is_empty() && matches!(suffix_plain, "st" | "nd" | "rd" | "th") {
                format!("{digits}{}", &suffix[suffix_plain.len()..])
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_forms() {
        let day = NaiveDate::from_ymd_opt(2024, 12, 15);
        for text in [
            "2024-12-15",
            "December 15, 2024",
            "Dec 15 2024",
            "15 Dec 2024",
            "15th December 2024",
            "December 15th, 2024",
        ] {
            assert_eq!(parse_date(text), day, "{text}");
        }
    }

    #[test]
    fn impossible_dates_are_not_dates() {
        assert_eq!(parse_date("2024-13-45"), None);
        assert_eq!(parse_date("next week"), None);
    }
}
