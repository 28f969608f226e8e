//! Render: plans, derived figures and charts to the files of the site,
//! through view structs and the theme's Tera templates. Files go to a
//! `Sink` as they are made; render writes nothing itself (`write` does)
//! and the one thing it reads from disk is the theme (`theme.rs` loads the
//! templates and static files a site overrides from `themes/`).
//!
//! By what it renders: `portfolio` (a dashboard with its plan pages, for
//! the current site and for each archived week), `plan` (one plan's page,
//! model and calendar), `extras` (the archive index, the feed, `404.html`,
//! the sitemap, the static files); `history` holds the archived weeks as
//! the pages see them.

mod extras;
mod history;
pub mod markdown;
mod plan;
mod plan_page;
mod portfolio;
mod schedule_view;
pub mod theme;
pub mod views;

pub use history::ArchivedWeek;
pub use plan::{PlanMemo, Remembered};

use crate::archive::WeekKey;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{ExitKind, Failure};
use crate::model::plan::Plan;
use crate::output::{OutputFile, Sink};
use chrono::NaiveDate;
use portfolio::Portfolio;
use serde::Serialize;
use std::collections::HashMap;
use theme::{flatten, Theme};
use views::SiteView;

/// Everything the site is made from.
pub struct SiteInput<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub plans: &'a [Plan],
    /// Decoded source text by display path, for the lines quoted in checks.
    pub sources: &'a HashMap<String, String>,
    pub as_of: NaiveDate,
    /// The archive, oldest week first.
    pub history: &'a [ArchivedWeek],
    /// How many of the archived weeks come before the week of `as_of`: the
    /// current site's trend ends with them, and counts its changes from the
    /// last of them.
    pub earlier: usize,
    /// Plans rendered by an earlier build of the same site (`serve`): a
    /// plan whose source has not changed is not rendered again.
    pub memo: Option<&'a dyn PlanMemo>,
}

/// Renders every page: the current site, each archived week under
/// `archive/<week>/` (but those the last build's pages are reused for),
/// the archive index, the feed and the site-wide files. Warnings (removed
/// HTML, dropped links) of the current plans come back; a template error
/// (exit 2), a plan that failed to render or a file the sink could not
/// keep (exit 1) is a failure, after every page was tried.
pub fn render_site(input: &SiteInput<'_>, sink: Sink<'_>) -> Result<Vec<Diagnostic>, Failure> {
    let site = site_view(input);
    let mut out = Out {
        sink,
        warnings: Vec::new(),
        errors: Vec::new(),
        failure: None,
    };
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
    let order = portfolio::render(input, &site, &current, &mut out);
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
    extras::render(input, &site, &order, &mut out);
    out.finish()
}

/// The archived week before the `i`th, with its plans: changes are
/// counted from it.
fn week_before(history: &[ArchivedWeek], i: usize) -> Option<(WeekKey, &[Plan])> {
    let week = &history[i.checked_sub(1)?];
    Some((week.week, week.plans()))
}

/// What rendering produced so far: files go straight to the sink; errors
/// wait until every page was tried.
struct Out<'s> {
    sink: Sink<'s>,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
    /// The worst kind of failure met: a file not kept or a plan that
    /// failed is a content failure, a template error a usage one.
    failure: Option<ExitKind>,
}

impl Out<'_> {
    fn file(&mut self, path: String, bytes: Vec<u8>) {
        if let Err(message) = (self.sink)(OutputFile { path, bytes }) {
            self.fail(ExitKind::Content, output_error(message));
        }
    }

    fn page<T: Serialize>(&mut self, theme: &Theme, template: &str, path: &str, view: &T) {
        match render(theme, template, view, 16 * 1024) {
            Ok(bytes) => self.file(path.to_string(), bytes),
            Err(e) => self.fail(ExitKind::Usage, e),
        }
    }

    fn fail(&mut self, kind: ExitKind, error: Diagnostic) {
        // A content failure outranks a template error: the plans or the
        // disk are what to fix first.
        self.failure = Some(match self.failure {
            Some(ExitKind::Content) => ExitKind::Content,
            _ => kind,
        });
        self.errors.push(error);
    }

    fn finish(self) -> Result<Vec<Diagnostic>, Failure> {
        match self.failure {
            None => Ok(self.warnings),
            Some(kind) => Err(Failure::new(kind, self.errors)),
        }
    }
}

/// A file of the site that the sink could not keep.
fn output_error(message: String) -> Diagnostic {
    Diagnostic::error("output", 0, 0, message)
}

/// Renders `template` with `view` into bytes, with `room` for them.
fn render<T: Serialize>(
    theme: &Theme,
    template: &str,
    view: &T,
    room: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let context = tera::Context::from_serialize(view).map_err(|e| {
        Diagnostic::error(
            template,
            0,
            0,
            format!("template data: {}", flatten(&e.to_string())),
        )
    })?;
    let mut bytes = Vec::with_capacity(room);
    theme
        .tera
        .render_to(template, &context, &mut bytes)
        .map_err(|e| theme.diagnostic(&e))?;
    Ok(bytes)
}

fn with_slash(base: &str) -> String {
    if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    }
}

fn site_view(input: &SiteInput<'_>) -> SiteView {
    let config = input.config;
    let base = config.base_url.trim();
    let absolute = base.starts_with("https://") || base.starts_with("http://");
    SiteView {
        title: config.title.clone(),
        description: config.description.clone().unwrap_or_default(),
        language: config.language.clone(),
        absolute_base: if absolute {
            with_slash(base)
        } else {
            String::new()
        },
        as_of: input.as_of.format("%Y-%m-%d").to_string(),
        generator: format!("plansite {}", env!("CARGO_PKG_VERSION")),
        extra: serde_json::to_value(&config.extra).unwrap_or(serde_json::Value::Null),
    }
}

/// The page's absolute address, when the base URL is absolute.
fn canonical(site: &SiteView, path: &str) -> String {
    if site.absolute_base.is_empty() {
        String::new()
    } else {
        format!("{}{path}", site.absolute_base)
    }
}

/// `../` as many times as a page is deep.
fn up(levels: usize) -> String {
    "../".repeat(levels)
}
