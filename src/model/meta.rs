//! Meta: front matter keys and closing-block facts (`**Approved by:**`)
//! turned into the plan's `Meta`, with a warning for each value of the
//! wrong type. Unknown keys are kept in `extra` for templates.

use crate::diagnostic::Diagnostic;
use crate::model::plan::{Fact, Meta};
use crate::parse::date::parse_date;
use crate::parse::money::{self, Currency};
use crate::parse::status::strip_marks;
use serde_json::{Map, Value};

/// What front matter says beyond `Meta`: fields the builder needs itself.
#[derive(Debug, Default)]
pub struct Overrides {
    pub title: Option<String>,
    pub slug: Option<(String, usize)>,
}

/// Reads the front matter map. `line_of` gives the file line of a key.
pub fn from_front_matter(
    file: &str,
    fields: &Map<String, Value>,
    line_of: &dyn Fn(&str) -> usize,
    site_currency: Option<Currency>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Meta, Overrides) {
    // Long by nature: one match over the front matter keys, each arm
    // reading its key's value or warning about it, read best side by side.
    let mut meta = Meta::default();
    let mut overrides = Overrides::default();
    let mut numeric_budget: Option<serde_json::Number> = None;
    let mut warn = |key: &str, message: String| {
        diagnostics.push(Diagnostic::warning(file, line_of(key), 1, message));
    };
    for (key, value) in fields {
        let text = scalar_text(value);
        match key.as_str() {
            "title" => overrides.title = text.clone(),
            "slug" => overrides.slug = text.clone().map(|s| (s, line_of("slug"))),
            "status" => meta.status = text.clone(),
            "owner" => meta.owner = text.clone(),
            "revised_by" => meta.revised_by = text.clone(),
            "approved_by" => meta.approved_by = text.clone(),
            "summary" => meta.summary = text.clone(),
            "date" | "start" => {
                let parsed = text.as_deref().and_then(parse_date);
                match (parsed, &text) {
                    (Some(day), _) => {
                        if key == "date" {
                            meta.date = Some(day);
                        } else {
                            meta.start = Some(day);
                        }
                    }
                    (None, typed) => {
                        let shown = typed.clone().unwrap_or_else(|| value.to_string());
                        warn(key, format!("`{key}: {shown}` is not a date (write YYYY-MM-DD); kept as text in `extra`"));
                        meta.extra.insert(key.clone(), value.clone());
                    }
                }
            }
            "currency" => match text.as_deref().and_then(Currency::from_code) {
                Some(code) => meta.currency = Some(code),
                None => warn(
                    key,
                    format!(
                        "`currency: {}` is not an ISO 4217 code such as USD or EUR",
                        text.unwrap_or_default()
                    ),
                ),
            },
            "tags" => match value {
                Value::Array(items) => meta.tags = items.iter().filter_map(scalar_text).collect(),
                Value::String(s) => {
                    meta.tags = s
                        .split(',')
                        .map(|t| t.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .collect()
                }
                _ => warn(key, "`tags` should be a list of words".into()),
            },
            "draft" => match value {
                Value::Bool(b) => meta.draft = *b,
                _ => warn(key, format!("`draft: {value}` should be true or false")),
            },
            "weight" => match value.as_i64() {
                Some(w) => meta.weight = Some(w),
                None => warn(key, format!("`weight: {value}` should be a whole number")),
            },
            "budget" => match value {
                // Read after the loop, in the currency the front matter
                // ends up with.
                Value::Number(n) => numeric_budget = Some(n.clone()),
                Value::String(s) => {
                    let dollar = money::dollar_for(meta.currency);
                    match money::find_first(s, dollar) {
                        Some(found) => meta.budget = Some(found.money),
                        None => match money::oversized(s, dollar) {
                            Some(written) => warn(key, money::oversized_message(written)),
                            None => {
                                warn(key, format!("`budget: {value}` is not an amount of money"))
                            }
                        },
                    }
                }
                _ => warn(key, format!("`budget: {value}` is not an amount of money")),
            },
            _ => {
                meta.extra.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(number) = numeric_budget {
        let currency = meta.currency.or(site_currency).unwrap_or(Currency::USD);
        match budget_number(&number, currency) {
            Ok(m) => meta.budget = Some(m),
            Err(message) => {
                diagnostics.push(Diagnostic::warning(file, line_of("budget"), 1, message))
            }
        }
    }
    (meta, overrides)
}

/// A `budget:` written as a number, in the plan's currency (wherever
/// `currency` stands), or the warning saying why it is left out. A whole
/// number is read exactly; a fraction comes as an f64, which holds the
/// cents exactly only up to 2^52 minor units (about 4.5 × 10^13 dollars):
/// beyond that it is left out, never a few cents off.
fn budget_number(number: &serde_json::Number, currency: Currency) -> Result<money::Money, String> {
    let written = number.to_string();
    let minor = match number.as_i64() {
        Some(whole) => Ok(i128::from(whole) * 10i128.pow(currency.exponent())),
        None => match number.as_f64() {
            Some(major) if major.is_finite() && major.abs() <= money::MAX_MAJOR as f64 => {
                let minor = major * 10f64.powi(currency.exponent() as i32);
                if minor.abs() <= F64_EXACT_MINOR {
                    Ok(minor.round() as i128)
                } else {
                    Err(format!(
                        "`budget: {written}` is a decimal number too large to be read to the cent: it is left out (write it as a whole number, or as text such as `budget: \"$1,234.50\"`)"
                    ))
                }
            }
            _ => Err(money::oversized_message(&format!("budget: {written}"))),
        },
    };
    minor.and_then(|minor| {
        money::Money::bounded(minor, currency)
            .ok_or_else(|| money::oversized_message(&format!("budget: {written}")))
    })
}

/// The largest count of minor units an f64 fraction is rounded to exactly
/// (2^52): each integer below it is within half a unit of its f64.
const F64_EXACT_MINOR: f64 = 4_503_599_627_370_496.0;

/// Inline Markdown to plain words: `[Done](https://…)` is `Done`, and
/// emphasis and code marks go.
fn plain_text(value: &str) -> String {
    static LINK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"!?\[([^\]]*)\]\([^)]*\)").expect("valid regex")
    });
    LINK.replace_all(value, "$1")
        .replace(['*', '`'], "")
        .replace("__", "")
        .trim()
        .to_string()
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Fills empty meta fields from closing-block facts such as
/// `**Approved by:** CTO` and `**Date:** December 15, 2024`.
pub fn fill_from_facts(meta: &mut Meta, facts: &[Fact]) {
    for fact in facts {
        let key = fact.key.to_lowercase();
        let value = strip_marks(&plain_text(&fact.value));
        if value.is_empty() {
            continue;
        }
        let slot = match key.as_str() {
            "revised by" => &mut meta.revised_by,
            "approved by" => &mut meta.approved_by,
            "owner" | "author" | "project owner" | "project lead" => &mut meta.owner,
            "status" => &mut meta.status,
            "date" | "last updated" | "updated" => {
                if meta.date.is_none() {
                    meta.date = parse_date(&value);
                }
                continue;
            }
            _ => continue,
        };
        if slot.is_none() {
            *slot = Some(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(fields: serde_json::Value) -> (Meta, Vec<Diagnostic>) {
        let map = fields.as_object().cloned().unwrap_or_default();
        let mut diagnostics = Vec::new();
        let (meta, _) = from_front_matter("p.md", &map, &|_| 2, None, &mut diagnostics);
        (meta, diagnostics)
    }

    #[test]
    fn impossible_dates_are_kept_as_typed_with_a_warning() {
        let (meta, diagnostics) =
            read(serde_json::json!({"date": "2024-13-45", "start": "2025-03-03"}));
        assert_eq!(meta.date, None);
        assert_eq!(meta.start, "2025-03-03".parse().ok());
        assert_eq!(meta.extra["date"], "2024-13-45");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0]
            .message
            .contains("`date: 2024-13-45` is not a date"));
        assert_eq!(diagnostics[0].line, 2);
    }

    #[test]
    fn wrong_types_are_warnings_and_budget_takes_the_currency() {
        let (meta, diagnostics) = read(
            serde_json::json!({"draft": "yes", "weight": "high", "budget": 96000, "currency": "EUR", "tags": "a, b"}),
        );
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        assert_eq!(
            meta.budget.map(|m| (m.minor, m.currency.to_string())),
            Some((9_600_000, "EUR".to_string()))
        );
        assert_eq!(meta.tags, ["a", "b"]);
    }

    #[test]
    fn numeric_budgets_are_read_to_the_cent_or_left_out() {
        let minor = |value: serde_json::Value| {
            let (meta, diagnostics) = read(serde_json::json!({ "budget": value }));
            (meta.budget.map(|m| m.minor), diagnostics.len())
        };
        // A whole number is exact up to the bound (an f64 made this one
        // 99,999,999,999,999,904 cents).
        assert_eq!(
            minor(serde_json::json!(999_999_999_999_999i64)),
            (Some(99_999_999_999_999_900), 0)
        );
        assert_eq!(
            minor(serde_json::json!(-1_000_000_000_000_000i64)),
            (Some(-100_000_000_000_000_000), 0)
        );
        assert_eq!(
            minor(serde_json::json!(1_000_000_000_000_001i64)),
            (None, 1)
        );
        assert_eq!(minor(serde_json::json!(u64::MAX)), (None, 1));
        // A decimal is read to the cent while its f64 holds the cents.
        assert_eq!(minor(serde_json::json!(1234.56)), (Some(123_456), 0));
        assert_eq!(
            minor(serde_json::json!(45_035_996_273.7)),
            (Some(4_503_599_627_370), 0)
        );
        assert_eq!(minor(serde_json::json!(999_999_999_999_999.9)), (None, 1));
        assert_eq!(minor(serde_json::json!(1e300)), (None, 1));
    }

    #[test]
    fn closing_block_fills_empty_fields_only() {
        let mut meta = Meta {
            owner: Some("Front Matter".into()),
            ..Meta::default()
        };
        let fact = |key: &str, value: &str| Fact {
            key: key.into(),
            value: value.into(),
            line: 1,
            money: None,
            weeks: None,
        };
        fill_from_facts(
            &mut meta,
            &[
                fact("Owner", "Closing"),
                fact("Approved by", "CTO"),
                fact("Date", "15 Dec 2024"),
                fact("Status", "✅ [Ready](https://example.com/x)"),
            ],
        );
        assert_eq!(meta.owner.as_deref(), Some("Front Matter"));
        assert_eq!(meta.approved_by.as_deref(), Some("CTO"));
        assert_eq!(meta.date, "2024-12-15".parse().ok());
        assert_eq!(meta.status.as_deref(), Some("Ready"));
    }
}
