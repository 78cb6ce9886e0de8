//! Completion, from the text around the cursor (line-based, so half-typed documents work):
//! - inside `CommandContent` (or `Launcher`) after `{{`: the names under `Parameters` and the
//!   `ACS::` built-ins allowed there;
//! - after `Type:`, `RepeatMode:`, `TerminationMode:`, `ContentEncoding:` (any parameter with an
//!   enumeration in `rules/parameters.toml`): its valid values;
//! - at a top-level key position: the parameter names, with their documentation.

use runcommand_document::{Format, LoadOptions};
use runcommand_template::{BuiltIn, Field};

use crate::hover::param_markdown;
use crate::text::{self, indent_of, line_key};

/// What a completion item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A request parameter name.
    Parameter,
    /// A value of an enumeration.
    Value,
    /// A `{{...}}` placeholder name.
    Placeholder,
}

/// One completion candidate, positions as byte offsets into the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The label shown (and filtered on).
    pub label: String,
    /// What it is.
    pub kind: Kind,
    /// A one-line detail.
    pub detail: Option<String>,
    /// Markdown documentation.
    pub documentation: Option<String>,
    /// The text inserted.
    pub insert: String,
    /// The byte range replaced (the partly typed word).
    pub replace: std::ops::Range<usize>,
    /// Sort key.
    pub sort: String,
    /// Whether it is deprecated.
    pub deprecated: bool,
}

