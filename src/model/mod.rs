//! The model: one typed `Plan` per plan file, with its consistency checks.

pub mod build;
pub mod checks;
pub mod meta;
pub mod plan;
pub mod tables;

pub use build::{build, Settings, Source};
pub use plan::Plan;

/// A plan built from text, named `p.md`: for tests.
#[cfg(test)]
pub fn from_text(text: &str) -> Plan {
    let source = Source {
        path: "p.md".into(),
        display: "p.md".into(),
        stem: "p".into(),
        text: text.into(),
    };
    build(&source, &Settings::default()).expect("test plans are readable")
}
