//! plansite turns project plans written in Markdown into a static report
//! site. The work is a one-way pipeline; each stage takes values and
//! returns values and imports only the stages before it; only `load`,
//! `archive` (the archived weeks) and the theme loader read, only `write`
//! writes the site:
//!
//! ```text
//!  site.toml ─┐
//!  content/ ──┼─ load ─▶ decode ─▶ parse ─▶ model ─▶ derive ─▶ charts ─▶ render ─▶ write ─▶ public/
//!  archive/ ──┤ (walk,   (UTF-8,   (front    (Plan,   (as-of:   (SVG,     (views,   (staging
//!  themes/ ───┘  bytes)   repair)   matter,   checks)  current  plotters) Tera)     folder,
//!                                   outline,           phase,                       swap)
//!                                   spans,             value,
//!                                   money)             diff)
//!
//!  site: the stage `build` and `serve` share. From a resolved job
//!        (`config::Config`: site.toml, flags and clock merged once; the
//!        plans read; the previous output) it reads the archive, reuses
//!        the unchanged weeks, and renders every page into a sink; on a
//!        protected site (`site::protect`) every file passes a filter on
//!        the way: pages sealed into shells, the rest kept or withheld.
//!  commands/, serve/: resolve the job, call `site`, report.
//! ```
//!
//! `snapshot` has its own single writer for the archive (`archive`). Each
//! command lives in `commands` (and `serve`) and returns a `Report` or a
//! `Failure` (`error`) whose kind is the exit code; problems are
//! `Diagnostic` values gathered along the way, which `main` prints
//! rustc-style.
//!
//! What several stages share lives in leaf modules that import nothing of
//! the crate: `text` (characters no output may carry), `lines` (the line
//! index), `escape` (one function per escaping context), `slug`, `paths`
//! (safe relative paths), `output` (a site's files and the sink they go
//! to), `raster` (an SVG drawing to PNG with the fonts shipped in the
//! binary, for the link-preview cards) and `protect` (the encryption of a
//! protected site's pages, and its opaque folder names).

pub mod archive;
pub mod charts;
pub mod cli;
pub mod commands;
pub mod config;
pub mod decode;
pub mod derive;
pub mod diagnostic;
pub mod error;
pub mod escape;
pub mod guard;
pub mod lines;
pub mod load;
pub mod lock;
pub mod model;
pub mod output;
pub mod parse;
pub mod paths;
pub mod protect;
pub mod raster;
pub mod render;
pub mod serve;
pub mod site;
pub mod slug;
pub mod text;
pub mod timing;
pub mod write;

use cli::{Cli, Command};
use config::{Clock, Config};
use diagnostic::Diagnostic;
use error::{ExitKind, Failure, Outcome};
use model::{Plan, Settings};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Runs one command. The clock (`SOURCE_DATE_EPOCH`, else the system's)
/// is read here, once.
pub fn run(cli: Cli) -> Outcome {
    let clock = Clock::from_env();
    match cli.command {
        Command::Init(args) => commands::init(args),
        Command::Build(args) => commands::build(args, &clock),
        Command::Check(args) => commands::check(args),
        Command::Serve(args) => serve::serve(args, &clock),
        Command::Model(args) => commands::model_json(args),
        Command::Snapshot(args) => commands::snapshot(args, &clock),
    }
}

/// Drops a large value on a thread of its own, so that a command returns
/// without freeing it piece by piece: the process then exits, and the
/// system takes the memory back at once. (Freeing 1,000 plans one by one
/// was about a twentieth of a build, all of it on the main thread.) In a
/// long-running `serve`, the thread simply finishes.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    // If no thread can be started, the value is dropped here instead.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// The plans read from a site, with every problem met on the way.
#[derive(Debug, Default)]
pub struct Reading {
    pub plans: Vec<Plan>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: HashMap<String, String>,
}

impl Reading {
    /// Every diagnostic of the reading, the plans' own included; a failure
    /// (exit 1) if any is an error: a site or an archive is never made
    /// from a plan that cannot be read.
    pub fn checked(&self) -> Result<Vec<Diagnostic>, Failure> {
        let mut diagnostics = self.diagnostics.clone();
        for plan in &self.plans {
            diagnostics.extend(plan.diagnostics.iter().cloned());
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(
                Failure::new(ExitKind::Content, diagnostics).with_sources(self.sources.clone())
            );
        }
        Ok(diagnostics)
    }
}

/// Reads the given plan files, or every plan under the content folder.
pub fn read_plans(config: &Config, paths: &[PathBuf]) -> Reading {
    let mut reading = Reading::default();
    let files = if paths.is_empty() {
        load::plan_files(&config.content_dir, &mut reading.diagnostics)
    } else {
        paths.to_vec()
    };
    let settings = Settings {
        currency: config.currency,
    };
    // Plans are read independently, in parallel; the order stays the files'.
    let read: Vec<PlanFile> = files
        .par_iter()
        .map(|path| read_plan_file(config, &settings, path))
        .collect();
    assemble(&mut reading, read);
    reading
}

/// One plan file as read: its plan (or the error that made it unreadable),
/// and its decoded text for the lines quoted in diagnostics.
#[derive(Debug, Clone)]
pub struct PlanFile {
    pub plan: Option<Plan>,
    /// Problems that are not the plan's own (an unreadable file).
    pub diagnostics: Vec<Diagnostic>,
    pub source: Option<(String, String)>,
}

/// Reads, decodes and models one plan file.
pub fn read_plan_file(config: &Config, settings: &Settings, path: &Path) -> PlanFile {
    let display = config.display(path);
    match load::read_plan(path, &config.relative(path), &display) {
        Err(error) => PlanFile {
            plan: None,
            diagnostics: vec![error],
            source: None,
        },
        Ok((source, warnings)) => match guard::contain(|| {
            guard::injected("read", &source.stem);
            model::build(&source, settings)
        })
        .unwrap_or_else(|panic| {
            Err(Diagnostic::error(
                &display,
                0,
                0,
                guard::message("reading", &panic),
            ))
        }) {
            Ok(mut plan) => {
                // Decoding warnings belong to the plan, first.
                plan.diagnostics.splice(0..0, warnings);
                plan.file = path.to_path_buf();
                PlanFile {
                    plan: Some(plan),
                    diagnostics: Vec::new(),
                    source: Some((display, source.text)),
                }
            }
            Err(error) => {
                let mut diagnostics = warnings;
                diagnostics.push(error);
                PlanFile {
                    plan: None,
                    diagnostics,
                    source: Some((display, source.text)),
                }
            }
        },
    }
}

/// Gathers read plan files into a reading and checks their slugs.
pub fn assemble(reading: &mut Reading, files: impl IntoIterator<Item = PlanFile>) {
    for file in files {
        reading.plans.extend(file.plan);
        reading.diagnostics.extend(file.diagnostics);
        if let Some((display, text)) = file.source {
            reading.sources.insert(display, text);
        }
    }
    duplicate_slugs(&reading.plans, &mut reading.diagnostics);
}

/// Two plans with one slug would write one page: an error naming both.
pub fn duplicate_slugs(plans: &[Plan], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Plan> = HashMap::new();
    for plan in plans {
        if let Some(first) = seen.insert(plan.slug.as_str(), plan) {
            let file = plan
                .diagnostics
                .first()
                .map_or(plan.source.as_str(), |d| d.file.as_str());
            diagnostics.push(Diagnostic::error(
                file,
                0,
                0,
                format!(
                    "`{}` and `{}` both have the slug `{}`: give one a `slug:` in its front matter",
                    first.source, plan.source, plan.slug
                ),
            ));
        }
    }
}
