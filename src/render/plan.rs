//! One plan's files: its report page (charts inline), its JSON model, its
//! milestones as a calendar, its link-preview card (`card.png`, current
//! plans only), and its card for the dashboard.

use super::cards::{card_file, image_url, plan_alt, plan_card_path, plan_svg, SITE_CARD};
use super::history;
use super::outlook;
use super::page::{canonical, render as render_template, up, Portfolio, SiteInput};
use super::plan_page::{budget_line, budget_note, plan_view, PlanParts};
use super::schedule_view::{milestones_ics, rag_view, schedule_view};
use super::views::*;
use crate::charts::plan_charts;
use crate::charts::trend::{budget_trend, burnup};
use crate::derive::schedule::schedule;
use crate::derive::{derive, Derived};
use crate::diagnostic::Diagnostic;
use crate::error::ExitKind;
use crate::model::plan::{PhaseStatus, Plan};
use crate::output::OutputFile;
use std::collections::{HashMap, HashSet};

/// What every plan page of one portfolio shares.
pub(super) struct PlanContext<'a> {
    pub input: &'a SiteInput<'a>,
    pub site: &'a SiteView,
    pub portfolio: &'a Portfolio<'a>,
    /// How many folders deep the portfolio's dashboard is.
    pub depth: usize,
    /// The week changes are counted from (`""` without one).
    pub since: &'a str,
    pub previous: &'a HashMap<&'a str, &'a Plan>,
    /// The current site's slugs: an archived page links to its plan's
    /// current page when there is one.
    pub current: &'a HashSet<&'a str>,
}

/// One plan's files, dashboard card and warnings.
pub(super) struct PlanOutput {
    pub files: Vec<OutputFile>,
    pub card: CardView,
    pub warnings: Vec<Diagnostic>,
    pub error: Option<(ExitKind, Diagnostic)>,
}

/// Renders one plan's page, charts, model and calendar.
pub(super) fn render(ctx: &PlanContext<'_>, plan: &Plan) -> PlanOutput {
    let (input, portfolio) = (ctx.input, ctx.portfolio);
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
    let forecast = outlook::forecast_view(&portfolio.weeks, plan, &derived, portfolio.as_of);
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    let parts = PlanParts {
        derived: &derived,
        charts,
        raw_html: input.config.raw_html,
        sources: portfolio.sources,
        changes: changes.clone(),
        rag: rag_view(&schedule),
        schedule: schedule_view(plan, &schedule, &plan.source),
        forecast: forecast.clone(),
    };
    let mut view = plan_view(plan, parts, &mut warnings);
    let milestones = outlook::milestone_trend(&portfolio.weeks, &plan.slug);
    view.charts.extend(milestones);
    // A protected site has no JSON model or calendar: the programs that
    // read them cannot unlock them.
    if portfolio.snapshot.is_some() || input.protected() {
        view.json_href.clear();
    }
    if input.protected() {
        view.schedule.ics_href.clear();
    }
    // The plan's folder: its slug, or its opaque name on a protected site.
    let folder = input.folder(&plan.slug);
    let path = format!("{}plans/{folder}/", portfolio.prefix);
    if let Some(ics) = milestones_ics(plan, &derived).filter(|_| !input.protected()) {
        files.push(OutputFile {
            path: format!("{path}milestones.ics"),
            bytes: ics.into_bytes(),
        });
    }
    let mut card = card_view(plan, &folder, &derived, warnings.len(), rag_view(&schedule));
    // The dashboard row names a forecast, or that there can be none; how
    // many more snapshots one needs is said on the plan's page.
    if !["no_tasks", "too_few"].contains(&forecast.kind.as_str()) {
        card.forecast = forecast.line;
    }
    card.changes = if ctx.since.is_empty() {
        String::new()
    } else {
        changes.summary
    };
    let mut page = page_view(ctx, plan, &derived, &path, &folder);
    if input.config.cards {
        preview(ctx, plan, &card, &mut page, &mut files, &mut warnings);
    }
    let view = PlanPageView {
        site: ctx.site.clone(),
        page,
        plan: view,
    };
    // Room for the page around its charts, so the output never grows.
    let room = 64 * 1024
        + view
            .plan
            .charts
            .iter()
            .map(|c| c.svg.len() + c.narrow_svg.len())
            .sum::<usize>();
    let error = match render_template(input.theme, "plan.html", &view, room) {
        Ok(html) => {
            files.push(OutputFile {
                path: format!("{path}index.html"),
                bytes: html,
            });
            None
        }
        Err(e) => Some((ExitKind::Usage, e)),
    };
    // Only for the current plans: an archived week holds its pages (its
    // sources are in the archive), and a calendar beside a dated one.
    if portfolio.snapshot.is_none() && !input.protected() {
        files.push(model_file(plan, &path));
    }
    PlanOutput {
        files,
        card,
        warnings,
        error,
    }
}

