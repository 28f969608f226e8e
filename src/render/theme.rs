//! Theme: the default templates and static files, compiled into the binary,
//! with any single file overridden from `themes/<name>/templates/` or
//! `themes/<name>/static/` of the site. Those are read only as regular
//! files (up to 64 MiB each) inside those folders: a symbolic link there
//! or on the way to them is an error naming it (exit 2).

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
        "archive.html",
        include_str!("../../themes/default/templates/archive.html"),
    ),
    (
        "feed.xml",
        include_str!("../../themes/default/templates/feed.xml"),
    ),
    (
        "sitemap.xml",
        include_str!("../../themes/default/templates/sitemap.xml"),
    ),
    (
        "protected.html",
        include_str!("../../themes/default/templates/protected.html"),
    ),
];

/// The default theme's static files, from `themes/default/static/`,
/// written under `assets/`.
const STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "table.js",
        include_bytes!("../../themes/default/static/table.js"),
    ),
];

/// Templates ready to render, and the static files to copy.
pub struct Theme {
    pub tera: Tera,
    pub statics: Vec<(String, Vec<u8>)>,
    /// For each template name, how diagnostics name its file and its text
    /// (so an error can show the template line).
    pub sources: Vec<(String, String, String)>,
}

impl Theme {
    /// A diagnostic for a Tera error, located in the template's file.
    pub fn diagnostic(&self, error: &tera::Error) -> Diagnostic {
        template_diagnostic(error, &self.sources)
    }
}

fn template_diagnostic(error: &tera::Error, sources: &[(String, String, String)]) -> Diagnostic {
    let shown = |name: &str| {
        sources
            .iter()
            .find(|(n, _, _)| n == name)
            .map_or_else(|| name.to_string(), |(_, _, shown)| shown.clone())
    };
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            Diagnostic::error(
                &shown(report.filename()),
                report.span().start_line,
                report.span().start_col + 1,
                format!("template error: {}", flatten(report.message())),
            )
        }
        _ => Diagnostic::error(
            "templates",
            0,
            0,
            format!("template error: {}", flatten(&error.to_string())),
        ),
    }
}

/// Loads the default theme and applies the site's overrides.
/// A failed load: the errors, and each template's (file, text) for the
/// source lines the errors point at.
pub type LoadError = (Vec<Diagnostic>, Vec<(String, String)>);

pub fn load(config: &Config) -> Result<Theme, LoadError> {
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
            let message = format!("theme `{name}` not found: there is no folder {shown}");
            return Err((
                vec![Diagnostic::error("site.toml", 0, 0, message)],
                Vec::new(),
            ));
        }
        let theme = Path::new("themes").join(name);
        for (file, text) in read_dir_files(&config.root, &theme.join("templates"), &mut errors) {
            let shown = config.display(&dir.join("templates").join(&file));
            let text = String::from_utf8_lossy(&text).into_owned();
            match templates.iter_mut().find(|(n, _, _)| *n == file) {
                Some(slot) => *slot = (file, text, shown),
                None => templates.push((file, text, shown)),
            }
        }
        for (file, bytes) in read_dir_files(&config.root, &theme.join("static"), &mut errors) {
            match statics.iter_mut().find(|(n, _)| *n == file) {
                Some(slot) => slot.1 = bytes,
                None => statics.push((file, bytes)),
            }
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".htm", ".xml", ".svg"]);
    tera.set_escape_fn(crate::escape::markup_write);
    tera.register_filter("json_script", json_script);
    let sources: Vec<(String, String, String)> = templates.clone();
    for (name, text, _) in &templates {
        if let Err(error) = tera.add_raw_template(name, text) {
            errors.push(template_diagnostic(&error, &sources));
        }
    }
    if errors.is_empty() {
        Ok(Theme {
            tera,
            statics,
            sources,
        })
    } else {
        let texts = sources
            .into_iter()
            .map(|(_, text, shown)| (shown, text))
            .collect();
        Err((errors, texts))
    }
}

/// `{{ value | json_script }}`: JSON that is safe inside a `<script>` block,
/// for themes that hand data to scripts: `<`, `>` and `&` (so `</script>`
/// and `<!--` cannot end or open anything) and U+2028, U+2029 (line ends to
/// JavaScript) are written as `\u` escapes (`escape::script_json_into`).
/// Not for an attribute value: `"` is left as it is.
pub fn json_script(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    let json = serde_json::to_string(&value).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(json.len());
    crate::escape::script_json_into(&mut out, &json);
    tera::Value::safe_string(&out)
}

/// A theme file larger than this is refused.
const MAX_THEME_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Files directly or deeper under `root`/`folder`, as paths relative to
/// `folder`. Read through `load::read_beneath`: a symbolic link (the
/// folder, one on the way to it, or one inside), anything but a regular
/// file, or a file over 64 MiB is an error naming it.
fn read_dir_files(
    root: &Path,
    folder: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    let refused = |path: &Path, message: String| {
        Diagnostic::error(&path.display().to_string(), 0, 0, message)
    };
    let link = |path: &Path| {
        refused(
            path,
            "symbolic link not followed: a theme is read only from folders and regular files inside it (copy the file in)".into(),
        )
    };
    if let Some(path) = crate::load::link_on_the_way(root, folder) {
        errors.push(link(&path));
        return Vec::new();
    }
    let dir = root.join(folder);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(&dir).to_path_buf();
                errors.push(refused(&path, format!("cannot read: {e}")));
                continue;
            }
        };
        if entry.path_is_symlink() {
            errors.push(link(entry.path()));
            continue;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let name = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match crate::load::read_beneath(&dir, relative, MAX_THEME_FILE_BYTES) {
            Ok(bytes) => files.push((name, bytes)),
            Err(e) => errors.push(refused(
                entry.path(),
                e.message(&|p| p.display().to_string()),
            )),
        }
    }
    files
}

/// Tera's messages span lines; diagnostics are one line each.
pub fn flatten(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_script_cannot_close_a_script_block() {
        let mut tera = tera::Tera::new();
        tera.register_filter("json_script", super::json_script);
        tera.add_raw_template("t.html", "<script>var d = {{ v | json_script }};</script>")
            .expect("template");
        let mut context = tera::Context::new();
        context.insert("v", "</script><!-- \u{2028}\u{2029} & x");
        let out = tera.render("t.html", &context).expect("render");
        assert_eq!(out, "<script>var d = \"\\u003c/script\\u003e\\u003c!-- \\u2028\\u2029 \\u0026 x\";</script>");
    }
}
