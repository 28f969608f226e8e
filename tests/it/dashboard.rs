//! The dashboard's table through the real binary: its default order (red
//! first, then amber, then the rest, each by the nearest milestone), the
//! milestone each row names, `[dashboard] group_by` and its error, what
//! the page holds without script, and its size at a few hundred plans.

use super::{plansite, site_with as site};
use predicates::prelude::*;
use std::fs;
use std::path::Path;

const AS_OF: &str = "2025-03-10";

fn build(dir: &Path) -> String {
    plansite()
        .args(["build", "--as-of", AS_OF, "--root"])
        .arg(dir)
        .assert()
        .code(0);
    fs::read_to_string(dir.join("public/index.html")).expect("dashboard")
}

/// The table's rows, in page order: each row's plan slug, status class and
/// milestone cell.
fn rows(index: &str) -> Vec<(String, String, String)> {
    let document = scraper::Html::parse_document(index);
    let row = scraper::Selector::parse("table.plans-table tbody tr:not(.group)").expect("selector");
    let cell = scraper::Selector::parse("td, th").expect("selector");
    let link = scraper::Selector::parse("a").expect("selector");
    document
        .select(&row)
        .map(|tr| {
            let cells: Vec<_> = tr.select(&cell).collect();
            let href = tr
                .select(&link)
                .next()
                .and_then(|a| a.value().attr("href"))
                .unwrap_or("");
            let slug = href
                .trim_start_matches("plans/")
                .trim_end_matches("/index.html");
            let status = cells[0].value().attr("class").unwrap_or("").to_string();
            let milestone = cells[5].text().collect::<String>();
            (slug.to_string(), status, milestone)
        })
        .collect()
}

/// A plan starting on `start` (a Monday) with a two-week phase of `open`
/// open tasks and a later phase; `title` sorts it where the test wants.
fn dated(title: &str, start: &str, open: usize, owner: &str) -> String {
    let tasks: String = (0..open).map(|i| format!("- [ ] task {i}\n")).collect();
    let owner = if owner.is_empty() {
        String::new()
    } else {
        format!("owner: {owner}\n")
    };
    format!("---\nstart: {start}\n{owner}---\n# {title}\n\n## Week 1-2: Build\n\n- [x] done\n{tasks}\n## Week 3-4: Ship\n\n- [ ] ship it\n")
}

#[test]
fn red_comes_first_then_amber_then_the_rest_each_by_the_nearest_milestone() {
    let plans = [
        // Titles sort against the expected order, so only status and date
        // can put the rows where they must be.
        ("green.md", dated("A Green", "2025-03-03", 3, "")),
        (
            "unrated.md",
            "# A Unrated\n\n## Week 1: A\n\n- [ ] a\n".to_string(),
        ),
        ("amber.md", dated("B Amber", "2025-02-17", 1, "")),
        ("red-later.md", dated("C Red Later", "2025-02-10", 6, "")),
        ("red-sooner.md", dated("D Red Sooner", "2025-01-06", 6, "")),
    ];
    let borrowed: Vec<(&str, &str)> = plans.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let dir = site(&borrowed);
    let index = build(dir.path());
    let rows = rows(&index);
    let order: Vec<(&str, &str)> = rows
        .iter()
        .map(|(slug, status, _)| (slug.as_str(), status.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("red-sooner", "red"),
            ("red-later", "red"),
            ("amber", "amber"),
            ("green", "green"),
            ("unrated", "unrated"),
        ],
        "{index}"
    );
    // The milestone: a late phase (its end passed with tasks open) first,
    // else the phase under way; none without dates.
    let milestone = |slug: &str| {
        rows.iter()
            .find(|(s, _, _)| s == slug)
            .map(|(_, _, m)| m.clone())
            .expect("row")
    };
    assert_eq!(milestone("red-sooner"), "2025-01-19 Late: Build");
    assert_eq!(milestone("amber"), "2025-03-02 Late: Build");
    assert_eq!(milestone("green"), "2025-03-16 Now: Build");
    assert_eq!(milestone("unrated"), "");
    // Counts by status lead the page.
    let counts = index.find("class=\"counts\"").expect("counts");
    assert!(counts < index.find("<table").expect("table"));
    for (level, n) in [("red", 2), ("amber", 1), ("green", 1), ("unrated", 1)] {
        assert!(
            index.contains(&format!("<li class=\"{level}\"><strong>{n}</strong>")),
            "{level}: {index}"
        );
    }
}

#[test]
fn without_script_the_table_is_whole_and_the_filters_wait_hidden() {
    let dir = site(&[
        (
            "one.md",
            "---\nowner: Ops <b>\ntags: [web, \"a&b\"]\n---\n# One\n\n## Week 1: A\n\n- [ ] a\n",
        ),
        ("two.md", "# Two\n\n## Week 1: A\n\n- [ ] a\n"),
    ]);
    let index = build(dir.path());
    let document = scraper::Html::parse_document(&index);
    let select = |css: &str| {
        let selector = scraper::Selector::parse(css).expect("selector");
        document.select(&selector).count()
    };
    assert_eq!(select("table.plans-table tbody tr"), 2);
    assert_eq!(select("table.plans-table thead th[scope=col]"), 7);
    assert_eq!(select("table.plans-table tbody th[scope=row] a"), 2);
    assert_eq!(select("form#plan-filters[hidden]"), 1);
    assert_eq!(select("form#plan-filters label select"), 3);
    assert_eq!(select("form#plan-filters label input[type=search]"), 1);
    assert_eq!(select("script[src=\"assets/table.js\"][defer]"), 1);
    // Owners and tags are the filters' choices, escaped; a row names its
    // tags by their place in the list.
    assert!(index.contains("<option>Ops &lt;b&gt;</option>"), "{index}");
    assert!(
        index.contains("<option value=\"0\">a&amp;b</option><option value=\"1\">web</option>"),
        "{index}"
    );
    assert!(index.contains("<tr data-tags=\"0 1\">"), "{index}");
    let script = fs::read_to_string(dir.path().join("public/assets/table.js")).expect("script");
    assert!(script.contains("aria-sort"));
    assert!(!script.contains("http"), "the script asks no other host");
}

