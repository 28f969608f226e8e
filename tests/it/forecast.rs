//! The forecast and the milestone trend through the real binary, on the
//! fixture history in `tests/fixtures/history/`: six weekly snapshots
//! (2025-W10 to W15) and the current plans, built as of 2025-04-16 (W16).
//!
//! - Billing Revamp: an uneven pace and scope added, so a forecast with a
//!   range; its Launch slips a week most weeks (Week 6 to Week 10), once
//!   more this week.
//! - Office Move: finished in W12.
//! - Data Cleanup: two tasks done and two found every week: no date.
//! - Support Portal: new in W14, so one more snapshot is needed.

use super::plansite;
use std::fs;
use std::path::Path;

const WEEKS: [&str; 6] = [
    "2025-W10", "2025-W11", "2025-W12", "2025-W13", "2025-W14", "2025-W15",
];

/// Puts the plans of `week` (a folder of the fixture history) in place.
fn plans_of(dir: &Path, week: &str) {
    let content = dir.join("content");
    if content.exists() {
        fs::remove_dir_all(&content).expect("clear content");
    }
    fs::create_dir_all(&content).expect("content");
    let from = super::fixtures().join("history").join(week);
    for entry in fs::read_dir(&from).expect("fixture week") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), content.join(entry.file_name())).expect("copy plan");
    }
}

/// The fixture history snapshotted week by week, then built as of
/// 2025-04-16; the site's `public/`.
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    for week in WEEKS {
        plans_of(dir.path(), week);
        plansite()
            .args(["snapshot", "--week", week, "--root"])
            .arg(dir.path())
            .env("SOURCE_DATE_EPOCH", "1741000000")
            .assert()
            .code(0);
    }
    plans_of(dir.path(), "current");
    plansite()
        .args(["build", "--as-of", "2025-04-16", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let public = dir.path().join("public");
    (dir, public)
}

fn page(public: &Path, path: &str) -> String {
    fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The part of `html` from `start` to the end of the first `end` after it.
fn part<'h>(html: &'h str, start: &str, end: &str) -> &'h str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} missing"));
    let to = html[from..].find(end).expect("closed") + from + end.len();
    &html[from..to]
}

#[test]
fn the_history_gives_each_plan_its_forecast_and_the_milestone_trend() {
    let (_dir, public) = built();
    let billing = page(&public, "plans/billing/index.html");
    insta::assert_snapshot!(
        "forecast_billing",
        part(&billing, "<p class=\"forecast", "</p>")
    );
    let trend = part(
        &billing,
        "<figure class=\"chart\" id=\"chart-milestones\"",
        "</figure>",
    );
    insta::assert_snapshot!("milestone_trend_billing", trend);
    // The words under the chart, and the chart itself: XML, one line per
    // milestone, the slipping ones named.
    assert!(
        trend.contains("<li>Launch: 4 weeks later since 2025-W10 (2025-04-13 -&gt; 2025-05-11), moved 4 times.</li>"),
        "{trend}"
    );
    assert!(
        trend.contains("<li>1 other milestone kept its date.</li>"),
        "{trend}"
    );
    let svg = super::inline_svgs(trend)[0];
    let doc = roxmltree::Document::parse(svg).expect("the chart is XML");
    let lines = doc
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .count();
    assert!(lines >= 3, "one line per milestone: {lines}");
    // This week's move is in "since last snapshot" and on the dashboard.
    assert!(
        billing.contains("[Milestone]</span> Launch moved 2025-05-04 -&gt; 2025-05-11 (+1 week)"),
        "{}",
        part(&billing, "<section class=\"changes\"", "</section>")
    );
    let dashboard = page(&public, "index.html");
    let card = part(&dashboard, "Billing Revamp</a>", "</tr>");
    assert!(
        card.contains("Launch moved 2025-05-04 -&gt; 2025-05-11 (+1 week)"),
        "{card}"
    );
    assert!(
        card.contains("<small class=\"finish\">forecast 2025-"),
        "{card}"
    );

    let finished = page(&public, "plans/office-move/index.html");
    assert!(
        finished.contains("Finished: every task is done."),
        "finished plan"
    );
    assert!(
        finished.contains("No milestone moved since 2025-W10."),
        "a plan that kept its dates says so"
    );
    let stalled = page(&public, "plans/data-cleanup/index.html");
    let line = part(&stalled, "<p class=\"forecast", "</p>");
    assert!(
        line.contains(
            "Cannot be forecast: in 6 weeks, work done has not outpaced the scope added."
        ),
        "{line}"
    );
    assert!(
        !line.contains("2025-"),
        "no date for a plan that never gains: {line}"
    );
    let new = page(&public, "plans/support-portal/index.html");
    assert!(
        new.contains("No forecast yet: 1 more weekly snapshot is needed."),
        "two weeks of throughput are not enough"
    );
    // An archived week forecasts from the weeks up to it: W11 has one
    // week of throughput.
    let early = page(&public, "archive/2025-W11/plans/billing/index.html");
    assert!(
        early.contains("No forecast yet: 2 more weekly snapshots are needed."),
        "{}",
        part(&early, "<section class=\"summary\"", "</section>")
    );
}
