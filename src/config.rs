//! Config: `site.toml` plus the command line's flags and the clock,
//! validated and merged once, here, into the `Config` the rest of the
//! program trusts (`Config::resolve`). An unknown key or a value of the
//! wrong type is an error naming the key and its line; a bad flag names
//! the flag.

use crate::diagnostic::Diagnostic;
use crate::parse::money::Currency;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// How raw HTML in plan Markdown is treated on pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    #[default]
    Sanitize,
    Escape,
}

/// `site.toml` as written. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<toml::Spanned<String>>,
    pub theme: Option<String>,
    pub content_dir: Option<PathBuf>,
    pub output_dir: Option<PathBuf>,
    pub archive_dir: Option<PathBuf>,
    pub currency: Option<String>,
    pub language: Option<String>,
    pub raw_html: Option<RawHtml>,
    pub status: Option<Thresholds>,
    pub dashboard: Option<DashboardFile>,
    pub cards: Option<Cards>,
    pub protect: Option<Protect>,
    pub extra: Option<toml::Table>,
}

/// `[dashboard]` in site.toml: how the portfolio table is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DashboardFile {
    pub group_by: Option<GroupBy>,
}

/// What the dashboard's table groups plans by (`[dashboard] group_by`).
/// A value not named here is an error naming its line (serde's unknown
/// variant, located by `parse_site`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// One table of every plan.
    #[default]
    None,
    /// A group per owner (`owner` in front matter); plans without one last.
    Owner,
    /// A group per tag: a plan is in the group of each of its tags; plans
    /// without tags last.
    Tags,
}

/// `[cards]` in site.toml: the link-preview images (`card.png`, named by
/// every page's `og:image`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cards {
    /// Whether the cards are drawn and named (on unless turned off).
    pub enabled: bool,
}

impl Default for Cards {
    fn default() -> Self {
        Cards { enabled: true }
    }
}

/// `[protect]` in site.toml: a passphrase-protected site (every page
/// encrypted; the passphrase comes from `PLANSITE_PASSPHRASE`, never from
/// this file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Protect {
    /// Whether the site is encrypted (`--protect` turns it on too).
    pub enabled: bool,
    /// Plan folders named by an id derived from the passphrase instead of
    /// the plan's slug (a file name can itself be the secret).
    pub opaque_urls: bool,
    /// PBKDF2 iterations; at least `protect::ITERATIONS` (fewer is an
    /// error at the value, located like every other by `parse_site`).
    #[serde(deserialize_with = "at_least_iterations")]
    pub iterations: u32,
}

fn at_least_iterations<'de, D: serde::Deserializer<'de>>(value: D) -> Result<u32, D::Error> {
    let iterations = u32::deserialize(value)?;
    if iterations < crate::protect::ITERATIONS {
        return Err(serde::de::Error::custom(format!(
            "`[protect] iterations = {iterations}` is below {}, the fewest that make guessing a \
             passphrase offline slow enough",
            crate::protect::ITERATIONS
        )));
    }
    Ok(iterations)
}

impl Default for Protect {
    fn default() -> Self {
        Protect {
            enabled: false,
            opaque_urls: false,
            iterations: crate::protect::ITERATIONS,
        }
    }
}

/// The thresholds of the red / amber / green status (`[status]` in
/// site.toml). A plan is red when any red rule holds, else amber when any
/// amber rule holds, else green.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// Schedule performance index below this: amber.
    pub spi_amber: f64,
    /// Schedule performance index below this: red.
    pub spi_red: f64,
    /// Cost performance index below this: amber.
    pub cpi_amber: f64,
    /// Cost performance index below this: red.
    pub cpi_red: f64,
    /// This many overdue tasks and milestones or more: amber.
    pub overdue_amber: usize,
    /// This many overdue tasks and milestones or more: red.
    pub overdue_red: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            spi_amber: 0.95,
            spi_red: 0.8,
            cpi_amber: 0.95,
            cpi_red: 0.8,
            overdue_amber: 1,
            overdue_red: 5,
        }
    }
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: Option<String>,
    pub base_url: String,
    pub theme: Option<String>,
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    pub archive_dir: PathBuf,
    pub currency: Option<Currency>,
    pub language: String,
    pub raw_html: RawHtml,
    pub thresholds: Thresholds,
    /// `[dashboard] group_by`.
    pub group_by: GroupBy,
    /// Whether link-preview cards are drawn (`[cards] enabled`; never on
    /// a protected site: a card is read by link-preview robots, which
    /// cannot unlock it).
    pub cards: bool,
    /// `[protect]`, with `--protect` applied.
    pub protect: Protect,
    pub extra: toml::Table,
    /// The date the report speaks for: `--as-of`, else the clock's day.
    pub as_of: NaiveDate,
    /// Whether plans marked `draft: true` are shown (`--drafts`).
    pub drafts: bool,
}

