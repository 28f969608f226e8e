//! Phases beyond the reference plan's words (issue 13): phase words in
//! other languages, milestones with a letter (`Milestone 4a`), quarters
//! written `T4 2025`, sibling headings that share a shape (releases,
//! months, tiers), sections that carry a budget, and stretches named by a
//! time word. Each fixture is read through the real binary (`plansite
//! model`) and its model snapshotted.

/// `plansite model` of one fixture: the phases' labels.
fn labels(name: &str) -> Vec<String> {
    let output = crate::plansite()
        .arg("model")
        .arg(super::plan_fixture(name))
        .arg("--root")
        .arg(super::fixtures())
        .output()
        .expect("model runs");
    assert!(output.status.success(), "{name}: {output:?}");
    let model: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the model is JSON");
    model["phases"]
        .as_array()
        .expect("phases is a list")
        .iter()
        .map(|p| p["label"].as_str().unwrap_or("").to_string())
        .collect()
}

fn budgets(name: &str) -> Vec<Option<f64>> {
    let output = crate::plansite()
        .arg("model")
        .arg(super::plan_fixture(name))
        .arg("--root")
        .arg(super::fixtures())
        .output()
        .expect("model runs");
    let model: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the model is JSON");
    model["phases"]
        .as_array()
        .expect("phases is a list")
        .iter()
        .map(|p| p["budget"]["amount"].as_f64())
        .collect()
}

snapshot_test!(model_phases_other_languages, "phases-other-languages.md");
snapshot_test!(model_phases_cjk, "phases-cjk.md");
snapshot_test!(model_phases_iterations, "phases-iterations.md");
snapshot_test!(model_phases_quarter_forms, "phases-quarter-forms.md");
snapshot_test!(
    model_phases_milestone_letters,
    "phases-milestone-letters.md"
);
snapshot_test!(model_phases_releases, "phases-releases.md");
snapshot_test!(model_phases_lone_release, "phases-lone-release.md");
snapshot_test!(model_phases_months, "phases-months.md");
snapshot_test!(model_phases_tiers, "phases-tiers.md");
snapshot_test!(model_phases_budget_sibling, "phases-budget-sibling.md");
snapshot_test!(model_phases_time_words, "phases-time-words.md");

#[test]
fn milestone_words_in_other_languages_are_phases() {
    assert_eq!(
        labels("phases-other-languages.md"),
        ["Meilenstein 1", "Meilenstein 2", "Meilenstein 3"]
    );
    assert_eq!(
        labels("phases-cjk.md"),
        ["里程碑 1", "里程碑 2", "フェーズ3"]
    );
    assert_eq!(labels("phases-iterations.md"), ["Iteração 1", "Iteração 2"]);
}

#[test]
fn quarters_written_t4_2025_are_phases() {
    assert_eq!(
        labels("phases-quarter-forms.md"),
        ["T4 2025", "T1 2026", "T3 2026"]
    );
}

#[test]
fn a_milestone_with_a_letter_is_a_phase() {
    assert_eq!(
        labels("phases-milestone-letters.md"),
        ["Milestone 1", "Milestone 2a", "Milestone 2b"]
    );
}

#[test]
fn sibling_releases_are_phases_and_numbered_sections_are_not() {
    assert_eq!(labels("phases-releases.md"), ["v2.8", "v2.9"]);
}

#[test]
fn a_lone_release_heading_is_not_a_plan_of_releases() {
    assert!(labels("phases-lone-release.md").is_empty());
}

#[test]
fn sibling_months_are_phases() {
    assert_eq!(
        labels("phases-months.md"),
        ["August", "September", "Octubre 2025"]
    );
}

#[test]
fn sibling_tiers_are_phases() {
    assert_eq!(labels("phases-tiers.md"), ["Tier 1", "Tier 2", "Tier 3"]);
}

#[test]
fn a_sibling_section_with_a_budget_is_a_phase() {
    assert_eq!(
        labels("phases-budget-sibling.md"),
        ["Upfront Payment", "Milestone 1", "Milestone 2"]
    );
    assert_eq!(
        budgets("phases-budget-sibling.md"),
        [Some(5000.0), Some(12000.0), Some(8000.0)]
    );
}

#[test]
fn a_sibling_named_by_a_time_word_is_a_phase_but_an_open_stretch_is_not() {
    assert_eq!(
        labels("phases-time-words.md"),
        ["Weeks 1-4", "Weeks 5-6", "Release Day", "Day after Release"]
    );
}

snapshot_test!(model_phases_fenced_plan, "phases-fenced-plan.md");

#[test]
fn a_plan_pasted_whole_into_a_markdown_fence_is_read() {
    assert_eq!(
        labels("phases-fenced-plan.md"),
        ["Month 1", "Month 2", "Month 3"]
    );
}

snapshot_test!(model_phases_quarter_list, "phases-quarter-list.md");

#[test]
fn a_task_list_of_quarters_is_the_schedule() {
    assert_eq!(
        labels("phases-quarter-list.md"),
        ["Q1 2024", "Q2 2024", "Q3 2024", "Q4 2024"]
    );
}

snapshot_test!(model_phases_milestone_list, "phases-milestone-list.md");

