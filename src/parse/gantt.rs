//! Mermaid gantt charts: the bars of a schedule drawn as a chart.
//!
//! A chart is a ```mermaid fence whose first statement is `gantt`, or,
//! outside any fence, a paragraph whose first line is `gantt` (a file of
//! raw chart text reads the same to a reader as the drawn chart). The
//! unfenced chart runs over its statement lines; a blank line ends it
//! unless the next line is again a chart statement.
//!
//! Each task line (`Name :tags, id, start, end`) is a bar. Its data follow
//! Mermaid: leading tags (`done`, `active`, `crit`, `milestone`), then
//! `start, end`, `id, start, end`, or a lone end (the bar starts where the
//! one before it stops). A start is a date in the chart's `dateFormat`
//! (default `YYYY-MM-DD`; an ISO day is read in any chart) or `after id…`
//! (where the latest of those bars stops); an end is a date, `until id…`
//! (where the earliest of those starts) or a length (`30d`, `2w`, `12h`,
//! `3M`, `1y`), which `excludes` (weekends, weekday names, days) lengthens
//! by the excluded days it covers. A date written to the month (`YYYY-MM`)
//! is that month: a start on its first day, an end on its last. What
//! cannot be read leaves that end null, with a warning.
//!
//! Work is linear: one pass finds the charts, and references between bars
//! are settled in at most a few passes over each chart.

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use std::collections::HashMap;

/// One chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// The line of `gantt`.
    pub line: usize,
    pub bars: Vec<Bar>,
    pub sections: Vec<Section>,
    /// Lines that could not be read, with why.
    pub warnings: Vec<(usize, String)>,
}

/// A `section` line and the bars under it.
#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub line: usize,
    pub bars: std::ops::Range<usize>,
}

/// One task line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub name: String,
    pub line: usize,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub done: bool,
    pub active: bool,
    pub milestone: bool,
}

/// Every chart in `text`, from line `first_line` on (lines before it are
/// front matter).
pub fn charts(text: &str, first_line: usize) -> Vec<Chart> {
    // Every chart opens with the word: a plan without it (most plans) is
    // not split into lines at all.
    if !(text.contains("gantt") || text.contains("Gantt") || text.contains("GANTT")) {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = first_line.saturating_sub(1);
    let mut fence: Option<(char, usize)> = None;
    let mut blank_before = true;
    let mut walk_left = EXCLUDE_WALK;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if let Some((mark, n)) = fence {
            if closes(t, mark, n) {
                fence = None;
            }
            blank_before = false;
            i += 1;
            continue;
        }
        if let Some((mark, n, info)) = opening(t) {
            let is_mermaid = info
                .split_whitespace()
                .next()
                .is_some_and(|w| w.eq_ignore_ascii_case("mermaid"));
            if is_mermaid {
                let close = (i + 1..lines.len())
                    .find(|&k| closes(lines[k].trim_start(), mark, n))
                    .unwrap_or(lines.len());
                if let Some(chart) = read_chart(&lines, i + 1, close, &mut walk_left) {
                    out.push(chart);
                }
                i = close + 1;
                blank_before = false;
                continue;
            }
            fence = Some((mark, n));
            i += 1;
            continue;
        }
        if blank_before && t.trim_end().eq_ignore_ascii_case("gantt") {
            let end = unfenced_end(&lines, i + 1);
            if let Some(chart) = read_chart(&lines, i, end, &mut walk_left) {
                out.push(chart);
            }
            i = end;
            blank_before = false;
            continue;
        }
        blank_before = t.trim().is_empty();
        i += 1;
    }
    out
}

/// A fence opening: its mark, its length and its info string.
fn opening(line: &str) -> Option<(char, usize, &str)> {
    let mark = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = line.chars().take_while(|&c| c == mark).count();
    if n < 3 {
        return None;
    }
    let info = line[n..].trim();
    if mark == '`' && info.contains('`') {
        return None;
    }
    Some((mark, n, info))
}

fn closes(line: &str, mark: char, n: usize) -> bool {
    let line = line.trim_end();
    line.chars().count() >= n && line.chars().all(|c| c == mark)
}

const KEYWORDS: &[&str] = &[
    "title",
    "dateformat",
    "axisformat",
    "tickinterval",
    "excludes",
    "includes",
    "todaymarker",
    "weekday",
    "weekend",
    "inclusiveenddates",
    "topaxis",
    "displaymode",
    "section",
    "click",
    "call",
    "acctitle",
    "accdescr",
];

