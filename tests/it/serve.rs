//! `plansite serve` through the real binary: it answers, it rebuilds when a
//! plan is edited, it shows a broken edit as an error page and recovers,
//! and it says so clearly when its port is taken.

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `serve` process, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

fn start(root: &Path, port: u16) -> Server {
    start_printing_to(root, port, Stdio::null())
}

/// `serve` with what it prints going to `stdout`.
fn start_printing_to(root: &Path, port: u16, stdout: impl Into<Stdio>) -> Server {
    let child = Command::new(assert_cmd::cargo::cargo_bin("plansite"))
        .args([
            "serve",
            "--as-of",
            "2025-03-10",
            "--port",
            &port.to_string(),
            "--root",
        ])
        .arg(root)
        .stdout(stdout)
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    Server(child)
}

/// GET over plain HTTP: (status, body).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

/// Polls until `check` holds (or a generous limit passes: this asserts
/// behaviour, not speed). Returns how long it took.
fn until(what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if check() {
            return started.elapsed();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for: {what}");
}

const PLAN: &str = "# Served Plan\n\n## Week 1: Start\n\n- [x] one\n- [ ] two\n";

/// A site folder with an empty content folder.
fn content_folder() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = super::site_with(&[]);
    let content = dir.path().join("content");
    (dir, content)
}

/// Writes `content/<name>.md`, the test plan titled `title`.
fn write_plan(content: &Path, name: &str, title: &str) {
    fs::write(
        content.join(format!("{name}.md")),
        PLAN.replace("Served Plan", title),
    )
    .expect("write a plan");
}

#[test]
fn serve_rebuilds_on_edit_shows_errors_and_recovers() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("content")).expect("content");
    fs::write(
        dir.path().join("site.toml"),
        "base_url = \"https://owner.github.io/repo/\"\n",
    )
    .expect("site.toml");
    let plan = dir.path().join("content/served.md");
    fs::write(&plan, PLAN).expect("plan");
    let port = free_port();
    let _server = start(dir.path(), port);
    until("the dashboard answers", || {
        get(port, "/repo/").is_some_and(|(s, _)| s == 200)
    });
    let (_, dashboard) = get(port, "/repo/").expect("dashboard");
    assert!(dashboard.contains("Served Plan"));
    assert!(
        dashboard.contains("new EventSource(\"/__plansite/events\")"),
        "the reload script is injected when serving"
    );
    assert_eq!(
        get(port, "/").map(|(s, _)| s),
        Some(302),
        "the root redirects to the base path"
    );
    assert_eq!(
        get(port, "/repo/assets/style.css").map(|(s, _)| s),
        Some(200)
    );
    assert_eq!(
        get(port, "/repo/no-such-page.html").map(|(s, _)| s),
        Some(404)
    );

    fs::write(&plan, PLAN.replace("Served Plan", "Renamed Plan")).expect("edit");
    let took = until("the edit is served", || {
        get(port, "/repo/plans/served/index.html").is_some_and(|(_, b)| b.contains("Renamed Plan"))
    });
    eprintln!("edit served after {} ms", took.as_millis());

    fs::write(&plan, "---\ntitle: [never closed\n# broken\n").expect("break");
    until("the error page", || {
        get(port, "/repo/").is_some_and(|(s, b)| {
            s == 500 && b.contains("served.md:1:1") && b.contains("never closed")
        })
    });

    fs::write(&plan, PLAN).expect("fix");
    until("the site is back", || {
        get(port, "/repo/").is_some_and(|(s, b)| s == 200 && b.contains("Served Plan"))
    });
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let dir = tempfile::tempdir().expect("temp dir");
    crate::plansite()
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "port {port} on 127.0.0.1 is in use"
        )));
}

