//! Markdown: plan prose to safe HTML. pulldown-cmark renders it; links
//! whose scheme is not http, https or mailto are dropped (text kept); raw
//! HTML is sanitised by ammonia's allowlist, or shown as text with
//! `raw_html = "escape"`. Every removal is a warning at its line. Tables
//! and code blocks, which scroll sideways in their own box, get
//! `tabindex="0"` so a keyboard can scroll them.

use crate::config::RawHtml;
use crate::diagnostic::Diagnostic;
use crate::lines::LineIndex;
use crate::parse::outline::options;
use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// Tags kept in plan prose. Anything else (script, style, iframe, svg,
/// math, form, object…) is removed with its warning.
const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "center",
    "font",
];

/// Attributes kept on any tag.
const ATTRIBUTES: &[&str] = &[
    "title", "lang", "dir", "align", "valign", "width", "colspan", "rowspan", "open",
];

/// Element names HTML defines beyond the kept ones. Text such as
/// `<YYYY-MM-DD>` or `<your-name>` reads as a tag to Markdown but names no
/// element: it is shown as the text the author typed, not removed.
const OTHER_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "option",
    "optgroup",
    "label",
    "fieldset",
    "legend",
    "datalist",
    "output",
    "link",
    "meta",
    "base",
    "html",
    "head",
    "body",
    "title",
    "nav",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "main",
    "figure",
    "figcaption",
    "video",
    "audio",
    "source",
    "track",
    "canvas",
    "noscript",
    "template",
    "slot",
    "progress",
    "meter",
    "dialog",
    "menu",
    "picture",
    "map",
    "area",
    "col",
    "colgroup",
    "caption",
    "cite",
    "dfn",
    "time",
    "var",
    "samp",
    "ruby",
    "rt",
    "rp",
    "bdi",
    "bdo",
    "wbr",
    "ins",
    "address",
    "hgroup",
    "search",
    "marquee",
    "blink",
    "xmp",
    "plaintext",
    "listing",
    "noframes",
    "noembed",
    "param",
    "portal",
    "image",
    "nobr",
    "tt",
    "big",
    "strike",
    "acronym",
    "basefont",
    "keygen",
    "menuitem",
];

/// Elements of plan prose that scroll sideways in their own box when wider
/// than the page: each is made reachable by keyboard (`tabindex="0"`).
const SCROLLING: [&str; 2] = ["pre", "table"];

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(TAGS.iter().copied().collect())
        .generic_attributes(ATTRIBUTES.iter().copied().collect())
        .tag_attributes(
            [
                ("a", ["href"].into_iter().collect()),
                (
                    "img",
                    ["src", "alt", "width", "height"].into_iter().collect(),
                ),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"))
        .clean_content_tags(["script", "style"].into_iter().collect::<HashSet<_>>());
    // Tables and code blocks scroll sideways in their own box when too wide
    // for the screen (style.css); a keyboard reaches such a box only when it
    // can take focus. Set here, after the author's attributes are gone.
    for tag in SCROLLING {
        builder.set_tag_attribute_value(tag, "tabindex", "0");
    }
    builder
});

/// The Markdown's events with what may not reach a page taken out (each
/// with a warning at its line): links and images to other schemes, and
/// raw HTML escaped or marked for the sanitiser, as `raw` says.
fn safe_events<'m>(
    markdown: &'m str,
    file: &str,
    first_line: usize,
    raw: RawHtml,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<Event<'m>> {
    // One match over the kinds of event that can carry something unsafe;
    // each arm is short, and splitting it would spread one rule over many
    // places.
    let lines = LineIndex::new(markdown);
    let line_of = |offset: usize| first_line + lines.line(offset) - 1;
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => match raw {
                RawHtml::Escape => events.push(Event::Text(html)),
                RawHtml::Sanitize if names_no_element(&html) => events.push(Event::Text(html)),
                RawHtml::Sanitize => {
                    for removed in unsafe_parts(&html) {
                        warnings.push(Diagnostic::warning(
                            file,
                            line_of(range.start),
                            0,
                            format!("{removed} removed from the page"),
                        ));
                    }
                    events.push(Event::InlineHtml(html));
                }
            },
            Event::Start(Tag::Link {
                dest_url,
                title,
                link_type,
                id,
            }) => {
                let allowed = allowed_url(&dest_url);
                if !allowed {
                    warnings.push(Diagnostic::warning(file, line_of(range.start), 0, format!("link to `{}` removed (its text is kept): only http, https, mailto and relative links reach a page", shorten(&dest_url))));
                } else {
                    events.push(Event::Start(Tag::Link {
                        dest_url,
                        title,
                        link_type,
                        id,
                    }));
                }
                dropped_links.push(!allowed);
            }
            Event::End(TagEnd::Link) => {
                if !dropped_links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                dest_url,
                title,
                link_type,
                id,
            }) if !allowed_url(&dest_url) => {
                warnings.push(Diagnostic::warning(
                    file,
                    line_of(range.start),
                    0,
                    format!(
                        "image `{}` removed: only http, https and relative images reach a page",
                        shorten(&dest_url)
                    ),
                ));
                events.push(Event::Start(Tag::Image {
                    dest_url: CowStr::from(""),
                    title,
                    link_type,
                    id,
                }));
            }
            Event::TaskListMarker(done) => events.push(Event::Text(CowStr::from(if done {
                "☑ "
            } else {
                "☐ "
            }))),
            other => events.push(other),
        }
    }
    events
}

