//! The shell of a protected site's page (`protected.html`): what a visitor
//! sees before unlocking, holding the page sealed. `site::protect` seals
//! the pages and calls this for each.

use super::page::render;
use super::theme::Theme;
use crate::diagnostic::Diagnostic;
use serde::Serialize;

/// What every shell of a build shares: the site's name and language (the
/// only words of the site a shell shows) and the key derivation's
/// parameters.
#[derive(Debug, Clone, Serialize)]
pub struct ShellSite {
    pub title: String,
    pub language: String,
    /// The build's salt, base64.
    pub salt: String,
    pub iterations: u32,
}

#[derive(Serialize)]
struct ShellView<'a> {
    site: &'a ShellSite,
    /// The sealed page, base64 (`nonce ‖ ciphertext ‖ tag`).
    payload: &'a str,
}

/// The shell holding `payload`.
pub fn shell(theme: &Theme, site: &ShellSite, payload: &str) -> Result<Vec<u8>, Diagnostic> {
    render(
        theme,
        "protected.html",
        &ShellView { site, payload },
        payload.len() + 8 * 1024,
    )
}
