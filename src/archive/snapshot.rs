//! Taking a snapshot: the plan sources copied byte for byte, with a
//! manifest, into a temporary folder renamed into place, under a lock, so
//! two snapshot commands at once give one snapshot and one refusal. An
//! existing week is never overwritten: it is refused, or with `--replace`
//! moved aside under a clear name. An archive folder that is a symbolic
//! link is refused (exit 3): nothing is written through it.

use super::{sha256_hex, Headline, Manifest, ManifestFile, WeekKey};
use crate::lock::{Lock, LockError};
use crate::model::Plan;
use std::fs;
use std::path::{Path, PathBuf};

/// Everything a snapshot is made from.
pub struct SnapshotRequest<'a> {
    pub archive: &'a Path,
    pub week: WeekKey,
    pub note: Option<String>,
    pub replace: bool,
    pub created: String,
    /// The plans as read, with the file each came from and its path under
    /// the content folder.
    pub plans: Vec<(&'a Plan, PathBuf, String)>,
}

#[derive(Debug)]
pub enum SnapshotError {
    /// The week exists, or another snapshot holds the lock (exit 3).
    Refused(String),
    /// The disk said no (exit 1); the archive is unchanged.
    Io(String),
}

const LOCK: &str = ".snapshot.lock";

/// Takes the snapshot; returns the folder it wrote.
pub fn take(request: &SnapshotRequest<'_>) -> Result<PathBuf, SnapshotError> {
    let io = |what: &str, path: &Path, e: std::io::Error| {
        SnapshotError::Io(format!("cannot {what} {}: {e}", path.display()))
    };
    // A link as the archive folder would have the snapshot written (and
    // its leftovers removed) wherever it points.
    if fs::symlink_metadata(request.archive).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(SnapshotError::Refused(format!(
            "the archive folder {} is a symbolic link; plansite writes snapshots only into a real folder inside the site: nothing was written",
            request.archive.display()
        )));
    }
    fs::create_dir_all(request.archive).map_err(|e| io("create", request.archive, e))?;
    let _lock = Lock::acquire(&request.archive.join(LOCK), "snapshot").map_err(|e| match e {
        LockError::Busy(m) => SnapshotError::Refused(m),
        LockError::Io(m) => SnapshotError::Io(m),
    })?;
    let target = request.archive.join(request.week.to_string());
    if target.exists() && !request.replace {
        return Err(SnapshotError::Refused(format!(
            "a snapshot for {} already exists ({}); the archive is append-only: pass --replace to set it aside and take a new one",
            request.week,
            target.display()
        )));
    }
    // Under the lock no other snapshot runs: a temporary folder here is
    // what a killed one left, never part of the archive. It goes, and so
    // does anything else of that name (a file or a link, removed itself,
    // never followed), which would otherwise stop every snapshot.
    if let Ok(entries) = fs::read_dir(request.archive) {
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".tmp-") {
                let path = entry.path();
                let removed = match fs::symlink_metadata(&path) {
                    Ok(meta) if meta.is_dir() => fs::remove_dir_all(&path),
                    _ => fs::remove_file(&path),
                };
                removed.map_err(|e| io("remove", &path, e))?;
            }
        }
    }
    let staging = request
        .archive
        .join(format!(".{}.tmp-{}", request.week, std::process::id()));
    let result = fill(&staging, request).and_then(|()| {
        if target.exists() {
            let aside = set_aside_name(request.archive, request.week);
            fs::rename(&target, &aside).map_err(|e| io("set aside", &target, e))?;
        }
        fs::rename(&staging, &target).map_err(|e| io("move into place", &target, e))
    });
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result.map(|()| target)
}

/// `2025-W10.replaced-1`, `-2`…: the first name not taken.
fn set_aside_name(archive: &Path, week: WeekKey) -> PathBuf {
    (1..)
        .map(|n| archive.join(format!("{week}.replaced-{n}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| archive.join(format!("{week}.replaced")))
}

fn fill(staging: &Path, request: &SnapshotRequest<'_>) -> Result<(), SnapshotError> {
    let io = |what: &str, path: &Path, e: std::io::Error| {
        SnapshotError::Io(format!("cannot {what} {}: {e}", path.display()))
    };
    let mut files = Vec::new();
    let mut headlines = Vec::new();
    // Two file names that are not UTF-8 can be shown alike; their copies
    // would share one name in the archive.
    let mut names: std::collections::HashMap<&str, &Path> = std::collections::HashMap::new();
    for (_, path, relative) in &request.plans {
        if let Some(first) = names.insert(relative.as_str(), path) {
            return Err(SnapshotError::Io(format!(
                "`{}` and `{}` would both be archived as `{relative}`: rename one (their names are not valid UTF-8)",
                first.display(),
                path.display()
            )));
        }
    }
    for (plan, path, relative) in &request.plans {
        let safe = crate::paths::safe_relative(relative).ok_or_else(|| {
            SnapshotError::Io(format!(
                "refusing to archive `{relative}`: not a plain relative path"
            ))
        })?;
        // Read as the plan was: a link or anything but a regular file is
        // refused, and no more than a plan's cap is read.
        let bytes = crate::load::open_file(path)
            .and_then(|file| crate::load::read_capped(file, crate::load::MAX_PLAN_BYTES))
            .map_err(|e| {
                SnapshotError::Io(format!(
                    "cannot read {}: {}",
                    path.display(),
                    e.message(&|p| p.display().to_string())
                ))
            })?;
        let destination = staging.join("plans").join(&safe);
        if let Some(dir) = destination.parent() {
            fs::create_dir_all(dir).map_err(|e| io("create", dir, e))?;
        }
        fs::write(&destination, &bytes).map_err(|e| io("write", &destination, e))?;
        files.push(ManifestFile {
            path: relative.clone(),
            sha256: sha256_hex(&bytes),
            bytes: bytes.len() as u64,
        });
        headlines.push(headline(plan));
    }
    let manifest = Manifest {
        schema: 1,
        week: request.week.to_string(),
        created: request.created.clone(),
        plansite: env!("CARGO_PKG_VERSION").to_string(),
        note: request.note.clone(),
        files,
        plans: headlines,
    };
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| SnapshotError::Io(format!("cannot write the manifest: {e}")))?
        + "\n";
    let path = staging.join("manifest.json");
    fs::write(&path, json).map_err(|e| io("write", &path, e))
}

/// The figures a snapshot records for a plan.
pub fn headline(plan: &Plan) -> Headline {
    let budget = crate::derive::budget_figures(plan).current;
    Headline {
        slug: plan.slug.clone(),
        title: plan.title.clone(),
        source: plan.source.clone(),
        done: plan.progress.done,
        total: plan.progress.total,
        budget: budget.map(|m| m.json_number()),
        currency: budget.map(|m| m.currency.to_string()),
        status: plan.meta.status.clone(),
        decision: plan
            .decision
            .as_ref()
            .map(|d| d.chosen.clone().unwrap_or_else(|| d.options.join(" / "))),
    }
}
