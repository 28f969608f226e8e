//! The encryption format of a passphrase-protected site: each page is
//! sealed with AES-256-GCM under one key per build, derived from the
//! passphrase with PBKDF2-HMAC-SHA256 over a random salt; each page has
//! its own random 96-bit nonce. These are the primitives the browser's Web
//! Crypto API has (`deriveKey` with PBKDF2, `decrypt` with AES-GCM), so a
//! page can be opened with no JavaScript library.
//!
//! A sealed page is, as bytes: `nonce (12) ‖ ciphertext ‖ tag (16)`, the
//! form Web Crypto's AES-GCM takes and gives (the tag appended). The salt
//! and the iteration count are the build's (`Sealer::salt`,
//! `Sealer::iterations`), written once beside the pages.
//!
//! `Names` gives plan folders opaque names (`[protect] opaque_urls`): an
//! HMAC-SHA256 of the slug under a second key derived from the passphrase
//! over a fixed salt, so a folder keeps its name from build to build while
//! the passphrase stays, and a name tells nothing without it.
//!
//! `site::protect` wraps a build's files in these; the browser's half is
//! the theme's `protected.html`. A leaf module: it imports nothing of the
//! crate.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The fewest PBKDF2 iterations a site is sealed with (OWASP's figure for
/// PBKDF2-HMAC-SHA256).
pub const ITERATIONS: u32 = 600_000;
/// The shortest passphrase accepted, in characters.
pub const MIN_CHARS: usize = 12;
/// Bytes of salt (per build) and of nonce (per page).
pub const SALT_LEN: usize = 16;
pub const NONCE_LEN: usize = 12;
/// Bytes of the authentication tag AES-GCM appends.
pub const TAG_LEN: usize = 16;

/// Why a site cannot be sealed or a page opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtectError {
    /// The passphrase is shorter than `MIN_CHARS` characters.
    TooShort(usize),
    /// The operating system gave no random bytes.
    NoRandom(String),
    /// The sealed bytes are not a page sealed under this key (a wrong
    /// passphrase, or bytes changed after sealing).
    NotAuthentic,
}

impl std::fmt::Display for ProtectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProtectError::TooShort(n) => write!(
                f,
                "the passphrase has {n} characters; at least {MIN_CHARS} are needed, since anyone \
                 can copy the site and try passphrases offline"
            ),
            ProtectError::NoRandom(why) => write!(f, "no random bytes from the system: {why}"),
            ProtectError::NotAuthentic => {
                write!(f, "wrong passphrase, or the page was changed after sealing")
            }
        }
    }
}

impl std::error::Error for ProtectError {}

/// Checks a passphrase's length (in characters, not bytes).
pub fn check_passphrase(passphrase: &str) -> Result<(), ProtectError> {
    let chars = passphrase.chars().count();
    if chars < MIN_CHARS {
        return Err(ProtectError::TooShort(chars));
    }
    Ok(())
}

/// The 256-bit key PBKDF2-HMAC-SHA256 derives from `passphrase` (its UTF-8
/// bytes, as `TextEncoder` gives them in the browser).
pub fn derive_key(passphrase: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    pbkdf2::pbkdf2_hmac_array::<Sha256, 32>(passphrase.as_bytes(), salt, iterations)
}

/// Random bytes from the operating system.
fn random<const N: usize>() -> Result<[u8; N], ProtectError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ProtectError::NoRandom(e.to_string()))?;
    Ok(bytes)
}

/// One build's key: derived once (the derivation is slow on purpose),
/// then used for every page with a fresh nonce.
pub struct Sealer {
    cipher: Aes256Gcm,
    salt: [u8; SALT_LEN],
    iterations: u32,
}

impl Sealer {
    /// A key for this build from `passphrase`, over a new random salt.
    pub fn new(passphrase: &str, iterations: u32) -> Result<Sealer, ProtectError> {
        check_passphrase(passphrase)?;
        let salt = random::<SALT_LEN>()?;
        Ok(Sealer::with_salt(passphrase, salt, iterations))
    }

    /// A key from `passphrase` over a given salt (opening what was sealed).
    pub fn with_salt(passphrase: &str, salt: [u8; SALT_LEN], iterations: u32) -> Sealer {
        let key = derive_key(passphrase, &salt, iterations);
        Sealer {
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)),
            salt,
            iterations,
        }
    }

    pub fn salt(&self) -> &[u8; SALT_LEN] {
        &self.salt
    }

    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// `page` sealed: `nonce ‖ ciphertext ‖ tag`, with a new random nonce.
    pub fn seal(&self, page: &[u8]) -> Result<Vec<u8>, ProtectError> {
        let nonce = random::<NONCE_LEN>()?;
        // Encryption fails only for inputs beyond GCM's 64 GiB limit.
        let sealed = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), page)
            .map_err(|_| ProtectError::NotAuthentic)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The page `sealed` holds, if it was sealed under this key and not
    /// changed since.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, ProtectError> {
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return Err(ProtectError::NotAuthentic);
        }
        let (nonce, rest) = sealed.split_at(NONCE_LEN);
        self.cipher
            .decrypt(Nonce::from_slice(nonce), rest)
            .map_err(|_| ProtectError::NotAuthentic)
    }
}