/// What the command line may set of the configuration. Each is optional;
/// a flag given wins over `site.toml`.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--output`: the output folder.
    pub output: Option<PathBuf>,
    /// `--base-url`: where the site is published.
    pub base_url: Option<String>,
    /// `--as-of`: the date of the report, as written (YYYY-MM-DD).
    pub as_of: Option<String>,
    /// `--drafts`.
    pub drafts: bool,
    /// `--protect`: encrypt the site (whatever `[protect] enabled` says).
    pub protect: bool,
}

/// The time of a run: `SOURCE_DATE_EPOCH` when set (reproducible builds
/// and archives), else now. Read once, when the command starts; a value
/// that is not a number of seconds is an error when a date is needed.
#[derive(Debug, Clone)]
pub struct Clock {
    now: Result<DateTime<Utc>, Diagnostic>,
}

impl Clock {
    /// The clock of this process: `SOURCE_DATE_EPOCH`, else the system's.
    pub fn from_env() -> Clock {
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(epoch) => Clock::from_epoch(&epoch),
            Err(_) => Clock::at(Utc::now()),
        }
    }

    /// A clock stopped at `now`.
    pub fn at(now: DateTime<Utc>) -> Clock {
        Clock { now: Ok(now) }
    }

    /// A clock stopped at `epoch` seconds (the text of `SOURCE_DATE_EPOCH`).
    pub fn from_epoch(epoch: &str) -> Clock {
        let error =
            |why: &str| Diagnostic::error("SOURCE_DATE_EPOCH", 0, 0, format!("`{epoch}` {why}"));
        let now = match epoch.trim().parse::<i64>() {
            Err(_) => Err(error("is not a number of seconds")),
            Ok(seconds) => {
                DateTime::from_timestamp(seconds, 0).ok_or_else(|| error("is out of range"))
            }
        };
        Clock { now }
    }

    /// The time now, or why the clock cannot say.
    pub fn now(&self) -> Result<DateTime<Utc>, Diagnostic> {
        self.now.clone()
    }

    /// Today (UTC).
    pub fn today(&self) -> Result<NaiveDate, Diagnostic> {
        self.now().map(|t| t.date_naive())
    }
}

/// `--as-of`, else the clock's day.
fn as_of(given: Option<&str>, clock: &Clock) -> Result<NaiveDate, Diagnostic> {
    match given {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            Diagnostic::error(
                "--as-of",
                0,
                0,
                format!("`{text}` is not a date: write YYYY-MM-DD"),
            )
        }),
        None => clock.today(),
    }
}

impl Config {
    /// `<root>/site.toml` (defaults when it does not exist) with the flags
    /// applied and the date of the report resolved: the one place the
    /// command line meets the configuration.
    pub fn resolve(root: &Path, flags: &Flags, clock: &Clock) -> Result<Config, Diagnostic> {
        let mut config = Config::load(root)?;
        if let Some(output) = &flags.output {
            config.output_dir = output.clone();
        }
        if let Some(base_url) = &flags.base_url {
            check_base_url(base_url).map_err(|why| {
                Diagnostic::error("--base-url", 0, 0, format!("`{base_url}` {why}"))
            })?;
            config.base_url = base_url.clone();
        }
        config.as_of = as_of(flags.as_of.as_deref(), clock)?;
        config.drafts = flags.drafts;
        if flags.protect {
            config.protect.enabled = true;
        }
        if config.protect.enabled {
            config.cards = false;
        }
        Ok(config)
    }

