//! plansite turns project plans written in Markdown into a static report
//! site. The work is a one-way pipeline; each stage takes values and
//! returns values; only `load` (and the theme loader) reads, only `write`
//! writes:
//!
//! ```text
//!  site.toml ─┐
//!  content/ ──┼─ load ─▶ decode ─▶ parse ─▶ model ─▶ derive ─▶ charts ─▶ render ─▶ write ─▶ public/
//!  themes/ ───┘ (walk,   (UTF-8,   (front    (Plan,   (as-of:   (SVG,     (views,   (staging
//!                bytes)   repair)   matter,   checks)  current  plotters) Tera)     folder,
//!                                   outline,           phase,                       swap)
//!                                   spans,             value)
//!                                   money)
//! ```
//!
//! Problems are `Diagnostic` values gathered along the way; `main` prints
//! them rustc-style and maps the outcome to an exit code.

pub mod charts;
pub mod cli;
pub mod config;
pub mod decode;
pub mod derive;
pub mod diagnostic;
pub mod load;
pub mod model;
pub mod parse;
pub mod render;
pub mod write;

use cli::{BuildArgs, CheckArgs, Cli, Command, ModelArgs};
use config::Config;
use diagnostic::{Diagnostic, Level};
use model::{Plan, Settings};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Exit codes, as documented in the README.
pub mod exit {
    /// Success.
    pub const OK: u8 = 0;
    /// Content errors (or warnings with `--strict`).
    pub const CONTENT: u8 = 1;
    /// Usage or configuration errors.
    pub const USAGE: u8 = 2;
    /// Refused to touch the output or archive folder.
    pub const REFUSED: u8 = 3;
}

/// What a command produced: text for stdout, diagnostics for stderr (with
/// the sources they point into), and the exit code.
#[derive(Debug, Default)]
pub struct Outcome {
    pub output: String,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: HashMap<String, String>,
    pub code: u8,
}

/// Runs one command.
pub fn run(cli: Cli) -> Outcome {
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::Model(args) => model_json(args),
    }
}

/// The plans read from a site, with every problem met on the way.
#[derive(Debug, Default)]
pub struct Reading {
    pub plans: Vec<Plan>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: HashMap<String, String>,
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
    for path in files {
        let display = config.display(&path);
        match load::read_plan(&path, &config.relative(&path), &display) {
            Err(error) => reading.diagnostics.push(error),
            Ok((source, warnings)) => {
                match model::build(&source, &settings) {
                    Ok(mut plan) => {
                        // Decoding warnings belong to the plan, first.
                        plan.diagnostics.splice(0..0, warnings);
                        reading.plans.push(plan);
                    }
                    Err(error) => {
                        reading.diagnostics.extend(warnings);
                        reading.diagnostics.push(error);
                    }
                }
                reading.sources.insert(display, source.text);
            }
        }
    }
    duplicate_slugs(&reading.plans, &mut reading.diagnostics);
    reading
}

