//! Reading the archive for the build: every snapshot folder, its manifest
//! and its plans. Damage (an unreadable manifest, a missing file, a hash
//! that does not match) is a warning naming the file; what can still be
//! read is still shown.

use super::{sha256_hex, Manifest, WeekKey};
use crate::config::Config;
use crate::decode::decode;
use crate::diagnostic::Diagnostic;
use crate::model::{build, Plan, Settings, Source};
use std::collections::HashMap;
use std::fs;
use std::path::Path;

/// One week of the archive, as read.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub week: WeekKey,
    /// `None` when the manifest could not be read (a warning says why).
    pub manifest: Option<Manifest>,
    pub plans: Vec<Plan>,
    /// Decoded sources by display path, for the lines quoted in checks.
    pub sources: HashMap<String, String>,
}

/// Every snapshot in the archive folder, oldest first. Folders that are
/// not week keys (`2025-W10.replaced-1`, temporary folders) are skipped.
pub fn read_archive(config: &Config, settings: &Settings) -> (Vec<Snapshot>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let Ok(entries) = fs::read_dir(&config.archive_dir) else {
        return (Vec::new(), warnings);
    };
    let mut weeks: Vec<(WeekKey, std::path::PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| WeekKey::parse(&e.file_name().to_string_lossy()).map(|w| (w, e.path())))
        .collect();
    weeks.sort();
    let snapshots = weeks
        .into_iter()
        .map(|(week, folder)| read_snapshot(config, settings, week, &folder, &mut warnings))
        .collect();
    (snapshots, warnings)
}

fn read_snapshot(
    config: &Config,
    settings: &Settings,
    week: WeekKey,
    folder: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> Snapshot {
    let manifest_path = folder.join("manifest.json");
    let shown = config.display(&manifest_path);
    let manifest = match fs::read(&manifest_path) {
        Err(e) => {
            warnings.push(Diagnostic::warning(&shown, 0, 0, format!("cannot read the snapshot manifest ({e}); week {week} is shown from its files alone")));
            None
        }
        Ok(bytes) => match serde_json::from_slice::<Manifest>(&bytes) {
            Ok(manifest) => Some(manifest),
            Err(e) => {
                warnings.push(Diagnostic::warning(&shown, e.line(), e.column(), format!("the snapshot manifest is damaged ({e}); week {week} is shown from its files alone")));
                None
            }
        },
    };
    let plans_dir = folder.join("plans");
    let files: Vec<(String, Option<String>)> = match &manifest {
        Some(m) => m
            .files
            .iter()
            .map(|f| (f.path.clone(), Some(f.sha256.clone())))
            .collect(),
        None => walkdir::WalkDir::new(&plans_dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(&plans_dir)
                    .ok()
                    .map(|p| (p.to_string_lossy().replace('\\', "/"), None))
            })
            .collect(),
    };
    let mut snapshot = Snapshot {
        week,
        manifest,
        plans: Vec::new(),
        sources: HashMap::new(),
    };
    for (relative, expected) in files {
        let Some(safe) = crate::write::safe_relative(&relative) else {
            warnings.push(Diagnostic::warning(
                &shown,
                0,
                0,
                format!(
                    "the manifest names `{relative}`, which is not a plain relative path; skipped"
                ),
            ));
            continue;
        };
        let path = plans_dir.join(safe);
        let display = config.display(&path);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                warnings.push(Diagnostic::warning(
                    &display,
                    0,
                    0,
                    format!("archived plan missing ({e}); week {week} is shown without it"),
                ));
                continue;
            }
        };
        if let Some(expected) = expected.filter(|h| *h != sha256_hex(&bytes)) {
            warnings.push(Diagnostic::warning(&display, 0, 0, format!("archived plan does not match its SHA-256 in the manifest ({}…); it was changed after week {week} was archived", &expected[..expected.len().min(12)])));
        }
        let (text, _) = decode(&bytes);
        let stem = path
            .file_stem()
            .map_or_else(|| "plan".to_string(), |s| s.to_string_lossy().into_owned());
        let source = Source {
            path: config.relative(&path),
            display: display.clone(),
            stem,
            text,
        };
        match build(&source, settings) {
            Ok(plan) => snapshot.plans.push(plan),
            Err(error) => warnings.push(Diagnostic::warning(
                &error.file,
                error.line,
                error.col,
                format!("archived plan cannot be read: {}", error.message),
            )),
        }
        snapshot.sources.insert(display, source.text);
    }
    snapshot
}
