//! The files a site is made of, as values: what `render` makes, `write`
//! stores in its staging folder and `serve` holds in memory. A leaf: it
//! imports nothing of the crate.

/// One file of the site, by its path under the output folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered files go as soon as they are made (the staging folder of
/// `write`, or memory for `serve`), so a large site is never held whole.
/// An error is the reason the file could not be kept (a disk problem).
pub type Sink<'a> = &'a (dyn Fn(OutputFile) -> Result<(), String> + Sync);
