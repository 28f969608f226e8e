//! A plan's Mermaid gantt charts as its schedule, read like a schedule
//! table: a plan without phases takes its phases from the bars of its
//! first chart; a plan with phases takes from the bar (or section) that
//! names a phase the dates the phase does not state, or states more
//! coarsely.
//!
//! A bar names a phase when their names hold the same words, leaving out
//! `release` and `version` and reading `v 1.0` as `v1.0` (`Alpha version`
//! is the `Alpha Release` bar, `v1.0 release` is `Release - v 1.0`); else,
//! when no bar does, when one's words are all among the other's (`v1.x
//! maintenance phase` is `Maintenance - v 1.x`). The phase's label and
//! its title are both tried. Bars that name the same phase with different
//! dates leave it alone, with a warning.
//!
//! The bar's dates are used when the phase states none; when the phase
//! states whole months (`Alpha: Nov 2020`, a target month) and the bar
//! ends within them, or on the day after (a bar stops on its end day),
//! the bar is the finer statement of the same dates and is used; when it
//! ends outside them, the two disagree and the phase's dates are left
//! out, with a warning. A phase's own day-precise dates are kept, with a
//! warning when the bar differs. A chart none of whose bars names a phase
//! is about something else (sprints under releases): it is left alone,
//! with a note.

use super::ends::{Ends, Slot};
use crate::diagnostic::Diagnostic;
use crate::model::plan::*;
use crate::parse::calendar;
use crate::parse::gantt::{Bar, Chart};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::HashMap;

/// Comparing every phase with every bar word by word is done only while
/// both are few; beyond, only bars with exactly the phase's words match.
const MAX_PAIRS: usize = 65_536;

/// A bar or a section, as it may name a phase.
pub(super) struct Candidate {
    name: String,
    line: usize,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    chart: usize,
    key: Vec<String>,
}

/// Every bar and section of the charts that may name a phase, with an
/// index by exact words.
pub(super) struct Candidates {
    all: Vec<Candidate>,
    by_key: HashMap<Vec<String>, Vec<usize>>,
    /// Per chart: whether some bar of it named a phase.
    pub(super) used: Vec<bool>,
}

