//! The built site in a real browser: `plansite build` on the example content
//! (with its archived weeks, as of the week after the last one, and the
//! base URL `/repo/`), then `tests/browser/check.mjs` serves it on loopback
//! under `/repo/` and opens the dashboard, a plan page, the archive index, an
//! archived week and the 404 page in headless Chromium at 1280 px and 375 px
//! wide. It fails on a request that does not load, a console error, a page
//! error, a page without `<main>`, sideways scroll at 375 px, chart text
//! drawn under 10 px at 375 px (`labels.mjs`), a serious or critical
//! axe-core finding in light or dark mode, or a dashboard table that does
//! not sort and filter with its script. It also prints the plan page to
//! PDF on A4 (`tests/browser/print.mjs`) and fails when page 1 lacks the
//! header, key figures, decision or timeline, or when the page count is far
//! beyond what the content needs. The same site built with `--protect` is
//! served under `/repo/` too and must stay locked, refuse a wrong
//! passphrase, open with the right one and follow links without asking
//! again, open from a `#k=` link at 375 px and from disk, and print
//! (`tests/browser/protect.mjs`). It leaves its screenshots and the PDF in
//! `target/browser-screenshots/`.
//!
//! It needs Chromium, Node and `npm ci` in `tests/browser`. Without them it
//! is skipped with a message, unless `PLANSITE_REQUIRE_BROWSER=1` (set by
//! `.ci/run`, which installs all three) makes it fail instead.

use std::env;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SKIP: &str =
    "skipped: browser test needs chromium, node and npm ci in tests/browser (see .ci/run)";

/// Chromium: `$PLANSITE_CHROMIUM` (for instance Google Chrome on a CI
/// runner), `/usr/bin/chromium`, or `chromium` on `PATH`.
fn find_chromium() -> Option<PathBuf> {
    if let Some(given) = env::var_os("PLANSITE_CHROMIUM").map(PathBuf::from) {
        if given.is_file() {
            return Some(given);
        }
    }
    let debian = PathBuf::from("/usr/bin/chromium");
    if debian.is_file() {
        return Some(debian);
    }
    let path = env::var_os("PATH")?;
    env::split_paths(&path)
        .map(|dir| dir.join("chromium"))
        .find(|candidate| candidate.is_file())
}

fn node_runs() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

fn show(out: &Output) -> String {
    format!(
        "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `plansite build` of the example under `/repo/` into `output`, as of
/// 2026-11-25; protected with `passphrase` when one is given.
fn build_example(root: &Path, output: &Path, passphrase: Option<&str>) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plansite"));
    command.arg("build");
    if let Some(passphrase) = passphrase {
        command
            .arg("--protect")
            .env("PLANSITE_PASSPHRASE", passphrase);
    }
    let build = command
        .args(["--base-url", "/repo/", "--output"])
        .arg(output)
        .current_dir(root)
        .env("SOURCE_DATE_EPOCH", "1795608000")
        .output()
        .expect("run plansite build");
    assert!(
        build.status.success(),
        "plansite build (protected: {}) --output {} failed\n{}",
        passphrase.is_some(),
        output.display(),
        show(&build)
    );
}

/// The passphrase of the protected build the check unlocks.
const PASSPHRASE: &str = "a long enough test passphrase";

#[test]
fn built_site_loads_cleanly_in_chromium_at_desktop_and_phone_widths() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");

    let chromium = find_chromium();
    let mut missing = Vec::new();
    if chromium.is_none() {
        missing.push("chromium (apt-get install chromium)".to_string());
    }
    if !node_runs() {
        missing.push("node (Node.js 20 or later)".to_string());
    }
    for package in ["playwright-core", "pdfjs-dist", "axe-core"] {
        if !browser_dir
            .join("node_modules")
            .join(package)
            .join("package.json")
            .is_file()
        {
            missing.push(format!(
                "{package} (run `npm ci` in {})",
                browser_dir.display()
            ));
        }
    }
    if !missing.is_empty() {
        if env::var("PLANSITE_REQUIRE_BROWSER").as_deref() == Ok("1") {
            panic!(
                "PLANSITE_REQUIRE_BROWSER=1 but the browser test cannot run; missing: {}",
                missing.join(", ")
            );
        }
        // Straight to the process's stderr, past the test harness's capture,
        // so a plain `cargo test` shows why this test did not run.
        let _ = writeln!(
            std::io::stderr(),
            "\n{SKIP}; missing: {}",
            missing.join(", ")
        );
        return;
    }

    let work = tempfile::tempdir().expect("temp dir");
    let public = work.path().join("public");
    // As of Wednesday 2026-11-25 (2026-W48), the week after the last archived
    // one (2026-W47): the pages then show the history (trend charts, forecast,
    // changes since 2026-W47) as well as the archive. `/repo/` is where
    // check.mjs serves the site; the 404 page, served at any address, links
    // from there.
    build_example(root, &public, None);

    // The same site protected (`--protect`, opaque folder names from
    // site.toml would work the same), for protect.mjs: unlocked with the
    // passphrase, refused with another.
    let locked = work.path().join("locked");
    build_example(root, &locked, Some(PASSPHRASE));

    // target/browser-screenshots (the target folder is the parent of
    // CARGO_TARGET_TMPDIR, wherever CARGO_TARGET_DIR puts it). Emptied first
    // so no screenshot from an earlier run is taken for this one's.
    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target folder")
        .join("browser-screenshots");
    match std::fs::remove_dir_all(&screenshots) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("cannot empty {}: {e}", screenshots.display()),
    }

    let check = Command::new("node")
        .arg(browser_dir.join("check.mjs"))
        .arg(&public)
        .arg(&screenshots)
        .arg(&locked)
        .current_dir(root)
        .env("PLANSITE_PASSPHRASE", PASSPHRASE)
        .env(
            "PLANSITE_CHROMIUM",
            chromium.expect("checked above").as_os_str(),
        )
        .output()
        .expect("run node tests/browser/check.mjs");
    assert!(
        check.status.success(),
        "the browser check of the built site failed (screenshots in {})\n{}",
        screenshots.display(),
        show(&check)
    );
    eprintln!("{}", String::from_utf8_lossy(&check.stdout).trim_end());
}
