//! The JSON model of each fixture plan, snapshotted, and the figures a
//! careful reader finds in them, asserted one by one.

use plansite::config::Config;
use plansite::model::Plan;
use plansite::read_plans;

fn messages(plan: &Plan) -> Vec<String> {
    plan.diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.line, d.message))
        .collect()
}

snapshot_test!(
    model_double_encoded_seed_shape,
    "double-encoded-seed-shape.md"
);
snapshot_test!(model_yaml_front_matter, "yaml-front-matter.md");
snapshot_test!(model_toml_front_matter, "toml-front-matter.md");
snapshot_test!(model_crlf_bom_quarters, "crlf-bom-quarters.md");
snapshot_test!(model_windows_1252, "windows-1252.md");
snapshot_test!(model_custom_checkboxes, "custom-checkboxes.md");
snapshot_test!(model_mixed_currency, "mixed-currency.md");

#[test]
fn double_encoded_plan_is_repaired_and_every_inconsistency_found() {
    let (plan, load) = crate::read_fixture("double-encoded-seed-shape.md");
    assert!(load.is_empty(), "{load:?}");
    assert!(plan.diagnostics[0].message.contains("double-encoded"));
    assert_eq!(plan.title, "Revised 9-Week Payments Hardening Plan");
    let criteria = &plan.phases[1].criteria[0];
    let texts: Vec<&str> = criteria.items.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts[3], "Latency under 50 ms",
        "⚠️ lost a byte in the file and is restored"
    );
    let found = messages(&plan);
    let expected = [
        "0: file is double-encoded UTF-8 (text such as `âœ…` for `✅`); repaired 13 sequence(s): re-save it as plain UTF-8",
        "6: Revised Timeline states 10 weeks but the phases run to week 9",
        "6: Revised Timeline states $33,500 but the revised total is $31,500",
        "7: Additional Cost states $3,500 but the change in the budget summary is $2,500",
        "13: Pre-Week 1 budget is $1,500 but its note says 2 days @ $500/day = $1,000",
        "54: Week 4-6 budget is $9,000 here but $10,000 in the budget summary (line 81, column `revised`)",
        "63: week 7 is in no phase: Week 4-6 ends in week 6, Week 8-9 starts in week 8",
        "81: Week 4-6 (Fraud): change is $1,000 but revised minus original is $0",
        "83: the budget summary total is $31,500 but the phases' budget lines add up to $30,500",
        "83: Total: change is $2,500 but revised minus original is $1,500",
        "97: metric `Cards in vault` is marked done but Week 1-3 still has 4 open task(s)",
    ];
    assert_eq!(found, expected);
}

#[test]
fn warnings_point_at_the_figure() {
    let (plan, _) = crate::read_fixture("double-encoded-seed-shape.md");
    let arithmetic = plan
        .diagnostics
        .iter()
        .find(|d| d.line == 13)
        .expect("arithmetic warning");
    let text = std::fs::read_to_string(super::plan_fixture("double-encoded-seed-shape.md"))
        .expect("fixture");
    let line = text.lines().nth(12).expect("line 13");
    assert!(line.starts_with("**Budget:** $1,500"));
    let expected = line[..line.find("2 days").expect("clause")].chars().count() + 1;
    assert_eq!(arithmetic.col, expected);
    let mismatch = plan
        .diagnostics
        .iter()
        .find(|d| d.line == 54)
        .expect("budget mismatch");
    assert_eq!(
        mismatch.col,
        "**Budget:** $".chars().count() + 1,
        "points at the amount"
    );
}

#[test]
fn front_matter_fills_meta_and_keeps_unknown_keys() {
    let (plan, _) = crate::read_fixture("yaml-front-matter.md");
    assert_eq!(plan.slug, "robotics-pilot");
    assert_eq!(plan.meta.start, "2025-05-05".parse().ok());
    assert_eq!(
        plan.meta.currency.map(|c| c.to_string()).as_deref(),
        Some("EUR")
    );
    assert_eq!(plan.meta.extra["site_contact"], "ops@example.com");
    assert_eq!(plan.phases.len(), 2);
    assert_eq!(plan.phases[1].label, "Phase 2");
    assert_eq!(plan.phases[1].title, "Trial");
    assert_eq!(plan.phases[1].groups.len(), 2);
    let budget = serde_json::to_value(&plan.budget).expect("serialises");
    assert_eq!(budget["table"]["rows"][0]["values"]["actual"], 13000);
    assert_eq!(
        budget["table"]["rows"][1]["values"]["actual"],
        serde_json::Value::Null
    );
    let metrics = serde_json::to_value(&plan.metrics).expect("serialises");
    assert_eq!(metrics[0]["status"], "in_progress");
    assert_eq!(metrics[1]["status"], "at_risk");
    assert_eq!(
        plan.decision.as_ref().and_then(|d| d.chosen.as_deref()),
        Some("GO")
    );
    assert_eq!(
        plan.tables.len(),
        1,
        "the contacts table is kept as a table"
    );
    assert!(
        plan.prose
            .iter()
            .any(|p| p.markdown.contains("robotctl status")),
        "code is kept"
    );
    assert!(plan.diagnostics.is_empty(), "{:?}", plan.diagnostics);
}

