//! The commands: each turns its arguments into work on the pipeline and an
//! `Outcome` (output, diagnostics, exit code). `main` prints it.

mod build;
mod check;
mod init;
mod model;
pub(crate) mod reuse;
mod snapshot;

pub use build::{build, site_files, Loaded, Previous, Site};
pub use check::{check, summary_line};
pub use init::init;
pub use model::model_json;
pub use reuse::Records;
pub use snapshot::snapshot;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::{exit, read_plans, Outcome, Reading};
use std::path::Path;

pub(crate) fn load_config(root: &Path) -> Result<Config, Outcome> {
    Config::load(root).map_err(|error| Outcome {
        diagnostics: vec![error],
        code: exit::USAGE,
        ..Outcome::default()
    })
}

/// The date a report speaks for: `--as-of`, else `SOURCE_DATE_EPOCH`, else
/// today (UTC).
pub fn as_of_date(given: Option<&str>) -> Result<chrono::NaiveDate, Diagnostic> {
    if let Some(text) = given {
        return chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            Diagnostic::error(
                "--as-of",
                0,
                0,
                format!("`{text}` is not a date: write YYYY-MM-DD"),
            )
        });
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch.trim().parse().map_err(|_| {
            Diagnostic::error(
                "SOURCE_DATE_EPOCH",
                0,
                0,
                format!("`{epoch}` is not a number of seconds"),
            )
        })?;
        return chrono::DateTime::from_timestamp(seconds, 0)
            .map(|t| t.date_naive())
            .ok_or_else(|| {
                Diagnostic::error(
                    "SOURCE_DATE_EPOCH",
                    0,
                    0,
                    format!("`{epoch}` is out of range"),
                )
            });
    }
    Ok(chrono::Utc::now().date_naive())
}

/// Reads every plan under the root and stops (exit 1) on any error: the
/// site and the archive are never made from a plan that cannot be read.
/// The warnings, the plans' own included, come back with the reading.
fn read_checked(config: &Config) -> Result<(Reading, Vec<Diagnostic>), Outcome> {
    let reading = read_plans(config, &[]);
    let mut diagnostics = reading.diagnostics.clone();
    for plan in &reading.plans {
        diagnostics.extend(plan.diagnostics.iter().cloned());
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Outcome {
            diagnostics,
            sources: reading.sources,
            code: exit::CONTENT,
            ..Outcome::default()
        });
    }
    Ok((reading, diagnostics))
}
