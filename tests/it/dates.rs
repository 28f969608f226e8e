//! Calendar dates: the model of each date fixture (snapshots), and a plan
//! whose dates are stated in its text placed on the calendar by `build`
//! as one with front matter `start` is.

use plansite::config::Config;
use plansite::read_plans;

use super::plansite;

fn model(name: &str) -> serde_json::Value {
    let config = Config::load(super::fixtures()).expect("fixtures have no site.toml");
    let mut reading = read_plans(&config, &[super::plan_fixture(name)]);
    assert_eq!(reading.plans.len(), 1, "{name}: {:?}", reading.diagnostics);
    let plan = reading.plans.remove(0);
    serde_json::json!({ "plan": plan, "load": reading.diagnostics })
}

/// The dates, the period and the warnings: the part of the model these
/// fixtures are about.
fn dates_of(name: &str) -> serde_json::Value {
    let m = model(name);
    let phases: Vec<serde_json::Value> = m["plan"]["phases"]
        .as_array()
        .expect("phases")
        .iter()
        .map(|p| serde_json::json!({ "label": p["label"], "dates": p["dates"] }))
        .collect();
    let warnings: Vec<String> = m["plan"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{}:{} {}",
                d["line"],
                d["col"],
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    serde_json::json!({
        "phases": phases,
        "schedule": m["plan"]["schedule"],
        "warnings": warnings,
    })
}

macro_rules! dates_snapshot {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            insta::assert_json_snapshot!(stringify!($test), dates_of($file));
        }
    };
}

dates_snapshot!(dates_heading_ranges, "dates-heading-ranges.md");
dates_snapshot!(dates_fact_lines, "dates-fact-lines.md");
dates_snapshot!(
    dates_derived_from_stated_start,
    "dates-derived-from-stated-start.md"
);
dates_snapshot!(dates_quarters_months, "dates-quarters-months.md");
dates_snapshot!(dates_languages, "dates-languages.md");
dates_snapshot!(dates_slashed_ambiguous, "dates-slashed-ambiguous.md");
dates_snapshot!(dates_slashed_decided, "dates-slashed-decided.md");
dates_snapshot!(dates_cjk_and_week_of, "dates-cjk-and-week-of.md");
dates_snapshot!(dates_schedule_table, "dates-schedule-table.md");
dates_snapshot!(
    dates_schedule_table_with_headings,
    "dates-schedule-table-with-headings.md"
);
dates_snapshot!(
    dates_schedule_table_ranges,
    "dates-schedule-table-ranges.md"
);
dates_snapshot!(gantt_fenced, "gantt-fenced.md");
dates_snapshot!(gantt_unfenced, "gantt-unfenced.md");
dates_snapshot!(gantt_after_duration, "gantt-after-duration.md");
dates_snapshot!(gantt_date_format, "gantt-date-format.md");
dates_snapshot!(gantt_with_headings, "gantt-with-headings.md");
dates_snapshot!(dates_slashed_year_turn, "dates-slashed-year-turn.md");
dates_snapshot!(dates_title_sprint_period, "dates-title-sprint-period.md");
dates_snapshot!(dates_milestone_table_end, "dates-milestone-table-end.md");
dates_snapshot!(dates_period_in_prose, "dates-period-in-prose.md");

#[test]
fn the_year_turning_from_12_to_1_tells_the_slashed_order() {
    let d = dates_of("dates-slashed-year-turn.md");
    assert_eq!(d["phases"][0]["dates"]["end"], "2025-09-05");
    assert_eq!(d["phases"][2]["dates"]["end"], "2026-01-05");
}

#[test]
fn a_one_sprint_plan_spans_its_stated_period() {
    let d = dates_of("dates-title-sprint-period.md");
    assert_eq!(d["phases"][0]["label"], "Sprint 2");
    assert_eq!(d["phases"][0]["dates"]["start"], "2024-10-14");
    assert_eq!(d["phases"][0]["dates"]["end"], "2024-10-25");
}

#[test]
fn a_milestone_table_extends_the_plan_but_a_revision_history_does_not() {
    let d = dates_of("dates-milestone-table-end.md");
    assert_eq!(d["schedule"]["start"], "2025-02-14");
    assert_eq!(d["schedule"]["end"], "2025-05-09");
}

#[test]
fn a_sentence_naming_the_period_of_the_work_is_the_plans_period() {
    let d = dates_of("dates-period-in-prose.md");
    assert_eq!(d["schedule"]["start"], "2026-01-01");
    assert_eq!(d["schedule"]["end"], "2026-06-30");
    assert_eq!(d["schedule"]["from_phases"], false);
}
dates_snapshot!(dates_dotted_year_first, "dates-dotted-year-first.md");

