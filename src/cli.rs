//! The command line as the user types it (clap derive). `lib::run` turns
//! it into work; nothing here reads files.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "plansite",
    version,
    about = "Turns project plans written in Markdown into a static report site"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a working site: site.toml, an example plan, GitHub workflows.
    Init(InitArgs),
    /// Build the site: a dashboard, a report per plan, charts.
    Build(BuildArgs),
    /// Read every plan and report problems, with a summary line per plan.
    Check(CheckArgs),
    /// Build the site in memory and serve it, rebuilding on every change.
    Serve(ServeArgs),
    /// Print the model of plans as JSON (schema 1).
    Model(ModelArgs),
    /// Archive the current plans as this week's snapshot.
    Snapshot(SnapshotArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site root: the folder holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Plan files to check instead of the whole content folder.
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Plan files; with none, every plan under the root's content folder.
    pub paths: Vec<PathBuf>,
    /// Site root: the folder holding site.toml and content/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site root: the folder holding site.toml, content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Output folder (default: output_dir of site.toml, else public/).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Where the site is published, e.g. https://owner.github.io/repo/.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include plans marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// The date the report speaks for, YYYY-MM-DD (default: today, or
    /// SOURCE_DATE_EPOCH when set).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Replace an output folder that plansite did not make.
    #[arg(long)]
    pub force: bool,
    /// Encrypt every page with the passphrase in PLANSITE_PASSPHRASE (as
    /// `[protect] enabled = true` in site.toml); see SECURITY.md.
    #[arg(long)]
    pub protect: bool,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Site root: the folder holding site.toml, content/ and archive/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The week to file the snapshot under, YYYY-Www (default: the ISO
    /// week of --as-of).
    #[arg(long)]
    pub week: Option<String>,
    /// A note shown with the snapshot in the archive and the feed.
    #[arg(long)]
    pub note: Option<String>,
    /// Set an existing snapshot of the week aside (never deleted) and take
    /// a new one.
    #[arg(long)]
    pub replace: bool,
    /// The date the snapshot speaks for, YYYY-MM-DD (default: today, or
    /// SOURCE_DATE_EPOCH when set).
    #[arg(long)]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the site in (default: the current folder).
    pub dir: Option<PathBuf>,
    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
    /// Where plansite's releases are published, OWNER/NAME on GitHub: the
    /// workflows use its setup action (default: this build's repository).
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site root: the folder holding site.toml, content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The address to listen on (loopback unless you mean otherwise).
    #[arg(long, default_value = "127.0.0.1")]
    pub interface: String,
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include plans marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// The date the report speaks for, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub as_of: Option<String>,
    /// Preview the site encrypted, with the passphrase in
    /// PLANSITE_PASSPHRASE (as `build --protect`).
    #[arg(long)]
    pub protect: bool,
}
