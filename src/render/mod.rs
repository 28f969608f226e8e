//! Render: plans, derived figures and charts to the files of the site,
//! through view structs and the theme's Tera templates. Files go to a
//! `Sink` as they are made; render writes nothing itself (`write` does)
//! and the one thing it reads from disk is the theme (`theme.rs` loads the
//! templates and static files a site overrides from `themes/`).
//!
//! By what it renders: `portfolio` (a dashboard with its plan pages, for
//! the current site and for each archived week; `dashboard` orders and
//! groups its table), `plan` (one plan's page,
//! model and calendar), `extras` (the archive index, the feed, `404.html`,
//! the sitemap, the static files); `history` holds the archived weeks as
//! the pages see them; `shell` is a protected page's wrapper.

mod cards;
mod dashboard;
mod extras;
mod history;
pub mod markdown;
mod memo;
mod outlook;
mod page;
mod plan;
mod plan_page;
mod portfolio;
mod schedule_view;
mod shell;
pub mod theme;
pub mod views;

pub use cards::CardStore;
pub use history::ArchivedWeek;
pub use memo::{PlanMemo, Remembered};
pub use page::SiteInput;
pub use shell::{shell, ShellSite};

use crate::archive::WeekKey;
use crate::diagnostic::Diagnostic;
use crate::error::Failure;
use crate::model::plan::Plan;
use crate::output::Sink;
use page::{site_view, Out, Portfolio};
use std::collections::HashMap;
use views::SiteView;

/// Renders every page: the current site, each archived week under
/// `archive/<week>/` (but those the last build's pages are reused for),
/// the archive index, the feed and the site-wide files. Warnings (removed
/// HTML, dropped links) of the current plans come back; a template error
/// (exit 2), a plan that failed to render or a file the sink could not
/// keep (exit 1) is a failure, after every page was tried.
pub fn render_site(input: &SiteInput<'_>, sink: Sink<'_>) -> Result<Vec<Diagnostic>, Failure> {
    let site = site_view(input);
    let mut out = Out::new(sink);
    let this_week = WeekKey::of(input.as_of);
    // Each week is indexed once; every page's trend borrows a prefix of them.
    let archived: Vec<history::Week<'_>> = input
        .history
        .iter()
        .map(|s| history::Week::new(s.week.to_string(), &s.summary.points))
        .collect();
    let now_points = crate::derive::week::points(input.plans);
    let now = history::Week::new(this_week.to_string(), &now_points);
    let earlier = input.earlier;
    let mut weeks: Vec<&history::Week<'_>> = archived[..earlier].iter().collect();
    weeks.push(&now);
    let current = Portfolio {
        prefix: String::new(),
        plans: input.plans,
        sources: input.sources,
        as_of: input.as_of,
        previous: week_before(input.history, earlier),
        weeks,
        snapshot: None,
    };
    let (order, totals) = portfolio::render(input, &site, &current, &mut out);
    let empty = HashMap::new();
    for (i, snapshot) in input.history.iter().enumerate() {
        if snapshot.reused {
            continue;
        }
        let week = Portfolio {
            prefix: format!("archive/{}/", snapshot.week),
            plans: snapshot.plans(),
            sources: snapshot.snapshot.as_ref().map_or(&empty, |s| &s.sources),
            as_of: snapshot.week.sunday(),
            previous: week_before(input.history, i),
            weeks: archived[..=i].iter().collect(),
            snapshot: Some(snapshot.week),
        };
        // An archived page reports on its own week, not on the build's date.
        let site = SiteView {
            as_of: week.as_of.format("%Y-%m-%d").to_string(),
            ..site.clone()
        };
        portfolio::render(input, &site, &week, &mut out);
    }
    extras::render(input, &site, (&order, &totals), &mut out);
    out.finish()
}

/// The archived week before the `i`th, with its plans: changes are
/// counted from it.
fn week_before(history: &[ArchivedWeek], i: usize) -> Option<(WeekKey, &[Plan])> {
    let week = &history[i.checked_sub(1)?];
    Some((week.week, week.plans()))
}