    /// Reads `<root>/site.toml` (defaults when it does not exist), without
    /// flags: the date is today's on the system clock (for the commands
    /// that do not date anything: `check`, `model`).
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join("site.toml");
        let shown = display_path(root, "site.toml");
        let (site, text) = match std::fs::read_to_string(&path) {
            Ok(text) => (parse_site(&shown, &text)?, text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                (SiteFile::default(), String::new())
            }
            Err(e) => return Err(Diagnostic::error(&shown, 0, 0, format!("cannot read: {e}"))),
        };
        if let Some(base_url) = &site.base_url {
            if let Err(why) = check_base_url(base_url.get_ref()) {
                let at = base_url.span().start.min(text.len());
                let line = text[..at].matches('\n').count() + 1;
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let col = text[line_start..at].chars().count() + 1;
                return Err(Diagnostic::error(
                    &shown,
                    line,
                    col,
                    format!(
                        "invalid site.toml: `base_url = {:?}` {why}",
                        base_url.get_ref()
                    ),
                ));
            }
        }
        let protect = site.protect.unwrap_or_default();
        let currency = match site.currency.as_deref() {
            None => None,
            Some(code) => Some(Currency::from_code(code).ok_or_else(|| {
                Diagnostic::error(
                    &shown,
                    0,
                    0,
                    format!("`currency = \"{code}\"` is not an ISO 4217 code such as USD or EUR"),
                )
            })?),
        };
        Ok(Config {
            root: root.to_path_buf(),
            title: site.title.unwrap_or_else(|| "Plans".to_string()),
            description: site.description,
            base_url: site
                .base_url
                .map_or_else(|| "/".to_string(), toml::Spanned::into_inner),
            theme: site.theme,
            content_dir: root.join(site.content_dir.unwrap_or_else(|| "content".into())),
            output_dir: root.join(site.output_dir.unwrap_or_else(|| "public".into())),
            archive_dir: root.join(site.archive_dir.unwrap_or_else(|| "archive".into())),
            currency,
            language: site.language.unwrap_or_else(|| "en".to_string()),
            raw_html: site.raw_html.unwrap_or_default(),
            thresholds: site.status.unwrap_or_default(),
            group_by: site.dashboard.and_then(|d| d.group_by).unwrap_or_default(),
            cards: site.cards.unwrap_or_default().enabled && !protect.enabled,
            protect,
            extra: site.extra.unwrap_or_default(),
            as_of: Utc::now().date_naive(),
            drafts: false,
        })
    }

    /// How diagnostics name a file under the root.
    pub fn display(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(relative) => display_path(&self.root, &relative.to_string_lossy()),
            Err(_) => path.display().to_string(),
        }
    }

    /// A path relative to the root, with `/` separators (for the model).
    pub fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// A base URL is an absolute `http` or `https` URL with a host, or a path
/// from the domain root (`/`, `/repo/`). Anything else (`javascript:`,
/// `data:`, a relative path, `//host`) would make every absolute link of
/// the site wrong or hostile. `Err` says why, for the message.
pub fn check_base_url(url: &str) -> Result<(), String> {
    const WANTED: &str = "must be an http(s) URL such as https://owner.github.io/repo/ or a path from the domain root such as /repo/";
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let ok = if let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty()
    } else {
        url.starts_with('/') && !url.starts_with("//")
    };
    let clean = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'));
    if ok && clean {
        Ok(())
    } else {
        Err(WANTED.to_string())
    }
}

fn display_path(root: &Path, relative: &str) -> String {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        relative.to_string()
    } else {
        root.join(relative).display().to_string()
    }
}

