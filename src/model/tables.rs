//! Tables: recognising budget summaries, risk registers and metrics tables
//! by their header names, and reading their cells.

use crate::diagnostic::{column_of, Diagnostic};
use crate::model::plan::{BudgetRow, BudgetTable, Phase, TableRecord};
use crate::parse::money::{self, Currency, Money};
use crate::parse::outline::Row;
use crate::parse::span::{parse_cell, Unit};
use crate::parse::status::{parse_status, strip_marks};

/// A budget summary as the document holds it, before its cells are read.
#[derive(Debug, Clone)]
pub struct BudgetSummary {
    /// The line of its header.
    pub line: usize,
    pub header: Vec<String>,
    pub rows: Vec<Row>,
    /// The column naming the rows' phases.
    pub phase_column: usize,
}

/// The file a table is read from, for the warnings about its cells: its
/// name and its lines.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    pub file: &'a str,
    pub lines: &'a [&'a str],
}

/// What a table is, by its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    Budget { phase_column: usize },
    Risks,
    Metrics,
    Other,
}

const PHASE_HEADERS: &[&str] = &[
    "phase",
    "sprint",
    "milestone",
    "item",
    "week",
    "weeks",
    "stage",
    "period",
    "line item",
    "deliverable",
    "workstream",
];

const MONEY_HEADERS: &[&str] = &[
    "original", "revised", "planned", "plan", "budget", "actual", "spent", "forecast", "change",
    "variance", "cost", "amount", "total", "estimate", "value", "payment", "funding", "price",
];

/// Header words naming a risk, in the languages plans are written in.
const RISK_WORDS: &[&str] = &[
    "risk", "risks", "risco", "riscos", "riesgo", "riesgos", "risiko", "risiken", "risque",
    "risques", "rischio", "rischi",
];

/// First headers of a probability or impact scale.
const SCALE_HEADERS: &[&str] = &[
    "probability",
    "likelihood",
    "impact",
    "severity",
    "probabilidade",
    "probabilidad",
    "impacto",
    "wahrscheinlichkeit",
    "auswirkung",
    "probabilité",
    "gravité",
    "probabilità",
    "概率",
    "可能性",
    "影响",
    "影響",
];

/// Order of preference for the column that states the current budget.
const CURRENT_ORDER: &[&str] = &[
    "revised", "forecast", "budget", "planned", "plan", "cost", "estimate", "amount", "original",
    "total", "value", "payment", "funding",
];

/// A column of rates (`Weekly Cost`, `Hourly Rate`) or running totals
/// (`Cumulative`): its cells do not add up to a total.
pub fn is_summable(key: &str) -> bool {
    const NOT: &[&str] = &[
        "weekly",
        "monthly",
        "daily",
        "hourly",
        "rate",
        "per",
        "cumulative",
        "running",
        "%",
        "percent",
        "share",
    ];
    !key.split(|c: char| !c.is_alphanumeric() && c != '%')
        .any(|word| NOT.contains(&word))
}

/// The column holding a cost breakdown's figures: a money column that is
/// not a rate or a running total (`Cost`, `Total (EUR)`, not `Hourly
/// Rate`), by `CURRENT_ORDER`, among those `has_money` says hold amounts.
pub fn cost_column(keys: &[String], has_money: impl Fn(usize) -> bool) -> Option<usize> {
    let candidates: Vec<usize> = (0..keys.len())
        .filter(|&i| is_money_header(&keys[i]) && is_summable(&keys[i]) && has_money(i))
        .collect();
    CURRENT_ORDER
        .iter()
        .find_map(|word| {
            candidates.iter().copied().find(|&i| {
                keys[i]
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == *word)
            })
        })
        .or(candidates.first().copied())
}

/// Header text as a key: plain, lower case, single-spaced.
pub fn header_key(header: &str) -> String {
    crate::parse::single_spaced(&strip_marks(header).to_lowercase())
}

