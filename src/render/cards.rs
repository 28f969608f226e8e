//! Link-preview cards: which cards the site has, what each shows, and the
//! address every page's `og:image` gives. The current site has one card
//! per plan (`plans/<slug>/card.png`) and one for the dashboard
//! (`card.png`); archived weeks have none (their pages name the current
//! card of their plan, or the dashboard's when the plan is gone: a card
//! says the week it is of). The drawing is `charts::card`'s, the pixels
//! `raster`'s; whether a card of the last build can be kept is the
//! store's (`CardStore`, which `site` implements), so the render never
//! imports `site`.

use super::page::{with_slash, SiteInput};
use super::views::{CardView, SiteView, TotalsView};
use crate::archive::WeekKey;
use crate::charts::card::{plan_card, portfolio_card, PlanCard, PortfolioCard, HEIGHT, WIDTH};
use crate::diagnostic::Diagnostic;
use crate::model::plan::Plan;
use crate::output::OutputFile;

/// The dashboard's card, at the site's root.
pub(super) const SITE_CARD: &str = "card.png";

/// The cards of the last build, for the cards whose drawing has not
/// changed: keeping one is cheaper than drawing it again.
pub trait CardStore: Sync {
    /// Puts the last build's card at `path` into the new site if it was
    /// drawn from the same `svg`; true if it did (nothing to draw).
    fn reuse(&self, path: &str, svg: &str) -> bool;
    /// Notes the card drawn at `path` from `svg` (`bytes` long), for the
    /// next build.
    fn drawn(&self, path: &str, svg: &str, bytes: usize);
}

/// Where a plan's card is.
pub(super) fn plan_card_path(slug: &str) -> String {
    format!("plans/{slug}/card.png")
}

/// The address `og:image` gives for the card at `path`: absolute when
/// the base URL is, else from the domain root (`/repo/card.png`; link
/// previews need an absolute one). Empty when cards are off.
pub(super) fn image_url(input: &SiteInput<'_>, site: &SiteView, path: &str) -> String {
    if !input.config.cards {
        return String::new();
    }
    if !site.absolute_base.is_empty() {
        return format!("{}{path}", site.absolute_base);
    }
    let base = input.config.base_url.trim();
    let base = if base.starts_with('/') { base } else { "/" };
    format!("{}{path}", with_slash(base))
}

/// The card at `path` drawn from `svg`: `None` when the store kept the
/// last build's (or drawing failed: then a warning says so, and the page
/// names an image that is missing, which previews show as none).
pub(super) fn card_file(
    input: &SiteInput<'_>,
    path: String,
    svg: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Option<OutputFile> {
    if input.cards.is_some_and(|store| store.reuse(&path, svg)) {
        return None;
    }
    match crate::raster::png(svg, WIDTH, HEIGHT) {
        Ok(bytes) => {
            if let Some(store) = input.cards {
                store.drawn(&path, svg, bytes.len());
            }
            Some(OutputFile { path, bytes })
        }
        Err(why) => {
            warnings.push(Diagnostic::warning(
                &path,
                0,
                0,
                format!("the link-preview card was not drawn: {why}"),
            ));
            None
        }
    }
}

/// The week a card is of, from the site's date (`2025-03-05` gives
/// `week of 2025-03-03`, its Monday); empty when there is no date.
fn week_of(as_of: &str) -> String {
    chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d")
        .map(|day| format!("week of {}", WeekKey::of(day).monday()))
        .unwrap_or_default()
}

/// A plan's card drawing, from its dashboard card.
pub(super) fn plan_svg(site: &SiteView, plan: &Plan, card: &CardView) -> String {
    let (done, total, unit) = super::plan_page::done_of(plan);
    let progress = if total == 0 {
        "no tasks or milestones to count".to_string()
    } else {
        format!("{done} of {total} {unit} done")
    };
    let reason = if card.rag.reason.is_empty() {
        "no reason given"
    } else {
        &card.rag.reason
    };
    plan_card(&PlanCard {
        site: &site.title,
        week: &week_of(&site.as_of),
        title: &plan.title,
        rag: card.rag.level,
        reason,
        percent: (total > 0).then(|| super::views::percent(done, total)),
        progress: &progress,
        budget: &card.budget,
        budget_detail: &card.budget_detail,
        // The dashboard row's forecast (a date, or that none can be made).
        forecast: &card.forecast,
        phase: &card.phase_now,
    })
}

/// The dashboard's card drawing, from its totals.
pub(super) fn portfolio_svg(site: &SiteView, totals: &TotalsView) -> String {
    let progress = if totals.total == 0 {
        "no tasks to count".to_string()
    } else {
        format!("{}% of {} tasks done", totals.percent, totals.total)
    };
    portfolio_card(&PortfolioCard {
        site: &site.title,
        week: &week_of(&site.as_of),
        plans: totals.plans,
        red: totals.red,
        amber: totals.amber,
        green: totals.green,
        unrated: totals.unrated,
        percent: (totals.total > 0).then_some(totals.percent),
        progress: &progress,
        budgets: &totals.budgets,
    })
}

/// What the card shows, in words, for `og:image:alt`.
pub(super) fn plan_alt(plan: &Plan, card: &CardView) -> String {
    let mut alt = format!("{}: {}", plan.title, card.rag.label);
    if !card.rag.reason.is_empty() {
        alt.push_str(&format!(" ({})", card.rag.reason));
    }
    let (done, total, unit) = super::plan_page::done_of(plan);
    if total > 0 {
        alt.push_str(&format!(", {done} of {total} {unit} done"));
    }
    if !card.budget.is_empty() {
        alt.push_str(&format!(", budget {}", card.budget));
    }
    alt
}

/// The dashboard card's words, for `og:image:alt`.
pub(super) fn portfolio_alt(site: &SiteView, totals: &TotalsView) -> String {
    let plans = match totals.plans {
        1 => "1 plan".to_string(),
        n => format!("{n} plans"),
    };
    format!(
        "{}: {plans}, {} red, {} amber, {} green, {} not rated",
        site.title, totals.red, totals.amber, totals.green, totals.unrated
    )
}
