//! Reusing link-preview cards between builds. Drawing a card (its SVG
//! rasterised to a 1200×630 PNG) costs far more than the rest of a plan's
//! page, so a build keeps the last build's card when what it would draw
//! is the same: each card is keyed by a hash of its drawing (the exact SVG
//! text, which holds every word and figure it shows) and of the drawing's
//! means (`raster::VERSION`: the font and the rasteriser). The keys, with
//! each card's size, are kept in `.plansite-cache.json` with the archived
//! weeks' (`reuse::Records::cards`); a card whose key is unchanged and
//! whose file is still the same size is put into the new site as it is
//! (`Previous::keep_file`), and any other card is drawn again.

use super::reuse::{CardRecord, Previous};
use crate::archive::hex;
use crate::render::CardStore;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The cards of one build: those of the last build it may keep, and
/// those it kept or drew, for the next.
pub struct Cards<'a> {
    previous: Option<&'a dyn Previous>,
    last: BTreeMap<String, CardRecord>,
    now: Mutex<BTreeMap<String, CardRecord>>,
    kept: AtomicUsize,
    drawn: AtomicUsize,
}

/// How many cards a build kept from the last one, and how many it drew.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub kept: usize,
    pub drawn: usize,
}

/// A card's key: what it is drawn from, and with what.
pub fn key(svg: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(crate::raster::VERSION.as_bytes());
    hash.update([0]);
    hash.update(svg.as_bytes());
    hex(&hash.finalize())
}

impl<'a> Cards<'a> {
    /// The cards the last build recorded (`last`), kept from `previous`.
    pub fn new(previous: Option<&'a dyn Previous>, last: BTreeMap<String, CardRecord>) -> Self {
        Cards {
            previous,
            last,
            now: Mutex::default(),
            kept: AtomicUsize::new(0),
            drawn: AtomicUsize::new(0),
        }
    }

    /// The records for the next build, and the counts.
    pub fn finish(self) -> (BTreeMap<String, CardRecord>, Counts) {
        let counts = Counts {
            kept: self.kept.into_inner(),
            drawn: self.drawn.into_inner(),
        };
        (self.now.into_inner().unwrap_or_default(), counts)
    }

    fn note(&self, path: &str, record: CardRecord) {
        if let Ok(mut now) = self.now.lock() {
            now.insert(path.to_string(), record);
        }
    }
}

impl CardStore for Cards<'_> {
    fn reuse(&self, path: &str, svg: &str) -> bool {
        let (Some(previous), Some(last)) = (self.previous, self.last.get(path)) else {
            return false;
        };
        if last.key != key(svg) || !previous.keep_file(path, last.bytes) {
            return false;
        }
        self.note(path, last.clone());
        self.kept.fetch_add(1, Ordering::Relaxed);
        true
    }

    fn drawn(&self, path: &str, svg: &str, bytes: usize) {
        let record = CardRecord {
            key: key(svg),
            bytes: bytes as u64,
        };
        self.note(path, record);
        self.drawn.fetch_add(1, Ordering::Relaxed);
    }
}
