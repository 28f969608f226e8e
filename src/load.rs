//! Load: the only stage that reads plan files. Walks the content folder
//! (sorted, hidden entries skipped, symbolic links reported and not
//! followed), reads each `.md` / `.markdown` file and decodes it.
//!
//! Every untrusted file plansite reads (plans, and the archive's manifests
//! and plans) and every theme file goes through the one opener here: a
//! symbolic link anywhere below the folder it is read from is refused, so
//! is anything but a regular file (a FIFO is never waited on, a device
//! never read), and no more than a cap is read. On Linux each component is
//! opened relative to the one before with `O_NOFOLLOW`, the file itself
//! also with `O_NONBLOCK`, and the type is taken from the open handle, so
//! nothing can be swapped in between the check and the read; elsewhere the
//! components are checked with `symlink_metadata` before the open (and the
//! open handle checked again).

use crate::decode::decode;
use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A plan file larger than this is refused with an error, not read.
pub const MAX_PLAN_BYTES: u64 = 16 * 1024 * 1024;

/// Lists the plan files under `dir`, sorted by path.
pub fn plan_files(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(false)
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
            // The content folder itself too: a link there would read
            // plans from wherever it points.
            diagnostics.push(Diagnostic::warning(
                &path.display().to_string(),
                0,
                0,
                "symbolic link not followed: plans must be files inside the content folder",
            ));
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

/// One plan file, decoded, as `load` hands it to the model.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path stored in the model: relative to the site root.
    pub path: String,
    /// Path diagnostics name (as the user would type it).
    pub display: String,
    /// The file name without extension: the default slug.
    pub stem: String,
    pub text: String,
}

/// Reads and decodes one plan file. `relative` is its path relative to the
/// site root (stored in the model); `display` is how diagnostics name it.
pub fn read_plan(
    path: &Path,
    relative: &str,
    display: &str,
) -> Result<(Source, Vec<Diagnostic>), Diagnostic> {
    let cannot = |e: std::io::Error| Diagnostic::error(display, 0, 0, format!("cannot read: {e}"));
    let too_big = |size: u64| {
        Diagnostic::error(
            display,
            0,
            0,
            format!(
                "file is {}, over the cap of {}: plans larger than {} MiB are not read",
                crate::text::bytes(size),
                crate::text::thousands(MAX_PLAN_BYTES),
                MAX_PLAN_BYTES / (1024 * 1024)
            ),
        )
    };
    let bytes = open_file(path)
        .and_then(|file| read_capped(file, MAX_PLAN_BYTES))
        .map_err(|e| match e {
            ReadError::TooBig(size, _) => too_big(size),
            ReadError::Io(e) => cannot(e),
            other => Diagnostic::error(display, 0, 0, other.message(&|p| p.display().to_string())),
        })?;
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
    warnings.extend(decoding_warnings(&report, display));
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

/// What decoding a file had to do that its author should know: another
/// encoding, control characters, double-encoded text.
fn decoding_warnings(report: &crate::decode::DecodeReport, display: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
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
    warnings
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The file, or a folder on the way to it, is a symbolic link (this one).
    Link(PathBuf),
    /// Not a regular file: what it is (`a FIFO`, `a device`…).
    NotRegular(&'static str),
    /// Larger than the cap: (size, cap) in bytes.
    TooBig(u64, u64),
    Io(std::io::Error),
}

impl ReadError {
    /// Whether the file is simply not there.
    pub fn is_missing(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound)
    }

    /// What went wrong, in words; `shown` names a path as diagnostics do.
    pub fn message(&self, shown: &dyn Fn(&Path) -> String) -> String {
        match self {
            ReadError::Link(link) => format!(
                "symbolic link not followed ({}): only regular files inside the folder are read",
                shown(link)
            ),
            ReadError::NotRegular(what) => {
                format!("not a regular file ({what}); only regular files are read")
            }
            ReadError::TooBig(size, cap) => format!(
                "file is {}, over the cap of {}: files larger than {} MiB are not read",
                crate::text::bytes(*size),
                crate::text::thousands(*cap),
                cap / (1024 * 1024)
            ),
            ReadError::Io(e) => format!("cannot read: {e}"),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Reads the file at `relative` under the folder `base`: refused if `base`
/// itself, any folder on the way or the file is a symbolic link, or the
/// file is not a regular file, or it holds more than `cap` bytes.
pub fn read_beneath(base: &Path, relative: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    read_capped(open_beneath(base, relative)?, cap)
}

/// Opens `path` for reading: refused if it is a symbolic link or not a
/// regular file (the folders above it are not checked: see `open_beneath`).
pub fn open_file(path: &Path) -> Result<std::fs::File, ReadError> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(ReadError::NotRegular("not a file name"));
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    sys::open_last(parent, Path::new(name))
}

/// Opens the file at `relative` under `base`, refusing links and anything
/// but a regular file at every step (`base` included).
pub fn open_beneath(base: &Path, relative: &Path) -> Result<std::fs::File, ReadError> {
    let parts: Vec<&std::ffi::OsStr> = relative
        .components()
        .map(|c| match c {
            std::path::Component::Normal(part) => Ok(part),
            _ => Err(ReadError::NotRegular("not a plain relative path")),
        })
        .collect::<Result<_, _>>()?;
    if parts.is_empty() {
        return Err(ReadError::NotRegular("not a plain relative path"));
    }
    sys::open_beneath(base, &parts)
}

/// The first symbolic link among the folders of `relative` under `base`
/// (`base` itself is not checked; stated, not opened): for folders that
/// are walked rather than opened.
pub fn link_on_the_way(base: &Path, relative: &Path) -> Option<PathBuf> {
    let mut path = base.to_path_buf();
    let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    for part in relative.components() {
        path.push(part);
        if is_link(&path) {
            return Some(path);
        }
    }
    None
}

/// Reads an open file, never more than `cap` bytes, even if it grows
/// meanwhile.
pub fn read_capped(file: std::fs::File, cap: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular(kind(&metadata.file_type())));
    }
    if metadata.len() > cap {
        return Err(ReadError::TooBig(metadata.len(), cap));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize + 1);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooBig(bytes.len() as u64, cap));
    }
    Ok(bytes)
}