/// The keyword a statement line starts with (lower case), if any.
fn keyword(line: &str) -> Option<&'static str> {
    let t = line.trim_start();
    let word_end = t
        .find(|c: char| c.is_whitespace() || c == ':' || c == '{')
        .unwrap_or(t.len());
    let word = &t[..word_end];
    KEYWORDS
        .iter()
        .copied()
        .find(|k| word.eq_ignore_ascii_case(k))
}

/// Whether a line outside a fence is part of an unfenced chart.
fn is_statement(line: &str) -> bool {
    let t = line.trim();
    if t.starts_with("%%") || keyword(t).is_some() {
        return true;
    }
    // A task line: a name, a colon, data; not a heading, list or table.
    !t.starts_with(['#', '-', '*', '+', '>', '|']) && t.find(':').is_some_and(|i| i > 0)
}

/// Where an unfenced chart starting before `from` ends (exclusive).
fn unfenced_end(lines: &[&str], from: usize) -> usize {
    let mut k = from;
    while k < lines.len() {
        if lines[k].trim().is_empty() {
            let mut next = k + 1;
            while next < lines.len() && lines[next].trim().is_empty() {
                next += 1;
            }
            let goes_on = lines.get(next).is_some_and(|l| {
                keyword(l).is_some()
                    || l.trim_start().starts_with("%%")
                    || (l.starts_with([' ', '\t']) && is_statement(l))
            });
            if !goes_on {
                return k;
            }
            k = next;
            continue;
        }
        if !is_statement(lines[k]) {
            return k;
        }
        k += 1;
    }
    k
}

/// How finely a date format writes a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    Day,
    Month,
    Year,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Year4,
    Year2,
    Month { two: bool },
    MonthName,
    Day { two: bool },
    DayOrdinal,
    Hour { two: bool },
    Minute { two: bool },
    Second { two: bool },
    Fraction(usize),
    AmPm,
    Literal(String),
}

/// A `dateFormat`, read once per chart.
#[derive(Debug, Clone)]
struct Format {
    tokens: Vec<Tok>,
    precision: Option<Precision>,
}

