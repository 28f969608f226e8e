//! Pages: the whole site as a list of files: the dashboard, a report (its
//! charts inline) and its JSON model per plan, with a calendar when it has
//! milestones, the stylesheet, `404.html`, `sitemap.xml` and `.nojekyll`.

use super::history;
use super::plan_page::{budget_line, chart_view, plan_view};
use super::schedule_view::{milestones_ics, rag_view, schedule_view};
use super::theme::{flatten, Theme};
use super::views::*;
use crate::archive::{Manifest, Snapshot, WeekKey};
use crate::charts::plan_charts;
use crate::charts::trend::{budget_trend, burnup};
use crate::config::Config;
use crate::derive::schedule::schedule;
use crate::derive::{derive, Derived};
use crate::diagnostic::Diagnostic;
use crate::model::plan::{PhaseStatus, Plan};
use crate::parse::money::Money;
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One file of the site, by its path under the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

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
    /// Plans rendered by an earlier build of the same site (`serve`): a
    /// plan whose source has not changed is not rendered again.
    pub memo: Option<&'a Memo>,
}

/// A plan's source path, display path and text: its page depends on
/// nothing else that can change while a memo is valid. Compared whole, which
/// costs less than hashing it.
type MemoKey = (String, String, String);

/// One week of the archive as the render sees it.
pub struct ArchivedWeek {
    pub week: WeekKey,
    pub manifest: Option<Manifest>,
    pub summary: crate::derive::week::WeekSummary,
    /// The week's plans and sources: present when its pages are rendered,
    /// or when the week after it, or the current site, counts changes from
    /// it. Shared: `serve` keeps the weeks it read for its next rebuild.
    pub snapshot: Option<std::sync::Arc<Snapshot>>,
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

/// The current site's plans as rendered by the last build, by slug, so
/// that `serve` re-renders only the plans an edit touched. Valid while the
/// configuration, theme, archive and date stay the same: `serve` starts a
/// new one when any of them changes. A plan page depends on nothing else
/// but its own source (the dashboard, rendered every time, gathers the
/// cards).
#[derive(Default)]
pub struct Memo {
    entries: std::sync::Mutex<HashMap<String, Memoised>>,
    stale: std::sync::Mutex<Vec<String>>,
}

struct Memoised {
    key: MemoKey,
    card: CardView,
    warnings: Vec<Diagnostic>,
    paths: Vec<String>,
}

impl Memo {
    /// The files of the last build that no longer exist: those of plans
    /// that went, and those a re-rendered plan no longer makes.
    pub fn take_stale(&self) -> Vec<String> {
        self.stale
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default()
    }

    /// Whether nothing has been rendered yet (the first build).
    pub fn is_empty(&self) -> bool {
        self.entries.lock().map_or(true, |e| e.is_empty())
    }

    fn key<'p>(
        plan: &'p Plan,
        sources: &'p HashMap<String, String>,
    ) -> (&'p str, &'p str, &'p str) {
        (
            &plan.source,
            &plan.display,
            sources.get(&plan.display).map_or("", String::as_str),
        )
    }

    fn get(&self, slug: &str, key: (&str, &str, &str)) -> Option<(CardView, Vec<Diagnostic>)> {
        let entries = self.entries.lock().ok()?;
        let hit = entries
            .get(slug)
            .filter(|m| (m.key.0.as_str(), m.key.1.as_str(), m.key.2.as_str()) == key)?;
        Some((hit.card.clone(), hit.warnings.clone()))
    }

    fn put(&self, slug: &str, memoised: Memoised) {
        if let Ok(mut entries) = self.entries.lock() {
            if let Some(old) = entries.insert(slug.to_string(), memoised) {
                let fresh = &entries[slug].paths;
                let gone: Vec<String> = old
                    .paths
                    .into_iter()
                    .filter(|p| !fresh.contains(p))
                    .collect();
                if let Ok(mut stale) = self.stale.lock() {
                    stale.extend(gone);
                }
            }
        }
    }

    /// Forgets the plans not in `slugs`, their files becoming stale.
    fn keep_only(&self, slugs: &HashSet<&str>) {
        if let Ok(mut entries) = self.entries.lock() {
            let gone: Vec<String> = entries
                .keys()
                .filter(|s| !slugs.contains(s.as_str()))
                .cloned()
                .collect();
            let mut paths = Vec::new();
            for slug in gone {
                if let Some(m) = entries.remove(&slug) {
                    paths.extend(m.paths);
                }
            }
            if let Ok(mut stale) = self.stale.lock() {
                stale.extend(paths);
            }
        }
    }
}

