//! Slugs: the one rule that turns a name (a plan's file stem or `slug:`,
//! the site's title) into a safe URL and file name segment. Imports
//! nothing of the crate: the model names plans with it, and the feed names
//! its entries with it.

/// Lower-case letters and digits (any script, composed to NFC), runs of
/// anything else as one dash, at most 80 characters and 200 bytes (a file
/// name may hold 255). A name Windows reserves (`con`, `nul`, `com1`…)
/// gets `-plan` after it, so the site can be copied to any system.
pub fn slugify(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    // NFC first: `café` typed with a combining accent is the same URL.
    for c in text.nfc() {
        let before = out.len();
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() > 200 {
            out.truncate(before);
            break;
        }
        if out.chars().count() >= 80 {
            break;
        }
    }
    let slug = out.trim_end_matches('-').to_string();
    if is_reserved(&slug) {
        format!("{slug}-plan")
    } else {
        slug
    }
}

/// Device names Windows reserves whatever the extension.
fn is_reserved(slug: &str) -> bool {
    matches!(slug, "con" | "prn" | "aux" | "nul")
        || ((slug.starts_with("com") || slug.starts_with("lpt"))
            && slug.len() == 4
            && slug.as_bytes()[3].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Plan Ünïcode 2025"), "plan-ünïcode-2025");
        assert_eq!(slugify("CON."), "con-plan");
        assert_eq!(slugify("lpt1"), "lpt1-plan");
        assert_eq!(slugify("%2e%2e/%2e%2e"), "2e-2e-2e-2e");
        assert_eq!(slugify("a\u{0}b"), "a-b");
        assert_eq!(slugify("trailing. "), "trailing");
        assert!(slugify(&"é".repeat(300)).len() <= 200);
        assert!(slugify(&"x".repeat(300)).chars().count() <= 80);
        assert_eq!(slugify("Cafe\u{301} Plan"), slugify("Café plan"));
    }
}