/// Two plans with one slug would write one page: an error naming both.
fn duplicate_slugs(plans: &[Plan], diagnostics: &mut Vec<Diagnostic>) {
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

fn load_config(root: &Path) -> Result<Config, Outcome> {
    Config::load(root).map_err(|error| Outcome {
        diagnostics: vec![error],
        code: exit::USAGE,
        ..Outcome::default()
    })
}

fn check(args: CheckArgs) -> Outcome {
    let config = match load_config(&args.root) {
        Ok(config) => config,
        Err(outcome) => return outcome,
    };
    let reading = read_plans(&config, &args.paths);
    let mut diagnostics = reading.diagnostics;
    let mut output = String::new();
    for plan in &reading.plans {
        output.push_str(&summary_line(plan));
        output.push('\n');
        diagnostics.extend(plan.diagnostics.iter().cloned());
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    output.push_str(&format!(
        "checked {} plan(s): {errors} error(s), {warnings} warning(s)\n",
        reading.plans.len()
    ));
    let code = if errors > 0 || (args.strict && warnings > 0) {
        exit::CONTENT
    } else {
        exit::OK
    };
    Outcome {
        output,
        diagnostics,
        sources: reading.sources,
        code,
    }
}

/// One line per plan: title, phases, tasks, budget, warnings.
pub fn summary_line(plan: &Plan) -> String {
    let budget = plan
        .budget
        .table
        .as_ref()
        .and_then(|t| {
            let current = t.current.as_deref()?;
            t.total
                .as_ref()?
                .iter()
                .find(|(k, _)| k == current)
                .and_then(|(_, m)| *m)
        })
        .or(plan.budget.phases_total)
        .map_or_else(
            || "no budget".to_string(),
            |m| format!("budget {} ({})", m.display(), m.currency),
        );
    let warnings = plan
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Warning)
        .count();
    format!(
        "{}: {} — {} phase(s), {}/{} tasks done, {budget}, {warnings} warning(s)",
        plan.source,
        plan.title,
        plan.phases.len(),
        plan.progress.done,
        plan.progress.total
    )
}

fn model_json(args: ModelArgs) -> Outcome {
    let config = match load_config(&args.root) {
        Ok(config) => config,
        Err(outcome) => return outcome,
    };
    for path in &args.paths {
        if !path.is_file() {
            return Outcome {
                diagnostics: vec![Diagnostic::error(
                    &path.display().to_string(),
                    0,
                    0,
                    "no such plan file",
                )],
                code: exit::USAGE,
                ..Outcome::default()
            };
        }
    }
    let reading = read_plans(&config, &args.paths);
    let value = if args.paths.len() == 1 {
        reading.plans.first().map(serde_json::to_value)
    } else {
        Some(serde_json::to_value(&reading.plans))
    };
    let output = match value {
        Some(Ok(v)) => serde_json::to_string_pretty(&v).unwrap_or_default() + "\n",
        _ => String::new(),
    };
    let errors = reading.diagnostics.iter().any(Diagnostic::is_error);
    Outcome {
        output,
        diagnostics: reading.diagnostics,
        sources: reading.sources,
        code: if errors { exit::CONTENT } else { exit::OK },
    }
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

fn build(args: BuildArgs) -> Outcome {
    let started = std::time::Instant::now();
    let mut config = match load_config(&args.root) {
        Ok(config) => config,
        Err(outcome) => return outcome,
    };
    if let Some(output) = &args.output {
        config.output_dir = output.clone();
    }
    if let Some(base_url) = &args.base_url {
        config.base_url = base_url.clone();
    }
    let usage = |d: Diagnostic| Outcome {
        diagnostics: vec![d],
        code: exit::USAGE,
        ..Outcome::default()
    };
    let as_of = match as_of_date(args.as_of.as_deref()) {
        Ok(date) => date,
        Err(d) => return usage(d),
    };
    let guards = write::Guards {
        root: config.root.clone(),
        protected: vec![
            ("the content folder".into(), config.content_dir.clone()),
            ("the archive folder".into(), config.archive_dir.clone()),
        ],
    };
    if let Err(refusal) = write::check_output(&config.output_dir, &guards, args.force) {
        return refused(refusal);
    }
    let reading = read_plans(&config, &[]);
    let mut diagnostics = reading.diagnostics;
    for plan in &reading.plans {
        diagnostics.extend(plan.diagnostics.iter().cloned());
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Outcome {
            diagnostics,
            sources: reading.sources,
            code: exit::CONTENT,
            ..Outcome::default()
        };
    }
    let plans: Vec<Plan> = reading
        .plans
        .into_iter()
        .filter(|p| args.drafts || !p.meta.draft)
        .collect();
    let mut sources = reading.sources;
    let theme = match render::theme::load(&config) {
        Ok(theme) => theme,
        Err((errors, templates)) => {
            diagnostics.extend(errors);
            sources.extend(templates);
            return Outcome {
                diagnostics,
                sources,
                code: exit::USAGE,
                ..Outcome::default()
            };
        }
    };
    let input = render::SiteInput {
        config: &config,
        theme: &theme,
        plans: &plans,
        sources: &sources,
        as_of,
    };
    let files = match render::render_site(&input) {
        Ok((files, warnings)) => {
            diagnostics.extend(warnings);
            files
        }
        Err(errors) => {
            diagnostics.extend(errors);
            let templates = theme
                .sources
                .iter()
                .map(|(_, text, shown)| (shown.clone(), text.clone()));
            sources.extend(templates);
            return Outcome {
                diagnostics,
                sources,
                code: exit::USAGE,
                ..Outcome::default()
            };
        }
    };
    if let Err(error) = write::write_site(&config.output_dir, &files) {
        let mut outcome = refused(error);
        diagnostics.append(&mut outcome.diagnostics);
        return Outcome {
            diagnostics,
            sources,
            ..outcome
        };
    }
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    let charts = files.iter().filter(|f| f.path.ends_with(".svg")).count();
    let warnings = diagnostics.len();
    let output = format!(
        "built {} plan(s): {pages} pages, {charts} charts, {warnings} warning(s) in {:.2} s -> {}\n",
        plans.len(),
        started.elapsed().as_secs_f64(),
        config.output_dir.display()
    );
    Outcome {
        output,
        diagnostics,
        sources,
        code: exit::OK,
    }
}

fn refused(error: write::WriteError) -> Outcome {
    let (message, code) = match error {
        write::WriteError::Refused(m) => (m, exit::REFUSED),
        write::WriteError::Io(m) => (m, exit::CONTENT),
    };
    Outcome {
        diagnostics: vec![Diagnostic::error("output", 0, 0, message)],
        code,
        ..Outcome::default()
    }
}