impl Format {
    /// The tokens of a dayjs format; `precision` is `None` when the format
    /// uses a token this reader does not know (timestamps, quarters, zones).
    fn new(spec: &str) -> Format {
        let mut tokens = Vec::new();
        let mut known = true;
        let mut rest = spec.trim();
        const TABLE: &[(&str, Option<Tok>)] = &[
            ("YYYY", Some(Tok::Year4)),
            ("YY", Some(Tok::Year2)),
            ("MMMM", Some(Tok::MonthName)),
            ("MMM", Some(Tok::MonthName)),
            ("MM", Some(Tok::Month { two: true })),
            ("M", Some(Tok::Month { two: false })),
            ("Do", Some(Tok::DayOrdinal)),
            ("DD", Some(Tok::Day { two: true })),
            ("D", Some(Tok::Day { two: false })),
            ("HH", Some(Tok::Hour { two: true })),
            ("H", Some(Tok::Hour { two: false })),
            ("hh", Some(Tok::Hour { two: true })),
            ("h", Some(Tok::Hour { two: false })),
            ("mm", Some(Tok::Minute { two: true })),
            ("m", Some(Tok::Minute { two: false })),
            ("ss", Some(Tok::Second { two: true })),
            ("s", Some(Tok::Second { two: false })),
            ("SSS", Some(Tok::Fraction(3))),
            ("SS", Some(Tok::Fraction(2))),
            ("S", Some(Tok::Fraction(1))),
            ("A", Some(Tok::AmPm)),
            ("a", Some(Tok::AmPm)),
            ("X", None),
            ("x", None),
            ("Q", None),
            ("ZZ", None),
            ("Z", None),
            ("z", None),
            ("ww", None),
            ("w", None),
        ];
        'outer: while let Some(c) = rest.chars().next() {
            if c == '[' {
                if let Some(close) = rest.find(']') {
                    tokens.push(Tok::Literal(rest[1..close].to_string()));
                    rest = &rest[close + 1..];
                    continue;
                }
            }
            for (written, tok) in TABLE {
                if let Some(after) = rest.strip_prefix(written) {
                    match tok {
                        Some(tok) => tokens.push(tok.clone()),
                        None => known = false,
                    }
                    rest = after;
                    continue 'outer;
                }
            }
            tokens.push(Tok::Literal(c.to_string()));
            rest = &rest[c.len_utf8()..];
        }
        let has = |f: &dyn Fn(&Tok) -> bool| tokens.iter().any(f);
        let precision = if !known {
            None
        } else if has(&|t| matches!(t, Tok::Day { .. } | Tok::DayOrdinal)) {
            Some(Precision::Day)
        } else if has(&|t| matches!(t, Tok::Month { .. } | Tok::MonthName)) {
            Some(Precision::Month)
        } else if has(&|t| matches!(t, Tok::Year4 | Tok::Year2)) {
            Some(Precision::Year)
        } else {
            None
        };
        Format { tokens, precision }
    }

    /// A date written in this format (the whole text), as the instant it
    /// names and how finely.
    fn parse(&self, text: &str) -> Option<(NaiveDateTime, Precision)> {
        let text = text.trim();
        if let Some(found) = self
            .precision
            .and_then(|p| Some((self.strict(text, p)?, p)))
        {
            return Some(found);
        }
        // Mermaid reads a date its format does not fit as the browser
        // would; of those, only an ISO day is unambiguous.
        let day = text.get(..10).filter(|_| text.len() == 10)?;
        NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .ok()
            .map(|d| (d.and_time(NaiveTime::MIN), Precision::Day))
    }

    fn strict(&self, text: &str, precision: Precision) -> Option<NaiveDateTime> {
        let (mut year, mut month, mut day) = (None, None, None);
        let (mut hour, mut minute, mut second) = (0u32, 0u32, 0u32);
        let mut pm: Option<bool> = None;
        let mut rest = text;
        for tok in &self.tokens {
            match tok {
                Tok::Literal(lit) => rest = rest.strip_prefix(lit.as_str())?,
                Tok::Year4 => year = Some(digits(&mut rest, 4, 4)? as i32),
                Tok::Year2 => year = Some(2000 + digits(&mut rest, 2, 2)? as i32),
                Tok::Month { two } => month = Some(digits(&mut rest, min(*two), 2)?),
                Tok::Day { two } => day = Some(digits(&mut rest, min(*two), 2)?),
                Tok::DayOrdinal => {
                    day = Some(digits(&mut rest, 1, 2)?);
                    let suffix = rest.get(..2)?;
                    if !["st", "nd", "rd", "th"].contains(&suffix) {
                        return None;
                    }
                    rest = &rest[2..];
                }
                Tok::Hour { two } => hour = digits(&mut rest, min(*two), 2)?,
                Tok::Minute { two } => minute = digits(&mut rest, min(*two), 2)?,
                Tok::Second { two } => second = digits(&mut rest, min(*two), 2)?,
                Tok::Fraction(n) => {
                    digits(&mut rest, *n, *n)?;
                }
                Tok::AmPm => {
                    let word = rest.get(..2)?.to_ascii_lowercase();
                    pm = Some(match word.as_str() {
                        "am" => false,
                        "pm" => true,
                        _ => return None,
                    });
                    rest = &rest[2..];
                }
                Tok::MonthName => {
                    let lower = rest.to_ascii_lowercase();
                    let (n, len) = MONTH_NAMES.iter().enumerate().find_map(|(i, name)| {
                        if lower.starts_with(name) {
                            Some((i as u32 + 1, name.len()))
                        } else if lower.starts_with(&name[..3]) {
                            Some((i as u32 + 1, 3))
                        } else {
                            None
                        }
                    })?;
                    month = Some(n);
                    rest = rest.get(len..)?;
                }
            }
        }
        if !rest.is_empty() {
            return None;
        }
        if let Some(pm) = pm {
            if hour == 0 || hour > 12 {
                return None;
            }
            hour = hour % 12 + if pm { 12 } else { 0 };
        }
        let year = year.filter(|y| (1000..=9999).contains(y))?;
        let date = match precision {
            Precision::Day => NaiveDate::from_ymd_opt(year, month?, day?)?,
            Precision::Month => NaiveDate::from_ymd_opt(year, month?, 1)?,
            Precision::Year => NaiveDate::from_ymd_opt(year, 1, 1)?,
        };
        Some(date.and_time(NaiveTime::from_hms_opt(hour, minute, second)?))
    }
}

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn min(two: bool) -> usize {
    if two {
        2
    } else {
        1
    }
}

/// `from` to `to` ASCII digits at the front of `rest`, taken off it.
fn digits(rest: &mut &str, from: usize, to: usize) -> Option<u32> {
    let n = rest.bytes().take(to).take_while(u8::is_ascii_digit).count();
    if n < from {
        return None;
    }
    let value = rest[..n].parse().ok()?;
    *rest = &rest[n..];
    Some(value)
}

/// A length: `30d`, `2w`, `1.5d`, `12h`, `3M`, `1y`.
fn length(text: &str) -> Option<Length> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|&i| i > 0)?;
    let (number, unit) = text.split_at(split);
    let amount: f64 = number.parse().ok()?;
    let ms = match unit {
        "ms" => 1.0,
        "s" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        "w" => 7.0 * 86_400_000.0,
        "M" | "y" => {
            if number.contains('.') || number.len() > 5 {
                return None;
            }
            let months = amount as u32 * if unit == "y" { 12 } else { 1 };
            return (months <= 12_000).then_some(Length::Months(months));
        }
        _ => return None,
    };
    let total = amount * ms;
    // No chart runs for more than a few centuries.
    (total.is_finite() && total <= 1e6 * 86_400_000.0)
        .then(|| TimeDelta::try_milliseconds(total as i64))
        .flatten()
        .map(Length::Time)
}