#[test]
fn serve_re_renders_what_an_edit_touches_and_drops_what_went() {
    let (dir, content) = content_folder();
    write_plan(&content, "a", "Alpha Plan");
    write_plan(&content, "b", "Beta Plan");
    let port = free_port();
    let _server = start(dir.path(), port);
    until("the dashboard answers", || {
        get(port, "/").is_some_and(|(s, b)| s == 200 && b.contains("Beta Plan"))
    });
    let beta = get(port, "/plans/b/index.html").expect("b's page");
    let beta_json = get(port, "/plans/b/plan.json").expect("b's model");

    // An edit to one plan: its page and the dashboard change, the other
    // plan's files stay as they were.
    write_plan(&content, "a", "Alpha Edited");
    until("the edit is served", || {
        get(port, "/plans/a/index.html").is_some_and(|(_, b)| b.contains("Alpha Edited"))
    });
    until("the dashboard shows the edit", || {
        get(port, "/").is_some_and(|(_, b)| b.contains("Alpha Edited") && !b.contains("Alpha Plan"))
    });
    assert_eq!(get(port, "/plans/b/index.html"), Some(beta));
    assert_eq!(get(port, "/plans/b/plan.json"), Some(beta_json));

    // A new plan appears; a deleted one goes with all its files.
    write_plan(&content, "c", "Gamma Plan");
    until("the new plan is served", || {
        get(port, "/plans/c/index.html").is_some_and(|(s, b)| s == 200 && b.contains("Gamma Plan"))
    });
    fs::remove_file(content.join("a.md")).expect("delete a");
    until("the deleted plan is gone", || {
        get(port, "/plans/a/index.html").is_some_and(|(s, _)| s == 404)
    });
    assert_eq!(get(port, "/plans/a/plan.json").map(|(s, _)| s), Some(404));
    let (_, dashboard) = get(port, "/").expect("dashboard");
    assert!(
        !dashboard.contains("Alpha Edited"),
        "the dashboard drops it"
    );
    assert!(dashboard.contains("Beta Plan") && dashboard.contains("Gamma Plan"));
}

