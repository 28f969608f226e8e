//! `plansite build`: the site, from the plans, the theme and the archive
//! (`site`), written into a staging folder and swapped in at the end
//! (`write`). Archived weeks that cannot have changed are carried over from
//! the previous site instead of rendered (`site::reuse`). With `--protect`
//! every page is sealed on its way (`site::protect`). `PLANSITE_TIMINGS`
//! prints how long each stage took (`timing`).

use super::{configure, read_checked};
use crate::cli::BuildArgs;
use crate::config::{Clock, Config, Flags};
use crate::error::{Failure, Outcome, Report};
use crate::output::OutputFile;
use crate::site::{self, reuse, Previous};
use crate::write;
use std::sync::atomic::{AtomicUsize, Ordering};

pub fn build(args: BuildArgs, clock: &Clock) -> Outcome {
    let started = std::time::Instant::now();
    let mut timings = crate::timing::Timings::from_env();
    let flags = Flags {
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        as_of: args.as_of.clone(),
        drafts: args.drafts,
        protect: args.protect,
    };
    let config = configure(&args.root, &flags, clock)?;
    write::check_output(&config.output_dir, &guards(&config), args.force)?;
    timings.lap("configure, check the output");
    // The keys take a while to derive (on purpose): while the plans are read.
    let (protection, reading) = rayon::join(
        || site::protect::Protection::from_env(&config),
        || read_checked(&config),
    );
    let protection = protection?;
    let (reading, diagnostics) = reading?;
    timings.lap("read and check the plans");
    let plan_count = reading
        .plans
        .iter()
        .filter(|p| config.drafts || !p.meta.draft)
        .count();
    let staging = write::Staging::begin(&config.output_dir)?;
    // Files are written as they are rendered, so a large site is never
    // held in memory whole; a failed build drops the staging folder.
    let (pages, files) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let sink = |file: OutputFile| {
        if file.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        files.fetch_add(1, Ordering::Relaxed);
        staging.put(&file)
    };
    let job = site::Job {
        config: &config,
        reading: &reading,
        previous: Some(&staging as &dyn Previous),
        memo: None,
        protection: protection.as_ref(),
    };
    let site = site::assemble(&job, diagnostics, &sink)?;
    timings.lap("render and write the site");
    let sources = reading.sources;
    crate::drop_in_background(reading.plans);
    // What the next build may reuse, when there is an archive (nothing of
    // a protected site is reused, and the record would be published).
    let keep_record = !site.records.weeks.is_empty() || !site.records.cards.is_empty();
    let record = (keep_record && protection.is_none()).then(|| OutputFile {
        path: reuse::FILE.into(),
        bytes: site.records.to_bytes(),
    });
    let written = match &record {
        Some(record) => staging.put(record).map_err(write::WriteError::Io),
        None => Ok(()),
    };
    if let Err(error) = written.and_then(|()| staging.finish()) {
        return Err(Failure::from(error)
            .after(site.diagnostics)
            .with_sources(sources));
    }
    timings.lap("swap in, remove the old site");
    timings.report("build");
    let reused = site.records.weeks.values().filter(|r| r.reused).count();
    let counts = Counts {
        plans: plan_count,
        pages: pages.into_inner(),
        // Cards kept from the last build are files of the site too.
        files: files.into_inner() + site.cards.kept,
        reused,
        cards: site.cards,
        warnings: site.diagnostics.len(),
        protected: protection.is_some(),
    };
    let output = counts.summary(&config, started);
    Ok(Report {
        output,
        diagnostics: site.diagnostics,
        sources,
    })
}

/// The folders the output may not be, hold or sit in: the content, the
/// archive, and the theme (an output inside it would be copied into the
/// next build's output, one level deeper each time).
fn guards(config: &Config) -> write::Guards {
    let mut protected = vec![
        ("the content folder".into(), config.content_dir.clone()),
        ("the archive folder".into(), config.archive_dir.clone()),
    ];
    if let Some(theme) = &config.theme {
        protected.push((
            "the theme folder".into(),
            config.root.join("themes").join(theme),
        ));
    }
    write::Guards {
        root: config.root.clone(),
        protected,
    }
}

/// What a build made, for the line it ends with.
struct Counts {
    plans: usize,
    pages: usize,
    files: usize,
    /// Archived weeks carried over from the last build.
    reused: usize,
    /// Link-preview cards kept from the last build, and drawn.
    cards: site::cards::Counts,
    warnings: usize,
    /// Every page sealed with the passphrase.
    protected: bool,
}

impl Counts {
    fn summary(&self, config: &Config, started: std::time::Instant) -> String {
        let Counts {
            plans,
            pages,
            files,
            reused,
            cards,
            warnings,
            protected,
        } = self;
        let reused = if *reused == 0 {
            String::new()
        } else {
            format!(" ({reused} archived week(s) unchanged, kept from the last build)")
        };
        let cards = match (cards.kept, cards.drawn) {
            (0, 0) => String::new(),
            (kept, drawn) => format!(", {drawn} card(s) drawn, {kept} kept"),
        };
        let sealed = if *protected {
            " (every page encrypted)"
        } else {
            ""
        };
        format!(
            "built {plans} plan(s): {pages} pages{sealed} in {files} files{reused}{cards}, {warnings} warning(s) in {:.2} s -> {}\n",
            started.elapsed().as_secs_f64(),
            config.output_dir.display()
        )
    }
}