#[test]
fn group_by_owner_gives_each_owner_its_rows_and_counts_and_a_bad_value_names_its_line() {
    let dir = site(&[
        ("a.md", &dated("Alpha", "2025-01-06", 6, "Zed")),
        ("b.md", &dated("Beta", "2025-03-03", 1, "amy")),
        ("c.md", &dated("Gamma", "2025-02-17", 1, "Zed")),
        ("d.md", "# Delta\n\n## Week 1: A\n\n- [ ] a\n"),
    ]);
    fs::write(
        dir.path().join("site.toml"),
        "title = \"P\"\n[dashboard]\ngroup_by = \"owner\"\n",
    )
    .expect("site.toml");
    let index = build(dir.path());
    let document = scraper::Html::parse_document(&index);
    let body = scraper::Selector::parse("table.plans-table tbody").expect("selector");
    let head = scraper::Selector::parse("tr.group th[scope=rowgroup]").expect("selector");
    let link = scraper::Selector::parse("tr:not(.group) a").expect("selector");
    let groups: Vec<(String, Vec<String>)> = document
        .select(&body)
        .map(|tbody| {
            let name = tbody
                .select(&head)
                .next()
                .map(|th| th.text().collect::<String>())
                .unwrap_or_default();
            let plans = tbody
                .select(&link)
                .map(|a| a.text().collect::<String>())
                .collect();
            (name, plans)
        })
        .collect();
    assert_eq!(
        groups,
        [
            (
                "amy · 1 plan · 1 green".to_string(),
                vec!["Beta".to_string()]
            ),
            (
                "Zed · 2 plans · 1 red · 1 amber".to_string(),
                vec!["Alpha".to_string(), "Gamma".to_string()]
            ),
            (
                "No owner · 1 plan · 1 not rated".to_string(),
                vec!["Delta".to_string()]
            ),
        ],
        "{index}"
    );
    assert!(index.contains(">All plans by owner<"));

    // By tags: a plan is in the group of each of its tags.
    fs::write(
        dir.path().join("site.toml"),
        "[dashboard]\ngroup_by = \"tags\"\n",
    )
    .expect("site.toml");
    fs::write(
        dir.path().join("content/d.md"),
        "---\ntags: [x, y]\n---\n# Delta\n\n## Week 1: A\n\n- [ ] a\n",
    )
    .expect("plan");
    let index = build(dir.path());
    assert_eq!(index.matches(">Delta</a>").count(), 2, "{index}");
    assert!(
        index.contains("No tag <span class=\"muted\">· 3 plans"),
        "{index}"
    );

    // A value that is not a grouping: exit 2, naming the file, line and value.
    fs::write(
        dir.path().join("site.toml"),
        "title = \"P\"\n[dashboard]\ngroup_by = \"team\"\n",
    )
    .expect("site.toml");
    plansite()
        .args(["build", "--as-of", AS_OF, "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("site.toml:3:"))
        .stderr(predicate::str::contains("team"));
}

/// A plan in the shape of a real one: a start, an owner, tags, budgets
/// revised from an original, phases with tasks, a decision.
fn portfolio_plan(i: usize) -> String {
    let owners = [
        "Platform Team",
        "Data Engineering",
        "Mobile",
        "Payments",
        "Security",
    ];
    let mut text = format!(
        "---\nstart: 2025-0{}-0{}\nowner: {}\ntags: [infra, cost]\n---\n# Implementation Timeline {i}: Observability\n\n**Original Timeline:** 8 weeks ($96,000)\n**Revised Timeline:** 9 weeks ($98,500)\n\n",
        1 + i % 3,
        1 + i % 7,
        owners[i % owners.len()]
    );
    for week in 1..=8 {
        text.push_str(&format!(
            "## Week {week}: Phase {week}\n\n**Budget:** $12,000\n\n- [x] Configure the runbooks\n- [ ] Test alerting rules\n- [ ] Deploy the backup jobs\n\n"
        ));
    }
    text.push_str("\n**Decision:** GO / NO-GO\n");
    text
}

#[test]
fn three_hundred_plans_put_a_thousand_under_300_kb() {
    let plans: Vec<(String, String)> = (0..300)
        .map(|i| (format!("plan-{i:03}.md"), portfolio_plan(i)))
        .collect();
    let borrowed: Vec<(&str, &str)> = plans
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = site(&borrowed);
    let index = build(dir.path());
    assert_eq!(index.matches("<th scope=\"row\">").count(), 300);
    assert!(index.contains("<td class=\"red\">"), "the plans are rated");
    // 1,000 plans under 300 KB: the page around the rows plus 1,000 rows
    // of this size (each with a status reason, an owner, tags, a budget,
    // a milestone and a decision).
    let rows: usize = index
        .split("<tr")
        .skip(1)
        .filter(|row| row.contains("<th scope=\"row\">"))
        .map(|row| row.find("</tr>").expect("rows end with </tr>") + "<tr</tr>".len())
        .sum();
    let frame = index.len() - rows;
    let thousand = frame + rows * 1000 / 300;
    assert!(
        thousand < 300_000,
        "{thousand} bytes for 1,000 plans: {frame} around {} bytes a row",
        rows / 300
    );
}
