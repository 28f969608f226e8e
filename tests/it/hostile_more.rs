//! More hostile numbers through the real binary, near the bound on money
//! (10^15 in major units): figures there are more cents than an `f64`
//! holds exactly, so each must be computed in whole minor units or left
//! out, never shown a few cents off.

use assert_cmd::cargo::cargo_bin;
use std::process::Command;

/// `plansite build` of the site in `dir` as of 2025-03-10: (stderr, the
/// plan page of `p`).
fn build(dir: &std::path::Path) -> (String, String) {
    let output = crate::build_at(dir, &dir.join("public"), "2025-03-10");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let page = std::fs::read_to_string(dir.join("public/plans/p/index.html")).expect("plan page");
    (stderr, page)
}

#[test]
fn a_whole_front_matter_budget_near_the_bound_is_read_exactly() {
    // Read through an f64 times 100, 999,999,999,999,999 became
    // $999,999,999,999,999.04, and the check against the phases then
    // warned that the plan's own figures disagreed.
    let dir = crate::site_with(&[(
        "p.md",
        "---\nbudget: 999999999999999\n---\n# P\n\n## Week 1\n\n**Budget:** $999,999,999,999,999\n\n- [x] a\n",
    )]);
    let output = Command::new(cargo_bin("plansite"))
        .args(["model", "--root"])
        .arg(dir.path())
        .arg(dir.path().join("content/p.md"))
        .output()
        .expect("model runs");
    assert!(output.status.success(), "{output:?}");
    let model: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        model["diagnostics"],
        serde_json::json!([]),
        "the front matter budget equals the phases' total"
    );
    let (stderr, page) = build(dir.path());
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(
        !page.contains("999,999,999,999,999.04"),
        "a figure a few cents off"
    );
}

#[test]
fn earned_and_planned_value_near_the_bound_are_exact() {
    // Week 1 is done and over: its whole budget is earned and planned. In
    // f64 it came out as $999,999,999,999,999.04 on the page.
    let dir = crate::site_with(&[(
        "p.md",
        "---\nstart: 2025-01-06\n---\n# P\n\n## Week 1\n\n**Budget:** $999,999,999,999,999\n\n- [x] a\n\n## Week 2\n\n**Budget:** $1\n\n- [ ] b\n",
    )]);
    let (_, page) = build(dir.path());
    assert!(!page.contains(".04"), "a figure a few cents off");
    let figure = |label: &str| {
        let at = page.find(&format!("<dt>{label}</dt>")).expect(label);
        let rest = &page[at..];
        let start = rest.find("<dd>").expect("figure") + 4;
        let end = rest[start..].find("</dd>").expect("end") + start;
        rest[start..end].to_string()
    };
    assert_eq!(figure("Earned value"), "$999,999,999,999,999");
    assert_eq!(figure("Planned value"), "$1,000,000,000,000,000");
}

#[test]
fn a_draft_in_the_archive_is_not_published() {
    // `snapshot` archives every plan, drafts included; `build` then
    // published the archived draft's page under archive/<week>/ and named
    // it on the dashboard ("Removed since 2025-W10: …").
    let dir = crate::site_with(&[
        ("open.md", "# Open plan\n\n## Week 1\n\n- [ ] a\n"),
        (
            "secret.md",
            "---\ndraft: true\n---\n# Unannounced acquisition\n\n## Week 1\n\n- [ ] sign the term sheet\n",
        ),
    ]);
    let snapshot = Command::new(cargo_bin("plansite"))
        .args(["snapshot", "--as-of", "2025-03-07", "--root"])
        .arg(dir.path())
        .output()
        .expect("snapshot runs");
    assert!(snapshot.status.success(), "{snapshot:?}");
    let site = |drafts: bool| {
        let mut command = Command::new(cargo_bin("plansite"));
        command
            .args(["build", "--as-of", "2025-03-12", "--root"])
            .arg(dir.path());
        if drafts {
            command.arg("--drafts");
        }
        let output = command.output().expect("build runs");
        assert!(output.status.success(), "{output:?}");
        crate::files_under(&dir.path().join("public"))
    };
    for (path, bytes) in site(false) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Unannounced") && !text.contains("term sheet"),
            "the draft is published in {path}"
        );
    }
    // With --drafts the archived draft is shown, and the next build
    // without it does not carry that page over.
    assert!(site(true)
        .keys()
        .any(|p| p.starts_with("archive/2025-W10/plans/secret/")));
    assert!(!site(false).keys().any(|p| p.contains("secret")));
}

#[test]
fn a_file_named_like_a_leftover_snapshot_folder_does_not_stop_snapshots() {
    // A snapshot removes the temporary folders (`.<week>.tmp-<pid>`) a
    // killed one left; a regular file of that shape in the archive made
    // every snapshot fail with "cannot remove …: Not a directory".
    let dir = crate::site_with(&[("p.md", "# P\n\n## Week 1\n\n- [ ] a\n")]);
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(&archive).expect("archive");
    std::fs::write(archive.join(".2025-W10.tmp-1"), "committed by hand").expect("file");
    let output = Command::new(cargo_bin("plansite"))
        .args(["snapshot", "--as-of", "2025-03-07", "--root"])
        .arg(dir.path())
        .output()
        .expect("snapshot runs");
    assert!(output.status.success(), "{output:?}");
    assert!(archive.join("2025-W10/manifest.json").is_file());
    assert!(!archive.join(".2025-W10.tmp-1").exists());
}
