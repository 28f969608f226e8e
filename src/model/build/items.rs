//! Items: tasks from list items, decisions, and the level of phase
//! headings.

use super::keys::{fact, BUDGET_KEYS};
use crate::model::plan::*;
use crate::parse::outline::{Block, BlockKind, Check, Item};
use crate::parse::span::{named_heading, names_time, parse_heading, shape_of, PhaseHeading};
use crate::parse::status::strip_marks;
use std::collections::HashMap;

/// `GO / NO-GO` is open with two options; `GO` is taken; a question
/// (`Proceed to production?`) is open with the question as its only text.
pub(super) fn read_decision(value: &str, line: usize) -> Decision {
    let value = strip_marks(value).trim_matches('*').trim().to_string();
    if value.ends_with('?') {
        return Decision {
            question: Some(value),
            options: Vec::new(),
            chosen: None,
            line,
        };
    }
    let options: Vec<String> = value
        .split(['/', '|'])
        .flat_map(|part| part.split(" or "))
        .map(|s| s.trim().trim_matches('*').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let short = options.iter().all(|o| o.split_whitespace().count() <= 3);
    if options.len() > 1 && short {
        return Decision {
            question: None,
            options,
            chosen: None,
            line,
        };
    }
    Decision {
        question: None,
        options: vec![value.clone()],
        chosen: Some(value),
        line,
    }
}

pub(super) fn items_have_children(kind: &BlockKind) -> bool {
    matches!(kind, BlockKind::List { items } if items.iter().any(|i| !i.children.is_empty()))
}

/// Tasks from list items: checkbox items become tasks with their checkbox
/// children as subtasks; an item without a checkbox passes its task
/// children up.
pub(super) fn collect_tasks(items: &[Item]) -> Vec<Task> {
    let mut tasks = Vec::new();
    for item in items {
        match item.check {
            Some(check) => {
                let state = match check {
                    Check::Open => TaskState::Open,
                    Check::Done => TaskState::Done,
                    Check::InProgress => TaskState::InProgress,
                    Check::Skipped => TaskState::Skipped,
                };
                tasks.push(Task {
                    text: item.text.clone(),
                    done: state == TaskState::Done,
                    state,
                    line: item.line,
                    subtasks: collect_tasks(&item.children),
                });
            }
            None => tasks.extend(collect_tasks(&item.children)),
        }
    }
    tasks
}

/// The level of phase headings, and each block's heading as read (`None`
/// for other blocks and for headings that are not phases), so that the
/// walk does not read them again.
///
/// The level is the shallowest at which headings name spans (the title
/// heading aside); headings naming only a duration, or a span that cannot
/// be read (`Week 5-2`), count when none do. A careful reader also takes
/// as phases:
/// - sibling headings (one level, one parent) that share a shape: two or
///   more releases (`v2.8`, `v2.9`), months (`August`, `September`), or
///   ordinals in a word that numbers phases only among siblings (`Tier 1`,
///   `Tier 2`); a lone `v2.8` or `Tier 1` stays a section;
/// - at the phase level, a sibling of phases whose section states a
///   budget, cost, duration or date (`**Budget:** $10,000`), or, after
///   the first phase, whose heading names a unit of time (`Release Day`).
pub(super) fn phase_level(
    blocks: &[Block],
    title_index: Option<usize>,
    text: &str,
) -> (Option<u8>, Vec<Option<PhaseHeading>>) {
    let mut parsed: Vec<Option<PhaseHeading>> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| match &b.kind {
            BlockKind::Heading { text, .. } if Some(i) != title_index => parse_heading(text),
            _ => None,
        })
        .collect();
    let groups = sibling_groups(blocks, title_index);
    let siblings_sharing = |key: &dyn Fn(usize) -> Option<String>| {
        // Each block's key, worked out once (a shape runs two patterns).
        let keys: Vec<Option<(u8, Option<usize>, String)>> = (0..blocks.len())
            .map(|i| {
                let (level, parent) = groups[i]?;
                Some((level, parent, key(i)?))
            })
            .collect();
        let mut counts: HashMap<&(u8, Option<usize>, String), usize> = HashMap::new();
        for k in keys.iter().flatten() {
            *counts.entry(k).or_default() += 1;
        }
        keys.iter()
            .map(|k| k.as_ref().and_then(|k| counts.get(k)) >= Some(&2))
            .collect::<Vec<bool>>()
    };
    let words: Vec<Option<String>> = parsed
        .iter()
        .map(|h| h.as_ref().and_then(|h| h.sibling_word.clone()))
        .collect();
    let word_shared = siblings_sharing(&|i| words[i].clone());
    for (i, shared) in word_shared.into_iter().enumerate() {
        if words[i].is_some() && !shared {
            parsed[i] = None;
        }
    }
    let heading_text = |i: usize| match &blocks[i].kind {
        BlockKind::Heading { text, .. } => Some(text.as_str()),
        _ => None,
    };
    let shape = |i: usize| {
        groups[i]?;
        if parsed[i].is_some() {
            return None;
        }
        shape_of(heading_text(i)?).map(|s| format!("{s:?}"))
    };
    let shape_shared = siblings_sharing(&shape);
    for (i, shared) in shape_shared.into_iter().enumerate() {
        if shared {
            parsed[i] = heading_text(i).map(named_heading);
        }
    }

    let levels = || {
        blocks
            .iter()
            .zip(&parsed)
            .filter_map(|(b, p)| match (&b.kind, p) {
                (BlockKind::Heading { level, .. }, Some(h)) => Some((*level, h.span.is_some())),
                _ => None,
            })
    };
    let level = levels()
        .filter(|(_, has_span)| *has_span)
        .map(|(l, _)| l)
        .min()
        .or_else(|| levels().map(|(l, _)| l).min());

    if let Some(level) = level {
        phases_among_siblings(blocks, &groups, level, text, &mut parsed);
    }
    (level, parsed)
}

