//! Diff: what changed in a plan between two snapshots (or a snapshot and
//! now): tasks finished, reopened, added and removed, budget per phase and
//! in total, status and decision, new and closed risks.

use crate::model::plan::{Plan, Task};
use crate::parse::money::Money;
use crate::parse::status::Status;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Added,
    Removed,
    Kept,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetChange {
    pub phase: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// The difference, when both sides are in one currency.
    pub delta: Option<String>,
}

impl BudgetChange {
    /// The difference, else `before -> after` (`none` for a side without).
    fn shown(&self) -> String {
        self.delta.clone().unwrap_or_else(|| {
            format!(
                "{} -> {}",
                self.before.as_deref().unwrap_or("none"),
                self.after.as_deref().unwrap_or("none")
            )
        })
    }
}

/// `1 task`, `3 tasks`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The changes in one plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanChanges {
    pub slug: String,
    pub title: String,
    pub presence: Presence,
    pub finished: Vec<String>,
    pub reopened: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub budget: Vec<BudgetChange>,
    pub total: Option<BudgetChange>,
    pub status: Option<(String, String)>,
    pub decision: Option<(String, String)>,
    pub risks_new: Vec<String>,
    pub risks_closed: Vec<String>,
    /// Milestones whose date moved (`slips::moved`).
    pub milestones: Vec<super::slips::MilestoneMove>,
}

impl PlanChanges {
    pub fn is_empty(&self) -> bool {
        self.presence == Presence::Kept
            && self.finished.is_empty()
            && self.reopened.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.budget.is_empty()
            && self.total.is_none()
            && self.status.is_none()
            && self.decision.is_none()
            && self.risks_new.is_empty()
            && self.risks_closed.is_empty()
            && self.milestones.is_empty()
    }

    /// One line: `+3 done, 1 reopened, +1 task, budget +$3,000, decision GO / NO-GO -> GO`.
    pub fn summary(&self) -> String {
        match self.presence {
            Presence::Added => return "new plan".into(),
            Presence::Removed => return "plan removed".into(),
            Presence::Kept => {}
        }
        let mut parts = Vec::new();
        for (tasks, what) in [
            (&self.finished, "finished"),
            (&self.reopened, "reopened"),
            (&self.added, "added"),
            (&self.removed, "removed"),
        ] {
            if !tasks.is_empty() {
                parts.push(format!("{} {what}", count(tasks.len(), "task", "tasks")));
            }
        }
        // A milestone that moved is news before any budget line.
        parts.extend(self.milestones.iter().map(|m| m.text()));
        for change in self.budget.iter().take(3) {
            parts.push(format!("{} budget {}", change.phase, change.shown()));
        }
        if self.budget.len() > 3 {
            parts.push(format!(
                "{} more phase budgets changed",
                self.budget.len() - 3
            ));
        }
        if let Some(total) = &self.total {
            parts.push(format!("total budget {}", total.shown()));
        }
        if let Some((before, after)) = &self.status {
            parts.push(format!("status {before} -> {after}"));
        }
        if let Some((before, after)) = &self.decision {
            parts.push(format!("decision {before} -> {after}"));
        }
        if !self.risks_new.is_empty() {
            parts.push(count(self.risks_new.len(), "new risk", "new risks"));
        }
        if !self.risks_closed.is_empty() {
            parts.push(count(
                self.risks_closed.len(),
                "risk closed",
                "risks closed",
            ));
        }
        if parts.is_empty() {
            "no change".into()
        } else {
            parts.join(", ")
        }
    }
}

/// Compares two versions of a plan (either may be absent).
pub fn diff(before: Option<&Plan>, after: Option<&Plan>) -> PlanChanges {
    let named = after.or(before);
    let mut changes = PlanChanges {
        slug: named.map(|p| p.slug.clone()).unwrap_or_default(),
        title: named.map(|p| p.title.clone()).unwrap_or_default(),
        presence: match (before, after) {
            (None, Some(_)) => Presence::Added,
            (Some(_), None) => Presence::Removed,
            _ => Presence::Kept,
        },
        finished: Vec::new(),
        reopened: Vec::new(),
        added: Vec::new(),
        removed: Vec::new(),
        budget: Vec::new(),
        total: None,
        status: None,
        decision: None,
        risks_new: Vec::new(),
        risks_closed: Vec::new(),
        milestones: Vec::new(),
    };
    let (Some(before), Some(after)) = (before, after) else {
        return changes;
    };
    compare_tasks(before, after, &mut changes);
    compare_budgets(before, after, &mut changes);
    let status = |p: &Plan| p.meta.status.clone().unwrap_or_else(|| "none".into());
    if status(before) != status(after) {
        changes.status = Some((status(before), status(after)));
    }
    let decision = |p: &Plan| {
        p.decision
            .as_ref()
            .map(|d| {
                d.chosen
                    .clone()
                    .or_else(|| d.question.clone())
                    .unwrap_or_else(|| d.options.join(" / "))
            })
            .unwrap_or_else(|| "none".into())
    };
    if decision(before) != decision(after) {
        changes.decision = Some((decision(before), decision(after)));
    }
    compare_risks(before, after, &mut changes);
    changes.milestones = super::slips::moved(before, after);
    changes
}

