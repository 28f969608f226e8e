//! The dashboard's table: the milestone each plan is at or heading for, the
//! table's default order (red first, then amber, then the rest; within
//! each by the nearest milestone), and its row groups by owner or tag,
//! each with its counts. Pure functions of the cards `portfolio` gathers.

use super::views::{CardView, CountsView, MilestoneView, PlanGroupView};
use crate::config::GroupBy;
use crate::derive::schedule::Rag;
use crate::derive::Derived;
use crate::model::plan::{Phase, PhaseStatus, Plan};
use std::collections::BTreeMap;

/// The milestone a plan is at or heading for, as of `derived.as_of`: a
/// dated phase's end. First the earliest-ending phase whose end has passed
/// while the plan states work in it is open (late: the same phases the
/// status calls overdue; a phase whose status is not stated is never late);
/// else the unfinished phase that ends first on or after the date. `None`
/// when no phase has a date, or every dated phase is finished or past.
pub fn milestone_view(plan: &Plan, derived: &Derived) -> Option<MilestoneView> {
    let as_of = derived.as_of;
    let dated = || {
        plan.phases
            .iter()
            .zip(&derived.dates)
            .filter_map(|(phase, dates)| dates.map(|(from, to)| (phase, from, to)))
            .filter(|(phase, _, _)| phase.status != PhaseStatus::Complete)
    };
    let late = dated()
        .filter(|(phase, _, to)| *to < as_of && phase.status_stated)
        .min_by_key(|(_, _, to)| *to);
    let ahead = || {
        dated()
            .filter(|(_, _, to)| *to >= as_of)
            .min_by_key(|(_, _, to)| *to)
    };
    let (phase, from, to) = late.or_else(ahead)?;
    let (state, label) = if to < as_of {
        ("late", "Late")
    } else if from <= as_of {
        ("now", "Now")
    } else {
        ("next", "Next")
    };
    Some(MilestoneView {
        name: phase_name(phase),
        date: to.format("%Y-%m-%d").to_string(),
        state: state.into(),
        label: label.into(),
    })
}

fn phase_name(phase: &Phase) -> String {
    if phase.title.trim().is_empty() {
        phase.label.clone()
    } else {
        phase.title.clone()
    }
}

/// Red first, then amber, then the rest (green and not rated together).
fn status_rank(rag: Rag) -> u8 {
    match rag {
        Rag::Red => 0,
        Rag::Amber => 1,
        Rag::Green | Rag::Unrated => 2,
    }
}

