//! Budgets as a careful reader reads them: the stated figure of a budget
//! line (never a rate or a factor), a breakdown's total, the plan's stated
//! total (`budget.total`), the amount forms real plans write, and risk
//! tables in other languages. Each fixture's model is snapshotted; the
//! figures are asserted through the real binary. A key to the checkboxes
//! (`- [~] In progress`) is not counted as tasks.

use serde_json::Value;

snapshot_test!(money_rates_vs_totals, "money-rates-vs-totals.md");
snapshot_test!(money_plan_total, "money-plan-total.md");
snapshot_test!(money_total_heading, "money-total-heading.md");
snapshot_test!(money_amount_forms, "money-amount-forms.md");
snapshot_test!(money_risks_pt, "money-risks-pt.md");
snapshot_test!(money_checkbox_key, "money-checkbox-key.md");
snapshot_test!(money_total_row, "money-total-row.md");
snapshot_test!(money_phase_cost_table, "money-phase-cost-table.md");
snapshot_test!(money_summary_rows, "money-summary-rows.md");
snapshot_test!(money_phase_columns, "money-phase-columns.md");
snapshot_test!(
    money_milestone_value_table,
    "money-milestone-value-table.md"
);
snapshot_test!(money_crypto_ticker, "money-crypto-ticker.md");

#[test]
fn amounts_in_a_crypto_ticker_are_money_in_that_ticker() {
    let m = model("money-crypto-ticker.md");
    assert_eq!(m["budget"]["total"]["amount"], Value::from(3));
    assert_eq!(m["budget"]["total"]["currency"], "BTC");
    assert_eq!(budgets(&m), vec![Value::from(1.5), Value::from(1.5)]);
}

