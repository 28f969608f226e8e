//! Spans: the stretch of time a phase heading names (`Week 3-4`,
//! `Pre-Week 1`, `Sprint 2`, `Q3 2025`, `Phase 1: Discovery (Weeks 1-3)`,
//! `Critical Fixes (3 days)`), and the label/title split of such headings.
//! Phase words are read in the plan's languages (`Meilenstein 2`, `Hito 3`,
//! `Étape 1`, `里程碑 1`, `Iteração 2`; quarters `T4 2025`). Headings that
//! name no span but are phases for their siblings' shape (`v2.8`,
//! `August`) or a time word (`Release Day`) are recognised here too
//! (`shape_of`, `names_time`); the model decides with the siblings.
//!
//! A span that cannot be read with confidence (`Week 5-2`, `Sprint -1`,
//! `Q9`, or one reaching beyond `Unit::limit`, such as `Week 1-4294967295`)
//! is not a span: the heading is still a phase, with the reason in
//! `PhaseHeading::rejected`, so that the model keeps its title and tasks
//! and warns at its line instead of drawing a wrong timeline.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::Regex;
use serde::Serialize;
use std::ops::Range;
use std::sync::LazyLock;

/// The unit a span counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Week,
    Day,
    Sprint,
    Phase,
    Month,
    Quarter,
    Milestone,
}

impl Unit {
    /// Ordinals number phases; they say nothing about calendar time.
    pub fn is_ordinal(self) -> bool {
        matches!(self, Unit::Sprint | Unit::Phase | Unit::Milestone)
    }

    pub fn name(self) -> &'static str {
        match self {
            Unit::Week => "week",
            Unit::Day => "day",
            Unit::Sprint => "sprint",
            Unit::Phase => "phase",
            Unit::Month => "month",
            Unit::Quarter => "quarter",
            Unit::Milestone => "milestone",
        }
    }

    /// The furthest a span may reach in this unit: ten years of weeks,
    /// days or months, a thousand sprints, phases or milestones, quarter
    /// 4. A plan longer than that is not a timeline, and every per-unit
    /// figure stays small.
    pub fn limit(self) -> u32 {
        match self {
            Unit::Week => 520,
            Unit::Day => 3650,
            Unit::Month => 120,
            Unit::Quarter => 4,
            Unit::Sprint | Unit::Phase | Unit::Milestone => 1000,
        }
    }

    fn from_word(word: &str) -> Option<Unit> {
        let unit = match word.to_lowercase().as_str() {
            "week" | "weeks" | "semana" | "semanas" | "semaine" | "semaines" | "woche"
            | "wochen" => Unit::Week,
            "day" | "days" | "dia" | "dias" | "día" | "días" | "jour" | "jours" | "tag"
            | "tage" => Unit::Day,
            "sprint" | "sprints" | "iteration" | "iterations" | "iteração" | "iterações"
            | "iteración" | "iteraciones" | "iterazione" | "iterasi" => Unit::Sprint,
            "phase" | "phases" | "fase" | "fasi" | "étape" | "étapes" | "etape" | "etapes"
            | "etapa" | "etapas" | "stage" | "stages" | "tier" | "tiers" | "stufe" | "etappe"
            | "wave" | "阶段" | "階段" | "フェーズ" => Unit::Phase,
            "month" | "months" | "mes" | "meses" | "mois" => Unit::Month,
            "milestone"
            | "milestones"
            | "meilenstein"
            | "meilensteine"
            | "hito"
            | "hitos"
            | "marco"
            | "marcos"
            | "jalon"
            | "jalons"
            | "里程碑"
            | "マイルストーン" => Unit::Milestone,
            _ => return None,
        };
        Some(unit)
    }
}

/// A stretch of a plan: `Week 3-4` is `{unit: week, start: 3, end: 4}`;
/// `Pre-Week 1` is week 0 to 0; `Q3 2025` is quarter 3 to 3 of 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub unit: Unit,
    pub start: u32,
    pub end: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

impl Span {
    /// First and last day of the span counted from `start`: week 1 starts
    /// on `start`, `Pre-Week` (week 0) is the week before it; `Day` spans
    /// count working days. Other units have no days of their own.
    pub fn days_from(&self, start: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let span = self;
        match span.unit {
            Unit::Week => {
                let first = week_start(start, span.start)?;
                let last = week_start(start, span.end)?.checked_add_days(Days::new(6))?;
                Some((first, last))
            }
            Unit::Day => Some((
                working_day(start, span.start)?,
                working_day(start, span.end)?,
            )),
            _ => None,
        }
    }

    pub fn new(unit: Unit, start: u32, end: u32) -> Span {
        Span {
            unit,
            start,
            end,
            year: None,
        }
    }

    /// Number of units covered (`Week 3-4` is 2).
    pub fn units(&self) -> u32 {
        self.end.saturating_sub(self.start) + 1
    }
}

/// A written duration such as `(3 days)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Duration {
    pub value: f64,
    pub unit: Unit,
}

/// A span written in a heading that cannot be read with confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub unit: Unit,
    /// The span as written (`Week 5-2`), to point at.
    pub written: String,
    /// Why, to follow the span as written: `ends before it starts`.
    pub reason: String,
}

impl Rejected {
    /// The warning for a phase whose span is left out.
    pub fn message(&self) -> String {
        format!(
            "`{}` {}: the phase is kept without a span",
            self.written, self.reason
        )
    }
}

/// A span read from text: a span, or why it cannot be one.
type Reading = Result<Span, Rejected>;

/// A phase heading taken apart.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseHeading {
    pub label: String,
    pub title: String,
    /// `None` when the heading only states a duration (`Hardening (2 weeks)`):
    /// the model then places it after the phase before it.
    pub span: Option<Span>,
    /// The ordinal the label names (`Phase 2`), when the span is a time span.
    pub ordinal: Option<Span>,
    pub duration: Option<Duration>,
    /// The duration as written (`(3 days)`), to point at.
    pub duration_written: Option<String>,
    /// A span the heading states but that cannot be read (`span` is then
    /// `None` and the heading is still a phase).
    pub rejected: Option<Rejected>,
    /// The heading counts in a word that names a phase only among siblings
    /// counted the same way (`Tier 1`, `Tier 2`; `Stage 1`, `Stage 2`): the
    /// lower-case word, so that a lone `Tier 1` stays a section.
    pub sibling_word: Option<String>,
}

