//! The command line through the real binary: exit codes, diagnostics with
//! `file:line:col` on stderr, summaries and JSON on stdout.

use predicates::prelude::*;
use std::fs;
use std::path::Path;

use super::plansite;

use super::site_with as site;

const GOOD: &str = "# Good\n\n## Week 1: Start\n\n**Budget:** $100\n\n- [x] one\n- [ ] two\n";

#[test]
fn check_example_content_exits_zero_with_a_summary_per_plan() {
    plansite()
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "content/observability-rollout.md: ",
        ))
        .stdout(predicate::str::contains(
            "checked 3 plan(s): 0 error(s), 0 warning(s)",
        ));
}

#[test]
fn summary_names_phases_tasks_budget_and_warnings() {
    let dir = site(&[("good.md", GOOD)]);
    plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Good — 1 phase(s), 1/2 tasks done, budget $100 (USD), 0 warning(s)",
        ));
}

#[test]
fn warnings_are_rustc_style_and_strict_turns_them_into_failure() {
    let plan = "# W\n\n## Week 1: A\n\n**Budget:** $500 (2 days @ $200/day)\n\n- [ ] t\n";
    let dir = site(&[("w.md", plan)]);
    let expected_location = format!("--> {}:5:19", dir.path().join("content/w.md").display());
    // Column 19 is where `2 days @ $200/day` starts.
    plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "warning: Week 1 budget is $500 but its note says 2 days @ $200/day = $400",
        ))
        .stderr(predicate::str::contains(expected_location.clone()))
        .stderr(predicate::str::contains(
            "5 | **Budget:** $500 (2 days @ $200/day)",
        ));
    plansite()
        .args(["check", "--strict", "--root"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(expected_location));
}

#[test]
fn every_problem_of_every_plan_is_reported() {
    let broken = "---\ntitle: x\nowner: [unclosed\nstatus: y\n---\n# B\n";
    let unclosed = "---\ntitle: never closed\n# C\n";
    let dir = site(&[
        ("a-broken.md", broken),
        ("b-good.md", GOOD),
        ("c-unclosed.md", unclosed),
    ]);
    let out = plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        stderr.contains("error: invalid YAML front matter"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/a-broken.md:4:"),
        "YAML error at its line in the file: {stderr}"
    );
    assert!(stderr.contains("content/c-unclosed.md:1:1"), "{stderr}");
    assert!(stderr.contains("never closed"), "{stderr}");
    assert!(
        stdout.contains("b-good.md: Good"),
        "the good plan is still read: {stdout}"
    );
    assert!(stdout.contains("2 error(s)"), "{stdout}");
}

#[test]
fn site_toml_errors_exit_two_naming_the_key_and_line() {
    let dir = site(&[("good.md", GOOD)]);
    fs::write(
        dir.path().join("site.toml"),
        "title = \"x\"\ncolour = \"red\"\n",
    )
    .expect("write");
    plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("colour"))
        .stderr(predicate::str::contains("site.toml:2:1"));
}

#[test]
fn usage_errors_exit_two() {
    plansite().arg("frobnicate").assert().code(2);
    plansite()
        .args(["check", "--no-such-flag"])
        .assert()
        .code(2);
}