/// `plansite model` of a fixture, as JSON.
fn model(name: &str) -> Value {
    let output = crate::plansite()
        .arg("model")
        .arg(super::plan_fixture(name))
        .arg("--root")
        .arg(super::fixtures())
        .output()
        .expect("model runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("model is JSON")
}

fn budgets(model: &Value) -> Vec<Value> {
    model["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .map(|p| p["budget"]["amount"].clone())
        .collect()
}

fn messages(model: &Value) -> Vec<String> {
    model["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| format!("{}: {}", d["line"], d["message"].as_str().unwrap_or("")))
        .collect()
}

#[test]
fn a_budget_is_the_stated_figure_never_a_rate_or_a_factor() {
    let m = model("money-rates-vs-totals.md");
    // Phase 1: the result of the worked sum, not the € 75 rate; Phase 2:
    // the breakdown's Total line, not its first item; Phase 3: only a
    // rate, so no budget, and a warning at the line.
    assert_eq!(
        budgets(&m),
        vec![Value::from(3000), Value::from(4140), Value::Null]
    );
    assert_eq!(m["budget"]["phases_total"], Value::from(7140));
    let messages = messages(&m);
    assert!(
        messages
            .iter()
            .any(|w| w.starts_with("23: ") && w.contains("no single figure")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|w| w.contains("its note says")),
        "{messages:?}"
    );
}

#[test]
fn the_plans_stated_total_is_in_the_model_and_checked() {
    let m = model("money-plan-total.md");
    assert_eq!(
        m["budget"]["total"],
        serde_json::json!({"amount": 30000, "currency": "USD", "line": 3})
    );
    // Percentages of the total are notes, not the budget.
    assert_eq!(budgets(&m), vec![Value::from(12000), Value::from(10000)]);
    let messages = messages(&m);
    assert!(
        messages
            .iter()
            .any(|w| w.starts_with("3: ") && w.contains("$30,000") && w.contains("$22,000")),
        "{messages:?}"
    );
}

#[test]
fn a_total_under_its_own_heading_and_plain_funding_lines() {
    let m = model("money-total-heading.md");
    assert_eq!(budgets(&m), vec![Value::from(12000), Value::from(8500)]);
    assert_eq!(
        m["budget"]["total"],
        serde_json::json!({"amount": 20500, "currency": "EUR", "line": 13})
    );
    // It agrees with the phases: nothing to warn about.
    assert_eq!(messages(&m), Vec::<String>::new());
}

#[test]
fn amounts_in_the_forms_real_plans_write() {
    let m = model("money-amount-forms.md");
    let phases = m["phases"].as_array().expect("phases");
    let read: Vec<(Value, Value)> = phases
        .iter()
        .map(|p| {
            (
                p["budget"]["amount"].clone(),
                p["budget"]["currency"].clone(),
            )
        })
        .collect();
    let want = [
        (2880, "EUR"),
        (2880, "EUR"),
        (1200, "CHF"),
        (37750, "USD"),
        (19800, "GBP"),
        (19800, "GBP"),
        (4500, "USD"),
        (15000, "EUR"),
    ];
    let want: Vec<(Value, Value)> = want
        .iter()
        .map(|(a, c)| (Value::from(*a), Value::from(*c)))
        .collect();
    assert_eq!(read, want);
}

#[test]
fn a_risk_table_in_portuguese_without_its_scale() {
    let m = model("money-risks-pt.md");
    let risks = m["risks"].as_array().expect("risks");
    assert_eq!(risks.len(), 3, "{risks:?}");
}

#[test]
fn a_key_to_the_checkboxes_is_not_tasks() {
    let m = model("money-checkbox-key.md");
    // The key's four boxes are not counted; the stage's four tasks are,
    // even those whose text happens to be a state's name.
    assert_eq!(m["progress"]["done"], Value::from(1));
    assert_eq!(m["progress"]["total"], Value::from(4));
    let prose = m["prose"].as_array().expect("prose");
    assert!(
        prose.iter().any(|p| p["markdown"]
            .as_str()
            .unwrap_or("")
            .contains("[~] In progress")),
        "the key is kept as written: {prose:?}"
    );
}

#[test]
fn a_table_of_amounts_closed_by_a_total_row_states_the_total() {
    let m = model("money-total-row.md");
    // The first Total row (before tax), in the table's currency; the
    // table has no header names, so it is not a budget summary.
    assert_eq!(
        m["budget"]["total"],
        serde_json::json!({"amount": 87500, "currency": "EUR", "line": 9})
    );
    assert_eq!(m["budget"]["currency"], Value::from("EUR"));
}

#[test]
fn a_milestone_table_with_a_value_column_is_a_budget_summary() {
    let m = model("money-milestone-value-table.md");
    let table = &m["budget"]["table"];
    assert_eq!(table["rows"].as_array().map(Vec::len), Some(2), "{table}");
    assert_eq!(table["total"], serde_json::json!({"value": 500000}));
}

#[test]
fn a_phases_cost_table_is_its_budget_checked_against_its_total_row() {
    let m = model("money-phase-cost-table.md");
    // Phase 1: the Total row of the Cost column (the rate column is not
    // added up); Phase 2: its Subtotal row; Phase 3: the budget line
    // stands, and the table is checked against it.
    assert_eq!(
        budgets(&m),
        vec![Value::from(1800), Value::from(7000), Value::from(900)]
    );
    // A per-phase breakdown is not the plan's budget summary.
    assert_eq!(m["budget"]["table"], Value::Null);
    let messages = messages(&m);
    assert!(
        messages
            .iter()
            .any(|w| w.starts_with("19: ") && w.contains("£6,500") && w.contains("£7,000")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|w| w.starts_with("27: ") && w.contains("£800") && w.contains("£900")),
        "{messages:?}"
    );
}

#[test]
fn a_phase_without_a_budget_line_takes_its_row_of_the_summary() {
    let m = model("money-summary-rows.md");
    assert_eq!(budgets(&m), vec![Value::from(8000), Value::from(14500)]);
    assert_eq!(m["phases"][1]["budget"]["line"], Value::from(18));
    assert_eq!(m["budget"]["phases_total"], Value::from(22500));
    assert_eq!(messages(&m), Vec::<String>::new());
}

#[test]
fn a_cost_table_with_a_column_per_phase() {
    let m = model("money-phase-columns.md");
    // Each phase's column total (dot thousands: €5.200 is 5,200 euros).
    assert_eq!(
        budgets(&m),
        vec![Value::from(5200), Value::from(2200), Value::from(800)]
    );
    // A total row of several columns is no single plan total.
    assert_eq!(m["budget"]["total"], Value::Null);
    // The Phase 2 column's items come to €2,100, not the €2,200 stated.
    let messages = messages(&m);
    assert_eq!(
        messages,
        vec!["21: the `Phase 2` column adds up to €2,100 but its total row states €2,200"]
    );
}
