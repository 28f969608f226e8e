//! Generates a synthetic corpus of plans in the shape of a DevOps
//! implementation timeline (about 7 KB each: 6 to 12 phases with budgets,
//! task groups of 4 to 6 tasks, success criteria, a budget summary, risks,
//! metrics and a closing block), deterministic from a seed.
//!
//! cargo run --release --example gen_corpus -- --plans N --out DIR [--seed S] [--week K]
//!
//! `--week K` (0 by default) ticks more tasks as done the later the week,
//! and moves one budget every few weeks, so that successive snapshots of
//! the same corpus differ the way a real history does.

use std::fmt::Write as _;
use std::path::PathBuf;

/// A small deterministic generator (SplitMix64): the corpus must be the
/// same bytes on every machine, and needs no statistical quality.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn range(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const AREAS: &[&str] = &[
    "Staging Environment",
    "Monitoring",
    "Security Review",
    "Caching",
    "Resilience",
    "Scalability",
    "Automation",
    "Load Testing",
    "Data Migration",
    "Observability",
    "Cost Controls",
    "Production Readiness",
];
const VERBS: &[&str] = &[
    "Configure",
    "Deploy",
    "Test",
    "Document",
    "Review",
    "Automate",
    "Measure",
    "Migrate",
    "Harden",
    "Train the team on",
];
const THINGS: &[&str] = &[
    "the staging database",
    "alerting rules",
    "the backup jobs",
    "connection pooling",
    "the deployment pipeline",
    "feature flags",
    "log aggregation",
    "the status page",
    "failover",
    "the cache layer",
    "secrets rotation",
    "the runbooks",
];

fn plan(rng: &mut Rng, n: usize, week: u64) -> String {
    let mut t = String::with_capacity(8 * 1024);
    let phases = rng.range(6, 12) as usize;
    let _ = write!(t, "# Implementation Timeline {n}: {}\n\n> **Update:** Revised after the architecture review of plan {n}\n\n", rng.pick(AREAS));
    let mut rows = Vec::new();
    let mut body = String::new();
    let mut start = 1;
    let mut total = 0;
    for p in 0..phases {
        let span = rng.range(1, 2);
        let end = start + span - 1;
        let label = if span == 1 {
            format!("Week {start}")
        } else {
            format!("Week {start}-{end}")
        };
        let area = rng.pick(AREAS);
        let mut budget = rng.range(2, 18) * 1000;
        if week > 0 && (n as u64 + p as u64 + week) % 7 == 0 {
            budget += 1000;
        }
        total += budget;
        let _ = write!(
            body,
            "\n## {label}: {area}\n\n**Budget:** ${budget} (1 DevOps Engineer)\n"
        );
        for w in start..=end {
            let _ = write!(body, "\n### Week {w}\n");
            for k in 0..rng.range(4, 6) {
                let done = (rng.next() % 100) < (week * 3).min(95) || (p == 0 && k < 3);
                let _ = writeln!(
                    body,
                    "- [{}] {} {}",
                    if done { "x" } else { " " },
                    rng.pick(VERBS),
                    rng.pick(THINGS)
                );
            }
        }
        body.push_str("\n**Success Criteria:**\n");
        for _ in 0..4 {
            let _ = writeln!(
                body,
                "- {} {} works end to end",
                rng.pick(VERBS),
                rng.pick(THINGS)
            );
        }
        body.push_str("\n---\n");
        rows.push((label, area, budget));
        start = end + 1;
    }
    let weeks = start - 1;
    let _ = write!(t, "**Original Timeline:** {} weeks (${})  \n**Revised Timeline:** {weeks} weeks (${total})\n\n---\n", weeks.saturating_sub(1).max(1), total - 1000);
    t.push_str(&body);
    t.push_str("\n## Budget Summary\n\n| Phase | Original | Revised | Change |\n|-------|----------|---------|--------|\n");
    let mut original_total = 0;
    for (i, (label, area, budget)) in rows.iter().enumerate() {
        let original = if i == 0 { budget - 1000 } else { *budget };
        original_total += original;
        let _ = writeln!(
            t,
            "| {label} ({}) | ${original} | ${budget} | +${} |",
            area.split(' ').next().unwrap_or(area),
            budget - original
        );
    }
    let _ = writeln!(
        t,
        "| **Total** | **${original_total}** | **${total}** | **+${}** |",
        total - original_total
    );
    t.push_str("\n## Risk Mitigation\n\n| Risk | Mitigation | Week | Status |\n|------|------------|------|--------|\n");
    for _ in 0..4 {
        let _ = writeln!(
            t,
            "| {} slips | {} early | Week {} | {} |",
            rng.pick(THINGS),
            rng.pick(VERBS),
            rng.range(1, weeks),
            rng.pick(&["⏳", "✅", "⚠️"])
        );
    }
    t.push_str("\n## Success Metrics\n\n| Week | Metric | Target | Status |\n|------|--------|--------|--------|\n");
    for (label, area, _) in rows.iter().take(5) {
        let _ = writeln!(
            t,
            "| {} | {area} ready | Yes | ⏳ |",
            label.trim_start_matches("Week ")
        );
    }
    t.push_str("\n**Decision:** GO / NO-GO\n\n---\n\n**Revised by:** DevOps Team  \n**Approved by:** CTO  \n**Date:** March 3, 2025  \n**Status:** Ready to Execute\n");
    t
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut plans, mut out, mut seed, mut week) = (100usize, PathBuf::from("corpus"), 1u64, 0u64);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--plans" => plans = value.parse().expect("--plans takes a number"),
            "--out" => out = PathBuf::from(value),
            "--seed" => seed = value.parse().expect("--seed takes a number"),
            "--week" => week = value.parse().expect("--week takes a number"),
            other => panic!("unknown flag {other}"),
        }
    }
    let content = out.join("content");
    std::fs::create_dir_all(&content).expect("create the content folder");
    let mut bytes = 0;
    for n in 0..plans {
        // One generator per plan: plan n is the same whatever N is.
        let mut rng = Rng(seed.wrapping_mul(1_000_003).wrapping_add(n as u64));
        let text = plan(&mut rng, n, week);
        bytes += text.len();
        std::fs::write(content.join(format!("plan-{n:05}.md")), text).expect("write a plan");
    }
    println!(
        "{plans} plans, {} KB on average, in {}",
        bytes / plans.max(1) / 1024,
        content.display()
    );
}
