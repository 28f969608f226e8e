//! `plansite build` through the real binary: the pages and charts of the
//! example site (snapshots of each `<main>` and each chart), links that
//! resolve, well-formed SVG, byte-identical rebuilds, and the output
//! folder's safety rules.

use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2025-03-10";

use super::plansite;

/// Builds the example site of the repository into `out`.
fn build_example(out: &Path) {
    plansite()
        .args(["build", "--as-of", AS_OF, "--output"])
        .arg(out)
        .env_remove("SOURCE_DATE_EPOCH")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("built 3 plan(s)"));
}

/// Builds the site in `dir` into `dir/public`, as of `AS_OF`; it must succeed.
fn build_ok(dir: &Path) {
    plansite()
        .args(["build", "--as-of", AS_OF, "--root"])
        .arg(dir)
        .assert()
        .code(0);
}

use super::site_with as site;

const PLAN: &str = "# Small Plan\n\n## Week 1-2: Start\n\n**Budget:** $1,000\n\n- [x] one\n- [ ] two\n\n## Week 3: Finish\n\n**Budget:** $500\n\n- [ ] three\n";

#[test]
fn example_site_pages_and_charts_match_their_snapshots() {
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    build_example(&public);
    let all = super::files_under(&public);
    // Of the archived weeks (archive/, written by scripts/example-history.sh),
    // the last stands for the others: their pages differ only in figures.
    let last_week = all
        .keys()
        .filter_map(|p| p.strip_prefix("archive/")?.split_once('/').map(|(w, _)| w))
        .max()
        .map(|w| format!("archive/{w}/"));
    for (path, bytes) in &all {
        let other_week = path.starts_with("archive/")
            && path != "archive/index.html"
            && last_week
                .as_ref()
                .is_some_and(|last| !path.starts_with(last.as_str()));
        if other_week {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let name = path.replace(['/', '.'], "_");
        if path.ends_with(".html") {
            let start = text.find("<main").expect("every page has a <main>");
            let end = text.find("</main>").expect("closed main") + "</main>".len();
            insta::assert_snapshot!(format!("main_{name}"), &text[start..end]);
        }
    }
}

#[test]
fn every_page_and_chart_parses_and_every_internal_link_resolves() {
    let out = tempfile::tempdir().expect("temp dir");
    let public = out.path().join("public");
    build_example(&public);
    check_site(
        &public,
        &[
            "index.html",
            "404.html",
            ".nojekyll",
            "sitemap.xml",
            "assets/style.css",
            "plans/observability-rollout/index.html",
            "plans/observability-rollout/plan.json",
        ],
    );
}

/// The same check on a site with two archived weeks: the archived pages'
/// links (to their week, to the current pages, to the site) resolve too.
#[test]
fn every_link_of_a_site_with_archived_weeks_resolves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(root.join("site.toml"), dir.path().join("site.toml")).expect("site.toml");
    fs::create_dir_all(dir.path().join("content")).expect("content");
    for entry in fs::read_dir(root.join("content")).expect("content") {
        let path = entry.expect("entry").path();
        fs::copy(
            &path,
            dir.path()
                .join("content")
                .join(path.file_name().expect("name")),
        )
        .expect("copy a plan");
    }
    for week in ["2025-W08", "2025-W09"] {
        plansite()
            .args(["snapshot", "--week", week, "--root"])
            .arg(dir.path())
            .assert()
            .code(0);
    }
    // A plan that is in the archive but no longer current.
    fs::remove_file(dir.path().join("content/mobile-app-sprints.md")).expect("remove");
    build_ok(dir.path());
    check_site(
        &dir.path().join("public"),
        &[
            "archive/index.html",
            "archive/2025-W09/index.html",
            "archive/2025-W09/plans/observability-rollout/index.html",
            "archive/2025-W09/plans/mobile-app-sprints/index.html",
        ],
    );
}

