//! How a command ends: a `Report` when it did its job, a `Failure` when it
//! did not. Both carry the diagnostics gathered on the way and the sources
//! they point into; a failure also says what kind of failure it is, which
//! alone decides the exit code (`main` maps it, as documented in the
//! README).

use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

/// Why a command failed. The exit code is its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitKind {
    /// A plan has an error (or a warning under `--strict`), a plan failed
    /// to render, or a file of the site could not be written: exit 1.
    Content = 1,
    /// The command line, `site.toml` or a template is wrong: exit 2.
    Usage = 2,
    /// plansite refused to touch the output or archive folder: exit 3.
    Refused = 3,
}

impl ExitKind {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// What a command produced: text for stdout, diagnostics for stderr (with
/// the sources they point into).
#[derive(Debug, Default)]
pub struct Report {
    pub output: String,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: HashMap<String, String>,
}

/// A command that could not do its job: the kind, and the report of what
/// it met up to then (warnings included, and any output already made).
#[derive(Debug)]
pub struct Failure {
    pub kind: ExitKind,
    pub report: Report,
}

impl Failure {
    /// A failure of `kind` with these diagnostics.
    pub fn new(kind: ExitKind, diagnostics: Vec<Diagnostic>) -> Failure {
        Failure {
            kind,
            report: Report {
                diagnostics,
                ..Report::default()
            },
        }
    }

    /// A usage or configuration error (exit 2).
    pub fn usage(diagnostic: Diagnostic) -> Failure {
        Failure::new(ExitKind::Usage, vec![diagnostic])
    }

    /// The diagnostics gathered before this failure, printed before its own.
    pub fn after(mut self, mut earlier: Vec<Diagnostic>) -> Failure {
        earlier.append(&mut self.report.diagnostics);
        self.report.diagnostics = earlier;
        self
    }

    /// Sources the failure's diagnostics may point into.
    pub fn with_sources(mut self, sources: HashMap<String, String>) -> Failure {
        self.report.sources.extend(sources);
        self
    }
}

/// What every command returns.
pub type Outcome = Result<Report, Failure>;
