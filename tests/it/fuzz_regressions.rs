//! Inputs found by `cargo fuzz` (target `whole_path`, see fuzz/README.md),
//! minimised, run through the same path as the proptest
//! `whole_path_never_panics_and_emits_safe_pages` in props.rs: decode, read,
//! render the site for that one plan, then the same checks.

/// The whole path with the proptest's checks, under the default site.
fn whole_path(bytes: &[u8]) {
    let (config, theme) = super::default_site();
    if let Err(problem) = super::whole_path(bytes, &config, &theme) {
        panic!("{problem}");
    }
}

/// A C0 control character in a budget summary's column header reached the
/// budget chart's legend unescaped (`<text …>Budget \x06</text>`), so the
/// chart was not XML. Found as crash-1f1d8d82d74e97f6da05737bbeaeca136b8a9f69.
#[test]
fn control_character_in_budget_column_header() {
    whole_path(b"Phase|Budget \x06\n-|-\n||\xe2\x82\xac2");
}