impl Candidates {
    pub(super) fn new(charts: &[Chart]) -> Self {
        let mut all = Vec::new();
        for (c, chart) in charts.iter().enumerate() {
            for bar in &chart.bars {
                all.push(Candidate {
                    name: bar.name.clone(),
                    line: bar.line,
                    start: bar.start,
                    end: bar.end,
                    chart: c,
                    key: key(&bar.name),
                });
            }
            // A section spans its bars when all of them are dated.
            for section in &chart.sections {
                let Some(bars) = chart.bars.get(section.bars.clone()) else {
                    continue;
                };
                if bars.is_empty() || bars.iter().any(|b| b.start.is_none() || b.end.is_none()) {
                    continue;
                }
                all.push(Candidate {
                    name: section.name.clone(),
                    line: section.line,
                    start: bars.iter().filter_map(|b| b.start).min(),
                    end: bars.iter().filter_map(|b| b.end).max(),
                    chart: c,
                    key: key(&section.name),
                });
            }
        }
        let mut by_key: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        for (i, c) in all.iter().enumerate() {
            if !c.key.is_empty() {
                by_key.entry(c.key.clone()).or_default().push(i);
            }
        }
        Candidates {
            all,
            by_key,
            used: vec![false; charts.len()],
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// The bar naming `phase`: exact words first, then words within words
    /// (only while the plan is small enough); `Err` with the names when
    /// bars naming it disagree.
    fn find(&self, phase: &Phase, phases: usize) -> Result<Option<&Candidate>, String> {
        let mut keys = vec![key(&phase.label)];
        if phase.title.chars().count() >= 3 && phase.title != phase.label {
            keys.push(key(&phase.title));
        }
        keys.retain(|k| !k.is_empty());
        let mut found: Vec<usize> = keys
            .iter()
            .filter_map(|k| self.by_key.get(k))
            .flatten()
            .copied()
            .collect();
        if found.is_empty() && phases.saturating_mul(self.all.len()) <= MAX_PAIRS {
            found = (0..self.all.len())
                .filter(|&i| {
                    let c = &self.all[i].key;
                    !c.is_empty()
                        && keys.iter().any(|k| {
                            let (small, big) = if k.len() <= c.len() { (k, c) } else { (c, k) };
                            small
                                .iter()
                                .any(|w| !w.chars().all(|ch| ch.is_ascii_digit()))
                                && small.iter().all(|w| big.binary_search(w).is_ok())
                        })
                })
                .collect();
        }
        let Some(&first) = found.first() else {
            return Ok(None);
        };
        let one = &self.all[first];
        if found
            .iter()
            .all(|&i| (self.all[i].start, self.all[i].end) == (one.start, one.end))
        {
            Ok(Some(one))
        } else {
            let names: Vec<String> = found
                .iter()
                .take(4)
                .map(|&i| format!("`{}` (line {})", self.all[i].name, self.all[i].line))
                .collect();
            Err(names.join(", "))
        }
    }
}

/// The words of a name that tell it apart, sorted: lower case, `v 1.0` and
/// `v1.0` as `1.0`, without `release` and `version`.
fn key(name: &str) -> Vec<String> {
    let lower = name.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    // A `v` waiting for the number after it.
    let mut pending_v = false;
    for word in lower
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
    {
        let number = word.starts_with(|c: char| c.is_ascii_digit());
        if std::mem::take(&mut pending_v) && !number {
            words.push("v".to_string());
        }
        if word == "v" {
            pending_v = true;
            continue;
        }
        if matches!(word, "release" | "version") {
            continue;
        }
        // `v1.0` is version `1.0`.
        let word = match word.strip_prefix('v') {
            Some(n) if n.starts_with(|c: char| c.is_ascii_digit()) => n,
            _ => word,
        };
        words.push(word.to_string());
    }
    if pending_v {
        words.push("v".to_string());
    }
    words.sort();
    words.dedup();
    words
}

/// The phases a plan without any takes from its first chart with bars.
pub(super) fn phases_from(charts: &[Chart], candidates: &mut Candidates) -> Vec<Phase> {
    let Some((c, chart)) = charts.iter().enumerate().find(|(_, c)| !c.bars.is_empty()) else {
        return Vec::new();
    };
    candidates.used[c] = true;
    chart.bars.iter().map(phase_of).collect()
}

fn phase_of(bar: &Bar) -> Phase {
    let status = if bar.done {
        PhaseStatus::Complete
    } else if bar.active {
        PhaseStatus::InProgress
    } else {
        PhaseStatus::NotStarted
    };
    Phase {
        dates: Dates {
            start: bar.start,
            end: bar.end,
            start_line: bar.start.map(|_| bar.line),
            end_line: bar.end.map(|_| bar.line),
            derived: false,
        },
        status,
        // A `done` or `active` tag states the status; a bar without one
        // says nothing either way, so it is never called late.
        status_stated: bar.done || bar.active,
        ..Phase::named(bar.name.clone(), bar.line)
    }
}

/// Whether a period is whole months: from a first day to a last day.
fn whole_months(start: NaiveDate, end: NaiveDate) -> bool {
    start < end && start.day() == 1 && end.succ_opt().is_some_and(|d| d.day() == 1)
}

/// Fills `ends` (the phase's own dates so far) from the bar naming the
/// phase, as the module says.
pub(super) fn fill(
    file: &str,
    phase: &Phase,
    phases: usize,
    candidates: &mut Candidates,
    ends: &mut Ends,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let bar = match candidates.find(phase, phases) {
        Ok(Some(bar)) => bar,
        Ok(None) => return,
        Err(names) => {
            diagnostics.push(Diagnostic::warning(
                file,
                phase.line,
                1,
                format!(
                    "gantt bars {names} all name {} with different dates: the chart's dates are not used for it",
                    phase.label
                ),
            ));
            return;
        }
    };
    let (line, chart) = (bar.line, bar.chart);
    let (bs, be) = (bar.start, bar.end);
    let own = (ends.start.day, ends.end.day);
    let own_line = ends.start.line.or(ends.end.line).unwrap_or(phase.line);
    let name = bar.name.clone();
    candidates.used[chart] = true;
    let set = |slot: &mut Slot, day: Option<NaiveDate>| *slot = Slot::bar(day, line);
    match own {
        _ if own == (bs, be) => {}
        (None, None) => {
            set(&mut ends.start, bs);
            set(&mut ends.end, be);
        }
        (Some(s), Some(e)) if whole_months(s, e) && be.is_some() => {
            let last = e.checked_add_days(Days::new(1)).unwrap_or(e);
            if be.is_some_and(|b| (s..=last).contains(&b)) {
                set(&mut ends.start, bs);
                set(&mut ends.end, be);
            } else {
                diagnostics.push(Diagnostic::warning(
                    file,
                    line,
                    1,
                    format!(
                        "the gantt bar `{name}` dates {} {}, but line {own_line} dates it {}: they disagree, and the phase's dates are left out",
                        phase.label,
                        shown(bs, be),
                        shown(Some(s), Some(e)),
                    ),
                ));
                *ends = Ends::default();
            }
        }
        // One end stated and the bar agreeing there: the bar gives the other.
        (None, Some(e)) if be == Some(e) => set(&mut ends.start, bs),
        (Some(s), None) if bs == Some(s) => set(&mut ends.end, be),
        _ => diagnostics.push(Diagnostic::warning(
            file,
            line,
            1,
            format!(
                "the gantt bar `{name}` dates {} {}, but line {own_line} dates it {}: the phase keeps its own",
                phase.label,
                shown(bs, be),
                shown(own.0, own.1),
            ),
        )),
    }
}

/// A bar's period in a warning: `2025-03-03 to ?`.
fn shown(start: Option<NaiveDate>, end: Option<NaiveDate>) -> String {
    let day = |d: Option<NaiveDate>| d.map_or("?".to_string(), calendar::iso);
    format!("{} to {}", day(start), day(end))
}

impl Slot {
    /// A bar's day, read from its `line` (no line without a day).
    fn bar(day: Option<NaiveDate>, line: usize) -> Slot {
        Slot {
            day,
            line: day.map(|_| line),
        }
    }
}

/// A note for each chart whose bars named no phase.
pub(super) fn unused(
    file: &str,
    charts: &[Chart],
    candidates: &Candidates,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (chart, used) in charts.iter().zip(&candidates.used) {
        if !used && !chart.bars.is_empty() {
            diagnostics.push(Diagnostic::warning(
                file,
                chart.line,
                1,
                "this gantt chart's bars name no phase of the plan (by label or title): its dates are not used",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn keys_leave_out_release_words() {
        assert_eq!(key("Release - v 1.0"), ["1.0"]);
        assert_eq!(key("v1.0 release"), ["1.0"]);
        assert_eq!(key("Release 1.0"), ["1.0"]);
        assert_eq!(key("Alpha version"), ["alpha"]);
        assert_eq!(key("Maintenance - v 1.x"), ["1.x", "maintenance"]);
        assert_eq!(key("v"), ["v"]);
        assert_eq!(key("..."), Vec::<String>::new());
    }
}
