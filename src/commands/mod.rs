//! The commands: each turns its arguments into work on the pipeline and
//! returns a `Report`, or a `Failure` whose kind is the exit code. `main`
//! prints either.

mod build;
mod check;
mod init;
mod model;
mod snapshot;

pub use build::build;
pub use check::{check, summary_line};
pub use init::init;
pub use model::model_json;
pub use snapshot::snapshot;

use crate::config::{Clock, Config, Flags};
use crate::diagnostic::Diagnostic;
use crate::error::Failure;
use crate::{read_plans, Reading};
use std::path::Path;

/// The configuration of the site at `root` with the command line applied;
/// a problem with either is a usage error.
pub fn configure(root: &Path, flags: &Flags, clock: &Clock) -> Result<Config, Failure> {
    Config::resolve(root, flags, clock).map_err(Failure::usage)
}

/// Reads every plan under the root and stops (exit 1) on any error; the
/// warnings, the plans' own included, come back with the reading.
pub fn read_checked(config: &Config) -> Result<(Reading, Vec<Diagnostic>), Failure> {
    let reading = read_plans(config, &[]);
    let diagnostics = reading.checked()?;
    Ok((reading, diagnostics))
}