/// Renders `markdown` that starts at `first_line` of `file`.
pub fn render(
    markdown: &str,
    file: &str,
    first_line: usize,
    raw: RawHtml,
    warnings: &mut Vec<Diagnostic>,
) -> String {
    let events = safe_events(markdown, file, first_line, raw, warnings);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // The HTML parser behind the sanitiser takes time growing with the
    // square of the nesting depth (40,000 nested quotes: seconds). Past a
    // depth no reader follows, the block is shown as typed instead.
    let depth = nesting_depth(&html);
    if depth > MAX_DEPTH {
        warnings.push(Diagnostic::warning(
            file,
            first_line,
            0,
            format!(
                "this text nests {depth} levels deep (more than {MAX_DEPTH}): it is shown as typed"
            ),
        ));
        return format!(
            "<pre class=\"as-typed\" tabindex=\"0\">{}</pre>",
            crate::escape::markup(markdown)
        );
    }
    SANITIZER.clean(&html).to_string()
}

/// The deepest nesting of elements a page may hold from plan prose.
const MAX_DEPTH: usize = 100;

/// How deep the elements of `html` nest, counting every start tag that is
/// not void or self-closed as one level and every end tag as one less (an
/// unclosed `<p>` counts: this errs on the side of deep).
fn nesting_depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found + 1;
        at = start;
        match bytes.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end = html[start..]
                    .find(|c: char| !c.is_ascii_alphanumeric())
                    .map_or(html.len(), |n| start + n);
                let name = &html[start..name_end];
                let tag_end = html[start..].find('>').map_or(html.len(), |n| start + n);
                let closed = html[..tag_end].ends_with('/');
                let void = VOID.iter().any(|v| v.eq_ignore_ascii_case(name));
                if !closed && !void {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    deepest
}

/// True for http, https and mailto URLs and for relative ones. Browsers
/// ignore tabs, newlines and leading spaces in a scheme, and schemes are
/// case-insensitive, so those are removed before looking.
pub fn allowed_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &cleaned[..colon];
            // A colon after a path, query or fragment does not start a scheme.
            if scheme.contains(['/', '?', '#']) {
                return true;
            }
            matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

fn shorten(url: &str) -> String {
    let flat: String = url
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > 40 {
        format!("{}…", flat.chars().take(40).collect::<String>())
    } else {
        flat
    }
}

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)([^>]*)>?").expect("valid regex")
});
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"([A-Za-z_:][-A-Za-z0-9_:.]*)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]+))?"#)
        .expect("valid regex")
});

/// True when every tag in the fragment names no HTML element (and it has
/// at least one): `<YYYY-MM-DD>` is text, not markup.
fn names_no_element(html: &str) -> bool {
    let mut names = TAG
        .captures_iter(html)
        .map(|caps| caps[1].to_ascii_lowercase())
        .peekable();
    names.peek().is_some()
        && names
            .all(|name| !TAGS.contains(&name.as_str()) && !OTHER_ELEMENTS.contains(&name.as_str()))
}

/// What the sanitiser will remove from a raw HTML fragment, in words.
fn unsafe_parts(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for caps in TAG.captures_iter(html) {
        let name = caps[1].to_ascii_lowercase();
        let closing = caps[0].trim_start_matches(['<', ' ']).starts_with('/');
        if closing {
            continue;
        }
        if !TAGS.contains(&name.as_str()) {
            found.push(format!("`<{name}>`"));
            continue;
        }
        let attributes = caps.get(2).map_or("", |m| m.as_str());
        for attr in ATTRIBUTE.captures_iter(attributes) {
            let key = attr[1].to_ascii_lowercase();
            let value = attr
                .get(2)
                .map_or("", |m| m.as_str())
                .trim_matches(['"', '\'']);
            let kept = ATTRIBUTES.contains(&key.as_str())
                || (name == "a" && key == "href")
                || (name == "img" && matches!(key.as_str(), "src" | "alt" | "width" | "height"));
            if !kept {
                found.push(format!("attribute `{key}` of `<{name}>`"));
            } else if matches!(key.as_str(), "href" | "src")
                && !allowed_url(&decode_entities(value))
            {
                found.push(format!("link `{}` of `<{name}>`", shorten(value)));
            }
        }
    }
    found.dedup();
    found
}

