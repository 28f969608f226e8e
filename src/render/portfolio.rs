//! A portfolio: one dashboard with its plan pages, for the current site or
//! for a week of the archive under its prefix. Plans are rendered in
//! parallel (`plan`), then the dashboard gathers their cards.

use super::cards::{image_url, portfolio_alt, SITE_CARD};
use super::dashboard;
use super::history;
use super::memo::Remembered;
use super::page::Portfolio;
use super::page::{canonical, output_error, up, Out, SiteInput};
use super::plan::{self, PlanContext, PlanOutput};
use super::plan_page::chart_view;
use super::views::*;
use crate::charts::trend::burnup;
use crate::config::GroupBy;
use crate::derive::schedule::Rag;
use crate::diagnostic::Diagnostic;
use crate::error::ExitKind;
use crate::model::plan::Plan;
use crate::parse::money::Money;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// One plan as the dashboard gathers it: its card, its warnings, and the
/// errors that stopped it.
type Gathered = (CardView, Vec<Diagnostic>, Vec<(ExitKind, Diagnostic)>);

/// Renders a dashboard and its plan pages; returns the slugs in dashboard
/// order and the dashboard's totals (its card shows them). Only the current site's warnings are kept: an archived week was
/// checked when it was current.
pub(super) fn render(
    input: &SiteInput<'_>,
    site: &SiteView,
    portfolio: &Portfolio<'_>,
    out: &mut Out<'_>,
) -> (Vec<String>, TotalsView) {
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
        depth: portfolio.prefix.matches('/').count(),
        since: &since,
        previous: &previous,
        current: &current,
    };
    let rendered = render_plans(&context, &order, out.sink);
    let mut cards = Vec::with_capacity(rendered.len());
    for (card, warnings, errors) in rendered {
        for (kind, error) in errors {
            out.fail(kind, error);
        }
        if portfolio.snapshot.is_none() {
            out.warnings.extend(warnings);
        }
        cards.push(card);
    }
    let dashboard = dashboard_view(&context, cards);
    out.page(
        input.theme,
        "index.html",
        &format!("{}index.html", portfolio.prefix),
        &dashboard,
    );
    (
        order.iter().map(|p| p.slug.clone()).collect(),
        dashboard.totals,
    )
}

/// Renders the plans, each handing its files to the sink at once. Plans
/// are independent until the dashboard, so they are rendered in parallel;
/// cards and warnings come back in dashboard order, so the output never
/// depends on timing. Only the current site is memoised (archived weeks
/// are fixed): a plan the memo holds is not rendered again.
fn render_plans(
    ctx: &PlanContext<'_>,
    order: &[&Plan],
    sink: crate::output::Sink<'_>,
) -> Vec<Gathered> {
    let memo = ctx.input.memo.filter(|_| ctx.portfolio.snapshot.is_none());
    let sources = ctx.portfolio.sources;
    let gathered = order
        .par_iter()
        .map(|plan| {
            if let Some(hit) = memo.and_then(|m| m.recall(plan, sources)) {
                return (hit.card, hit.warnings, Vec::new());
            }
            let output = contained(ctx, plan);
            let mut errors: Vec<(ExitKind, Diagnostic)> = output.error.into_iter().collect();
            let paths: Vec<String> = output.files.iter().map(|f| f.path.clone()).collect();
            for file in output.files {
                if let Err(message) = sink(file) {
                    errors.push((ExitKind::Content, output_error(message)));
                }
            }
            if let (Some(memo), true) = (memo, errors.is_empty()) {
                let remembered = Remembered {
                    card: output.card.clone(),
                    warnings: output.warnings.clone(),
                };
                memo.remember(plan, sources, remembered, paths);
            }
            (output.card, output.warnings, errors)
        })
        .collect();
    if let Some(memo) = memo {
        memo.keep_only(&order.iter().map(|p| p.slug.as_str()).collect());
    }
    gathered
}

/// One plan rendered, a panic on the way becoming its error (exit 1): the
/// other plans are still rendered.
fn contained(ctx: &PlanContext<'_>, plan: &Plan) -> PlanOutput {
    crate::guard::contain(|| {
        crate::guard::injected("render", &plan.slug);
        plan::render(ctx, plan)
    })
    .unwrap_or_else(|panic| PlanOutput {
        files: Vec::new(),
        card: CardView::default(),
        warnings: Vec::new(),
        error: Some((
            ExitKind::Content,
            Diagnostic::error(
                &plan.display,
                0,
                0,
                crate::guard::message("rendering", &panic),
            ),
        )),
    })
}

/// The dashboard: totals, the table of plans (in its default order, in
/// groups when site.toml asks), what went since the last snapshot, and
/// the portfolio's burn-up.
fn dashboard_view(ctx: &PlanContext<'_>, mut cards: Vec<CardView>) -> DashboardView {
    let (site, portfolio, depth) = (ctx.site, ctx.portfolio, ctx.depth);
    dashboard::table_order(&mut cards);
    let (owners, tags) = dashboard::filter_choices(&mut cards);
    let group_by = ctx.input.config.group_by;
    let groups = dashboard::groups(&cards, group_by, &owners, &tags);
    let unrated_reason = dashboard::shared_unrated_reason(&cards);
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
    .map(chart_view);
    let totals = totals_view(portfolio.plans, &cards);
    DashboardView {
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
            // The current dashboard's card, from an archived one too.
            image: image_url(ctx.input, site, SITE_CARD),
            image_alt: if portfolio.snapshot.is_some() {
                format!("{}: the current portfolio", site.title)
            } else {
                portfolio_alt(site, &totals)
            },
        },
        totals,
        cards,
        group_by: match group_by {
            GroupBy::None => String::new(),
            GroupBy::Owner => "owner".into(),
            GroupBy::Tags => "tags".into(),
        },
        groups,
        owners,
        tags,
        unrated_reason,
        since: ctx.since.to_string(),
        removed,
        trend,
        site: site.clone(),
    }
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

fn totals_view(plans: &[Plan], cards: &[CardView]) -> TotalsView {
    let done = plans.iter().map(|p| p.progress.done).sum();
    let total = plans.iter().map(|p| p.progress.total).sum();
    let budgets = crate::parse::money::totals_by_currency(
        plans
            .iter()
            .filter_map(|p| crate::derive::budget_figures(p).current),
    );
    let count = |level: Rag| cards.iter().filter(|c| c.rag.level == level).count();
    TotalsView {
        plans: plans.len(),
        green: count(Rag::Green),
        amber: count(Rag::Amber),
        red: count(Rag::Red),
        unrated: count(Rag::Unrated),
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