#[derive(Debug, Clone, Copy)]
enum Length {
    Time(TimeDelta),
    Months(u32),
}

/// Days the chart leaves out of lengths.
#[derive(Debug, Default)]
struct Excluded {
    weekends: bool,
    weekend_from_friday: bool,
    weekdays: Vec<Weekday>,
    days: Vec<NaiveDate>,
    included: Vec<NaiveDate>,
}

/// The words of directive values, split at spaces, commas and tabs.
fn words<'a, 't: 'a>(values: &'a [&'t str]) -> impl Iterator<Item = &'t str> + 'a {
    values
        .iter()
        .flat_map(|t| t.split([' ', ',', '\t']))
        .filter(|w| !w.is_empty())
}

impl Excluded {
    /// Reads the words of the chart's `excludes` and `includes` lines
    /// (`weekends`, weekday names, days in the chart's format).
    fn read(&mut self, excludes: &[&str], includes: &[&str], format: &Format) {
        let day_of = |text: &str| format.parse(text).map(|(t, _)| t.date());
        for word in words(excludes) {
            let lower = word.to_ascii_lowercase();
            if lower == "weekends" {
                self.weekends = true;
            } else if let Some(wd) = weekday(&lower) {
                self.weekdays.push(wd);
            } else if let Some(day) = day_of(word) {
                self.days.push(day);
            }
        }
        for word in words(includes) {
            if let Some(day) = day_of(word) {
                self.included.push(day);
            }
        }
        // Several thousand listed days would make every check slow: a chart
        // that lists so many is not read for them.
        self.days.truncate(366);
        self.included.truncate(366);
        self.days.sort_unstable();
        self.included.sort_unstable();
    }

    fn any(&self) -> bool {
        self.weekends || !self.weekdays.is_empty() || !self.days.is_empty()
    }

    fn excludes(&self, day: NaiveDate) -> bool {
        if self.included.binary_search(&day).is_ok() {
            return false;
        }
        let wd = day.weekday();
        let weekend = if self.weekend_from_friday {
            matches!(wd, Weekday::Fri | Weekday::Sat)
        } else {
            matches!(wd, Weekday::Sat | Weekday::Sun)
        };
        (self.weekends && weekend)
            || self.weekdays.contains(&wd)
            || self.days.binary_search(&day).is_ok()
    }
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// A task line before its dates are settled: its name, tags and data
/// items after the tags.
struct Raw<'a> {
    name: &'a str,
    line: usize,
    done: bool,
    active: bool,
    milestone: bool,
    items: Vec<&'a str>,
}

/// A task line's items read with the chart's format: id, start, end.
#[derive(Clone, Copy, Default)]
struct Parts<'a> {
    id: Option<&'a str>,
    start: Option<&'a str>,
    end: Option<&'a str>,
}

/// A bar's settled ends: where it starts, where a bar `after` it starts,
/// and the last day the plan shows.
#[derive(Clone, Copy, Default)]
struct Settled {
    start: Option<NaiveDateTime>,
    stop: Option<NaiveDateTime>,
    end: Option<NaiveDate>,
}

/// The most the excluded days may lengthen a plan's bars, in days walked;
/// beyond it lengths are left unread.
const EXCLUDE_WALK: usize = 200_000;
/// Passes over a chart to settle bars that refer to later ones.
const PASSES: usize = 8;

/// Reads lines `from..to`; `None` unless the first statement is `gantt`.
/// The index of the `gantt` line of a chart between `from` and `to`,
/// after blank lines, comments, directives and a `---` config block.
fn gantt_line(lines: &[&str], from: usize, to: usize) -> Option<usize> {
    let mut k = from;
    while k < to {
        let t = lines[k].trim();
        if t == "---" {
            k = (k + 1..to).find(|&j| lines[j].trim() == "---")? + 1;
            continue;
        }
        if t.is_empty() || t.starts_with("%%") {
            k += 1;
            continue;
        }
        break;
    }
    if !lines.get(k)?.trim().eq_ignore_ascii_case("gantt") || k >= to {
        return None;
    }
    Some(k)
}