/// The page's link preview: a current plan's own card (drawn, or kept
/// from the last build), or on an archived page the current card of the
/// plan (the dashboard's when the plan is gone): archived weeks have no
/// cards of their own.
fn preview(
    ctx: &PlanContext<'_>,
    plan: &Plan,
    card: &CardView,
    page: &mut PageView,
    files: &mut Vec<OutputFile>,
    warnings: &mut Vec<Diagnostic>,
) {
    let own = plan_card_path(&plan.slug);
    if ctx.portfolio.snapshot.is_none() {
        let svg = plan_svg(ctx.site, plan, card);
        files.extend(card_file(ctx.input, own.clone(), &svg, warnings));
        page.image = image_url(ctx.input, ctx.site, &own);
        page.image_alt = plan_alt(plan, card);
    } else if ctx.current.contains(plan.slug.as_str()) {
        page.image = image_url(ctx.input, ctx.site, &own);
        page.image_alt = format!("{}: its current status", plan.title);
    } else {
        page.image = image_url(ctx.input, ctx.site, SITE_CARD);
        page.image_alt = format!("{}: the current portfolio", ctx.site.title);
    }
}

/// What the page says about itself: where it is, its title and preview.
/// `path` is where the page is, `folder` the name of the plan's folder.
fn page_view(
    ctx: &PlanContext<'_>,
    plan: &Plan,
    derived: &Derived,
    path: &str,
    folder: &str,
) -> PageView {
    let (site, portfolio, depth) = (ctx.site, ctx.portfolio, ctx.depth);
    PageView {
        root: up(depth + 2),
        path: path.to_string(),
        canonical: canonical(site, path),
        title: match portfolio.snapshot {
            Some(week) => format!("{} · {week} · {}", plan.title, site.title),
            None => format!("{} · {}", plan.title, site.title),
        },
        description: preview_line(plan, derived),
        snapshot: portfolio
            .snapshot
            .map(|w| w.to_string())
            .unwrap_or_default(),
        current_href: if ctx.current.contains(plan.slug.as_str()) {
            format!("{}plans/{folder}/index.html", up(depth + 2))
        } else {
            String::new()
        },
        home: "../../index.html".into(),
        image: String::new(),
        image_alt: String::new(),
    }
}

/// The plan's model beside its page, compact: it is for tools (`plansite
/// model` prints it pretty).
fn model_file(plan: &Plan, path: &str) -> OutputFile {
    let mut json = Vec::with_capacity(32 * 1024);
    if serde_json::to_writer(&mut json, plan).is_err() {
        json.clear();
    }
    json.push(b'\n');
    OutputFile {
        path: format!("{path}plan.json"),
        bytes: json,
    }
}

/// A plan's card on the dashboard; `folder` is the name of its folder.
fn card_view(
    plan: &Plan,
    folder: &str,
    derived: &Derived,
    render_warnings: usize,
    rag: RagView,
) -> CardView {
    let (budget, budget_detail) = budget_line(derived);
    CardView {
        slug: plan.slug.clone(),
        href: format!("plans/{folder}/index.html"),
        title: plan.title.clone(),
        summary: plan.meta.summary.clone().unwrap_or_default(),
        status: plan.meta.status.clone().unwrap_or_default(),
        decision: decision_view(plan),
        percent: percent(plan.progress.done, plan.progress.total),
        done: plan.progress.done,
        total: plan.progress.total,
        budget,
        budget_detail,
        budget_note: budget_note(derived),
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
        owner: plan.meta.owner.clone().unwrap_or_default(),
        tags: plan.meta.tags.clone(),
        tag_keys: String::new(),
        milestone: super::dashboard::milestone_view(plan, derived),
        forecast: String::new(),
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