#[test]
fn content_dir_from_site_toml_and_hidden_files_skipped() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("plans/.drafts")).expect("dirs");
    fs::write(dir.path().join("site.toml"), "content_dir = \"plans\"\n").expect("write");
    fs::write(dir.path().join("plans/b.md"), GOOD).expect("write");
    fs::write(
        dir.path().join("plans/a.markdown"),
        GOOD.replace("# Good", "# Also good"),
    )
    .expect("write");
    fs::write(dir.path().join("plans/.hidden.md"), "# Hidden\n").expect("write");
    fs::write(dir.path().join("plans/.drafts/x.md"), "# Draft\n").expect("write");
    fs::write(dir.path().join("plans/notes.txt"), "not a plan").expect("write");
    let out = plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let a = stdout.find("a.markdown").expect("a.markdown read");
    let b = stdout.find("b.md").expect("b.md read");
    assert!(a < b, "sorted: {stdout}");
    assert!(
        !stdout.contains("Hidden") && !stdout.contains("Draft"),
        "{stdout}"
    );
    assert!(stdout.contains("checked 2 plan(s)"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed() {
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(outside.path().join("secret.md"), "# Outside\n").expect("write");
    let dir = site(&[("good.md", GOOD)]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        dir.path().join("content/link.md"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(dir.path().join("content"), dir.path().join("content/loop"))
        .expect("symlink");
    let out = plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!stdout.contains("Outside"), "{stdout}");
    assert!(stdout.contains("checked 1 plan(s)"), "{stdout}");
    assert_eq!(
        stderr.matches("symbolic link not followed").count(),
        2,
        "{stderr}"
    );
}

#[test]
fn model_prints_one_object_for_one_file_and_an_array_otherwise() {
    let dir = site(&[
        ("one.md", GOOD),
        ("two.md", GOOD.replace("# Good", "# Two").as_str()),
    ]);
    let one = dir.path().join("content/one.md");
    let out = plansite()
        .arg("model")
        .arg(&one)
        .args(["--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(json["schema"], 1);
    assert_eq!(json["slug"], "one");
    assert_eq!(json["source"], "content/one.md");
    assert_eq!(
        json["phases"][0]["span"],
        serde_json::json!({"unit": "week", "start": 1, "end": 1})
    );
    assert_eq!(json["phases"][0]["budget"]["amount"], 100);
    assert_eq!(json["progress"], serde_json::json!({"done": 1, "total": 2}));

    let out = plansite()
        .arg("model")
        .arg("--root")
        .arg(dir.path())
        .assert()
        .code(0);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(2));

    let two = dir.path().join("content/two.md");
    let out = plansite()
        .arg("model")
        .arg(&one)
        .arg(&two)
        .arg("--root")
        .arg(dir.path())
        .assert()
        .code(0);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    assert_eq!(json[1]["title"], "Two");
}

#[test]
fn model_of_a_missing_file_is_a_usage_error() {
    plansite()
        .args(["model", "no/such/plan.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such plan file"));
}

#[test]
fn two_plans_with_one_slug_are_an_error_naming_both() {
    let a = "---\nslug: same\n---\n# A\n";
    let b = "---\nslug: same\n---\n# B\n";
    plansite()
        .args(["check", "--root"])
        .arg(site(&[("a.md", a), ("b.md", b)]).path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "`content/a.md` and `content/b.md` both have the slug `same`",
        ));
}

#[test]
fn the_fixture_plans_check_without_errors() {
    let fixtures = Path::new("tests/fixtures/plans");
    let mut cmd = plansite();
    cmd.arg("check");
    for entry in fs::read_dir(fixtures).expect("fixtures") {
        cmd.arg(entry.expect("entry").path());
    }
    cmd.assert()
        .code(0)
        .stdout(predicate::str::contains("0 error(s)"));
}

#[test]
fn plans_that_differ_only_by_case_or_unicode_form_are_an_error() {
    let dir = site(&[
        ("Plan.md", GOOD),
        ("plan.md", GOOD),
        ("caf\u{e9}.md", GOOD),
        ("cafe\u{301}.md", GOOD),
    ]);
    let out = plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("`content/Plan.md` and `content/plan.md` both have the slug `plan`"),
        "{stderr}"
    );
    assert!(stderr.contains("both have the slug `café`"), "{stderr}");
}

#[test]
fn init_makes_a_site_that_builds_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("plans-site");
    plansite()
        .arg("init")
        .arg(&site)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("created"));
    plansite()
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(&site)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("built 1 plan(s)"));
    fs::write(site.join("site.toml"), "title = \"Ours\"\n").expect("edit");
    let before = super::files_under(&site);
    plansite()
        .arg("init")
        .arg(&site)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("nothing was written"));
    assert_eq!(
        super::files_under(&site),
        before,
        "a second init changes nothing"
    );

    let pages: serde_yaml::Value = serde_yaml::from_str(
        &fs::read_to_string(site.join(".github/workflows/pages.yml")).expect("pages"),
    )
    .expect("YAML");
    let uses = step_fields(&pages, "uses");
    for action in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "{action} in {uses:?}"
        );
    }
    let text = fs::read_to_string(site.join(".github/workflows/pages.yml")).expect("pages");
    assert!(text.contains("BASE_URL: ${{ steps.pages.outputs.base_url }}"));
    assert!(text.contains("plansite build --base-url \"$BASE_URL/\""));
    let weekly: serde_yaml::Value = serde_yaml::from_str(
        &fs::read_to_string(site.join(".github/workflows/snapshot.yml")).expect("snapshot"),
    )
    .expect("YAML");
    assert!(weekly["on"]["schedule"][0]["cron"].as_str().is_some());
    let runs: String = weekly["jobs"]["snapshot"]["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect();
    assert!(runs.contains("plansite snapshot") && runs.contains("git push"));
    assert!(fs::read_to_string(site.join(".gitignore"))
        .expect("gitignore")
        .contains("/public/"));

    // Both workflows install plansite with its setup action, pinned to the
    // version that wrote them, from the repository Cargo.toml names; none
    // builds it or caches a binary.
    let pinned = format!(
        "{}@v{}",
        env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/"),
        env!("CARGO_PKG_VERSION")
    );
    for workflow in ["pages.yml", "snapshot.yml"] {
        let text = fs::read_to_string(site.join(".github/workflows").join(workflow)).expect("yml");
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
        let uses = step_fields(&yaml, "uses");
        assert!(uses.contains(&pinned), "{workflow}: {uses:?}");
        assert!(
            !uses.iter().any(|u| u.starts_with("actions/cache")),
            "{workflow}"
        );
        assert!(!text.contains("{{SETUP}}"), "{workflow}");
        let runs: String = step_fields(&yaml, "run").concat();
        assert!(
            !runs.contains("cargo install"),
            "{workflow} builds plansite"
        );
    }
}

