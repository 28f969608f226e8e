//! Write: the only stage that writes the site. The build goes into a
//! temporary folder beside the output and is swapped in at the end (an
//! atomic exchange on Linux), so a failed or killed build leaves the
//! previous site whole. `.git` and `CNAME` in the output are carried over,
//! and so are folders the build reuses: moved into the new site just
//! before the exchange, under a journal that the next build replays if the
//! process is killed in those few renames.
//! It refuses to clear folders it did not make, folders that hold the
//! content, the archive, the root or the home folder, and an output that
//! is a symbolic link inside the site.
//!
//! Nothing found beside the output is ever adopted: a commit can put any
//! folder there under the names a build uses (`.public.plansite-old`,
//! `-new`). The journal lives inside the output folder (plansite's own,
//! never in the repository), and only what it lists is moved back from
//! the staging folder; a previous site set aside by a killed build on a
//! system without an atomic exchange is left where it is, never moved into
//! the output and never deleted.

use crate::diagnostic::Diagnostic;
use crate::error::{ExitKind, Failure};
use crate::output::OutputFile;
use crate::paths::safe_relative;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks an output folder as made by plansite.
pub const MARKER: &str = ".plansite-output";
/// Entries of an output folder that are carried over to every new build.
const KEPT: &[&str] = &[".git", "CNAME"];
/// The journal of a build's moves, inside the output folder.
const JOURNAL: &str = ".plansite-carried";

/// Why writing did not happen.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder is not one plansite may clear (exit 3).
    Refused(String),
    /// The disk said no (exit 1); the previous site is untouched.
    Io(String),
}

impl From<WriteError> for Failure {
    fn from(error: WriteError) -> Failure {
        let (message, kind) = match error {
            WriteError::Refused(m) => (m, ExitKind::Refused),
            WriteError::Io(m) => (m, ExitKind::Content),
        };
        Failure::new(kind, vec![Diagnostic::error("output", 0, 0, message)])
    }
}

/// Folders the output must never be, contain, or sit inside.
pub struct Guards {
    pub root: PathBuf,
    pub protected: Vec<(String, PathBuf)>,
}

/// Checks that `output` may be written, before any work is done.
pub fn check_output(output: &Path, guards: &Guards, force: bool) -> Result<(), WriteError> {
    // A quoted `~` reaches us unexpanded: it would make a folder named `~`
    // (which a later `rm -rf ~` deletes the wrong way).
    if output
        .components()
        .any(|c| c == Component::Normal(std::ffi::OsStr::new("~")))
    {
        return Err(WriteError::Refused(format!(
            "the output folder {} has a `~` in it, which the shell did not expand: write the home folder's path out, or choose another output folder",
            output.display()
        )));
    }
    // A link inside the site may come from a commit: the site would be
    // written wherever it points. (An output named outside the site, on
    // the command line or in site.toml, may be a link: that is trusted.)
    let lexical = |p: &Path| {
        normalise(&std::env::current_dir().map_or_else(|_| p.to_path_buf(), |d| d.join(p)))
    };
    if fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink())
        && lexical(output).starts_with(lexical(&guards.root))
    {
        return Err(WriteError::Refused(format!(
            "the output folder {} is a symbolic link inside the site: plansite does not write through it; remove it (a build makes the folder)",
            output.display()
        )));
    }
    let out = absolute(output);
    let root = absolute(&guards.root);
    let mut protected = guards.protected.clone();
    protected.push(("the site root".into(), guards.root.clone()));
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        protected.push(("the home folder".into(), PathBuf::from(home)));
    }
    for (what, path) in &protected {
        let path = absolute(path);
        if out == path || path.starts_with(&out) {
            return Err(WriteError::Refused(format!(
                "the output folder {} is or contains {what} ({}): choose another output folder",
                output.display(),
                path.display()
            )));
        }
        if out.starts_with(&path) && path != root {
            return Err(WriteError::Refused(format!(
                "the output folder {} is inside {what} ({}): choose another output folder",
                output.display(),
                path.display()
            )));
        }
    }
    if out.parent().is_none() {
        return Err(WriteError::Refused(format!(
            "the output folder {} is the file system root",
            output.display()
        )));
    }
    if out.is_file() {
        return Err(WriteError::Refused(format!(
            "the output path {} is a file, not a folder",
            output.display()
        )));
    }
    if !force && out.is_dir() && !out.join(MARKER).is_file() {
        let foreign: Vec<String> = fs::read_dir(&out)
            .map_err(|e| WriteError::Io(format!("cannot read {}: {e}", output.display())))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !KEPT.contains(&name.as_str()))
            .collect();
        if !foreign.is_empty() {
            return Err(WriteError::Refused(format!(
                "the output folder {} holds files plansite did not make ({}{}); it would replace them: empty it, choose another folder, or pass --force",
                output.display(),
                foreign.iter().take(3).cloned().collect::<Vec<_>>().join(", "),
                if foreign.len() > 3 { ", …" } else { "" }
            )));
        }
    }
    Ok(())
}

