//! `plansite build`: the site, from the plans, the theme and the archive,
//! written in one swap.

use super::{as_of_date, load_config, read_checked};
use crate::cli::BuildArgs;
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, Settings};
use crate::{archive, exit, render, write, Outcome};

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
    let (reading, mut diagnostics) = match read_checked(&config) {
        Ok(read) => read,
        Err(outcome) => return outcome,
    };
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
    let settings = Settings {
        currency: config.currency,
    };
    let (history, archive_warnings) = archive::read_archive(&config, &settings);
    diagnostics.extend(archive_warnings);
    let input = render::SiteInput {
        config: &config,
        theme: &theme,
        plans: &plans,
        sources: &sources,
        as_of,
        history: &history,
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
