//! Weekly snapshots through the real binary: taking them, refusing to
//! overwrite, setting aside with --replace, concurrent runs, damage, and
//! the history on the built site (archive pages, changes, trends, feed).

use predicates::prelude::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::plansite;

const WEEK_ONE: &str = "---\ntitle: Billing Revamp\nstatus: In progress\n---\n\n## Week 1-2: Design\n\n**Budget:** $4,000\n\n- [x] Draw the flows\n- [ ] Review with finance\n\n## Week 3: Build\n\n**Budget:** $6,000\n\n- [ ] Write the invoices job\n- [ ] Test with real data\n\n| Risk | Status |\n|---|---|\n| Tax rules change | ⏳ |\n\n**Decision:** GO / NO-GO\n";

const WEEK_TWO: &str = "---\ntitle: Billing Revamp\nstatus: In progress\n---\n\n## Week 1-2: Design\n\n**Budget:** $4,000\n\n- [x] Draw the flows\n- [x] Review with finance\n\n## Week 3: Build\n\n**Budget:** $7,500\n\n- [x] Write the invoices job\n- [ ] Test with real data\n- [ ] Backfill last quarter\n\n| Risk | Status |\n|---|---|\n| Tax rules change | ✅ |\n| Vendor API limits | ⏳ |\n\n**Decision:** GO\n";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("content")).expect("content");
    fs::write(dir.path().join("content/billing.md"), WEEK_ONE).expect("write");
    fs::write(
        dir.path().join("content/other.md"),
        "# Other Plan\n\n## Week 1: Only\n\n- [ ] one\n",
    )
    .expect("write");
    dir
}

fn snapshot(dir: &Path, week: &str, note: &str) -> assert_cmd::assert::Assert {
    plansite()
        .args(["snapshot", "--week", week, "--note", note, "--root"])
        .arg(dir)
        .env("SOURCE_DATE_EPOCH", "1741000000")
        .assert()
}

