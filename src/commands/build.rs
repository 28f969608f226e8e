//! `plansite build`: the site, from the plans, the theme and the archive,
//! written in one swap. Archived weeks that cannot have changed are carried
//! over from the previous site instead of rendered (`reuse`).

use super::reuse::{self, Records};
use super::{as_of_date, load_config, read_checked};
use crate::archive::WeekKey;
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, Settings};
use crate::{archive, exit, render, write, Outcome, Reading};
use chrono::NaiveDate;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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
        if let Err(why) = crate::config::check_base_url(base_url) {
            return Outcome {
                diagnostics: vec![Diagnostic::error(
                    "--base-url",
                    0,
                    0,
                    format!("`{base_url}` {why}"),
                )],
                code: exit::USAGE,
                ..Outcome::default()
            };
        }
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
    let mut protected = vec![
        ("the content folder".into(), config.content_dir.clone()),
        ("the archive folder".into(), config.archive_dir.clone()),
    ];
    // An output inside the theme would be copied into the next build's
    // output, one level deeper each time.
    if let Some(theme) = &config.theme {
        protected.push((
            "the theme folder".into(),
            config.root.join("themes").join(theme),
        ));
    }
    let guards = write::Guards {
        root: config.root.clone(),
        protected,
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
    let (pages, files) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let sink = |file: render::OutputFile| {
        if file.path.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        files.fetch_add(1, Ordering::Relaxed);
        staging.put(&file)
    };
    let Site {
        mut diagnostics,
        records,
        ..
    } = match site_files(
        &config,
        as_of,
        args.drafts,
        &reading,
        diagnostics,
        &sink,
        (None, Some(&staging as &dyn Previous)),
    ) {
        Ok(site) => site,
        Err(outcome) => return outcome,
    };
    let sources = reading.sources;
    crate::drop_in_background(reading.plans);
    // What the next build may reuse, when there is an archive.
    let record = (!records.weeks.is_empty()).then(|| render::OutputFile {
        path: reuse::FILE.into(),
        bytes: records.to_bytes(),
    });
    let written = match &record {
        Some(record) => staging.put(record).map_err(write::WriteError::Io),
        None => Ok(()),
    };
    if let Err(error) = written.and_then(|()| staging.finish()) {
        let mut outcome = refused(error);
        diagnostics.append(&mut outcome.diagnostics);
        return Outcome {
            diagnostics,
            sources,
            ..outcome
        };
    }
    let (pages, files) = (pages.into_inner(), files.into_inner());
    let reused = records.weeks.values().filter(|r| r.reused).count();
    let reused = if reused == 0 {
        String::new()
    } else {
        format!(" ({reused} archived week(s) unchanged, kept from the last build)")
    };
    let warnings = diagnostics.len();
    let output = format!(
        "built {} plan(s): {pages} pages in {files} files{reused}, {warnings} warning(s) in {:.2} s -> {}\n",
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

/// The pages of the last build, for the archived weeks a build reuses:
/// the previous site on disk (`build`), or the pages `serve` holds.
pub trait Previous: Sync {
    /// What the last build recorded of its archived weeks.
    fn records(&self) -> Records;
    /// Puts the week folder's `files` files in the new site; false if the
    /// folder does not hold exactly those (the week is then rendered, and
    /// nothing of it was carried).
    fn carry(&self, folder: &str, files: usize) -> bool;
    /// The week's plans as the last build read them, with the warnings
    /// met reading them, when they are kept (`serve`, whose memo lives
    /// only while the archive and the configuration stay the same).
    fn loaded(&self, _week: WeekKey) -> Option<Loaded> {
        None
    }
}

/// An archived week's plans as read, with the warnings met reading them.
pub type Loaded = (Arc<archive::Snapshot>, Vec<Diagnostic>);

impl Previous for write::Staging {
    fn records(&self) -> Records {
        Records::parse(self.previous(reuse::FILE))
    }

    fn carry(&self, folder: &str, files: usize) -> bool {
        write::Staging::carry(self, folder, files)
    }
}

/// What rendering a site met on the way (its files went to the sink).
pub struct Site {
    pub diagnostics: Vec<Diagnostic>,
    /// What the next build may reuse of the archived weeks.
    pub records: Records,
    /// The archived week every build reads (the last before today), if
    /// there is one, for the next build (`serve` keeps it).
    pub loaded: Option<(WeekKey, Loaded)>,
}

/// The archive as the render needs it: every week listed and summarised,
/// the plans read only of weeks that are rendered or that changes are
/// counted from. With the last build's pages (`build`: the previous site;
/// `serve`: those it holds), a week whose key is unchanged is carried over
/// instead of rendered, and a week the last build read and kept is not
/// read again. Returns the weeks, the records of those that may be reused
/// next time (their file lists are filled in once rendered), and the week
/// every build reads (the last one before today), for the next build.
/// An archived week as the site shows it: its plans marked `draft: true`
/// left out unless `drafts`, as the current plans are (`snapshot` archives
/// every plan, drafts included).
fn without_drafts(snapshot: Arc<archive::Snapshot>, drafts: bool) -> Arc<archive::Snapshot> {
    if drafts || !snapshot.plans.iter().any(|p| p.meta.draft) {
        return snapshot;
    }
    let mut shown = (*snapshot).clone();
    shown.plans.retain(|p| !p.meta.draft);
    Arc::new(shown)
}

fn archive_weeks(
    config: &Config,
    settings: &Settings,
    theme: &render::theme::Theme,
    plans: &[Plan],
    (as_of, drafts): (NaiveDate, bool),
    previous: Option<&dyn Previous>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (
    Vec<render::ArchivedWeek>,
    Records,
    Option<(WeekKey, Loaded)>,
) {
    let (listings, skipped) = archive::list_archive(config);
    diagnostics.extend(skipped);
    for listing in &listings {
        diagnostics.extend(listing.warnings.iter().cloned());
    }
    let keys = reuse::keys(config, theme, plans, &listings, drafts);
    let last = previous.map(Previous::records).unwrap_or_default();
    let reused: Vec<Option<&reuse::Record>> = listings
        .par_iter()
        .zip(&keys)
        .map(|(listing, key)| {
            let week = listing.week.to_string();
            let (staging, record) = (previous?, last.usable(&week, key)?);
            staging
                .carry(&format!("archive/{week}"), record.files)
                .then_some(record)
        })
        .collect();
    let this_week = WeekKey::of(as_of);
    let earlier = listings.iter().take_while(|l| l.week < this_week).count();
    let mut needed: Vec<bool> = reused.iter().map(Option::is_none).collect();
    for i in 1..needed.len() {
        needed[i - 1] |= reused[i].is_none();
    }
    if let Some(i) = earlier.checked_sub(1) {
        needed[i] = true;
    }
    let loaded: Vec<Option<Loaded>> = listings
        .par_iter()
        .zip(&needed)
        .map(|(listing, &needed)| {
            needed.then(|| {
                previous
                    .and_then(|p| p.loaded(listing.week))
                    .unwrap_or_else(|| {
                        let (snapshot, warnings) = listing.load(config, settings);
                        (Arc::new(snapshot), warnings)
                    })
            })
        })
        .map(|loaded| {
            loaded.map(|(snapshot, warnings)| (without_drafts(snapshot, drafts), warnings))
        })
        .collect();
    // Kept for the next build: the week every build reads (the others
    // are read only when they changed, and holding them all would hold
    // the whole archive).
    let kept = earlier
        .checked_sub(1)
        .and_then(|i| Some((listings[i].week, loaded[i].clone()?)));
    let mut records = Records::default();
    let mut weeks: Vec<render::ArchivedWeek> = Vec::with_capacity(listings.len());
    let mut loaded = loaded.into_iter();
    for (i, listing) in listings.iter().enumerate() {
        let (snapshot, warnings) = loaded.next().flatten().unzip();
        let warnings = warnings.unwrap_or_default();
        let week = listing.week.to_string();
        let summary = match reused[i] {
            Some(record) => record.summary.clone(),
            None => crate::derive::week::summarise(
                i.checked_sub(1).map(|j| weeks[j].plans()),
                snapshot
                    .as_ref()
                    .map_or(&[], |s: &Arc<archive::Snapshot>| &s.plans),
            ),
        };
        if listing.warnings.is_empty() && warnings.is_empty() {
            records.weeks.insert(
                week,
                reuse::Record {
                    key: keys[i].clone(),
                    summary: summary.clone(),
                    files: reused[i].map_or(0, |r| r.files),
                    reused: reused[i].is_some(),
                },
            );
        }
        diagnostics.extend(warnings);
        weeks.push(render::ArchivedWeek {
            week: listing.week,
            manifest: listing.manifest.clone(),
            summary,
            snapshot,
            reused: reused[i].is_some(),
        });
    }
    (weeks, records, kept)
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
    (memo, previous): (Option<&render::Memo>, Option<&dyn Previous>),
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
    let (history, mut records, loaded) = archive_weeks(
        config,
        &settings,
        &theme,
        &plans,
        (as_of, drafts),
        previous,
        &mut diagnostics,
    );
    // Which archived week each rendered file belongs to, for the record.
    let rendered: Mutex<BTreeMap<String, usize>> = Mutex::default();
    let recording = |mut file: render::OutputFile| {
        // Plan text was cleaned when decoded; file names, archive
        // manifests and the command line were not: no text file of the
        // site carries a control character (feed.xml would not parse).
        if [".html", ".xml", ".svg", ".ics"]
            .iter()
            .any(|ext| file.path.ends_with(ext))
        {
            file.bytes = crate::text::clean_output(std::mem::take(&mut file.bytes));
        }
        if let Some((week, _)) = file
            .path
            .strip_prefix("archive/")
            .and_then(|r| r.split_once('/'))
        {
            if records.weeks.contains_key(week) {
                if let Ok(mut rendered) = rendered.lock() {
                    *rendered.entry(week.to_string()).or_default() += 1;
                }
            }
        }
        sink(file)
    };
    let input = render::SiteInput {
        config,
        theme: &theme,
        plans: &plans,
        sources,
        as_of,
        history: &history,
        memo,
    };
    match render::render_site(&input, &recording) {
        Ok(warnings) => {
            diagnostics.extend(warnings);
            for (week, files) in rendered.into_inner().unwrap_or_default() {
                if let Some(record) = records.weeks.get_mut(&week) {
                    record.files = files;
                }
            }
            Ok(Site {
                diagnostics,
                records,
                loaded,
            })
        }
        Err(errors) => {
            // A file that could not be written (a disk problem) and a plan
            // that failed to render exit 1; anything else here is a
            // template error (exit 2).
            let code = if errors
                .iter()
                .any(|e| e.file == "output" || sources.contains_key(&e.file))
            {
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
