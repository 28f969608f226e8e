//! `plansite snapshot`: this week's plans into the archive, and what
//! changed since the last snapshot.

use super::{as_of_date, load_config, read_checked};
use crate::cli::SnapshotArgs;
use crate::diagnostic::Diagnostic;
use crate::model::Settings;
use crate::{archive, derive, exit, Outcome};

/// When a snapshot was taken: `SOURCE_DATE_EPOCH` when set (reproducible
/// archives), else now; RFC 3339 in UTC.
fn creation_time() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .unwrap_or_else(chrono::Utc::now);
    now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn snapshot(args: SnapshotArgs) -> Outcome {
    let config = match load_config(&args.root) {
        Ok(config) => config,
        Err(outcome) => return outcome,
    };
    let usage = |d: Diagnostic| Outcome {
        diagnostics: vec![d],
        code: exit::USAGE,
        ..Outcome::default()
    };
    let week = match (&args.week, as_of_date(args.as_of.as_deref())) {
        (Some(text), _) => match archive::WeekKey::parse(text) {
            Some(week) => week,
            None => {
                return usage(Diagnostic::error(
                    "--week",
                    0,
                    0,
                    format!("`{text}` is not an ISO week: write YYYY-Www with a year from {} to {}, such as 2025-W10", archive::YEARS.start(), archive::YEARS.end()),
                ))
            }
        },
        (None, Ok(date)) => archive::WeekKey::of(date),
        (None, Err(d)) => return usage(d),
    };
    if !archive::YEARS.contains(&week.year) {
        return usage(Diagnostic::error(
            "--as-of",
            0,
            0,
            format!(
                "week {week} is outside the years a snapshot may be in ({} to {})",
                archive::YEARS.start(),
                archive::YEARS.end()
            ),
        ));
    }
    let (reading, mut diagnostics) = match read_checked(&config) {
        Ok(read) => read,
        Err(outcome) => return outcome,
    };
    let plans = reading
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
        .collect();
    let settings = Settings {
        currency: config.currency,
    };
    // Only the week before is read: changes are counted from it.
    let (listings, skipped) = archive::list_archive(&config);
    diagnostics.extend(skipped);
    let previous = listings
        .iter()
        .rev()
        .find(|l| l.week < week)
        .map(|listing| {
            diagnostics.extend(listing.warnings.iter().cloned());
            let (snapshot, warnings) = listing.load(&config, &settings);
            diagnostics.extend(warnings);
            snapshot
        });
    let request = archive::SnapshotRequest {
        archive: &config.archive_dir,
        week,
        note: args.note.clone(),
        replace: args.replace,
        created: creation_time(),
        plans,
    };
    let folder = match archive::take(&request) {
        Ok(folder) => folder,
        Err(error) => {
            let (message, code) = match error {
                archive::SnapshotError::Refused(m) => (m, exit::REFUSED),
                archive::SnapshotError::Io(m) => (m, exit::CONTENT),
            };
            diagnostics.push(Diagnostic::error("archive", 0, 0, message));
            return Outcome {
                diagnostics,
                sources: reading.sources,
                code,
                ..Outcome::default()
            };
        }
    };
    let mut output = format!(
        "snapshot {week}: {} plan(s) archived in {}\n",
        reading.plans.len(),
        config.display(&folder)
    );
    match &previous {
        Some(previous) => {
            output.push_str(&format!("since {}:\n", previous.week));
            for changes in derive::diff::diff_portfolio(&previous.plans, &reading.plans) {
                output.push_str(&format!("  {}: {}\n", changes.slug, changes.summary()));
            }
        }
        None => output.push_str("no earlier snapshot: this is the first week of the history\n"),
    }
    Outcome {
        output,
        diagnostics,
        sources: reading.sources,
        code: exit::OK,
    }
}
