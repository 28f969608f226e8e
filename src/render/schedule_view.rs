//! The schedule on the pages: the status with its reason, the value
//! figures, overdue tasks, and the milestones as an iCalendar file.

use super::views::{FigureView, OverdueView, RagView, ScheduleView};
use crate::derive::schedule::Schedule;
use crate::derive::Derived;
use crate::escape::ical_text;
use crate::model::plan::Plan;
use chrono::NaiveDate;

pub fn rag_view(schedule: &Schedule) -> RagView {
    RagView {
        level: schedule.rag,
        label: schedule.rag.label().into(),
        reason: schedule.reason.clone(),
        brief: brief_reason(&schedule.reason),
    }
}

/// A reason with every long list cut to its first two items: in each
/// `; `-separated part, a list of more than three `, `-separated items
/// becomes `a, b and 9 more`. The dashboard's table shows this (a row
/// stays about a line); the plan's page gives the reason whole.
pub fn brief_reason(reason: &str) -> String {
    reason
        .split("; ")
        .map(|part| {
            let items: Vec<&str> = part.split(", ").collect();
            if items.len() > 3 {
                format!("{} and {} more", items[..2].join(", "), items.len() - 2)
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn schedule_view(plan: &Plan, schedule: &Schedule, file: &str) -> ScheduleView {
    let money = |m: Option<crate::parse::money::Money>| m.map(|m| m.display());
    let index = |v: Option<f64>| v.map(|v| format!("{v:.2}"));
    let rows = [
        (
            "Planned value",
            money(schedule.planned_value),
            "budget of the work scheduled by now",
        ),
        (
            "Earned value",
            money(schedule.earned_value),
            "budget × share of tasks done",
        ),
        (
            "SPI",
            index(schedule.spi),
            "earned ÷ planned; below 1 is behind",
        ),
        (
            "Actual cost",
            money(schedule.actual_cost),
            "from the budget summary",
        ),
        (
            "CPI",
            index(schedule.cpi),
            "earned ÷ actual; below 1 is over budget",
        ),
        (
            "Estimate at completion",
            money(schedule.estimate_at_completion),
            "budget ÷ CPI",
        ),
    ];
    ScheduleView {
        dated: schedule.dated,
        figures: rows
            .into_iter()
            .filter_map(|(label, value, detail)| {
                value.map(|value| FigureView {
                    label: label.into(),
                    value,
                    detail: detail.into(),
                })
            })
            .collect(),
        overdue: schedule
            .overdue
            .iter()
            .map(|o| OverdueView {
                phase: o.phase.clone(),
                text: o.text.clone(),
                location: format!("{file}:{}", o.line),
            })
            .collect(),
        ics_href: if schedule.dated && !plan.phases.is_empty() {
            "milestones.ics".into()
        } else {
            String::new()
        },
    }
}

/// The phase ends of a dated plan as an iCalendar file (RFC 5545): one
/// all-day event per milestone. Stamped with the as-of date, so the same
/// input gives the same bytes.
pub fn milestones_ics(plan: &Plan, derived: &Derived) -> Option<String> {
    let events: Vec<String> = plan
        .phases
        .iter()
        .zip(&derived.dates)
        .enumerate()
        .filter_map(|(i, (phase, dates))| {
            let (_, end) = (*dates)?;
            let next = end.succ_opt()?;
            let title = if phase.title.is_empty() || phase.title == phase.label {
                phase.label.clone()
            } else {
                format!("{}: {}", phase.label, phase.title)
            };
            Some(
                [
                    "BEGIN:VEVENT".to_string(),
                    format!("UID:{}-phase-{}@plansite", plan.slug, i + 1),
                    format!("DTSTAMP:{}T000000Z", compact(derived.as_of)),
                    format!("DTSTART;VALUE=DATE:{}", compact(end)),
                    format!("DTEND;VALUE=DATE:{}", compact(next)),
                    format!(
                        "SUMMARY:{}",
                        ical_text(&format!("{}: end of {title}", plan.title))
                    ),
                    format!(
                        "DESCRIPTION:{}",
                        ical_text(&format!(
                            "{} of {} tasks done as of {}",
                            phase.progress.done, phase.progress.total, derived.as_of
                        ))
                    ),
                    "END:VEVENT".to_string(),
                ]
                .join("\n"),
            )
        })
        .collect();
    if events.is_empty() {
        return None;
    }
    let body = format!(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//plansite//{}//EN\nCALSCALE:GREGORIAN\nX-WR-CALNAME:{}\n{}\nEND:VCALENDAR\n",
        env!("CARGO_PKG_VERSION"),
        ical_text(&plan.title),
        events.join("\n")
    );
    Some(body.lines().map(fold).collect::<Vec<_>>().join("\r\n") + "\r\n")
}

fn compact(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// Folds a content line at 75 octets, on character boundaries.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::from_text as plan;

    #[test]
    fn milestones_are_all_day_events_at_phase_ends() {
        let plan = plan("---\nstart: 2025-03-03\n---\n# Launch, Phase; One\n\n## Week 1-2: Build\n\n- [x] a\n\n## Week 3: Ship\n\n- [ ] b\n");
        let as_of = NaiveDate::from_ymd_opt(2025, 3, 10).expect("date");
        let ics = milestones_ics(&plan, &crate::derive::derive(&plan, as_of)).expect("dated");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(
            ics.contains("DTSTART;VALUE=DATE:20250316\r\nDTEND;VALUE=DATE:20250317\r\n"),
            "{ics}"
        );
        assert!(
            ics.contains("SUMMARY:Launch\\, Phase\\; One: end of Week 3: Ship"),
            "{ics}"
        );
        assert!(ics.lines().all(|l| l.len() <= 75), "{ics}");
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
        let undated = crate::model::from_text("# P\n\n## Week 1: A\n");
        assert!(milestones_ics(&undated, &crate::derive::derive(&undated, as_of)).is_none());
    }

    #[test]
    fn long_lists_keep_two_items_and_say_how_many_more() {
        assert_eq!(
            brief_reason("9 tasks overdue in Week 1, Week 2-3, Week 4, Week 5; SPI 0.04"),
            "9 tasks overdue in Week 1, Week 2-3 and 2 more; SPI 0.04"
        );
        for whole in [
            "no task overdue",
            "SPI 0.18; 3 tasks overdue in Week 1-2",
            "2 milestones overdue: A, B, C",
        ] {
            assert_eq!(brief_reason(whole), whole);
        }
    }
}
