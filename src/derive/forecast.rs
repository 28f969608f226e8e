//! Forecast: when a plan will really finish, from its own weekly history.
//!
//! Each pair of consecutive weekly points gives a week's net throughput:
//! tasks done that week less the tasks added to its scope (per week, when
//! snapshots are further apart). A run draws one of those weeks at random,
//! again and again, taking its net throughput off the work that remains,
//! until nothing remains; the forecast is the week by which 50% and 85% of
//! the runs are done. The draws come from a generator seeded with a fixed
//! number, so a site built twice says the same thing.
//!
//! Nothing is forecast from fewer than `MIN_WEEKS` weeks of throughput
//! (one point says nothing about a pace), nor when the net throughput
//! averages zero or less (the work left does not shrink), nor when half
//! the runs are not done within the horizon.
//!
//! The runs advance together, a week at a time, and stop once 85% of them
//! are done: the cost is the runs times the weeks to the 85% date, never
//! more than `RUNS * HORIZON_WEEKS` steps per plan page, whatever the plan.

use super::Derived;
use crate::model::plan::Plan;
use chrono::{Days, NaiveDate};

/// Weeks of throughput needed (each between two weekly points: three
/// snapshots and the current week).
pub const MIN_WEEKS: usize = 3;
/// Runs of the resampling: the dates are in whole weeks, and with a
/// thousand runs another seed moves them by a week at most (tested).
const RUNS: usize = 1_000;
/// A run not done in five years is not done: no plan is forecast further.
const HORIZON_WEEKS: u32 = 260;
/// Any fixed number: the forecast must not change from one build to the next.
const SEED: u64 = 0x706c_616e_7369_7465;

/// One weekly point of a plan: the Monday of its week, tasks done and all
/// tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekPoint {
    pub monday: NaiveDate,
    pub done: usize,
    pub total: usize,
}

/// The end the plan is compared with: the end it states for itself, else
/// the last day of its last dated phase. The one place that reads it.
pub fn planned_end(plan: &Plan, derived: &Derived) -> Option<NaiveDate> {
    let stated =
        crate::model::plan::readable(plan.schedule.end).filter(|_| !plan.schedule.from_phases);
    stated.or_else(|| derived.dates.iter().flatten().map(|(_, end)| *end).max())
}

/// What the history says about the finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Forecast {
    /// Every task is done: nothing to forecast.
    Finished,
    /// The plan has no tasks to count.
    NoTasks,
    /// Not enough weeks yet; `more` snapshots are needed.
    TooFew { weeks: usize, more: usize },
    /// The net throughput averages zero or less: the work left does not
    /// shrink, so no date.
    NoProgress { weeks: usize },
    /// Half the runs are not done within the horizon: no date.
    TooSlow { weeks: usize },
    /// The dates by which half and 85% of the runs are done (`p85` is
    /// `None` when that is past the horizon).
    Dated {
        p50: NaiveDate,
        p85: Option<NaiveDate>,
        planned: Option<NaiveDate>,
        weeks: usize,
        remaining: usize,
    },
}

/// The forecast from `points` (oldest first, the last one the week of
/// `as_of`), finishing runs counted in whole weeks from `as_of`.
pub fn forecast(points: &[WeekPoint], as_of: NaiveDate, planned: Option<NaiveDate>) -> Forecast {
    let Some(last) = points.last() else {
        return Forecast::TooFew {
            weeks: 0,
            more: MIN_WEEKS + 1,
        };
    };
    if last.total == 0 {
        return Forecast::NoTasks;
    }
    let remaining = last.total.saturating_sub(last.done);
    if remaining == 0 {
        return Forecast::Finished;
    }
    let rates = net_rates(points);
    if rates.len() < MIN_WEEKS {
        return Forecast::TooFew {
            weeks: rates.len(),
            more: MIN_WEEKS - rates.len(),
        };
    }
    let weeks = rates.len();
    if rates.iter().sum::<f64>() <= 0.0 {
        return Forecast::NoProgress { weeks };
    }
    let (p50, p85) = percentiles(&rates, remaining as f64, SEED);
    let date = |w: Option<u32>| as_of.checked_add_days(Days::new(7 * u64::from(w?)));
    match date(p50) {
        Some(p50) => Forecast::Dated {
            p50,
            p85: date(p85),
            planned,
            weeks,
            remaining,
        },
        None => Forecast::TooSlow { weeks },
    }
}

