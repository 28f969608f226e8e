//! How `serve` holds the site's files: each one LZ4-compressed in memory,
//! unpacked when it is asked for.
//!
//! The server keeps every file of the site, archived weeks included, and
//! pages compress about fourfold; held as they are, 100 plans with 52
//! weeks of history took about half a gigabyte. Files are packed by the
//! render threads as they are made, and unpacking one page takes
//! microseconds, which no request notices.

/// One file of the site, compressed.
pub struct Stored(Vec<u8>);

impl Stored {
    pub fn pack(bytes: &[u8]) -> Self {
        Stored(lz4_flex::compress_prepend_size(bytes))
    }

    /// The file as it was packed. (Only `pack` makes a `Stored`, so this
    /// cannot fail; if it ever did, the file would be served empty.)
    pub fn unpack(&self) -> Vec<u8> {
        lz4_flex::decompress_size_prepended(&self.0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Stored;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn unpack_gives_back_what_was_packed(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
            prop_assert_eq!(Stored::pack(&bytes).unpack(), bytes);
        }
    }

    #[test]
    fn a_page_is_held_in_far_fewer_bytes() {
        let page = "<li class=\"task done depth-0\"><span class=\"state\">[Done]</span> Set up the staging cluster</li>\n".repeat(200);
        let stored = Stored::pack(page.as_bytes());
        assert!(stored.0.len() * 4 < page.len(), "{} bytes", stored.0.len());
        assert_eq!(stored.unpack(), page.as_bytes());
    }
}