/// An absolute, normalised path, resolving symbolic links of the part that
/// exists (the rest may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for part in rest.into_iter().rev() {
        out.push(part);
    }
    normalise(&out)
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A build being written: files go into a fresh folder beside the output
/// as they are rendered; `finish` swaps it in. Dropped unfinished (a failed
/// build), the folder is removed and the previous site is untouched.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Where the previous site is set aside when there is no atomic
    /// exchange: `.<output>.plansite-old`, or a variant not taken.
    retired: PathBuf,
    /// Folders made so far in the staging folder.
    folders: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    /// Folders of the previous site to move into this one at `finish`.
    carried: std::sync::Mutex<Vec<PathBuf>>,
    /// Lists the carried folders (and `.git`) while they are being moved;
    /// inside the output folder, so only a build of it can have written it.
    journal: PathBuf,
    /// One build of an output folder at a time: a second one refuses.
    _lock: crate::lock::Lock,
}

impl Staging {
    /// Prepares the staging folder (and repairs what a killed build left).
    pub fn begin(output: &Path) -> Result<Staging, WriteError> {
        let out = absolute(output);
        let parent = out
            .parent()
            .ok_or_else(|| WriteError::Refused("no parent folder".into()))?
            .to_path_buf();
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.plansite-new"));
        // Never one that exists: that may be anything a commit put there.
        let retired = std::iter::once(parent.join(format!(".{name}.plansite-old")))
            .chain((1..).map(|n| parent.join(format!(".{name}.plansite-old-{n}"))))
            .find(|p| fs::symlink_metadata(p).is_err())
            .unwrap_or_else(|| parent.join(format!(".{name}.plansite-old")));
        fs::create_dir_all(&parent)
            .map_err(|e| WriteError::Io(format!("cannot create {}: {e}", parent.display())))?;
        let journal = out.join(JOURNAL);
        let lock_path = parent.join(format!(".{name}.plansite-lock"));
        let lock = crate::lock::Lock::acquire(&lock_path, "build").map_err(|e| match e {
            crate::lock::LockError::Busy(m) => WriteError::Refused(m),
            crate::lock::LockError::Io(m) => WriteError::Io(m),
        })?;
        recover(&out, &dir, &journal);
        // Whatever is there (a killed build's folder, or a link or file a
        // commit put there) goes; a link goes itself, never what it names.
        if let Ok(found) = fs::symlink_metadata(&dir) {
            let removed = if found.is_dir() {
                fs::remove_dir_all(&dir)
            } else {
                fs::remove_file(&dir)
            };
            removed.map_err(|e| WriteError::Io(format!("cannot remove {}: {e}", dir.display())))?;
        }
        fs::create_dir_all(&dir)
            .map_err(|e| WriteError::Io(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Staging {
            out,
            dir,
            retired,
            folders: std::sync::Mutex::default(),
            carried: std::sync::Mutex::default(),
            journal,
            _lock: lock,
        })
    }

    /// Writes one file of the site. Safe to call from several threads.
    pub fn put(&self, file: &OutputFile) -> Result<(), String> {
        let relative = safe_relative(&file.path).ok_or_else(|| {
            format!(
                "refusing to write `{}`: not a plain path inside the output folder",
                file.path
            )
        })?;
        let path = self.dir.join(relative);
        self.make_folder(&path)?;
        fs::write(&path, &file.bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Makes the folder `path` goes in, once: a plan's files share theirs.
    fn make_folder(&self, path: &Path) -> Result<(), String> {
        if let Some(folder) = path.parent() {
            let made = self.folders.lock().is_ok_and(|f| f.contains(folder));
            if !made {
                fs::create_dir_all(folder)
                    .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
                if let Ok(mut folders) = self.folders.lock() {
                    folders.insert(folder.to_path_buf());
                }
            }
        }
        Ok(())
    }

    /// Puts a file of the previous site into the new one unchanged, now:
    /// a second name for the same file (a copy where the file system has
    /// no links), so the previous site stays whole until it is replaced.
    /// Only a plain file of `bytes` bytes is kept (never a link, a folder
    /// or a file changed since); false if it was not.
    pub fn keep_file(&self, path: &str, bytes: u64) -> bool {
        let Some(relative) = safe_relative(path) else {
            return false;
        };
        let from = self.out.join(&relative);
        let plain = fs::symlink_metadata(&from).is_ok_and(|m| m.is_file() && m.len() == bytes);
        let to = self.dir.join(&relative);
        if !plain || self.make_folder(&to).is_err() {
            return false;
        }
        match fs::hard_link(&from, &to) {
            Ok(()) => true,
            // Never over a file the build wrote.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => false,
            Err(_) => fs::symlink_metadata(&to).is_err() && fs::copy(&from, &to).is_ok(),
        }
    }

    /// A file of the previous site (the output folder as it is).
    pub fn previous(&self, path: &str) -> Option<Vec<u8>> {
        fs::read(self.out.join(safe_relative(path)?)).ok()
    }

    /// Carries a folder of the previous site over into the new one
    /// unchanged: checked now (exactly `count` files, only files and
    /// folders), moved at `finish`, so the previous site stays as it is
    /// until the new one replaces it. False if the check fails.
    pub fn carry(&self, folder: &str, count: usize) -> bool {
        let Some(relative) = safe_relative(folder) else {
            return false;
        };
        if self.dir.join(&relative).exists()
            || count_files(&self.out.join(&relative)).ok() != Some(count)
        {
            return false;
        }
        match self.carried.lock() {
            Ok(mut carried) => {
                carried.push(relative);
                true
            }
            Err(_) => false,
        }
    }

    /// Marks the folder as plansite's and swaps it in for the output; the
    /// previous site, swapped out, is removed when `self` drops.
    pub fn finish(self) -> Result<(), WriteError> {
        fs::write(
            self.dir.join(MARKER),
            "This folder is built by plansite; it is replaced on every build.\n",
        )
        .map_err(|e| {
            WriteError::Io(format!(
                "cannot write the marker in {}: {e}",
                self.dir.display()
            ))
        })?;
        let mut carried = std::mem::take(
            &mut *self
                .carried
                .lock()
                .map_err(|_| WriteError::Io("the list of carried folders was poisoned".into()))?,
        );
        // `.git` moves with them, under the same journal.
        if fs::symlink_metadata(self.out.join(".git")).is_ok() {
            carried.push(PathBuf::from(".git"));
        }
        self.move_carried(&carried)?;
        let swapped = swap(&self.out, &self.dir, &self.retired);
        if swapped.is_err() {
            // The previous site is still the output: give its folders back.
            move_back(&self.out, &self.dir, &carried);
        }
        let _ = fs::remove_file(&self.journal);
        swapped
    }

    /// Moves the carried folders from the previous site into this one,
    /// under a journal (replayed by `recover` if the process is killed
    /// here); on a failure, moves back what was moved.
    fn move_carried(&self, carried: &[PathBuf]) -> Result<(), WriteError> {
        if carried.is_empty() {
            return Ok(());
        }
        let list: String = carried
            .iter()
            .map(|c| format!("{}\n", c.to_string_lossy()))
            .collect();
        fs::write(&self.journal, list)
            .map_err(|e| WriteError::Io(format!("cannot write {}: {e}", self.journal.display())))?;
        for (i, folder) in carried.iter().enumerate() {
            let to = self.dir.join(folder);
            let moved = to
                .parent()
                .map_or(Ok(()), fs::create_dir_all)
                .and_then(|()| fs::rename(self.out.join(folder), &to));
            crate::guard::killed_at("carrying");
            if let Err(e) = moved {
                move_back(&self.out, &self.dir, &carried[..i]);
                let _ = fs::remove_file(&self.journal);
                return Err(WriteError::Io(format!(
                    "cannot carry {} over: {e}",
                    self.out.join(folder).display()
                )));
            }
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// Unfinished, the staging folder is a failed build; finished, it holds
    /// the previous site (or nothing). Either way it goes, but not with
    /// carried folders the output lacks (a panic while moving them): those
    /// go back first.
    fn drop(&mut self) {
        replay(&self.journal, &self.out, &self.dir);
        remove_tree(&self.dir);
    }
}

/// How many files a folder holds, all levels down. A symbolic link (which
/// plansite never writes) or anything but a file or folder is an error.
fn count_files(folder: &Path) -> io::Result<usize> {
    let mut files = 0;
    for entry in fs::read_dir(folder)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            files += count_files(&entry.path())?;
        } else if kind.is_file() {
            files += 1;
        } else {
            return Err(io::Error::other("not a file or a folder"));
        }
    }
    Ok(files)
}

/// Moves carried folders back from the new site to the previous one,
/// where they are not there already.
fn move_back(out: &Path, staging: &Path, carried: &[PathBuf]) {
    for folder in carried {
        let (from, to) = (staging.join(folder), out.join(folder));
        if from.is_dir() && !to.exists() {
            let _ = fs::rename(from, to);
        }
    }
}

/// Removes a folder and everything in it, the folders two levels down
/// (`plans/<slug>`, `archive/<week>`) in parallel: a large site is tens of
/// thousands of files.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let subfolders = |folder: &Path| -> Vec<PathBuf> {
        fs::read_dir(folder)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default()
    };
    let deep: Vec<PathBuf> = subfolders(dir)
        .iter()
        .flat_map(|folder| subfolders(folder))
        .collect();
    deep.par_iter().for_each(|folder| {
        let _ = fs::remove_dir_all(folder);
    });
    let _ = fs::remove_dir_all(dir);
}

/// Copies `CNAME` in (`.git` was moved in with the carried folders), then
/// exchanges the new site with the old.
fn swap(out: &Path, staging: &Path, retired: &Path) -> Result<(), WriteError> {
    let io = |what: &str, path: &Path, e: io::Error| {
        WriteError::Io(format!("cannot {what} {}: {e}", path.display()))
    };
    if !out.exists() {
        return fs::rename(staging, out).map_err(|e| io("move the new site to", out, e));
    }
    let cname = out.join("CNAME");
    if cname.is_file() {
        fs::copy(&cname, staging.join("CNAME")).map_err(|e| io("carry over", &cname, e))?;
    }
    if exchange(staging, out).is_ok() {
        // `staging` now holds the previous site, removed with `Staging`.
        return Ok(());
    }
    fs::rename(out, retired).map_err(|e| io("move aside", out, e))?;
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(retired, out);
        return Err(io("move the new site to", out, e));
    }
    let _ = fs::remove_dir_all(retired);
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::other("no atomic exchange on this system"))
}

