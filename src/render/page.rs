//! What every page of the site shares: what it is made from
//! (`SiteInput`), where its files go (`Out`, which keeps the errors until
//! every page was tried), the template call, and the addresses pages give
//! each other.

use super::cards::CardStore;
use super::history::{ArchivedWeek, Week};
use super::memo::PlanMemo;
use super::theme::{flatten, Theme};
use super::views::SiteView;
use crate::archive::WeekKey;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{ExitKind, Failure};
use crate::model::plan::Plan;
use crate::output::{OutputFile, Sink};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// Everything the site is made from.
pub struct SiteInput<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub plans: &'a [Plan],
    /// Decoded source text by display path, for the lines quoted in checks.
    pub sources: &'a HashMap<String, String>,
    pub as_of: NaiveDate,
    /// The archive, oldest week first.
    pub history: &'a [ArchivedWeek],
    /// How many of the archived weeks come before the week of `as_of`: the
    /// current site's trend ends with them, and counts its changes from the
    /// last of them.
    pub earlier: usize,
    /// Plans rendered by an earlier build of the same site (`serve`): a
    /// plan whose source has not changed is not rendered again.
    pub memo: Option<&'a dyn PlanMemo>,
    /// The link-preview cards of an earlier build, kept when unchanged
    /// (without one, every card is drawn).
    pub cards: Option<&'a dyn CardStore>,
    /// Opaque names for plan folders (`[protect] opaque_urls`), else the
    /// slugs name them.
    pub names: Option<&'a crate::protect::Names>,
}

impl SiteInput<'_> {
    /// The folder name of the plan `slug` (`plans/<name>/`).
    pub(super) fn folder<'s>(&self, slug: &'s str) -> std::borrow::Cow<'s, str> {
        match self.names {
            Some(names) => names.name(slug).into(),
            None => slug.into(),
        }
    }

    /// Whether the site is protected: no file a program reads in the
    /// clear (JSON, calendars, feed, sitemap) is made.
    pub(super) fn protected(&self) -> bool {
        self.config.protect.enabled
    }
}

/// One dashboard with its plan pages.
pub(super) struct Portfolio<'a> {
    /// `""` or `archive/2025-W10/`.
    pub prefix: String,
    pub plans: &'a [Plan],
    pub sources: &'a HashMap<String, String>,
    pub as_of: NaiveDate,
    /// The snapshot changes are counted from.
    pub previous: Option<(WeekKey, &'a [Plan])>,
    /// The weeks of the trend charts, oldest first, ending with this one.
    pub weeks: Vec<&'a Week<'a>>,
    /// The archived week shown, or `None` for the current site.
    pub snapshot: Option<WeekKey>,
}

/// What rendering produced so far: files go straight to the sink; errors
/// wait until every page was tried.
pub(super) struct Out<'s> {
    pub sink: Sink<'s>,
    pub warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
    /// The worst kind of failure met: a file not kept or a plan that
    /// failed is a content failure, a template error a usage one.
    failure: Option<ExitKind>,
}

impl<'s> Out<'s> {
    pub fn new(sink: Sink<'s>) -> Out<'s> {
        Out {
            sink,
            warnings: Vec::new(),
            errors: Vec::new(),
            failure: None,
        }
    }

    pub fn file(&mut self, path: String, bytes: Vec<u8>) {
        if let Err(message) = (self.sink)(OutputFile { path, bytes }) {
            self.fail(ExitKind::Content, output_error(message));
        }
    }

    pub fn page<T: Serialize>(&mut self, theme: &Theme, template: &str, path: &str, view: &T) {
        match render(theme, template, view, 16 * 1024) {
            Ok(bytes) => self.file(path.to_string(), bytes),
            Err(e) => self.fail(ExitKind::Usage, e),
        }
    }

    pub fn fail(&mut self, kind: ExitKind, error: Diagnostic) {
        // A content failure outranks a template error: the plans or the
        // disk are what to fix first.
        self.failure = Some(match self.failure {
            Some(ExitKind::Content) => ExitKind::Content,
            _ => kind,
        });
        self.errors.push(error);
    }

    pub fn finish(self) -> Result<Vec<Diagnostic>, Failure> {
        match self.failure {
            None => Ok(self.warnings),
            Some(kind) => Err(Failure::new(kind, self.errors)),
        }
    }
}

/// A file of the site that the sink could not keep.
pub(super) fn output_error(message: String) -> Diagnostic {
    Diagnostic::error("output", 0, 0, message)
}

/// Renders `template` with `view` into bytes, with `room` for them.
pub(super) fn render<T: Serialize>(
    theme: &Theme,
    template: &str,
    view: &T,
    room: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let context = tera::Context::from_serialize(view).map_err(|e| {
        Diagnostic::error(
            template,
            0,
            0,
            format!("template data: {}", flatten(&e.to_string())),
        )
    })?;
    let mut bytes = Vec::with_capacity(room);
    theme
        .tera
        .render_to(template, &context, &mut bytes)
        .map_err(|e| theme.diagnostic(&e))?;
    Ok(bytes)
}

pub(super) fn with_slash(base: &str) -> String {
    if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    }
}

pub(super) fn site_view(input: &SiteInput<'_>) -> SiteView {
    let config = input.config;
    let base = config.base_url.trim();
    let absolute = base.starts_with("https://") || base.starts_with("http://");
    SiteView {
        title: config.title.clone(),
        description: config.description.clone().unwrap_or_default(),
        language: config.language.clone(),
        absolute_base: if absolute {
            with_slash(base)
        } else {
            String::new()
        },
        as_of: input.as_of.format("%Y-%m-%d").to_string(),
        generator: format!("plansite {}", env!("CARGO_PKG_VERSION")),
        extra: serde_json::to_value(&config.extra).unwrap_or(serde_json::Value::Null),
        feed: !input.protected(),
    }
}

/// The page's absolute address, when the base URL is absolute.
pub(super) fn canonical(site: &SiteView, path: &str) -> String {
    if site.absolute_base.is_empty() {
        String::new()
    } else {
        format!("{}{path}", site.absolute_base)
    }
}

/// `../` as many times as a page is deep.
pub(super) fn up(levels: usize) -> String {
    "../".repeat(levels)
}