/// Words that number phases only when sibling headings count in them too.
const SIBLING_WORDS: &[&str] = &[
    "tier", "tiers", "stage", "stages", "stufe", "etappe", "wave",
];

const UNIT_WORDS: &str = r"weeks?|days?|sprints?|phases?|months?|milestones?|semanas?|semaines?|wochen?|woche|fasi|fase|[ée]tapes?|etapas?|stages?|tiers?|stufe|etappe|wave|iterations?|itera[çc][ãa]o|itera[çc][õo]es|iteraci[óo]n|iteraciones|iterazione|iterasi|meilensteine?|hitos?|marcos?|jalons?|阶段|階段|フェーズ|里程碑|マイルストーン|meses|mes|mois|tage?|d[ií]as?|jours?";

// Word boundaries are ASCII ones: on a Unicode boundary the fast engine
// gives up in any heading with a non-ASCII character, and the slow one
// then reads it; the boundaries sit next to ASCII letters and digits.
static SPAN: LazyLock<Regex> = LazyLock::new(|| span_pattern(""));

/// The same, matching only at the start of the text: a heading's span
/// is looked for there, and a heading without one is told at its first
/// character instead of after a search of the whole line.
static SPAN_AT_START: LazyLock<Regex> = LazyLock::new(|| span_pattern(r"\A"));

/// The span pattern after `anchor`.
fn span_pattern(anchor: &str) -> Regex {
    let pattern = format!(
        r"(?ix){anchor}(?:
        (?P<pre>pre[-\s]?week(?:\s*\d+)?)
      | (?P<unit>{UNIT_WORDS})(?:\s*(?:m|\#)?|\s+(?P<neg>[-−]))(?P<a>\d+)(?:\.\d+)*[a-z]?
            (?:\s*(?:-|–|—|to|through|thru|and|&|/)\s*(?:(?:{UNIT_WORDS})\s*)?(?P<b>\d+))?
      | q(?P<qbad>[05-9]\d*|[1-4]\d+)(?-u:\b)
      | q(?P<qn>[1-4])(?:(?:\s*|\s*-\s*)(?:fy)?\s*(?P<qy>(?:19|20)\d\d))?
      | t(?P<tn>[1-4])(?:\s*|\s*-\s*)(?P<ty>(?:19|20)\d\d)
      | (?P<yqy>(?:19|20)\d\d)\s*-?\s*q(?P<yqn>[1-4])
      | (?-u:\b)m(?P<msn>\d+)
        )"
    );
    Regex::new(&pattern).expect("the span pattern is a valid regex")
}

static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*~?(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>days?|weeks?|months?|sprints?)\s*\)")
        .expect("the duration pattern is a valid regex")
});

static PARENS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(([^()]*)\)").expect("the parentheses pattern is a valid regex")
});

/// A span found in text (or one that cannot be read), with the byte range
/// it covers.
fn span_at(text: &str, anchored: bool) -> Option<(Reading, Range<usize>)> {
    // Every span has a digit but `Pre-Week`.
    let has_digit = text.bytes().any(|b| b.is_ascii_digit());
    if !has_digit && !text.to_ascii_lowercase().contains("pre") {
        return None;
    }
    if anchored {
        if !may_start_span(text) {
            return None;
        }
        if let Some(quick) = quick_span(text) {
            return quick;
        }
        return anchored_by_pattern(text);
    }
    for caps in SPAN.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 always matches");
        let before_ok = text[..whole.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = text[whole.end()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if !(before_ok && after_ok) {
            continue;
        }
        match span_from(&caps) {
            // In free text, `Q12` is more likely a name than a quarter.
            Some(Err(why)) if why.unit == Unit::Quarter => continue,
            Some(reading) => return Some((reading, whole.range())),
            None => {}
        }
    }
    None
}

/// The commonest heading and cell spans (`Week 3`, `Sprints 2-4`,
/// `Phase 1: …`, `Week 5-6 (…)`) read without the pattern: an English unit
/// word in ASCII letters, one space, ASCII digits, and at most `-` and
/// digits, followed by the end or by ASCII punctuation that no part of the
/// pattern can take. `Some` only when what the pattern would match there is
/// certain (the unit alternative, greedily, with no suffix, separator word
/// or spacing to weigh); `None` leaves the text to the pattern.
fn quick_span(text: &str) -> Option<Option<(Reading, Range<usize>)>> {
    let bytes = text.as_bytes();
    let word_end = bytes.iter().position(|b| !b.is_ascii_alphabetic())?;
    let word = &text[..word_end];
    let unit = match word.to_ascii_lowercase().as_str() {
        "week" | "weeks" => Unit::Week,
        "day" | "days" => Unit::Day,
        "sprint" | "sprints" => Unit::Sprint,
        "phase" | "phases" => Unit::Phase,
        "month" | "months" => Unit::Month,
        "milestone" | "milestones" => Unit::Milestone,
        _ => return None,
    };
    if bytes.get(word_end) != Some(&b' ') {
        return None;
    }
    let digits = |from: usize| {
        let end = bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |n| from + n);
        (end > from).then_some(end)
    };
    let a_start = word_end + 1;
    let a_end = digits(a_start)?;
    // What may follow a number without the pattern taking it: the end, or
    // ASCII punctuation other than a decimal point, a separator or `#`.
    let plain_after = |at: usize| match bytes.get(at) {
        None => true,
        Some(&b) => {
            b.is_ascii()
                && !b.is_ascii_alphanumeric()
                && !b.is_ascii_whitespace()
                && !matches!(b, b'.' | b'-' | b'/' | b'&' | b'#')
        }
    };
    let (b, end) = if plain_after(a_end) {
        (None, a_end)
    } else if bytes.get(a_end) == Some(&b' ') {
        // Spaces, then something no separator (`-`, `/`, `&`, `to`,
        // `through`, `thru`, `and`) starts with: the number ends the match.
        match bytes[a_end..].iter().find(|&&c| c != b' ') {
            Some(&c)
                if !c.is_ascii()
                    || c.is_ascii_whitespace()
                    || matches!(c, b'-' | b'/' | b'&' | b't' | b'T' | b'a' | b'A') =>
            {
                return None;
            }
            _ => (None, a_end),
        }
    } else if bytes.get(a_end) == Some(&b'-') {
        let b_end = digits(a_end + 1)?;
        let after = bytes.get(b_end);
        // After the second number the pattern ends: anything ASCII but a
        // letter or digit leaves the match as it is (and keeps the span).
        if after.is_some_and(|&c| !c.is_ascii() || c.is_ascii_alphanumeric()) {
            return None;
        }
        (Some(&text[a_end + 1..b_end]), b_end)
    } else {
        return None;
    };
    let written = text[..end].trim();
    let reading = unit_span(written, unit, &text[a_start..a_end], b);
    Some(reading.map(|reading| (reading, 0..end)))
}

