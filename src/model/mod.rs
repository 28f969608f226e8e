//! The model: one typed `Plan` per plan file, with its consistency checks.

pub mod build;
pub mod checks;
pub mod meta;
pub mod plan;
pub mod tables;

pub use build::{build, Settings, Source};
pub use plan::Plan;
