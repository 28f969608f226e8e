//! `plansite init [DIR]`: a working site in minutes: `site.toml` with every
//! key commented, an example plan, `.gitignore`, and two GitHub workflows
//! (publish to Pages; weekly snapshot) that install plansite with its setup
//! action, pinned to the version that wrote them (`--repo OWNER/NAME` says
//! where it is published; default: `repository` in Cargo.toml). Never
//! overwrites a file unless `--force`, and never writes through a symbolic
//! link or onto anything but a regular file, even with `--force` (refused,
//! exit 3).

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

/// Where `{{SETUP}}` in a workflow points: the setup action, pinned.
const SETUP: &str = "{{SETUP}}";

pub fn init(args: InitArgs) -> Outcome {
    let repo = match args.repo.as_deref() {
        Some(repo) => repo.to_string(),
        None => default_repo(env!("CARGO_PKG_REPOSITORY")).ok_or_else(|| {
            usage(
                "--repo",
                "this build names no GitHub repository (`repository` in Cargo.toml): pass --repo OWNER/NAME, where plansite's releases are published".into(),
            )
        })?,
    };
    if !is_repo(&repo) {
        return Err(usage(
            "--repo",
            format!("`{repo}` is not OWNER/NAME (letters, digits, `-`, `_` and `.`)"),
        ));
    }
    let setup = format!("{repo}@v{}", env!("CARGO_PKG_VERSION"));
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
        let text = text.replace(SETUP, &setup);
        let written = target
            .parent()
            .map_or(Ok(()), fs::create_dir_all)
            .and_then(|()| write_new_or_regular(&target, &text));
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
        "next: cd {} && plansite build (or plansite serve), then push to GitHub and set Pages to \"GitHub Actions\"; the workflows install plansite with {setup}\n",
        dir.display()
    ));
    Ok(Report {
        output,
        ..Report::default()
    })
}

fn usage(what: &str, message: String) -> Failure {
    Failure::new(
        ExitKind::Usage,
        vec![Diagnostic::error(what, 0, 0, message)],
    )
}

/// `OWNER/NAME` from a GitHub repository URL (`https://github.com/OWNER/NAME`,
/// with or without `.git` or a trailing `/`).
fn default_repo(url: &str) -> Option<String> {
    let path = url
        .trim()
        .strip_prefix("https://github.com/")?
        .trim_end_matches('/')
        .trim_end_matches(".git");
    is_repo(path).then(|| path.to_string())
}

/// Whether `repo` is `OWNER/NAME` as GitHub spells them.
fn is_repo(repo: &str) -> bool {
    let Some((owner, name)) = repo.split_once('/') else {
        return false;
    };
    let part = |p: &str| {
        !p.is_empty()
            && p != "."
            && p != ".."
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    part(owner) && part(name)
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