/// The `key` of every step of every job of a workflow (`uses`, `run`).
fn step_fields(workflow: &serde_yaml::Value, key: &str) -> Vec<String> {
    workflow["jobs"]
        .as_mapping()
        .expect("jobs")
        .values()
        .flat_map(|job| job["steps"].as_sequence().cloned().unwrap_or_default())
        .filter_map(|step| step[key].as_str().map(str::to_string))
        .collect()
}

#[test]
fn init_pins_the_setup_action_of_the_repository_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("ours");
    plansite()
        .args(["init", "--repo", "acme-tools/plansite.fork"])
        .arg(&site)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!(
            "acme-tools/plansite.fork@v{}",
            env!("CARGO_PKG_VERSION")
        )));
    let pages = fs::read_to_string(site.join(".github/workflows/pages.yml")).expect("pages");
    assert!(pages.contains(&format!(
        "uses: acme-tools/plansite.fork@v{}",
        env!("CARGO_PKG_VERSION")
    )));
    for bad in [
        "acme",
        "acme/",
        "/plansite",
        "a/b/c",
        "acme/../x",
        "acme/pl ansite",
        "acme/$(x)",
    ] {
        let other = dir.path().join("bad");
        plansite()
            .args(["init", "--repo", bad])
            .arg(&other)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("OWNER/NAME"));
        assert!(!other.exists(), "{bad}: nothing written");
    }
}

#[test]
fn unsafe_slugs_are_made_safe_with_a_warning() {
    let long = "x".repeat(300);
    let cases = [
        ("a.md", "../../etc"),
        ("b.md", "%2e%2e"),
        ("c.md", "CON"),
        ("d.md", "sub/dir"),
        ("e.md", "back\\\\slash"),
        ("f.md", "nul\\u0000byte"),
        ("g.md", "trailing dot."),
        ("h.md", "trailing space "),
        ("i.md", long.as_str()),
    ];
    let plans: Vec<(&str, String)> = cases
        .iter()
        .map(|(file, slug)| (*file, format!("---\nslug: \"{slug}\"\n---\n# P\n")))
        .collect();
    let refs: Vec<(&str, &str)> = plans.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let dir = site(&refs);
    let out = plansite()
        .args(["model", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("JSON");
    let slugs: Vec<&str> = json
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["slug"].as_str())
        .collect();
    assert_eq!(
        &slugs[..8],
        [
            "etc",
            "2e-2e",
            "con-plan",
            "sub-dir",
            "back-slash",
            "nul-byte",
            "trailing-dot",
            "trailing-space"
        ]
    );
    assert!(
        slugs[8].len() <= 200 && slugs[8].starts_with("xxx"),
        "{}",
        slugs[8]
    );
    let warnings = json
        .as_array()
        .expect("array")
        .iter()
        .flat_map(|p| p["diagnostics"].as_array().cloned().unwrap_or_default())
        .filter(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("is not a safe URL segment"))
        })
        .count();
    assert!(
        warnings >= 8,
        "each unsafe slug is a warning in the model ({warnings})"
    );

    // Built: every file lands inside the output folder.
    plansite()
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let outside: Vec<String> = walkdir::WalkDir::new(dir.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir.path())
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| {
            !p.starts_with("public/")
                && !p.starts_with("content/")
                && !p.ends_with(".plansite-lock")
        })
        .collect();
    assert!(
        outside.is_empty(),
        "written outside the output: {outside:?}"
    );
    for slug in ["etc", "back-slash", "trailing-dot"] {
        assert!(
            dir.path()
                .join(format!("public/plans/{slug}/index.html"))
                .is_file(),
            "{slug}"
        );
    }
}

#[test]
fn file_names_with_odd_characters_give_safe_pages() {
    let dir = site(&[
        ("trailing dot..md", "# A\n"),
        ("trailing space .md", "# B\n"),
        ("back\\slash.md", "# C\n"),
        (&format!("{}.md", "y".repeat(250)), "# D\n"),
    ]);
    plansite()
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let plans: Vec<String> = fs::read_dir(dir.path().join("public/plans"))
        .expect("plans")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(plans.len(), 4, "{plans:?}");
    for slug in &plans {
        assert!(
            slug.len() <= 200
                && !slug.ends_with(['.', ' '])
                && slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "unsafe slug `{slug}`"
        );
    }
}

#[test]
fn an_oversized_plan_is_an_error_and_the_others_are_read() {
    let dir = site(&[("good.md", GOOD)]);
    let big = "x".repeat(17 * 1024 * 1024);
    fs::write(dir.path().join("content/huge.md"), big).expect("write");
    let out = plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("content/huge.md")
            && stderr.contains("plans larger than 16 MiB are not read"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("good.md: Good"));
}

#[test]
fn the_home_folder_is_never_an_output() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = site(&[("good.md", GOOD)]);
    plansite()
        .env("HOME", home.path())
        .args(["build", "--force", "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(home.path())
        .assert()
        .code(3)
        .stderr(predicate::str::contains("the home folder"));
}
