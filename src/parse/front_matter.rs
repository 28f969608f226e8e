//! Front matter: the optional YAML (`---`) or TOML (`+++`) block at the very
//! top of a plan. Split by hand, so a later `---` rule is never taken for it.
//! This is the only module that uses `serde_yaml`.

use crate::diagnostic::Diagnostic;
use serde_json::{Map, Value};

/// Front matter larger than this is refused (it is a plan, not a database).
pub const MAX_BYTES: usize = 64 * 1024;
/// Deeper nesting than this is refused before any parser sees it.
const MAX_DEPTH: usize = 64;

/// The front matter block, split from the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'a> {
    /// The parsed keys, or `None` when the file has no front matter.
    pub fields: Option<Map<String, Value>>,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of `body` in the file (line numbers stay file lines).
    pub body_offset: usize,
    /// 1-based line of the first key (for pointing at keys).
    pub first_line: usize,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Yaml,
    Toml,
}

/// Splits and parses the front matter of `text`. An error (unclosed fence,
/// too large, invalid YAML or TOML) is returned as a diagnostic located in
/// the file; the caller then treats the whole file as unreadable.
pub fn split<'a>(file: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let no_front_matter = Split {
        fields: None,
        body: text,
        body_offset: 0,
        first_line: 1,
    };
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let format = match text[..first_line_end].trim_end() {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Ok(no_front_matter),
    };
    let fence = if format == Format::Yaml { "---" } else { "+++" };
    let block_start = (first_line_end + 1).min(text.len());
    let mut offset = block_start;
    let mut close = None;
    for line in text[block_start..].split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == fence || (format == Format::Yaml && trimmed == "...") {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
        if offset - block_start > MAX_BYTES {
            break;
        }
    }
    let Some((block_end, body_offset)) = close else {
        if offset - block_start > MAX_BYTES {
            return Err(too_large(file));
        }
        return Err(Diagnostic::error(
            file,
            1,
            1,
            format!("front matter opened with `{fence}` on line 1 is never closed: add a `{fence}` line after the last key"),
        ));
    };
    if block_end - block_start > MAX_BYTES {
        return Err(too_large(file));
    }
    let block = &text[block_start..block_end];
    let first_line = 2;
    if let Some((line, col)) = too_deep(block) {
        return Err(Diagnostic::error(
            file,
            first_line + line,
            col,
            format!("front matter nests deeper than {MAX_DEPTH} levels"),
        ));
    }
    let fields = match format {
        Format::Yaml => parse_yaml(file, block, first_line)?,
        Format::Toml => parse_toml(file, block, first_line)?,
    };
    Ok(Split {
        fields: Some(fields),
        body: &text[body_offset..],
        body_offset,
        first_line,
    })
}

fn too_large(file: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        1,
        1,
        format!("front matter is larger than {} KiB", MAX_BYTES / 1024),
    )
}

/// Finds the first place where brackets or indentation nest too deep.
/// Returns a 0-based line within the block and a 1-based column.
fn too_deep(block: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    for (line_index, line) in block.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        for (col, c) in line.chars().enumerate() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_DEPTH {
                return Some((line_index, col + 1));
            }
        }
        if indent / 2 > MAX_DEPTH {
            return Some((line_index, 1));
        }
    }
    None
}

fn parse_yaml(
    file: &str,
    block: &str,
    first_line: usize,
) -> Result<Map<String, Value>, Diagnostic> {
    if block.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: serde_yaml::Value = serde_yaml::from_str(block).map_err(|error| {
        let (line, col) = duplicate_key_line(block, &error.to_string()).unwrap_or_else(|| {
            error
                .location()
                .map_or((0, 1), |at| (at.line().saturating_sub(1), at.column()))
        });
        let shown = block.lines().nth(line).unwrap_or("").trim();
        let message = error.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        Diagnostic::error(
            file,
            first_line + line,
            col,
            format!("invalid YAML front matter: {message} (in `{shown}`)"),
        )
    })?;
    match yaml_to_json(value) {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err(Diagnostic::error(
            file,
            first_line,
            1,
            "front matter must be a mapping of `key: value` lines",
        )),
    }
}

/// serde_yaml places a duplicate key at the start of its mapping; point at
/// the second occurrence of the key instead (0-based line, 1-based column).
fn duplicate_key_line(block: &str, message: &str) -> Option<(usize, usize)> {
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .split('"')
        .next()?;
    block
        .lines()
        .enumerate()
        .filter(|(_, line)| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .nth(1)
        .map(|(index, line)| (index, line.len() - line.trim_start().len() + 1))
}

fn yaml_to_json(value: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (yaml_key(k), yaml_to_json(v)))
                .collect(),
        ),
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