/// Renders every page: the current site, each archived week under
/// `archive/<week>/`, the archive index and the feed. Warnings (removed
/// HTML, dropped links) of the current plans come back beside the files; a
/// template error stops rendering.
pub fn render_site(
    input: &SiteInput<'_>,
    sink: Sink<'_>,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let site = site_view(input);
    let mut out = Out {
        sink,
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    let this_week = WeekKey::of(input.as_of);
    let earlier = input
        .history
        .iter()
        .take_while(|s| s.week < this_week)
        .count();
    // Each week is indexed once; every page's trend borrows a prefix of them.
    let archived: Vec<history::Week<'_>> = input
        .history
        .iter()
        .map(|s| history::Week::new(s.week.to_string(), &s.summary.points))
        .collect();
    let now_points = crate::derive::week::points(input.plans);
    let now = history::Week::new(this_week.to_string(), &now_points);
    let mut weeks: Vec<&history::Week<'_>> = archived[..earlier].iter().collect();
    weeks.push(&now);
    let current = Portfolio {
        prefix: String::new(),
        plans: input.plans,
        sources: input.sources,
        as_of: input.as_of,
        previous: earlier
            .checked_sub(1)
            .map(|j| (input.history[j].week, input.history[j].plans())),
        weeks,
        snapshot: None,
    };
    let order = render_portfolio(input, &site, &current, &mut out, true);
    let empty = HashMap::new();
    for (i, snapshot) in input.history.iter().enumerate() {
        if snapshot.reused {
            continue;
        }
        let weeks = archived[..=i].iter().collect();
        let week = Portfolio {
            prefix: format!("archive/{}/", snapshot.week),
            plans: snapshot.plans(),
            sources: snapshot.snapshot.as_ref().map_or(&empty, |s| &s.sources),
            as_of: snapshot.week.sunday(),
            previous: i
                .checked_sub(1)
                .map(|j| (input.history[j].week, input.history[j].plans())),
            weeks,
            snapshot: Some(snapshot.week),
        };
        // An archived page reports on its own week, not on the build's date.
        let site = SiteView {
            as_of: week.as_of.format("%Y-%m-%d").to_string(),
            ..site.clone()
        };
        render_portfolio(input, &site, &week, &mut out, false);
    }
    let archive = history::archive_view(&site, input.history);
    out.page(input.theme, "archive.html", "archive/index.html", &archive);
    let feed = history::feed_view(&site, input.history, input.as_of);
    out.page(input.theme, "feed.xml", "feed.xml", &feed);
    let not_found = Simple {
        page: PageView {
            root: not_found_root(input.config, &site),
            path: "404.html".into(),
            canonical: String::new(),
            title: format!("Page not found · {}", site.title),
            description: site.description.clone(),
            snapshot: String::new(),
            current_href: String::new(),
            home: String::new(),
        },
        site: site.clone(),
        urls: Vec::new(),
    };
    out.page(input.theme, "404.html", "404.html", &not_found);
    let base = if site.absolute_base.is_empty() {
        input.config.base_url.clone()
    } else {
        site.absolute_base.clone()
    };
    let urls = std::iter::once(String::new())
        .chain(order.iter().map(|slug| format!("plans/{slug}/")))
        .chain(std::iter::once("archive/".to_string()))
        .chain(input.history.iter().map(|s| format!("archive/{}/", s.week)))
        .map(|path| format!("{}{path}", with_slash(&base)))
        .collect();
    let sitemap = Simple {
        page: not_found.page.clone(),
        site,
        urls,
    };
    out.page(input.theme, "sitemap.xml", "sitemap.xml", &sitemap);
    for (name, bytes) in &input.theme.statics {
        out.file(format!("assets/{name}"), bytes.clone());
    }
    out.file(".nojekyll".into(), Vec::new());
    if out.errors.is_empty() {
        Ok(out.warnings)
    } else {
        Err(out.errors)
    }
}

/// Where rendered files go as soon as they are made (the staging folder of
/// `write`, or memory for `serve`), so a large site is never held whole.
pub type Sink<'a> = &'a (dyn Fn(OutputFile) -> Result<(), String> + Sync);

/// What rendering produced so far: files go straight to the sink.
struct Out<'s> {
    sink: Sink<'s>,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
}

impl Out<'_> {
    fn file(&mut self, path: String, bytes: Vec<u8>) {
        if let Err(message) = (self.sink)(OutputFile { path, bytes }) {
            self.errors.push(Diagnostic::error("output", 0, 0, message));
        }
    }

    fn page<T: Serialize>(&mut self, theme: &Theme, template: &str, path: &str, view: &T) {
        match render(theme, template, view, 16 * 1024) {
            Ok(bytes) => self.file(path.to_string(), bytes),
            Err(e) => self.errors.push(e),
        }
    }
}

