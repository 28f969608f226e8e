//! `plansite build`: the site, from the plans, the theme and the archive,
//! written in one swap.

use super::{as_of_date, load_config, read_checked};
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, Settings};
use crate::{archive, exit, render, write, Outcome, Reading};
use chrono::NaiveDate;
use std::sync::atomic::{AtomicUsize, Ordering};

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
    let staging = match write::Staging::begin(&config.output_dir) {
        Ok(staging) => staging,
        Err(error) => return refused(error),
    };
    // Files are written as they are rendered, so a large site is never
    // held in memory whole; a failed build drops the staging folder.
    let (pages, charts) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let sink = |file: render::OutputFile| {
        if file.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        } else if file.path.ends_with(".svg") {
            charts.fetch_add(1, Ordering::Relaxed);
        }
        staging.put(&file)
    };
    let Site { mut diagnostics } = match site_files(
        &config,
        as_of,
        args.drafts,
        &reading,
        diagnostics,
        &sink,
        None,
    ) {
        Ok(site) => site,
        Err(outcome) => return outcome,
    };
    let sources = reading.sources;
    if let Err(error) = staging.finish() {
        let mut outcome = refused(error);
        diagnostics.append(&mut outcome.diagnostics);
        return Outcome {
            diagnostics,
            sources,
            ..outcome
        };
    }
    let (pages, charts) = (pages.into_inner(), charts.into_inner());
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

/// What rendering a site met on the way (its files went to the sink).
pub struct Site {
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything between reading the plans and writing the site: drafts left
/// out, the theme loaded, the archive read, the pages rendered. Shared by
/// `build` (which writes the files) and `serve` (which serves them).
pub fn site_files(
    config: &Config,
    as_of: NaiveDate,
    drafts: bool,
    reading: &Reading,
    mut diagnostics: Vec<Diagnostic>,
    sink: render::Sink<'_>,
    memo: Option<&render::Memo>,
) -> Result<Site, Outcome> {
    // Borrowed unless there are drafts to leave out.
    let plans: std::borrow::Cow<'_, [Plan]> =
        if drafts || !reading.plans.iter().any(|p| p.meta.draft) {
            std::borrow::Cow::Borrowed(&reading.plans)
        } else {
            reading
                .plans
                .iter()
                .filter(|p| !p.meta.draft)
                .cloned()
                .collect()
        };
    let sources = &reading.sources;
    let theme = match render::theme::load(config) {
        Ok(theme) => theme,
        Err((errors, templates)) => {
            diagnostics.extend(errors);
            let mut sources = sources.clone();
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
        sources,
        as_of,
        history: &history,
        memo,
    };
    match render::render_site(&input, sink) {
        Ok(warnings) => {
            diagnostics.extend(warnings);
            Ok(Site { diagnostics })
        }
        Err(errors) => {
            // A file that could not be written is a disk problem (exit 1);
            // anything else here is a template error (exit 2).
            let code = if errors.iter().any(|e| e.file == "output") {
                exit::CONTENT
            } else {
                exit::USAGE
            };
            diagnostics.extend(errors);
            let mut sources = sources.clone();
            sources.extend(
                theme
                    .sources
                    .iter()
                    .map(|(_, text, shown)| (shown.clone(), text.clone())),
            );
            Err(Outcome {
                diagnostics,
                sources,
                code,
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
