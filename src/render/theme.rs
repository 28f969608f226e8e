//! Theme: the default templates and static files, compiled into the binary,
//! with any single file overridden from `themes/<name>/templates/` or
//! `themes/<name>/static/` of the site.

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use std::path::Path;
use tera::Tera;

/// The default theme's templates, from `themes/default/templates/`.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "plan.html",
        include_str!("../../themes/default/templates/plan.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "sitemap.xml",
        include_str!("../../themes/default/templates/sitemap.xml"),
    ),
];

/// The default theme's static files, from `themes/default/static/`,
/// written under `assets/`.
const STATIC: &[(&str, &[u8])] = &[(
    "style.css",
    include_bytes!("../../themes/default/static/style.css"),
)];

/// Templates ready to render, and the static files to copy.
pub struct Theme {
    pub tera: Tera,
    pub statics: Vec<(String, Vec<u8>)>,
}

/// Loads the default theme and applies the site's overrides.
pub fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: Vec<(String, String, String)> = TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                text.to_string(),
                format!("default theme {name}"),
            )
        })
        .collect();
    let mut statics: Vec<(String, Vec<u8>)> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    let mut errors = Vec::new();
    if let Some(name) = &config.theme {
        let dir = config.root.join("themes").join(name);
        if !dir.is_dir() {
            let shown = config.display(&dir);
            return Err(vec![Diagnostic::error(
                "site.toml",
                0,
                0,
                format!("theme `{name}` not found: there is no folder {shown}"),
            )]);
        }
        for (file, text) in read_dir_files(&dir.join("templates"), &mut errors) {
            let shown = config.display(&dir.join("templates").join(&file));
            let text = String::from_utf8_lossy(&text).into_owned();
            match templates.iter_mut().find(|(n, _, _)| *n == file) {
                Some(slot) => *slot = (file, text, shown),
                None => templates.push((file, text, shown)),
            }
        }
        for (file, bytes) in read_dir_files(&dir.join("static"), &mut errors) {
            match statics.iter_mut().find(|(n, _)| *n == file) {
                Some(slot) => slot.1 = bytes,
                None => statics.push((file, bytes)),
            }
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
    for (name, text, shown) in &templates {
        if let Err(error) = tera.add_raw_template(name, text) {
            errors.push(Diagnostic::error(
                shown,
                0,
                0,
                format!("template error: {}", flatten(&error.to_string())),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Theme { tera, statics })
    } else {
        Err(errors)
    }
}

/// Files directly or deeper under `dir`, as paths relative to it.
fn read_dir_files(dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<(String, Vec<u8>)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match std::fs::read(entry.path()) {
            Ok(bytes) => files.push((name, bytes)),
            Err(e) => errors.push(Diagnostic::error(
                &entry.path().display().to_string(),
                0,
                0,
                format!("cannot read: {e}"),
            )),
        }
    }
    files
}

/// Tera's messages span lines; diagnostics are one line each.
pub fn flatten(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}