const STATED_START: &str = "# Launch\n\n**Start Date:** March 3, 2025\n\n## Week 1: Prepare\n\n**Budget:** $1,000\n\n- [x] Book the venue\n- [ ] Print the badges\n\n## Week 2-3: Build\n\n**Budget:** $2,000\n\n- [ ] Stage the demo\n";

#[test]
fn a_start_stated_in_the_text_places_the_plan_on_the_calendar() {
    let dir = super::site_with(&[("launch.md", STATED_START)]);
    plansite()
        .args(["build", "--as-of", "2025-03-20", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let page = std::fs::read_to_string(dir.path().join("public/plans/launch/index.html"))
        .expect("plan page");
    assert!(
        page.contains("<h3>Overdue</h3>") && page.contains("Print the badges"),
        "week 1 ended on 2025-03-09: its open task is overdue"
    );
    assert!(!page.contains("Not rated"), "the plan is rated");
    let ics = std::fs::read_to_string(dir.path().join("public/plans/launch/milestones.ics"))
        .expect("calendar");
    assert!(ics.contains("DTSTART;VALUE=DATE:20250309"), "{ics}");
    let json =
        std::fs::read_to_string(dir.path().join("public/plans/launch/plan.json")).expect("model");
    let m: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(m["schedule"]["start"], "2025-03-03");
    assert_eq!(m["schedule"]["start_line"], 3);
    assert_eq!(m["phases"][1]["dates"]["end"], "2025-03-23");
    assert_eq!(m["phases"][1]["dates"]["derived"], true);
}

#[test]
fn a_plan_with_only_stated_phase_dates_gets_a_status() {
    let plan = "# Move\n\n## Phase 1: Pack\n\n**Due:** 2025-03-07\n\n- [ ] Label boxes\n\n## Phase 2: Move\n\n**Dates:** 2025-03-10 → 2025-03-28\n\n- [ ] Book the van\n";
    let dir = super::site_with(&[("move.md", plan)]);
    plansite()
        .args(["build", "--as-of", "2025-03-20", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let page = std::fs::read_to_string(dir.path().join("public/plans/move/index.html"))
        .expect("plan page");
    assert!(page.contains("<h3>Overdue</h3>") && page.contains("Label boxes"));
    assert!(!page.contains("Not rated"));
}

const MILESTONE_TABLE: &str = "# Depot Move\n\n| Milestone | Due | Status |\n| --- | --- | --- |\n| Lease signed | 2025-02-14 | Done |\n| Racks installed | 2025-03-07 | In progress |\n| First shipment | 2025-04-18 | Not started |\n| Old site closed | 2025-05-30 | |\n";

#[test]
fn a_plan_with_only_a_dated_milestone_table_gets_a_timeline_overdue_milestones_and_a_status() {
    let dir = super::site_with(&[("depot.md", MILESTONE_TABLE)]);
    plansite()
        .args(["build", "--as-of", "2025-03-20", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let page = std::fs::read_to_string(dir.path().join("public/plans/depot/index.html"))
        .expect("plan page");
    // Racks installed was due 2025-03-07 and is still in progress.
    assert!(
        page.contains("1 milestone overdue: Racks installed"),
        "{page}"
    );
    assert!(page.contains("Milestone due 2025-03-07, marked in progress"));
    assert!(
        page.contains("depot.md:6"),
        "the overdue milestone points at its row"
    );
    assert!(page.contains("AMBER") || page.contains(">Amber<"));
    // The timeline places the four milestones on the calendar.
    assert!(page.contains("id=\"chart-timeline\""), "a timeline chart");
    assert!(page.contains("4 phases from 2025-02-14 to 2025-05-30; 1 complete."));
    assert!(page.contains("due 14 Feb 2025"));
    // Done counts the milestones that state a status, as no task exists.
    assert!(
        page.contains("1 of 3 milestones"),
        "three rows state a status"
    );

    // Before its date nothing is late, and a row without a status is never
    // called late: past every date only the three rows that say they are
    // not done are overdue.
    plansite()
        .args(["build", "--as-of", "2025-06-30", "--force", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let page = std::fs::read_to_string(dir.path().join("public/plans/depot/index.html"))
        .expect("plan page");
    assert!(
        page.contains("2 milestones overdue: Racks installed, First shipment"),
        "{page}"
    );
}