fn yaml_key(key: serde_yaml::Value) -> String {
    match yaml_to_json(key) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

fn parse_toml(
    file: &str,
    block: &str,
    first_line: usize,
) -> Result<Map<String, Value>, Diagnostic> {
    let table: toml::Table = block.parse().map_err(|error: toml::de::Error| {
        let at = error.span().map_or(0, |span| span.start).min(block.len());
        let line = block[..at].matches('\n').count();
        let line_start = block[..at].rfind('\n').map_or(0, |i| i + 1);
        let col = block[line_start..at].chars().count() + 1;
        let shown = block.lines().nth(line).unwrap_or("").trim();
        let message = error.message().trim().to_string();
        Diagnostic::error(
            file,
            first_line + line,
            col,
            format!("invalid TOML front matter: {message} (in `{shown}`)"),
        )
    })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k, toml_to_json(v)))
        .collect())
}

fn toml_to_json(value: toml::Value) -> Value {
    use toml::Value as T;
    match value {
        T::String(s) => Value::String(s),
        T::Integer(i) => Value::from(i),
        T::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        T::Boolean(b) => Value::Bool(b),
        T::Datetime(d) => Value::String(d.to_string()),
        T::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        T::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

/// The 1-based file line of `key` in the front matter, for diagnostics.
pub fn key_line(text: &str, split: &Split<'_>, key: &str) -> usize {
    if split.fields.is_none() {
        return 1;
    }
    text[..split.body_offset]
        .lines()
        .enumerate()
        .find(|(_, line)| {
            let line = line.trim_start();
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
        })
        .map_or(split.first_line, |(index, _)| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_is_split() {
        let text = "---\ntitle: Plan\ntags: [a, b]\n---\n# Body\n\n---\nmore\n";
        let split = split("p.md", text).expect("valid");
        let fields = split.fields.expect("front matter");
        assert_eq!(fields["title"], "Plan");
        assert_eq!(fields["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(split.body, "# Body\n\n---\nmore\n");
        assert_eq!(&text[split.body_offset..], split.body);
    }

    #[test]
    fn toml_front_matter_is_split() {
        let text = "+++\ntitle = \"Roadmap\"\ndate = 2018-04-01\n+++\nBody\n";
        let fields = split("p.md", text).expect("valid").fields.expect("some");
        assert_eq!(fields["title"], "Roadmap");
        assert_eq!(fields["date"], "2018-04-01");
    }

    #[test]
    fn a_later_rule_is_not_front_matter() {
        let text = "# Title\n\n---\ntitle: no\n---\n";
        let split = split("p.md", text).expect("valid");
        assert_eq!(split.fields, None);
        assert_eq!(split.body, text);
    }

    #[test]
    fn yaml_errors_point_into_the_file() {
        let text = "---\ntitle: ok\nowner: [unclosed\nstatus: x\n---\nbody\n";
        let error = split("p.md", text).expect_err("invalid");
        assert_eq!(error.file, "p.md");
        assert!(error.line >= 3, "{error:?}");
        assert!(error.message.contains("invalid YAML"), "{error:?}");
    }

    #[test]
    fn unclosed_fence_is_an_error_on_line_one() {
        let error = split("p.md", "---\ntitle: x\n# Body\n").expect_err("unclosed");
        assert_eq!((error.line, error.col), (1, 1));
        assert!(error.message.contains("never closed"));
    }

    #[test]
    fn oversized_front_matter_is_refused() {
        let text = format!("---\nnote: \"{}\"\n---\n", "x".repeat(MAX_BYTES + 10));
        let error = split("p.md", &text).expect_err("too large");
        assert!(error.message.contains("larger than 64 KiB"));
    }

    #[test]
    fn alias_bomb_and_deep_nesting_end_quickly() {
        let mut bomb =
            String::from("---\na: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            bomb.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        bomb.push_str("---\n");
        assert!(split("p.md", &bomb).is_err());
        let deep = format!(
            "---\nx: {}{}\n---\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let error = split("p.md", &deep).expect_err("too deep");
        assert!(error.message.contains("deeper"));
        let indented: String = (0..10_000)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert!(split("p.md", &format!("---\n{indented}---\n")).is_err());
    }

    #[test]
    fn toml_errors_point_into_the_file() {
        let text = "+++\ntitle = \"x\"\ndate = = 3\n+++\n";
        let error = split("p.md", text).expect_err("invalid");
        assert_eq!(error.line, 3, "{error:?}");
        assert!(error.message.contains("invalid TOML"), "{error:?}");
        assert!(error.message.contains("date = = 3"), "{error:?}");
    }

    #[test]
    fn yaml_keeps_words_as_typed_and_rejects_duplicate_keys() {
        let fields = split("p.md", "---\nstatus: no\n---\n")
            .expect("valid")
            .fields
            .expect("some");
        assert_eq!(fields["status"], "no");
        let error = split("p.md", "---\nowner: a\nowner: b\n---\n").expect_err("duplicate");
        assert!(error.message.contains("duplicate"), "{error:?}");
        assert_eq!(error.line, 3, "{error:?}");
    }

    #[test]
    fn key_lines_are_file_lines() {
        let text = "---\ntitle: x\ndate: 2024-13-45\n---\n";
        let split = split("p.md", text).expect("valid");
        assert_eq!(key_line(text, &split, "date"), 3);
    }
}