/// The first match of the span pattern in `text` when it starts at 0 (the
/// unanchored search prefers the same alternative there either way).
fn anchored_by_pattern(text: &str) -> Option<(Reading, Range<usize>)> {
    {
        let caps = SPAN_AT_START.captures(text)?;
        let whole = caps.get(0)?;
        let after_ok = text[whole.end()..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        match span_from(&caps) {
            Some(reading) if after_ok => Some((reading, whole.range())),
            _ => None,
        }
    }
}

/// Whether a span may start at the first character of `text`: every
/// alternative of the span pattern starts with one of these ASCII letters
/// or digits (in either case) or, for the words of other scripts and the
/// characters case-insensitive matching adds (`ſ` for `s`), a non-ASCII
/// character. Most headings are told without running the pattern.
fn may_start_span(text: &str) -> bool {
    text.bytes().next().is_some_and(|b| {
        !b.is_ascii()
            || matches!(
                b.to_ascii_lowercase(),
                b'w' | b'd'
                    | b's'
                    | b'p'
                    | b'm'
                    | b'f'
                    | b'e'
                    | b't'
                    | b'i'
                    | b'h'
                    | b'j'
                    | b'q'
                    | b'1'
                    | b'2'
            )
    })
}

/// The groups of the span pattern, by index (the same in `SPAN` and
/// `SPAN_AT_START`: the anchor adds no group).
struct SpanGroups {
    pre: usize,
    unit: usize,
    neg: usize,
    a: usize,
    b: usize,
    qbad: usize,
    qn: usize,
    qy: usize,
    tn: usize,
    ty: usize,
    yqy: usize,
    yqn: usize,
    msn: usize,
}

static SPAN_GROUPS: LazyLock<SpanGroups> = LazyLock::new(|| {
    let at = |name: &str| super::group_index(&SPAN, name);
    SpanGroups {
        pre: at("pre"),
        unit: at("unit"),
        neg: at("neg"),
        a: at("a"),
        b: at("b"),
        qbad: at("qbad"),
        qn: at("qn"),
        qy: at("qy"),
        tn: at("tn"),
        ty: at("ty"),
        yqy: at("yqy"),
        yqn: at("yqn"),
        msn: at("msn"),
    }
});

/// A span counted in `unit` from number `a` (to `b`), written `written`:
/// `None` for a year after an ordinal word (`Sprint 2024`).
fn unit_span(written: &str, unit: Unit, a: &str, b: Option<&str>) -> Option<Reading> {
    // Digits too many for a u64 are as far beyond every limit as u64::MAX.
    let number = |digits: &str| digits.parse::<u64>().unwrap_or(u64::MAX);
    let start = number(a);
    // `Marco 2025` (March, in Portuguese written without its cedilla)
    // or `Sprint 2024`: a year, not the 2025th milestone.
    let year_like = a.len() == 4 && (1900..=2099).contains(&start) && b.is_none();
    if unit.is_ordinal() && year_like {
        return None;
    }
    let end = b.map_or(start, number);
    Some(checked(written, unit, start, end))
}

/// `start` to `end` in `unit`, or why not (ending before it starts,
/// reaching beyond the unit's limit).
fn checked(written: &str, unit: Unit, start: u64, end: u64) -> Reading {
    let rejected = |reason: String| {
        Err(Rejected {
            unit,
            written: written.to_string(),
            reason,
        })
    };
    if end < start {
        return rejected("ends before it starts".into());
    }
    match (u32::try_from(start), u32::try_from(end)) {
        (Ok(start), Ok(end)) if end <= unit.limit() => Ok(Span::new(unit, start, end)),
        _ => rejected(format!(
            "reaches beyond {} {}s (a plan that long is not a timeline)",
            unit.limit(),
            unit.name()
        )),
    }
}

fn span_from(caps: &regex::Captures<'_>) -> Option<Reading> {
    let g = &*SPAN_GROUPS;
    // Digits too many for a u64 are as far beyond every limit as u64::MAX.
    let number = |group: usize| {
        caps.get(group)
            .map(|m| m.as_str().parse::<u64>().unwrap_or(u64::MAX))
    };
    let written = caps.get(0).map_or("", |m| m.as_str()).trim();
    let rejected = |unit: Unit, reason: String| {
        Err(Rejected {
            unit,
            written: written.to_string(),
            reason,
        })
    };
    if caps.get(g.pre).is_some() {
        return Some(Ok(Span::new(Unit::Week, 0, 0)));
    }
    if let Some(word) = caps.get(g.unit) {
        let unit = Unit::from_word(word.as_str())?;
        if caps.get(g.neg).is_some() {
            return Some(rejected(
                unit,
                format!("is a negative {} number", unit.name()),
            ));
        }
        let a = caps.get(g.a)?.as_str();
        return unit_span(written, unit, a, caps.get(g.b).map(|m| m.as_str()));
    }
    if caps.get(g.qbad).is_some() {
        return Some(rejected(
            Unit::Quarter,
            "is not a quarter (they run from Q1 to Q4)".into(),
        ));
    }
    if let Some(quarter) = number(g.qn)
        .or_else(|| number(g.yqn))
        .or_else(|| number(g.tn))
    {
        let year = caps
            .get(g.qy)
            .or_else(|| caps.get(g.yqy))
            .or_else(|| caps.get(g.ty))
            .and_then(|m| m.as_str().parse().ok());
        return Some(
            checked(written, Unit::Quarter, quarter, quarter).map(|span| Span { year, ..span }),
        );
    }
    let milestone = number(g.msn)?;
    Some(checked(written, Unit::Milestone, milestone, milestone))
}

/// Reads a heading as a phase heading, if it names a span or a duration.
pub fn parse_heading(heading: &str) -> Option<PhaseHeading> {
    // Long by nature: one reading whose steps (the lead span, a time span
    // after a lead ordinal or in parentheses, a duration) each rework the
    // same label, title, span and rejection; split, they would hand all
    // four back and forth.
    let text = heading.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '(');
    let text = text.trim();
    let duration_match = text
        .contains('(')
        .then(|| DURATION.captures(text))
        .flatten();
    let duration = duration_match.as_ref().and_then(|caps| {
        let value = caps.name("n")?.as_str().parse().ok()?;
        let unit = Unit::from_word(caps.name("unit")?.as_str())?;
        Some(Duration { value, unit })
    });

    let lead = span_at(text, true);
    let (label, rest) = split_label(text, lead.as_ref().map(|(_, r)| r.end));
    let (mut span, mut rejected) = match lead {
        Some((Ok(span), _)) => (Some(span), None),
        Some((Err(why), _)) => (None, Some(why)),
        None => (None, None),
    };
    let mut ordinal = None;
    let mut label = label.to_string();
    let mut title = rest.to_string();

    let time_span_in_rest = || {
        PARENS
            .captures_iter(text)
            .filter_map(|caps| {
                let inner = caps.get(1)?.as_str().trim();
                let (found, range) = span_at(inner, true)?;
                (range.end == inner.len()).then_some((found, caps.get(0)?.range()))
            })
            .next()
    };
    let unit_of = |reading: &Reading| match reading {
        Ok(span) => span.unit,
        Err(why) => why.unit,
    };

    match span {
        Some(lead_span) if lead_span.unit.is_ordinal() => {
            let later = time_span_in_rest().or_else(|| {
                span_at(rest, false)
                    .filter(|(s, _)| !unit_of(s).is_ordinal())
                    .map(|(s, r)| (s, offset_in(text, rest, r)))
            });
            if let Some((time, range)) = later.filter(|(s, _)| !unit_of(s).is_ordinal()) {
                ordinal = Some(lead_span);
                match time {
                    Ok(time) => span = Some(time),
                    Err(why) => {
                        span = None;
                        rejected = Some(why);
                    }
                }
                title = remove(text, &range, &label);
            }
        }
        Some(_) => {}
        None if rejected.is_some() => {}
        None => {
            if let Some((found, range)) = time_span_in_rest() {
                match found {
                    Ok(found) => span = Some(found),
                    Err(why) => rejected = Some(why),
                }
                label = text[range.start + 1..range.end - 1].trim().to_string();
                title = remove_range(text, &range);
            } else if duration.is_none() {
                return None;
            }
        }
    }
    if let Some(caps) = &duration_match {
        if let Some(whole) = caps.get(0) {
            title = title.replace(whole.as_str(), "");
            label = label.replace(whole.as_str(), "");
        }
    }
    let mut title = tidy(&title);
    let mut label = tidy(&label);
    if title.is_empty() {
        title = label.clone();
    }
    if label.is_empty() {
        label = title.clone();
    }
    Some(PhaseHeading {
        label,
        title,
        span,
        ordinal,
        duration_written: duration
            .and(duration_match.as_ref())
            .and_then(|caps| caps.get(0))
            .map(|m| m.as_str().to_string()),
        duration,
        rejected,
        sibling_word: lead_word(text).filter(|w| SIBLING_WORDS.contains(&w.as_str())),
    })
}

