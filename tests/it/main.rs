//! The integration tests: the model of fixture plans (snapshots plus the
//! facts a reader checks), the command line through the real binary, and
//! property tests that no input panics the reader.

mod adversarial;
mod browser;
mod cli;
mod faults;
mod fuzz_regressions;
mod history;
mod model;
mod pathological;
mod props;
mod serve;
mod site;

use std::path::{Path, PathBuf};

/// The fixtures folder, relative to the package root (the tests' working
/// directory), so paths in diagnostics and snapshots are the same anywhere.
pub fn fixtures() -> &'static Path {
    Path::new("tests/fixtures")
}

pub fn plan_fixture(name: &str) -> PathBuf {
    fixtures().join("plans").join(name)
}

/// Every file under `dir`, by `/`-separated relative path, with its bytes:
/// for comparing a folder before and after.
pub fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (relative, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The inline SVG charts of a page, each from `<svg` to its `</svg>`.
pub fn inline_svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let Some(len) = rest[start..].find("</svg>") else {
            break;
        };
        let end = start + len + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}
