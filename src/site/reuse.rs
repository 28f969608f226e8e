//! Reusing archived weeks between builds (and between `serve`'s rebuilds). An archived week's pages depend
//! only on that week and the weeks before it (their trend), on the
//! configuration, the theme, plansite's version, whether drafts are shown
//! (`--drafts`), and which of its plans still exist (an archived page
//! links to the current page of its plan).
//! `build` keys each week on all of that and keeps the keys, with each
//! week's summary and file count, in `.plansite-cache.json` in the output.
//! The next build carries the folder of a week whose key is unchanged over
//! from the previous site (moved into the new site at the swap, when it
//! still holds that many files: `write::Staging::carry`), and reads none of
//! its plans: the site is the same as a clean build's, file for file
//! (tested).
//!
//! A week is keyed on its manifest and each file's size and modification
//! time, so an archived file that is changed, even by hand, is read again
//! (and its damage reported). A week read with warnings is never kept.

use crate::archive::{hex, Listing, Snapshot, WeekKey};
use crate::config::{Config, GroupBy, RawHtml, Thresholds};
use crate::derive::week::WeekSummary;
use crate::diagnostic::Diagnostic;
use crate::model::Plan;
use crate::render::theme::Theme;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The record's file name, in the output folder.
pub const FILE: &str = ".plansite-cache.json";
/// 2: each plan point holds its dated phases.
const SCHEMA: u32 = 2;

/// What a build leaves for the next one.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Records {
    pub schema: u32,
    pub weeks: BTreeMap<WeekKey, Record>,
    /// The link-preview cards, by path (`site::cards`).
    #[serde(default)]
    pub cards: BTreeMap<String, CardRecord>,
}

/// One link-preview card as the last build left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRecord {
    /// The hash of what it was drawn from (`site::cards::key`).
    pub key: String,
    /// Its size: a file of another size is not the one drawn.
    pub bytes: u64,
}

/// One archived week as the last build rendered it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub key: String,
    pub summary: WeekSummary,
    /// How many files its folder (`archive/<week>/`) holds.
    pub files: usize,
    /// Whether this build kept it from the last one (not recorded).
    #[serde(skip)]
    pub reused: bool,
}

impl Records {
    /// The records in `bytes`, or none if they are from another schema or
    /// cannot be read (every week is then rendered).
    pub fn parse(bytes: Option<Vec<u8>>) -> Records {
        bytes
            .and_then(|b| serde_json::from_slice::<Records>(&b).ok())
            .filter(|r| r.schema == SCHEMA)
            .unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        /// The records as written: this schema, the weeks borrowed.
        #[derive(Serialize)]
        struct Written<'r> {
            schema: u32,
            weeks: &'r BTreeMap<WeekKey, Record>,
            cards: &'r BTreeMap<String, CardRecord>,
        }
        let mut bytes = serde_json::to_vec(&Written {
            schema: SCHEMA,
            weeks: &self.weeks,
            cards: &self.cards,
        })
        .unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }

    /// The record of `week` if its key is `key`.
    pub fn usable(&self, week: WeekKey, key: &str) -> Option<&Record> {
        self.weeks.get(&week).filter(|r| r.key == key)
    }
}

/// What an archived week's pages depend on besides its own plans and the
/// weeks before it: plansite's version, what the configuration puts on a
/// page (not where the output goes, nor the date of the build: an archived
/// page reports on its own week), whether drafts are shown, and the theme.
/// Hashed as JSON into every week's key.
#[derive(Serialize)]
struct SiteKey<'a> {
    plansite: &'static str,
    root: std::borrow::Cow<'a, str>,
    content_dir: std::borrow::Cow<'a, str>,
    archive_dir: std::borrow::Cow<'a, str>,
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    theme: Option<&'a str>,
    currency: Option<String>,
    language: &'a str,
    raw_html: RawHtml,
    thresholds: Thresholds,
    group_by: GroupBy,
    /// Archived pages name the current cards when there are cards.
    cards: bool,
    extra: &'a toml::Table,
    drafts: bool,
}