fn read_chart(lines: &[&str], from: usize, to: usize, walk_left: &mut usize) -> Option<Chart> {
    let to = to.min(lines.len());
    let k = gantt_line(lines, from, to)?;
    let line = k + 1;
    let mut format_text = "YYYY-MM-DD";
    let mut excluded = Excluded::default();
    let mut excludes_text: Vec<&str> = Vec::new();
    let mut includes_text: Vec<&str> = Vec::new();
    let mut inclusive = false;
    let mut raws: Vec<Raw<'_>> = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut warnings = Vec::new();
    for (at, &text) in lines.iter().enumerate().take(to).skip(k + 1) {
        let t = text.trim();
        if t.is_empty() || t.starts_with("%%") {
            continue;
        }
        let value = |kw: &str| t.get(kw.len()..).unwrap_or("").trim();
        match keyword(t) {
            Some("dateformat") => format_text = value("dateformat"),
            Some("excludes") => excludes_text.push(value("excludes")),
            Some("includes") => includes_text.push(value("includes")),
            Some("inclusiveenddates") => inclusive = true,
            Some("weekend") => excluded.weekend_from_friday = value("weekend") == "friday",
            Some("section") => {
                if let Some(last) = sections.last_mut() {
                    last.bars.end = raws.len();
                }
                sections.push(Section {
                    name: value("section").to_string(),
                    line: at + 1,
                    bars: raws.len()..raws.len(),
                });
            }
            Some(_) => {}
            None => {
                let Some((name, data)) = t.split_once(':') else {
                    continue;
                };
                let name = name.trim();
                if name.is_empty() {
                    continue;
                }
                let data = data.split(['#', ';']).next().unwrap_or("");
                raws.push(task(name, data, at + 1));
            }
        }
    }
    if let Some(last) = sections.last_mut() {
        last.bars.end = raws.len();
    }
    let format = Format::new(format_text);
    if format.precision.is_none() {
        warnings.push((
            line,
            format!("the chart's `dateFormat {format_text}` is not one plansite reads (years, months, days, times): only ISO days (YYYY-MM-DD) are read"),
        ));
    }
    excluded.read(&excludes_text, &includes_text, &format);
    let bars = settle(
        &raws,
        &format,
        &excluded,
        inclusive,
        walk_left,
        &mut warnings,
    );
    Some(Chart {
        line,
        bars,
        sections,
        warnings,
    })
}

const TAGS: [&str; 4] = ["done", "active", "crit", "milestone"];

/// One task line's data: its tags, and the items after them.
fn task<'a>(name: &'a str, data: &'a str, line: usize) -> Raw<'a> {
    let mut raw = Raw {
        name,
        line,
        done: false,
        active: false,
        milestone: false,
        items: Vec::new(),
    };
    let mut items: Vec<&str> = data.split(',').map(str::trim).collect();
    let mut first = 0;
    while let Some(item) = items.get(first).copied() {
        // `crit AP6-2`: a tag and the id with the comma left out.
        let (word, rest) = item.split_once(char::is_whitespace).unwrap_or((item, ""));
        let tag = word.to_ascii_lowercase();
        if !TAGS.contains(&tag.as_str()) {
            break;
        }
        match tag.as_str() {
            "done" => raw.done = true,
            "active" => raw.active = true,
            "milestone" => raw.milestone = true,
            _ => {}
        }
        let rest = rest.trim();
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            first += 1;
        } else {
            items[first] = rest;
            break;
        }
    }
    items.drain(..first);
    raw.items = items;
    raw
}

/// Whether an item is a start: `after id…` or a date.
fn is_start(item: &str, format: &Format) -> bool {
    after_ids(item, "after").is_some() || format.parse(item).is_some()
}

/// An id as charts write them: one word, not starting with a digit (a
/// date the format does not read is not taken for one).
fn looks_like_id(item: &str) -> bool {
    !item.is_empty()
        && !item.starts_with(|c: char| c.is_ascii_digit())
        && !item.contains(char::is_whitespace)
}

/// The ids after `after`/`until` (any case) at the front of an item.
fn after_ids<'a>(item: &'a str, word: &str) -> Option<std::str::SplitWhitespace<'a>> {
    let head = item.get(..word.len())?;
    let rest = &item[word.len()..];
    (head.eq_ignore_ascii_case(word) && rest.starts_with(char::is_whitespace))
        .then(|| rest.split_whitespace())
}

fn parts<'a>(raw: &Raw<'a>, format: &Format) -> Option<Parts<'a>> {
    Some(match raw.items.as_slice() {
        [end] if !end.is_empty() => Parts {
            end: Some(end),
            ..Parts::default()
        },
        // `m1, 2024-03-01`: an id and a date, as milestones are often
        // written; else a start and an end.
        [first, end] if !is_start(first, format) && looks_like_id(first) => Parts {
            id: Some(first),
            end: Some(end),
            ..Parts::default()
        },
        [start, end] => Parts {
            id: None,
            start: Some(start),
            end: Some(end),
        },
        [id, start, end] => Parts {
            id: Some(id),
            start: Some(start),
            end: Some(end),
        },
        _ => return None,
    })
}