/// Puts `cards` (given in weight, title, slug order) in the table's
/// default order: by status rank, then by the nearest milestone date
/// (plans without one after those with one). The sort is stable, so the
/// given order decides the rest.
pub fn table_order(cards: &mut [CardView]) {
    cards.sort_by(|a, b| {
        let key = |c: &CardView| {
            (
                status_rank(c.rag.level),
                c.milestone.is_none(),
                c.milestone.as_ref().map(|m| m.date.clone()),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// Counts `cards` by status.
pub fn counts(cards: &[CardView]) -> CountsView {
    let count = |level: Rag| cards.iter().filter(|c| c.rag.level == level).count();
    CountsView {
        plans: cards.len(),
        red: count(Rag::Red),
        amber: count(Rag::Amber),
        green: count(Rag::Green),
        unrated: count(Rag::Unrated),
    }
}

/// The reason all not-rated cards share, or `""` when they differ (or
/// there are none).
pub fn shared_unrated_reason(cards: &[CardView]) -> String {
    let mut reasons = cards
        .iter()
        .filter(|c| c.rag.level == Rag::Unrated)
        .map(|c| c.rag.reason.as_str());
    match reasons.next() {
        Some(first) if reasons.all(|r| r == first) => first.to_string(),
        _ => String::new(),
    }
}

/// The owners and the tags of `cards`, sorted (case-insensitively, then
/// as written) without repeats; sets each card's `tag_keys` to its tags'
/// positions in the list.
pub fn filter_choices(cards: &mut [CardView]) -> (Vec<String>, Vec<String>) {
    let sorted = |names: Vec<&String>| {
        let mut names: Vec<String> = names
            .into_iter()
            .filter(|n| !n.trim().is_empty())
            .cloned()
            .collect();
        names.sort_by(|a, b| (a.to_lowercase(), a).cmp(&(b.to_lowercase(), b)));
        names.dedup();
        names
    };
    let owners = sorted(cards.iter().map(|c| &c.owner).collect());
    let tags = sorted(cards.iter().flat_map(|c| &c.tags).collect());
    let position: BTreeMap<&str, usize> = tags
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    for card in cards.iter_mut() {
        let mut keys: Vec<usize> = card
            .tags
            .iter()
            .filter_map(|t| position.get(t.as_str()).copied())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        card.tag_keys = keys
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(" ");
    }
    (owners, tags)
}

/// The table's row groups, each in the cards' order: one unnamed group
/// when not grouped; else one per owner or tag, by name (as `filter_choices`
/// sorts them), and last the plans without one.
pub fn groups(
    cards: &[CardView],
    by: GroupBy,
    owners: &[String],
    tags: &[String],
) -> Vec<PlanGroupView> {
    let group = |name: &str, none: bool, cards: Vec<CardView>| PlanGroupView {
        name: name.to_string(),
        none,
        counts: counts(&cards),
        cards,
    };
    let keys_of = |card: &CardView| -> Vec<String> {
        match by {
            GroupBy::None => Vec::new(),
            GroupBy::Owner => vec![card.owner.clone()],
            GroupBy::Tags => card.tags.clone(),
        }
    };
    let names = match by {
        GroupBy::None => return vec![group("", false, cards.to_vec())],
        GroupBy::Owner => owners,
        GroupBy::Tags => tags,
    };
    let mut out: Vec<PlanGroupView> = names
        .iter()
        .map(|name| {
            let members = cards
                .iter()
                .filter(|c| keys_of(c).iter().any(|k| k == name))
                .cloned()
                .collect();
            group(name, false, members)
        })
        .collect();
    let without: Vec<CardView> = cards
        .iter()
        .filter(|c| keys_of(c).iter().all(|k| k.trim().is_empty()))
        .cloned()
        .collect();
    if !without.is_empty() {
        let name = match by {
            GroupBy::Tags => "No tag",
            _ => "No owner",
        };
        out.push(group(name, true, without));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::views::RagView;

    fn card(slug: &str, rag: Rag, date: Option<&str>, owner: &str, tags: &[&str]) -> CardView {
        CardView {
            slug: slug.into(),
            rag: RagView {
                level: rag,
                ..RagView::default()
            },
            milestone: date.map(|d| MilestoneView {
                name: "m".into(),
                date: d.into(),
                state: "next".into(),
                label: "Next".into(),
            }),
            owner: owner.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            ..CardView::default()
        }
    }

    #[test]
    fn red_then_amber_then_the_rest_each_by_nearest_milestone() {
        let mut cards = vec![
            card("g-none", Rag::Green, None, "", &[]),
            card("u-early", Rag::Unrated, Some("2025-01-01"), "", &[]),
            card("r-late", Rag::Red, Some("2025-06-01"), "", &[]),
            card("a", Rag::Amber, None, "", &[]),
            card("r-soon", Rag::Red, Some("2025-03-01"), "", &[]),
            card("r-none", Rag::Red, None, "", &[]),
            card("g-soon", Rag::Green, Some("2025-02-01"), "", &[]),
        ];
        table_order(&mut cards);
        let slugs: Vec<&str> = cards.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(
            slugs,
            ["r-soon", "r-late", "r-none", "a", "u-early", "g-soon", "g-none"]
        );
    }

    #[test]
    fn groups_by_tag_hold_a_plan_in_each_of_its_tags_and_the_untagged_last() {
        let mut cards = vec![
            card("one", Rag::Red, None, "Bo", &["web", "Data"]),
            card("two", Rag::Green, None, "", &["web"]),
            card("three", Rag::Amber, None, "Al", &[]),
        ];
        let (owners, tags) = filter_choices(&mut cards);
        assert_eq!(owners, ["Al", "Bo"]);
        assert_eq!(tags, ["Data", "web"]);
        assert_eq!(cards[0].tag_keys, "0 1");
        let by_tag = groups(&cards, GroupBy::Tags, &owners, &tags);
        let shape: Vec<(&str, usize, usize)> = by_tag
            .iter()
            .map(|g| (g.name.as_str(), g.counts.plans, g.counts.red))
            .collect();
        assert_eq!(shape, [("Data", 1, 1), ("web", 2, 1), ("No tag", 1, 0)]);
        let by_owner = groups(&cards, GroupBy::Owner, &owners, &tags);
        let names: Vec<(&str, bool)> = by_owner.iter().map(|g| (g.name.as_str(), g.none)).collect();
        assert_eq!(names, [("Al", false), ("Bo", false), ("No owner", true)]);
        assert_eq!(groups(&cards, GroupBy::None, &owners, &tags).len(), 1);
    }
}
