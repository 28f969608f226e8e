//! `plansite init [DIR]`: a working site in minutes: `site.toml` with every
//! key commented, an example plan, `.gitignore`, and two GitHub workflows
//! (publish to Pages; weekly snapshot). Never overwrites a file unless
//! `--force`.

use crate::cli::InitArgs;
use crate::diagnostic::Diagnostic;
use crate::{exit, Outcome};
use std::fs;
use std::path::PathBuf;

/// The files `init` writes, by path under the site folder.
const FILES: &[(&str, &str)] = &[
    ("site.toml", include_str!("init/site.toml")),
    (
        "content/example-plan.md",
        include_str!("../../content/data-platform-migration.md"),
    ),
    (".gitignore", include_str!("init/gitignore")),
    (
        ".github/workflows/pages.yml",
        include_str!("init/pages.yml"),
    ),
    (
        ".github/workflows/snapshot.yml",
        include_str!("init/snapshot.yml"),
    ),
];

pub fn init(args: InitArgs) -> Outcome {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let existing: Vec<&str> = FILES
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| dir.join(path).exists())
        .collect();
    if !existing.is_empty() && !args.force {
        let message = format!(
            "{} already holds {}; nothing was written (pass --force to overwrite them)",
            dir.display(),
            existing.join(", ")
        );
        return Outcome {
            diagnostics: vec![Diagnostic::error(&dir.display().to_string(), 0, 0, message)],
            code: exit::REFUSED,
            ..Outcome::default()
        };
    }
    let mut output = String::new();
    for (path, text) in FILES {
        let target = dir.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| fs::write(&target, text));
        if let Err(e) = written {
            let message = format!("cannot write {}: {e}", target.display());
            return Outcome {
                output,
                diagnostics: vec![Diagnostic::error(path, 0, 0, message)],
                code: exit::CONTENT,
                ..Outcome::default()
            };
        }
        output.push_str(&format!("created {}\n", target.display()));
    }
    output.push_str(&format!(
        "next: cd {} && plansite build (or plansite serve), then push to GitHub and set Pages to \"GitHub Actions\"; set PLANSITE_REPO in .github/workflows/*.yml to where plansite is installed from\n",
        dir.display()
    ));
    Outcome {
        output,
        code: exit::OK,
        ..Outcome::default()
    }
}
