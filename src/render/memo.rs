//! The memo the render consults: plans rendered by an earlier build of
//! the same site (`site::memo` keeps them for `serve`).

use super::views::CardView;
use crate::diagnostic::Diagnostic;
use crate::model::plan::Plan;
use std::collections::{HashMap, HashSet};

/// Plans rendered by an earlier build of the same site, so that `serve`
/// re-renders only the plans an edit touched (`site::memo` keeps them).
/// A plan page depends on nothing but its own source while the
/// configuration, theme, archive and date stay the same; the dashboard,
/// rendered every time, gathers the cards.
pub trait PlanMemo: Sync {
    /// The plan's card and warnings as last rendered, if its source has not
    /// changed since.
    fn recall(&self, plan: &Plan, sources: &HashMap<String, String>) -> Option<Remembered>;
    /// Keeps what the plan rendered to, and the paths of its files.
    fn remember(
        &self,
        plan: &Plan,
        sources: &HashMap<String, String>,
        rendered: Remembered,
        paths: Vec<String>,
    );
    /// Forgets the plans not in `slugs` (they went).
    fn keep_only(&self, slugs: &HashSet<&str>);
}

/// What the dashboard needs of a plan rendered earlier.
#[derive(Debug, Clone)]
pub struct Remembered {
    pub card: CardView,
    pub warnings: Vec<Diagnostic>,
}
