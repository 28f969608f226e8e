//! History on the pages: "since last snapshot" views, the points of the
//! trend charts, the archived weeks as the pages see them, the archive
//! index and the Atom feed.

use super::views::*;
use crate::charts::trend::TrendPoint;
use crate::derive::diff::{diff, BudgetChange, Presence};
use crate::derive::week::PlanPoint;
use crate::model::plan::Plan;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

/// One week of the archive as the pages see it.
pub struct ArchivedWeek {
    pub week: crate::archive::WeekKey,
    pub manifest: Option<crate::archive::Manifest>,
    pub summary: crate::derive::week::WeekSummary,
    /// The week's plans and sources: present when its pages are rendered,
    /// or when the week after it, or the current site, counts changes from
    /// it. Shared: `serve` keeps the weeks it read for its next rebuild.
    pub snapshot: Option<Arc<crate::archive::Snapshot>>,
    /// The week's pages come from the last build (they would be the same),
    /// so they are not rendered.
    pub reused: bool,
}

impl ArchivedWeek {
    /// The week's plans (none when they were not read).
    pub fn plans(&self) -> &[Plan] {
        self.snapshot.as_ref().map_or(&[], |s| s.plans.as_slice())
    }
}

/// What changed in `plan` since its version in the last snapshot. `before`
/// is `None` without a snapshot, `Some(None)` when the plan is new.
pub fn changes_view(before: Option<Option<&Plan>>, plan: &Plan, since: &str) -> ChangesView {
    let Some(before) = before else {
        return ChangesView {
            summary: "No earlier snapshot: this is the first week of the history.".into(),
            ..ChangesView::default()
        };
    };
    let changes = diff(before, Some(plan));
    let budget_line = |c: &BudgetChange| {
        format!(
            "{}: {} -> {}{}",
            c.phase,
            c.before.as_deref().unwrap_or("none"),
            c.after.as_deref().unwrap_or("none"),
            c.delta
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        )
    };
    let pair = |p: &Option<(String, String)>| {
        p.as_ref()
            .map(|(a, b)| format!("{a} -> {b}"))
            .unwrap_or_default()
    };
    ChangesView {
        since: since.to_string(),
        new_plan: changes.presence == Presence::Added,
        summary: match changes.presence {
            Presence::Added => format!("New since {since}."),
            _ if changes.is_empty() => format!("No change since {since}."),
            _ => changes.summary(),
        },
        budget: changes.budget.iter().map(budget_line).collect(),
        total: changes.total.as_ref().map(budget_line).unwrap_or_default(),
        status: pair(&changes.status),
        decision: pair(&changes.decision),
        finished: changes.finished,
        reopened: changes.reopened,
        added: changes.added,
        removed: changes.removed,
        risks_new: changes.risks_new,
        risks_closed: changes.risks_closed,
        milestones: changes.milestones.iter().map(|m| m.text()).collect(),
    }
}

/// One week of a trend: each plan's point, by slug, so that a plan's point
/// is found without a scan.
pub struct Week<'a> {
    pub label: String,
    pub points: &'a [PlanPoint],
    pub by_slug: HashMap<&'a str, &'a PlanPoint>,
}

impl<'a> Week<'a> {
    pub fn new(label: String, points: &'a [PlanPoint]) -> Week<'a> {
        Week {
            label,
            points,
            by_slug: points.iter().map(|p| (p.slug.as_str(), p)).collect(),
        }
    }
}

/// One point per week for a plan (`slug`), or summed over the portfolio
/// (`None`). A week without the plan is left out.
pub fn trend_points(weeks: &[&Week<'_>], slug: Option<&str>) -> Vec<TrendPoint> {
    weeks
        .iter()
        .filter_map(|week| match slug {
            Some(slug) => {
                let point = week.by_slug.get(slug)?;
                Some(TrendPoint {
                    week: week.label.clone(),
                    done: point.done,
                    total: point.total,
                    budget: point.budget(),
                })
            }
            None => (!week.points.is_empty()).then(|| TrendPoint {
                week: week.label.clone(),
                done: week.points.iter().map(|p| p.done).sum(),
                total: week.points.iter().map(|p| p.total).sum(),
                budget: None,
            }),
        })
        .collect()
}

pub fn archive_view(site: &SiteView, history: &[ArchivedWeek]) -> ArchiveView {
    let snapshots = history
        .iter()
        .rev()
        .map(|s| {
            let (done, total) = (s.summary.done, s.summary.total);
            SnapshotView {
                week: s.week.to_string(),
                href: format!("{}/index.html", s.week),
                created: s
                    .manifest
                    .as_ref()
                    .map(|m| m.created.clone())
                    .unwrap_or_default(),
                note: s
                    .manifest
                    .as_ref()
                    .and_then(|m| m.note.clone())
                    .unwrap_or_default(),
                plans: s.summary.plans,
                done,
                total,
                percent: percent(done, total),
                budgets: s.summary.budgets.clone(),
                changes: s.summary.changes.clone(),
                damaged: s.manifest.is_none(),
            }
        })
        .collect();
    ArchiveView {
        page: PageView {
            root: "../".into(),
            path: "archive/".into(),
            canonical: if site.absolute_base.is_empty() {
                String::new()
            } else {
                format!("{}archive/", site.absolute_base)
            },
            title: format!("Archive · {}", site.title),
            description: format!("{} weekly snapshots of the plans", history.len()),
            snapshot: String::new(),
            current_href: "../index.html".into(),
            home: "../index.html".into(),
            // Named by the caller, which knows whether there are cards.
            image: String::new(),
            image_alt: String::new(),
        },
        site: site.clone(),
        snapshots,
    }
}

/// The Atom feed: links are absolute when the base URL is, else relative
/// to the feed.
pub fn feed_view(site: &SiteView, history: &[ArchivedWeek], as_of: NaiveDate) -> FeedView {
    let base = site.absolute_base.clone();
    let timestamp = |s: &ArchivedWeek| {
        s.manifest
            .as_ref()
            .map(|m| m.created.clone())
            .filter(|c| chrono::DateTime::parse_from_rfc3339(c).is_ok())
            .unwrap_or_else(|| format!("{}T23:59:59Z", s.week.sunday()))
    };
    // Without an absolute base the ids are URNs: stable, and valid URIs.
    let id_base = if base.is_empty() {
        format!("urn:plansite:{}:", crate::slug::slugify(&site.title))
    } else {
        base.clone()
    };
    let entries: Vec<FeedEntryView> = history
        .iter()
        .rev()
        .map(|s| {
            let lines = s.summary.changes.clone();
            let note = s.manifest.as_ref().and_then(|m| m.note.clone());
            FeedEntryView {
                id: format!("{id_base}archive/{}/", s.week),
                title: match &note {
                    Some(note) => format!("{}: {note}", s.week),
                    None => format!("Plans as of {}", s.week),
                },
                href: format!("{base}archive/{}/index.html", s.week),
                updated: timestamp(s),
                summary: lines.join(" · "),
                lines,
            }
        })
        .collect();
    FeedView {
        id: format!("{id_base}feed.xml"),
        self_href: format!("{base}feed.xml"),
        site_href: format!("{base}index.html"),
        updated: entries
            .first()
            .map(|e| e.updated.clone())
            .unwrap_or_else(|| format!("{as_of}T00:00:00Z")),
        entries,
        site: site.clone(),
    }
}
