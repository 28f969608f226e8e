//! Link-preview cards through the real binary: the PNGs decode at
//! 1200×630 and are not blank, every page names its card in tags a
//! parser reads (absolute when the base URL is), `[cards] enabled =
//! false` turns them off, and a second build keeps the cards whose
//! drawing did not change (the same file, not drawn again).

use super::{plansite, site_with};
use resvg::tiny_skia::Pixmap;
use std::collections::HashSet;
use std::fs;
#[cfg(unix)]
use std::os::unix::fs::MetadataExt;
use std::path::Path;

const LATE: &str = "---\nstart: 2025-03-03\n---\n# Late Plan\n\n## Week 1-2: Build\n\n**Budget:** $10,000\n\n- [x] one\n- [ ] two\n- [ ] three\n\n## Week 3-4: Ship\n\n**Budget:** $10,000\n\n- [ ] four\n";

fn long_title() -> String {
    format!(
        "# {} <script>alert(1)</script> & \"quotes\"\n\n## Week 1: A\n\n- [x] a\n- [ ] b\n",
        "A Very Long Plan Title That Goes On ".repeat(40)
    )
}

fn build(dir: &Path, extra: &[&str]) -> String {
    build_on(dir, "2025-03-19", extra)
}

fn build_on(dir: &Path, as_of: &str, extra: &[&str]) -> String {
    let output = plansite()
        .args(["build", "--as-of", as_of, "--root"])
        .arg(dir)
        .args(extra)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The card's pixels, after checking it is a 1200×630 picture with text.
fn card(path: &Path) -> Pixmap {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pixmap = Pixmap::decode_png(&bytes).expect("a PNG");
    assert_eq!(
        (pixmap.width(), pixmap.height()),
        (1200, 630),
        "{}",
        path.display()
    );
    let colours: HashSet<[u8; 4]> = pixmap
        .pixels()
        .iter()
        .map(|p| [p.red(), p.green(), p.blue(), p.alpha()])
        .collect();
    assert!(
        colours.len() > 50,
        "{}: {} colours",
        path.display(),
        colours.len()
    );
    let dark = pixmap
        .pixels()
        .iter()
        .filter(|p| u16::from(p.red()) + u16::from(p.green()) + u16::from(p.blue()) < 200)
        .count();
    assert!(
        dark > 5_000,
        "{}: text drawn ({dark} dark pixels)",
        path.display()
    );
    pixmap
}

/// `content` of the `<meta>` whose `property` or `name` is `key`.
fn meta(html: &str, key: &str) -> Option<String> {
    let page = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("head meta").expect("selector");
    let found = page
        .select(&selector)
        .find(|m| m.value().attr("property") == Some(key) || m.value().attr("name") == Some(key));
    found.and_then(|m| m.value().attr("content").map(str::to_string))
}

#[test]
fn every_plan_and_the_dashboard_have_a_card_that_decodes_and_shows_text() {
    let long = long_title();
    let dir = site_with(&[("late.md", LATE), ("long.md", &long)]);
    let summary = build(dir.path(), &[]);
    assert!(summary.contains("3 card(s) drawn, 0 kept"), "{summary}");
    let public = dir.path().join("public");
    let red = card(&public.join("plans/late/card.png"));
    // The stripe down the left is the status's colour (red: #b42318).
    let stripe = red.pixel(5, 300).expect("pixel");
    assert_eq!(
        (stripe.red(), stripe.green(), stripe.blue()),
        (0xb4, 0x23, 0x18)
    );
    card(&public.join("plans/long/card.png"));
    card(&public.join("card.png"));
}

#[test]
fn pages_name_their_card_absolutely_when_the_base_url_is_absolute() {
    let dir = site_with(&[("late.md", LATE)]);
    build(
        dir.path(),
        &["--base-url", "https://plans.example.org/eng/"],
    );
    let public = dir.path().join("public");
    let page = fs::read_to_string(public.join("plans/late/index.html")).expect("page");
    assert_eq!(
        meta(&page, "og:image").as_deref(),
        Some("https://plans.example.org/eng/plans/late/card.png")
    );
    assert_eq!(
        meta(&page, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    assert_eq!(
        meta(&page, "og:url").as_deref(),
        Some("https://plans.example.org/eng/plans/late/")
    );
    assert_eq!(meta(&page, "og:image:width").as_deref(), Some("1200"));
    assert_eq!(meta(&page, "og:image:height").as_deref(), Some("630"));
    let alt = meta(&page, "og:image:alt").expect("alt");
    assert!(alt.starts_with("Late Plan: Red ("), "{alt}");
    assert!(meta(&page, "og:title").is_some_and(|t| t.starts_with("Late Plan")));
    assert!(meta(&page, "og:description").is_some_and(|d| d.contains("% done")));
    for (file, image) in [
        ("index.html", "https://plans.example.org/eng/card.png"),
        (
            "archive/index.html",
            "https://plans.example.org/eng/card.png",
        ),
        ("404.html", "https://plans.example.org/eng/card.png"),
    ] {
        let html = fs::read_to_string(public.join(file)).expect("page");
        assert_eq!(meta(&html, "og:image").as_deref(), Some(image), "{file}");
        assert_eq!(
            meta(&html, "twitter:card").as_deref(),
            Some("summary_large_image"),
            "{file}"
        );
    }
    let index = fs::read_to_string(public.join("index.html")).expect("index");
    let alt = meta(&index, "og:image:alt").expect("alt");
    assert!(alt.contains("1 plan, 1 red, 0 amber"), "{alt}");

    // A base path: from the domain root (previews need an absolute base).
    build(dir.path(), &["--base-url", "/eng/"]);
    let page = fs::read_to_string(public.join("plans/late/index.html")).expect("page");
    assert_eq!(
        meta(&page, "og:image").as_deref(),
        Some("/eng/plans/late/card.png")
    );
}

#[test]
fn site_toml_turns_the_cards_off_and_checks_the_switch() {
    let dir = site_with(&[("late.md", LATE)]);
    fs::write(dir.path().join("site.toml"), "[cards]\nenabled = false\n").expect("write");
    let summary = build(dir.path(), &[]);
    assert!(!summary.contains("card(s)"), "{summary}");
    let public = dir.path().join("public");
    assert!(!public.join("card.png").exists());
    assert!(!public.join("plans/late/card.png").exists());
    let page = fs::read_to_string(public.join("plans/late/index.html")).expect("page");
    assert_eq!(meta(&page, "og:image"), None);
    assert_eq!(meta(&page, "twitter:card").as_deref(), Some("summary"));

    fs::write(dir.path().join("site.toml"), "[cards]\nenabled = \"no\"\n").expect("write");
    plansite()
        .args(["build", "--root"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("site.toml:2"));
}

// Kept cards are told by their inode (a second name for the same file).
#[cfg(unix)]
#[test]
fn unchanged_cards_are_kept_and_changed_ones_drawn_again() {
    let dir = site_with(&[("late.md", LATE), ("other.md", "# Other\n\n- [ ] a\n")]);
    build(dir.path(), &[]);
    let public = dir.path().join("public");
    let inode = |path: &str| fs::metadata(public.join(path)).expect(path).ino();
    let (late, other, site) = (
        inode("plans/late/card.png"),
        inode("plans/other/card.png"),
        inode("card.png"),
    );
    let before = fs::read(public.join("plans/late/card.png")).expect("card");

    let summary = build(dir.path(), &[]);
    assert!(summary.contains("0 card(s) drawn, 3 kept"), "{summary}");
    assert_eq!(inode("plans/late/card.png"), late, "the same file, kept");
    assert_eq!(inode("card.png"), site);
    assert_eq!(
        fs::read(public.join("plans/late/card.png")).expect("card"),
        before
    );

    // One plan changes: its card and the dashboard's (whose totals moved)
    // are drawn again; the other plan's is kept.
    fs::write(dir.path().join("content/other.md"), "# Other\n\n- [x] a\n").expect("write");
    let summary = build(dir.path(), &[]);
    assert!(summary.contains("2 card(s) drawn, 1 kept"), "{summary}");
    assert_eq!(inode("plans/late/card.png"), late);
    assert_ne!(inode("plans/other/card.png"), other);
    card(&public.join("plans/other/card.png"));

    // A card changed by hand is not kept: it is drawn again.
    fs::write(public.join("plans/late/card.png"), b"not a png").expect("tamper");
    let summary = build(dir.path(), &[]);
    assert!(summary.contains("1 card(s) drawn, 2 kept"), "{summary}");
    assert_eq!(
        fs::read(public.join("plans/late/card.png")).expect("card"),
        before
    );

    // The site is a clean build's, file for file.
    let clean = tempfile::tempdir().expect("temp dir");
    build(
        dir.path(),
        &["--output", &clean.path().join("site").to_string_lossy()],
    );
    assert_eq!(
        super::files_under(&public),
        super::files_under(&clean.path().join("site"))
    );
}

#[test]
fn a_card_is_of_its_week_so_a_build_the_next_day_keeps_it() {
    // No dates in this plan: nothing on its card moves with the day.
    let dir = site_with(&[("other.md", "# Other\n\n- [x] a\n- [ ] b\n")]);
    build_on(dir.path(), "2025-03-19", &[]);
    // Thursday of the same week (Monday 2025-03-17): both cards kept.
    let summary = build_on(dir.path(), "2025-03-20", &[]);
    assert!(summary.contains("0 card(s) drawn, 2 kept"), "{summary}");
    // The next Monday is another week: the cards say so, drawn again.
    let summary = build_on(dir.path(), "2025-03-24", &[]);
    assert!(summary.contains("2 card(s) drawn, 0 kept"), "{summary}");
}
