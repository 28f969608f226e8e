//! The integration tests: the model of fixture plans (snapshots plus the
//! facts a reader checks), the command line through the real binary, and
//! property tests that no input panics the reader.

mod browser;
mod cli;
mod history;
mod model;
mod props;
mod serve;
mod site;

use std::path::{Path, PathBuf};

/// The fixtures folder, relative to the package root (the tests' working
/// directory), so paths in diagnostics and snapshots are the same anywhere.
pub fn fixtures() -> &'static Path {
    Path::new("tests/fixtures")
}

pub fn plan_fixture(name: &str) -> PathBuf {
    fixtures().join("plans").join(name)
}