/// Settles every bar's dates, following `after` and `until` to bars
/// written before or after, in at most `PASSES` passes.
fn settle(
    raws: &[Raw<'_>],
    format: &Format,
    excluded: &Excluded,
    inclusive: bool,
    walk_left: &mut usize,
    warnings: &mut Vec<(usize, String)>,
) -> Vec<Bar> {
    let parts: Vec<Option<Parts<'_>>> = raws.iter().map(|r| parts(r, format)).collect();
    // A later line with the same id wins, as in Mermaid.
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, p) in parts.iter().enumerate() {
        if let Some(id) = p.and_then(|p| p.id) {
            ids.insert(id, i);
        }
    }
    let chart = Reading {
        raws,
        parts: &parts,
        ids: &ids,
        format,
        excluded,
        inclusive,
    };
    let mut settled: Vec<Option<(Settled, Option<String>)>> = vec![None; raws.len()];
    for _ in 0..PASSES {
        let mut progress = false;
        for i in 0..raws.len() {
            if settled[i].is_some() {
                continue;
            }
            if let Some(done) = chart.settle_one(i, &settled, walk_left) {
                settled[i] = Some(done);
                progress = true;
            }
        }
        if !progress {
            break;
        }
    }
    raws.iter()
        .zip(settled)
        .map(|(raw, settled)| {
            let (s, problem) = settled.unwrap_or_else(|| {
                (
                    Settled::default(),
                    Some("it depends on bars whose dates cannot be settled (a loop, or too long a chain)".to_string()),
                )
            });
            let (mut start, mut end) = (s.start.map(|t| t.date()), s.end);
            if let (Some(a), Some(b)) = (start, end) {
                if b < a {
                    warnings.push((
                        raw.line,
                        format!(
                            "gantt task `{}` ends before it starts: its dates are left out",
                            raw.name
                        ),
                    ));
                    (start, end) = (None, None);
                }
            }
            if let Some(problem) = problem {
                warnings.push((
                    raw.line,
                    format!("gantt task `{}`: {problem}; what cannot be read is left out", raw.name),
                ));
            }
            Bar {
                name: raw.name.to_string(),
                line: raw.line,
                start,
                end,
                done: raw.done,
                active: raw.active,
                milestone: raw.milestone,
            }
        })
        .collect()
}

/// What settling one bar needs from its chart.
struct Reading<'c, 'a> {
    raws: &'c [Raw<'a>],
    parts: &'c [Option<Parts<'a>>],
    ids: &'c HashMap<&'a str, usize>,
    format: &'c Format,
    excluded: &'c Excluded,
    inclusive: bool,
}

type Outcome = (Settled, Option<String>);

impl Reading<'_, '_> {
    /// Where bar `i` starts (`start_text` as written): a date, after the
    /// bars it names, else where the bar before it stops; `Some(None)` with
    /// a `problem` when that is not known, `None` while a bar it refers to
    /// is unsettled.
    fn start_of(
        &self,
        i: usize,
        start_text: Option<&str>,
        end_date: Option<(NaiveDateTime, Precision)>,
        settled: &[Option<Outcome>],
        problem: &mut Option<String>,
    ) -> Option<Option<NaiveDateTime>> {
        let start = match start_text {
            // A milestone on one date is that day.
            None if self.raws[i].milestone && end_date.is_some() => end_date.map(|(t, _)| t),
            None if i == 0 => {
                *problem = Some("it has no start and no bar before it".to_string());
                None
            }
            None => {
                let before = settled[i - 1].as_ref()?;
                if before.0.stop.is_none() {
                    *problem = Some(
                        "it starts where the bar before it stops, which is not known".to_string(),
                    );
                }
                before.0.stop
            }
            Some(text) => match after_ids(text, "after") {
                Some(ids) => {
                    let latest = self.latest_stop(ids, settled)?;
                    if latest.is_none() {
                        *problem = Some(format!("`{text}` names a bar whose end is not known"));
                    }
                    latest
                }
                None => {
                    let found = self.format.parse(text).map(|(t, _)| t);
                    if found.is_none() {
                        *problem = Some(format!("`{text}` is not a date in the chart's format"));
                    }
                    found
                }
            },
        };
        Some(start)
    }