/// The first word of a heading, lower case.
fn lead_word(text: &str) -> Option<String> {
    let word: String = text
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    (!word.is_empty()).then_some(word)
}

/// A heading taken as a phase for what surrounds it (its siblings' shape,
/// the budget or dates it carries) rather than for a span it names: split
/// into label and title as span headings are, with no span.
pub fn named_heading(heading: &str) -> PhaseHeading {
    let text = heading
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim();
    let (label, title) = split_label(text, None);
    let label = tidy(label);
    let title = tidy(title);
    PhaseHeading {
        title: if title.is_empty() {
            label.clone()
        } else {
            title
        },
        label,
        span: None,
        ordinal: None,
        duration: None,
        duration_written: None,
        rejected: None,
        sibling_word: None,
    }
}

/// A phase read from a plan's title (`Planejamento Sprint 1`): the span as
/// written is its label, the title its title.
pub fn named_phase(label: &str, title: &str, span: Span) -> PhaseHeading {
    PhaseHeading {
        label: label.to_string(),
        title: title.trim().to_string(),
        span: Some(span),
        ordinal: None,
        duration: None,
        duration_written: None,
        rejected: None,
        sibling_word: None,
    }
}

/// The shape a heading shares with sibling phases when it names no span:
/// a release (`v2.8`, `Release 1.30`, or a bare `1.30` standing alone) or
/// a calendar month (`August`, `Agosto 2025`). A numbered section
/// (`1.2 Scope`) is not a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Release,
    Month,
}

pub fn shape_of(heading: &str) -> Option<Shape> {
    static RELEASE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)^(?:
                (?:release|version|versão|versión|versione|v)\s*v?\d+(?:\.\d+)+(?:-[0-9a-z.]+)?(?:$|[\s:(–—-])
              | v?\d+(?:\.\d+)+(?:-[0-9a-z.]+)?\s*(?:$|[:(–—]|\s-\s)
            )",
        )
        .expect("the release pattern is a valid regex")
    });
    static MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)^(?:
                january|february|march|april|may|june|july|august|september|october|november|december
              | januar|februar|märz|maerz|mai|juni|juli|oktober|dezember
              | janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre
              | enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre
              | janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro
              | gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre
            )(?:\s+(?:de\s+)?(?:19|20)\d\d)?\s*(?:$|[:(–—]|\s-\s)",
        )
        .expect("the month pattern is a valid regex")
    });
    let text = heading
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim();
    if RELEASE.is_match(text) {
        Some(Shape::Release)
    } else if MONTH.is_match(text) {
        Some(Shape::Month)
    } else {
        None
    }
}

