//! Pages: the whole site as a list of files: the dashboard, a report, its
//! charts and its JSON model per plan, the stylesheet, `404.html`,
//! `sitemap.xml` and `.nojekyll`.

use super::markdown;
use super::theme::{flatten, Theme};
use super::views::*;
use crate::charts::{plan_charts, Chart};
use crate::config::{Config, RawHtml};
use crate::derive::{derive, Derived};
use crate::diagnostic::Diagnostic;
use crate::model::plan::{Phase, PhaseStatus, Plan, Prose, TableRecord};
use crate::parse::money::Money;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

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
}

/// Renders every page. Warnings (removed HTML, dropped links) come back
/// beside the files; a template error stops rendering.
pub fn render_site(
    input: &SiteInput<'_>,
) -> Result<(Vec<OutputFile>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    let site = site_view(input);
    let mut order: Vec<&Plan> = input.plans.iter().collect();
    order.sort_by(|a, b| {
        (a.meta.weight.unwrap_or(i64::MAX), &a.title, &a.slug).cmp(&(
            b.meta.weight.unwrap_or(i64::MAX),
            &b.title,
            &b.slug,
        ))
    });
    let mut cards = Vec::new();
    for plan in &order {
        let derived = derive(plan, input.as_of);
        let charts = plan_charts(plan, &derived);
        let mut plan_warnings = Vec::new();
        let view = plan_view(plan, &derived, &charts, input, &mut plan_warnings);
        let page = PageView {
            root: "../../".into(),
            path: format!("plans/{}/", plan.slug),
            canonical: canonical(&site, &format!("plans/{}/", plan.slug)),
            title: format!("{} · {}", plan.title, site.title),
            description: preview_line(plan, &derived),
        };
        let dir = format!("plans/{}", plan.slug);
        match render(
            input.theme,
            "plan.html",
            &PlanPageView {
                site: site.clone(),
                page,
                plan: view,
            },
        ) {
            Ok(html) => files.push(OutputFile {
                path: format!("{dir}/index.html"),
                bytes: html.into_bytes(),
            }),
            Err(e) => errors.push(e),
        }
        for chart in &charts {
            files.push(OutputFile {
                path: format!("{dir}/{}", chart.file_name()),
                bytes: chart.file_svg.clone().into_bytes(),
            });
        }
        let json = serde_json::to_string_pretty(plan).unwrap_or_default() + "\n";
        files.push(OutputFile {
            path: format!("{dir}/plan.json"),
            bytes: json.into_bytes(),
        });
        cards.push(card_view(plan, &derived, plan_warnings.len()));
        warnings.extend(plan_warnings);
    }
    let dashboard = DashboardView {
        page: PageView {
            root: String::new(),
            path: String::new(),
            canonical: canonical(&site, ""),
            title: site.title.clone(),
            description: portfolio_line(input.plans, &cards),
        },
        totals: totals_view(input.plans, &cards),
        cards,
        site: site.clone(),
    };
    match render(input.theme, "index.html", &dashboard) {
        Ok(html) => files.push(OutputFile {
            path: "index.html".into(),
            bytes: html.into_bytes(),
        }),
        Err(e) => errors.push(e),
    }
    let not_found = Simple {
        page: PageView {
            root: not_found_root(input.config, &site),
            path: "404.html".into(),
            canonical: String::new(),
            title: format!("Page not found · {}", site.title),
            description: site.description.clone(),
        },
        site: site.clone(),
        urls: Vec::new(),
    };
    match render(input.theme, "404.html", &not_found) {
        Ok(html) => files.push(OutputFile {
            path: "404.html".into(),
            bytes: html.into_bytes(),
        }),
        Err(e) => errors.push(e),
    }
    let base = if site.absolute_base.is_empty() {
        input.config.base_url.clone()
    } else {
        site.absolute_base.clone()
    };
    let urls = std::iter::once(String::new())
        .chain(order.iter().map(|p| format!("plans/{}/", p.slug)))
        .map(|path| format!("{}{path}", with_slash(&base)))
        .collect();
    match render(
        input.theme,
        "sitemap.xml",
        &Simple {
            page: not_found.page.clone(),
            site,
            urls,
        },
    ) {
        Ok(xml) => files.push(OutputFile {
            path: "sitemap.xml".into(),
            bytes: xml.into_bytes(),
        }),
        Err(e) => errors.push(e),
    }
    for (name, bytes) in &input.theme.statics {
        files.push(OutputFile {
            path: format!("assets/{name}"),
            bytes: bytes.clone(),
        });
    }
    files.push(OutputFile {
        path: ".nojekyll".into(),
        bytes: Vec::new(),
    });
    if errors.is_empty() {
        Ok((files, warnings))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::status_in_words;

    #[test]
    fn status_cells_carry_one_word() {
        assert_eq!(status_in_words("⏳", "Pending"), "⏳ Pending");
        assert_eq!(status_in_words("⚠️ At risk", "At risk"), "⚠️ At risk");
        assert_eq!(status_in_words("✅ Resolved", "Done"), "✅ Resolved (Done)");
        assert_eq!(
            status_in_words("on track", "In progress"),
            "on track (In progress)"
        );
        assert_eq!(status_in_words("Done", "Done"), "Done");
    }
}

#[derive(Serialize)]
struct Simple {
    site: SiteView,
    page: PageView,
    urls: Vec<String>,
}

fn render<T: Serialize>(theme: &Theme, template: &str, view: &T) -> Result<String, Diagnostic> {
    let context = tera::Context::from_serialize(view).map_err(|e| {
        Diagnostic::error(
            template,
            0,
            0,
            format!("template data: {}", flatten(&e.to_string())),
        )
    })?;
    theme
        .tera
        .render(template, &context)
        .map_err(|e| theme.diagnostic(&e))
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

fn budget_line(derived: &Derived) -> (String, String) {
    let b = &derived.budget;
    let main = money(b.current);
    let detail = match (b.original, b.actual) {
        (Some(original), _) => format!("revised, from {} original", original.display()),
        (None, Some(actual)) => format!("planned, {} spent", actual.display()),
        _ => String::new(),
    };
    (main, detail)
}

/// One line for link previews: progress, budget, decision.
fn preview_line(plan: &Plan, derived: &Derived) -> String {
    let mut parts = vec![format!(
        "{}% done ({} of {} tasks)",
        percent(plan.progress.done, plan.progress.total),
        plan.progress.done,
        plan.progress.total
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

fn card_view(plan: &Plan, derived: &Derived, render_warnings: usize) -> CardView {
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
    }
}

fn totals_view(plans: &[Plan], cards: &[CardView]) -> TotalsView {
    let done = plans.iter().map(|p| p.progress.done).sum();
    let total = plans.iter().map(|p| p.progress.total).sum();
    let mut budgets: Vec<Money> = Vec::new();
    for plan in plans {
        if let Some(m) = derive_current_budget(plan) {
            match budgets.iter_mut().find(|b| b.currency == m.currency) {
                Some(b) => b.minor = b.minor.saturating_add(m.minor),
                None => budgets.push(m),
            }
        }
    }
    TotalsView {
        plans: plans.len(),
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

fn derive_current_budget(plan: &Plan) -> Option<Money> {
    derive(plan, NaiveDate::MIN).budget.current
}

fn plan_view(
    plan: &Plan,
    derived: &Derived,
    charts: &[Chart],
    input: &SiteInput<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> PlanView {
    let raw = input.config.raw_html;
    let source = input.sources.get(&plan.display).map(String::as_str);
    let definitions = source.map(link_definitions).unwrap_or_default();
    let prose = |blocks: &[Prose], warnings: &mut Vec<Diagnostic>| {
        render_prose(blocks, &plan.display, raw, &definitions, warnings)
    };
    let phases = plan
        .phases
        .iter()
        .enumerate()
        .map(|(i, p)| phase_view(p, i, derived, prose(&p.notes, warnings)))
        .collect();
    let rest_html = prose(&plan.prose, warnings);
    let (budget_value, budget_detail) = budget_line(derived);
    let mut figures = vec![FigureView {
        label: "Done".into(),
        value: format!("{}%", percent(plan.progress.done, plan.progress.total)),
        detail: format!("{} of {} tasks", plan.progress.done, plan.progress.total),
    }];
    if !budget_value.is_empty() {
        figures.push(FigureView {
            label: "Budget".into(),
            value: budget_value,
            detail: budget_detail,
        });
    }
    if let Some(weeks) = derived.weeks.filter(|w| *w > 0) {
        figures.push(FigureView {
            label: "Length".into(),
            value: format!("{weeks} weeks"),
            detail: format!("{} phases", plan.phases.len()),
        });
    } else if !plan.phases.is_empty() {
        figures.push(FigureView {
            label: "Phases".into(),
            value: plan.phases.len().to_string(),
            detail: String::new(),
        });
    }
    figures.push(FigureView {
        label: "Open risks".into(),
        value: derived.open_risks.to_string(),
        detail: format!("{} in the register", plan.risks.len()),
    });
    let mut checks: Vec<CheckView> = plan
        .diagnostics
        .iter()
        .map(|d| check_view(d, source))
        .collect();
    checks.extend(warnings.iter().map(|d| check_view(d, source)));
    figures.push(FigureView {
        label: "Warnings".into(),
        value: checks.len().to_string(),
        detail: if checks.is_empty() {
            "figures agree".into()
        } else {
            "see Consistency checks".into()
        },
    });
    PlanView {
        slug: plan.slug.clone(),
        title: plan.title.clone(),
        summary: plan.meta.summary.clone().unwrap_or_default(),
        status: plan.meta.status.clone().unwrap_or_default(),
        owner: plan.meta.owner.clone().unwrap_or_default(),
        revised_by: plan.meta.revised_by.clone().unwrap_or_default(),
        approved_by: plan.meta.approved_by.clone().unwrap_or_default(),
        date: plan.meta.date.clone().unwrap_or_default(),
        tags: plan.meta.tags.clone(),
        decision: decision_view(plan),
        figures,
        charts: charts.iter().map(chart_view).collect(),
        phases,
        groups: plan
            .groups
            .iter()
            .map(|g| GroupView {
                name: g.name.clone().unwrap_or_default(),
                tasks: tasks_view(&g.tasks),
            })
            .collect(),
        budget: budget_table(plan),
        risks: records_table(&plan.risks),
        metrics: records_table(&plan.metrics),
        facts: plan
            .facts
            .iter()
            .map(|f| FactView {
                key: f.key.clone(),
                value: f.value.clone(),
            })
            .collect(),
        checks,
        rest_html,
        json_href: "plan.json".into(),
        source: plan.source.clone(),
        extra: serde_json::Value::Object(plan.meta.extra.clone()),
    }
}

fn chart_view(chart: &Chart) -> ChartView {
    ChartView {
        id: chart.id.clone(),
        title: chart.title.clone(),
        description: chart.description.clone(),
        file: chart.file_name(),
        svg: chart.inline_svg.clone(),
        table: TableView {
            columns: chart.columns.clone(),
            numeric: chart.numeric.clone(),
            rows: chart
                .rows
                .iter()
                .map(|cells| RowView {
                    cells: cells.clone(),
                    status: String::new(),
                    status_label: String::new(),
                })
                .collect(),
            total: None,
        },
    }
}

fn phase_view(phase: &Phase, index: usize, derived: &Derived, notes_html: String) -> PhaseView {
    let dates = derived
        .dates
        .get(index)
        .copied()
        .flatten()
        .map(|(from, to)| format!("{} – {}", from.format("%-d %b %Y"), to.format("%-d %b %Y")))
        .unwrap_or_default();
    PhaseView {
        anchor: format!("phase-{}", index + 1),
        label: phase.label.clone(),
        title: phase.title.clone(),
        span: span_text(&phase.span),
        dates,
        duration: phase
            .duration
            .map(|d| {
                format!(
                    "{} {}{}",
                    d.value,
                    d.unit.name(),
                    if d.value == 1.0 { "" } else { "s" }
                )
            })
            .unwrap_or_default(),
        budget: phase
            .budget
            .as_ref()
            .map(|b| b.amount.display())
            .unwrap_or_default(),
        budget_note: phase
            .budget
            .as_ref()
            .and_then(|b| b.note.clone())
            .unwrap_or_default(),
        status: phase_status_class(phase.status).into(),
        status_label: phase.status.label().into(),
        current: derived.current == Some(index),
        percent: percent(phase.progress.done, phase.progress.total),
        done: phase.progress.done,
        total: phase.progress.total,
        groups: phase
            .groups
            .iter()
            .map(|g| GroupView {
                name: g.name.clone().unwrap_or_default(),
                tasks: tasks_view(&g.tasks),
            })
            .collect(),
        criteria: phase
            .criteria
            .iter()
            .map(|c| CriteriaView {
                name: c.name.clone(),
                items: c
                    .items
                    .iter()
                    .map(|i| {
                        let (class, label) = criterion_label(i.status);
                        CriterionView {
                            text: i.text.clone(),
                            status: class.into(),
                            status_label: label.into(),
                        }
                    })
                    .collect(),
            })
            .collect(),
        facts: phase
            .facts
            .iter()
            .map(|f| FactView {
                key: f.key.clone(),
                value: f.value.clone(),
            })
            .collect(),
        notes_html,
    }
}

fn budget_table(plan: &Plan) -> Option<TableView> {
    let table = plan.budget.table.as_ref()?;
    let variance = variance_columns(table);
    let mut columns = vec!["Phase".to_string()];
    columns.extend(table.columns.iter().map(|c| title_case(c)));
    if variance.is_some() {
        columns.push("Variance".into());
    }
    let numeric = columns.iter().enumerate().map(|(i, _)| i > 0).collect();
    let row_cells = |name: &str, values: &[(String, Option<Money>)]| {
        let mut cells = vec![name.to_string()];
        cells.extend(values.iter().map(|(_, m)| money(*m)));
        if let Some((current, baseline)) = &variance {
            let get = |c: &str| values.iter().find(|(k, _)| k == c).and_then(|(_, m)| *m);
            cells.push(match (get(current), get(baseline)) {
                (Some(a), Some(b)) if a.currency == b.currency => {
                    signed(Money::new(a.minor - b.minor, a.currency))
                }
                _ => String::new(),
            });
        }
        RowView {
            cells,
            status: String::new(),
            status_label: String::new(),
        }
    };
    Some(TableView {
        columns,
        numeric,
        rows: table
            .rows
            .iter()
            .map(|r| row_cells(&r.phase, &r.values))
            .collect(),
        total: table.total.as_ref().map(|t| row_cells("Total", t)),
    })
}

/// The pair a variance is computed from: revised against original, or
/// actual against planned. `None` when the table has its own Change or
/// Variance column already (it is shown as written).
fn variance_columns(table: &crate::model::plan::BudgetTable) -> Option<(String, String)> {
    let has = |word: &str| {
        table
            .columns
            .iter()
            .find(|c| c.split(' ').any(|w| w == word))
            .cloned()
    };
    if has("change").is_some() || has("variance").is_some() {
        return None;
    }
    match (
        has("revised").or_else(|| has("forecast")),
        has("original"),
        has("actual").or_else(|| has("spent")),
        has("planned").or_else(|| has("budget")),
    ) {
        (Some(r), Some(o), _, _) => Some((r, o)),
        (_, _, Some(a), Some(p)) => Some((a, p)),
        _ => None,
    }
}

fn signed(m: Money) -> String {
    if m.minor > 0 {
        format!("+{}", m.display())
    } else {
        m.display()
    }
}

fn records_table(records: &[TableRecord]) -> Option<TableView> {
    let first = records.first()?;
    let columns: Vec<String> = first.cells.iter().map(|(k, _)| title_case(k)).collect();
    let numeric = vec![false; columns.len()];
    let rows = records
        .iter()
        .map(|r| {
            let (class, label) = r.status.map(status_label).unwrap_or(("", ""));
            let mut cells: Vec<String> = r.cells.iter().map(|(_, v)| v.clone()).collect();
            if let (Some(index), false) = (
                r.cells.iter().position(|(k, _)| k == "status"),
                label.is_empty(),
            ) {
                cells[index] = status_in_words(&cells[index], label);
            }
            RowView {
                cells,
                status: class.into(),
                status_label: label.into(),
            }
        })
        .collect();
    Some(TableView {
        columns,
        numeric,
        rows,
        total: None,
    })
}

/// A status cell that always carries a word: `⏳` becomes `⏳ Pending`,
/// `✅ Resolved` becomes `✅ Resolved (Done)`, `At risk` stays as written.
fn status_in_words(written: &str, label: &str) -> String {
    let written = written.trim();
    let words = crate::parse::status::strip_marks(written);
    if words.is_empty() {
        format!("{written} {label}").trim().to_string()
    } else if words.to_lowercase().contains(&label.to_lowercase()) {
        written.to_string()
    } else {
        format!("{written} ({label})")
    }
}

fn title_case(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Link reference definitions of the whole document, so that prose blocks
/// rendered one by one still resolve `[text][ref]`.
fn link_definitions(source: &str) -> String {
    static DEFINITION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^ {0,3}\[[^\]]+\]:\s*\S+").expect("valid regex")
    });
    source
        .lines()
        .filter(|l| DEFINITION.is_match(l))
        .map(|l| format!("{l}\n"))
        .collect()
}

fn render_prose(
    blocks: &[Prose],
    file: &str,
    raw: RawHtml,
    definitions: &str,
    warnings: &mut Vec<Diagnostic>,
) -> String {
    let mut html = String::new();
    for block in blocks {
        let text = if definitions.is_empty() {
            block.markdown.clone()
        } else {
            format!("{}\n\n{definitions}", block.markdown)
        };
        html.push_str(&markdown::render(&text, file, block.line, raw, warnings));
    }
    html
}