/// Every task with its done flag, subtasks included, keyed by its text.
fn task_states(plan: &Plan) -> BTreeMap<String, Vec<bool>> {
    fn walk(tasks: &[Task], out: &mut BTreeMap<String, Vec<bool>>) {
        for task in tasks {
            out.entry(task.text.split_whitespace().collect::<Vec<_>>().join(" "))
                .or_default()
                .push(task.done);
            walk(&task.subtasks, out);
        }
    }
    let mut out = BTreeMap::new();
    for group in plan
        .phases
        .iter()
        .flat_map(|p| &p.groups)
        .chain(&plan.groups)
    {
        walk(&group.tasks, &mut out);
    }
    out
}

/// Tasks are matched by their text (the same text twice counts twice), so
/// a task moved to another phase is neither added nor removed.
fn compare_tasks(before: &Plan, after: &Plan, changes: &mut PlanChanges) {
    let (old, new) = (task_states(before), task_states(after));
    for (text, new_states) in &new {
        let old_states = old.get(text).map(Vec::as_slice).unwrap_or(&[]);
        let (old_done, new_done) = (
            old_states.iter().filter(|d| **d).count(),
            new_states.iter().filter(|d| **d).count(),
        );
        let kept = old_states.len().min(new_states.len());
        for _ in old_states.len()..new_states.len() {
            changes.added.push(text.clone());
        }
        // Of the copies on both sides, more done now means finished.
        let finished = new_done.min(kept).saturating_sub(old_done.min(kept));
        let reopened = old_done.min(kept).saturating_sub(new_done.min(kept));
        changes
            .finished
            .extend(std::iter::repeat_n(text.clone(), finished));
        changes
            .reopened
            .extend(std::iter::repeat_n(text.clone(), reopened));
    }
    for (text, old_states) in &old {
        let new_len = new.get(text).map_or(0, Vec::len);
        for _ in new_len..old_states.len() {
            changes.removed.push(text.clone());
        }
    }
}

/// Each phase's budget against the same phase's last week: the phase with
/// the same label, else the one with the same title (a phase that slipped
/// is relabelled, `Week 3-8` becoming `Week 3-9`, and is the same phase).
fn compare_budgets(before: &Plan, after: &Plan, changes: &mut PlanChanges) {
    let amount = |ph: &crate::model::plan::Phase| ph.budget.as_ref().map(|b| b.amount);
    let mut matched = vec![false; before.phases.len()];
    for phase in &after.phases {
        let same = before
            .phases
            .iter()
            .enumerate()
            .position(|(i, old)| !matched[i] && old.label == phase.label)
            .or_else(|| {
                let title = phase.title.trim();
                let mut titled = before.phases.iter().enumerate().filter(|(i, old)| {
                    !matched[*i] && !title.is_empty() && old.title.trim() == title
                });
                let first = titled.next().map(|(i, _)| i);
                // Only a title no other phase shares names one phase.
                first.filter(|_| titled.next().is_none())
            });
        if let Some(i) = same {
            matched[i] = true;
        }
        let before_amount = same.and_then(|i| amount(&before.phases[i]));
        if before_amount != amount(phase) {
            changes
                .budget
                .push(change(&phase.label, before_amount, amount(phase)));
        }
    }
    for (i, old) in before.phases.iter().enumerate() {
        if !matched[i] && amount(old).is_some() {
            changes.budget.push(change(&old.label, amount(old), None));
        }
    }
    let total = |p: &Plan| super::budget_figures(p).current;
    let (old_total, new_total) = (total(before), total(after));
    if old_total != new_total {
        changes.total = Some(change("Total", old_total, new_total));
    }
}

fn change(phase: &str, before: Option<Money>, after: Option<Money>) -> BudgetChange {
    // No delta in two currencies, or beyond the bound.
    let delta = match (before, after) {
        (Some(b), Some(a)) => a.checked_sub(b).map(signed),
        (None, Some(a)) => Some(signed(a)),
        (Some(b), None) => Some(signed(b.negated())),
        _ => None,
    };
    BudgetChange {
        phase: phase.into(),
        before: before.map(|m| m.display()),
        after: after.map(|m| m.display()),
        delta,
    }
}

fn signed(m: Money) -> String {
    if m.minor >= 0 {
        format!("+{}", m.display())
    } else {
        m.display()
    }
}