/// The candidates at a byte offset.
pub fn complete(text: &str, offset: usize, format: Format) -> Vec<Candidate> {
    let offset = text::floor_boundary(text, offset);
    let line = text::line_around(text, offset);
    let line_text = text.get(line.clone()).unwrap_or("");
    let col = offset - line.start;
    let prefix = line_text.get(..col).unwrap_or("");
    let suffix = line_text.get(col..).unwrap_or("");
    let key = line_key(line_text);
    let indent = indent_of(line_text);

    // 1. `{{` inside CommandContent or Launcher.
    if let Some(open) = prefix.rfind("{{")
        && !prefix.get(open..).unwrap_or("").contains("}}")
    {
        let owner = match key {
            Some((k, _, colon)) if colon <= open => Some(k),
            _ => enclosing_key(text, line.start, indent).map(|(k, _)| k),
        };
        let field = match owner {
            Some("CommandContent") => Field::CommandContent,
            Some("Launcher") => Field::Launcher,
            _ => return Vec::new(),
        };
        let typed = prefix.get(open + 2..).unwrap_or("");
        let partial_len = typed.trim_start().len();
        if !typed
            .trim_start()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':')
        {
            return Vec::new();
        }
        let replace = offset - partial_len..offset;
        let close = if suffix.trim_start().starts_with("}}") {
            ""
        } else {
            "}}"
        };
        let mut out = Vec::new();
        if field == Field::CommandContent {
            for (i, name) in parameter_names(text, format).into_iter().enumerate() {
                out.push(Candidate {
                    insert: format!("{name}{close}"),
                    label: name,
                    kind: Kind::Placeholder,
                    detail: Some("custom parameter (from Parameters)".into()),
                    documentation: None,
                    replace: replace.clone(),
                    sort: format!("0{i:04}"),
                    deprecated: false,
                });
            }
        }
        for (i, b) in BuiltIn::ALL
            .into_iter()
            .filter(|b| b.allowed_in(field))
            .enumerate()
        {
            let label = format!("ACS::{}", b.name());
            out.push(Candidate {
                insert: format!("{label}{close}"),
                label,
                kind: Kind::Placeholder,
                detail: Some("built-in parameter (needs EnableParameter: true)".into()),
                documentation: None,
                replace: replace.clone(),
                sort: format!("1{i:04}"),
                deprecated: false,
            });
        }
        return out;
    }

    // 2. A value after `Key:`.
    if let Some((k, _, colon)) = key
        && col >= colon
    {
        let Some(p) = crate::hover::param_of_key(k) else {
            return Vec::new();
        };
        if p.values.is_empty() {
            return Vec::new();
        }
        let after = line_text.get(colon..col).unwrap_or("");
        let word_len = after
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .map(char::len_utf8)
            .sum::<usize>();
        let before_word = after.get(..after.len() - word_len).unwrap_or("").trim();
        if !before_word.is_empty() && before_word != "\"" && before_word != "'" {
            return Vec::new();
        }
        let quoted = !before_word.is_empty();
        let tail: usize = suffix
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .map(char::len_utf8)
            .sum();
        return p
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| Candidate {
                label: (*v).to_owned(),
                kind: Kind::Value,
                detail: Some(format!("{} value", p.name)),
                documentation: None,
                insert: if format == Format::Json && !quoted {
                    format!("\"{v}\"")
                } else {
                    (*v).to_owned()
                },
                replace: offset - word_len..offset + tail,
                sort: format!("{i:04}"),
                deprecated: false,
            })
            .collect();
    }

    // 3. A key position: only a partial name (after indentation, `- `, `{`, `,`, a quote).
    let stripped = prefix
        .trim_start_matches([' ', '\t', '-', '{', ','])
        .trim_start_matches([' ', '\t']);
    let quoted = stripped.starts_with('"') || stripped.starts_with('\'');
    let partial = stripped.trim_start_matches(['"', '\'']);
    if !partial.chars().all(|c| text::is_word_char(c) || c == '-') {
        return Vec::new();
    }
    if prefix.trim_start().starts_with('#') {
        return Vec::new();
    }
    // Nested (inside Parameters, a tag, a block scalar): no parameter names.
    if enclosing_key(text, line.start, col - stripped.len()).is_some() {
        return Vec::new();
    }
    let tail: usize = suffix
        .chars()
        .take_while(|c| text::is_word_char(*c) || *c == '-')
        .map(char::len_utf8)
        .sum();
    let replace = offset - partial.len()..offset + tail;
    let rest_blank = suffix.get(tail..).unwrap_or("").trim().is_empty();
    runcommand_catalog::PARAMETERS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let insert = match format {
                Format::Json if quoted => p.name.to_owned(),
                Format::Json => format!("\"{}\"", p.name),
                Format::Yaml if rest_blank => format!("{}: ", p.name),
                Format::Yaml => p.name.to_owned(),
            };
            Candidate {
                label: p.name.to_owned(),
                kind: Kind::Parameter,
                detail: Some(format!(
                    "{}{}",
                    p.ty.describe(),
                    if p.required { ", required" } else { "" }
                )),
                documentation: Some(param_markdown(p)),
                insert,
                replace: replace.clone(),
                sort: format!("{}{i:04}", if p.deprecated { 1 } else { 0 }),
                deprecated: p.deprecated,
            }
        })
        .collect()
}

/// The key whose value holds a line that starts at `line_start` with content at column
/// `column`: the nearest line above, indented less, that is a key line and whose key sits left of
/// `column` (a `- key:` sibling in a list of requests is not a parent). `None` at the top level.
/// Returns the key and the text after its colon.
fn enclosing_key(text: &str, line_start: usize, column: usize) -> Option<(&str, &str)> {
    let before = text.get(..line_start)?;
    let mut threshold = column;
    for l in before.lines().rev() {
        let l = l.strip_suffix('\r').unwrap_or(l);
        let body = l.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let ind = indent_of(l);
        if ind >= threshold {
            continue;
        }
        if let Some((k, at, colon)) = line_key(l)
            && at < column
        {
            return Some((k, l.get(colon..).unwrap_or("")));
        }
        threshold = ind;
        if threshold == 0 {
            return None;
        }
    }
    None
}