/// Each heading's group of siblings: its level and the heading above it
/// (`None` for the title and for blocks that are not headings).
fn sibling_groups(
    blocks: &[Block],
    title_index: Option<usize>,
) -> Vec<Option<(u8, Option<usize>)>> {
    let mut groups: Vec<Option<(u8, Option<usize>)>> = vec![None; blocks.len()];
    let mut open: Vec<(u8, usize)> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if let BlockKind::Heading { level, .. } = block.kind {
            while open.last().is_some_and(|(l, _)| *l >= level) {
                open.pop();
            }
            if Some(i) != title_index {
                groups[i] = Some((level, open.last().map(|(_, at)| *at)));
            }
            open.push((level, i));
        }
    }
    groups
}

/// In a group at the phase `level` that holds a phase, a heading after its
/// first phase that names a time, or one whose section states a schedule,
/// is a phase too.
fn phases_among_siblings(
    blocks: &[Block],
    groups: &[Option<(u8, Option<usize>)>],
    level: u8,
    text: &str,
    parsed: &mut [Option<PhaseHeading>],
) {
    // Groups at the phase level that hold a phase, with the first.
    let mut first_phase: HashMap<Option<usize>, usize> = HashMap::new();
    for (i, (group, heading)) in groups.iter().zip(parsed.iter()).enumerate() {
        if let (Some((l, parent)), Some(_)) = (*group, heading) {
            if l == level {
                first_phase.entry(parent).or_insert(i);
            }
        }
    }
    for (i, group) in groups.iter().enumerate() {
        let Some((l, parent)) = *group else {
            continue;
        };
        if l != level || parsed[i].is_some() {
            continue;
        }
        let Some(&first) = first_phase.get(&parent) else {
            continue;
        };
        let BlockKind::Heading { text: heading, .. } = &blocks[i].kind else {
            continue;
        };
        if (i > first && names_time(heading)) || states_schedule(blocks, i, text) {
            parsed[i] = Some(named_heading(heading));
        }
    }
}

/// Keys of fact lines that state what a phase costs or when it runs.
const SCHEDULE_KEYS: &[&str] = &[
    "duration",
    "estimated duration",
    "dates",
    "due",
    "due date",
    "deadline",
    "start",
    "start date",
    "end",
    "end date",
    "timeline",
    "timeframe",
];

/// The section under heading `at` opens with a paragraph of fact lines
/// one of which states a budget, cost, duration or dates (what a closing
/// block after a rule says of the whole plan is not the section's).
fn states_schedule(blocks: &[Block], at: usize, text: &str) -> bool {
    let Some(block) = blocks.get(at + 1) else {
        return false;
    };
    if !matches!(block.kind, BlockKind::Paragraph { .. }) {
        return false;
    }
    let source = text.get(block.range.clone()).unwrap_or("");
    source.lines().any(|line| {
        fact(line.trim()).is_some_and(|(key, _)| {
            let key = key.trim().trim_end_matches(':').trim().to_lowercase();
            BUDGET_KEYS.contains(&key.as_str()) || SCHEDULE_KEYS.contains(&key.as_str())
        })
    })
}
