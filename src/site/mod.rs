//! Site: assembling a whole site from a resolved job, the stage `build`
//! and `serve` share. It leaves out drafts, loads the theme, reads the
//! archive (`weeks`, carrying over the weeks the last build's pages serve
//! unchanged: `reuse`), renders every page into the caller's sink, and
//! returns what it met. `build` gives it the staging folder as the sink
//! and the previous site to reuse; `serve` gives it memory, and what it
//! keeps between rebuilds (`memo`). A protected site (`protect`) passes
//! every file through its filter on the way: pages sealed into shells,
//! theme files kept, the rest withheld; it reuses nothing of the last
//! build (its pages are sealed under another salt).

pub mod cards;
pub mod memo;
pub mod protect;
pub mod reuse;
mod weeks;

pub use reuse::{Loaded, Previous, Records};

use crate::archive::WeekKey;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{ExitKind, Failure};
use crate::model::Plan;
use crate::output::{OutputFile, Sink};
use crate::{render, Reading};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// What a site is made from.
pub struct Job<'a> {
    /// The configuration, the command line applied (the date of the
    /// report, whether drafts are shown).
    pub config: &'a Config,
    /// The current plans, read and checked.
    pub reading: &'a Reading,
    /// The last build's pages, for the archived weeks that did not change.
    pub previous: Option<&'a dyn Previous>,
    /// The current plans' pages as the last build rendered them (`serve`).
    pub memo: Option<&'a memo::Pages>,
    /// The keys of a protected site (`None`: the site is published as it
    /// is).
    pub protection: Option<&'a protect::Protection>,
}

/// What assembling a site met on the way (its files went to the sink).
pub struct Site {
    /// The warnings met: the caller's first, then the archive's and the
    /// render's.
    pub diagnostics: Vec<Diagnostic>,
    /// What the next build may reuse of the archived weeks.
    pub records: Records,
    /// The archived week every build reads (the last before today), if
    /// there is one, for the next build (`serve` keeps it).
    pub kept: Option<(WeekKey, Loaded)>,
    /// The link-preview cards kept from the last build and drawn.
    pub cards: cards::Counts,
}

/// Renders the site of `job` into `sink`. `diagnostics` are the warnings
/// met so far (reading the plans): a failure carries them, before its
/// own errors.
pub fn assemble(
    job: &Job<'_>,
    mut diagnostics: Vec<Diagnostic>,
    sink: Sink<'_>,
) -> Result<Site, Failure> {
    let config = job.config;
    let plans = shown(&job.reading.plans, config.drafts);
    let sources = &job.reading.sources;
    let theme = match render::theme::load(config) {
        Ok(theme) => theme,
        Err((errors, templates)) => {
            return Err(Failure::new(ExitKind::Usage, errors)
                .after(diagnostics)
                .with_sources(sources.clone())
                .with_sources(templates.into_iter().collect()));
        }
    };
    let sealing = match job.protection {
        Some(protection) => match protect::Sealing::new(protection, &theme, config) {
            Ok(sealing) => Some(sealing),
            Err(error) => {
                return Err(Failure::new(ExitKind::Usage, vec![error])
                    .after(diagnostics)
                    .with_sources(theme_sources(&theme).collect()));
            }
        },
        None => None,
    };
    // A protected site's last pages are sealed under another salt (or not
    // sealed at all): nothing of them is reused.
    let previous = job.previous.filter(|_| sealing.is_none());
    let want = weeks::Want {
        config,
        theme: &theme,
        plans: &plans,
        previous,
    };
    let weeks = weeks::read(&want, &mut diagnostics);
    let mut records = weeks.records;
    let cards = cards::Cards::new(previous, std::mem::take(&mut records.cards));
    // How many files each archived week kept in the records rendered.
    let rendered: Mutex<BTreeMap<WeekKey, usize>> = Mutex::default();
    let recording = |mut file: OutputFile| {
        clean(&mut file);
        if let Some(week) = archived_week(&file.path).filter(|w| records.weeks.contains_key(w)) {
            if let Ok(mut rendered) = rendered.lock() {
                *rendered.entry(week).or_default() += 1;
            }
        }
        match &sealing {
            None => sink(file),
            Some(sealing) => match sealing.seal(file)? {
                protect::Sealed::Keep(file) => sink(file),
                protect::Sealed::Withhold => Ok(()),
            },
        }
    };
    let input = render::SiteInput {
        config,
        theme: &theme,
        plans: &plans,
        sources,
        as_of: config.as_of,
        history: &weeks.history,
        earlier: weeks.earlier,
        memo: job.memo.map(|m| m as &dyn render::PlanMemo),
        cards: Some(&cards),
        names: job.protection.and_then(protect::Protection::names),
    };
    let rendered_site = render::render_site(&input, &recording);
    let (card_records, card_counts) = cards.finish();
    records.cards = card_records;
    match rendered_site {
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
                kept: weeks.kept,
                cards: card_counts,
            })
        }
        Err(failure) => Err(failure
            .after(diagnostics)
            .with_sources(sources.clone())
            .with_sources(theme_sources(&theme).collect())),
    }
}

/// The theme's templates as sources, to quote a template error's line.
fn theme_sources(theme: &render::theme::Theme) -> impl Iterator<Item = (String, String)> + '_ {
    theme
        .sources
        .iter()
        .map(|(_, text, shown)| (shown.clone(), text.clone()))
}

/// The plans the site shows: drafts left out unless asked for (borrowed
/// unless there are drafts to leave out).
fn shown(plans: &[Plan], drafts: bool) -> Cow<'_, [Plan]> {
    if drafts || !plans.iter().any(|p| p.meta.draft) {
        Cow::Borrowed(plans)
    } else {
        plans.iter().filter(|p| !p.meta.draft).cloned().collect()
    }
}

/// Plan text was cleaned when decoded; file names, archive manifests and
/// the command line were not: no text file of the site carries a control
/// character (feed.xml would not parse).
fn clean(file: &mut OutputFile) {
    if [".html", ".xml", ".svg", ".ics"]
        .iter()
        .any(|ext| file.path.ends_with(ext))
    {
        file.bytes = crate::text::clean_output(std::mem::take(&mut file.bytes));
    }
}

/// The archived week a file of the site belongs to (`archive/<week>/…`).
fn archived_week(path: &str) -> Option<WeekKey> {
    let (week, _) = path.strip_prefix("archive/")?.split_once('/')?;
    WeekKey::parse(week)
}
