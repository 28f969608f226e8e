//! Calendar dates and periods in running text, in the forms real plans use:
//! ISO (`2025-03-15`, and `2025.03.15` as Chinese, Japanese and Korean
//! plans write it), `March 15, 2024`, `15 March 2024`, `Tuesday 18th
//! March 2025` (any ordinal suffix, typos such as `21th` included),
//! `15/03/2024` or `03/15/2024`, `15.03.2024`, `12/03/25`, `2025年3月15日`,
//! month names in English, German, French, Spanish, Portuguese and Italian
//! (abbreviated too), months (`May 2025`), quarters and halves (`Q3 2025`,
//! `T4 2025`, `2025Q3`, `2025H2`, `22H1`, `the second half of 2024`), and ranges of any of these
//! (`Jan 6 – Feb 14, 2025`, `2025-03-10 → 2025-03-21`, `from 1st March
//! 2024 to July 31st, 2024`, `March 10-14, 2025`).
//!
//! Written here, table-driven, rather than with a date-parsing crate:
//! chrono reads one known format at a time; the free-text readers on
//! crates.io either know English only (`date_time_parser_multi_language`,
//! experimental) or aim at relative phrases in hundreds of languages with
//! large data tables (`dateoxide-core`), and none reads quarters, halves
//! or `Jan 6 – Feb 14` ranges, or decides a file's day/month order from
//! its other dates. chrono does the calendar arithmetic.
//!
//! A day written with slashes whose order cannot be told (`03/04/2024`)
//! reads as the order the caller decided for the file ([`Order`]); when it
//! is `Unknown`, the date is left out and `ambiguous` says so, so the
//! caller can warn. A date without a year takes the year of the other end
//! of its range, else the context year, else it is left out.

use chrono::{Datelike, Days, NaiveDate};
use regex::{Regex, RegexSet};
use std::sync::LazyLock;

/// How a slashed day such as `03/04/2024` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    DayFirst,
    MonthFirst,
    #[default]
    Unknown,
}

/// What a reader knows before reading a piece of text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    /// The year of the nearest dated context, for dates written without one.
    pub year: Option<i32>,
    pub order: Order,
}

/// The first date or period found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// True when the text names one day (a due point), not a period.
    pub single_day: bool,
    /// A slashed date whose day/month order could not be decided.
    pub ambiguous: bool,
}