/// The one span a title names (`Planejamento Sprint 1`, `Week 1-2
/// Checklist`), as written: `None` when it names none or more than one.
pub fn only_span_in(text: &str) -> Option<(Span, String)> {
    let (reading, range) = span_at(text, false)?;
    let span = reading.ok()?;
    let rest = text.get(range.end..)?;
    if span_at(rest, false).is_some() {
        return None;
    }
    Some((span, text.get(range)?.trim().to_string()))
}

/// The text names a span (`Weeks 3-4`, `Q4 2021`) or a month of a year
/// (`Nov 2020`, `March 2025`, `Agosto de 2025`) somewhere in it.
pub fn names_span_or_month(text: &str) -> bool {
    static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?ix)\b(?:
                jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec
              | january|february|march|april|june|july|august|september|october|november|december
              | januar|februar|märz|mai|juni|juli|oktober|dezember
              | janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre
              | enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre
              | janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro
              | gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre
            )\.?\s+(?:de\s+)?(?:19|20)\d\d\b",
        )
        .expect("the month and year pattern is a valid regex")
    });
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    matches!(span_at(text, false), Some((Ok(_), _))) || MONTH_YEAR.is_match(text)
}

/// A heading that names a unit of time as a word (`Release Day`, `Mid
/// term (6-8 months horizon)`, `Long term (~1 year+)`): among sibling
/// phases, a stretch of the plan even without a number a span could read.
pub fn names_time(heading: &str) -> bool {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:days?|weeks?|months?|quarters?|years?|tage?|wochen?|monate?|jahre?|jours?|semaines?|mois|années?|d[ií]as?|semanas?|mes|meses|años?|m[eê]s|anos?)\b",
        )
        .expect("the time word pattern is a valid regex")
    });
    // `Week 25+` or `Ongoing`: a stretch with no end is what follows the
    // plan, not a part of it.
    static OPEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"(?i)\b(?:{UNIT_WORDS})\s*\d+\s*\+|\bongoing\b"))
            .expect("the open stretch pattern is a valid regex")
    });
    // `Day-to-day`, `Year-end`: a word in a compound of words is not a
    // stretch (`30-Day Review` is).
    let names = TIME.find_iter(heading).any(|m| {
        let before = heading[..m.start()].strip_suffix('-');
        let joined_after_word =
            before.is_some_and(|b| b.chars().next_back().is_some_and(char::is_alphabetic));
        !heading[m.end()..].starts_with('-') && !joined_after_word
    });
    names && !OPEN.is_match(heading)
}

/// Splits at the first `:` or ` - ` / ` – ` / ` — `; without one, after the
/// leading span (`Week 11 Review` is `Week 11` and `Review`).
fn split_label(text: &str, lead_end: Option<usize>) -> (&str, &str) {
    let first = first_separator(text);
    match (first, lead_end) {
        (Some((at, len)), _) => (&text[..at], &text[at + len..]),
        (None, Some(end)) => (&text[..end], &text[end..]),
        (None, None) => (text, ""),
    }
}

/// The first separator of `split_label` in `text` (`: `, ` - `, ` – `,
/// ` — `, `:`, `：`), as (byte offset, length): `: ` over `:` where both
/// start. One pass over the bytes: every separator starts with `:`, a
/// space or the first byte of `：`.
fn first_separator(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().find_map(|(at, &b)| {
        let rest = &bytes[at..];
        match b {
            b':' if rest.starts_with(b": ") => Some((at, 2)),
            b':' => Some((at, 1)),
            b' ' => [" - ", " – ", " — "]
                .iter()
                .find(|sep| rest.starts_with(sep.as_bytes()))
                .map(|sep| (at, sep.len())),
            0xEF if rest.starts_with("：".as_bytes()) => Some((at, "：".len())),
            _ => None,
        }
    })
}

fn offset_in(text: &str, part: &str, range: Range<usize>) -> Range<usize> {
    let base = part.as_ptr() as usize - text.as_ptr() as usize;
    base + range.start..base + range.end
}

/// The heading without the label and the matched range: what remains is
/// the title.
fn remove(text: &str, range: &Range<usize>, label: &str) -> String {
    let without = remove_range(text, range);
    let rest = without.trim_start();
    let rest = rest.strip_prefix(label.trim()).unwrap_or(rest);
    rest.trim_start_matches([':', '-', '–', '—', ' '])
        .to_string()
}

fn remove_range(text: &str, range: &Range<usize>) -> String {
    format!("{}{}", &text[..range.start], &text[range.end..])
}

fn tidy(text: &str) -> String {
    let text = text
        .trim()
        .trim_matches(|c: char| matches!(c, ':' | '：' | '-' | '–' | '—' | ','));
    super::single_spaced(text)
}

/// Reads a table cell or metric week (`Pre-Week 1`, `Week 1-2 (Staging)`,
/// `Pre`, `3-4`, `11`) as a span; bare numbers count in `default_unit`.
pub fn parse_cell(cell: &str, default_unit: Unit) -> Option<Span> {
    let text = cell.trim();
    let bytes = text.as_bytes();
    // An ASCII cell that starts with a digit and has no `q`: the only
    // span starting with a digit is a year and quarter (`2025 Q3`), so
    // it is a bare number or range or nothing, read by hand.
    if bytes.first().is_some_and(u8::is_ascii_digit)
        && text.is_ascii()
        && !bytes.iter().any(|&b| b == b'q' || b == b'Q')
    {
        return bare_cell(text, default_unit);
    }
    cell_by_pattern(text, default_unit)
}