    /// The latest stop of the bars `ids` name (`after a b`): `Some(None)`
    /// when one of them is unknown or has no stop, `None` while one is
    /// unsettled.
    fn latest_stop<'t>(
        &self,
        ids: impl Iterator<Item = &'t str>,
        settled: &[Option<Outcome>],
    ) -> Option<Option<NaiveDateTime>> {
        self.extreme(ids, settled, |o| o.0.stop, NaiveDateTime::max)
    }

    /// The earliest start of the bars `ids` name (`until a b`), as
    /// `latest_stop`.
    fn earliest_start<'t>(
        &self,
        ids: impl Iterator<Item = &'t str>,
        settled: &[Option<Outcome>],
    ) -> Option<Option<NaiveDateTime>> {
        self.extreme(ids, settled, |o| o.0.start, NaiveDateTime::min)
    }

    /// Of the bars `ids` name, the `end` (start or stop) that `pick`
    /// keeps; unknown, missing and unsettled as `latest_stop` says.
    fn extreme<'t>(
        &self,
        ids: impl Iterator<Item = &'t str>,
        settled: &[Option<Outcome>],
        end: impl Fn(&Outcome) -> Option<NaiveDateTime>,
        pick: fn(NaiveDateTime, NaiveDateTime) -> NaiveDateTime,
    ) -> Option<Option<NaiveDateTime>> {
        let mut kept: Option<NaiveDateTime> = None;
        let mut known = true;
        for id in ids {
            match self.ids.get(id) {
                Some(&j) => match end(settled[j].as_ref()?) {
                    Some(t) => kept = Some(kept.map_or(t, |k| pick(k, t))),
                    None => known = false,
                },
                None => known = false,
            }
        }
        Some(kept.filter(|_| known))
    }

    /// Bar `i`'s dates, or `None` while a bar it refers to is unsettled.
    fn settle_one(
        &self,
        i: usize,
        settled: &[Option<Outcome>],
        walk_left: &mut usize,
    ) -> Option<Outcome> {
        let Some(parts) = self.parts[i] else {
            return Some((
                Settled::default(),
                Some("it gives no start and end the chart can read".to_string()),
            ));
        };
        let mut problem: Option<String> = None;
        let end_date = parts.end.and_then(|e| self.format.parse(e));
        let start = self.start_of(i, parts.start, end_date, settled, &mut problem)?;
        let mut s = Settled {
            start,
            ..Settled::default()
        };
        let end_text = parts.end.unwrap_or("");
        if let Some(ids) = after_ids(end_text, "until") {
            let earliest = self.earliest_start(ids, settled)?;
            s.stop = earliest;
            s.end = earliest.map(|t| t.date());
            if s.end.is_none() {
                problem.get_or_insert(format!("`{end_text}` names a bar whose start is not known"));
            }
        } else if let Some((t, precision)) = end_date {
            let (stop, end) = match precision {
                Precision::Day if self.inclusive => {
                    (t.checked_add_days(Days::new(1)), Some(t.date()))
                }
                Precision::Day => (Some(t), Some(t.date())),
                Precision::Month | Precision::Year => {
                    let months = if precision == Precision::Month { 1 } else { 12 };
                    let next = t.checked_add_months(Months::new(months));
                    (next, next.and_then(|n| n.date().pred_opt()))
                }
            };
            s.stop = stop;
            s.end = end;
        } else if let Some(len) = length(end_text) {
            match start {
                Some(start) => {
                    s.stop = add_length(start, len, self.excluded, walk_left);
                    s.end = s.stop.map(|t| t.date());
                    if s.stop.is_none() {
                        problem.get_or_insert(format!(
                            "`{end_text}` from its start runs past what plansite reads"
                        ));
                    }
                }
                None => {
                    problem.get_or_insert(format!(
                        "`{end_text}` is a length from a start that is not known"
                    ));
                }
            }
        } else {
            problem.get_or_insert(format!(
                "`{end_text}` is neither a date in the chart's format nor a length"
            ));
        }
        Some((s, problem))
    }
}