/// Risks are matched by the text of their Risk column; a risk whose status
/// turned to done counts as closed.
fn compare_risks(before: &Plan, after: &Plan, changes: &mut PlanChanges) {
    let open = |p: &Plan| -> Vec<(String, bool)> {
        p.risks
            .iter()
            .filter_map(|r| {
                let name = r
                    .cells
                    .iter()
                    .find(|(k, _)| k.contains("risk"))
                    .map(|(_, v)| v.trim().to_string())?;
                Some((name, r.status != Some(Status::Done)))
            })
            .collect()
    };
    let (old, new) = (open(before), open(after));
    for (name, is_open) in &new {
        match old.iter().find(|(n, _)| n == name) {
            None if *is_open => changes.risks_new.push(name.clone()),
            Some((_, true)) if !is_open => changes.risks_closed.push(name.clone()),
            _ => {}
        }
    }
    for (name, was_open) in &old {
        if *was_open && !new.iter().any(|(n, _)| n == name) {
            changes.risks_closed.push(name.clone());
        }
    }
}

/// Matches the plans of two versions of the portfolio by slug.
pub fn diff_portfolio(before: &[Plan], after: &[Plan]) -> Vec<PlanChanges> {
    let earlier: std::collections::HashMap<&str, &Plan> =
        before.iter().map(|p| (p.slug.as_str(), p)).collect();
    let later: std::collections::HashSet<&str> = after.iter().map(|p| p.slug.as_str()).collect();
    let mut out: Vec<PlanChanges> = after
        .iter()
        .map(|plan| diff(earlier.get(plan.slug.as_str()).copied(), Some(plan)))
        .collect();
    out.extend(
        before
            .iter()
            .filter(|p| !later.contains(p.slug.as_str()))
            .map(|p| diff(Some(p), None)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::from_text as plan;

    #[test]
    fn a_week_of_changes() {
        let before = plan("# P\n\n## Week 1: A\n\n**Budget:** $1,000\n\n- [x] one\n- [ ] two\n- [ ] three\n- [x] four\n\n| Risk | Status |\n|---|---|\n| Vendor late | ⏳ |\n| Data loss | ⏳ |\n\n**Decision:** GO / NO-GO\n");
        let after = plan("# P\n\n## Week 1: A\n\n**Budget:** $1,500\n\n- [x] one\n- [x] two\n- [ ] four\n- [ ] five\n\n| Risk | Status |\n|---|---|\n| Vendor late | ✅ |\n| Staff leave | ⏳ |\n\n**Decision:** GO\n");
        let changes = diff(Some(&before), Some(&after));
        assert_eq!(changes.finished, ["two"]);
        assert_eq!(changes.reopened, ["four"]);
        assert_eq!(changes.added, ["five"]);
        assert_eq!(changes.removed, ["three"]);
        assert_eq!(changes.budget[0].delta.as_deref(), Some("+$500"));
        assert_eq!(
            changes.total.as_ref().and_then(|t| t.delta.as_deref()),
            Some("+$500")
        );
        assert_eq!(changes.decision, Some(("GO / NO-GO".into(), "GO".into())));
        assert_eq!(changes.risks_new, ["Staff leave"]);
        assert_eq!(changes.risks_closed, ["Vendor late", "Data loss"]);
        assert_eq!(
            changes.summary(),
            "1 task finished, 1 task reopened, 1 task added, 1 task removed, Week 1 budget +$500, total budget +$500, decision GO / NO-GO -> GO, 1 new risk, 2 risks closed"
        );
    }

    #[test]
    fn a_phase_that_slipped_keeps_its_budget() {
        // `Week 3-8: Build` became `Week 3-9: Build`: the same phase, its
        // budget unchanged; only a real change is reported.
        let before = plan("# P\n\n## Week 1-2: Design\n\n**Budget:** $2,000\n\n## Week 3-8: Build\n\n**Budget:** $12,000\n");
        let after = plan("# P\n\n## Week 1-2: Design\n\n**Budget:** $2,500\n\n## Week 3-9: Build\n\n**Budget:** $12,000\n");
        let changes = diff(Some(&before), Some(&after));
        let shown: Vec<String> = changes.budget.iter().map(|c| c.phase.clone()).collect();
        assert_eq!(shown, ["Week 1-2"], "{:?}", changes.budget);
        // A phase that went is still reported.
        let gone = plan("# P\n\n## Week 1-2: Design\n\n**Budget:** $2,000\n");
        let changes = diff(Some(&before), Some(&gone));
        let shown: Vec<String> = changes.budget.iter().map(|c| c.phase.clone()).collect();
        assert_eq!(shown, ["Week 3-8"]);
    }

    #[test]
    fn no_change_and_presence() {
        let a = plan("# P\n- [ ] t\n");
        assert!(diff(Some(&a), Some(&a)).is_empty());
        assert_eq!(diff(None, Some(&a)).summary(), "new plan");
        assert_eq!(diff(Some(&a), None).summary(), "plan removed");
    }
}