/// One dashboard with its plan pages: the current site, or a week of the
/// archive under its prefix.
struct Portfolio<'a> {
    /// `""` or `archive/2025-W10/`.
    prefix: String,
    plans: &'a [Plan],
    sources: &'a HashMap<String, String>,
    as_of: NaiveDate,
    /// The snapshot changes are counted from.
    previous: Option<(WeekKey, &'a [Plan])>,
    /// The weeks of the trend charts, oldest first, ending with this one.
    weeks: Vec<&'a history::Week<'a>>,
    snapshot: Option<WeekKey>,
}

/// Renders a dashboard and its plan pages; returns the slugs in dashboard
/// order. Only the current site's warnings are kept: an archived week was
/// checked when it was current.
fn render_portfolio(
    input: &SiteInput<'_>,
    site: &SiteView,
    portfolio: &Portfolio<'_>,
    out: &mut Out<'_>,
    keep_warnings: bool,
) -> Vec<String> {
    let depth = portfolio.prefix.matches('/').count();
    let up = |levels: usize| "../".repeat(levels);
    let mut order: Vec<&Plan> = portfolio.plans.iter().collect();
    order.sort_by(|a, b| {
        (a.meta.weight.unwrap_or(i64::MAX), &a.title, &a.slug).cmp(&(
            b.meta.weight.unwrap_or(i64::MAX),
            &b.title,
            &b.slug,
        ))
    });
    let since = portfolio
        .previous
        .map(|(week, _)| week.to_string())
        .unwrap_or_default();
    let previous: HashMap<&str, &Plan> = portfolio
        .previous
        .map(|(_, plans)| plans.iter().map(|p| (p.slug.as_str(), p)).collect())
        .unwrap_or_default();
    let current: HashSet<&str> = input.plans.iter().map(|p| p.slug.as_str()).collect();
    let context = PlanContext {
        input,
        site,
        portfolio,
        depth,
        since: &since,
        previous: &previous,
        current: &current,
    };
    // Plans are independent until the dashboard: render them in parallel,
    // each handing its files to the sink at once; cards and warnings are
    // gathered in dashboard order, so the output never depends on timing.
    let sink = out.sink;
    // Only the current site is memoised: archived weeks are fixed.
    let memo = input.memo.filter(|_| portfolio.snapshot.is_none());
    let rendered: Vec<(CardView, Vec<Diagnostic>, Vec<Diagnostic>)> = order
        .par_iter()
        .map(|plan| {
            let key = memo.map(|_| Memo::key(plan, portfolio.sources));
            if let Some((card, warnings)) = memo.zip(key).and_then(|(m, k)| m.get(&plan.slug, k)) {
                return (card, warnings, Vec::new());
            }
            let output = crate::guard::contain(|| {
                crate::guard::injected("render", &plan.slug);
                render_plan(&context, plan)
            })
            .unwrap_or_else(|panic| PlanOutput {
                files: Vec::new(),
                card: CardView::default(),
                warnings: Vec::new(),
                error: Some(Diagnostic::error(
                    &plan.display,
                    0,
                    0,
                    crate::guard::message("rendering", &panic),
                )),
            });
            let mut errors: Vec<Diagnostic> = output.error.into_iter().collect();
            let paths: Vec<String> = output.files.iter().map(|f| f.path.clone()).collect();
            for file in output.files {
                if let Err(message) = sink(file) {
                    errors.push(Diagnostic::error("output", 0, 0, message));
                }
            }
            if let (Some(memo), Some(key), true) = (memo, key, errors.is_empty()) {
                memo.put(
                    &plan.slug,
                    Memoised {
                        key: (key.0.to_string(), key.1.to_string(), key.2.to_string()),
                        card: output.card.clone(),
                        warnings: output.warnings.clone(),
                        paths,
                    },
                );
            }
            (output.card, output.warnings, errors)
        })
        .collect();
    if let Some(memo) = memo {
        memo.keep_only(&order.iter().map(|p| p.slug.as_str()).collect());
    }
    let mut cards = Vec::with_capacity(rendered.len());
    for (card, warnings, errors) in rendered {
        out.errors.extend(errors);
        if keep_warnings {
            out.warnings.extend(warnings);
        }
        cards.push(card);
    }
    let here: HashSet<&str> = portfolio.plans.iter().map(|p| p.slug.as_str()).collect();
    let removed = portfolio
        .previous
        .map(|(_, plans)| {
            plans
                .iter()
                .filter(|p| !here.contains(p.slug.as_str()))
                .map(|p| p.title.clone())
                .collect()
        })
        .unwrap_or_default();
    let trend = burnup(
        &history::trend_points(&portfolio.weeks, None),
        "portfolio-burnup",
        "Portfolio burn-up",
    )
    .map(|chart| chart_view(&chart));
    let dashboard = DashboardView {
        page: PageView {
            root: up(depth),
            path: portfolio.prefix.clone(),
            canonical: canonical(site, &portfolio.prefix),
            title: match portfolio.snapshot {
                Some(week) => format!("{} · {week}", site.title),
                None => site.title.clone(),
            },
            description: portfolio_line(portfolio.plans, &cards),
            snapshot: portfolio
                .snapshot
                .map(|w| w.to_string())
                .unwrap_or_default(),
            current_href: format!("{}index.html", up(depth)),
            home: "index.html".into(),
        },
        totals: totals_view(portfolio.plans, &cards),
        cards,
        since,
        removed,
        trend,
        site: site.clone(),
    };
    out.page(
        input.theme,
        "index.html",
        &format!("{}index.html", portfolio.prefix),
        &dashboard,
    );
    order.iter().map(|p| p.slug.clone()).collect()
}