/// `start` plus a length, lengthened by the excluded days it covers (as
/// Mermaid draws it), within `walk_left` days walked for the chart.
fn add_length(
    start: NaiveDateTime,
    len: Length,
    excluded: &Excluded,
    walk_left: &mut usize,
) -> Option<NaiveDateTime> {
    let mut stop = match len {
        Length::Time(d) => start.checked_add_signed(d)?,
        Length::Months(m) => start.checked_add_months(Months::new(m))?,
    };
    if excluded.any() {
        let mut day = start.date();
        while day <= stop.date() {
            *walk_left = walk_left.checked_sub(1)?;
            if excluded.excludes(day) {
                stop = stop.checked_add_days(Days::new(1))?;
            }
            day = day.succ_opt()?;
        }
    }
    Some(stop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    }

    fn bars(text: &str) -> Vec<(String, Option<NaiveDate>, Option<NaiveDate>)> {
        charts(text, 1)
            .iter()
            .flat_map(|c| &c.bars)
            .map(|b| (b.name.clone(), b.start, b.end))
            .collect()
    }

    fn one(name: &str, start: &str, end: &str) -> (String, Option<NaiveDate>, Option<NaiveDate>) {
        (name.to_string(), d(start), d(end))
    }

    #[test]
    fn fenced_and_unfenced_charts() {
        let text = "# P\n\n```mermaid\ngantt\n  A :a1, 2024-01-01, 2024-01-10\n```\n\ngantt\n    dateFormat YYYY-MM\n    B : done, b, 2024-02, 2024-03\n\nclick b href \"x\"\n\nProse: after the chart.\n";
        assert_eq!(
            bars(text),
            [
                one("A", "2024-01-01", "2024-01-10"),
                one("B", "2024-02-01", "2024-03-31")
            ]
        );
        let found = charts(text, 1);
        assert_eq!((found[0].line, found[1].line), (4, 8));
        assert!(found[1].bars[0].done);
    }

    #[test]
    fn other_fences_and_mid_paragraph_words_are_not_charts() {
        assert!(charts("```text\ngantt\n  A :2024-01-01, 2d\n```\n", 1).is_empty());
        assert!(charts("Some words\ngantt\n  A :2024-01-01, 2d\n", 1).is_empty());
        assert!(charts("```mermaid\nflowchart\n  A --> B\n```\n", 1).is_empty());
    }

    #[test]
    fn after_until_and_lengths() {
        let text = "```mermaid\ngantt\n  dateFormat YYYY-MM-DD\n  section S\n  A :a, 2024-01-01, 30d\n  B :b, after a, 2w\n  C :1d\n  D :d, 2024-01-01, until b\n  E :after z, 1d\n  F :after g, 1d\n  G :g, 2024-03-01, 2024-03-05\n  M :milestone, m1, 2024-04-01\n```\n";
        assert_eq!(
            bars(text),
            [
                one("A", "2024-01-01", "2024-01-31"),
                one("B", "2024-01-31", "2024-02-14"),
                one("C", "2024-02-14", "2024-02-15"),
                one("D", "2024-01-01", "2024-01-31"),
                (String::from("E"), None, None),
                one("F", "2024-03-05", "2024-03-06"),
                one("G", "2024-03-01", "2024-03-05"),
                one("M", "2024-04-01", "2024-04-01"),
            ]
        );
        let warnings = &charts(text, 1)[0].warnings;
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].0, 9);
    }

    #[test]
    fn excluded_days_lengthen_lengths_only() {
        // Friday 2014-01-10 and three working days: Friday, Monday, Tuesday.
        let text = "```mermaid\ngantt\n  excludes weekends\n  A :2014-01-10, 3d\n  B :2014-01-10, 2014-01-13\n```\n";
        assert_eq!(
            bars(text),
            [
                one("A", "2014-01-10", "2014-01-15"),
                one("B", "2014-01-10", "2014-01-13")
            ]
        );
    }

    #[test]
    fn date_formats() {
        let text = "```mermaid\ngantt\n  dateFormat DD.MM.YYYY\n  A :01.02.2024, 15.02.2024\n  B :2024-03-01, 2024-03-02\n  C :2024/03/01, 1d\n```\n";
        let found = bars(text);
        assert_eq!(found[0], one("A", "2024-02-01", "2024-02-15"));
        assert_eq!(
            found[1],
            one("B", "2024-03-01", "2024-03-02"),
            "ISO days always read"
        );
        assert_eq!(found[2], (String::from("C"), None, None));
        let f = Format::new("MMM D, YYYY");
        assert_eq!(f.parse("Mar 5, 2024").map(|p| p.0.date()), d("2024-03-05"));
        assert_eq!(Format::new("X").precision, None);
        let year = Format::new("YYYY");
        assert_eq!(
            year.parse("2025"),
            d("2025-01-01").map(|d| (d.and_time(NaiveTime::MIN), Precision::Year))
        );
    }

    #[test]
    fn hostile_charts_do_not_panic() {
        for text in [
            "gantt\n:\n a:\n b :,,,,\n c : after\n d :until\n e :999999999999999999d\n f :2024-01-01, 99999M\n",
            "```mermaid\ngantt\n excludes monday tuesday wednesday thursday friday saturday sunday\n A :2024-01-01, 3000d\n B :after A, 5d\n```",
            "```mermaid\n---\nunclosed",
            "gantt\n dateFormat [\n A :é, ü\n",
            "gantt\n A :a, after b, 1d\n B :b, after a, 1d\n",
        ] {
            let _ = charts(text, 1);
        }
    }
}
