//! What a week of the archive adds up to: the portfolio's figures, each
//! plan's point on the trend charts, and the lines that say what changed
//! since the week before. Small and serialisable, so that a build can keep
//! it for weeks whose pages it reuses instead of reading their plans again.

use super::diff::diff_portfolio;
use crate::model::plan::Plan;
use crate::parse::money::{totals_by_currency, Currency, Money};
use serde::{Deserialize, Serialize};

/// A week's figures, derived from its plans (and the week before).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekSummary {
    pub plans: usize,
    pub done: usize,
    pub total: usize,
    /// Budget totals per currency, never summed across currencies.
    pub budgets: Vec<String>,
    /// `Title: what changed` per plan, against the week before.
    pub changes: Vec<String>,
    /// Each plan's trend point, in the week's plan order.
    pub points: Vec<PlanPoint>,
}

/// One plan's tasks and budget in a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPoint {
    pub slug: String,
    pub done: usize,
    pub total: usize,
    /// The current budget in minor units, with its currency code.
    pub budget: Option<(i64, String)>,
    /// Each dated phase's name and last day (ISO), for the milestone trend.
    pub milestones: Vec<(String, String)>,
}

impl PlanPoint {
    pub fn budget(&self) -> Option<Money> {
        let (minor, code) = self.budget.as_ref()?;
        // Read back from the archive: within the bound, or no figure.
        Money::bounded(i128::from(*minor), Currency::from_code(code)?)
    }
}

/// Each plan's trend point.
pub fn points(plans: &[Plan]) -> Vec<PlanPoint> {
    plans
        .iter()
        .map(|plan| PlanPoint {
            slug: plan.slug.clone(),
            done: plan.progress.done,
            total: plan.progress.total,
            budget: super::budget_figures(plan)
                .current
                .map(|m| (m.minor, m.currency.code().to_string())),
            milestones: super::slips::dated_milestones(plan),
        })
        .collect()
}

/// The summary of `plans`; `before` is the week before, if any.
pub fn summarise(before: Option<&[Plan]>, plans: &[Plan]) -> WeekSummary {
    let points = points(plans);
    let totals = totals_by_currency(points.iter().filter_map(PlanPoint::budget));
    let changes = match before {
        None => vec!["First snapshot of the history.".into()],
        Some(before) => diff_portfolio(before, plans)
            .iter()
            .map(|c| format!("{}: {}", c.title, c.summary()))
            .collect(),
    };
    WeekSummary {
        plans: plans.len(),
        done: points.iter().map(|p| p.done).sum(),
        total: points.iter().map(|p| p.total).sum(),
        budgets: totals.iter().map(Money::display).collect(),
        changes,
        points,
    }
}
