//! The words and line shapes every reader of the model recognises: a
//! bold key (`**Budget:** $18,000`), a label paragraph, the keys that name
//! a budget, and the words that open a total row. A leaf of the builder:
//! the readers import it, it imports none of them.

use crate::parse::status::strip_marks;

/// A fact line, `**Key:** value` (or `**Key**: value`, `__Key:__ value`):
/// its key and value, both untrimmed.
pub(super) fn fact(line: &str) -> Option<(&str, &str)> {
    bold_key(line, |rest| !rest.contains('\n'))
}

/// A label paragraph, `**Success Criteria:**` and nothing after it.
pub(super) fn label(text: &str) -> Option<&str> {
    bold_key(text, |rest| rest.is_empty()).map(|(key, _)| key)
}

/// A bold key at the start of `text`: `**` or `__`, the key (1 to 80
/// characters, none of them `*`, `_` or a line break; the shortest that
/// works), then `:` and the closing `**`/`__`, or the closing `**`/`__`
/// and `:`, with any white space around them. What follows, white space
/// at its start removed, must satisfy `rest`. It is the pattern
/// `^(?:\*\*|__)([^*_\n]{1,80}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(.*)$`,
/// written out: resolving that pattern's captures (80 copies of a Unicode
/// class) was the largest single cost in reading a plan.
fn bold_key<'t>(text: &'t str, rest: impl Fn(&str) -> bool) -> Option<(&'t str, &'t str)> {
    let body = text
        .strip_prefix("**")
        .or_else(|| text.strip_prefix("__"))?;
    let delimiter = |s: &'t str| s.strip_prefix("**").or_else(|| s.strip_prefix("__"));
    for (count, (at, c)) in body.char_indices().enumerate() {
        if count == 80 || matches!(c, '*' | '_' | '\n') {
            break;
        }
        let key_end = at + c.len_utf8();
        let after = body[key_end..].trim_start();
        let value = match after.strip_prefix(':') {
            Some(colon) => delimiter(colon.trim_start()),
            None => delimiter(after).and_then(|d| d.trim_start().strip_prefix(':')),
        };
        if let Some(value) = value.map(str::trim_start).filter(|v| rest(v)) {
            return Some((&body[..key_end], value));
        }
    }
    None
}

pub(super) const BUDGET_KEYS: &[&str] = &[
    "budget",
    "cost",
    "costs",
    "total cost",
    "estimated cost",
    "budget allocation",
    "funding",
    "funding required",
    "funding requested",
    "requested funding",
    "amount requested",
    "presupuesto",
    "orçamento",
    "kosten",
    "coût",
    "coûts",
];

/// A word that opens a total line or row (`Total`, `Subtotal`, `SUM`,
/// `Gesamt`, `Grand total`), lower-case.
pub(super) fn is_total_word(word: &str) -> bool {
    matches!(
        word,
        "total" | "subtotal" | "sum" | "summe" | "gesamt" | "totale" | "grand"
    )
}

/// A table cell that opens with a total word (`**Total**`, `Total (EUR)`):
/// the row closes a table of amounts.
pub(super) fn is_total_cell(cell: &str) -> bool {
    let plain = strip_marks(cell).to_lowercase();
    let first = plain
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    is_total_word(first)
}

/// A key that names the plan's total budget: a total word and a money
/// word (`Total Budget Requested`, `Overall cost`, `Gesamtkosten`), in
/// the languages plans are written in.
pub(super) fn is_total_key(key: &str) -> bool {
    let key = strip_marks(key).to_lowercase();
    if ["gesamtkosten", "gesamtbudget", "budget total", "coût total"].contains(&key.as_str()) {
        return true;
    }
    let words: Vec<&str> = key
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let total = words
        .iter()
        .any(|w| matches!(*w, "total" | "overall" | "gesamt" | "totale" | "grand"));
    let money = words.iter().any(|w| {
        matches!(
            *w,
            "budget"
                | "budgets"
                | "cost"
                | "costs"
                | "funding"
                | "grant"
                | "amount"
                | "requested"
                | "presupuesto"
                | "orçamento"
                | "kosten"
                | "coût"
                | "coûts"
        )
    });
    total && money
}

#[cfg(test)]
mod tests {
    use regex::Regex;

    const FACT: &str = r"^(?:\*\*|__)(?P<key>[^*_\n]{1,80}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*(?P<value>.*)$";
    const LABEL: &str =
        r"^(?:\*\*|__)(?P<key>[^*_\n]{1,80}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)\s*:)\s*$";

    fn by_pattern<'t>(pattern: &Regex, text: &'t str) -> Option<(&'t str, &'t str)> {
        let caps = pattern.captures(text)?;
        let value = caps.name("value").map_or("", |m| m.as_str());
        Some((caps.name("key")?.as_str(), value))
    }

    #[test]
    fn facts_and_labels_read_as_written() {
        assert_eq!(
            super::fact("**Budget:** $18,000"),
            Some(("Budget", "$18,000"))
        );
        assert_eq!(
            super::fact("__Owner__: Ops team"),
            Some(("Owner", "Ops team"))
        );
        assert_eq!(
            super::fact("**Phase 1: Setup:** x"),
            Some(("Phase 1: Setup", "x"))
        );
        assert_eq!(super::fact("**Budget** $5"), None);
        assert_eq!(
            super::label("**Success Criteria:**\n"),
            Some("Success Criteria")
        );
        assert_eq!(super::label("**Success Criteria:** more"), None);
    }

    proptest::proptest! {
        /// The hand-written reading is the pattern's, key and value.
        #[test]
        fn the_reading_is_the_patterns(text in "(\\*\\*|__|[*_: \t\nab:é]){0,14}") {
            let fact = Regex::new(FACT).expect("pattern");
            let label = Regex::new(LABEL).expect("pattern");
            let line = text.lines().next().unwrap_or("");
            proptest::prop_assert_eq!(super::fact(line), by_pattern(&fact, line));
            proptest::prop_assert_eq!(super::label(&text), by_pattern(&label, &text).map(|(k, _)| k));
        }

        #[test]
        fn long_keys_stop_at_eighty(n in 70usize..90) {
            let fact = Regex::new(FACT).expect("pattern");
            let line = format!("**{}:** v", "k".repeat(n));
            proptest::prop_assert_eq!(super::fact(&line), by_pattern(&fact, &line));
        }
    }
}