/// Net throughput per week between consecutive points: done gained less
/// scope added, divided by the weeks between them (snapshots may skip a
/// week). Points of the same week are not a week of throughput.
fn net_rates(points: &[WeekPoint]) -> Vec<f64> {
    points
        .windows(2)
        .filter_map(|pair| {
            let (a, b) = (pair[0], pair[1]);
            let days = b.monday.signed_duration_since(a.monday).num_days();
            let weeks = (days as f64 / 7.0).round();
            if weeks < 1.0 {
                return None;
            }
            let done = b.done as f64 - a.done as f64;
            let added = b.total as f64 - a.total as f64;
            Some((done - added) / weeks)
        })
        .collect()
}

/// The weeks by which 50% and 85% of the runs have taken `remaining`
/// off (`None`: not within the horizon). Every run draws one past week a
/// week, in step, from fastrand's generator with an explicit seed: the
/// same sequence on every platform (drawn as u32, so the pointer width
/// does not matter).
fn percentiles(rates: &[f64], remaining: f64, seed: u64) -> (Option<u32>, Option<u32>) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let n = u32::try_from(rates.len()).unwrap_or(u32::MAX);
    let (half, most) = (RUNS.div_ceil(2), (RUNS * 85).div_ceil(100));
    let mut left = vec![remaining; RUNS];
    let mut p50 = None;
    for week in 1..=HORIZON_WEEKS {
        for run in &mut left {
            *run -= rates.get(rng.u32(0..n) as usize).copied().unwrap_or(0.0);
        }
        left.retain(|run| *run > 1e-9);
        let done = RUNS - left.len();
        if p50.is_none() && done >= half {
            p50 = Some(week);
        }
        if done >= most {
            return (p50, Some(week));
        }
    }
    (p50, None)
}

impl Forecast {
    /// One line for the page and the dashboard: `forecast 2025-05-02 (85%:
    /// 2025-05-16); planned 2025-04-25: 1 to 3 weeks late`.
    pub fn text(&self) -> String {
        match self {
            Forecast::Finished => "finished: every task is done".into(),
            Forecast::NoTasks => "no forecast: the plan has no tasks to count".into(),
            Forecast::TooFew { more, .. } => format!(
                "no forecast yet: {more} more weekly snapshot{} needed",
                if *more == 1 { " is" } else { "s are" }
            ),
            Forecast::NoProgress { weeks } => format!(
                "cannot be forecast: in {weeks} weeks, work done has not outpaced the scope added"
            ),
            Forecast::TooSlow { weeks } => format!(
                "cannot be forecast: at the pace of the last {weeks} weeks, the work left would take more than five years"
            ),
            Forecast::Dated {
                p50, p85, planned, ..
            } => {
                let range = match p85 {
                    Some(p85) => format!("forecast {p50} (85%: {p85})"),
                    None => format!("forecast {p50} (85%: not within five years)"),
                };
                match planned {
                    Some(planned) => format!(
                        "{range}; planned {planned}: {}",
                        lateness(*p50, *p85, *planned)
                    ),
                    None => format!("{range}; no planned end to compare with"),
                }
            }
        }
    }

    /// The median date, when there is one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Forecast::Dated { p50, .. } => Some(*p50),
            _ => None,
        }
    }
}

