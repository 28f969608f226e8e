//! The archive as a build needs it: every week listed and summarised, the
//! plans read only of weeks that are rendered or that changes are counted
//! from. With the last build's pages (`build`: the previous site; `serve`:
//! those it holds), a week whose key is unchanged is carried over instead
//! of rendered, and a week the last build read and kept is not read again.

use super::reuse::{self, Loaded, Previous, Records};
use crate::archive::{self, Listing, WeekKey};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Plan, Settings};
use crate::render::theme::Theme;
use crate::render::ArchivedWeek;
use rayon::prelude::*;
use std::sync::Arc;

/// The archive, ready to render.
pub struct Weeks {
    /// Every week, oldest first.
    pub history: Vec<ArchivedWeek>,
    /// How many of them come before the week of the build's date.
    pub earlier: usize,
    /// The records of the weeks that may be reused next time (their file
    /// counts are filled in once rendered).
    pub records: Records,
    /// The week every build reads (the last one before today), for the
    /// next build (`serve` keeps it).
    pub kept: Option<(WeekKey, Loaded)>,
}

/// What the weeks are read for.
pub struct Want<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    /// The current plans (an archived page links to its plan's page).
    pub plans: &'a [Plan],
    pub previous: Option<&'a dyn Previous>,
}

/// Lists, keys, carries over and reads the archive's weeks.
pub fn read(want: &Want<'_>, diagnostics: &mut Vec<Diagnostic>) -> Weeks {
    let config = want.config;
    let (listings, skipped) = archive::list_archive(config);
    diagnostics.extend(skipped);
    for listing in &listings {
        diagnostics.extend(listing.warnings.iter().cloned());
    }
    let keys = reuse::keys(config, want.theme, want.plans, &listings, config.drafts);
    let last = want.previous.map(Previous::records).unwrap_or_default();
    let reused: Vec<Option<&reuse::Record>> = listings
        .par_iter()
        .zip(&keys)
        .map(|(listing, key)| {
            let (previous, record) = (want.previous?, last.usable(listing.week, key)?);
            previous.carry(listing.week, record.files).then_some(record)
        })
        .collect();
    let this_week = WeekKey::of(config.as_of);
    let earlier = listings.iter().take_while(|l| l.week < this_week).count();
    let loaded = load(want, &listings, &reused, earlier);
    // Kept for the next build: the week every build reads (the others
    // are read only when they changed, and holding them all would hold
    // the whole archive).
    let kept = earlier
        .checked_sub(1)
        .and_then(|i| Some((listings[i].week, loaded[i].clone()?)));
    // The cards' records pass through to `site::cards`, which renews them.
    let mut records = Records {
        cards: last.cards.clone(),
        ..Records::default()
    };
    let mut history: Vec<ArchivedWeek> = Vec::with_capacity(listings.len());
    for (i, (listing, loaded)) in listings.iter().zip(loaded).enumerate() {
        let (snapshot, warnings) = loaded.unzip();
        let warnings = warnings.unwrap_or_default();
        let summary = match reused[i] {
            Some(record) => record.summary.clone(),
            None => crate::derive::week::summarise(
                i.checked_sub(1).map(|j| history[j].plans()),
                snapshot
                    .as_ref()
                    .map_or(&[], |s: &Arc<archive::Snapshot>| &s.plans),
            ),
        };
        // A week read with warnings is never kept.
        if listing.warnings.is_empty() && warnings.is_empty() {
            records.weeks.insert(
                listing.week,
                reuse::Record {
                    key: keys[i].clone(),
                    summary: summary.clone(),
                    files: reused[i].map_or(0, |r| r.files),
                    reused: reused[i].is_some(),
                },
            );
        }
        diagnostics.extend(warnings);
        history.push(ArchivedWeek {
            week: listing.week,
            manifest: listing.manifest.clone(),
            summary,
            snapshot,
            reused: reused[i].is_some(),
        });
    }
    Weeks {
        history,
        earlier,
        records,
        kept,
    }
}

/// Reads the plans of the weeks that need them: a week rendered, the week
/// before one (its changes are counted from it), and the last week before
/// today (the current site's are). A week the last build kept is taken
/// from it.
fn load(
    want: &Want<'_>,
    listings: &[Listing],
    reused: &[Option<&reuse::Record>],
    earlier: usize,
) -> Vec<Option<Loaded>> {
    let mut needed: Vec<bool> = reused.iter().map(Option::is_none).collect();
    for i in 1..needed.len() {
        needed[i - 1] |= reused[i].is_none();
    }
    if let Some(i) = earlier.checked_sub(1) {
        needed[i] = true;
    }
    let settings = Settings {
        currency: want.config.currency,
    };
    let drafts = want.config.drafts;
    listings
        .par_iter()
        .zip(&needed)
        .map(|(listing, &needed)| {
            needed.then(|| {
                want.previous
                    .and_then(|p| p.loaded(listing.week))
                    .unwrap_or_else(|| {
                        let (snapshot, warnings) = listing.load(want.config, &settings);
                        (Arc::new(snapshot), warnings)
                    })
            })
        })
        .map(|loaded| {
            loaded.map(|(snapshot, warnings)| (without_drafts(snapshot, drafts), warnings))
        })
        .collect()
}

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
