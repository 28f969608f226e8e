//! The plans of a running `serve`, kept between rebuilds: a file is read
//! again only when its size or modification time changed.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Plan;
use crate::model::Settings;
use crate::{duplicate_slugs, load, read_plan_file, Reading};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::SystemTime;

/// A file's size and modification time: it is read again when either changes.
type Stamp = (Option<SystemTime>, u64);

#[derive(Default)]
pub struct PlanCache {
    entries: BTreeMap<PathBuf, Entry>,
    /// The plans, diagnostics and sources of every entry, in path order,
    /// kept whole between rebuilds so that a rebuild copies none of them.
    reading: Reading,
    /// What the last walk of the content folder reported (symbolic links).
    walk: Vec<Diagnostic>,
}

struct Entry {
    stamp: Stamp,
    /// The plan's path relative to the root (`Plan::source`).
    relative: String,
    display: String,
    /// Problems that are not the plan's own (an unreadable file).
    diagnostics: Vec<Diagnostic>,
}

impl PlanCache {
    /// Walks the content folder, re-reads what changed, drops what went.
    /// Returns how many files were read again or dropped; the result is
    /// [`PlanCache::reading`].
    pub fn refresh(&mut self, config: &Config) -> usize {
        let mut walk_diagnostics: Vec<Diagnostic> = Vec::new();
        let files = load::plan_files(&config.content_dir, &mut walk_diagnostics);
        let settings = Settings {
            currency: config.currency,
        };
        let present: HashSet<&PathBuf> = files.iter().collect();
        let gone: Vec<PathBuf> = self
            .entries
            .keys()
            .filter(|path| !present.contains(path))
            .cloned()
            .collect();
        let mut fresh: HashMap<String, Plan> = HashMap::new();
        for path in &gone {
            if let Some(entry) = self.entries.remove(path) {
                self.reading.sources.remove(&entry.display);
            }
        }
        let mut reread = gone.len();
        for path in &files {
            let stamp = std::fs::metadata(path).map_or((None, 0), |m| (m.modified().ok(), m.len()));
            let known = self
                .entries
                .get(path)
                .is_some_and(|entry| entry.stamp == stamp && stamp.0.is_some());
            if known {
                continue;
            }
            reread += 1;
            let file = read_plan_file(config, &settings, path);
            let entry = Entry {
                stamp,
                relative: config.relative(path),
                display: config.display(path),
                diagnostics: file.diagnostics,
            };
            match file.source {
                Some((display, text)) => {
                    self.reading.sources.insert(display, text);
                }
                None => {
                    self.reading.sources.remove(&entry.display);
                }
            }
            if let Some(plan) = file.plan {
                fresh.insert(entry.relative.clone(), plan);
            }
            self.entries.insert(path.clone(), entry);
        }
        if reread == 0 && walk_diagnostics == self.walk {
            return 0;
        }
        self.walk = walk_diagnostics.clone();
        // Plans move, in path order: the unchanged ones from the last
        // reading, the others from this one.
        let mut kept: HashMap<String, Plan> = std::mem::take(&mut self.reading.plans)
            .into_iter()
            .map(|plan| (plan.source.clone(), plan))
            .collect();
        let mut diagnostics = walk_diagnostics;
        for entry in self.entries.values() {
            diagnostics.extend(entry.diagnostics.iter().cloned());
            if let Some(plan) = fresh
                .remove(&entry.relative)
                .or_else(|| kept.remove(&entry.relative))
            {
                self.reading.plans.push(plan);
            }
        }
        duplicate_slugs(&self.reading.plans, &mut diagnostics);
        self.reading.diagnostics = diagnostics;
        reread.max(1)
    }

    /// The plans as of the last refresh.
    pub fn reading(&self) -> &Reading {
        &self.reading
    }
}

/// A fingerprint of the files that are not plans but change the site:
/// `site.toml`, the themes and the archive. File events also fire when a
/// file is only read (the build reads them all), so a rebuild happens only
/// when this or a plan really changed.
pub fn fingerprint(config: &Config) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let roots = [
        config.root.join("site.toml"),
        config.root.join("themes"),
        config.archive_dir.clone(),
    ];
    for root in &roots {
        for entry in walkdir::WalkDir::new(root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if let Ok(meta) = entry.metadata() {
                entry.path().hash(&mut hasher);
                meta.len().hash(&mut hasher);
                meta.modified().ok().hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}
