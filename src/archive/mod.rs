//! Archive: weekly snapshots of the plans. `snapshot` writes one (its own
//! single writer, beside `write` for the site); `read` loads them for the
//! build, reporting damage as warnings. Layout:
//!
//! ```text
//! archive/
//!   2025-W10/
//!     manifest.json          week, creation time, version, note, SHA-256 of
//!                            every file, each plan's headline figures
//!     plans/<path>.md        the plan sources, byte for byte
//!   2025-W10.replaced-1/     a snapshot set aside by --replace (never deleted)
//! ```

mod read;
mod snapshot;
mod week;

pub use read::{list_archive, Listing, Snapshot};
pub use snapshot::{take, SnapshotError, SnapshotRequest};
pub use week::{WeekKey, YEARS};

use serde::{Deserialize, Serialize};

/// The manifest of one snapshot (`manifest.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: u32,
    pub week: String,
    /// When the snapshot was taken (RFC 3339, UTC).
    pub created: String,
    pub plansite: String,
    pub note: Option<String>,
    pub files: Vec<ManifestFile>,
    pub plans: Vec<Headline>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Path under the snapshot's `plans/` folder, `/`-separated.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// A plan's headline figures at the time of the snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    pub slug: String,
    pub title: String,
    pub source: String,
    pub done: usize,
    pub total: usize,
    /// The budget in major units (a JSON number: `50400`, `2400.5`), with
    /// its currency.
    pub budget: Option<serde_json::Value>,
    pub currency: Option<String>,
    pub status: Option<String>,
    pub decision: Option<String>,
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// `bytes` in lower-case hex (a digest, for keys and manifests).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