impl<'a> SiteKey<'a> {
    fn new(config: &'a Config, drafts: bool) -> SiteKey<'a> {
        SiteKey {
            plansite: env!("CARGO_PKG_VERSION"),
            root: config.root.to_string_lossy(),
            content_dir: config.content_dir.to_string_lossy(),
            archive_dir: config.archive_dir.to_string_lossy(),
            title: &config.title,
            description: config.description.as_deref(),
            base_url: &config.base_url,
            theme: config.theme.as_deref(),
            currency: config.currency.map(|c| c.to_string()),
            language: &config.language,
            raw_html: config.raw_html,
            thresholds: config.thresholds,
            group_by: config.group_by,
            cards: config.cards,
            extra: &config.extra,
            drafts,
        }
    }
}

/// Each week's key, oldest first. The weeks' contents are chained (a week's
/// trend shows the weeks before it); which current plans a week's pages
/// link to is added per week, so that a new plan leaves the archive alone.
pub fn keys(
    config: &Config,
    theme: &Theme,
    plans: &[Plan],
    listings: &[Listing],
    drafts: bool,
) -> Vec<String> {
    let mut site = Sha256::new();
    let mut field = |bytes: &[u8]| {
        site.update((bytes.len() as u64).to_le_bytes());
        site.update(bytes);
    };
    field(&serde_json::to_vec(&SiteKey::new(config, drafts)).unwrap_or_default());
    for (name, text, _) in &theme.sources {
        field(name.as_bytes());
        field(text.as_bytes());
    }
    for (name, bytes) in &theme.statics {
        field(name.as_bytes());
        field(bytes);
    }
    let current: std::collections::BTreeSet<&str> = plans.iter().map(|p| p.slug.as_str()).collect();
    let mut chain = hex(&site.finalize());
    listings
        .iter()
        .map(|listing| {
            let mut contents = Sha256::new();
            contents.update(chain.as_bytes());
            contents.update(listing.fingerprint.as_bytes());
            chain = hex(&contents.finalize());
            let mut week = Sha256::new();
            week.update(chain.as_bytes());
            for slug in linked(listing, &current) {
                week.update((slug.len() as u64).to_le_bytes());
                week.update(slug.as_bytes());
            }
            hex(&week.finalize())
        })
        .collect()
}

/// The current plans a week's pages link to: those of its plans that
/// still exist. The week's slugs come from its manifest when this version
/// of plansite wrote it (so they are the slugs its pages get); otherwise
/// every current plan counts.
fn linked<'a>(listing: &'a Listing, current: &std::collections::BTreeSet<&'a str>) -> Vec<&'a str> {
    match &listing.manifest {
        Some(manifest) if manifest.plansite == env!("CARGO_PKG_VERSION") => {
            let mut slugs: Vec<&str> = manifest
                .plans
                .iter()
                .map(|p| p.slug.as_str())
                .filter(|slug| current.contains(slug))
                .collect();
            slugs.sort_unstable();
            slugs
        }
        _ => current.iter().copied().collect(),
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
    fn carry(&self, week: WeekKey, files: usize) -> bool;
    /// The week's plans as the last build read them, with the warnings
    /// met reading them, when they are kept (`serve`, whose memo lives
    /// only while the archive and the configuration stay the same).
    fn loaded(&self, _week: WeekKey) -> Option<Loaded> {
        None
    }
    /// Puts the last build's file at `path` into the new site unchanged,
    /// when it is a plain file of `bytes` bytes; false if it did not (the
    /// file is then made again). None is kept unless the site is on disk.
    fn keep_file(&self, _path: &str, _bytes: u64) -> bool {
        false
    }
}

/// An archived week's plans as read, with the warnings met reading them.
pub type Loaded = (Arc<Snapshot>, Vec<Diagnostic>);

impl Previous for crate::write::Staging {
    fn records(&self) -> Records {
        Records::parse(self.previous(FILE))
    }

    fn carry(&self, week: WeekKey, files: usize) -> bool {
        crate::write::Staging::carry(self, &format!("archive/{week}"), files)
    }

    fn keep_file(&self, path: &str, bytes: u64) -> bool {
        crate::write::Staging::keep_file(self, path, bytes)
    }
}
