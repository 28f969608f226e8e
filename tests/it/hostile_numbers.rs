//! Hostile numbers through the real binary: spans far beyond any plan
//! (`Week 1-4294967295`, `Day 4000000000`), spans that cannot be read
//! (`Week 5-2`, `Sprint -1`, `Q9`), and amounts of money whose sums would
//! not fit. Each is a warning at its `file:line:col` with the figure left
//! out, never a wrong figure, an abort or a hang.

use assert_cmd::cargo::cargo_bin;
use std::path::Path;
use std::process::{Command, Output};

/// `plansite build` of `dir` run by `sh` after `limits` (`ulimit` commands).
fn build_limited(dir: &Path, limits: &str) -> Output {
    let script = format!(
        "{limits}; exec \"$0\" build --as-of 2025-03-10 --root \"$1\" --output \"$1/public\""
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(cargo_bin("plansite"))
        .arg(dir)
        .output()
        .expect("sh runs")
}

/// `plansite model` of `content/p.md` under `dir`, as JSON.
fn model(dir: &Path) -> serde_json::Value {
    let output = Command::new(cargo_bin("plansite"))
        .args(["model", "--root"])
        .arg(dir)
        .arg(dir.join("content/p.md"))
        .output()
        .expect("model runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("the model is JSON")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every page of the built site, as one string.
fn pages(dir: &Path) -> String {
    crate::files_under(&dir.join("public"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(_, bytes)| text(&bytes))
        .collect()
}

/// The address space a build may use: 1 GB. A build of an ordinary plan
/// runs in well under a third of it (checked at 300 MB); the old reading
/// of `Week 1-4294967295` asked for 3 GB in one allocation and aborted.
const ONE_GB: &str = "ulimit -v 1000000";

#[test]
fn a_span_of_four_billion_weeks_is_a_warning_and_memory_stays_bounded() {
    // The old reading overflowed on the first (a panic in test builds, a
    // 3 GB allocation in release builds) and materialised 100 million
    // weeks for the second (2.4 GB).
    let dir = crate::site_with(&[
        (
            "p.md",
            "# P\n\n## Week 1-4294967295: Everything\n\n**Budget:** $1,000\n\n- [x] one\n- [ ] two\n",
        ),
        (
            "q.md",
            "# Q\n\n## Week 1-100000000: All\n\n**Budget:** $1,000\n\n- [ ] one\n",
        ),
    ]);
    // An ordinary plan builds under the same limit (the limit is sane).
    let plain = crate::site_with(&[(
        "p.md",
        "# P\n\n## Week 1-520: Ten years\n\n**Budget:** $1,000\n\n- [x] one\n- [ ] two\n",
    )]);
    let output = build_limited(plain.path(), ONE_GB);
    assert!(output.status.success(), "{output:?}");

    let output = build_limited(dir.path(), ONE_GB);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("p.md:3:4"), "{stderr}");
    assert!(stderr.contains("q.md:3:4"), "{stderr}");
    assert!(stderr.contains("520 weeks"), "{stderr}");
    // The phase keeps its title and tasks; its span is left out.
    let plan = model(dir.path());
    let phase = &plan["phases"][0];
    assert_eq!(phase["title"], "Everything", "{phase}");
    assert_eq!(phase["span"], serde_json::Value::Null, "{phase}");
    assert_eq!(phase["progress"]["total"], 2, "{phase}");
    assert!(pages(dir.path()).contains("Everything"));
}

#[test]
fn a_long_plan_within_the_bound_builds_in_bounded_memory() {
    // 520 one-week phases with budgets: the per-week series are computed
    // from the phases' boundaries, so this is as cheap as it is long.
    let mut plan = String::from("---\nstart: 2025-01-06\n---\n# P\n\n");
    for week in 1..=520 {
        plan.push_str(&format!(
            "## Week {week}: W{week}\n\n**Budget:** $1,000\n\n- [ ] t{week}\n\n"
        ));
    }
    let dir = crate::site_with(&[("p.md", &plan)]);
    let output = build_limited(dir.path(), ONE_GB);
    assert!(output.status.success(), "{output:?}");
    assert!(pages(dir.path()).contains("$520,000"));
}

#[test]
fn far_day_spans_are_warnings_and_end_quickly() {
    // 100 headings `## Day 4000000000` took 29 s in a release build when
    // working days were counted one at a time. The CPU limit is a hang
    // guard only: the new reading takes a small fraction of a second.
    let mut plan = String::from("---\nstart: 2025-03-03\n---\n# P\n\n");
    for _ in 0..100 {
        plan.push_str("## Day 4000000000\n\n- [ ] t\n\n");
    }
    plan.push_str("## Day 3650: Last day\n\n- [ ] t\n");
    let dir = crate::site_with(&[("p.md", &plan)]);
    let output = build_limited(dir.path(), "ulimit -t 20");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("p.md:6:4"), "{stderr}");
    assert!(stderr.contains("3650 days"), "{stderr}");
    // Day 3650 is the 3650th working day from Monday 3 March 2025: 729
    // whole weeks and 4 working days on, a Friday.
    assert!(
        pages(dir.path()).contains("25 Feb 2039"),
        "Day 3650 gets its date"
    );
}

#[test]
fn money_beyond_the_bound_is_a_warning_and_never_shown_wrapped() {
    let dir = crate::site_with(&[(
        "p.md",
        "---\nbudget: 1e308\n---\n# P\n\n## Week 1: A\n\n- [ ] t\n\n## Week 2: B\n\n- [ ] u\n\n\
         | Phase | Budget | Actual |\n|---|---|---|\n\
         | Week 1 | $1,000 | $50,000,000,000,000,000 |\n\
         | Week 2 | $1,000 | $50,000,000,000,000,000 |\n",
    )]);
    let output = build_limited(dir.path(), "true");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    // Each amount is a warning at its cell, and the front matter budget at
    // its line.
    assert!(stderr.contains("p.md:16:21"), "{stderr}");
    assert!(stderr.contains("p.md:17:21"), "{stderr}");
    assert!(stderr.contains("p.md:2:"), "{stderr}");
    let site = pages(dir.path());
    assert!(!site.contains("84,467"), "a wrapped sum is shown");
    assert!(!site.contains("-$"), "a negative figure is shown");
    let plan = model(dir.path());
    assert_eq!(plan["meta"]["budget"], serde_json::Value::Null);
}

#[test]
fn a_sum_beyond_the_bound_is_a_warning_and_left_out() {
    // 200 amounts of $900 trillion each are readable one by one; their
    // sum ($180 quadrillion, beyond i64 in cents) is not.
    let mut plan = String::from(
        "# P\n\n## Week 1: A\n\n- [ ] t\n\n| Phase | Budget | Actual |\n|---|---|---|\n",
    );
    for _ in 0..200 {
        plan.push_str("| Week 1 | $1 | $900,000,000,000,000 |\n");
    }
    let dir = crate::site_with(&[("p.md", &plan)]);
    let output = build_limited(dir.path(), "true");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("add up to more than"), "{stderr}");
    let site = pages(dir.path());
    assert!(!site.contains(" spent"), "a sum beyond the bound is shown");
    assert!(!site.contains("-$"), "a negative figure is shown");
}

#[test]
fn spans_that_cannot_be_read_are_warnings_and_the_phases_are_kept() {
    let dir = crate::site_with(&[(
        "p.md",
        "# P\n\n## Week 5-2: Backwards\n\n- [ ] a\n\n## Sprint -1: Before\n\n- [ ] b\n\n\
         ## Q9: Ninth quarter\n\n- [ ] c\n\n## Week 99999999999: Far\n\n- [ ] d\n\n\
         ## Week 1: Fine\n\n- [ ] e\n\n## Hardening (99999999999999999999 weeks)\n\n- [ ] f\n",
    )]);
    let output = build_limited(dir.path(), "true");
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for at in [
        "p.md:3:4",
        "p.md:7:4",
        "p.md:11:4",
        "p.md:15:4",
        "p.md:23:14",
    ] {
        assert!(stderr.contains(at), "no warning at {at}: {stderr}");
    }
    let plan = model(dir.path());
    let phases = plan["phases"].as_array().expect("phases");
    let titles: Vec<&str> = phases
        .iter()
        .map(|p| p["title"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        titles,
        [
            "Backwards",
            "Before",
            "Ninth quarter",
            "Far",
            "Fine",
            "Hardening"
        ]
    );
    assert_eq!(phases[4]["span"]["start"], 1);
    for phase in phases.iter().filter(|p| p["title"] != "Fine") {
        assert_eq!(phase["span"], serde_json::Value::Null, "{phase}");
        assert_eq!(phase["progress"]["total"], 1, "{phase}");
    }
}

#[test]
fn amounts_at_the_bound_either_side_of_zero_build_every_chart() {
    // A credit of the largest amount, then the largest budget: the value
    // curve dips to -10^15 while the axis used to start at 0, and the
    // chart's pixel arithmetic overflowed (a panic in test builds).
    // The budget chart drew a ¥10^15 bar on a dollar axis scaled to $1:
    // the same overflow, and a bar in the wrong currency.
    let dir = crate::site_with(&[
        (
            "p.md",
            "---\nstart: 2025-03-03\n---\n# P\n\n## Week 0: Credit\n\n**Budget:** -$1,000,000,000,000,000\n\n- [x] t\n\n\
             ## Week 1-520: Spend\n\n**Budget:** $1,000,000,000,000,000\n\n- [ ] u\n",
        ),
        (
            "q.md",
            "# Q\n\n## Week 1: A\n\n- [ ] t\n\n| Phase | Original | Revised |\n|---|---|---|\n\
             | Week 1 | ¥1,000,000,000,000,000 | -$1 |\n",
        ),
    ]);
    let output = build_limited(dir.path(), ONE_GB);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let site = pages(dir.path());
    let svgs = crate::inline_svgs(&site);
    assert!(!svgs.is_empty(), "the plan has charts");
    for svg in svgs {
        roxmltree::Document::parse(svg).expect("each chart is XML");
    }
}

/// GET over plain HTTP: the body, when the server answers 200.
fn get_ok(port: u16, path: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response
        .starts_with("HTTP/1.1 200")
        .then(|| response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()))
        .flatten()
}

/// A `serve` process, stopped when dropped.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_survives_an_edit_to_a_span_of_a_hundred_million_weeks() {
    // Before, the edit made the server materialise every week: under this
    // 1 GB limit it aborted (an abort is not a panic: nothing contains it).
    let dir = crate::site_with(&[(
        "p.md",
        "# P\n\n## Week 1: Start\n\n**Budget:** $1,000\n\n- [ ] t\n",
    )]);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let script =
        format!("{ONE_GB}; exec \"$0\" serve --as-of 2025-03-10 --port {port} --root \"$1\"");
    let mut server = Server(
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(cargo_bin("plansite"))
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("serve starts"),
    );
    // Waits (60 s at most: a hang guard, not a timing) until `check` holds.
    let mut until = |what: &str, check: &dyn Fn() -> bool| {
        let started = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(60) {
            if check() {
                return;
            }
            if let Ok(Some(status)) = server.0.try_wait() {
                panic!("serve ended ({status}) waiting for: {what}");
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("timed out waiting for: {what}");
    };
    until("the plan is served", &|| {
        get_ok(port, "/plans/p/").is_some_and(|b| b.contains("Start"))
    });
    std::fs::write(
        dir.path().join("content/p.md"),
        "# P\n\n## Week 1-100000000: Everything\n\n**Budget:** $1,000\n\n- [ ] t\n",
    )
    .expect("edit");
    until("the edit is served", &|| {
        get_ok(port, "/plans/p/").is_some_and(|b| b.contains("Everything"))
    });
    assert!(
        get_ok(port, "/").is_some(),
        "serve still answers after the edit"
    );
}
