//! Load: the only stage that reads plan files. Walks the content folder
//! (sorted, hidden entries skipped, symbolic links reported and not
//! followed), reads each `.md` / `.markdown` file and decodes it.

use crate::decode::decode;
use crate::diagnostic::Diagnostic;
use crate::model::Source;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A plan file larger than this is refused with an error, not read.
pub const MAX_PLAN_BYTES: u64 = 16 * 1024 * 1024;

/// Lists the plan files under `dir`, sorted by path.
pub fn plan_files(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
                diagnostics.push(Diagnostic::error(
                    &path,
                    0,
                    0,
                    format!("cannot read: {error}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink() {
            if entry.depth() > 0 {
                diagnostics.push(Diagnostic::warning(
                    &path.display().to_string(),
                    0,
                    0,
                    "symbolic link not followed: plans must be files inside the content folder",
                ));
            }
            continue;
        }
        if entry.file_type().is_file() && is_plan(path) {
            files.push(path.to_path_buf());
        }
    }
    files
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn is_plan(path: &Path) -> bool {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .is_some_and(|e| e == "md" || e == "markdown")
}

/// Reads and decodes one plan file. `relative` is its path relative to the
/// site root (stored in the model); `display` is how diagnostics name it.
pub fn read_plan(
    path: &Path,
    relative: &str,
    display: &str,
) -> Result<(Source, Vec<Diagnostic>), Diagnostic> {
    use std::io::Read as _;
    let cannot = |e: std::io::Error| Diagnostic::error(display, 0, 0, format!("cannot read: {e}"));
    let too_big = |size: u64| {
        Diagnostic::error(
            display,
            0,
            0,
            format!(
                "file is {} bytes, over the cap of {}: plans larger than {} MiB are not read",
                crate::text::thousands(size),
                crate::text::thousands(MAX_PLAN_BYTES),
                MAX_PLAN_BYTES / (1024 * 1024)
            ),
        )
    };
    // One open: its size from the open file, and never more read than
    // the cap allows, even if the file grows meanwhile.
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    if size > MAX_PLAN_BYTES {
        return Err(too_big(size));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(MAX_PLAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_PLAN_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    let (text, report) = decode(&bytes);
    let mut warnings = Vec::new();
    if path.to_str().is_none() && relative.contains(char::REPLACEMENT_CHARACTER) {
        warnings.push(Diagnostic::warning(
            display,
            0,
            0,
            format!("the file name is not valid UTF-8: it is shown, and archived by `snapshot`, as `{relative}` (rename it to keep its name)"),
        ));
    }
    if report.windows_1252 {
        warnings.push(Diagnostic::warning(
            display,
            0,
            0,
            "file is not valid UTF-8; read as Windows-1252 (save it as UTF-8)",
        ));
    }
    if report.utf16 {
        warnings.push(Diagnostic::warning(
            display,
            0,
            0,
            "file is UTF-16; read as such (save it as UTF-8)",
        ));
    }
    if report.utf16_without_bom {
        warnings.push(Diagnostic::warning(
            display,
            0,
            0,
            "file is UTF-16 without a byte order mark (told by its zero bytes); read as such (save it as UTF-8)",
        ));
    }
    if report.utf32 {
        warnings.push(Diagnostic::warning(
            display,
            0,
            0,
            "file is UTF-32; read as such (save it as UTF-8)",
        ));
    }
    if let Some((line, col)) = report.first_control {
        warnings.push(Diagnostic::warning(
            display,
            line,
            col,
            format!(
                "file holds {} control character(s), the first here; each is shown as U+FFFD (a vertical tab or form feed as a space)",
                report.controls
            ),
        ));
    }
    if report.repaired > 0 {
        warnings.push(Diagnostic::warning(
            display,
            0,
            0,
            format!("file is double-encoded UTF-8 (text such as `âœ…` for `✅`); repaired {} sequence(s): re-save it as plain UTF-8", report.repaired),
        ));
    }
    let stem = path
        .file_stem()
        .map_or_else(|| "plan".to_string(), |s| s.to_string_lossy().into_owned());
    let source = Source {
        path: relative.to_string(),
        display: display.to_string(),
        stem,
        text,
    };
    Ok((source, warnings))
}
