//! Adversarial plan files through the real binary: front matter built to
//! exhaust a parser, every encoding plans arrive in, and a plan that panics
//! plansite (a panic injected into test builds). Each gives the behaviour
//! PLAN-FORMAT.md and SECURITY.md state, with `file:line:col` where there
//! is an error.

use std::fs;
use std::path::Path;

use super::plansite;

const BODY: &str = "\n# Plan\n\n## Week 1: Start\n\n- [x] one\n- [ ] two\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::create_dir_all(dir.join("content")).expect("content");
    fs::write(dir.join("content").join(name), bytes).expect("write");
}

/// `plansite check` over the folder: (exit code, stderr).
fn check(dir: &Path) -> (i32, String) {
    let output = plansite()
        .args(["check", "--root"])
        .arg(dir)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("check runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The model of one file as JSON.
fn model(dir: &Path, name: &str) -> serde_json::Value {
    let output = plansite()
        .args(["model", "--root"])
        .arg(dir)
        .arg(dir.join("content").join(name))
        .output()
        .expect("model runs");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{name}: {e}: {output:?}"))
}

#[test]
fn hostile_front_matter_is_a_clear_error_or_kept_as_typed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut bomb = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!("{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"));
    }
    bomb.push_str("---\n");
    write(dir.path(), "bomb.md", (bomb + BODY).as_bytes());
    let deep = format!(
        "---\ntitle: {}{}\n---\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    write(dir.path(), "deep.md", (deep + BODY).as_bytes());
    write(
        dir.path(),
        "dupe.md",
        format!("---\ntitle: One\nowner: A\ntitle: Two\n---\n{BODY}").as_bytes(),
    );
    let big = format!(
        "---\ntitle: Big\nnotes: \"{}\"\n---\n",
        "x".repeat(70 * 1024)
    );
    write(dir.path(), "big.md", (big + BODY).as_bytes());
    write(
        dir.path(),
        "unclosed.md",
        format!("---\ntitle: Never closed\n{BODY}").as_bytes(),
    );
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 1, "{stderr}");
    for (file, needle) in [
        ("bomb.md:", "bomb.md"),
        ("deep.md:", "nest"),
        ("dupe.md:4:", "duplicate"),
        ("big.md:", "64 KiB"),
        ("unclosed.md:1:", "never closed"),
    ] {
        let at = stderr
            .find(&format!("content/{file}"))
            .unwrap_or_else(|| panic!("no error at content/{file}: {stderr}"));
        let around = &stderr[at.saturating_sub(400)..(at + 400).min(stderr.len())];
        assert!(
            around.to_lowercase().contains(&needle.to_lowercase()),
            "{file}: `{needle}` not said near it: {around}"
        );
    }
}

#[test]
fn odd_values_are_kept_as_typed_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "values.md",
        format!("---\nstatus: no\ndate: 2024-13-45\n---\n{BODY}").as_bytes(),
    );
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("values.md:3:"),
        "the date is warned at its line: {stderr}"
    );
    let plan = model(dir.path(), "values.md");
    assert_eq!(
        plan["meta"]["status"], "no",
        "`status: no` is the word, not false"
    );
    assert_eq!(plan["meta"]["extra"]["date"], "2024-13-45", "kept as typed");
}

#[test]
fn every_encoding_plans_arrive_in_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "# Café Rollout ✅\n\n## Week 1: Start\n\n- [x] one\n- [ ] two\n";
    write(
        dir.path(),
        "bom.md",
        &[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
    );
    write(dir.path(), "crlf.md", text.replace('\n', "\r\n").as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), "utf16.md", &utf16);
    let latin: Vec<u8> = "# Caf\u{e9} Rollout\n\n## Week 1: Start\n\n- [x] one\n"
        .chars()
        .map(|c| c as u32 as u8)
        .collect();
    write(dir.path(), "latin.md", &latin);
    let doubled: String = text
        .bytes()
        .map(|b| encoding_rs::WINDOWS_1252.decode(&[b]).0.into_owned())
        .collect();
    write(dir.path(), "doubled.md", doubled.as_bytes());
    let (code, stderr) = check(dir.path());
    assert_eq!(code, 0, "{stderr}");
    for name in ["bom.md", "crlf.md", "utf16.md", "doubled.md"] {
        let plan = model(dir.path(), name);
        assert_eq!(plan["title"], "Café Rollout ✅", "{name}");
        assert_eq!(plan["progress"]["done"], 1, "{name}");
    }
    assert_eq!(model(dir.path(), "latin.md")["title"], "Café Rollout");
    assert!(
        stderr.contains("latin.md"),
        "invalid UTF-8 is warned: {stderr}"
    );
    assert!(
        stderr.contains("doubled.md"),
        "double encoding is warned: {stderr}"
    );
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "fault injection is compiled into debug builds only"
)]
fn a_plan_that_panics_plansite_is_an_error_naming_it_and_the_others_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["calm", "cursed", "quiet"] {
        write(
            dir.path(),
            &format!("{name}.md"),
            format!("# {name}\n{BODY}").as_bytes(),
        );
    }
    let output = contained_panic(dir.path(), &["check"], "read", "reading");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("calm.md") && stdout.contains("quiet.md"),
        "the others are read: {stdout}"
    );

    // In the render: the build fails naming the plan and writes nothing.
    plansite()
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(dir.path())
        .assert()
        .code(0);
    let public = dir.path().join("public");
    let before = super::files_under(&public);
    write(
        dir.path(),
        "quiet.md",
        format!("# quiet, edited\n{BODY}").as_bytes(),
    );
    contained_panic(
        dir.path(),
        &["build", "--as-of", "2025-03-10"],
        "render",
        "rendering",
    );
    assert_eq!(super::files_under(&public), before, "nothing half-written");
}

/// Runs plansite (`args`, then `--root dir`) with a panic injected while
/// `stage` handles `cursed.md`: it must exit 1 with an error naming the
/// file and `failed while <doing>`, and print no panic trace.
fn contained_panic(dir: &Path, args: &[&str], stage: &str, doing: &str) -> std::process::Output {
    let output = plansite()
        .args(args)
        .arg("--root")
        .arg(dir)
        .env("PLANSITE_INJECT_PANIC", format!("{stage}:cursed"))
        .output()
        .expect("plansite runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/cursed.md") && stderr.contains(&format!("failed while {doing}")),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked at"), "no panic trace: {stderr}");
    output
}