#[test]
fn two_weeks_of_history_show_changes_trends_and_a_feed() {
    let dir = site();
    snapshot(dir.path(), "2025-W10", "kick-off")
        .code(0)
        .stdout(predicate::str::contains(
            "snapshot 2025-W10: 2 plan(s) archived",
        ))
        .stdout(predicate::str::contains("no earlier snapshot"));
    let manifest: serde_json::Value = serde_json::from_slice(
        &fs::read(dir.path().join("archive/2025-W10/manifest.json")).expect("manifest"),
    )
    .expect("json");
    assert_eq!(manifest["week"], "2025-W10");
    assert_eq!(manifest["note"], "kick-off");
    assert_eq!(manifest["created"], "2025-03-03T11:06:40Z");
    assert_eq!(manifest["files"][0]["path"], "billing.md");
    assert_eq!(
        manifest["files"][0]["sha256"].as_str().map(str::len),
        Some(64)
    );
    assert_eq!(manifest["plans"][0]["done"], 1);
    assert_eq!(manifest["plans"][0]["budget"], 10000);
    assert_eq!(
        fs::read(dir.path().join("archive/2025-W10/plans/billing.md")).expect("copy"),
        WEEK_ONE.as_bytes(),
        "byte for byte"
    );

    fs::write(dir.path().join("content/billing.md"), WEEK_TWO).expect("write");
    snapshot(dir.path(), "2025-W11", "design done")
        .code(0)
        .stdout(predicate::str::contains("since 2025-W10:"))
        .stdout(predicate::str::contains("billing: 2 tasks finished, 1 task added, Week 3 budget +$1,500, total budget +$1,500, decision GO / NO-GO -> GO, 1 new risk, 1 risk closed"))
        .stdout(predicate::str::contains("other: no change"));

    plansite()
        .args([
            "build",
            "--as-of",
            "2025-03-19",
            "--base-url",
            "https://owner.github.io/repo/",
            "--root",
        ])
        .arg(dir.path())
        .assert()
        .code(0);
    let public = dir.path().join("public");
    for page in [
        "archive/index.html",
        "archive/2025-W10/index.html",
        "archive/2025-W10/plans/billing/index.html",
        "archive/2025-W11/plans/billing/index.html",
        "feed.xml",
    ] {
        assert!(public.join(page).is_file(), "{page} missing");
    }
    let dashboard = fs::read_to_string(public.join("index.html")).expect("dashboard");
    assert!(dashboard.contains("id=\"chart-portfolio-burnup-title\""));
    let billing = fs::read_to_string(public.join("plans/billing/index.html")).expect("page");
    for chart in ["chart-burnup-title", "chart-budget-trend-title"] {
        assert!(
            billing.contains(&format!("id=\"{chart}\"")),
            "{chart} missing"
        );
    }
    let week_two =
        fs::read_to_string(public.join("archive/2025-W11/plans/billing/index.html")).expect("page");
    assert!(
        week_two.contains("Since last snapshot (2025-W10)"),
        "archived pages compare with the week before"
    );
    assert!(week_two.contains("[Finished]</span> Review with finance"));
    assert!(week_two.contains("[Added]</span> Backfill last quarter"));
    assert!(
        week_two.contains("[Budget]</span> Week 3: $6,000 -&gt; $7,500 (+$1,500)"),
        "{week_two}"
    );
    assert!(week_two.contains("[Risk closed]</span> Tax rules change"));
    assert!(week_two.contains("[Decision]</span> GO / NO-GO -&gt; GO"));
    let week_one =
        fs::read_to_string(public.join("archive/2025-W10/plans/billing/index.html")).expect("page");
    assert!(
        week_one.contains("No earlier snapshot"),
        "the first week says so"
    );
    assert!(week_one.contains("Review with finance"));
    // The current site counts from the newest snapshot before this week.
    let current = fs::read_to_string(public.join("plans/billing/index.html")).expect("page");
    assert!(
        current.contains("Since last snapshot (2025-W11)")
            && current.contains("No change since 2025-W11."),
        "{current}"
    );
    // The burn-up's data table: done and scope per week.
    assert!(
        current.contains("<td>2025-W10</td><td class=\"num\">1</td><td class=\"num\">4</td>"),
        "{current}"
    );
    assert!(current.contains("<td>2025-W11</td><td class=\"num\">3</td><td class=\"num\">5</td>"));
    let archive = fs::read_to_string(public.join("archive/index.html")).expect("archive");
    let (newer, older) = (
        archive.find("2025-W11").expect("W11"),
        archive.find("2025-W10").expect("W10"),
    );
    assert!(newer < older, "newest first");
    assert!(archive.contains("design done") && archive.contains("kick-off"));

    let feed = fs::read_to_string(public.join("feed.xml")).expect("feed");
    let doc = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let root = doc.root_element();
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(root.tag_name().namespace(), Some(atom));
    assert_eq!(root.tag_name().name(), "feed");
    for required in ["title", "id", "updated", "author"] {
        assert!(
            root.children().any(|n| n.has_tag_name((atom, required))),
            "feed {required}"
        );
    }
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 2);
    let child_text = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .find(|n| n.has_tag_name((atom, name)))
            .and_then(|n| n.text())
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(child_text(entries[0], "title"), "2025-W11: design done");
    assert!(child_text(entries[0], "content").contains("2 tasks finished"));
    for entry in &entries {
        assert!(
            !child_text(*entry, "id").is_empty()
                && chrono::DateTime::parse_from_rfc3339(&child_text(*entry, "updated")).is_ok()
        );
    }
    let link = entries[0]
        .children()
        .find(|n| n.has_tag_name((atom, "link")))
        .and_then(|n| n.attribute("href"));
    assert_eq!(
        link,
        Some("https://owner.github.io/repo/archive/2025-W11/index.html")
    );
    let index = fs::read_to_string(public.join("index.html")).expect("index");
    assert!(index.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
}

