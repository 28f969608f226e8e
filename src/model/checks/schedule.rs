//! Schedule checks: week spans that overlap or leave gaps, stated lengths,
//! metrics against the phases they name, and criteria marked met ahead of
//! the work.

use super::Checker;
use crate::model::plan::{Phase, PhaseStatus, Plan};
use crate::model::tables::match_phase;
use crate::parse::span::{parse_cell, Span, Unit};
use crate::parse::status::Status;

impl Checker<'_> {
    pub(super) fn metrics_against_phases(&mut self, plan: &Plan) {
        for metric in &plan.metrics {
            let Some(status) = metric.status else {
                continue;
            };
            let Some(when) = metric
                .get("week")
                .or_else(|| metric.get("phase"))
                .or_else(|| metric.get("sprint"))
            else {
                continue;
            };
            let index = parse_cell(when, Unit::Week)
                .and_then(|span| {
                    plan.phases.iter().position(|p| {
                        p.span.is_some_and(|s| {
                            s.unit == span.unit && s.start == span.start && s.end == span.end
                        })
                    })
                })
                .or_else(|| match_phase(when, &plan.phases));
            let Some(phase) = index.and_then(|i| plan.phases.get(i)) else {
                continue;
            };
            let name = metric.get("metric").unwrap_or("metric");
            let open = phase.progress.total - phase.progress.done;
            if status == Status::Done && open > 0 {
                let status_text = metric.get("status").unwrap_or("");
                self.warn(
                    metric.line,
                    status_text,
                    format!(
                        "metric `{name}` is marked done but {} still has {open} open task(s)",
                        phase.label
                    ),
                );
            } else if matches!(status, Status::Pending | Status::InProgress)
                && phase.status == PhaseStatus::Complete
            {
                let status_text = metric.get("status").unwrap_or("");
                self.warn(
                    metric.line,
                    status_text,
                    format!(
                        "metric `{name}` is not marked done but every task of {} is done",
                        phase.label
                    ),
                );
            }
        }
    }

    pub(super) fn week_spans(&mut self, plan: &Plan) {
        let weeks: Vec<(&Phase, Span)> = plan
            .phases
            .iter()
            .filter_map(|p| p.span.filter(|s| s.unit == Unit::Week).map(|s| (p, s)))
            .collect();
        for pair in weeks.windows(2) {
            let ((before, before_span), (after, after_span)) = (pair[0], pair[1]);
            if after_span.start <= before_span.end
                && !(before_span.end == 0 && after_span.start == 0)
            {
                self.warn(
                    after.line,
                    &after.label,
                    format!(
                        "{} overlaps {} (line {})",
                        after.label, before.label, before.line
                    ),
                );
            } else if after_span.start > before_span.end.saturating_add(1) {
                let (from, to) = (before_span.end + 1, after_span.start - 1);
                let gap = if from == to {
                    format!("week {from} is")
                } else {
                    format!("weeks {from}-{to} are")
                };
                self.warn(
                    after.line,
                    &after.label,
                    format!(
                        "{gap} in no phase: {} ends in week {}, {} starts in week {}",
                        before.label, before_span.end, after.label, after_span.start
                    ),
                );
            }
        }
        let Some(last_week) = weeks.iter().map(|(_, s)| s.end).max() else {
            return;
        };
        for fact in &plan.facts {
            let key = fact.key.to_lowercase();
            let about_length = ["timeline", "duration", "length", "schedule"]
                .iter()
                .any(|w| key.contains(w));
            let other = ["original", "buffer", "previous", "old"]
                .iter()
                .any(|w| key.contains(w));
            if let (true, false, Some(stated)) = (about_length, other, fact.weeks) {
                if stated != last_week {
                    let needle = format!("{stated}");
                    self.warn(
                        fact.line,
                        &needle,
                        format!(
                            "{} states {stated} weeks but the phases run to week {last_week}",
                            fact.key
                        ),
                    );
                }
            }
        }
    }

    /// Criteria marked met in a phase where no task is done yet.
    pub(super) fn criteria_ahead_of_tasks(&mut self, plan: &Plan) {
        for phase in &plan.phases {
            if phase.progress.total == 0 || phase.progress.done > 0 {
                continue;
            }
            let met = criteria_met(phase);
            if let Some((count, line)) = met {
                self.warn(line, "", format!("{count} criteria of {} are marked met, but none of its {} tasks is done (if the mark is only a bullet, use a plain list)", phase.label, phase.progress.total));
            }
        }
    }
}

/// How many criteria of a phase are marked met, and the first list's line.
fn criteria_met(phase: &Phase) -> Option<(usize, usize)> {
    use crate::parse::status::CriterionStatus;
    let count = phase
        .criteria
        .iter()
        .flat_map(|c| &c.items)
        .filter(|i| i.status == CriterionStatus::Met)
        .count();
    let line = phase
        .criteria
        .iter()
        .find(|c| c.items.iter().any(|i| i.status == CriterionStatus::Met))?
        .line;
    (count > 0).then_some((count, line))
}
