//! A plan's outlook from the weekly history: the forecast finish
//! (`derive::forecast`) and the milestone trend (`derive::slips`, drawn by
//! `charts::slips`), both from the weeks' points, so no archived plan is
//! read for them.

use super::history::Week;
use super::plan_page::chart_view;
use super::views::{ChartView, ForecastView};
use crate::archive::WeekKey;
use crate::derive::forecast::{forecast, planned_end, Forecast, WeekPoint};
use crate::derive::slips::{series, since_first};
use crate::derive::week::PlanPoint;
use crate::derive::Derived;
use crate::model::plan::Plan;
use chrono::NaiveDate;

/// The weeks that hold the plan, with its point in each (oldest first).
fn plan_weeks<'a>(weeks: &[&'a Week<'a>], slug: &str) -> Vec<(&'a str, &'a PlanPoint)> {
    weeks
        .iter()
        .filter_map(|w| Some((w.label.as_str(), *w.by_slug.get(slug)?)))
        .collect()
}

/// The forecast finish of `plan` as of `as_of`, from its points in `weeks`
/// (the last of them this week's).
pub(super) fn forecast_view(
    weeks: &[&Week<'_>],
    plan: &Plan,
    derived: &Derived,
    as_of: NaiveDate,
) -> ForecastView {
    let history = plan_weeks(weeks, &plan.slug);
    let points: Vec<WeekPoint> = history
        .iter()
        .filter_map(|(label, p)| {
            Some(WeekPoint {
                monday: WeekKey::parse(label)?.monday(),
                done: p.done,
                total: p.total,
            })
        })
        .collect();
    let result = forecast(&points, as_of, planned_end(plan, derived));
    let iso = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut view = ForecastView {
        kind: kind(&result).into(),
        text: capitalised(&result.text()),
        line: result.text(),
        ..ForecastView::default()
    };
    if let Forecast::Dated {
        p50,
        p85,
        planned,
        weeks,
        remaining,
    } = &result
    {
        view.p50 = iso(Some(*p50));
        view.p85 = iso(*p85);
        view.planned = iso(*planned);
        view.basis = format!(
            "Resampled from {weeks} weeks of net throughput ({} to {}); {remaining} task{} left.",
            history.first().map_or("", |h| h.0),
            history.last().map_or("", |h| h.0),
            if *remaining == 1 { "" } else { "s" }
        );
    }
    view
}

/// The forecast's kind, a class for themes.
fn kind(forecast: &Forecast) -> &'static str {
    match forecast {
        Forecast::Dated { .. } => "dated",
        Forecast::TooFew { .. } => "too_few",
        Forecast::NoProgress { .. } | Forecast::TooSlow { .. } => "no_progress",
        Forecast::Finished => "finished",
        Forecast::NoTasks => "no_tasks",
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The milestone trend of the plan `slug` over `weeks`, with the words
/// under it; `None` with fewer than two weeks or no dated milestone.
pub(super) fn milestone_trend(weeks: &[&Week<'_>], slug: &str) -> Option<ChartView> {
    let history = plan_weeks(weeks, slug);
    let labels: Vec<String> = history.iter().map(|(l, _)| l.to_string()).collect();
    let milestones: Vec<&[(String, String)]> = history
        .iter()
        .map(|(_, p)| p.milestones.as_slice())
        .collect();
    let all = series(&milestones);
    let chart = crate::charts::slips::milestone_trend(&labels, &all, "milestones")?;
    let mut view = chart_view(chart);
    view.notes = since_first(&labels, &all);
    Some(view)
}