#[test]
fn a_second_snapshot_of_a_week_is_refused_and_replace_sets_the_first_aside() {
    let dir = site();
    snapshot(dir.path(), "2025-W10", "first").code(0);
    let before = super::files_under(&dir.path().join("archive"));
    fs::write(dir.path().join("content/billing.md"), WEEK_TWO).expect("write");
    snapshot(dir.path(), "2025-W10", "again")
        .code(3)
        .stderr(predicate::str::contains(
            "a snapshot for 2025-W10 already exists",
        ));
    assert_eq!(
        super::files_under(&dir.path().join("archive")),
        before,
        "the archive is byte-identical after a refusal"
    );
    plansite()
        .args(["snapshot", "--replace", "--week", "2025-W10", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let aside = dir.path().join("archive/2025-W10.replaced-1");
    let old_week: BTreeMap<String, Vec<u8>> = before
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("2025-W10/")
                .map(|k| (k.to_string(), v.clone()))
        })
        .collect();
    assert_eq!(
        super::files_under(&aside),
        old_week,
        "the old snapshot is kept whole under a clear name"
    );
    assert_eq!(
        fs::read(dir.path().join("archive/2025-W10/plans/billing.md")).expect("new"),
        WEEK_TWO.as_bytes()
    );
    assert_eq!(
        fs::read(aside.join("plans/billing.md")).expect("old kept"),
        WEEK_ONE.as_bytes()
    );
    // The set-aside folder is not a week of the history.
    plansite()
        .args(["build", "--as-of", "2025-03-19", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    assert!(!dir
        .path()
        .join("public/archive/2025-W10.replaced-1")
        .exists());
}

#[test]
fn two_snapshots_at_once_give_one_snapshot_and_one_refusal() {
    let dir = site();
    let bin = assert_cmd::cargo::cargo_bin("plansite");
    let spawn = || {
        std::process::Command::new(&bin)
            .args(["snapshot", "--week", "2025-W12", "--root"])
            .arg(dir.path())
            .output()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(spawn);
        let b = s.spawn(spawn);
        (
            a.join().expect("thread").expect("run"),
            b.join().expect("thread").expect("run"),
        )
    });
    let mut codes = [a.status.code(), b.status.code()];
    codes.sort();
    assert_eq!(codes, [Some(0), Some(3)], "a: {a:?}\nb: {b:?}");
    let weeks: Vec<String> = fs::read_dir(dir.path().join("archive"))
        .expect("archive")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        weeks,
        ["2025-W12"],
        "exactly one snapshot and nothing else left behind"
    );
    let manifest: serde_json::Value = serde_json::from_slice(
        &fs::read(dir.path().join("archive/2025-W12/manifest.json")).expect("manifest"),
    )
    .expect("whole manifest");
    assert_eq!(manifest["files"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_damaged_archive_is_reported_and_the_rest_still_renders() {
    let dir = site();
    snapshot(dir.path(), "2025-W10", "one").code(0);
    snapshot(dir.path(), "2025-W11", "two").code(0);
    fs::write(
        dir.path().join("archive/2025-W10/manifest.json"),
        "{ not json",
    )
    .expect("corrupt");
    fs::write(
        dir.path().join("archive/2025-W11/plans/other.md"),
        "# Tampered\n",
    )
    .expect("tamper");
    fs::remove_file(dir.path().join("archive/2025-W11/plans/billing.md")).expect("remove");
    let out = plansite()
        .args(["build", "--as-of", "2025-03-19", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("archive/2025-W10/manifest.json")
            && stderr.contains("the snapshot manifest is damaged"),
        "{stderr}"
    );
    assert!(
        stderr.contains("archive/2025-W11/plans/other.md")
            && stderr.contains("does not match its SHA-256"),
        "{stderr}"
    );
    assert!(
        stderr.contains("archive/2025-W11/plans/billing.md")
            && stderr.contains("archived plan missing"),
        "{stderr}"
    );
    let public = dir.path().join("public");
    assert!(
        public
            .join("archive/2025-W10/plans/billing/index.html")
            .is_file(),
        "read from its files alone"
    );
    assert!(
        !public.join("archive/2025-W11/plans/other").exists(),
        "a changed archived plan is not shown"
    );
    let archive = fs::read_to_string(public.join("archive/index.html")).expect("archive");
    assert!(archive.contains("[Damaged]"));
}

#[test]
fn bad_week_is_a_usage_error_and_broken_plans_are_not_archived() {
    let dir = site();
    plansite()
        .args(["snapshot", "--week", "2025-W60", "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not an ISO week"));
    fs::write(
        dir.path().join("content/broken.md"),
        "---\ntitle: [unclosed\n---\n",
    )
    .expect("write");
    plansite()
        .args(["snapshot", "--week", "2025-W10", "--root"])
        .arg(dir.path())
        .assert()
        .code(1);
    assert!(!dir.path().join("archive/2025-W10").exists());
}

/// Builds into `out` and returns what the build printed.
fn build_into(dir: &Path, out: &Path) -> String {
    let output = super::build_at(dir, out, "2025-03-26");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The site in `out` against a clean build of the same input.
fn same_as_clean(dir: &Path, out: &Path) {
    let clean = tempfile::tempdir().expect("temp dir");
    let fresh = clean.path().join("site");
    build_into(dir, &fresh);
    let (built, expected) = (super::files_under(out), super::files_under(&fresh));
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &expected {
        assert!(built[path] == *bytes, "{path} differs from a clean build");
    }
}

#[test]
fn archived_weeks_are_kept_between_builds_and_the_site_is_a_clean_builds() {
    let dir = site();
    snapshot(dir.path(), "2025-W10", "one").code(0);
    fs::write(dir.path().join("content/billing.md"), WEEK_TWO).expect("write");
    snapshot(dir.path(), "2025-W11", "two").code(0);
    snapshot(dir.path(), "2025-W12", "three").code(0);
    let out = dir.path().join("public");

    let first = build_into(dir.path(), &out);
    assert!(!first.contains("unchanged"), "{first}");
    let second = build_into(dir.path(), &out);
    assert!(second.contains("3 archived week(s) unchanged"), "{second}");
    same_as_clean(dir.path(), &out);

    // An archived file changed by hand: that week and the ones after it
    // (their trends) are rendered again.
    let archived = dir.path().join("archive/2025-W11/plans/billing.md");
    let mut text = fs::read_to_string(&archived).expect("archived");
    text.push_str("\n- [ ] added after the fact\n");
    fs::write(&archived, text).expect("tamper");
    let third = build_into(dir.path(), &out);
    assert!(third.contains("1 archived week(s) unchanged"), "{third}");
    same_as_clean(dir.path(), &out);

    // A file of the last build gone: that week is rendered again (and
    // week 11, read with a warning since it was changed, is never kept).
    fs::remove_file(out.join("archive/2025-W10/plans/other/index.html")).expect("remove");
    let fourth = build_into(dir.path(), &out);
    assert!(fourth.contains("1 archived week(s) unchanged"), "{fourth}");
    assert!(out
        .join("archive/2025-W10/plans/other/index.html")
        .is_file());
    same_as_clean(dir.path(), &out);

    // A new plan: no archived page links to it, so the weeks are kept.
    fs::write(
        dir.path().join("content/new.md"),
        "# New Plan\n\n- [ ] one\n",
    )
    .expect("new");
    let fifth = build_into(dir.path(), &out);
    assert!(fifth.contains("2 archived week(s) unchanged"), "{fifth}");
    same_as_clean(dir.path(), &out);

    // A plan the archive holds is deleted: archived pages linked to its
    // current page, so every week is redone.
    fs::remove_file(dir.path().join("content/other.md")).expect("delete");
    let gone = build_into(dir.path(), &out);
    assert!(!gone.contains("unchanged"), "{gone}");
    same_as_clean(dir.path(), &out);

    // The configuration: every week is redone.
    build_into(dir.path(), &out);
    fs::write(dir.path().join("site.toml"), "title = \"Renamed\"\n").expect("site.toml");
    let sixth = build_into(dir.path(), &out);
    assert!(!sixth.contains("unchanged"), "{sixth}");
    same_as_clean(dir.path(), &out);
}

/// A build killed while it moves the unchanged weeks into the new site
/// (test builds stop there on `PLANSITE_INJECT_KILL=carrying`, with no
/// unwinding, as a kill would): the next build puts the weeks back before
/// anything else, and the site is a clean build's again.
#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "fault injection is compiled into debug builds only"
)]
fn a_build_killed_while_carrying_weeks_over_loses_none() {
    let dir = site();
    snapshot(dir.path(), "2025-W10", "one").code(0);
    snapshot(dir.path(), "2025-W11", "two").code(0);
    let out = dir.path().join("public");
    build_into(dir.path(), &out);
    build_into(dir.path(), &out);
    let before = super::files_under(&out);
    let killed = plansite()
        .args(["build", "--as-of", "2025-03-26", "--output"])
        .arg(&out)
        .arg("--root")
        .arg(dir.path())
        .env("PLANSITE_INJECT_KILL", "carrying")
        .output()
        .expect("run");
    assert!(!killed.status.success(), "the build was not killed");
    let journal = dir.path().join("public/.plansite-carried");
    assert!(journal.is_file(), "killed with the journal in place");
    let next = build_into(dir.path(), &out);
    assert!(next.contains("2 archived week(s) unchanged"), "{next}");
    assert!(!journal.exists());
    assert_eq!(super::files_under(&out), before);
    same_as_clean(dir.path(), &out);
}
