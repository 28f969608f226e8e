//! Inputs found by `cargo fuzz` (target `whole_path`, see fuzz/README.md),
//! minimised, run through the same path as the proptest
//! `whole_path_never_panics_and_emits_safe_pages` in props.rs: decode, read,
//! render the site for that one plan, then the same checks.

use plansite::decode::decode;
use plansite::model::{build, Settings, Source};

/// The whole per-file path for one input, with the checks of the proptest:
/// no panic, rendering succeeds, every inline SVG chart is well-formed XML
/// and no HTML page carries a script. An input that is not a plan passes.
fn whole_path(bytes: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = plansite::config::Config::load(dir.path()).expect("defaults");
    let theme = plansite::render::theme::load(&config)
        .unwrap_or_else(|_| panic!("the default theme loads"));
    let (text, _) = decode(bytes);
    let source = Source {
        path: "p.md".into(),
        display: "p.md".into(),
        stem: "p".into(),
        text: text.clone(),
    };
    let Ok(plan) = build(&source, &Settings::default()) else {
        return;
    };
    let sources = std::collections::HashMap::from([("p.md".to_string(), text)]);
    let plans = vec![plan];
    let input = plansite::render::SiteInput {
        config: &config,
        theme: &theme,
        plans: &plans,
        sources: &sources,
        as_of: chrono::NaiveDate::from_ymd_opt(2025, 3, 10).expect("date"),
        history: &[],
        memo: None,
    };
    let files = std::sync::Mutex::new(Vec::new());
    let sink = |f: plansite::render::OutputFile| {
        files.lock().expect("lock").push(f);
        Ok(())
    };
    let rendered = plansite::render::render_site(&input, &sink);
    assert!(rendered.is_ok(), "render_site failed: {rendered:?}");
    for file in files.into_inner().expect("files") {
        let text = String::from_utf8_lossy(&file.bytes).to_string();
        for svg in super::inline_svgs(&text) {
            if let Err(e) = roxmltree::Document::parse(svg) {
                panic!("a chart in {} is not XML: {e}\n{svg}", file.path);
            }
        }
        if file.path.ends_with(".html") {
            assert!(
                !text.to_lowercase().contains("<script"),
                "{} has a script",
                file.path
            );
        }
    }
}

/// A C0 control character in a budget summary's column header reached the
/// budget chart's legend unescaped (`<text …>Budget \x06</text>`), so the
/// chart was not XML. Found as crash-1f1d8d82d74e97f6da05737bbeaeca136b8a9f69.
#[test]
fn control_character_in_budget_column_header() {
    whole_path(b"Phase|Budget \x06\n-|-\n||\xe2\x82\xac2");
}