fn is_money_header(key: &str) -> bool {
    key.split(|c: char| !c.is_alphanumeric())
        .any(|word| MONEY_HEADERS.contains(&word))
}

/// Classifies a table by its headers (and, for budgets, by its cells).
pub fn classify(header: &[String], rows: &[Row], dollar: Currency) -> TableKind {
    let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    let phase_column = keys
        .iter()
        .position(|k| PHASE_HEADERS.contains(&k.as_str()));
    if let Some(phase_column) = phase_column {
        let money_columns: Vec<usize> = (0..keys.len())
            .filter(|&i| i != phase_column && is_money_header(&keys[i]))
            .collect();
        let has_money = rows.iter().any(|row| {
            money_columns.iter().any(|&i| {
                row.cells.get(i).is_some_and(|c| {
                    money::find_first(c, dollar).is_some() || money::oversized(c, dollar).is_some()
                })
            })
        });
        if has_money {
            return TableKind::Budget { phase_column };
        }
    }
    let has_word = |word: &str| {
        keys.iter()
            .any(|k| k.split(|c: char| !c.is_alphanumeric()).any(|w| w == word))
    };
    // A probability or impact scale (`Probability | Range | Value`) grades
    // risks; its rows are not risks.
    let is_scale = keys
        .first()
        .is_some_and(|k| SCALE_HEADERS.contains(&k.as_str()));
    let names_risks = RISK_WORDS.iter().any(|w| has_word(w))
        || keys
            .iter()
            .any(|k| k.contains("风险") || k.contains("リスク"));
    if names_risks && !is_scale {
        TableKind::Risks
    } else if (has_word("metric") || has_word("kpi")) && has_word("target") {
        TableKind::Metrics
    } else {
        TableKind::Other
    }
}

/// Reads a budget summary; rows are matched to phases by span or title.
pub fn read_budget(
    source: Source<'_>,
    summary: &BudgetSummary,
    phases: &[Phase],
    dollar: Currency,
    diagnostics: &mut Vec<Diagnostic>,
) -> BudgetTable {
    let Source {
        file,
        lines: source_lines,
    } = source;
    let BudgetSummary {
        line,
        ref header,
        ref rows,
        phase_column,
    } = *summary;
    let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    let money_columns: Vec<usize> = (0..keys.len())
        .filter(|&i| i != phase_column && is_money_header(&keys[i]))
        .collect();
    let columns: Vec<String> = money_columns.iter().map(|&i| keys[i].clone()).collect();
    let mut table = BudgetTable {
        line,
        current: current_column(&columns),
        columns,
        rows: Vec::new(),
        total: None,
        total_line: None,
    };
    for row in rows {
        let phase = row.cells.get(phase_column).map_or("", |s| s.trim());
        let values = money_columns
            .iter()
            .map(|&i| {
                let cell = row.cells.get(i).map_or("", |s| s.trim());
                let value = read_money_cell(source, row.line, cell, &keys[i], dollar, diagnostics);
                (keys[i].clone(), value)
            })
            .collect();
        // A table whose first column names the rows' periods (`Q3 2025 |
        // Sensors | $40,000`) names its rows there too.
        let first = row.cells.first().map_or("", |s| s.trim());
        if phase.to_lowercase().starts_with("total") || first.to_lowercase().starts_with("total") {
            table.total = Some(values);
            table.total_line = Some(row.line);
            continue;
        }
        let phase_index = match_phase(phase, phases).or_else(|| {
            (phase_column != 0)
                .then(|| parse_cell(first, Unit::Week).filter(|s| s.year.is_some()))
                .flatten()
                .and_then(|_| match_phase(first, phases))
        });
        let names_phases = !matches!(
            keys[phase_column].as_str(),
            "item" | "line item" | "deliverable"
        );
        if phase_index.is_none() && names_phases && !phases.is_empty() && !phase.is_empty() {
            let col = source_lines
                .get(row.line - 1)
                .map_or(1, |l| column_of(l, phase));
            diagnostics.push(Diagnostic::warning(
                file,
                row.line,
                col,
                format!("budget row `{phase}` matches no phase of the plan"),
            ));
        }
        table.rows.push(BudgetRow {
            phase: phase.to_string(),
            phase_index,
            line: row.line,
            values,
        });
    }
    table
}