/// Archives the site's plans as `week`.
fn snapshot(root: &Path, week: &str) {
    let status = Command::new(assert_cmd::cargo::cargo_bin("plansite"))
        .args(["snapshot", "--week", week, "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .status()
        .expect("snapshot");
    assert!(status.success(), "snapshot {week}");
}

#[test]
fn serve_keeps_archived_weeks_across_edits() {
    let (dir, content) = content_folder();
    write_plan(&content, "a", "Alpha Plan");
    for week in ["2025-W08", "2025-W09"] {
        snapshot(dir.path(), week);
    }
    let log = dir.path().join("serve.log");
    let port = free_port();
    let _server = start_printing_to(dir.path(), port, fs::File::create(&log).expect("log"));
    until("the dashboard answers", || {
        get(port, "/").is_some_and(|(s, _)| s == 200)
    });
    let archived = get(port, "/archive/2025-W08/plans/a/index.html").expect("archived page");
    assert_eq!(archived.0, 200);

    write_plan(&content, "a", "Alpha Edited");
    until("the edit is served", || {
        get(port, "/plans/a/index.html").is_some_and(|(_, b)| b.contains("Alpha Edited"))
    });
    // The archived week is still served, unchanged, and was not rendered
    // again: the rebuild made the plan's files and the site-wide pages only.
    assert_eq!(
        get(port, "/archive/2025-W08/plans/a/index.html"),
        Some(archived)
    );
    let printed = fs::read_to_string(&log).expect("log");
    let lines: Vec<&str> = printed
        .lines()
        .filter(|l| l.starts_with("rebuilt:"))
        .collect();
    assert!(
        lines.len() >= 2,
        "the first build and the rebuild: {printed}"
    );
    let count = |line: &str| -> usize {
        line.split_whitespace()
            .nth(1)
            .and_then(|n| n.parse().ok())
            .expect("a count")
    };
    let (first, rebuilt) = (lines[0], lines[lines.len() - 1]);
    // Two archived weeks of one plan: a dashboard and a page each.
    assert_eq!(
        count(rebuilt) + 4,
        count(first),
        "only the edited plan and the site-wide pages: {printed}"
    );
}

/// After edits, what `serve` holds equals what `build` writes: the rebuilds
/// keep the archived week they count changes from, and must count them
/// as a clean build does.
#[test]
fn serve_after_edits_equals_a_clean_build_with_history() {
    let (dir, content) = content_folder();
    write_plan(&content, "a", "Alpha Plan");
    write_plan(&content, "b", "Beta Plan");
    snapshot(dir.path(), "2025-W08");
    // The weeks differ: a task came between them.
    let text = PLAN.replace("Served Plan", "Alpha Plan") + "- [ ] four\n";
    fs::write(content.join("a.md"), text).expect("write");
    snapshot(dir.path(), "2025-W09");
    let port = free_port();
    let _server = start(dir.path(), port);
    until("the dashboard answers", || {
        get(port, "/").is_some_and(|(s, _)| s == 200)
    });
    // Two edits: the second rebuild uses what the first one kept.
    for (title, done) in [
        ("Alpha Edited", "- [x] two"),
        ("Alpha Twice", "- [x] three"),
    ] {
        let text = PLAN
            .replace("Served Plan", title)
            .replace("- [ ] two", done);
        fs::write(content.join("a.md"), text).expect("edit");
        until("the edit is served", || {
            get(port, "/plans/a/index.html").is_some_and(|(_, b)| b.contains(title))
        });
    }
    let out = dir.path().join("built");
    let status = Command::new(assert_cmd::cargo::cargo_bin("plansite"))
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(dir.path())
        .arg("--output")
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("build");
    assert!(status.success());
    let served_page = |path: &str| {
        let body = get(port, path).expect("served").1;
        // The one thing `serve` adds: its reload script.
        let start = body
            .find("<script data-keep>(function(){var last")
            .expect("reload script");
        let end = start + body[start..].find("</script>").expect("script end") + "</script>".len();
        format!("{}{}", &body[..start], &body[end..])
    };
    for (served, built) in [
        ("/plans/a/index.html", "plans/a/index.html"),
        ("/plans/b/index.html", "plans/b/index.html"),
        ("/", "index.html"),
    ] {
        let built = fs::read_to_string(out.join(built)).expect("built page");
        assert_eq!(
            served_page(served),
            built,
            "{served} differs from the build"
        );
    }
    // Since week 9, tasks two and four went and task three came, done.
    let page = served_page("/plans/a/index.html");
    assert!(
        page.contains("[Removed]</span> two")
            && page.contains("[Removed]</span> four")
            && page.contains("[Added]</span> three"),
        "the changes since the last week are counted: {page}"
    );
}

/// The salt a protected page's shell names (`data-salt="…"`).
fn salt_of(page: &str) -> Option<String> {
    let rest = page.split_once("data-salt=\"")?.1;
    Some(rest.split_once('"')?.0.to_string())
}

#[test]
fn serve_protect_serves_shells_sealed_under_one_salt_across_rebuilds() {
    let (dir, content) = content_folder();
    write_plan(&content, "secret", "Served Secret Plan");
    let port = free_port();
    let child = Command::new(assert_cmd::cargo::cargo_bin("plansite"))
        .args(["serve", "--protect", "--port", &port.to_string(), "--root"])
        .arg(dir.path())
        .env("PLANSITE_PASSPHRASE", "a long enough test passphrase")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let _server = Server(child);
    let mut first = String::new();
    until("the protected dashboard", || {
        get(port, "/index.html").is_some_and(|(status, body)| {
            first = body;
            status == 200 && first.contains("id=\"sealed\"")
        })
    });
    assert!(!first.contains("Served Secret Plan"), "{first}");
    assert!(
        first.contains("<script data-keep>"),
        "the reload script is kept"
    );
    let (status, page) = get(port, "/plans/secret/index.html").expect("plan page");
    assert_eq!(status, 200);
    assert!(page.contains("id=\"sealed\"") && !page.contains("Served Secret Plan"));
    assert_eq!(
        get(port, "/plans/secret/plan.json").map(|(s, _)| s),
        Some(404)
    );
    // An edit is sealed under the same salt: an unlocked tab reloads
    // without asking again.
    write_plan(&content, "secret", "Served Secret Plan, renamed");
    until("a rebuild with a new page", || {
        get(port, "/plans/secret/index.html").is_some_and(|(_, body)| body != page)
    });
    let (_, again) = get(port, "/plans/secret/index.html").expect("plan page");
    assert_eq!(salt_of(&again), salt_of(&first));
    assert!(salt_of(&first).is_some_and(|s| s.len() == 24), "{first}");
}

#[test]
fn serve_protect_without_a_passphrase_is_a_usage_error() {
    let (dir, _content) = content_folder();
    super::plansite()
        .args([
            "serve",
            "--protect",
            "--port",
            &free_port().to_string(),
            "--root",
        ])
        .arg(dir.path())
        .env_remove("PLANSITE_PASSPHRASE")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("PLANSITE_PASSPHRASE"));
}
