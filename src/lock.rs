//! Lock files: one writer at a time for the archive (`snapshot`) and for
//! an output folder (`build`).
//!
//! On Linux a lock is an `flock` on the lock file, held for the run's life:
//! it is held if and only if a live process holds it, so a lock left by a
//! killed run is taken over whatever process id it names (a reused id, PID
//! 1 in a container, a lock file committed to the repository). The file is
//! opened without following a link and must be a regular file; it holds the
//! owner's process id only for the messages. Elsewhere, the lock is the
//! file's existence (made with `create_new`) and names its owner's process
//! id; with no portable way to tell a live owner, a lock left by a killed
//! run there is removed by hand (the message names the file).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Held while writing; the file goes when it drops.
pub struct Lock {
    path: PathBuf,
    /// The open lock file, whose `flock` is the lock (Linux); released
    /// when it closes, after the file is removed.
    #[cfg(target_os = "linux")]
    _file: fs::File,
}

#[derive(Debug)]
pub enum LockError {
    /// Another run holds the lock (exit 3).
    Busy(String),
    /// The lock file could not be made (exit 1).
    Io(String),
}

fn busy(path: &Path, what: &str) -> LockError {
    let owner = fs::read_to_string(path).unwrap_or_default();
    let pid = owner.trim();
    if pid.is_empty() || !pid.chars().all(|c| c.is_ascii_digit()) {
        LockError::Busy(format!(
            "another plansite {what} is running ({} is locked); nothing was written",
            path.display()
        ))
    } else {
        LockError::Busy(format!(
            "another plansite {what} is running (process {pid} holds {}); nothing was written",
            path.display()
        ))
    }
}

impl Lock {
    /// Takes the lock at `path`; `what` names the command in messages.
    #[cfg(target_os = "linux")]
    pub fn acquire(path: &Path, what: &str) -> Result<Lock, LockError> {
        use rustix::fs::{flock, fstat, ftruncate, openat, statat, AtFlags, FileType};
        use rustix::fs::{FlockOperation, Mode, OFlags, CWD};
        use rustix::io::Errno;
        let io = |e: Errno| LockError::Io(format!("cannot take the lock {}: {e}", path.display()));
        let flags = OFlags::RDWR
            | OFlags::CREATE
            | OFlags::NOFOLLOW
            | OFlags::NONBLOCK
            | OFlags::NOCTTY
            | OFlags::CLOEXEC;
        for _ in 0..8 {
            let fd = match openat(CWD, path, flags, Mode::from_raw_mode(0o644)) {
                Ok(fd) => fd,
                Err(Errno::LOOP) => {
                    // A link where the lock goes is no lock plansite made:
                    // the link goes (never what it points to).
                    fs::remove_file(path).map_err(|e| {
                        LockError::Io(format!("cannot remove the link {}: {e}", path.display()))
                    })?;
                    continue;
                }
                Err(e) => return Err(io(e)),
            };
            let stat = fstat(&fd).map_err(io)?;
            if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
                return Err(LockError::Io(format!(
                    "cannot take the lock {}: it is not a regular file",
                    path.display()
                )));
            }
            match flock(&fd, FlockOperation::NonBlockingLockExclusive) {
                Ok(()) => {}
                Err(Errno::WOULDBLOCK) => return Err(busy(path, what)),
                Err(e) => return Err(io(e)),
            }
            // The run that held it may have removed the file as it let
            // go, and another run made a new one: the lock is the file at
            // the path, so on a removed one, start again.
            let same = statat(CWD, path, AtFlags::SYMLINK_NOFOLLOW)
                .is_ok_and(|now| now.st_dev == stat.st_dev && now.st_ino == stat.st_ino);
            if !same {
                continue;
            }
            ftruncate(&fd, 0).map_err(io)?;
            let mut file = fs::File::from(fd);
            let _ = writeln!(file, "{}", std::process::id());
            return Ok(Lock {
                path: path.to_path_buf(),
                _file: file,
            });
        }
        Err(LockError::Busy(format!(
            "cannot take the lock {}",
            path.display()
        )))
    }

    /// Takes the lock at `path`; `what` names the command in messages.
    #[cfg(not(target_os = "linux"))]
    pub fn acquire(path: &Path, what: &str) -> Result<Lock, LockError> {
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(mut file) => {
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(Lock {
                        path: path.to_path_buf(),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let owner = fs::read_to_string(path).unwrap_or_default();
                    let pid = owner.trim();
                    if pid.is_empty() {
                        // Created an instant ago by a run that has not
                        // written its id yet: it is running.
                        return Err(LockError::Busy(format!(
                            "another plansite {what} is starting ({} exists); nothing was written",
                            path.display()
                        )));
                    }
                    if pid.chars().all(|c| c.is_ascii_digit()) {
                        return Err(busy(path, what));
                    }
                    let _ = fs::remove_file(path);
                }
                Err(e) => {
                    return Err(LockError::Io(format!(
                        "cannot create the lock {}: {e}",
                        path.display()
                    )))
                }
            }
        }
        Err(LockError::Busy(format!(
            "cannot take the lock {}",
            path.display()
        )))
    }
}

impl Drop for Lock {
    /// The file goes first, then the lock is released (the handle closes
    /// after this): a run waiting on the old file sees it removed and
    /// starts again.
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_a_stale_lock_is_taken_over() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let path = tmp.path().join(".lock");
        let first = Lock::acquire(&path, "test").expect("free");
        assert!(matches!(
            Lock::acquire(&path, "test"),
            Err(LockError::Busy(_))
        ));
        drop(first);
        assert!(!path.exists(), "the file goes with the lock");
        // A lock file naming a process that runs (this one), but held by
        // nobody: on Linux it is taken over.
        fs::write(&path, format!("{}\n", std::process::id())).expect("write");
        let taken = Lock::acquire(&path, "test");
        assert_eq!(taken.is_ok(), cfg!(target_os = "linux"));
    }
}