/// The custom parameter names under `Parameters`: from the parsed documents when they parse,
/// and from the lines after each `Parameters:` key otherwise (both, deduplicated, in order).
fn parameter_names(text: &str, format: Format) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |n: &str| {
        let n = n.trim().trim_matches(['"', '\'']).trim();
        if !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !names.iter().any(|x| x == n)
        {
            names.push(n.to_owned());
        }
    };
    let loaded = runcommand_document::load(text.as_bytes(), format, LoadOptions::default());
    for doc in &loaded.documents {
        let Some(root) = &doc.root else { continue };
        let items: Vec<&runcommand_document::Node> = match root.as_seq() {
            Some(items) => items.iter().collect(),
            None => vec![root],
        };
        for item in items {
            if let Some(e) = item.get("Parameters")
                && let Some(map) = e.value.as_map()
            {
                for entry in map {
                    if let Some(k) = entry.key.as_key_str() {
                        add(k);
                    }
                }
            }
        }
    }
    // Line-based fallback for documents that do not parse (yet).
    let lines: Vec<(usize, &str)> = text::lines(text).collect();
    for (i, (_, l)) in lines.iter().enumerate() {
        let Some(("Parameters", at, colon)) = line_key(l) else {
            continue;
        };
        let rest = l.get(colon..).unwrap_or("");
        if let Some(open) = rest.find('{') {
            // Flow mapping / JSON object, possibly over several lines.
            let mut body = String::from(rest.get(open + 1..).unwrap_or(""));
            for (_, next) in lines.iter().skip(i + 1) {
                if body.contains('}') {
                    break;
                }
                body.push('\n');
                body.push_str(next);
            }
            let body = body.split('}').next().unwrap_or("");
            for part in body.split(',') {
                if let Some((k, _)) = part.split_once(':') {
                    add(k);
                }
            }
            continue;
        }
        let mut child_indent = None;
        for (_, next) in lines.iter().skip(i + 1) {
            let body = next.trim_start();
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            let ind = indent_of(next);
            if ind <= at {
                break;
            }
            let ci = *child_indent.get_or_insert(ind);
            if ind == ci
                && let Some((k, _, _)) = line_key(next)
            {
                add(k);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str, at: &str, format: Format) -> Vec<String> {
        let offset = text.find(at).map_or(text.len(), |i| i + at.len());
        complete(text, offset, format)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn keys_values_and_placeholders() {
        let t = "RegionId: cn-hangzhou\nTy";
        let l = labels(t, "Ty", Format::Yaml);
        assert!(l.contains(&"Type".to_owned()) && l.contains(&"RegionId".to_owned()));
        let t = "Type: Run\n";
        assert_eq!(
            labels(t, "Run", Format::Yaml),
            vec!["RunBatScript", "RunPowerShellScript", "RunShellScript"]
        );
        let t =
            "Parameters:\n  name: x\n  dir: /tmp\nCommandContent: |\n  cd {{dir}}\n    echo {{ \n";
        let l = labels(t, "echo {{ ", Format::Yaml);
        assert_eq!(l.first().map(String::as_str), Some("name"));
        assert!(l.contains(&"dir".to_owned()) && l.contains(&"ACS::InvokeId".to_owned()));
        assert!(!l.contains(&"ACS::ScriptFileName".to_owned()));
        // Inside the block scalar but not after `{{`: nothing.
        assert!(labels(t, "  cd", Format::Yaml).is_empty());
        // Nested under Parameters: nothing.
        assert!(labels(t, "  na", Format::Yaml).is_empty());
    }

    #[test]
    fn json_and_half_typed() {
        let t = "{\n  \"Parameters\": {\"a\": 1, \"b\": 2},\n  \"CommandContent\": \"echo {{";
        let l = labels(t, "{{", Format::Json);
        assert!(l.starts_with(&["a".to_owned(), "b".to_owned()]), "{l:?}");
        let t = "{\n  \"Type\": \"Run";
        assert_eq!(labels(t, "Run", Format::Json).len(), 3);
        let t = "{\n  \"Rep";
        let c = complete(t, t.len(), Format::Json);
        let r = c.iter().find(|c| c.label == "RepeatMode");
        assert_eq!(r.map(|c| c.insert.as_str()), Some("RepeatMode"));
        assert_eq!(r.map(|c| c.replace.clone()), Some(t.len() - 3..t.len()));
    }
}
