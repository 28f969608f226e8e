//! `plansite build`: the site, from the plans, the theme and the archive,
//! written in one swap.

use super::{as_of_date, load_config, read_checked};
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, Settings};
use crate::{archive, exit, render, write, Outcome, Reading};
use chrono::NaiveDate;
use std::collections::HashMap;

pub fn build(args: BuildArgs) -> Outcome {
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
    let (reading, diagnostics) = match read_checked(&config) {
        Ok(read) => read,
        Err(outcome) => return outcome,
    };
    let plan_count = reading
        .plans
        .iter()
        .filter(|p| args.drafts || !p.meta.draft)
        .count();
    let Site {
        files,
        mut diagnostics,
        sources,
    } = match site_files(&config, as_of, args.drafts, reading, diagnostics) {
        Ok(site) => site,
        Err(outcome) => return outcome,
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
        plan_count,
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

/// A rendered site, in memory, with every problem met on the way.
pub struct Site {
    pub files: Vec<render::OutputFile>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: HashMap<String, String>,
}

/// Everything between reading the plans and writing the site: drafts left
/// out, the theme loaded, the archive read, the pages rendered. Shared by
/// `build` (which writes the files) and `serve` (which serves them).
pub fn site_files(
    config: &Config,
    as_of: NaiveDate,
    drafts: bool,
    reading: Reading,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Site, Outcome> {
    let plans: Vec<Plan> = reading
        .plans
        .into_iter()
        .filter(|p| drafts || !p.meta.draft)
        .collect();
    let mut sources = reading.sources;
    let theme = match render::theme::load(config) {
        Ok(theme) => theme,
        Err((errors, templates)) => {
            diagnostics.extend(errors);
            sources.extend(templates);
            return Err(Outcome {
                diagnostics,
                sources,
                code: exit::USAGE,
                ..Outcome::default()
            });
        }
    };
    let settings = Settings {
        currency: config.currency,
    };
    let (history, archive_warnings) = archive::read_archive(config, &settings);
    diagnostics.extend(archive_warnings);
    let input = render::SiteInput {
        config,
        theme: &theme,
        plans: &plans,
        sources: &sources,
        as_of,
        history: &history,
    };
    match render::render_site(&input) {
        Ok((files, warnings)) => {
            diagnostics.extend(warnings);
            Ok(Site {
                files,
                diagnostics,
                sources,
            })
        }
        Err(errors) => {
            diagnostics.extend(errors);
            sources.extend(
                theme
                    .sources
                    .iter()
                    .map(|(_, text, shown)| (shown.clone(), text.clone())),
            );
            Err(Outcome {
                diagnostics,
                sources,
                code: exit::USAGE,
                ..Outcome::default()
            })
        }
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
