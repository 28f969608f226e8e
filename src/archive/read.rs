//! Reading the archive: every snapshot folder listed with its manifest
//! (cheap: files are stated, not read), then the plans of the weeks that
//! are needed. Every file is read through `load::read_beneath`: a symbolic
//! link anywhere in the archive (the folder itself, a week, `plans`, a
//! file), anything but a regular file, and a file over its cap are not
//! read. Damage (an unreadable or oversized manifest, a missing, refused
//! or oversized file, a hash that does not match) is a warning naming the
//! file; a file that is not read or does not match is not shown, and what
//! can still be read is.

use super::{sha256_hex, Manifest, WeekKey};
use crate::config::Config;
use crate::decode::decode;
use crate::diagnostic::Diagnostic;
use crate::load::{read_beneath, ReadError, MAX_PLAN_BYTES};
use crate::model::{build, Plan, Settings, Source};
use std::collections::HashMap;
use std::fs;
use std::path::Path;

/// A manifest larger than this is not read (a week's manifest is a few
/// hundred bytes per plan).
pub const MAX_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

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

/// A week of the archive as listed: its manifest and the files it names,
/// not read yet.
#[derive(Debug, Clone)]
pub struct Listing {
    pub week: WeekKey,
    folder: std::path::PathBuf,
    /// `None` when the manifest could not be read (a warning says why).
    pub manifest: Option<Manifest>,
    /// Plan files under `plans/`, with their SHA-256 from the manifest.
    files: Vec<(String, Option<String>)>,
    /// SHA-256 of the manifest and of each file's path, size and
    /// modification time: what changes when the week's files do.
    pub fingerprint: String,
    /// What listing found wrong (the manifest).
    pub warnings: Vec<Diagnostic>,
}

/// Every snapshot folder, oldest first, with its manifest read and its
/// files stated but not read. Folders that are not week keys
/// (`2025-W10.replaced-1`, temporary folders) are skipped; a symbolic link
/// as the archive folder or as a week is skipped with a warning (the
/// second list).
pub fn list_archive(config: &Config) -> (Vec<Listing>, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let link = |path: &Path| {
        Diagnostic::warning(
            &config.display(path),
            0,
            0,
            "symbolic link not followed: the archive is read only from folders and regular files inside it",
        )
    };
    if fs::symlink_metadata(&config.archive_dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return (Vec::new(), vec![link(&config.archive_dir)]);
    }
    let Ok(entries) = fs::read_dir(&config.archive_dir) else {
        return (Vec::new(), warnings);
    };
    let mut weeks: Vec<(WeekKey, std::path::PathBuf)> = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let Some(week) = WeekKey::parse(&entry.file_name().to_string_lossy()) else {
            continue;
        };
        match entry.file_type() {
            Ok(t) if t.is_dir() => weeks.push((week, entry.path())),
            Ok(t) if t.is_symlink() => warnings.push(link(&entry.path())),
            _ => {}
        }
    }
    weeks.sort();
    warnings.sort_by(|a, b| a.file.cmp(&b.file));
    // Years of weeks are thousands of files to state: in parallel (the
    // order stays the weeks').
    use rayon::prelude::*;
    let listings = weeks
        .into_par_iter()
        .map(|(week, folder)| list_snapshot(config, week, folder))
        .collect();
    (listings, warnings)
}