#[test]
fn toml_title_wins_over_heading() {
    let (plan, _) = crate::read_fixture("toml-front-matter.md");
    assert_eq!(plan.title, "Search Relaunch");
    assert_eq!(
        plan.budget.phases_total.map(|m| m.display()).as_deref(),
        Some("£10,000")
    );
    assert_eq!(plan.phases[2].span.map(|s| s.start), Some(3));
}

#[test]
fn crlf_and_bom_keep_lines() {
    let (plan, load) = crate::read_fixture("crlf-bom-quarters.md");
    assert!(load.is_empty(), "{load:?}");
    assert_eq!(plan.phases[1].line, 8);
    assert_eq!(plan.phases[1].budget.as_ref().map(|b| b.line), Some(10));
    assert_eq!(plan.phases[0].groups[0].tasks[1].line, 6);
}

#[test]
fn windows_1252_is_read_with_a_warning() {
    let (plan, _) = crate::read_fixture("windows-1252.md");
    assert_eq!(plan.title, "Café Refit");
    assert!(plan.diagnostics[0].message.contains("Windows-1252"));
    assert_eq!(
        plan.phases[0].groups[0].tasks[0].text,
        "Remove the old counter – carefully"
    );
    assert_eq!(
        plan.phases[0].budget.as_ref().map(|b| b.amount.minor),
        Some(250_000)
    );
}

#[test]
fn custom_checkbox_states_count_as_documented() {
    let (plan, _) = crate::read_fixture("custom-checkboxes.md");
    assert_eq!((plan.progress.done, plan.progress.total), (3, 9));
    assert!(plan.phases.is_empty());
    assert!(plan
        .prose
        .iter()
        .any(|p| p.markdown.contains("A note that is not a task")));
}

#[test]
fn mixed_currencies_are_not_summed() {
    let (plan, _) = crate::read_fixture("mixed-currency.md");
    assert_eq!(plan.budget.phases_total, None);
    let found = messages(&plan);
    assert!(
        found.iter().any(|m| m.contains("different currencies")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|m| m.contains("cannot read `twenty-five thousand`")),
        "{found:?}"
    );
}

#[test]
fn example_content_reads_cleanly() {
    let config = Config::load(std::path::Path::new(".")).expect("site.toml is valid");
    let reading = read_plans(&config, &[]);
    assert!(reading.plans.len() >= 3);
    assert!(reading.diagnostics.is_empty(), "{:?}", reading.diagnostics);
    for plan in &reading.plans {
        assert!(!plan.phases.is_empty(), "{}", plan.source);
        assert!(plan.progress.total > 0, "{}", plan.source);
    }
}

/// The reference plan, when the shared folder sits beside the repository
/// (it does on developer machines and in CI). Its text is not copied here.
#[test]
fn reference_plan_reads_as_a_careful_reader_reads_it() {
    let seed = std::path::Path::new("../shared/seeds/implementation-timeline.md");
    if !seed.exists() {
        eprintln!("skipped: {} is not present", seed.display());
        return;
    }
    let config = Config::load(std::path::Path::new(".")).expect("site.toml is valid");
    let reading = read_plans(&config, &[seed.to_path_buf()]);
    let plan = &reading.plans[0];
    assert!(plan.diagnostics[0].message.contains("double-encoded"));
    assert_eq!(plan.title, "Revised 11-Week Implementation Timeline");
    let labels: Vec<&str> = plan.phases.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Pre-Week 1",
            "Week 1-2",
            "Week 3-4",
            "Week 5-6",
            "Week 7-8",
            "Week 9-10",
            "Week 11"
        ]
    );
    assert_eq!((plan.progress.done, plan.progress.total), (12, 72));
    assert_eq!(plan.phases[0].duration.map(|d| d.value), Some(3.0));
    assert_eq!(plan.phases[2].title, "Monitoring + Security (Moved Up!)");
    let budgets: Vec<i64> = plan
        .phases
        .iter()
        .map(|p| p.budget.as_ref().map_or(0, |b| b.amount.minor / 100))
        .collect();
    assert_eq!(budgets, [2_400, 6_000, 18_000, 6_000, 6_000, 9_000, 3_000]);
    let table = plan.budget.table.as_ref().expect("budget summary");
    assert!(table.rows.iter().all(|r| r.phase_index.is_some()));
    assert_eq!(plan.risks.len(), 5);
    assert_eq!(plan.metrics.len(), 7);
    let decision = plan.decision.as_ref().expect("decision");
    assert_eq!(
        (decision.options.len(), decision.chosen.as_deref()),
        (2, None)
    );
    assert_eq!(plan.meta.approved_by.as_deref(), Some("CTO"));
    assert_eq!(plan.meta.date, "2024-12-15".parse().ok());
    assert_eq!(plan.meta.status.as_deref(), Some("Ready to Execute"));
    let found = messages(plan);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found[0].contains("repaired 31 sequence(s)"));
    assert!(found[1].starts_with(
        "14: Pre-Week 1 budget is $2,400 but its note says 3 days @ $400/day = $1,200"
    ));
    assert!(found[2].contains("12 criteria of Week 11 are marked met"));
}
