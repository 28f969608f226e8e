//! A passphrase-protected site (`build --protect`, `[protect] enabled`):
//! the passphrase from the environment, and the filter every file of the
//! site passes on its way to the sink.
//!
//! - A page (`.html`) becomes a shell: the theme's `protected.html`, which
//!   names only the site, holding the page compressed (raw DEFLATE, fast
//!   level: ciphertext does not compress, so the host's gzip cannot) and
//!   then sealed (`crate::protect`), as base64. The shell's script opens it
//!   with the browser's Web Crypto and inflates it with its
//!   `DecompressionStream("deflate-raw")`.
//! - The theme's static files (`assets/`) and `.nojekyll` pass as they
//!   are: they come from the theme, not from a plan.
//! - Everything else is not written. Render leaves out what it knows a
//!   protected site has no use for (the JSON models, the calendars, the
//!   feed, the sitemap, the cards: each is read by a program that cannot
//!   unlock it); this filter is the backstop, so a file render gains later
//!   is withheld rather than published in the clear.

use crate::config::{Config, Protect};
use crate::diagnostic::Diagnostic;
use crate::error::Failure;
use crate::output::OutputFile;
use crate::protect::{Names, ProtectError, Sealer};
use crate::render::{self, theme::Theme};
use base64::Engine as _;

/// The environment variable the passphrase is read from.
pub const PASSPHRASE_VAR: &str = "PLANSITE_PASSPHRASE";

/// One run's keys: the page key over this run's random salt, and the key
/// of opaque folder names when asked for.
pub struct Protection {
    sealer: Sealer,
    names: Option<Names>,
}

impl Protection {
    /// The protection `config` asks for, with the passphrase from
    /// `PLANSITE_PASSPHRASE`; `None` when the site is not protected. A
    /// missing or short passphrase is a usage error (exit 2).
    pub fn from_env(config: &Config) -> Result<Option<Protection>, Failure> {
        if !config.protect.enabled {
            return Ok(None);
        }
        let usage = |message: String| Failure::usage(Diagnostic::error("--protect", 0, 0, message));
        let passphrase = match std::env::var(PASSPHRASE_VAR) {
            Ok(p) if !p.is_empty() => p,
            Ok(_) | Err(std::env::VarError::NotPresent) => {
                return Err(usage(format!(
                    "a protected site needs its passphrase in the environment variable \
                     {PASSPHRASE_VAR} (never in a file of the repository or on the command \
                     line; in CI, a repository secret)"
                )))
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(usage(format!("{PASSPHRASE_VAR} is not valid UTF-8")))
            }
        };
        Protection::new(&passphrase, &config.protect)
            .map(Some)
            .map_err(|e| usage(format!("{PASSPHRASE_VAR}: {e}")))
    }

    /// The keys for `passphrase` (at least `protect::MIN_CHARS` long).
    pub fn new(passphrase: &str, settings: &Protect) -> Result<Protection, ProtectError> {
        // Both keys are slow to derive on purpose; side by side.
        let (sealer, names) = rayon::join(
            || Sealer::new(passphrase, settings.iterations),
            || {
                settings
                    .opaque_urls
                    .then(|| Names::new(passphrase, settings.iterations))
            },
        );
        Ok(Protection {
            sealer: sealer?,
            names,
        })
    }

    /// The names of plan folders, when they are opaque.
    pub fn names(&self) -> Option<&Names> {
        self.names.as_ref()
    }
}

/// What becomes of one file of a protected site.
pub(super) enum Sealed {
    /// Written: a page's shell, or a static file as it was.
    Keep(OutputFile),
    /// Not written.
    Withhold,
}

/// The filter, with what every shell shares.
pub(super) struct Sealing<'a> {
    protection: &'a Protection,
    theme: &'a Theme,
    site: render::ShellSite,
}