fn list_snapshot(config: &Config, week: WeekKey, folder: std::path::PathBuf) -> Listing {
    use sha2::{Digest, Sha256};
    let mut warnings = Vec::new();
    let mut digest = Sha256::new();
    digest.update(week.to_string().as_bytes());
    let manifest_path = folder.join("manifest.json");
    let shown = config.display(&manifest_path);
    let name = folder.file_name().unwrap_or_default();
    let relative = Path::new(name).join("manifest.json");
    let manifest = match read_beneath(&config.archive_dir, &relative, MAX_MANIFEST_BYTES) {
        Err(e) => {
            let e = e.message(&|p| config.display(p));
            warnings.push(Diagnostic::warning(&shown, 0, 0, format!("cannot read the snapshot manifest ({e}); week {week} is shown from its files alone")));
            None
        }
        Ok(bytes) => {
            digest.update((bytes.len() as u64).to_le_bytes());
            digest.update(&bytes);
            match serde_json::from_slice::<Manifest>(&bytes) {
                Ok(manifest) => Some(manifest),
                Err(e) => {
                    warnings.push(Diagnostic::warning(&shown, e.line(), e.column(), format!("the snapshot manifest is damaged ({e}); week {week} is shown from its files alone")));
                    None
                }
            }
        }
    };
    let plans_dir = folder.join("plans");
    let files: Vec<(String, Option<String>)> = match &manifest {
        Some(m) => m
            .files
            .iter()
            .map(|f| (f.path.clone(), Some(f.sha256.clone())))
            .collect(),
        // Everything but folders: what is not a regular file is refused,
        // with a warning, when the week is read.
        None => walkdir::WalkDir::new(&plans_dir)
            .follow_links(false)
            .follow_root_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.depth() > 0 && !e.file_type().is_dir())
            .filter_map(|e| {
                e.path()
                    .strip_prefix(&plans_dir)
                    .ok()
                    .map(|p| (p.to_string_lossy().replace('\\', "/"), None))
            })
            .collect(),
    };
    for (relative, _) in &files {
        digest.update((relative.len() as u64).to_le_bytes());
        digest.update(relative.as_bytes());
        let stamp = crate::paths::safe_relative(relative)
            .and_then(|safe| fs::symlink_metadata(plans_dir.join(safe)).ok())
            .map(|m| {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                (m.len(), modified)
            });
        digest.update(format!("{stamp:?}").as_bytes());
    }
    let fingerprint = super::hex(&digest.finalize());
    Listing {
        week,
        folder,
        manifest,
        files,
        fingerprint,
        warnings,
    }
}

impl Listing {
    /// Reads and models the week's plans, reporting damage (a missing file,
    /// a hash that does not match, a plan that cannot be read) as warnings
    /// (those of the listing are in `self.warnings`).
    pub fn load(&self, config: &Config, settings: &Settings) -> (Snapshot, Vec<Diagnostic>) {
        let mut warnings = Vec::new();
        let snapshot = read_snapshot(config, settings, self, &mut warnings);
        (snapshot, warnings)
    }
}

fn read_snapshot(
    config: &Config,
    settings: &Settings,
    listing: &Listing,
    warnings: &mut Vec<Diagnostic>,
) -> Snapshot {
    let week = listing.week;
    let plans_dir = listing.folder.join("plans");
    let shown = config.display(&listing.folder.join("manifest.json"));
    let mut snapshot = Snapshot {
        week,
        manifest: listing.manifest.clone(),
        plans: Vec::new(),
        sources: HashMap::new(),
    };
    for (relative, expected) in &listing.files {
        let Some(safe) = crate::paths::safe_relative(relative) else {
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
        let path = plans_dir.join(&safe);
        let display = config.display(&path);
        let name = listing.folder.file_name().unwrap_or_default();
        let relative = Path::new(name).join("plans").join(&safe);
        let bytes = match read_beneath(&config.archive_dir, &relative, MAX_PLAN_BYTES) {
            Ok(bytes) => bytes,
            Err(e) => {
                let message = match &e {
                    ReadError::Io(io) if e.is_missing() => format!("archived plan missing ({io})"),
                    _ => format!(
                        "archived plan not read: {}",
                        e.message(&|p| config.display(p))
                    ),
                };
                warnings.push(Diagnostic::warning(
                    &display,
                    0,
                    0,
                    format!("{message}; week {week} is shown without it"),
                ));
                continue;
            }
        };
        if let Some(expected) = expected.as_ref().filter(|h| **h != sha256_hex(&bytes)) {
            warnings.push(Diagnostic::warning(&display, 0, 0, format!("archived plan does not match its SHA-256 in the manifest ({}…); it was changed after week {week} was archived, and is not shown", &expected[..expected.len().min(12)])));
            continue;
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