/// How far the forecast range is from the planned end, in whole weeks
/// (rounded): `1 to 3 weeks late`, `on time`, `2 weeks early to 1 week
/// late`.
fn lateness(p50: NaiveDate, p85: Option<NaiveDate>, planned: NaiveDate) -> String {
    let weeks =
        |d: NaiveDate| (d.signed_duration_since(planned).num_days() as f64 / 7.0).round() as i64;
    let weeks_word = |n: i64| if n.abs() == 1 { "week" } else { "weeks" };
    let (a, b) = match p85 {
        Some(p85) => (weeks(p50), weeks(p85)),
        None => return format!("{} and more", lateness(p50, Some(p50), planned)),
    };
    let one = |n: i64| match n {
        0 => "on time".to_string(),
        n if n > 0 => format!("{n} {} late", weeks_word(n)),
        n => format!("{} {} early", -n, weeks_word(n)),
    };
    match (a, b) {
        _ if a == b => one(a),
        (0, b) if b > 0 => format!("on time to {}", one(b)),
        (a, 0) if a < 0 => format!("{} to on time", one(a)),
        (a, b) if a > 0 => format!("{a} to {b} weeks late"),
        (a, b) if b < 0 => format!("{} to {} weeks early", -b, -a),
        (a, b) => format!("{} to {}", one(a), one(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    /// Weekly points from 2025-W10 on, one `(done, total)` a week.
    fn weeks(points: &[(usize, usize)]) -> Vec<WeekPoint> {
        points
            .iter()
            .enumerate()
            .map(|(i, (done, total))| WeekPoint {
                monday: date("2025-03-03") + chrono::TimeDelta::days(7 * i as i64),
                done: *done,
                total: *total,
            })
            .collect()
    }

    #[test]
    fn constant_throughput_gives_a_single_date() {
        // Two tasks a week, no scope added: 6 left is 3 weeks from the
        // as-of date, in every run.
        let points = weeks(&[(0, 14), (2, 14), (4, 14), (6, 14), (8, 14)]);
        let as_of = date("2025-04-02");
        let forecast = forecast(&points, as_of, Some(date("2025-04-16")));
        assert_eq!(
            forecast,
            Forecast::Dated {
                p50: date("2025-04-23"),
                p85: Some(date("2025-04-23")),
                planned: Some(date("2025-04-16")),
                weeks: 4,
                remaining: 6,
            }
        );
        assert_eq!(
            forecast.text(),
            "forecast 2025-04-23 (85%: 2025-04-23); planned 2025-04-16: 1 week late"
        );
    }

    #[test]
    fn scope_added_slows_the_net_pace() {
        // Three done and one added a week is two a week net: 14 left is 7
        // weeks.
        let points = weeks(&[(0, 20), (3, 21), (6, 22), (9, 23)]);
        let as_of = date("2025-03-24");
        assert_eq!(
            forecast(&points, as_of, None).date(),
            Some(date("2025-05-12"))
        );
    }

    #[test]
    fn an_uneven_pace_gives_a_range() {
        let points = weeks(&[(0, 30), (1, 30), (6, 30), (6, 31), (10, 31)]);
        let as_of = date("2025-03-31");
        let Forecast::Dated { p50, p85, .. } = forecast(&points, as_of, None) else {
            panic!("a forecast");
        };
        let p85 = p85.expect("within the horizon");
        assert!(p50 < p85, "{p50} {p85}");
        // 21 left at 2.5 a week on average: about 8 to 9 weeks.
        assert!(
            (date("2025-05-19")..=date("2025-06-09")).contains(&p50),
            "{p50}"
        );
        // The same input gives the same answer: the seed is fixed.
        assert_eq!(
            forecast(&points, as_of, None),
            forecast(&points, as_of, None)
        );
    }

    #[test]
    fn a_thousand_runs_are_enough_for_whole_weeks() {
        // The dates hardly depend on the seed: never more than a week
        // from ours (a percentile near a week's boundary may fall either
        // side of it).
        for (rates, remaining) in [
            (vec![1.0, 3.0, 0.0, 2.0, 3.0, 1.0], 8.0),
            (vec![1.0, 5.0, -1.0, 4.0], 21.0),
            (vec![4.0, 0.0, 0.0, 6.0, 2.0, -2.0, 3.0, 5.0], 60.0),
        ] {
            let all: Vec<(Option<u32>, Option<u32>)> = (0..40)
                .map(|seed| percentiles(&rates, remaining, seed))
                .collect();
            let ours = percentiles(&rates, remaining, SEED);
            for (p50, p85) in &all {
                let (a, b) = (p50.expect("p50"), p85.expect("p85"));
                assert!(a.abs_diff(ours.0.expect("p50")) <= 1, "{all:?}");
                assert!(b.abs_diff(ours.1.expect("p85")) <= 1, "{all:?}");
            }
        }
    }

    #[test]
    fn too_few_snapshots_say_how_many_more() {
        let as_of = date("2025-03-17");
        assert_eq!(
            forecast(&weeks(&[(0, 10)]), as_of, None),
            Forecast::TooFew { weeks: 0, more: 3 }
        );
        let two = forecast(&weeks(&[(0, 10), (2, 10), (4, 10)]), as_of, None);
        assert_eq!(two, Forecast::TooFew { weeks: 2, more: 1 });
        assert_eq!(
            two.text(),
            "no forecast yet: 1 more weekly snapshot is needed"
        );
        assert_eq!(forecast(&[], as_of, None).date(), None);
    }

    #[test]
    fn no_progress_cannot_be_forecast() {
        // Two done and two added every week: the work left never shrinks.
        let points = weeks(&[(0, 10), (2, 12), (4, 14), (6, 16)]);
        let forecast = forecast(&points, date("2025-03-24"), None);
        assert_eq!(forecast, Forecast::NoProgress { weeks: 3 });
        assert!(forecast.text().starts_with("cannot be forecast"));
        assert_eq!(forecast.date(), None);
    }

    #[test]
    fn scope_growing_faster_than_work_done_is_no_date() {
        // One good week among losing ones: most runs never finish.
        let points = weeks(&[(0, 10), (5, 10), (6, 20), (7, 30), (8, 40)]);
        assert_eq!(
            forecast(&points, date("2025-03-31"), None),
            Forecast::NoProgress { weeks: 4 }
        );
    }

    #[test]
    fn a_pace_that_would_take_decades_is_no_date() {
        // A task a week net, a million left: past the five-year horizon.
        let points = weeks(&[
            (0, 1_000_000),
            (1, 1_000_000),
            (2, 1_000_000),
            (3, 1_000_000),
        ]);
        let forecast = forecast(&points, date("2025-03-24"), None);
        assert_eq!(forecast, Forecast::TooSlow { weeks: 3 });
        assert!(forecast.text().contains("more than five years"));
    }

    #[test]
    fn finished_and_empty_plans() {
        let as_of = date("2025-03-24");
        assert_eq!(
            forecast(&weeks(&[(2, 10), (10, 10)]), as_of, None),
            Forecast::Finished
        );
        assert_eq!(
            forecast(&weeks(&[(0, 0), (0, 0)]), as_of, None),
            Forecast::NoTasks
        );
    }

    #[test]
    fn a_skipped_week_divides_the_throughput() {
        // Four done over two weeks is two a week, like the weeks around it.
        let mut points = weeks(&[(0, 12), (2, 12), (4, 12), (8, 12)]);
        points[3].monday = date("2025-03-24");
        let forecast = forecast(&points, date("2025-03-24"), None);
        assert_eq!(forecast.date(), Some(date("2025-04-07")));
    }

    #[test]
    fn lateness_in_words() {
        let planned = date("2025-04-25");
        assert_eq!(
            lateness(date("2025-05-02"), Some(date("2025-05-16")), planned),
            "1 to 3 weeks late"
        );
        assert_eq!(lateness(planned, Some(planned), planned), "on time");
        assert_eq!(
            lateness(planned, Some(date("2025-05-09")), planned),
            "on time to 2 weeks late"
        );
        assert_eq!(
            lateness(date("2025-04-11"), Some(date("2025-04-18")), planned),
            "1 to 2 weeks early"
        );
        assert_eq!(
            lateness(date("2025-04-18"), Some(date("2025-05-02")), planned),
            "1 week early to 1 week late"
        );
        assert_eq!(
            lateness(date("2025-05-02"), None, planned),
            "1 week late and more"
        );
    }
}