/// Enough entity decoding to see a scheme written as `&#x6a;avascript:`.
fn decode_entities(value: &str) -> String {
    static ENTITY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"&#(x[0-9a-fA-F]+|[0-9]+);?").expect("valid regex"));
    ENTITY
        .replace_all(value, |caps: &regex::Captures<'_>| {
            let code = &caps[1];
            let number = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => code.parse().ok(),
            };
            number
                .and_then(char::from_u32)
                .map(String::from)
                .unwrap_or_default()
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(markdown: &str, raw: RawHtml) -> (String, Vec<String>) {
        let mut warnings = Vec::new();
        let html = render(markdown, "p.md", 10, raw, &mut warnings);
        (
            html,
            warnings
                .into_iter()
                .map(|w| format!("{}: {}", w.line, w.message))
                .collect(),
        )
    }

    #[test]
    fn scripts_and_handlers_are_removed_with_warnings() {
        let (html, warnings) = page("Text <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://e.com\"></iframe>\n", RawHtml::Sanitize);
        assert!(
            !html.contains("<script") && !html.contains("alert(1)</script"),
            "{html}"
        );
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("10: `<script>` removed")),
            "{warnings:?}"
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("12: attribute `onerror` of `<img>` removed")),
            "{warnings:?}"
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("14: `<iframe>` removed")),
            "{warnings:?}"
        );
    }

    #[test]
    fn dangerous_links_lose_their_target_and_keep_their_text() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "&#x6a;avascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
        ] {
            let markdown = format!("[click me](<{url}>)");
            let (html, warnings) = page(&markdown, RawHtml::Sanitize);
            assert!(html.contains("click me"), "{url}: {html}");
            assert!(
                !html.to_lowercase().contains("script:") && !html.contains("data:"),
                "{url}: {html}"
            );
            assert!(!html.contains("<a"), "{url}: {html}");
            assert_eq!(warnings.len(), 1, "{url}: {warnings:?}");
        }
        let (html, warnings) = page(
            "[ok](https://example.com) [rel](../x.html) [mail](mailto:a@b.c)",
            RawHtml::Sanitize,
        );
        assert_eq!(html.matches("<a ").count(), 3, "{html}");
        assert!(warnings.is_empty());
    }

    #[test]
    fn tables_and_code_blocks_can_take_focus_to_be_scrolled_by_keyboard() {
        let markdown = "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nlong line\n```\n\n<table tabindex=\"-1\"><tr><td>raw</td></tr></table>\n\n<pre tabindex=\"5\">raw</pre>\n\n<p tabindex=\"0\">para</p>\n";
        let (html, _) = page(markdown, RawHtml::Sanitize);
        assert_eq!(html.matches("<table tabindex=\"0\">").count(), 2, "{html}");
        assert_eq!(html.matches("<pre tabindex=\"0\">").count(), 2, "{html}");
        assert_eq!(html.matches("tabindex").count(), 4, "{html}");
    }

    #[test]
    fn text_that_only_looks_like_a_tag_is_kept() {
        let (html, warnings) = page(
            "Name files `x` as <YYYY-MM-DD>-<team>.md, <b>bold</b>.",
            RawHtml::Sanitize,
        );
        assert!(
            html.contains("&lt;YYYY-MM-DD&gt;-&lt;team&gt;.md"),
            "{html}"
        );
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn escape_mode_shows_html_as_text() {
        let (html, _) = page("a <b>bold</b> <script>x</script>", RawHtml::Escape);
        assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn nesting_depth_counts_open_elements_only() {
        assert_eq!(nesting_depth("<p>a<br>b<img src=x/></p><p>c</p>"), 1);
        assert_eq!(
            nesting_depth("<ul><li><blockquote><p>x</p></blockquote></li></ul>"),
            4
        );
        assert_eq!(nesting_depth("a < b and c<3"), 0);
        let deep = "> ".repeat(MAX_DEPTH + 5) + "deep";
        let (html, warnings) = page(&deep, RawHtml::Sanitize);
        assert!(
            html.starts_with("<pre class=\"as-typed\" tabindex=\"0\">&gt; &gt;"),
            "{html}"
        );
        assert!(warnings[0].contains("shown as typed"), "{warnings:?}");
    }

    #[test]
    fn templates_syntax_is_just_text() {
        let (html, _) = page("{{ site.title }} {% if x %}", RawHtml::Sanitize);
        assert!(html.contains("{{ site.title }} {% if x %}"), "{html}");
    }
}
