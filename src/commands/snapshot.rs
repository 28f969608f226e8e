//! `plansite snapshot`: this week's plans into the archive, and what
//! changed since the last snapshot.

use super::{configure, read_checked};
use crate::archive::{self, Snapshot, WeekKey};
use crate::cli::SnapshotArgs;
use crate::config::{Clock, Config, Flags};
use crate::diagnostic::Diagnostic;
use crate::error::{ExitKind, Failure, Outcome, Report};
use crate::model::{Plan, Settings};
use crate::{derive, Reading};
use std::path::PathBuf;

pub fn snapshot(args: SnapshotArgs, clock: &Clock) -> Outcome {
    let flags = Flags {
        as_of: args.as_of.clone(),
        ..Flags::default()
    };
    let config = configure(&args.root, &flags, clock)?;
    let week = week(&args, &config)?;
    // When the snapshot was taken: the clock (reproducible archives when
    // SOURCE_DATE_EPOCH is set); RFC 3339 in UTC.
    let created = clock.now().map_err(Failure::usage)?;
    let (reading, mut diagnostics) = read_checked(&config)?;
    let previous = previous_week(&config, week, &mut diagnostics);
    let request = archive::SnapshotRequest {
        archive: &config.archive_dir,
        week,
        note: args.note.clone(),
        replace: args.replace,
        created: created.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        plans: archived_files(&config, &reading),
    };
    let folder = match archive::take(&request) {
        Ok(folder) => folder,
        Err(error) => {
            let (message, kind) = match error {
                archive::SnapshotError::Refused(m) => (m, ExitKind::Refused),
                archive::SnapshotError::Io(m) => (m, ExitKind::Content),
            };
            return Err(
                Failure::new(kind, vec![Diagnostic::error("archive", 0, 0, message)])
                    .after(diagnostics)
                    .with_sources(reading.sources),
            );
        }
    };
    let mut output = format!(
        "snapshot {week}: {} plan(s) archived in {}\n",
        reading.plans.len(),
        config.display(&folder)
    );
    output.push_str(&changes(previous.as_ref(), &reading.plans));
    Ok(Report {
        output,
        diagnostics,
        sources: reading.sources,
    })
}

/// The week to file the snapshot under: `--week`, else the week of the
/// date of the report.
fn week(args: &SnapshotArgs, config: &Config) -> Result<WeekKey, Failure> {
    let week = match &args.week {
        Some(text) => WeekKey::parse(text).ok_or_else(|| {
            Failure::usage(Diagnostic::error(
                "--week",
                0,
                0,
                format!(
                    "`{text}` is not an ISO week: write YYYY-Www with a year from {} to {}, such as 2025-W10",
                    archive::YEARS.start(),
                    archive::YEARS.end()
                ),
            ))
        })?,
        None => WeekKey::of(config.as_of),
    };
    if !archive::YEARS.contains(&week.year) {
        return Err(Failure::usage(Diagnostic::error(
            "--as-of",
            0,
            0,
            format!(
                "week {week} is outside the years a snapshot may be in ({} to {})",
                archive::YEARS.start(),
                archive::YEARS.end()
            ),
        )));
    }
    Ok(week)
}

/// The last snapshot before `week`, which changes are counted from (the
/// only week read).
fn previous_week(
    config: &Config,
    week: WeekKey,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Snapshot> {
    let settings = Settings {
        currency: config.currency,
    };
    let (listings, skipped) = archive::list_archive(config);
    diagnostics.extend(skipped);
    let listing = listings.iter().rev().find(|l| l.week < week)?;
    diagnostics.extend(listing.warnings.iter().cloned());
    let (snapshot, warnings) = listing.load(config, &settings);
    diagnostics.extend(warnings);
    Some(snapshot)
}

/// What changed since the last snapshot, a line per plan.
fn changes(previous: Option<&Snapshot>, plans: &[Plan]) -> String {
    let Some(previous) = previous else {
        return "no earlier snapshot: this is the first week of the history\n".into();
    };
    let mut output = format!("since {}:\n", previous.week);
    for changes in derive::diff::diff_portfolio(&previous.plans, plans) {
        output.push_str(&format!("  {}: {}\n", changes.slug, changes.summary()));
    }
    output
}

/// Each plan with the file it was read from and its name in the archive.
fn archived_files<'r>(config: &Config, reading: &'r Reading) -> Vec<(&'r Plan, PathBuf, String)> {
    reading
        .plans
        .iter()
        .map(|plan| {
            // The file as the system names it: `plan.source` is that name
            // made UTF-8, which would not open a file whose name is not.
            // The archived copy takes the UTF-8 name, as its manifest does.
            let path = if plan.file.as_os_str().is_empty() {
                config.root.join(&plan.source)
            } else {
                plan.file.clone()
            };
            let relative = path
                .strip_prefix(&config.content_dir)
                .map_or_else(|_| plan.source.clone(), |p| config.relative(p));
            (plan, path, relative)
        })
        .collect()
}