/// Parses `site.toml`; an error points at the offending key.
pub fn parse_site(file: &str, text: &str) -> Result<SiteFile, Diagnostic> {
    toml::from_str(text).map_err(|error: toml::de::Error| {
        let at = error.span().map_or(0, |s| s.start).min(text.len());
        let line = text[..at].matches('\n').count() + 1;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_start..at].chars().count() + 1;
        let message = error.message().trim().replace('\n', " ");
        Diagnostic::error(file, line, col, format!("invalid site.toml: {message}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let error =
            parse_site("site.toml", "title = \"x\"\ncolour = \"red\"\n").expect_err("unknown key");
        assert_eq!(error.line, 2);
        assert!(error.message.contains("colour"), "{}", error.message);
    }

    #[test]
    fn wrong_type_is_an_error() {
        let error = parse_site("site.toml", "title = 3\n").expect_err("wrong type");
        assert_eq!(error.line, 1);
        let error = parse_site("site.toml", "raw_html = \"allow\"\n").expect_err("bad variant");
        assert!(
            error.message.contains("allow") || error.message.contains("variant"),
            "{}",
            error.message
        );
    }

    #[test]
    fn base_urls_are_http_or_a_root_path() {
        for good in [
            "/",
            "/repo/",
            "https://owner.github.io/repo/",
            "http://h",
            " /x/ ",
        ] {
            assert_eq!(check_base_url(good), Ok(()), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "data:text/html,x",
            "ftp://h/",
            "https://",
            "https:///x",
            "//host/x",
            "repo/",
            "",
            "/a b/",
            "/a\"><script>/",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn all_keys_are_accepted() {
        let text = "title = \"P\"\ndescription = \"d\"\nbase_url = \"/repo/\"\ntheme = \"t\"\ncontent_dir = \"plans\"\noutput_dir = \"out\"\narchive_dir = \"arch\"\ncurrency = \"EUR\"\nlanguage = \"en\"\nraw_html = \"escape\"\n[status]\nspi_red = 0.7\noverdue_amber = 2\n[cards]\nenabled = false\n[dashboard]\ngroup_by = \"owner\"\n[extra]\nlogo = \"x.svg\"\n";
        let site = parse_site("site.toml", text).expect("valid");
        assert_eq!(site.raw_html, Some(RawHtml::Escape));
        assert_eq!(site.cards, Some(Cards { enabled: false }));
        let status = site.status.expect("status table");
        assert_eq!(
            (status.spi_red, status.overdue_amber, status.cpi_red),
            (0.7, 2, 0.8)
        );
        let error =
            parse_site("site.toml", "[status]\nspi_orange = 1\n").expect_err("unknown threshold");
        assert_eq!(error.line, 2);
        assert_eq!(
            site.dashboard.and_then(|d| d.group_by),
            Some(GroupBy::Owner)
        );
    }

    #[test]
    fn group_by_takes_owner_tags_or_none_and_names_the_line_of_anything_else() {
        for (value, want) in [
            ("none", GroupBy::None),
            ("owner", GroupBy::Owner),
            ("tags", GroupBy::Tags),
        ] {
            let text = format!("[dashboard]\ngroup_by = \"{value}\"\n");
            let site = parse_site("site.toml", &text).expect("valid");
            assert_eq!(site.dashboard.and_then(|d| d.group_by), Some(want));
        }
        let error = parse_site(
            "site.toml",
            "title = \"x\"\n[dashboard]\ngroup_by = \"team\"\n",
        )
        .expect_err("unknown grouping");
        assert_eq!(error.line, 3);
        assert!(error.message.contains("team"), "{}", error.message);
        let error = parse_site("site.toml", "[dashboard]\nsort = \"x\"\n")
            .expect_err("unknown dashboard key");
        assert_eq!(error.line, 2);
    }

    #[test]
    fn cards_are_on_unless_turned_off_and_checked() {
        let on = parse_site("site.toml", "[cards]\n").expect("valid");
        assert!(on.cards.expect("table").enabled, "on when not said");
        let error = parse_site("site.toml", "[cards]\nenabled = \"no\"\n").expect_err("a word");
        assert_eq!(error.line, 2);
        let error = parse_site("site.toml", "[cards]\nwidth = 800\n").expect_err("unknown key");
        assert!(error.message.contains("width"), "{}", error.message);
    }
}