/// What a file that is not a regular file is, in words.
fn kind(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "not a file"
    }
}

#[cfg(target_os = "linux")]
mod sys {
    //! Each step opened relative to the one before, never following a
    //! link, the file without blocking: no window between check and read.
    use super::ReadError;
    use rustix::fs::{openat, statat, AtFlags, FileType, Mode, OFlags, CWD};
    use std::ffi::OsStr;
    use std::os::fd::{AsFd, OwnedFd};
    use std::path::Path;

    const DIR: OFlags = OFlags::RDONLY
        .union(OFlags::DIRECTORY)
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC);
    const FILE: OFlags = OFlags::RDONLY
        .union(OFlags::NOFOLLOW)
        .union(OFlags::NONBLOCK)
        .union(OFlags::NOCTTY)
        .union(OFlags::CLOEXEC);

    /// Why opening `name` in `dir` failed: a link, not the right kind of
    /// file, or the error itself.
    fn why(dir: impl AsFd, name: &OsStr, path: &Path, error: rustix::io::Errno) -> ReadError {
        match statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => match FileType::from_raw_mode(stat.st_mode) {
                FileType::Symlink => ReadError::Link(path.to_path_buf()),
                FileType::Fifo => ReadError::NotRegular("a FIFO"),
                FileType::Socket => ReadError::NotRegular("a socket"),
                FileType::CharacterDevice | FileType::BlockDevice => {
                    ReadError::NotRegular("a device")
                }
                _ => ReadError::Io(error.into()),
            },
            Err(_) => ReadError::Io(error.into()),
        }
    }

    fn open_dir(base: &Path) -> Result<OwnedFd, ReadError> {
        let name = base.file_name().unwrap_or(base.as_os_str());
        let parent = match base.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        match openat(CWD, base, DIR, Mode::empty()) {
            Ok(fd) => Ok(fd),
            Err(e) => Err(
                match openat(CWD, parent, OFlags::PATH | OFlags::CLOEXEC, Mode::empty()) {
                    Ok(p) => why(&p, name, base, e),
                    Err(_) => ReadError::Io(e.into()),
                },
            ),
        }
    }

    pub fn open_beneath(base: &Path, parts: &[&OsStr]) -> Result<std::fs::File, ReadError> {
        let mut dir = open_dir(base)?;
        let mut path = base.to_path_buf();
        let (last, folders) = parts.split_last().ok_or(ReadError::NotRegular("no file"))?;
        for part in folders {
            path.push(part);
            dir = openat(&dir, *part, DIR, Mode::empty()).map_err(|e| why(&dir, part, &path, e))?;
        }
        path.push(last);
        let file =
            openat(&dir, *last, FILE, Mode::empty()).map_err(|e| why(&dir, last, &path, e))?;
        Ok(std::fs::File::from(file))
    }

    pub fn open_last(parent: &Path, name: &Path) -> Result<std::fs::File, ReadError> {
        let path = parent.join(name);
        let file = openat(CWD, &path, FILE, Mode::empty()).map_err(|e| {
            match openat(CWD, parent, OFlags::PATH | OFlags::CLOEXEC, Mode::empty()) {
                Ok(p) => why(&p, name.as_os_str(), &path, e),
                Err(_) => ReadError::Io(e.into()),
            }
        })?;
        Ok(std::fs::File::from(file))
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    //! Portable: each step stated without following links before the open,
    //! and the open handle checked again (a file swapped in between the
    //! two is still refused unless it is a regular file).
    use super::ReadError;
    use std::ffi::OsStr;
    use std::path::Path;

    fn check(path: &Path, folder: bool) -> Result<(), ReadError> {
        let metadata = std::fs::symlink_metadata(path)?;
        let kind = metadata.file_type();
        if kind.is_symlink() {
            return Err(ReadError::Link(path.to_path_buf()));
        }
        if folder && !kind.is_dir() {
            return Err(ReadError::NotRegular("not a folder"));
        }
        if !folder && !kind.is_file() {
            return Err(ReadError::NotRegular(super::kind(&kind)));
        }
        Ok(())
    }

    pub fn open_beneath(base: &Path, parts: &[&OsStr]) -> Result<std::fs::File, ReadError> {
        let mut path = base.to_path_buf();
        check(&path, true)?;
        let (last, folders) = parts.split_last().ok_or(ReadError::NotRegular("no file"))?;
        for part in folders {
            path.push(part);
            check(&path, true)?;
        }
        path.push(last);
        check(&path, false)?;
        Ok(std::fs::File::open(&path)?)
    }

    pub fn open_last(parent: &Path, name: &Path) -> Result<std::fs::File, ReadError> {
        let path = parent.join(name);
        check(&path, false)?;
        Ok(std::fs::File::open(&path)?)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn the_opener_refuses_links_on_the_way_odd_files_and_oversized_files() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let base = tmp.path().join("archive");
        std::fs::create_dir_all(base.join("w/plans")).expect("dirs");
        std::fs::write(base.join("w/plans/a.md"), "# A\n").expect("write");
        std::fs::write(tmp.path().join("outside.md"), "# Out\n").expect("write");
        let read = |relative: &str, cap: u64| read_beneath(&base, Path::new(relative), cap);
        assert_eq!(read("w/plans/a.md", 16).expect("a plain file"), b"# A\n");
        assert!(matches!(
            read("w/plans/a.md", 3),
            Err(ReadError::TooBig(4, 3))
        ));
        symlink(tmp.path().join("outside.md"), base.join("w/plans/b.md")).expect("link");
        assert!(
            matches!(read("w/plans/b.md", 16), Err(ReadError::Link(p)) if p.ends_with("plans/b.md"))
        );
        symlink(base.join("w/plans"), base.join("w/linked")).expect("link");
        assert!(
            matches!(read("w/linked/a.md", 16), Err(ReadError::Link(p)) if p.ends_with("w/linked"))
        );
        assert!(matches!(
            read("w/plans", 16),
            Err(ReadError::NotRegular("a folder"))
        ));
        assert!(read("w/plans/none.md", 16).is_err_and(|e| e.is_missing()));
        assert!(matches!(
            read("../outside.md", 16),
            Err(ReadError::NotRegular(_))
        ));
        let made = std::process::Command::new("mkfifo")
            .arg(base.join("w/plans/fifo.md"))
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        assert!(matches!(
            read("w/plans/fifo.md", 16),
            Err(ReadError::NotRegular("a FIFO"))
        ));
        let moved = tmp.path().join("moved");
        std::fs::rename(&base, &moved).expect("move");
        symlink(&moved, &base).expect("link");
        assert!(matches!(read("w/plans/a.md", 16), Err(ReadError::Link(p)) if p == base));
        assert!(matches!(
            open_file(&base.join("w/plans/b.md")).map(drop),
            Err(ReadError::Link(_))
        ));
    }
}