#[test]
fn a_list_of_dated_milestones_under_a_milestones_heading_is_the_schedule() {
    assert_eq!(
        labels("phases-milestone-list.md"),
        [
            "Preview build",
            "Public beta",
            "v1.0 release",
            "v1.x maintenance"
        ]
    );
}

snapshot_test!(model_phases_workstream_lists, "phases-workstream-lists.md");

#[test]
fn workstreams_that_each_count_their_own_milestones_are_not_one_schedule() {
    assert!(labels("phases-workstream-lists.md").is_empty());
}

snapshot_test!(model_phases_title_sprint, "phases-title-sprint.md");
snapshot_test!(model_phases_title_week_days, "phases-title-week-days.md");

#[test]
fn day_sections_of_a_plan_titled_by_one_week_span_are_its_steps() {
    assert_eq!(labels("phases-title-week-days.md"), ["Week 1-2"]);
    assert_eq!(budgets("phases-title-week-days.md"), [Some(4500.0)]);
}

#[test]
fn a_plan_whose_title_names_one_sprint_is_that_sprint() {
    assert_eq!(labels("phases-title-sprint.md"), ["Sprint 4"]);
}

snapshot_test!(
    model_phases_quarter_section_tables,
    "phases-quarter-section-tables.md"
);
snapshot_test!(
    model_phases_quarter_row_table,
    "phases-quarter-row-table.md"
);
snapshot_test!(model_phases_trimestre_table, "phases-trimestre-table.md");

#[test]
fn quarter_sections_holding_schedule_tables_group_their_rows() {
    // The rows are the phases; the quarters only group them, and the
    // second quarter's rows carry no header line of their own.
    assert_eq!(
        labels("phases-quarter-section-tables.md"),
        ["Amber", "Birch", "Cedar", "Dune", "Elm", "Fjord"]
    );
    let (plan, _) = crate::read_fixture("phases-quarter-section-tables.md");
    let dune = &plan.phases[3];
    assert_eq!(dune.dates.start, "2025-09-29".parse().ok());
    assert_eq!(dune.dates.end, "2025-10-24".parse().ok());
    assert_eq!(dune.line, 15);
    // Dune starts before the quarter it stands under: a warning, and the
    // row keeps its own dates.
    assert!(
        plan.diagnostics
            .iter()
            .any(|d| d.line == 15 && d.message.contains("stands under `2025Q4`")),
        "{:?}",
        plan.diagnostics
    );
    // The quarter headings stay in the page.
    assert!(plan.prose.iter().any(|p| p.markdown == "## 2025Q4"));
}

#[test]
fn a_table_of_quarters_is_the_schedule_with_its_costs() {
    // The table names every quarter the list of reports names, and more:
    // it is the schedule.
    assert_eq!(
        labels("phases-quarter-row-table.md"),
        ["Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026"]
    );
    assert_eq!(
        budgets("phases-quarter-row-table.md"),
        [Some(40000.0), Some(55000.0), Some(30000.0), Some(25000.0)]
    );
    let (plan, _) = crate::read_fixture("phases-quarter-row-table.md");
    let q1 = &plan.phases[2];
    assert_eq!(q1.dates.start, "2026-01-01".parse().ok());
    assert_eq!(q1.dates.end, "2026-03-31".parse().ok());
    assert_eq!(q1.dates.start_line, Some(16));
}

#[test]
fn a_table_of_french_quarters_is_the_schedule() {
    assert_eq!(
        labels("phases-trimestre-table.md"),
        ["T1 2026", "T2 2026", "T4 2026"]
    );
    let (plan, _) = crate::read_fixture("phases-trimestre-table.md");
    // The whole quarter, not the month of the window column.
    let t2 = &plan.phases[1];
    assert_eq!(t2.dates.start, "2026-04-01".parse().ok());
    assert_eq!(t2.dates.end, "2026-06-30".parse().ok());
    assert_eq!(plan.schedule.end, "2026-12-31".parse().ok());
}

snapshot_test!(model_phases_bold_list, "phases-bold-list.md");
snapshot_test!(model_phases_bold_list_cjk, "phases-bold-list-cjk.md");

#[test]
fn bold_names_in_a_list_under_a_heading_naming_phases_are_the_phases() {
    assert_eq!(
        labels("phases-bold-list.md"),
        ["Survey", "Design", "Build", "Handover"]
    );
    // Directly under the title, which names the phases (阶段).
    assert_eq!(
        labels("phases-bold-list-cjk.md"),
        ["需求", "设计", "实现", "发布"]
    );
}

snapshot_test!(model_phases_cost_table_rows, "phases-cost-table-rows.md");

#[test]
fn a_deliverables_cost_table_without_phase_headings_gives_the_phases() {
    assert_eq!(
        labels("phases-cost-table-rows.md"),
        [
            "Survey of sensor protocols.",
            "Sensor driver for the serial protocol",
            "Web dashboard",
            "Documentation and a walkthrough for harbour volunteers explaining the install…"
        ]
    );
    assert_eq!(
        budgets("phases-cost-table-rows.md"),
        [Some(800.0), Some(4000.0), Some(2000.0), Some(1200.0)]
    );
}