/// What `BARE` (in `cell_by_pattern`) reads in an ASCII text: digits,
/// optionally spaces, `-`, spaces and digits, then white space, `(` or
/// the end (`\s` here being ASCII's white space, tab to CR and space).
fn bare_cell(text: &str, default_unit: Unit) -> Option<Span> {
    let bytes = text.as_bytes();
    let is_space = |b: u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    let digits_end = |from: usize| {
        from + bytes.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    let spaces_end = |from: usize| {
        from + bytes
            .get(from..)
            .map_or(0, |rest| rest.iter().take_while(|&&b| is_space(b)).count())
    };
    let ends = |at: usize| bytes.get(at).is_none_or(|&b| is_space(b) || b == b'(');
    let a_end = digits_end(0);
    if a_end == 0 {
        return None;
    }
    let dash = spaces_end(a_end);
    let range = (bytes.get(dash) == Some(&b'-'))
        .then(|| {
            let b_start = spaces_end(dash + 1);
            let b_end = digits_end(b_start);
            (b_end > b_start && ends(b_end)).then_some(b_start..b_end)
        })
        .flatten();
    if range.is_none() && !ends(a_end) {
        return None;
    }
    let start: u32 = text[..a_end].parse().ok()?;
    let end = range
        .and_then(|r| text.get(r)?.parse().ok())
        .unwrap_or(start);
    (end >= start).then_some(Span::new(default_unit, start, end))
}

/// `parse_cell` by the span pattern, then `Pre`, then `BARE`.
fn cell_by_pattern(text: &str, default_unit: Unit) -> Option<Span> {
    match span_at(text, true) {
        Some((Ok(span), _)) => return Some(span),
        Some((Err(_), _)) => return None,
        None => {}
    }
    let lower = text.to_lowercase();
    if lower == "pre" || lower.starts_with("pre ") || lower.starts_with("pre-") {
        return Some(Span::new(Unit::Week, 0, 0));
    }
    static BARE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d+)(?:\s*[-–—]\s*(\d+))?(?:\s|$|\()").expect("valid regex")
    });
    let caps = BARE.captures(text)?;
    let start = caps.get(1)?.as_str().parse().ok()?;
    let end = caps
        .get(2)
        .and_then(|m| m.as_str().parse().ok())
        .unwrap_or(start);
    (end >= start).then_some(Span::new(default_unit, start, end))
}

/// Finds a time span (weeks, days, months) anywhere in free text, such as
/// `11 weeks`: returns the count. Used for stated plan lengths.
pub fn count_of(text: &str, unit: Unit) -> Option<u32> {
    static COUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(\d+)[\s-]*(weeks?|days?|months?|sprints?)\b").expect("valid regex")
    });
    COUNT.captures_iter(text).find_map(|caps| {
        let found = Unit::from_word(caps.get(2)?.as_str())?;
        (found == unit).then(|| caps.get(1)?.as_str().parse().ok())?
    })
}

pub(crate) fn week_start(start: NaiveDate, week: u32) -> Option<NaiveDate> {
    match week {
        0 => start.checked_sub_days(Days::new(7)),
        n => start.checked_add_days(Days::new(7 * (u64::from(n) - 1))),
    }
}

