//! `plansite init [DIR]`: a working site in minutes: `site.toml` with every
//! key commented, an example plan, `.gitignore`, and two GitHub workflows
//! (publish to Pages; weekly snapshot). Never overwrites a file unless
//! `--force`, and never writes through a symbolic link or onto anything
//! but a regular file, even with `--force` (refused, exit 3).

use crate::cli::InitArgs;
use crate::diagnostic::Diagnostic;
use crate::error::{ExitKind, Failure, Outcome, Report};
use std::fs;
use std::path::{Path, PathBuf};

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
    let odd = in_the_way(&dir);
    if !odd.is_empty() {
        let message = format!(
            "{} holds {} where init writes; init never writes through a symbolic link or onto anything but a regular file, even with --force: move them away first; nothing was written",
            dir.display(),
            odd.join(", ")
        );
        return Err(Failure::new(
            ExitKind::Refused,
            vec![Diagnostic::error(&dir.display().to_string(), 0, 0, message)],
        ));
    }
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
        return Err(Failure::new(
            ExitKind::Refused,
            vec![Diagnostic::error(&dir.display().to_string(), 0, 0, message)],
        ));
    }
    let mut output = String::new();
    for (path, text) in FILES {
        let target = dir.join(path);
        let written = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| write_new_or_regular(&target, text));
        if let Err(e) = written {
            let message = format!("cannot write {}: {e}", target.display());
            let mut failure = Failure::new(
                ExitKind::Content,
                vec![Diagnostic::error(path, 0, 0, message)],
            );
            failure.report.output = output;
            return Err(failure);
        }
        output.push_str(&format!("created {}\n", target.display()));
    }
    output.push_str(&format!(
        "next: cd {} && plansite build (or plansite serve), then push to GitHub and set Pages to \"GitHub Actions\"; set PLANSITE_REPO in .github/workflows/*.yml to where plansite is installed from\n",
        dir.display()
    ));
    Ok(Report {
        output,
        ..Report::default()
    })
}

/// What stands where init writes and must not be written through: a
/// symbolic link (to a file or a folder, dangling or not) on the way to
/// one of its files, or something that is not a folder (on the way) or a
/// regular file (the file itself): each as "`path` (what it is)".
fn in_the_way(dir: &Path) -> Vec<String> {
    let mut found = std::collections::BTreeSet::new();
    for (path, _) in FILES {
        let parts: Vec<_> = Path::new(path).components().collect();
        let mut at = dir.to_path_buf();
        let mut shown = PathBuf::new();
        for (i, part) in parts.iter().enumerate() {
            at.push(part);
            shown.push(part);
            let Ok(metadata) = fs::symlink_metadata(&at) else {
                break;
            };
            let kind = metadata.file_type();
            let last = i + 1 == parts.len();
            let what = if kind.is_symlink() {
                "a symbolic link"
            } else if last && !kind.is_file() {
                "not a regular file"
            } else if !last && !kind.is_dir() {
                "not a folder"
            } else {
                continue;
            };
            found.insert(format!("`{}` ({what})", shown.display()));
            break;
        }
    }
    found.into_iter().collect()
}

/// Writes `text` to `path`, never through a symbolic link (on Linux the
/// open itself refuses one, should it appear after the check).
fn write_new_or_regular(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(
            (rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK).bits() as i32,
        );
    }
    options.open(path)?.write_all(text.as_bytes())
}