/// The column the figures are compared with: revised, else budget, … (the
/// first of `CURRENT_ORDER` some summable column names).
fn current_column(columns: &[String]) -> Option<String> {
    CURRENT_ORDER
        .iter()
        .find_map(|want| {
            columns
                .iter()
                .filter(|c| is_summable(c))
                .find(|c| c.split(' ').any(|w| w == *want))
        })
        .cloned()
}

fn read_money_cell(
    source: Source<'_>,
    line: usize,
    cell: &str,
    column: &str,
    dollar: Currency,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Money> {
    let Source {
        file,
        lines: source_lines,
    } = source;
    let blank = cell.is_empty()
        || matches!(
            cell.to_lowercase().as_str(),
            "-" | "—" | "–" | "n/a" | "na" | "tbd" | "tba" | "?" | "none"
        );
    if blank {
        return None;
    }
    if let Some(found) = money::find_first(cell, dollar) {
        return Some(found.money);
    }
    if let Some(zero) = plain_zero(cell, dollar) {
        return Some(zero);
    }
    let col = source_lines
        .get(line.wrapping_sub(1))
        .map_or(1, |l| column_of(l, cell));
    if let Some(written) = money::oversized(cell, dollar) {
        diagnostics.push(Diagnostic::warning(
            file,
            line,
            col,
            money::oversized_message(written),
        ));
        return None;
    }
    diagnostics.push(Diagnostic::warning(
        file,
        line,
        col,
        format!("cannot read `{cell}` in the `{column}` column as money"),
    ));
    None
}

/// `0` with no currency sign means nothing in any currency.
fn plain_zero(cell: &str, dollar: Currency) -> Option<Money> {
    let digits = cell.trim_start_matches(['+', '-']);
    (!digits.is_empty() && digits.chars().all(|c| c == '0' || c == '.' || c == ','))
        .then_some(Money::new(0, dollar))
}

/// Finds the phase a table cell names: by span (`Week 1-2 (Staging)`,
/// `Phase 1`), else by label or title.
pub fn match_phase(cell: &str, phases: &[Phase]) -> Option<usize> {
    if let Some(span) = parse_cell(cell, Unit::Week) {
        // `Q4 2023` is not `Q4 2024`: years, when both name one, agree.
        let same = |other: &crate::parse::span::Span| {
            other.unit == span.unit
                && other.start == span.start
                && other.end == span.end
                && (other.year.is_none() || span.year.is_none() || other.year == span.year)
        };
        if let Some(i) = phases
            .iter()
            .position(|p| p.span.as_ref().is_some_and(same) || p.ordinal.as_ref().is_some_and(same))
        {
            return Some(i);
        }
    }
    let wanted = normalise(cell);
    if wanted.is_empty() {
        return None;
    }
    phases.iter().position(|p| {
        let label = normalise(&p.label);
        let title = normalise(&p.title);
        label == wanted || title == wanted || (wanted.len() > 3 && title.starts_with(&wanted))
    })
}

fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Reads a risks or metrics row into a record keyed by lower-case header;
/// a Status column is also read as a normalised status.
pub fn read_record(keys: &[String], row: &Row, normalise_status: bool) -> TableRecord {
    let cells: Vec<(String, String)> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| (key.clone(), row.cells.get(i).cloned().unwrap_or_default()))
        .collect();
    let status = cells
        .iter()
        .find(|(k, _)| k == "status")
        .map(|(_, v)| parse_status(v));
    TableRecord {
        cells,
        line: row.line,
        status,
        normalise_status,
    }
}
