//! Slips: how the dates of a plan's phases and milestones moved from one
//! weekly snapshot to the next. Each week's point keeps the plan's dated
//! phases (name and last day), so the milestone trend is drawn from the
//! weeks' summaries without reading the archived plans again; two versions
//! of a plan are compared for "since last snapshot".
//!
//! A phase is known by its title (its label when it has none): a week
//! label such as `Week 3-4` changes when the phase slips, its title does
//! not. A second phase of the same name gets ` (2)`.

use crate::model::plan::Plan;
use chrono::NaiveDate;
use serde::Serialize;

/// Each dated phase of `plan`, in plan order: its name and its last day
/// (ISO `YYYY-MM-DD`; a milestone with only a due date, that date). The
/// one place that reads phase dates: from the derived dates (stated, or
/// from the plan's start and the phase's span).
pub fn dated_milestones(plan: &Plan) -> Vec<(String, String)> {
    let dates = super::derive(plan, NaiveDate::default()).dates;
    let mut seen: Vec<String> = Vec::new();
    plan.phases
        .iter()
        .zip(dates)
        .filter_map(|(phase, dates)| {
            let (_, end) = dates?;
            let base = if phase.title.trim().is_empty() {
                phase.label.trim()
            } else {
                phase.title.trim()
            };
            let copies = seen.iter().filter(|s| s.as_str() == base).count();
            seen.push(base.to_string());
            let name = match copies {
                0 => base.to_string(),
                n => format!("{base} ({})", n + 1),
            };
            Some((name, end.format("%Y-%m-%d").to_string()))
        })
        .collect()
}

/// A milestone whose date moved between two versions of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneMove {
    pub name: String,
    /// ISO dates, as the week's points hold them.
    pub before: String,
    pub after: String,
    /// Days later (negative: earlier).
    pub days: i64,
}

impl MilestoneMove {
    /// `Launch moved 2025-04-01 -> 2025-04-15 (+2 weeks)`.
    pub fn text(&self) -> String {
        format!(
            "{} moved {} -> {} ({})",
            self.name,
            self.before,
            self.after,
            shift(self.days)
        )
    }
}

/// The milestones of `before` whose date is different in `after` (those in
/// one version only are not moves).
pub fn moved(before: &Plan, after: &Plan) -> Vec<MilestoneMove> {
    let old = parsed(&dated_milestones(before));
    parsed(&dated_milestones(after))
        .into_iter()
        .filter_map(|(name, after)| {
            let (_, before) = old.iter().find(|(n, _)| *n == name)?;
            let days = after.signed_duration_since(*before).num_days();
            (days != 0).then(|| MilestoneMove {
                name,
                before: before.to_string(),
                after: after.to_string(),
                days,
            })
        })
        .collect()
}

fn parsed(milestones: &[(String, String)]) -> Vec<(String, NaiveDate)> {
    milestones
        .iter()
        .filter_map(|(name, iso)| {
            Some((
                name.clone(),
                NaiveDate::parse_from_str(iso, "%Y-%m-%d").ok()?,
            ))
        })
        .collect()
}

/// `+2 weeks`, `-1 week`, `+10 days`: whole weeks when the days make them.
pub fn shift(days: i64) -> String {
    let sign = if days < 0 { "-" } else { "+" };
    let n = days.unsigned_abs();
    if n % 7 == 0 && n > 0 {
        let weeks = n / 7;
        format!("{sign}{weeks} week{}", if weeks == 1 { "" } else { "s" })
    } else {
        format!("{sign}{n} day{}", if n == 1 { "" } else { "s" })
    }
}

/// One milestone across the weeks: its date in each (none where the week
/// does not date it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneSeries {
    pub name: String,
    pub dates: Vec<Option<NaiveDate>>,
}

impl MilestoneSeries {
    /// The first and the last date it had.
    pub fn ends(&self) -> Option<(NaiveDate, NaiveDate)> {
        let mut known = self.dates.iter().flatten();
        let first = *known.next()?;
        Some((first, known.last().copied().unwrap_or(first)))
    }

    /// How many times the date changed from one dated week to the next.
    pub fn moves(&self) -> usize {
        let known: Vec<&NaiveDate> = self.dates.iter().flatten().collect();
        known.windows(2).filter(|w| w[0] != w[1]).count()
    }
}

/// The milestones of a plan over the weeks (each week's dated phases, in
/// order), in order of first appearance.
pub fn series(weeks: &[&[(String, String)]]) -> Vec<MilestoneSeries> {
    let mut out: Vec<MilestoneSeries> = Vec::new();
    for (i, week) in weeks.iter().enumerate() {
        for (name, date) in parsed(week) {
            let index = match out.iter().position(|s| s.name == name) {
                Some(index) => index,
                None => {
                    out.push(MilestoneSeries {
                        name,
                        dates: vec![None; weeks.len()],
                    });
                    out.len() - 1
                }
            };
            out[index].dates[i] = Some(date);
        }
    }
    out
}

