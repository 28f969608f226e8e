//! Items: tasks from list items, decisions, and the level of phase
//! headings.

use crate::model::plan::*;
use crate::parse::outline::{Block, BlockKind, Check, Item};
use crate::parse::span::{parse_heading, PhaseHeading};
use crate::parse::status::strip_marks;

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

/// The shallowest heading level at which headings name spans (the title
/// heading aside); headings naming only a duration, or a span that cannot
/// be read (`Week 5-2`), count when none do.
/// Also each block's heading as read (`None` for other blocks), so that
/// the walk does not read them again.
pub(super) fn phase_level(
    blocks: &[Block],
    title_index: Option<usize>,
) -> (Option<u8>, Vec<Option<PhaseHeading>>) {
    let parsed: Vec<Option<PhaseHeading>> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| match &b.kind {
            BlockKind::Heading { text, .. } if Some(i) != title_index => parse_heading(text),
            _ => None,
        })
        .collect();
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
    (level, parsed)
}
