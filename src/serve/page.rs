//! What `serve` adds to pages: the live-reload script (only when serving,
//! never in `build` output) and the error page shown while a plan is broken.

use crate::diagnostic::{Diagnostic, SourceLines};
use crate::escape::markup;
use std::collections::HashMap;

/// Where the browser listens for rebuilds (server-sent events).
pub const EVENTS: &str = "/__plansite/events";

/// Reloads the page when the server reports a new build. Marked `data-keep`:
/// a protected page's shell carries it into the page it opens.
const RELOAD: &str = "<script data-keep>(function(){var last=null;var events=new EventSource(\"/__plansite/events\");events.onmessage=function(e){if(last!==null&&e.data!==last){location.reload();}last=e.data;};})();</script>";

/// Adds the reload script before `</body>` (or at the end).
pub fn with_reload(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{RELOAD}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{RELOAD}").into_bytes(),
    }
}

/// The page shown instead of the site while the build fails: every error
/// with its place and source line; it reloads by itself once fixed.
pub fn error_page(diagnostics: &[Diagnostic], sources: &HashMap<String, String>) -> Vec<u8> {
    let mut items = String::new();
    let mut indexes: HashMap<&str, Option<SourceLines<'_>>> = HashMap::new();
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        let place = match (d.line, d.col) {
            (0, _) => d.file.clone(),
            (l, 0) => format!("{}:{l}", d.file),
            (l, c) => format!("{}:{l}:{c}", d.file),
        };
        let line = indexes
            .entry(d.file.as_str())
            .or_insert_with(|| sources.get(&d.file).map(|t| SourceLines::new(t)))
            .as_ref()
            .and_then(|index| index.line(d.line))
            .unwrap_or("");
        items.push_str(&format!(
            "<li><p><strong>error:</strong> {}</p><p><code>{}</code></p>{}</li>\n",
            markup(&d.message),
            markup(&place),
            if line.is_empty() {
                String::new()
            } else {
                format!("<pre>{}</pre>", markup(line))
            }
        ));
    }
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Build error · plansite</title>\
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1d2430}}li{{border-left:4px solid #b42318;padding:.25rem .75rem;margin:.75rem 0;list-style:none;background:#f6f7f9}}pre{{overflow-x:auto}}</style></head>\
<body><main><h1>The site cannot be built</h1><p>Fix the problem below and save: this page reloads by itself.</p><ul>\n{items}</ul></main></body></html>\n"
    );
    with_reload(&crate::text::clean_output(page.into_bytes()))
}

/// The content type of a served file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "js" => "text/javascript",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reload_goes_before_the_end_of_the_body() {
        let page =
            String::from_utf8(with_reload(b"<html><body><p>x</p></body></html>")).expect("utf-8");
        assert!(page.ends_with("</script></body></html>"), "{page}");
        assert!(page.contains(EVENTS));
    }

    #[test]
    fn error_pages_show_the_place_and_escape_the_text() {
        let d = Diagnostic::error("content/p.md", 2, 1, "front matter <never> closed");
        let sources =
            HashMap::from([("content/p.md".to_string(), "---\ntitle: <b>\n".to_string())]);
        let page = String::from_utf8(error_page(&[d], &sources)).expect("utf-8");
        assert!(page.contains("<code>content/p.md:2:1</code>"));
        assert!(page.contains("front matter &lt;never&gt; closed"));
        assert!(page.contains("<pre>title: &lt;b&gt;</pre>"));
    }
}
