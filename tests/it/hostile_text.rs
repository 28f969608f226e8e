//! Hostile text through the real binary: many warnings of one kind, file
//! names that are not UTF-8, control characters in plans and names, odd
//! encodings, sizes just over the cap, weeks and base URLs out of range.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::site_with as site;

use super::plansite;

const GOOD: &str = "# Good\n\n## Week 1: Start\n\n**Budget:** $100\n\n- [x] one\n- [ ] two\n";

/// Runs plansite with `args` under a CPU-time limit, through `sh`.
fn limited(cpu_seconds: u32, args: &[&OsStr]) -> std::process::Output {
    let binary = assert_cmd::cargo::cargo_bin("plansite");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -t {cpu_seconds}; exec \"$0\" \"$@\""))
        .arg(binary)
        .args(args)
        .output()
        .expect("sh runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A plan whose budget summary has `rows` rows that name no phase: one
/// warning of one kind per row.
fn plan_with_unmatched_rows(rows: usize) -> String {
    let mut plan = String::from(
        "# Many\n\n## Week 1: Start\n\n**Budget:** $1,000\n\n- [ ] a task\n\n## Budget summary\n\n| Phase | Budget |\n| --- | --- |\n",
    );
    for i in 0..rows {
        plan.push_str(&format!("| Extra {i} | $1 |\n"));
    }
    plan
}

#[test]
fn many_warnings_of_one_kind_are_capped_with_a_summary_line() {
    // 40,000 warnings of one kind in a 0.8 MB plan. Each used to look its
    // source line up from the top of the file (31 s in a release build);
    // the CPU limit is a hang guard only, far above what the run needs.
    let plan = plan_with_unmatched_rows(40_000);
    let dir = site(&[("many.md", &plan)]);
    let out = limited(
        60,
        &["check".as_ref(), "--root".as_ref(), dir.path().as_os_str()],
    );
    let stderr = text(&out.stderr);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stderr:.2000}");
    assert_eq!(
        stderr.matches("matches no phase of the plan").count(),
        20,
        "{stderr:.2000}"
    );
    assert!(
        stderr.contains("… and 39,980 more warnings like this in ")
            && stderr.contains("content/many.md"),
        "{stderr:.4000}"
    );
    // The counts stay true.
    assert!(
        stdout.contains("checked 1 plan(s): 0 error(s), 40000 warning(s)"),
        "{stdout}"
    );
    // The plan page lists as many, and says how many more.
    let output = dir.path().join("public");
    let out = limited(
        60,
        &[
            "build".as_ref(),
            "--as-of".as_ref(),
            "2025-03-10".as_ref(),
            "--root".as_ref(),
            dir.path().as_os_str(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{:.2000}", text(&out.stderr));
    let page = fs::read_to_string(output.join("plans/many/index.html")).expect("plan page");
    assert_eq!(page.matches("matches no phase of the plan").count(), 20);
    assert!(
        page.contains("… and 39,980 more warnings like this in "),
        "{:.2000}",
        &page[page.find("checks").unwrap_or(0)..]
    );
}

#[test]
fn a_file_name_that_is_not_utf8_is_snapshotted_and_built() {
    let dir = site(&[("good.md", GOOD)]);
    let name = OsStr::from_bytes(b"bad\xff\xfename.md");
    fs::write(
        dir.path().join("content").join(name),
        "# Odd name\n\n## Week 1: Start\n\n- [ ] one\n",
    )
    .expect("write a file with a non-UTF-8 name");
    let out = plansite()
        .args(["snapshot", "--week", "2025-W10", "--root"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("2 plan(s) archived"),
        "{}",
        text(&out.stdout)
    );
    // The archived copy is named by the UTF-8 name the manifest records,
    // byte for byte the same file.
    let manifest =
        fs::read_to_string(dir.path().join("archive/2025-W10/manifest.json")).expect("manifest");
    let json: serde_json::Value = serde_json::from_str(&manifest).expect("JSON");
    let archived = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .find(|p| p.starts_with("bad"))
        .expect("the odd name is archived");
    assert_eq!(archived, "bad\u{FFFD}\u{FFFD}name.md");
    assert_eq!(
        fs::read(dir.path().join("archive/2025-W10/plans").join(&archived)).expect("copy"),
        fs::read(dir.path().join("content").join(name)).expect("original")
    );
    // The archive reads back without a warning about the file.
    let out = plansite()
        .args(["build", "--as-of", "2025-03-20", "--root"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("archived plan"),
        "{}",
        text(&out.stderr)
    );
    assert!(dir
        .path()
        .join("public/archive/2025-W10/index.html")
        .is_file());
    // Two names shown alike would share one archived name: refused,
    // naming both, and the archive is unchanged.
    fs::write(
        dir.path()
            .join("content")
            .join(OsStr::from_bytes(b"bad\xfe\xffname.md")),
        "---\nslug: other\n---\n# Other\n",
    )
    .expect("write");
    let out = plansite()
        .args(["snapshot", "--week", "2025-W11", "--root"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("would both be archived as `bad\u{FFFD}\u{FFFD}name.md`"),
        "{stderr}"
    );
    assert!(!dir.path().join("archive/2025-W11").exists());
}

/// Bytes no text output may carry: C0 controls other than tab, LF and CR,
/// DEL, and C1 controls (U+0080..U+009F, C2 80..C2 9F in UTF-8).
fn control_at(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().position(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || b == 0x7F
            || (b == 0xC2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
    })
}

#[test]
fn control_characters_never_reach_the_terminal_or_a_page() {
    let week_10 =
        "# Controls\n\n**Status:** on track\n\n## Week 1: Start\n\n**Budget:** $100\n\n- [x] one\n";
    let hostile = "# Con\u{1}trols \u{1b}]0;pwned\u{7}\n\n\
**Status:** at\u{1}risk\u{9b}31m\n\n\
## Week 1: Start\u{b}now\u{c}\n\n\
**Budget:** $100\n\n\
- [x] one\n- [ ] two \u{1b}[2J\u{7f}\n\n\
| Phase | Budget |\n| --- | --- |\n| Week 1 | $100 |\n| Other \u{1b}]0;title\u{7} | $5 |\n";
    let dir = site(&[("controls.md", week_10)]);
    let escaped_name = OsStr::from_bytes(b"esc\x1b[31mname\x07.md");
    fs::write(dir.path().join("content").join(escaped_name), GOOD).expect("write");
    let snapshot = |week: &str, note: &str| {
        let out = plansite()
            .args(["snapshot", "--week", week, "--note", note, "--root"])
            .arg(dir.path())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        out
    };
    snapshot("2025-W10", "first");
    fs::write(dir.path().join("content/controls.md"), hostile).expect("write");
    let out = snapshot("2025-W11", "second \u{1} week");
    for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert_eq!(
            control_at(bytes),
            None,
            "snapshot {what}: {:?}",
            text(bytes)
        );
    }
    let out = plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // The warning quoting the row is still there, its controls shown.
    assert!(
        text(&out.stderr).contains("matches no phase"),
        "{}",
        text(&out.stderr)
    );
    for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert_eq!(control_at(bytes), None, "check {what}: {:?}", text(bytes));
    }
    let out = plansite()
        .args(["build", "--as-of", "2025-03-20", "--root"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert_eq!(control_at(bytes), None, "build {what}: {:?}", text(bytes));
    }
    let public = dir.path().join("public");
    let feed = fs::read_to_string(public.join("feed.xml")).expect("feed");
    roxmltree::Document::parse(&feed).unwrap_or_else(|e| panic!("feed.xml: {e}\n{feed}"));
    let sitemap = fs::read_to_string(public.join("sitemap.xml")).expect("sitemap");
    roxmltree::Document::parse(&sitemap).unwrap_or_else(|e| panic!("sitemap.xml: {e}"));
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.expect("walk");
        let path = entry.path();
        let textual = path
            .extension()
            .and_then(OsStr::to_str)
            .is_some_and(|e| matches!(e, "html" | "xml" | "ics" | "svg" | "css"));
        if entry.file_type().is_file() && textual {
            let bytes = fs::read(path).expect("read");
            if let Some(at) = control_at(&bytes) {
                let from = at.saturating_sub(80);
                panic!(
                    "{} holds a control character at byte {at}: {:?}",
                    path.display(),
                    text(&bytes[from..(at + 20).min(bytes.len())])
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 5, "pages checked: {checked}");
    let page = fs::read_to_string(public.join("plans/controls/index.html")).expect("page");
    assert!(page.contains("Con\u{FFFD}trols"), "the title shows a mark");
}

#[test]
fn a_plan_one_byte_over_the_cap_says_by_how_much() {
    let dir = site(&[("good.md", GOOD)]);
    let big = "x".repeat(16 * 1024 * 1024 + 1);
    fs::write(dir.path().join("content/huge.md"), big).expect("write");
    let out = plansite()
        .args(["check", "--root"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("file is 16,777,217 bytes, over the cap of 16,777,216"),
        "{stderr}"
    );
}

#[test]
fn a_week_needs_a_four_digit_year() {
    let dir = site(&[("good.md", GOOD)]);
    for week in ["0000-W01", "99999-W01", "1969-W01", "+2025-W01", "-001-W01"] {
        let out = plansite()
            .arg("snapshot")
            .arg(format!("--week={week}"))
            .arg("--root")
            .arg(dir.path())
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{week}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("--week"),
            "{}",
            text(&out.stderr)
        );
    }
    assert!(
        !dir.path().join("archive").exists()
            || fs::read_dir(dir.path().join("archive"))
                .expect("archive")
                .filter_map(Result::ok)
                .all(|e| e.file_name().to_string_lossy().starts_with('.')),
        "no week was created"
    );
    plansite()
        .args(["snapshot", "--week", "2025-W01", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
}

fn model_of(path: &Path) -> (serde_json::Value, String) {
    let out = plansite().arg("model").arg(path).output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    (
        serde_json::from_slice(&out.stdout).expect("JSON"),
        text(&out.stderr),
    )
}

#[test]
fn utf16_without_a_bom_and_utf32_are_read_with_a_warning() {
    let plan = "# Wide Plan ✅\n\n## Week 1: Start\n\n- [x] one\n- [ ] two\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, bytes: Vec<u8>| {
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("write");
        path
    };
    let le: Vec<u8> = plan.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = plan.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let utf32le: Vec<u8> = [0xFF, 0xFE, 0, 0]
        .into_iter()
        .chain(plan.chars().flat_map(|c| (c as u32).to_le_bytes()))
        .collect();
    let utf32be: Vec<u8> = [0, 0, 0xFE, 0xFF]
        .into_iter()
        .chain(plan.chars().flat_map(|c| (c as u32).to_be_bytes()))
        .collect();
    for (name, bytes, encoding) in [
        ("le.md", le, "UTF-16"),
        ("be.md", be, "UTF-16"),
        ("utf32le.md", utf32le, "UTF-32"),
        ("utf32be.md", utf32be, "UTF-32"),
    ] {
        let path = write(name, bytes);
        let (json, stderr) = model_of(&path);
        assert_eq!(json["title"], "Wide Plan ✅", "{name}: {stderr}");
        assert_eq!(json["progress"]["total"], 2, "{name}");
        let warned = json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .any(|d| {
                d["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with(&format!("file is {encoding}")))
            });
        assert!(warned, "{name}: {}", json["diagnostics"]);
    }
}

#[test]
fn a_base_url_must_be_http_or_a_path() {
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "ftp://host/",
        "repo/",
        "//host/x",
    ] {
        let dir = site(&[("good.md", GOOD)]);
        fs::write(
            dir.path().join("site.toml"),
            format!("title = \"T\"\nbase_url = \"{bad}\"\n"),
        )
        .expect("write");
        let out = plansite()
            .args(["build", "--root"])
            .arg(dir.path())
            .output()
            .expect("runs");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(
            stderr.contains("site.toml:2") && stderr.contains("base_url"),
            "{bad}: {stderr}"
        );
        assert!(!dir.path().join("public").exists());
        fs::remove_file(dir.path().join("site.toml")).expect("remove");
        let out = plansite()
            .args(["build", "--base-url", bad, "--root"])
            .arg(dir.path())
            .output()
            .expect("runs");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("--base-url"), "{bad}: {stderr}");
        assert!(!dir.path().join("public").exists());
    }
    for good in [
        "https://owner.github.io/repo/",
        "http://example.com",
        "/",
        "/repo/",
    ] {
        let dir = site(&[("good.md", GOOD)]);
        plansite()
            .args(["build", "--base-url", good, "--root"])
            .arg(dir.path())
            .assert()
            .code(0);
    }
}
