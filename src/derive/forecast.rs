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
//! (one point says nothing about a pace), nor when no week ever took more
//! off the remaining work than was added to it.

use super::Derived;
use crate::model::plan::Plan;
use chrono::{Days, NaiveDate};

/// Weeks of throughput needed (each between two weekly points: three
/// snapshots and the current week).
pub const MIN_WEEKS: usize = 3;
/// Runs of the resampling: enough that the 85th percentile moves by less
/// than a week between seeds on the histories we tried.
const RUNS: usize = 2_000;
/// A run that has not finished in ten years is not finished.
const HORIZON_WEEKS: u32 = 520;
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
    let stated = plan
        .schedule
        .end
        .as_deref()
        .filter(|_| !plan.schedule.from_phases)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
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
    /// No week took more off the remaining work than scope added, or the
    /// runs do not finish within the horizon: no date.
    NoProgress { weeks: usize },
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
    if rates.iter().all(|r| *r <= 0.0) {
        return Forecast::NoProgress { weeks };
    }
    let runs = resample(&rates, remaining as f64);
    // The run at the share's rank; none past the horizon (or the calendar).
    let at = |share: f64| {
        let index = ((share * RUNS as f64).ceil() as usize).saturating_sub(1);
        runs.get(index)
            .filter(|w| **w <= HORIZON_WEEKS)
            .and_then(|w| as_of.checked_add_days(Days::new(7 * u64::from(*w))))
    };
    match at(0.5) {
        Some(p50) => Forecast::Dated {
            p50,
            p85: at(0.85),
            planned,
            weeks,
            remaining,
        },
        None => Forecast::NoProgress { weeks },
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

/// The weeks each run takes to finish `remaining`, sorted; a run past the
/// horizon counts as `HORIZON_WEEKS + 1` (not finished).
fn resample(rates: &[f64], remaining: f64) -> Vec<u32> {
    // fastrand's generator with an explicit seed: the same sequence on
    // every platform (drawn as u32, so the pointer width does not matter).
    let mut rng = fastrand::Rng::with_seed(SEED);
    let n = u32::try_from(rates.len()).unwrap_or(u32::MAX);
    let mut runs: Vec<u32> = (0..RUNS)
        .map(|_| {
            let (mut left, mut weeks) = (remaining, 0);
            while left > 1e-9 && weeks <= HORIZON_WEEKS {
                left -= rates.get(rng.u32(0..n) as usize).copied().unwrap_or(0.0);
                weeks += 1;
            }
            weeks
        })
        .collect();
    runs.sort_unstable();
    runs
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
            Forecast::Dated {
                p50, p85, planned, ..
            } => {
                let range = match p85 {
                    Some(p85) => format!("forecast {p50} (85%: {p85})"),
                    None => format!("forecast {p50} (85%: not within ten years)"),
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