impl<'a> Sealing<'a> {
    /// The filter for a site of `config` in `theme`. Renders one empty
    /// shell first, so a broken `protected.html` is a template error before
    /// any page is made.
    pub fn new(
        protection: &'a Protection,
        theme: &'a Theme,
        config: &Config,
    ) -> Result<Sealing<'a>, Diagnostic> {
        let base64 = base64::engine::general_purpose::STANDARD;
        let site = render::ShellSite {
            title: config.title.clone(),
            language: config.language.clone(),
            salt: base64.encode(protection.sealer.salt()),
            iterations: protection.sealer.iterations(),
        };
        let sealing = Sealing {
            protection,
            theme,
            site,
        };
        render::shell(sealing.theme, &sealing.site, "")?;
        Ok(sealing)
    }

    /// `file` as a protected site has it. An error is why a page could not
    /// be sealed.
    pub fn seal(&self, file: OutputFile) -> Result<Sealed, String> {
        if file.path.ends_with(".html") {
            let sealed = self
                .protection
                .sealer
                .seal(&deflate(&file.bytes)?)
                .map_err(|e| e.to_string())?;
            let payload = base64::engine::general_purpose::STANDARD.encode(sealed);
            let bytes = render::shell(self.theme, &self.site, &payload)
                .map_err(|d| format!("{}: {}", file.path, d.message))?;
            Ok(Sealed::Keep(OutputFile {
                path: file.path,
                bytes,
            }))
        } else if file.path.starts_with("assets/") || file.path == ".nojekyll" {
            Ok(Sealed::Keep(file))
        } else {
            Ok(Sealed::Withhold)
        }
    }
}

/// `page` compressed as raw DEFLATE (no zlib or gzip frame), fast level:
/// a plan page shrinks to about a sixth.
fn deflate(page: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write as _;
    let mut encoder = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(page.len() / 4),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(page)
        .and_then(|()| encoder.finish())
        .map_err(|e| format!("cannot compress a page: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protect::Sealer;

    const PASS: &str = "correct horse battery staple";

    fn settings() -> Protect {
        Protect {
            enabled: true,
            opaque_urls: true,
            iterations: 1_000,
        }
    }

    #[test]
    fn pages_are_sealed_statics_kept_and_the_rest_withheld() {
        let config = Config::load(std::path::Path::new("/nonexistent")).expect("defaults");
        let theme = render::theme::load(&config).unwrap_or_else(|_| panic!("default theme"));
        let protection = Protection::new(PASS, &settings()).expect("keys");
        let sealing = Sealing::new(&protection, &theme, &config).expect("shell renders");
        let page = OutputFile {
            path: "plans/acme/index.html".into(),
            bytes: b"<h1>Acquisition of Acme</h1><p>$1,250,000</p>".to_vec(),
        };
        let Ok(Sealed::Keep(shell)) = sealing.seal(page.clone()) else {
            panic!("a page is kept, sealed");
        };
        assert_eq!(shell.path, page.path);
        let text = String::from_utf8(shell.bytes).expect("utf-8");
        assert!(!text.contains("Acquisition") && !text.contains("1,250"));
        // The payload opens to the page with the passphrase and the salt
        // the shell names.
        let payload = text
            .split("id=\"sealed\"")
            .nth(1)
            .and_then(|rest| rest.split_once('>'))
            .and_then(|(_, rest)| rest.split_once('<'))
            .map(|(payload, _)| payload.trim())
            .expect("a sealed payload");
        let sealed = base64::engine::general_purpose::STANDARD
            .decode(payload)
            .expect("base64");
        let opener = Sealer::with_salt(PASS, *protection.sealer.salt(), 1_000);
        let deflated = opener.open(&sealed).expect("opens");
        let mut inflated = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::DeflateDecoder::new(&deflated[..]),
            &mut inflated,
        )
        .expect("raw DEFLATE");
        assert_eq!(inflated, page.bytes);
        for path in ["assets/style.css", ".nojekyll"] {
            let file = OutputFile {
                path: path.into(),
                bytes: b"x".to_vec(),
            };
            assert!(matches!(sealing.seal(file), Ok(Sealed::Keep(_))), "{path}");
        }
        for path in [
            "plans/acme/plan.json",
            "feed.xml",
            "sitemap.xml",
            "card.png",
        ] {
            let file = OutputFile {
                path: path.into(),
                bytes: b"Acme".to_vec(),
            };
            assert!(matches!(sealing.seal(file), Ok(Sealed::Withhold)), "{path}");
        }
    }
}