/// Every expected file is there; every page, chart and XML file parses;
/// no page has a script but the theme's table script on dashboards; every
/// relative link and anchor resolves.
fn check_site(public: &Path, expected: &[&str]) {
    let all = super::files_under(public);
    for expected in expected {
        assert!(
            all.contains_key(*expected),
            "{expected} missing: {:?}",
            all.keys().collect::<Vec<_>>()
        );
    }
    let selector = scraper::Selector::parse("[href], [src]").expect("selector");
    let with_id = scraper::Selector::parse("[id]").expect("selector");
    // Every page's ids, for the links to an anchor.
    let ids: std::collections::HashMap<&str, std::collections::HashSet<String>> = all
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| {
            let document = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
            let ids = document
                .select(&with_id)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect();
            (path.as_str(), ids)
        })
        .collect();
    let (mut checked, mut charts, mut anchors) = (0, 0, 0);
    for (path, bytes) in &all {
        let text = String::from_utf8(bytes.clone()).unwrap_or_default();
        if path.ends_with(".svg") || path.ends_with(".xml") {
            roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{path} is not well-formed XML: {e}"));
        }
        for svg in super::inline_svgs(&text) {
            charts += 1;
            roxmltree::Document::parse(svg)
                .unwrap_or_else(|e| panic!("a chart in {path} is not well-formed XML: {e}"));
        }
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let document = scraper::Html::parse_document(&text);
        assert!(
            !super::has_foreign_script(&text),
            "{path} has a script other than the theme's table script (the reload script is only for serve)"
        );
        let dir = Path::new(path).parent().unwrap_or(Path::new(""));
        for element in document.select(&selector) {
            for attribute in ["href", "src"] {
                let Some(target) = element.value().attr(attribute) else {
                    continue;
                };
                if target.starts_with("http://")
                    || target.starts_with("https://")
                    || target.starts_with("mailto:")
                {
                    continue;
                }
                if let Some(anchor) = target.strip_prefix('#') {
                    assert!(
                        ids[path.as_str()].contains(anchor),
                        "{path}: link `{target}` has no element with that id"
                    );
                    anchors += 1;
                    continue;
                }
                assert!(
                    !target.starts_with('/'),
                    "{path}: `{target}` is not relative"
                );
                let target = target.split(['#', '?']).next().unwrap_or("");
                let mut resolved = normalise(&dir.join(target));
                if target.ends_with('/') || target.is_empty() {
                    resolved = resolved.join("index.html");
                }
                let key = resolved.to_string_lossy().replace('\\', "/");
                assert!(
                    all.contains_key(&key),
                    "{path}: link `{target}` resolves to {key}, which is not in the site"
                );
                if let Some((_, anchor)) = element
                    .value()
                    .attr(attribute)
                    .and_then(|t| t.split_once('#'))
                {
                    assert!(
                        ids.get(key.as_str())
                            .is_some_and(|ids| ids.contains(anchor)),
                        "{path}: link to `{key}#{anchor}`: no element has that id"
                    );
                    anchors += 1;
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} links checked");
    assert!(charts >= 10, "only {charts} charts parsed");
    assert!(anchors >= 3, "only {anchors} anchors checked");
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let out = tempfile::tempdir().expect("temp dir");
    build_example(&out.path().join("a"));
    build_example(&out.path().join("b"));
    let (a, b) = (
        super::files_under(&out.path().join("a")),
        super::files_under(&out.path().join("b")),
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let dir = site(&[("plan.md", PLAN)]);
    let public = dir.path().join("public");
    build_ok(dir.path());
    let before = super::files_under(&public);
    fs::write(
        dir.path().join("content/broken.md"),
        "---\ntitle: never closed\n# Body\n",
    )
    .expect("write");
    plansite()
        .args(["build", "--as-of", AS_OF, "--root"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("content/broken.md:1:1"));
    assert_eq!(super::files_under(&public), before, "the old site changed");
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("plansite-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_output_folder_plansite_did_not_make_is_refused_unless_forced() {
    let dir = site(&[("plan.md", PLAN)]);
    let public = dir.path().join("public");
    fs::create_dir_all(public.join(".git")).expect("git dir");
    fs::write(public.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").expect("write");
    fs::write(public.join("CNAME"), "plans.example.com\n").expect("write");
    fs::write(public.join("notes.txt"), "mine").expect("write");
    plansite()
        .args(["build", "--as-of", AS_OF, "--root"])
        .arg(dir.path())
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "holds files plansite did not make (notes.txt)",
        ));
    assert_eq!(
        fs::read_to_string(public.join("notes.txt")).expect("kept"),
        "mine"
    );
    plansite()
        .args(["build", "--force", "--as-of", AS_OF, "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    assert!(!public.join("notes.txt").exists());
    assert_eq!(
        fs::read_to_string(public.join(".git/HEAD")).expect(".git kept"),
        "ref: refs/heads/gh-pages\n"
    );
    assert_eq!(
        fs::read_to_string(public.join("CNAME")).expect("CNAME kept"),
        "plans.example.com\n"
    );
    assert!(public.join("index.html").is_file());
    // Rebuilding over its own output needs no --force, and keeps them again.
    build_ok(dir.path());
    assert!(public.join(".git/HEAD").is_file() && public.join("CNAME").is_file());
}

#[test]
fn the_output_may_not_be_or_hold_the_content_the_archive_or_the_root() {
    let dir = site(&[("plan.md", PLAN)]);
    for output in [
        ".",
        "content",
        "content/site",
        "archive",
        "..",
        "/",
        "~",
        "~/site",
    ] {
        let path = if output == "/" || output.starts_with('~') {
            PathBuf::from(output)
        } else {
            dir.path().join(output)
        };
        plansite()
            .args(["build", "--force", "--as-of", AS_OF, "--root"])
            .arg(dir.path())
            .arg("--output")
            .arg(&path)
            .assert()
            .code(3)
            .stderr(
                predicate::str::contains("choose another output folder")
                    .or(predicate::str::contains("file system root")),
            );
    }
    assert!(dir.path().join("content/plan.md").is_file());
    assert!(!Path::new("~").exists(), "no folder named ~ was made");
}

#[test]
fn a_theme_overrides_single_templates_and_static_files() {
    let dir = site(&[("plan.md", PLAN)]);
    fs::write(dir.path().join("site.toml"), "theme = \"house\"\n").expect("write");
    let theme = dir.path().join("themes/house");
    fs::create_dir_all(theme.join("templates")).expect("dirs");
    fs::create_dir_all(theme.join("static")).expect("dirs");
    fs::write(theme.join("templates/index.html"), "{% extends \"base.html\" %}{% block content %}<p class=\"house\">{{ totals.plans }} plan(s)</p>{% endblock content %}").expect("write");
    fs::write(
        theme.join("static/style.css"),
        "body { color: rebeccapurple; }\n",
    )
    .expect("write");
    fs::write(
        theme.join("static/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .expect("write");
    build_ok(dir.path());
    let public = dir.path().join("public");
    let index = fs::read_to_string(public.join("index.html")).expect("index");
    assert!(
        index.contains("<p class=\"house\">1 plan(s)</p>"),
        "{index}"
    );
    assert_eq!(
        fs::read_to_string(public.join("assets/style.css")).expect("css"),
        "body { color: rebeccapurple; }\n"
    );
    assert!(public.join("assets/logo.svg").is_file());
    let plan = fs::read_to_string(public.join("plans/plan/index.html"))
        .expect("plan page from the default theme");
    assert!(plan.contains("Small Plan"));
}

#[test]
fn a_template_error_names_the_template_and_the_variable() {
    let dir = site(&[("plan.md", PLAN)]);
    fs::write(dir.path().join("site.toml"), "theme = \"broken\"\n").expect("write");
    let templates = dir.path().join("themes/broken/templates");
    fs::create_dir_all(&templates).expect("dirs");
    fs::write(templates.join("index.html"), "{% extends \"base.html\" %}{% block content %}\n<p>{{ totals.no_such_field }}</p>{% endblock content %}").expect("write");
    let out = plansite()
        .args(["build", "--as-of", AS_OF, "--root"])
        .arg(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("index.html"), "{stderr}");
    assert!(stderr.contains("no_such_field"), "{stderr}");
    assert!(!dir.path().join("public").exists(), "nothing is written");
}

#[test]
fn untrusted_content_never_reaches_the_page_as_code() {
    let plan = "---\ntitle: \"</title><script>alert(1)</script>{{ site.title }}\"\nsummary: \"{% if true %}x{% endif %}\"\n---\n\n## Week 1: <img src=x onerror=alert(1)>\n\n- [ ] <script>alert(2)</script> task\n\nSome [link](javascript:alert(3)) and <iframe src=\"https://e.com\"></iframe>.\n\n<svg><animate onbegin=alert(5) attributeName=x dur=1s></animate></svg>\n\n<math><mi xlink:href=\"javascript:alert(6)\">x</mi></math>\n\n<style>body{display:none}</style>\n\n| Risk | Status |\n|---|---|\n| <b onmouseover=alert(4)>x</b> | ⏳ |\n";
    let dir = site(&[("evil.md", plan)]);
    let out = plansite()
        .args(["build", "--as-of", AS_OF, "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("removed"),
        "each removal is a warning: {stderr}"
    );
    let public = dir.path().join("public");
    for page in ["index.html", "plans/evil/index.html"] {
        let html = fs::read_to_string(public.join(page)).expect("page");
        let lower = html.to_lowercase();
        assert!(!super::has_foreign_script(&html), "{page}: {html}");
        // As elements: shown as text (`&lt;animate onbegin=…`) is fine.
        let document = scraper::Html::parse_document(&html);
        let any = scraper::Selector::parse("*").expect("selector");
        for element in document.select(&any) {
            let tag = element.value().name();
            let theirs = tag == "script"
                && element
                    .value()
                    .attr("src")
                    .is_some_and(|src| src == "assets/table.js");
            assert!(
                theirs || !matches!(tag, "script" | "iframe" | "animate" | "math" | "style"),
                "{page}: a <{tag}> element"
            );
            for (attribute, value) in element.value().attrs() {
                assert!(
                    !attribute.starts_with("on"),
                    "{page}: {attribute} on <{tag}>"
                );
                assert!(
                    !value.trim().to_lowercase().starts_with("javascript:"),
                    "{page}: {attribute}=\"{value}\" on <{tag}>"
                );
            }
        }
        assert!(
            !lower.contains("onerror=") && !lower.contains("onmouseover="),
            "{page}"
        );
        assert!(
            html.contains("{{ site.title }}")
                || page == "index.html" && html.contains("{{ site.title }}"),
            "{page}: template syntax shown as text"
        );
    }
}

#[test]
fn escape_mode_shows_raw_html_as_text() {
    let dir = site(&[("plan.md", "# P\n\nA <b>bold</b> claim.\n")]);
    fs::write(dir.path().join("site.toml"), "raw_html = \"escape\"\n").expect("write");
    build_ok(dir.path());
    let html = fs::read_to_string(dir.path().join("public/plans/plan/index.html")).expect("page");
    assert!(html.contains("A &lt;b&gt;bold&lt;/b&gt; claim."), "{html}");
}

#[test]
fn base_url_gives_canonical_links_and_previews() {
    let dir = site(&[("plan.md", PLAN)]);
    plansite()
        .args([
            "build",
            "--as-of",
            AS_OF,
            "--base-url",
            "https://owner.github.io/repo/",
            "--root",
        ])
        .arg(dir.path())
        .assert()
        .code(0);
    let html = fs::read_to_string(dir.path().join("public/plans/plan/index.html")).expect("page");
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://owner.github.io/repo/plans/plan/\">"),
        "{html}"
    );
    assert!(html.contains("<meta property=\"og:description\" content=\"33% done (1 of 3 tasks) · budget $1,500\">"), "{html}");
    assert!(
        html.contains("href=\"../../assets/style.css\""),
        "links stay relative"
    );
    let not_found = fs::read_to_string(dir.path().join("public/404.html")).expect("404");
    assert!(
        not_found.contains("href=\"https://owner.github.io/repo/assets/style.css\""),
        "{not_found}"
    );
    let sitemap = fs::read_to_string(dir.path().join("public/sitemap.xml")).expect("sitemap");
    assert!(
        sitemap.contains("<loc>https://owner.github.io/repo/plans/plan/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let dir = site(&[
        ("plan.md", PLAN),
        ("draft.md", "---\ndraft: true\n---\n# Draft plan\n"),
    ]);
    plansite()
        .args(["build", "--as-of", AS_OF, "--root"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("built 1 plan(s)"));
    assert!(!dir.path().join("public/plans/draft").exists());
    plansite()
        .args(["build", "--drafts", "--as-of", AS_OF, "--root"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("built 2 plan(s)"));
    assert!(dir.path().join("public/plans/draft/index.html").is_file());
}

#[test]
fn bad_as_of_is_a_usage_error() {
    plansite()
        .args(["build", "--as-of", "2025-13-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a date"));
}

#[test]
fn a_late_plan_is_red_with_its_reason_on_the_dashboard_and_its_page() {
    let plan = "---\nstart: 2025-03-03\n---\n# Late Plan\n\n## Week 1-2: Build\n\n**Budget:** $10,000\n\n- [x] one\n- [ ] two\n- [ ] three\n\n## Week 3-4: Ship\n\n**Budget:** $10,000\n\n- [ ] four\n";
    let dir = site(&[
        ("late.md", plan),
        ("undated.md", "# Undated\n\n## Week 1: A\n\n- [ ] a\n"),
    ]);
    plansite()
        .args(["build", "--as-of", "2025-03-19", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let index = fs::read_to_string(dir.path().join("public/index.html")).expect("index");
    assert!(
        index.contains(
            "<td class=\"red\"><b>Red</b> SPI 0.27; 2 tasks overdue in Week 1-2<th scope=\"row\"><a href=\"plans/late/index.html\">Late Plan</a>"
        ),
        "{index}"
    );
    assert!(index.contains("<td class=\"unrated\"><b>Not rated</b>"));
    let page = fs::read_to_string(dir.path().join("public/plans/late/index.html")).expect("page");
    assert!(page.contains("[Overdue]</span> <span>two <span class=\"muted\">(Week 1-2, <code>content/late.md:11</code>)</span></span>"), "{page}");
    assert!(page.contains("href=\"milestones.ics\""));
    let ics =
        fs::read_to_string(dir.path().join("public/plans/late/milestones.ics")).expect("calendar");
    assert!(
        ics.contains("DTSTART;VALUE=DATE:20250316") && ics.contains("DTSTART;VALUE=DATE:20250330"),
        "{ics}"
    );
    let undated =
        fs::read_to_string(dir.path().join("public/plans/undated/index.html")).expect("page");
    assert!(undated.contains("Dates are unknown"));
    assert!(
        !dir.path()
            .join("public/plans/undated/milestones.ics")
            .exists(),
        "nothing is invented"
    );
    // Thresholds come from site.toml.
    fs::write(
        dir.path().join("site.toml"),
        "[status]\nspi_red = 0.1\nspi_amber = 0.2\noverdue_amber = 5\noverdue_red = 9\n",
    )
    .expect("write");
    plansite()
        .args(["build", "--as-of", "2025-03-19", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let index = fs::read_to_string(dir.path().join("public/index.html")).expect("index");
    let row = index
        .split("<tr")
        .find(|row| row.contains("href=\"plans/late/index.html\""))
        .expect("the plan's row");
    assert!(
        row.starts_with("><td class=\"green\"><b>Green</b> "),
        "{row}"
    );
}

#[test]
fn two_builds_at_once_give_one_site_and_one_clear_refusal() {
    let dir = site(&[("plan.md", PLAN)]);
    let bin = assert_cmd::cargo::cargo_bin("plansite");
    let run = || {
        std::process::Command::new(&bin)
            .args(["build", "--as-of", AS_OF, "--root"])
            .arg(dir.path())
            .output()
    };
    // Whichever way the two runs interleave, no run may fail any other way
    // than the documented refusal, and the site left is whole.
    for _ in 0..3 {
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(run);
            let b = s.spawn(run);
            (
                a.join().expect("thread").expect("run"),
                b.join().expect("thread").expect("run"),
            )
        });
        for out in [&a, &b] {
            let code = out.status.code();
            assert!(code == Some(0) || code == Some(3), "{out:?}");
            if code == Some(3) {
                assert!(
                    String::from_utf8_lossy(&out.stderr).contains("another plansite build is"),
                    "{out:?}"
                );
            }
        }
        assert!(
            a.status.success() || b.status.success(),
            "one build wins: {a:?} {b:?}"
        );
        let public = dir.path().join("public");
        for page in [
            "index.html",
            "plans/plan/index.html",
            "assets/style.css",
            ".plansite-output",
        ] {
            assert!(public.join(page).is_file(), "{page}");
        }
        let leftovers: Vec<String> = fs::read_dir(dir.path())
            .expect("read")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("plansite-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

/// SIGKILL at several points of a build of a few hundred plans: the site
/// left is always whole (the same bytes as before: the input is the same),
/// and the next build succeeds.
#[cfg(unix)]
#[test]
fn a_killed_build_leaves_a_whole_site_and_the_next_build_succeeds() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("content")).expect("content");
    for n in 0..300 {
        fs::write(
            dir.path().join(format!("content/plan-{n:03}.md")),
            PLAN.replace("Small Plan", &format!("Plan {n}")),
        )
        .expect("write");
    }
    let build = || {
        plansite()
            .args(["build", "--as-of", AS_OF, "--root"])
            .arg(dir.path())
            .assert()
            .code(0)
    };
    build();
    let public = dir.path().join("public");
    let before = super::files_under(&public);
    let bin = assert_cmd::cargo::cargo_bin("plansite");
    for delay in [5, 40, 120, 300] {
        let mut child = std::process::Command::new(&bin)
            .args(["build", "--as-of", AS_OF, "--root"])
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            super::files_under(&public),
            before,
            "after a kill at {delay} ms the site is whole"
        );
        build();
        assert_eq!(super::files_under(&public), before);
    }
}

#[test]
fn author_text_in_a_themes_script_block_cannot_escape_it() {
    let plan = "---\ntitle: \"</script><script>alert(1)</script><!-- \u{2028}\u{2029} & x\"\n---\n\n## Week 1: Start\n\n- [ ] one\n";
    let dir = site(&[("evil.md", plan)]);
    let templates = dir.path().join("themes/data/templates");
    fs::create_dir_all(&templates).expect("theme");
    fs::write(dir.path().join("site.toml"), "theme = \"data\"\n").expect("site.toml");
    fs::write(
        templates.join("index.html"),
        "<!doctype html><title>t</title><script type=\"application/json\" id=\"plans\">{{ cards | json_script }}</script>\n",
    )
    .expect("template");
    build_ok(dir.path());
    let html = fs::read_to_string(dir.path().join("public/index.html")).expect("dashboard");
    let inside = html
        .split_once("id=\"plans\">")
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(data, _)| data)
        .expect("one script block, closed by the theme");
    for raw in ["<", ">", "\u{2028}", "\u{2029}", "&"] {
        assert!(
            !inside.contains(raw),
            "`{raw}` inside the script block: {inside}"
        );
    }
    let cards: serde_json::Value = serde_json::from_str(inside).expect("valid JSON");
    assert!(
        cards[0]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("</script><script>alert(1)")),
        "the data is intact: {cards}"
    );
    assert_eq!(html.matches("<script").count(), 1, "{html}");
}

#[test]
fn hostile_chart_labels_give_valid_svg_and_full_titles_in_the_tables() {
    let long = "Long ".repeat(100);
    let titles = [
        "Tom & Jerry <b>\"quoted\" 'single'</b>".to_string(),
        "Bell\u{7}and\u{1b}escape".to_string(),
        "Launch 🚀 party 🎉".to_string(),
        "\u{202e}reversed\u{202c} and עברית".to_string(),
        long.trim().to_string(),
    ];
    let mut plan = String::from("# Labels\n\n");
    for (i, title) in titles.iter().enumerate() {
        plan.push_str(&format!(
            "## Week {}: {title}\n\n**Budget:** ${},000\n\n- [x] done\n- [ ] open\n\n",
            i + 1,
            i + 1
        ));
    }
    let dir = site(&[("labels.md", &plan)]);
    build_ok(dir.path());
    let html = fs::read_to_string(dir.path().join("public/plans/labels/index.html")).expect("page");
    let charts = super::inline_svgs(&html);
    assert!(charts.len() >= 3, "{} charts", charts.len());
    for svg in &charts {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
        for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
            let label = text.text().unwrap_or("");
            assert!(label.chars().count() <= 40, "label not shortened: {label}");
            assert!(
                !label.chars().any(|c| (c.is_control() && !c.is_whitespace())
                    || ('\u{202a}'..='\u{202e}').contains(&c)),
                "control or bidi character in a label: {label:?}"
            );
        }
    }
    // The data tables under the charts hold the full titles.
    let document = scraper::Html::parse_document(&html);
    let cells = scraper::Selector::parse(".chart details td, .chart details th").expect("selector");
    let table_text: String = document.select(&cells).flat_map(|c| c.text()).collect();
    assert!(
        table_text.contains(long.trim()),
        "the 500-character title is whole in a table"
    );
    assert!(table_text.contains("Tom & Jerry"), "{table_text}");
    assert!(table_text.contains("🚀"), "emoji kept in the table");
}
