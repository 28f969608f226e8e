//! Render: plans, derived figures and charts to the files of the site,
//! through view structs and the theme's Tera templates. It returns
//! `OutputFile`s and writes nothing (`write` does); the one thing it reads
//! from disk is the theme (`theme.rs` loads the templates and static files
//! a site overrides from `themes/`).

mod history;
pub mod markdown;
pub mod pages;
mod plan_page;
mod schedule_view;
pub mod theme;
pub mod views;

pub use pages::{render_site, ArchivedWeek, Memo, OutputFile, Sink, SiteInput};
