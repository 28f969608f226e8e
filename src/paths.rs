//! Safe relative paths: the one test that a path named in a file (a
//! site's output list, an archive manifest, a snapshot's plan list) stays
//! inside the folder it is joined to. Imports nothing of the crate: the
//! writer of the site and the archive's reader and writer use it.

use std::path::{Component, Path, PathBuf};

/// A path made only of normal components: no root, `..`, or drive.
pub fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains('\0') || path.contains('\\') {
        return None;
    }
    let candidate = Path::new(path);
    let mut out = PathBuf::new();
    for component in candidate.components() {
        match component {
            Component::Normal(part) => out.push(part),
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::safe_relative;

    #[test]
    fn only_plain_relative_paths_are_written() {
        assert!(safe_relative("plans/a/index.html").is_some());
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\b", "a\0b", "./"] {
            assert!(safe_relative(bad).is_none(), "{bad}");
        }
    }
}
