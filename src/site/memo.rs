//! What `serve` keeps of one build to make the next with less work: the
//! current plans' pages (`Pages`, which the render consults through
//! `render::PlanMemo`) and the archived weeks (`Held`, a `Previous` whose
//! pages are those the server holds). Valid while the configuration, the
//! theme, the archive and the date stay the same: `serve` starts a new
//! `Memo` when any of them changes, or when a build fails.

use super::reuse::{Loaded, Previous, Records};
use crate::archive::WeekKey;
use crate::model::Plan;
use crate::render::{PlanMemo, Remembered};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

/// Everything kept between two builds.
#[derive(Default)]
pub struct Memo {
    pub pages: Pages,
    pub weeks: Option<Held>,
}

/// The archived weeks of the last build: their pages are in the server's
/// state already, so carrying one over is keeping it; and the week every
/// build reads (the last one before today, to count the changes since),
/// which stays the same while the memo lives.
pub struct Held {
    pub records: Records,
    pub kept: Option<(WeekKey, Loaded)>,
}

impl Previous for Held {
    fn records(&self) -> Records {
        self.records.clone()
    }

    fn carry(&self, _: WeekKey, _: usize) -> bool {
        true
    }

    fn loaded(&self, week: WeekKey) -> Option<Loaded> {
        let (kept, loaded) = self.kept.as_ref()?;
        (*kept == week).then(|| loaded.clone())
    }
}

/// The current site's plans as rendered by the last build, by slug.
#[derive(Default)]
pub struct Pages {
    entries: Mutex<HashMap<String, Entry>>,
    stale: Mutex<Vec<String>>,
}

/// One plan as last rendered: its key, what the dashboard needs of it,
/// and the paths of its files.
struct Entry {
    key: Key,
    remembered: Remembered,
    paths: Vec<String>,
}

/// A plan's source path, display path and text: its page depends on
/// nothing else that can change while a memo is valid. Compared whole,
/// which costs less than hashing it.
#[derive(PartialEq, Eq)]
struct Key {
    source: String,
    display: String,
    text: String,
}

/// The key of `plan`, borrowed, to compare with a kept one.
fn key_of<'p>(plan: &'p Plan, sources: &'p HashMap<String, String>) -> (&'p str, &'p str, &'p str) {
    (
        &plan.source,
        &plan.display,
        sources.get(&plan.display).map_or("", String::as_str),
    )
}

impl Pages {
    /// The files of the last build that no longer exist: those of plans
    /// that went, and those a re-rendered plan no longer makes.
    pub fn take_stale(&self) -> Vec<String> {
        self.stale
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default()
    }

    /// Whether nothing has been rendered yet (the first build).
    pub fn is_empty(&self) -> bool {
        self.entries.lock().map_or(true, |e| e.is_empty())
    }

    fn forget(&self, paths: Vec<String>) {
        if let Ok(mut stale) = self.stale.lock() {
            stale.extend(paths);
        }
    }
}

impl PlanMemo for Pages {
    fn recall(&self, plan: &Plan, sources: &HashMap<String, String>) -> Option<Remembered> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(&plan.slug)?;
        let key = &entry.key;
        ((key.source.as_str(), key.display.as_str(), key.text.as_str()) == key_of(plan, sources))
            .then(|| entry.remembered.clone())
    }

    fn remember(
        &self,
        plan: &Plan,
        sources: &HashMap<String, String>,
        remembered: Remembered,
        paths: Vec<String>,
    ) {
        let (source, display, text) = key_of(plan, sources);
        let entry = Entry {
            key: Key {
                source: source.to_string(),
                display: display.to_string(),
                text: text.to_string(),
            },
            remembered,
            paths,
        };
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if let Some(old) = entries.insert(plan.slug.clone(), entry) {
            let fresh = &entries[&plan.slug].paths;
            let gone: Vec<String> = old
                .paths
                .into_iter()
                .filter(|p| !fresh.contains(p))
                .collect();
            drop(entries);
            self.forget(gone);
        }
    }

    fn keep_only(&self, slugs: &HashSet<&str>) {
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        let gone: Vec<String> = entries
            .keys()
            .filter(|s| !slugs.contains(s.as_str()))
            .cloned()
            .collect();
        let paths = gone
            .iter()
            .filter_map(|slug| entries.remove(slug))
            .flat_map(|entry| entry.paths)
            .collect();
        drop(entries);
        self.forget(paths);
    }
}
