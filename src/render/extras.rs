//! The files beside the dashboards: the archive index, the Atom feed,
//! `404.html`, `sitemap.xml`, the dashboard's link-preview card
//! (`card.png`), the theme's static files and `.nojekyll`.

use super::cards::{card_file, image_url, portfolio_alt, portfolio_svg, SITE_CARD};
use super::history;
use super::page::{with_slash, Out, SiteInput};
use super::views::{PageView, SiteView, TotalsView};
use crate::config::Config;
use serde::Serialize;

/// Renders them; `order` is the current plans' slugs in dashboard order
/// (the sitemap lists them so), `totals` the current dashboard's (its
/// card shows them).
pub(super) fn render(
    input: &SiteInput<'_>,
    site: &SiteView,
    (order, totals): (&[String], &TotalsView),
    out: &mut Out<'_>,
) {
    let image = image_url(input, site, SITE_CARD);
    let image_alt = if image.is_empty() {
        String::new()
    } else {
        portfolio_alt(site, totals)
    };
    if input.config.cards {
        let svg = portfolio_svg(site, totals);
        if let Some(file) = card_file(input, SITE_CARD.into(), &svg, &mut out.warnings) {
            out.file(file.path, file.bytes);
        }
    }
    let mut archive = history::archive_view(site, input.history);
    archive.page.image = image.clone();
    archive.page.image_alt = image_alt.clone();
    out.page(input.theme, "archive.html", "archive/index.html", &archive);
    // A protected site has no feed or sitemap: feed readers and search
    // engines cannot unlock the pages.
    if !input.protected() {
        let feed = history::feed_view(site, input.history, input.as_of);
        out.page(input.theme, "feed.xml", "feed.xml", &feed);
    }
    let not_found = Simple {
        page: PageView {
            root: not_found_root(input.config, site),
            path: "404.html".into(),
            canonical: String::new(),
            title: format!("Page not found · {}", site.title),
            description: site.description.clone(),
            snapshot: String::new(),
            current_href: String::new(),
            home: String::new(),
            image,
            image_alt,
        },
        site: site.clone(),
        urls: Vec::new(),
    };
    out.page(input.theme, "404.html", "404.html", &not_found);
    let sitemap = Simple {
        urls: sitemap_urls(input, site, order),
        ..not_found
    };
    if !input.protected() {
        out.page(input.theme, "sitemap.xml", "sitemap.xml", &sitemap);
    }
    for (name, bytes) in &input.theme.statics {
        out.file(format!("assets/{name}"), bytes.clone());
    }
    out.file(".nojekyll".into(), Vec::new());
}

/// Every page's address: the dashboard, each plan, the archive and each
/// archived week.
fn sitemap_urls(input: &SiteInput<'_>, site: &SiteView, order: &[String]) -> Vec<String> {
    let base = if site.absolute_base.is_empty() {
        input.config.base_url.clone()
    } else {
        site.absolute_base.clone()
    };
    std::iter::once(String::new())
        .chain(
            order
                .iter()
                .map(|slug| format!("plans/{}/", input.folder(slug))),
        )
        .chain(std::iter::once("archive/".to_string()))
        .chain(input.history.iter().map(|s| format!("archive/{}/", s.week)))
        .map(|path| format!("{}{path}", with_slash(&base)))
        .collect()
}

/// `404.html` is served at any depth, so its links start from the site's
/// base: absolute when known, else the base path (`/repo/`).
fn not_found_root(config: &Config, site: &SiteView) -> String {
    if !site.absolute_base.is_empty() {
        return site.absolute_base.clone();
    }
    let base = config.base_url.trim();
    if base.starts_with('/') {
        with_slash(base)
    } else {
        "/".into()
    }
}

/// The view of a page that shows the site and a list of addresses.
#[derive(Serialize)]
struct Simple {
    site: SiteView,
    page: PageView,
    urls: Vec<String>,
}