const MONTHS: &[(&str, u32)] = &[
    // English
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("mär", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("okt", 10),
    ("dezember", 12),
    ("dez", 12),
    // French
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("fevrier", 2),
    ("févr", 2),
    ("fév", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("déc", 12),
    // Spanish
    ("enero", 1),
    ("ene", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("abr", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("dic", 12),
    // Portuguese
    ("janeiro", 1),
    ("fevereiro", 2),
    ("fev", 2),
    ("março", 3),
    ("marco", 3),
    ("maio", 5),
    ("junho", 6),
    ("julho", 7),
    ("setembro", 9),
    ("outubro", 10),
    ("novembro", 11),
    ("dezembro", 12),
    // Italian
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("mag", 5),
    ("giugno", 6),
    ("giu", 6),
    ("luglio", 7),
    ("lug", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("ott", 10),
    ("dicembre", 12),
];
// Left out on purpose: `set`, `out`, `gen`, `ago`: English words that a
// number may follow (`set 2 servers`) more often than they are months.

/// Month names of languages other than English: a file using them writes
/// the day first.
pub fn is_non_english_month(word: &str) -> bool {
    let word = word.to_lowercase();
    let english = MONTHS.iter().take(24).any(|(n, _)| *n == word);
    !english && MONTHS.iter().any(|(n, _)| *n == word)
}

fn month_of(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.');
    MONTHS.iter().find(|(n, _)| *n == word).map(|(_, m)| *m)
}

fn month_alternation() -> String {
    let mut names: Vec<&str> = MONTHS.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.join("|")
}

const DAY: &str = r"(\d{1,2})(?:st|nd|rd|th|er|e|º|ª|\.)?";

/// Each form, tried over the lower-cased text; the kind says how its
/// groups read.
#[derive(Clone, Copy)]
enum Kind {
    Iso,
    Cjk,
    CjkMonth,
    Slashed,
    Dotted,
    MonthDayDayYear,
    DayDayMonthYear,
    MonthDayYear,
    DayMonthYear,
    MonthYear,
    QuarterYear,
    YearQuarter,
    HalfYear,
    YearHalf,
    WordHalf,
}

/// One form of `FORMS`: its pattern, and the pattern compiled the first
/// time `FORM_SET` finds the form in a text (most forms never occur in a
/// site's plans, and compiling every one cost more than reading the plans'
/// dates).
struct Form {
    kind: Kind,
    pattern: String,
    regex: std::sync::OnceLock<Option<Regex>>,
}

impl Form {
    fn regex(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| Regex::new(&self.pattern).ok())
            .as_ref()
    }
}

static FORMS: LazyLock<Vec<Form>> = LazyLock::new(|| {
    let mon = format!(r"({})\.?", month_alternation());
    let year = r"(\d{4})";
    let forms = [
        (
            Kind::Iso,
            r"(?-u:\b)(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?-u:\b)".to_string(),
        ),
        // Year first with dots, as Chinese, Japanese and Korean plans
        // write days (`2024.10.25`): read as ISO.
        (
            Kind::Iso,
            r"(?-u:\b)(\d{4})\.(\d{1,2})\.(\d{1,2})(?-u:\b)".to_string(),
        ),
        (
            Kind::Cjk,
            r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日".to_string(),
        ),
        (Kind::CjkMonth, r"(\d{4})\s*年\s*(\d{1,2})\s*月".to_string()),
        (
            Kind::Slashed,
            r"(?-u:\b)(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?-u:\b)".to_string(),
        ),
        (
            Kind::Dotted,
            r"(?-u:\b)(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?-u:\b)".to_string(),
        ),
        (
            Kind::MonthDayDayYear,
            format!(r"(?-u:\b){mon}\s+{DAY}\s*[-–—]\s*{DAY},?(?:\s+{year})?(?-u:\b)"),
        ),
        (
            Kind::DayDayMonthYear,
            format!(
                r"(?-u:\b){DAY}\s*[-–—]\s*{DAY}\s+(?:de\s+)?{mon}(?:,?\s+(?:de\s+)?{year})?(?-u:\b)"
            ),
        ),
        (
            Kind::MonthDayYear,
            format!(r"(?-u:\b){mon}\s+{DAY}(?:,?\s+{year})?(?-u:\b)"),
        ),
        (
            Kind::DayMonthYear,
            format!(r"(?-u:\b){DAY}\s+(?:de\s+|of\s+)?{mon}(?:,?\s+(?:de\s+)?{year})?(?-u:\b)"),
        ),
        (
            Kind::MonthYear,
            format!(r"(?-u:\b){mon},?\s+(?:de\s+)?{year}(?-u:\b)"),
        ),
        (
            Kind::QuarterYear,
            r"(?-u:\b)[qt]([1-4])[\s/-]*(\d{4})(?-u:\b)".to_string(),
        ),
        (
            Kind::YearQuarter,
            r"(?-u:\b)(\d{4})[\s/-]*[qt]([1-4])(?-u:\b)".to_string(),
        ),
        (
            Kind::HalfYear,
            r"(?-u:\b)[hs]([12])[\s/-]*(\d{4})(?-u:\b)".to_string(),
        ),
        (
            Kind::YearHalf,
            r"(?-u:\b)(\d{4}|\d{2})\s*h([12])(?-u:\b)".to_string(),
        ),
        (
            Kind::WordHalf,
            r"(?-u:\b)(first|second|1st|2nd)\s+half\s+of\s+(\d{4})(?-u:\b)".to_string(),
        ),
    ];
    // Word boundaries are ASCII ones (every month name begins and ends
    // with an ASCII letter): the fast engine gives up on a Unicode boundary
    // in a line with any non-ASCII character (an emoji, an accent), and the
    // slow one then read every such line.
    forms
        .into_iter()
        .map(|(kind, pattern)| Form {
            kind,
            pattern,
            regex: std::sync::OnceLock::new(),
        })
        .collect()
});

/// All of `FORMS` in one automaton: one pass tells which forms occur in a
/// line, so the capturing search (the slower engine) runs only for those;
/// most lines a plan holds name no date at all.
static FORM_SET: LazyLock<Option<RegexSet>> =
    LazyLock::new(|| RegexSet::new(FORMS.iter().map(|form| form.pattern.as_str())).ok());

/// One date or period as written, before years are filled in.
#[derive(Debug, Clone, Copy)]
struct Item {
    from: usize,
    to: usize,
    start: Partial,
    end: Partial,
    single_day: bool,
    ambiguous: bool,
}

/// A day that may lack its year; `day == 0` means "the month's first day"
/// for a start and "its last day" for an end.
#[derive(Debug, Clone, Copy)]
struct Partial {
    year: Option<i32>,
    month: u32,
    day: u32,
}

fn num(text: Option<regex::Match<'_>>) -> Option<u32> {
    text?.as_str().parse().ok()
}

fn full_year(y: u32) -> i32 {
    if y < 100 {
        2000 + y as i32
    } else {
        y as i32
    }
}

fn item(kind: Kind, c: &regex::Captures<'_>, order: Order) -> Option<Item> {
    // Long by nature: one match over the written forms of dates, each arm
    // reading its own captures; side by side they show every form's order
    // of day, month and year.
    let whole = c.get(0)?;
    let day = |y: Option<u32>, m: u32, d: u32| Partial {
        year: y.map(full_year),
        month: m,
        day: d,
    };
    let span = |y: u32, first: u32, last: u32| (day(Some(y), first, 1), day(Some(y), last, 0));
    let mut ambiguous = false;
    let (start, end, single_day) = match kind {
        Kind::Iso | Kind::Cjk => {
            let p = day(num(c.get(1)), num(c.get(2))?, num(c.get(3))?);
            (p, p, true)
        }
        Kind::CjkMonth => {
            let m = num(c.get(2))?;
            let (s, e) = span(num(c.get(1))?, m, m);
            (s, e, false)
        }
        Kind::Slashed | Kind::Dotted => {
            let (a, b, y) = (num(c.get(1))?, num(c.get(2))?, num(c.get(3)));
            let day_first = match kind {
                Kind::Dotted => true,
                _ if a > 12 => true,
                _ if b > 12 => false,
                _ if a == b => true,
                _ => match order {
                    Order::DayFirst => true,
                    Order::MonthFirst => false,
                    Order::Unknown => {
                        ambiguous = true;
                        true
                    }
                },
            };
            let p = if day_first {
                day(y, b, a)
            } else {
                day(y, a, b)
            };
            (p, p, true)
        }
        Kind::MonthDayDayYear => {
            let m = month_of(c.get(1)?.as_str())?;
            let y = num(c.get(4));
            (day(y, m, num(c.get(2))?), day(y, m, num(c.get(3))?), false)
        }
        Kind::DayDayMonthYear => {
            let m = month_of(c.get(3)?.as_str())?;
            let y = num(c.get(4));
            (day(y, m, num(c.get(1))?), day(y, m, num(c.get(2))?), false)
        }
        Kind::MonthDayYear => {
            let p = day(num(c.get(3)), month_of(c.get(1)?.as_str())?, num(c.get(2))?);
            (p, p, true)
        }
        Kind::DayMonthYear => {
            let p = day(num(c.get(3)), month_of(c.get(2)?.as_str())?, num(c.get(1))?);
            (p, p, true)
        }
        Kind::MonthYear => {
            let m = month_of(c.get(1)?.as_str())?;
            let (s, e) = span(num(c.get(2))?, m, m);
            (s, e, false)
        }
        Kind::QuarterYear | Kind::YearQuarter => {
            let (q, y) = match kind {
                Kind::QuarterYear => (num(c.get(1))?, num(c.get(2))?),
                _ => (num(c.get(2))?, num(c.get(1))?),
            };
            let (s, e) = span(y, q * 3 - 2, q * 3);
            (s, e, false)
        }
        Kind::HalfYear | Kind::YearHalf => {
            let (h, y) = match kind {
                Kind::HalfYear => (num(c.get(1))?, num(c.get(2))?),
                _ => (num(c.get(2))?, num(c.get(1))?),
            };
            let (s, e) = span(y, h * 6 - 5, h * 6);
            (s, e, false)
        }
        Kind::WordHalf => {
            let h = match c.get(1)?.as_str() {
                "first" | "1st" => 1,
                _ => 2,
            };
            let (s, e) = span(num(c.get(2))?, h * 6 - 5, h * 6);
            (s, e, false)
        }
    };
    if !(1..=12).contains(&start.month) || !(1..=12).contains(&end.month) {
        return None;
    }
    Some(Item {
        from: whole.start(),
        to: whole.end(),
        start,
        end,
        single_day,
        ambiguous,
    })
}

/// Day names, skipped between the two ends of a range
/// (`Monday Jan 8 - Wednesday Jan 24`).
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
    "segunda",
    "terça",
    "quarta",
    "quinta",
    "sexta",
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
];

/// Words between two dates that make them one range.
fn is_connector(between: &str) -> bool {
    let kept: Vec<&str> = between
        .split_whitespace()
        .filter(|w| !WEEKDAYS.contains(&w.trim_end_matches([',', '.'])))
        .collect();
    let joined = kept.join(" ");
    let t = joined
        .trim()
        .trim_matches(|c: char| c == ',' || c == '(' || c == ')');
    matches!(
        t.trim(),
        "-" | "–"
            | "—"
            | "→"
            | "->"
            | "=>"
            | "~"
            | "～"
            | "to"
            | "until"
            | "till"
            | "through"
            | "thru"
            | "bis"
            | "au"
            | "à"
            | "a"
            | "al"
            | "hasta"
            | "até"
            | "ao"
            | "al-"
            | "至"
            | "到"
            | "-->"
            | "and"
            | "y"
            | "et"
            | "und"
            | "e"
            | "fino al"
            | "jusqu'au"
    )
}

/// All dates and periods in a text, in order, overlapping forms resolved
/// in favour of the longest.
fn items(lower: &str, order: Order) -> Vec<Item> {
    let mut found: Vec<Item> = Vec::new();
    let Some(set) = FORM_SET.as_ref() else {
        return found;
    };
    for index in set.matches(lower).iter() {
        let Some(form) = FORMS.get(index) else {
            continue;
        };
        let Some(re) = form.regex() else {
            continue;
        };
        for c in re.captures_iter(lower) {
            if let Some(it) = item(form.kind, &c, order) {
                found.push(it);
            }
        }
    }
    found.sort_by_key(|i| (i.from, std::cmp::Reverse(i.to)));
    let mut kept: Vec<Item> = Vec::new();
    for it in found {
        if kept.last().is_none_or(|k| it.from >= k.to) {
            kept.push(it);
        }
    }
    kept
}

fn resolve(p: Partial, year: Option<i32>, is_end: bool) -> Option<NaiveDate> {
    let y = p.year.or(year)?;
    if p.day == 0 {
        let first = NaiveDate::from_ymd_opt(y, p.month, 1)?;
        if is_end {
            return first
                .checked_add_months(chrono::Months::new(1))?
                .checked_sub_days(Days::new(1));
        }
        return Some(first);
    }
    NaiveDate::from_ymd_opt(y, p.month, p.day)
}

/// Cheap test before any regex runs: a date needs a digit.
fn may_hold_date(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

/// The first date or period in `text`: a range when two dates are joined
/// by a dash, an arrow or a word such as `to`, `bis`, `au`, `hasta`.
pub fn find(text: &str, context: &Context) -> Option<Period> {
    if !may_hold_date(text) {
        return None;
    }
    let lower = text.to_lowercase();
    let found = items(&lower, context.order);
    let first = *found.first()?;
    let (mut start, mut end, mut single_day, ambiguous) =
        (first.start, first.end, first.single_day, first.ambiguous);
    let mut ambiguous = ambiguous;
    if let Some(second) = found.get(1) {
        if is_connector(lower.get(first.to..second.from).unwrap_or("x")) {
            end = second.end;
            single_day = false;
            ambiguous |= second.ambiguous;
        }
    }
    if ambiguous {
        return Some(Period {
            start: None,
            end: None,
            single_day,
            ambiguous: true,
        });
    }
    // A year missing at one end comes from the other end (a start later in
    // the year than its end belongs to the year before), else the context.
    if start.year.is_none() {
        start.year = end.year.map(|y| {
            if (start.month, start.day) > (end.month, end.day) && end.day != 0 {
                y - 1
            } else {
                y
            }
        });
    }
    if end.year.is_none() {
        end.year = start.year.map(|y| {
            if (end.month, end.day) < (start.month, start.day) {
                y + 1
            } else {
                y
            }
        });
    }
    let start_day = resolve(start, context.year, false);
    let end_day = resolve(end, context.year, true);
    if start_day.is_none() && end_day.is_none() {
        return None;
    }
    let (start_day, end_day) = match (start_day, end_day) {
        (Some(s), Some(e)) if e < s => (None, None),
        other => other,
    };
    Some(Period {
        start: start_day,
        end: end_day,
        single_day,
        ambiguous: false,
    })
}

/// How the file writes slashed days: day first when one has a first part
/// above 12, month first when one has a second part above 12; else from
/// the year turning over as one part goes from 12 to 1 (that part is the
/// month); otherwise from the language: month names of other languages, or a day written
/// before its month name (`15 March`), mean day first; a month name before
/// its day (`March 15`) means month first. `Unknown` when nothing tells.
pub fn order_of(text: &str) -> Order {
    static SLASHED: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b").ok());
    if !text.contains('/') {
        return Order::Unknown;
    }
    let Some(re) = SLASHED.as_ref() else {
        return Order::Unknown;
    };
    let (mut day_first, mut month_first, mut any) = (false, false, false);
    // The year turning over between one slashed day and the next, as one
    // part goes from 12 to 1 and the other does not, names that part the
    // month (`12/2/25` then `1/2/26`: December, then January).
    let (mut turns_first, mut turns_second) = (false, false);
    let mut previous: Option<(u32, u32, i32)> = None;
    for c in re.captures_iter(text) {
        any = true;
        let (a, b) = (num(c.get(1)).unwrap_or(0), num(c.get(2)).unwrap_or(0));
        let year = num(c.get(3)).map(full_year).unwrap_or(0);
        day_first |= a > 12;
        month_first |= b > 12;
        if let Some((pa, pb, py)) = previous {
            if year == py + 1 {
                let first = pa == 12 && a == 1;
                let second = pb == 12 && b == 1;
                turns_first |= first && !second;
                turns_second |= second && !first;
            }
        }
        previous = Some((a, b, year));
    }
    match (any, day_first, month_first) {
        (false, _, _) => return Order::Unknown,
        (_, true, false) => return Order::DayFirst,
        (_, false, true) => return Order::MonthFirst,
        (_, true, true) => return Order::Unknown,
        _ => {}
    }
    match (turns_first, turns_second) {
        (true, false) => return Order::MonthFirst,
        (false, true) => return Order::DayFirst,
        _ => {}
    }
    let lower = text.to_lowercase();
    let mut votes = (0usize, 0usize);
    for it in items(&lower, Order::Unknown) {
        let written = lower.get(it.from..it.to).unwrap_or("");
        let first_word = written.split_whitespace().next().unwrap_or("");
        if first_word.chars().next().is_some_and(|c| c.is_alphabetic()) {
            if is_non_english_month(first_word.trim_end_matches([',', '.'])) {
                votes.0 += 1;
            } else if it.single_day {
                votes.1 += 1;
            }
        } else if written
            .split_whitespace()
            .any(|w| month_of(w.trim_end_matches([',', '.'])).is_some())
        {
            votes.0 += 1;
        }
    }
    match votes {
        (0, 0) => Order::Unknown,
        (d, m) if d > m => Order::DayFirst,
        (d, m) if m > d => Order::MonthFirst,
        _ => Order::Unknown,
    }
}

/// The ISO form, as the model writes dates.
pub fn iso(day: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_compiles() {
        assert!(FORM_SET.is_some());
        for form in FORMS.iter() {
            assert!(form.regex().is_some(), "{}", form.pattern);
        }
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    fn read(text: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
        read_in(text, Context::default())
    }

    fn read_in(text: &str, context: Context) -> (Option<NaiveDate>, Option<NaiveDate>) {
        find(text, &context).map_or((None, None), |p| (p.start, p.end))
    }

    #[test]
    fn single_days_in_every_form() {
        let day = (d(2024, 3, 15), d(2024, 3, 15));
        for text in [
            "2024-03-15",
            "March 15, 2024",
            "Mar 15 2024",
            "15 March 2024",
            "Friday 15th March 2024",
            "15th of March, 2024",
            "15/03/2024",
            "03/15/2024",
            "15.03.2024",
            "15/03/24",
            "2024年3月15日",
            "2024.03.15",
            "2024.3.15",
            "15. März 2024",
            "15 mars 2024",
            "15 de marzo de 2024",
            "15 de março de 2024",
            "15 marzo 2024",
            "Due: **March 15th, 2024**",
        ] {
            assert_eq!(read(text), day, "{text}");
        }
    }

    #[test]
    fn ordinal_typos_are_read() {
        assert_eq!(read("Tuesday 23th January 2024").0, d(2024, 1, 23));
        assert_eq!(read("8nd May 2025").0, d(2025, 5, 8));
        assert_eq!(read("Tuesday 18th March 2025").0, d(2025, 3, 18));
    }

    #[test]
    fn months_quarters_and_halves_are_periods() {
        assert_eq!(read("May 2025"), (d(2025, 5, 1), d(2025, 5, 31)));
        assert_eq!(read("Agosto 2025"), (d(2025, 8, 1), d(2025, 8, 31)));
        assert_eq!(read("Q3 2025"), (d(2025, 7, 1), d(2025, 9, 30)));
        assert_eq!(read("2025Q3"), (d(2025, 7, 1), d(2025, 9, 30)));
        assert_eq!(read("T4 2025"), (d(2025, 10, 1), d(2025, 12, 31)));
        assert_eq!(read("2025H2"), (d(2025, 7, 1), d(2025, 12, 31)));
        assert_eq!(read("22H1"), (d(2022, 1, 1), d(2022, 6, 30)));
        assert_eq!(
            read("in the second half of 2024"),
            (d(2024, 7, 1), d(2024, 12, 31))
        );
        assert_eq!(read("First half of 2025"), (d(2025, 1, 1), d(2025, 6, 30)));
        assert_eq!(read("2024年2月"), (d(2024, 2, 1), d(2024, 2, 29)));
    }

    #[test]
    fn ranges() {
        assert_eq!(
            read("Phase 1 (Jan 6 – Feb 14, 2025)"),
            (d(2025, 1, 6), d(2025, 2, 14))
        );
        assert_eq!(
            read("Sprint 3: 2025-03-10 → 2025-03-21"),
            (d(2025, 3, 10), d(2025, 3, 21))
        );
        assert_eq!(
            read("from 1st March 2024 to July 31st, 2024"),
            (d(2024, 3, 1), d(2024, 7, 31))
        );
        assert_eq!(read("March 10-14, 2025"), (d(2025, 3, 10), d(2025, 3, 14)));
        assert_eq!(read("10–14 March 2025"), (d(2025, 3, 10), d(2025, 3, 14)));
        assert_eq!(
            read("Weeks 1-2 (Dec 15 - Dec 28, 2024)"),
            (d(2024, 12, 15), d(2024, 12, 28))
        );
        assert_eq!(
            read("Nov 20 – Jan 10, 2025"),
            (d(2024, 11, 20), d(2025, 1, 10))
        );
        assert_eq!(read("Q1 2024 - Q2 2024"), (d(2024, 1, 1), d(2024, 6, 30)));
        assert_eq!(
            read("2024.10.25-2024.11.15"),
            (d(2024, 10, 25), d(2024, 11, 15))
        );
        assert_eq!(
            read("Monday Jan 8 - Wednesday Jan 24, 2024"),
            (d(2024, 1, 8), d(2024, 1, 24))
        );
    }

    #[test]
    fn a_missing_year_comes_from_the_context_or_nothing() {
        assert_eq!(read("Week of March 10"), (None, None));
        let context = Context {
            year: Some(2025),
            order: Order::Unknown,
        };
        assert_eq!(read_in("Week of March 10", context).0, d(2025, 3, 10));
    }

    #[test]
    fn slashed_days_follow_the_files_order_or_are_ambiguous() {
        let p = find("03/04/2024", &Context::default()).expect("period");
        assert!(p.ambiguous);
        assert_eq!((p.start, p.end), (None, None));
        let day_first = Context {
            year: None,
            order: Order::DayFirst,
        };
        let month_first = Context {
            year: None,
            order: Order::MonthFirst,
        };
        assert_eq!(read_in("03/04/2024", day_first).0, d(2024, 4, 3));
        assert_eq!(read_in("03/04/2024", month_first).0, d(2024, 3, 4));
        assert_eq!(read_in("7/2/25", month_first).0, d(2025, 7, 2));
    }

    #[test]
    fn the_files_order_is_decided_from_its_dates() {
        assert_eq!(order_of("a 25/03/2024 b 03/04/2024"), Order::DayFirst);
        assert_eq!(order_of("a 03/25/2024 b 03/04/2024"), Order::MonthFirst);
        assert_eq!(order_of("03/04/2024"), Order::Unknown);
        assert_eq!(order_of("03/04/2024, 5 de marzo de 2024"), Order::DayFirst);
        assert_eq!(order_of("03/04/2024, 15 März 2024"), Order::DayFirst);
        assert_eq!(order_of("03/04/2024, March 5, 2024"), Order::MonthFirst);
        assert_eq!(order_of("no dates"), Order::Unknown);
        assert_eq!(order_of("11/2/25, 12/2/25, 1/2/26"), Order::MonthFirst);
        assert_eq!(order_of("2/11/25, 2/12/25, 2/1/26"), Order::DayFirst);
        assert_eq!(order_of("12/12/25, 1/1/26"), Order::Unknown);
        assert_eq!(order_of("12/2/25, 1/2/25"), Order::Unknown);
    }

    #[test]
    fn not_dates() {
        for text in [
            "Phase 1",
            "Week 3-4",
            "2024-13-45",
            "set 2 servers",
            "v2.8",
            "Sprint 12",
            "31/02/2024",
            "version 1.30",
            "v2024.10.25",
            "2024.13.40",
            "100%",
        ] {
            assert_eq!(read(text), (None, None), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,80}", year in proptest::option::of(-300000i32..300000)) {
            let _ = find(&text, &Context { year, order: Order::Unknown });
            let _ = order_of(&text);
        }

        #[test]
        fn never_panics_on_date_like_text(text in "[0-9qthQTH年月日/.\\- ]{0,40}(march|mai|déc|,| )*[0-9 ]{0,10}") {
            let _ = find(&text, &Context { year: Some(2025), order: Order::DayFirst });
            let _ = order_of(&text);
        }
    }
}
