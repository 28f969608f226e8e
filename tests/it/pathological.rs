//! Pathological Markdown through the real binary: each builds, in bounded
//! time (bench/pathological.sh doubles the input and shows the time grow
//! linearly), and every page still parses with nothing executable in it.

use std::fs;
use std::process::Command;

fn repeat(piece: &str, times: usize) -> String {
    piece.repeat(times)
}

#[test]
fn pathological_markdown_builds_safely() {
    let cases: Vec<(&str, String)> = vec![
        ("brackets", repeat("[", 40_000)),
        ("comments", repeat("<!--", 20_000)),
        ("quotes", repeat(">", 20_000) + " deep"),
        ("lists", repeat("- ", 10_000) + "deep"),
        (
            "indented",
            (0..2_000)
                .map(|i| format!("{}- item {i}\n", " ".repeat(i * 2)))
                .collect(),
        ),
        ("divs", repeat("<div>", 20_000) + "x"),
        ("emphasis", repeat("*", 40_000) + "a"),
        ("links", repeat("[a](", 20_000)),
        ("pipes", "| a |\n|---|\n".to_string() + &repeat("|", 40_000)),
        ("backticks", repeat("`", 40_000) + "a"),
        ("entities", repeat("&#x6a;", 20_000)),
    ];
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("content")).expect("content");
    for (name, body) in &cases {
        fs::write(
            dir.path().join(format!("content/{name}.md")),
            format!("# {name}\n\n## Week 1: Start\n\n- [ ] task\n\n{body}\n"),
        )
        .expect("write");
    }
    let output = Command::new(assert_cmd::cargo::cargo_bin("plansite"))
        .args(["build", "--as-of", "2025-03-10", "--root"])
        .arg(dir.path())
        .output()
        .expect("build runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    for deep in ["quotes", "lists", "divs"] {
        assert!(
            stderr.contains(&format!("content/{deep}.md")) && stderr.contains("shown as typed"),
            "{deep}: {stderr}"
        );
    }
    for (name, _) in &cases {
        let page = fs::read_to_string(dir.path().join(format!("public/plans/{name}/index.html")))
            .expect("page");
        let document = scraper::Html::parse_document(&page);
        let any = scraper::Selector::parse("*").expect("selector");
        for element in document.select(&any) {
            let tag = element.value().name();
            assert!(
                !matches!(tag, "script" | "iframe" | "object" | "embed"),
                "{name}: <{tag}>"
            );
            for (attribute, _) in element.value().attrs() {
                assert!(
                    !attribute.starts_with("on"),
                    "{name}: {attribute} on <{tag}>"
                );
            }
        }
    }
}