/// What every plan page of one portfolio shares.
struct PlanContext<'a> {
    input: &'a SiteInput<'a>,
    site: &'a SiteView,
    portfolio: &'a Portfolio<'a>,
    depth: usize,
    since: &'a str,
    previous: &'a HashMap<&'a str, &'a Plan>,
    current: &'a HashSet<&'a str>,
}

/// One plan's files, dashboard card and warnings.
struct PlanOutput {
    files: Vec<OutputFile>,
    card: CardView,
    warnings: Vec<Diagnostic>,
    error: Option<Diagnostic>,
}

/// Renders one plan's page, charts, model and calendar.
fn render_plan(ctx: &PlanContext<'_>, plan: &Plan) -> PlanOutput {
    let (input, site, portfolio, depth) = (ctx.input, ctx.site, ctx.portfolio, ctx.depth);
    let up = |levels: usize| "../".repeat(levels);
    let derived = derive(plan, portfolio.as_of);
    let before = portfolio
        .previous
        .map(|_| ctx.previous.get(plan.slug.as_str()).copied());
    let changes = history::changes_view(before, plan, ctx.since);
    let mut charts = plan_charts(plan, &derived);
    let points = history::trend_points(&portfolio.weeks, Some(&plan.slug));
    charts.extend(burnup(&points, "burnup", "Burn-up over the weeks"));
    charts.extend(budget_trend(&points, "budget-trend"));
    let schedule = schedule(plan, &derived, &input.config.thresholds);
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    let mut view = plan_view(
        plan,
        &derived,
        &charts,
        (input.config.raw_html, portfolio.sources),
        changes.clone(),
        (
            rag_view(&schedule),
            schedule_view(plan, &schedule, &plan.source),
        ),
        &mut warnings,
    );
    if portfolio.snapshot.is_some() {
        view.json_href.clear();
    }
    let path = format!("{}plans/{}/", portfolio.prefix, plan.slug);
    if let Some(ics) = milestones_ics(plan, &derived) {
        files.push(OutputFile {
            path: format!("{path}milestones.ics"),
            bytes: ics.into_bytes(),
        });
    }
    let page = PageView {
        root: up(depth + 2),
        path: path.clone(),
        canonical: canonical(site, &path),
        title: match portfolio.snapshot {
            Some(week) => format!("{} · {week} · {}", plan.title, site.title),
            None => format!("{} · {}", plan.title, site.title),
        },
        description: preview_line(plan, &derived),
        snapshot: portfolio
            .snapshot
            .map(|w| w.to_string())
            .unwrap_or_default(),
        current_href: if ctx.current.contains(plan.slug.as_str()) {
            format!("{}plans/{}/index.html", up(depth + 2), plan.slug)
        } else {
            String::new()
        },
        home: "../../index.html".into(),
    };
    let view = PlanPageView {
        site: site.clone(),
        page,
        plan: view,
    };
    // Room for the page around its charts, so the output never grows.
    let room = 64 * 1024 + charts.iter().map(|c| c.inline_svg.len()).sum::<usize>();
    let error = match render(input.theme, "plan.html", &view, room) {
        Ok(html) => {
            files.push(OutputFile {
                path: format!("{path}index.html"),
                bytes: html,
            });
            None
        }
        Err(e) => Some(e),
    };
    // Compact: the model is for tools; `plansite model` prints it pretty.
    // Only for the current plans: an archived week holds its pages (its
    // sources are in the archive), and a calendar beside a dated one.
    if portfolio.snapshot.is_none() {
        let mut json = Vec::with_capacity(32 * 1024);
        if serde_json::to_writer(&mut json, plan).is_err() {
            json.clear();
        }
        json.push(b'\n');
        files.push(OutputFile {
            path: format!("{path}plan.json"),
            bytes: json,
        });
    }
    let mut card = card_view(plan, &derived, warnings.len(), rag_view(&schedule));
    card.changes = if ctx.since.is_empty() {
        String::new()
    } else {
        changes.summary.clone()
    };
    PlanOutput {
        files,
        card,
        warnings,
        error,
    }
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

fn canonical(site: &SiteView, path: &str) -> String {
    if site.absolute_base.is_empty() {
        String::new()
    } else {
        format!("{}{path}", site.absolute_base)
    }
}

/// `404.html` is served at any depth, so its links start from the site's
/// base: absolute when known, else the base path (`/repo/`).
fn not_found_root(config: &Config, site: &SiteView) -> String {
    if !site.absolute_base.is_empty() {
        return site.absolute_base.clone();
    }
    let base = config.base_url.trim();
    if base.starts_with('/') {
        with_slash(base)
    } else {
        "/".into()
    }
}

/// One line for link previews: progress, budget, decision.
fn preview_line(plan: &Plan, derived: &Derived) -> String {
    let (done, total, unit) = super::plan_page::done_of(plan);
    let mut parts = vec![format!(
        "{}% done ({done} of {total} {unit})",
        percent(done, total),
    )];
    let (budget, detail) = budget_line(derived);
    if !budget.is_empty() {
        parts.push(if detail.is_empty() {
            format!("budget {budget}")
        } else {
            format!("budget {budget} {detail}")
        });
    }
    if let Some(d) = decision_view(plan) {
        parts.push(format!(
            "decision: {}{}",
            d.text,
            if d.open { " (open)" } else { "" }
        ));
    }
    if let Some(summary) = &plan.meta.summary {
        parts.insert(0, summary.clone());
    }
    parts.join(" · ")
}

fn portfolio_line(plans: &[Plan], cards: &[CardView]) -> String {
    let done: usize = plans.iter().map(|p| p.progress.done).sum();
    let total: usize = plans.iter().map(|p| p.progress.total).sum();
    format!(
        "{} plans · {}% of {} tasks done",
        cards.len(),
        percent(done, total),
        total
    )
}

fn card_view(plan: &Plan, derived: &Derived, render_warnings: usize, rag: RagView) -> CardView {
    let (budget, budget_detail) = budget_line(derived);
    CardView {
        slug: plan.slug.clone(),
        href: format!("plans/{}/index.html", plan.slug),
        title: plan.title.clone(),
        summary: plan.meta.summary.clone().unwrap_or_default(),
        status: plan.meta.status.clone().unwrap_or_default(),
        decision: decision_view(plan),
        percent: percent(plan.progress.done, plan.progress.total),
        done: plan.progress.done,
        total: plan.progress.total,
        budget,
        budget_detail,
        phases_complete: plan
            .phases
            .iter()
            .filter(|p| p.status == PhaseStatus::Complete)
            .count(),
        phases: plan.phases.len(),
        phase_now: phase_now(plan, derived),
        warnings: plan.diagnostics.len() + render_warnings,
        changes: String::new(),
        rag,
    }
}

fn totals_view(plans: &[Plan], cards: &[CardView]) -> TotalsView {
    let done = plans.iter().map(|p| p.progress.done).sum();
    let total = plans.iter().map(|p| p.progress.total).sum();
    let budgets = crate::parse::money::totals_by_currency(
        plans
            .iter()
            .filter_map(|p| crate::derive::budget_figures(p).current),
    );
    let count = |level: &str| cards.iter().filter(|c| c.rag.level == level).count();
    TotalsView {
        plans: plans.len(),
        green: count("green"),
        amber: count("amber"),
        red: count("red"),
        unrated: count("unrated"),
        done,
        total,
        percent: percent(done, total),
        phases_complete: cards.iter().map(|c| c.phases_complete).sum(),
        phases: cards.iter().map(|c| c.phases).sum(),
        budgets: budgets.iter().map(Money::display).collect(),
        warnings: cards.iter().map(|c| c.warnings).sum(),
        decisions_open: cards
            .iter()
            .filter(|c| c.decision.as_ref().is_some_and(|d| d.open))
            .count(),
    }
}

#[derive(Serialize)]
struct Simple {
    site: SiteView,
    page: PageView,
    urls: Vec<String>,
}
