//! The whole per-file path, as the proptest
//! `whole_path_never_panics_and_emits_safe_pages` (tests/it/props.rs) runs it:
//! bytes -> decode -> front matter, Markdown, model -> render_site for that
//! one plan with the default config and theme -> every output file. No input
//! may panic it, rendering must succeed, every inline SVG chart in every file
//! must be well-formed XML and no HTML page may carry a `<script` but the
//! theme's own table script (`<script src="…assets/table.js" defer>`).

#![no_main]

use libfuzzer_sys::fuzz_target;
use plansite::config::Config;
use plansite::decode::decode;
use plansite::model::{build, Settings, Source};
use plansite::render::theme::Theme;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The default config and theme, built once per process.
fn site() -> &'static (Config, Theme) {
    static SITE: OnceLock<(Config, Theme)> = OnceLock::new();
    SITE.get_or_init(|| {
        // An empty folder: no site.toml, so every default. Rendering reads
        // nothing from disk, so the folder can go once both are loaded.
        let dir = tempfile::tempdir().expect("temp dir");
        let config = Config::load(dir.path()).expect("defaults");
        let theme = plansite::render::theme::load(&config)
            .unwrap_or_else(|_| panic!("the default theme loads"));
        (config, theme)
    })
}

/// Same as `inline_svgs` in tests/it/main.rs: the inline SVG charts of a
/// page, each from `<svg` to its `</svg>`.
fn inline_svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let Some(len) = rest[start..].find("</svg>") else {
            break;
        };
        let end = start + len + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

/// Same as `read_plan` in tests/it/main.rs.
fn read(text: String) -> Option<plansite::model::Plan> {
    let source = Source {
        path: "p.md".into(),
        display: "p.md".into(),
        stem: "p".into(),
        text,
    };
    build(&source, &Settings::default()).ok()
}

fuzz_target!(|bytes: &[u8]| {
    let (config, theme) = site();
    let (text, _) = decode(bytes);
    let Some(plan) = read(text.clone()) else {
        return;
    };
    let sources = HashMap::from([("p.md".to_string(), text)]);
    let plans = vec![plan];
    let input = plansite::render::SiteInput {
        config,
        theme,
        plans: &plans,
        sources: &sources,
        as_of: chrono::NaiveDate::from_ymd_opt(2025, 3, 10).expect("date"),
        history: &[],
        earlier: 0,
        memo: None,
        cards: None,
    };
    let files = Mutex::new(Vec::new());
    let sink = |f: plansite::output::OutputFile| {
        files.lock().expect("lock").push(f);
        Ok(())
    };
    let rendered = plansite::render::render_site(&input, &sink);
    assert!(rendered.is_ok(), "render_site failed: {rendered:?}");
    for file in files.into_inner().expect("files") {
        let text = String::from_utf8_lossy(&file.bytes).to_string();
        for svg in inline_svgs(&text) {
            if let Err(e) = roxmltree::Document::parse(svg) {
                panic!("a chart in {} is not XML: {e}\n{svg}", file.path);
            }
        }
        if file.path.ends_with(".html") {
            let theirs = without_theme_script(&text.to_lowercase());
            assert!(!theirs.contains("<script"), "{} has a script", file.path);
        }
    }
});

/// The page without the theme's table script tags (`<script src="`, `../`
/// steps, `assets/table.js" defer></script>`).
fn without_theme_script(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    let mut rest = lower;
    while let Some(at) = rest.find("<script src=\"") {
        out.push_str(&rest[..at]);
        let after = rest[at + "<script src=\"".len()..].trim_start_matches("../");
        match after.strip_prefix("assets/table.js\" defer></script>") {
            Some(after) => rest = after,
            None => {
                out.push_str("<script");
                rest = &rest[at + "<script".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}
