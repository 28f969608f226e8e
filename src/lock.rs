//! Lock files: one writer at a time for the archive (`snapshot`) and for
//! an output folder (`build`). A lock holds its owner's process id; a lock
//! left by a process that no longer runs (a killed run) is taken over.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Held while writing; the file goes when it drops.
pub struct Lock(PathBuf);

#[derive(Debug)]
pub enum LockError {
    /// Another run holds the lock (exit 3).
    Busy(String),
    /// The lock file could not be made (exit 1).
    Io(String),
}

impl Lock {
    /// Takes the lock at `path`; `what` names the command in messages.
    pub fn acquire(path: &Path, what: &str) -> Result<Lock, LockError> {
        for _ in 0..2 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(mut file) => {
                    let _ = writeln!(file, "{}", std::process::id());
                    return Ok(Lock(path.to_path_buf()));
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
                    if is_running(pid) {
                        return Err(LockError::Busy(format!("another plansite {what} is running (process {pid} holds {}); nothing was written", path.display())));
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
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn is_running(pid: &str) -> bool {
    if !pid.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid).exists()
    } else {
        true
    }
}
