//! Render: plans, derived figures and charts to the files of the site,
//! through view structs and the theme's Tera templates. Pure: it returns
//! `OutputFile`s and never touches the disk (`write` does).

mod history;
pub mod markdown;
pub mod pages;
mod plan_page;
mod schedule_view;
pub mod theme;
pub mod views;

pub use pages::{render_site, ArchivedWeek, Memo, OutputFile, Sink, SiteInput};