/// In words, since the first week: which milestones moved and by how much,
/// then how many kept their dates.
pub fn since_first(labels: &[String], series: &[MilestoneSeries]) -> Vec<String> {
    let first_week = labels.first().map(String::as_str).unwrap_or("");
    let mut lines = Vec::new();
    let mut kept = 0;
    for s in series {
        let Some((first, last)) = s.ends() else {
            continue;
        };
        let since = s
            .dates
            .iter()
            .position(Option::is_some)
            .and_then(|i| labels.get(i))
            .map(String::as_str)
            .unwrap_or(first_week);
        let days = last.signed_duration_since(first).num_days();
        if days == 0 {
            kept += 1;
            continue;
        }
        let moves = s.moves();
        lines.push(format!(
            "{}: {} since {since} ({first} -> {last}), moved {moves} time{}.",
            s.name,
            later_or_earlier(days),
            if moves == 1 { "" } else { "s" }
        ));
    }
    if lines.is_empty() && kept > 0 {
        lines.push(format!("No milestone moved since {first_week}."));
    } else if kept > 0 {
        lines.push(format!(
            "{kept} other milestone{} kept {} date{}.",
            if kept == 1 { "" } else { "s" },
            if kept == 1 { "its" } else { "their" },
            if kept == 1 { "" } else { "s" }
        ));
    }
    lines
}

/// `2 weeks later`, `3 days earlier`.
fn later_or_earlier(days: i64) -> String {
    let amount = shift(days);
    let amount = amount.trim_start_matches(['+', '-']);
    if days > 0 {
        format!("{amount} later")
    } else {
        format!("{amount} earlier")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::from_text as plan;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn dated_phases_are_named_by_title_and_dated_by_their_end() {
        let p = plan("---\nstart: 2025-03-03\n---\n# P\n\n## Week 1-2: Design\n\n- [ ] a\n\n## Week 3: Design\n\n- [ ] b\n\n## Week 4\n\n- [ ] c\n");
        assert_eq!(
            dated_milestones(&p),
            vec![
                ("Design".to_string(), "2025-03-16".to_string()),
                ("Design (2)".to_string(), "2025-03-23".to_string()),
                ("Week 4".to_string(), "2025-03-30".to_string()),
            ]
        );
        assert!(dated_milestones(&plan("# P\n\n## Week 1: A\n\n- [ ] a\n")).is_empty());
    }

    #[test]
    fn a_phase_that_slips_a_week_is_a_move_of_one_week() {
        let before = plan("---\nstart: 2025-03-03\n---\n# P\n\n## Week 1-2: Design\n\n- [ ] a\n\n## Week 3: Launch\n\n- [ ] b\n");
        let after = plan("---\nstart: 2025-03-03\n---\n# P\n\n## Week 1-2: Design\n\n- [ ] a\n\n## Week 4-5: Launch\n\n- [ ] b\n");
        let moves = moved(&before, &after);
        assert_eq!(moves.len(), 1, "{moves:?}");
        assert_eq!(
            moves[0].text(),
            "Launch moved 2025-03-23 -> 2025-04-06 (+2 weeks)"
        );
        assert!(moved(&after, &after).is_empty());
    }

    #[test]
    fn shifts_in_weeks_or_days() {
        assert_eq!(shift(14), "+2 weeks");
        assert_eq!(shift(-7), "-1 week");
        assert_eq!(shift(10), "+10 days");
        assert_eq!(shift(-1), "-1 day");
    }

    #[test]
    fn words_since_the_first_week() {
        let w1 = vec![
            ("Design".to_string(), "2025-03-16".to_string()),
            ("Launch".to_string(), "2025-04-01".to_string()),
        ];
        let w2 = vec![
            ("Design".to_string(), "2025-03-16".to_string()),
            ("Launch".to_string(), "2025-04-08".to_string()),
        ];
        let w3 = vec![
            ("Design".to_string(), "2025-03-16".to_string()),
            ("Launch".to_string(), "2025-04-15".to_string()),
            ("Review".to_string(), "2025-04-20".to_string()),
        ];
        let all = series(&[&w1, &w2, &w3]);
        assert_eq!(all.len(), 3);
        assert_eq!(all[1].dates[2], Some(date("2025-04-15")));
        assert_eq!(all[2].dates[0], None);
        let labels: Vec<String> = ["2025-W10", "2025-W11", "2025-W12"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            since_first(&labels, &all),
            vec![
                "Launch: 2 weeks later since 2025-W10 (2025-04-01 -> 2025-04-15), moved 2 times.",
                "2 other milestones kept their dates.",
            ]
        );
        assert_eq!(
            since_first(&labels, &series(&[&w1, &w1])),
            vec!["No milestone moved since 2025-W10."]
        );
    }
}