/// The fixed salt of the key behind opaque names (not the build's: a
/// name must outlive a build).
const NAMES_SALT: &[u8] = b"plansite opaque folder names, v1";
/// Bytes of HMAC kept for a name (80 bits: 20 hexadecimal digits).
const NAME_BYTES: usize = 10;

/// Opaque names for plan folders, from the passphrase.
pub struct Names {
    mac: Hmac<Sha256>,
}

impl Names {
    pub fn new(passphrase: &str, iterations: u32) -> Names {
        // HMAC pads a key shorter than the hash's block (64 bytes) with
        // zeros; padding it here gives the fixed-size key `new` takes.
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(&derive_key(passphrase, NAMES_SALT, iterations));
        Names {
            mac: <Hmac<Sha256> as KeyInit>::new(&block.into()),
        }
    }

    /// The folder name of the plan `slug`: 20 lowercase hexadecimal digits.
    pub fn name(&self, slug: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(slug.as_bytes());
        let digest = mac.finalize().into_bytes();
        digest[..NAME_BYTES]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Few iterations in tests: the count is a parameter of the format,
    // and 600,000 in a debug build would take seconds a test.
    const FEW: u32 = 1_000;
    const PASS: &str = "correct horse battery staple";

    #[test]
    fn a_sealed_page_opens_with_the_same_passphrase_and_salt() {
        let sealer = Sealer::new(PASS, FEW).expect("seal");
        let page = "<h1>Acquisition plan</h1> $1,250,000".as_bytes();
        let sealed = sealer.seal(page).expect("sealed");
        assert_eq!(sealed.len(), NONCE_LEN + page.len() + TAG_LEN);
        assert!(!sealed.windows(11).any(|w| w == b"Acquisition"));
        let opener = Sealer::with_salt(PASS, *sealer.salt(), FEW);
        assert_eq!(opener.open(&sealed).expect("opens"), page);
    }

    #[test]
    fn a_changed_byte_or_a_wrong_passphrase_fails_authentication() {
        let sealer = Sealer::new(PASS, FEW).expect("seal");
        let sealed = sealer.seal(b"budget: $18,000").expect("sealed");
        for at in [0, NONCE_LEN, sealed.len() - 1] {
            let mut changed = sealed.clone();
            changed[at] ^= 1;
            assert_eq!(sealer.open(&changed), Err(ProtectError::NotAuthentic));
        }
        let wrong = Sealer::with_salt("correct horse battery stapler", *sealer.salt(), FEW);
        assert_eq!(wrong.open(&sealed), Err(ProtectError::NotAuthentic));
        assert_eq!(sealer.open(&sealed[..20]), Err(ProtectError::NotAuthentic));
    }

    #[test]
    fn each_page_gets_its_own_nonce_and_each_build_its_own_salt() {
        let a = Sealer::new(PASS, FEW).expect("seal");
        let b = Sealer::new(PASS, FEW).expect("seal");
        assert_ne!(a.salt(), b.salt());
        let (one, two) = (a.seal(b"same").expect("1"), a.seal(b"same").expect("2"));
        assert_ne!(one[..NONCE_LEN], two[..NONCE_LEN]);
        assert_ne!(one, two);
    }

    #[test]
    fn opaque_names_are_stable_per_passphrase_and_say_nothing_of_the_slug() {
        let names = Names::new(PASS, FEW);
        let name = names.name("acquisition-of-acme");
        assert_eq!(name.len(), 20);
        assert!(name
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(Names::new(PASS, FEW).name("acquisition-of-acme"), name);
        assert_ne!(names.name("acquisition-of-acmf"), name);
        assert_ne!(
            Names::new("another passphrase", FEW).name("acquisition-of-acme"),
            name
        );
    }

    #[test]
    fn short_passphrases_are_refused_counting_characters() {
        assert_eq!(
            check_passphrase("elevenchars"),
            Err(ProtectError::TooShort(11))
        );
        // Twelve characters, more bytes: accepted.
        assert_eq!(check_passphrase("ééééééééééé1"), Ok(()));
        assert!(Sealer::new("short", FEW).is_err());
    }

    #[test]
    fn the_key_is_pbkdf2_hmac_sha256_as_published() {
        // RFC 7914 section 11's PBKDF2-HMAC-SHA256 vector ("passwd",
        // "salt", 1 iteration), first 32 bytes of its 64.
        let key = derive_key("passwd", b"salt", 1);
        assert_eq!(
            crate_hex(&key),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    fn crate_hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
