//! The plans of a running `serve`, kept between rebuilds: a file is read
//! again only when its size or modification time changed.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Settings;
use crate::{assemble, load, read_plan_file, PlanFile, Reading};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::SystemTime;

#[derive(Default)]
pub struct PlanCache {
    entries: BTreeMap<PathBuf, ((Option<SystemTime>, u64), PlanFile)>,
}

impl PlanCache {
    /// Walks the content folder, re-reads what changed, drops what went.
    /// Returns the reading and how many files were read again or dropped.
    pub fn refresh(&mut self, config: &Config) -> (Reading, usize) {
        let mut walk_diagnostics: Vec<Diagnostic> = Vec::new();
        let files = load::plan_files(&config.content_dir, &mut walk_diagnostics);
        let settings = Settings {
            currency: config.currency,
        };
        let before = self.entries.len();
        self.entries.retain(|path, _| files.contains(path));
        let mut reread = before - self.entries.len();
        for path in &files {
            let stamp = std::fs::metadata(path).map_or((None, 0), |m| (m.modified().ok(), m.len()));
            let fresh = self
                .entries
                .get(path)
                .is_some_and(|(known, _)| *known == stamp && stamp.0.is_some());
            if !fresh {
                self.entries.insert(
                    path.clone(),
                    (stamp, read_plan_file(config, &settings, path)),
                );
                reread += 1;
            }
        }
        let mut reading = Reading {
            diagnostics: walk_diagnostics,
            ..Reading::default()
        };
        assemble(
            &mut reading,
            self.entries.values().map(|(_, file)| file.clone()),
        );
        (reading, reread)
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