/// Puts things back after a build that was killed halfway: the carried
/// folders and `.git` listed in the output's journal return to the output
/// when it lacks them (killed before the exchange; after it, the output is
/// the new site, which has them and no journal). Nothing else beside the
/// output is ever moved into it.
fn recover(out: &Path, staging: &Path, journal: &Path) {
    if out.is_dir() {
        replay(journal, out, staging);
    }
}

/// Moves the folders a journal lists back from `staging` to `out` where
/// `out` lacks them, and removes the journal.
fn replay(journal: &Path, out: &Path, staging: &Path) {
    if let Ok(list) = fs::read_to_string(journal) {
        let carried: Vec<PathBuf> = list.lines().filter_map(safe_relative).collect();
        move_back(out, staging, &carried);
        let _ = fs::remove_file(journal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(staging: &Staging, path: &str, bytes: &[u8]) {
        let file = OutputFile {
            path: path.into(),
            bytes: bytes.to_vec(),
        };
        staging.put(&file).expect("put");
    }

    #[test]
    fn carried_folders_move_at_finish_and_a_killed_move_is_put_back() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("public");
        let staging = Staging::begin(&out).expect("begin");
        put(&staging, "archive/W1/index.html", b"week");
        put(&staging, "archive/W1/plans/x/index.html", b"plan");
        put(&staging, "index.html", b"1");
        staging.finish().expect("finish");

        let staging = Staging::begin(&out).expect("begin");
        assert!(!staging.carry("archive/W1", 3), "a wrong count is refused");
        assert!(
            !staging.carry("archive/W2", 0),
            "a missing folder is refused"
        );
        assert!(staging.carry("archive/W1", 2));
        assert!(
            out.join("archive/W1/plans/x/index.html").is_file(),
            "untouched until finish"
        );
        put(&staging, "index.html", b"2");
        staging.finish().expect("finish");
        let read = |path: &str| fs::read(out.join(path)).expect("read");
        assert_eq!(read("archive/W1/plans/x/index.html"), b"plan");
        assert_eq!(read("index.html"), b"2");
        let parent = tmp.path();
        assert!(!out.join(JOURNAL).exists(), "no journal left");

        // Killed after moving the folder into the new site, before the
        // exchange: the next build puts it back first.
        let new = parent.join(".public.plansite-new");
        fs::create_dir_all(new.join("archive")).expect("mkdir");
        fs::rename(out.join("archive/W1"), new.join("archive/W1")).expect("move");
        fs::write(out.join(JOURNAL), "archive/W1\n").expect("journal");
        let staging = Staging::begin(&out).expect("begin");
        assert_eq!(read("archive/W1/plans/x/index.html"), b"plan");
        assert!(!out.join(JOURNAL).exists());
        drop(staging);
        assert_eq!(read("index.html"), b"2", "a dropped build changes nothing");
    }
}