/// The `n`th working day (Monday to Friday) counting `start` as day 1
/// (day 0 is day 1; a weekend `start` counts from the Monday after it):
/// whole weeks of five working days, then the rest, in constant time.
pub(crate) fn working_day(start: NaiveDate, n: u32) -> Option<NaiveDate> {
    let to_monday = match start.weekday() {
        Weekday::Sat => 2,
        Weekday::Sun => 1,
        _ => 0,
    };
    let first = start.checked_add_days(Days::new(to_monday))?;
    let after = u64::from(n.max(1) - 1);
    // From a working day, five working days on is seven days on; the rest
    // (0 to 4) steps over one weekend when it passes Friday.
    let (weeks, rest) = (after / 5, after % 5);
    let weekday = u64::from(first.weekday().num_days_from_monday());
    let weekend = if weekday + rest > 4 { 2 } else { 0 };
    first.checked_add_days(Days::new(weeks * 7 + rest + weekend))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_spans_are_what_the_pattern_reads() {
        let words = [
            "Week",
            "weeks",
            "WEEK",
            "Day",
            "days",
            "Sprint",
            "sprints",
            "Phase",
            "PHASES",
            "Month",
            "months",
            "Milestone",
            "milestones",
            "Weekly",
            "Phasex",
            "Stage",
            "Tier",
            "Q",
            "Pre",
        ];
        let gaps = [" ", "  ", "", "\t", " -", " #"];
        let numbers = [
            "1",
            "12",
            "0",
            "2024",
            "1999",
            "99999999999999999999999",
            "007",
            "5",
            "600",
        ];
        let tails = [
            "",
            ":",
            ": Setup",
            " (Setup)",
            "-2",
            "-3: x",
            "-10 (y)",
            "–2",
            " - 2",
            " to 3",
            " and 4",
            " & 5",
            "/6",
            ".5",
            "a",
            "b: c",
            " Tasks",
            " Review",
            " ",
            "-",
            "-x",
            "-2x",
            "-2.5",
            "-2 (x)",
            "\u{662}",
            "-1\u{662}",
            ",",
            ")",
            "#",
            " #3",
            "-2 and 3",
            "  (x)",
            " a",
            " t",
            "-0",
            "-9999",
            " —",
            " (2 weeks)",
            "-2-3",
            "-2/3",
            " \u{a0}x",
            "\u{fe0f}",
            " ✅",
        ];
        let mut quick = 0;
        for word in words {
            for gap in gaps {
                for number in numbers {
                    for tail in tails {
                        let text = format!("{word}{gap}{number}{tail}");
                        if let Some(found) = quick_span(&text) {
                            quick += 1;
                            assert_eq!(found, anchored_by_pattern(&text), "{text:?}");
                        }
                    }
                }
            }
        }
        assert!(quick > 1000, "{quick}");
    }

    #[test]
    fn bare_cells_are_what_the_patterns_read() {
        let heads = ["1", "12", "007", "0", "99999999999", "2025", "1999"];
        let tails = [
            "",
            "-2",
            " - 3",
            "-",
            "- 4",
            "  -  5",
            "-2x",
            "x",
            " x",
            "(a)",
            " (b)",
            "-3 (c)",
            "-3(c)",
            "-10",
            "-1",
            "-99999999999",
            ".5",
            "/2",
            "-2-3",
            "\t-\t4",
            "-\n5",
            "\x0b",
            "-2\x0c",
            " q3",
            "-2 q",
            "–2",
            "-2a",
            ",3",
            " 2",
        ];
        for head in heads {
            for tail in tails {
                let text = format!("{head}{tail}");
                assert_eq!(
                    parse_cell(&text, Unit::Week),
                    cell_by_pattern(text.trim(), Unit::Week),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn both_span_patterns_have_the_same_groups() {
        assert!(SPAN.capture_names().eq(SPAN_AT_START.capture_names()));
        assert_ne!(SPAN_GROUPS.msn, usize::MAX);
    }

    #[test]
    fn spans_start_only_where_may_start_span_allows() {
        // Every ASCII first character that the pattern can start with is
        // allowed by the quick test.
        for b in 0u8..0x80 {
            let c = char::from(b);
            let rests = [
                "re-week",
                "eek 1",
                "1",
                "4 2025",
                "025-q1",
                "3",
                "ase 2",
                "1 2025",
                "ays 1",
                "print 1",
                "onth 1",
                "ilestone 1",
                "asi 1",
                "tapa 1",
                "ier 1",
                "terations 1",
                "itos 1",
                "alons 1",
                "ours 1",
                "ois 1",
                "age 1",
                "ave 1",
                "emana 1",
            ];
            for rest in rests {
                let text = format!("{c}{rest}");
                if SPAN_AT_START.is_match(&text) {
                    assert!(may_start_span(&text), "{text:?}");
                }
            }
        }
    }

    fn heading(text: &str) -> PhaseHeading {
        parse_heading(text).unwrap_or_else(|| panic!("{text:?} should be a phase"))
    }

    #[test]
    fn week_spans() {
        let h = heading("Week 3-4: Monitoring + Security (Moved Up!)");
        assert_eq!(h.span, Some(Span::new(Unit::Week, 3, 4)));
        assert_eq!(h.label, "Week 3-4");
        assert_eq!(h.title, "Monitoring + Security (Moved Up!)");
        assert_eq!(heading("Weeks 3–4").span, Some(Span::new(Unit::Week, 3, 4)));
        assert_eq!(
            heading("Week 0: Kickoff").span,
            Some(Span::new(Unit::Week, 0, 0))
        );
        let h = heading("Week 11 Production Readiness Review");
        assert_eq!(
            (h.label.as_str(), h.title.as_str()),
            ("Week 11", "Production Readiness Review")
        );
    }

    #[test]
    fn pre_week_and_duration() {
        let h = heading("Pre-Week 1: Critical Fixes (3 days)");
        assert_eq!(h.span, Some(Span::new(Unit::Week, 0, 0)));
        assert_eq!(h.label, "Pre-Week 1");
        assert_eq!(h.title, "Critical Fixes");
        assert_eq!(
            h.duration,
            Some(Duration {
                value: 3.0,
                unit: Unit::Day
            })
        );
    }

    #[test]
    fn other_units() {
        assert_eq!(heading("Day 2").span, Some(Span::new(Unit::Day, 2, 2)));
        assert_eq!(
            heading("Sprint 4 - Payments").span,
            Some(Span::new(Unit::Sprint, 4, 4))
        );
        assert_eq!(
            heading("Month 1-2").span,
            Some(Span::new(Unit::Month, 1, 2))
        );
        let q = heading("Q3 2025").span.expect("span");
        assert_eq!((q.unit, q.start, q.year), (Unit::Quarter, 3, Some(2025)));
        let q = heading("2024Q4: Hydrogen").span.expect("span");
        assert_eq!((q.unit, q.start, q.year), (Unit::Quarter, 4, Some(2024)));
        assert_eq!(
            heading("Milestone M2").span,
            Some(Span::new(Unit::Milestone, 2, 2))
        );
        assert_eq!(
            heading("M1: Kickoff").span,
            Some(Span::new(Unit::Milestone, 1, 1))
        );
    }

    #[test]
    fn phase_words_in_other_languages() {
        for (text, unit, n, label) in [
            (
                "Meilenstein 2: Prototyp",
                Unit::Milestone,
                2,
                "Meilenstein 2",
            ),
            ("Hito 3 - Pruebas", Unit::Milestone, 3, "Hito 3"),
            ("Marco 1: Entrega", Unit::Milestone, 1, "Marco 1"),
            ("Jalon 4 : Livraison", Unit::Milestone, 4, "Jalon 4"),
            ("里程碑 1：设计", Unit::Milestone, 1, "里程碑 1"),
            ("マイルストーン2", Unit::Milestone, 2, "マイルストーン2"),
            ("Étape 2 : Tests", Unit::Phase, 2, "Étape 2"),
            ("Etapa 1", Unit::Phase, 1, "Etapa 1"),
            ("阶段 3", Unit::Phase, 3, "阶段 3"),
            ("フェーズ1: 要件", Unit::Phase, 1, "フェーズ1"),
            ("Stage 2: Pilot", Unit::Phase, 2, "Stage 2"),
            ("Tier 1: Foundation (build first)", Unit::Phase, 1, "Tier 1"),
            ("Iteration 4", Unit::Sprint, 4, "Iteration 4"),
            ("Iteração 2: Cadastro", Unit::Sprint, 2, "Iteração 2"),
            ("Iteración 5", Unit::Sprint, 5, "Iteración 5"),
        ] {
            let h = heading(text);
            assert_eq!(h.span, Some(Span::new(unit, n, n)), "{text}");
            assert_eq!(h.label, label, "{text}");
        }
        assert_eq!(heading("里程碑 1：设计").title, "设计");
    }

    #[test]
    fn ordinals_with_a_letter() {
        let h = heading("Milestone 4a: Login and profiles");
        assert_eq!(h.span, Some(Span::new(Unit::Milestone, 4, 4)));
        assert_eq!(
            (h.label.as_str(), h.title.as_str()),
            ("Milestone 4a", "Login and profiles")
        );
        assert_eq!(heading("Milestone 4b").label, "Milestone 4b");
        // A year after an ordinal word is not an ordinal.
        assert_eq!(parse_heading("Marco 2025"), None);
        assert_eq!(parse_heading("Sprint 2024"), None);
        // Two letters are a word, not a suffix.
        assert_eq!(parse_heading("Phase 1st draft"), None);
    }

    #[test]
    fn quarters_in_other_forms() {
        for (text, n, year) in [
            ("T4 2025", 4, 2025),
            ("T1 2026 : Sandbox", 1, 2026),
            ("Q1-2024: Update", 1, 2024),
            ("2024Q4", 4, 2024),
        ] {
            let q = heading(text).span.expect("span");
            assert_eq!(
                (q.unit, q.start, q.year),
                (Unit::Quarter, n, Some(year)),
                "{text}"
            );
        }
        // Without a year, `T2` is not a quarter.
        assert_eq!(parse_heading("T2 notes"), None);
    }

    #[test]
    fn ordinal_with_time_span() {
        let h = heading("Phase 1: Discovery (Weeks 1-3)");
        assert_eq!(h.span, Some(Span::new(Unit::Week, 1, 3)));
        assert_eq!(h.ordinal, Some(Span::new(Unit::Phase, 1, 1)));
        assert_eq!(
            (h.label.as_str(), h.title.as_str()),
            ("Phase 1", "Discovery")
        );
        let h = heading("Phase 2 — Build, Weeks 3-8");
        assert_eq!(h.span, Some(Span::new(Unit::Week, 3, 8)));
        assert_eq!(h.label, "Phase 2");
    }

    #[test]
    fn span_in_parentheses_after_title() {
        let h = heading("Early Steps (Weeks 1-2)");
        assert_eq!(h.span, Some(Span::new(Unit::Week, 1, 2)));
        assert_eq!(
            (h.label.as_str(), h.title.as_str()),
            ("Weeks 1-2", "Early Steps")
        );
    }

    #[test]
    fn not_phases() {
        for text in [
            "Budget Summary",
            "Weekly sync",
            "Phase Details",
            "Risk Mitigation",
            "Daydream 3",
            "Summary (Moved Up!)",
        ] {
            assert_eq!(parse_heading(text), None, "{text}");
        }
    }

    #[test]
    fn spans_that_cannot_be_read_are_rejected_and_the_heading_stays_a_phase() {
        for (text, written, reason) in [
            ("Week 5-2: Backwards", "Week 5-2", "ends before it starts"),
            ("Sprint -1: Before", "Sprint -1", "negative sprint"),
            ("Q9: Ninth", "Q9", "not a quarter"),
            ("Q0", "Q0", "not a quarter"),
            ("Q12 Review", "Q12", "not a quarter"),
            (
                "Week 1-4294967295: All",
                "Week 1-4294967295",
                "beyond 520 weeks",
            ),
            (
                "Week 99999999999999999999999",
                "Week 99999999999999999999999",
                "beyond 520 weeks",
            ),
            ("Week 521", "Week 521", "beyond 520 weeks"),
            ("Day 4000000000", "Day 4000000000", "beyond 3650 days"),
            ("Sprint 1001", "Sprint 1001", "beyond 1000 sprints"),
            ("Month 121", "Month 121", "beyond 120 months"),
            ("M1001: Far", "M1001", "beyond 1000 milestones"),
            (
                "Phase 1: Discovery (Weeks 1-600)",
                "Weeks 1-600",
                "beyond 520 weeks",
            ),
        ] {
            let h = heading(text);
            assert_eq!(h.span, None, "{text}");
            let rejected = h.rejected.unwrap_or_else(|| panic!("{text} is rejected"));
            assert_eq!(rejected.written, written, "{text}");
            assert!(
                rejected.message().contains(reason),
                "{text}: {}",
                rejected.message()
            );
        }
        let h = heading("Phase 1: Discovery (Weeks 1-600)");
        assert_eq!(h.ordinal, Some(Span::new(Unit::Phase, 1, 1)));
        assert_eq!(
            (h.label.as_str(), h.title.as_str()),
            ("Phase 1", "Discovery")
        );
        assert_eq!(heading("Week 5-2: Backwards").title, "Backwards");
    }

    #[test]
    fn spans_up_to_the_limits_are_read() {
        assert_eq!(
            heading("Week 1-520").span,
            Some(Span::new(Unit::Week, 1, 520))
        );
        assert_eq!(
            heading("Day 3650").span,
            Some(Span::new(Unit::Day, 3650, 3650))
        );
        assert_eq!(
            heading("Sprint 1000").span,
            Some(Span::new(Unit::Sprint, 1000, 1000))
        );
        assert_eq!(heading("Q4").span.map(|s| s.start), Some(4));
        // Not spans, as before: no space before the minus, no digit.
        assert_eq!(parse_heading("Week-1 notes"), None);
        assert_eq!(parse_heading("Quarterly review"), None);
        // `Q12` in a title is a name, not a quarter.
        assert_eq!(
            heading("Phase 1: Prepare for Q12").span,
            Some(Span::new(Unit::Phase, 1, 1))
        );
        // A table cell naming an unreadable span matches nothing.
        assert_eq!(parse_cell("Week 5-2", Unit::Week), None);
    }

    #[test]
    fn time_words() {
        assert!(names_time("Release Day"));
        assert!(names_time("Day after Release"));
        assert!(names_time("Long term (~1 year+)"));
        assert!(names_time("30-Day Review"));
        assert!(!names_time("Day-to-day operations"));
        assert!(!names_time("Year-end close"));
        assert!(!names_time("Ongoing Steady State (Week 25+)"));
        assert!(!names_time("Weekly sync"));
    }

    #[test]
    fn duration_only() {
        let h = heading("Hardening (2 weeks)");
        assert_eq!(h.span, None);
        assert_eq!(h.title, "Hardening");
        assert_eq!(
            h.duration,
            Some(Duration {
                value: 2.0,
                unit: Unit::Week
            })
        );
    }

    #[test]
    fn cells() {
        assert_eq!(
            parse_cell("Pre", Unit::Week),
            Some(Span::new(Unit::Week, 0, 0))
        );
        assert_eq!(
            parse_cell("1-2", Unit::Week),
            Some(Span::new(Unit::Week, 1, 2))
        );
        assert_eq!(
            parse_cell("Week 1-2 (Staging)", Unit::Week),
            Some(Span::new(Unit::Week, 1, 2))
        );
        assert_eq!(parse_cell("All weeks", Unit::Week), None);
        assert_eq!(count_of("11 weeks ($50,400)", Unit::Week), Some(11));
        assert_eq!(count_of("Added 2-week buffer", Unit::Week), Some(2));
    }
}
