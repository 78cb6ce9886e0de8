//! Fixes: the edits the engine knows, made final where the findings are made (so the editor's
//! quick fix, the JSON and SARIF `fix` and `check --fix` apply the same edit), and applied to a
//! text.
//!
//! A fix that removes a mapping entry (`Timed: true` → nothing) is widened so that the document
//! stays well formed and tidy: in a YAML block mapping the whole line goes (no blank line is
//! left); in JSON (and YAML flow mappings) the separating comma goes with it (the following one,
//! or the preceding one for the last member), and the whole line when the member was alone on it.
//!
//! [`apply`] applies the applicable fixes of a report in one pass: sorted by position, an edit
//! that overlaps one already taken waits for the next round (see [`crate::Engine::fix`]).

use std::ops::Range;

use runcommand_document::Format;

use crate::diagnostic::{Diagnostic, Fix};

/// Makes every fix of `diagnostics` final for `text`: widens entry removals, and quotes a new
/// value that replaces a quoted scalar as that scalar was quoted (a JSON string stays a string).
pub(crate) fn finalize(text: &str, format: Format, diagnostics: &mut [Diagnostic]) {
    for d in diagnostics {
        if format == Format::Json
            && let Some(h) = &mut d.help
            && h.contains(": ")
        {
            *h = json_help(h);
        }
        for f in d.fix.iter_mut().chain(d.alternatives.iter_mut()) {
            if f.replacement.is_empty() && removes_entry(text, &f.span) {
                f.span = removal_span(text, format, f.span.clone());
            } else if let Some(quoted) = requote(text.get(f.span.clone()), &f.replacement) {
                f.replacement = quoted;
            }
        }
    }
}

/// A help text for a JSON file: each snippet written as a YAML entry in backquotes (`` `Key: value` ``,
/// the rules' house style) is written as the JSON member the user would type
/// (`` `"Key": value` ``): booleans, integers, `""` and JSON strings stay as they are, a flow list
/// gets its items quoted, anything else becomes a JSON string. Other text is unchanged.
pub(crate) fn json_help(help: &str) -> String {
    let mut out = String::with_capacity(help.len() + 16);
    let mut rest = help;
    while let Some(open) = rest.find('`') {
        let Some(close) = rest.get(open + 1..).and_then(|r| r.find('`')) else {
            break;
        };
        let snippet = rest.get(open + 1..open + 1 + close).unwrap_or("");
        out.push_str(rest.get(..open).unwrap_or(""));
        out.push('`');
        out.push_str(&json_member(snippet).unwrap_or_else(|| snippet.to_owned()));
        out.push('`');
        rest = rest.get(open + close + 2..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// `Key: value` as a JSON member, when the snippet is one YAML entry with a simple key.
fn json_member(snippet: &str) -> Option<String> {
    let (key, value) = snippet.split_once(": ")?;
    let simple_key = key.starts_with(|c: char| c.is_ascii_uppercase())
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.');
    // A flow mapping (`Loop: {Items: [...]}`) is left as written.
    if !simple_key
        || value.trim() != value
        || value.is_empty()
        || (value.starts_with('{') && value != "{}")
    {
        return None;
    }
    Some(format!("\"{key}\": {}", json_value(value)))
}

fn json_value(value: &str) -> String {
    let quoted = |s: &str| {
        let mut q = String::with_capacity(s.len() + 2);
        q.push('"');
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                c => q.push(c),
            }
        }
        q.push('"');
        q
    };
    if matches!(value, "true" | "false" | "null" | "\"\"" | "{}" | "[...]")
        || value.parse::<i64>().is_ok()
        || (value.starts_with('"') && value.ends_with('"') && value.len() >= 2)
    {
        return value.to_owned();
    }
    if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return quoted(&inner.replace("''", "'"));
    }
    if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        let items: Vec<String> = items.split(", ").map(json_value).collect();
        return format!("[{}]", items.join(", "));
    }
    quoted(value)
}

/// The replacement of a quoted scalar (`"..."` or `'...'`, the whole span), quoted the same way;
/// `None` when the span is no quoted scalar or the replacement is quoted already.
fn requote(old: Option<&str>, new: &str) -> Option<String> {
    let old = old?;
    let q = old.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    if old.len() < 2 || !old.ends_with(q) || new.starts_with(q) {
        return None;
    }
    Some(if q == '"' {
        let mut s = String::with_capacity(new.len() + 2);
        s.push('"');
        for c in new.chars() {
            match c {
                '"' => s.push_str("\\\""),
                '\\' => s.push_str("\\\\"),
                '\n' => s.push_str("\\n"),
                c if u32::from(c) < 0x20 => {
                    let _ =
                        std::fmt::Write::write_fmt(&mut s, format_args!("\\u{:04x}", u32::from(c)));
                }
                c => s.push(c),
            }
        }
        s.push('"');
        s
    } else {
        format!("'{}'", new.replace('\'', "''"))
    })
}

/// Whether `span` of `text` is a whole `key: value` entry (its text starts with a key and a
/// colon, the key quoted or not).
fn removes_entry(text: &str, span: &Range<usize>) -> bool {
    let Some(s) = text.get(span.clone()) else {
        return false;
    };
    let s = s.trim_start();
    let (quote, body) = match s.chars().next() {
        Some(q @ ('"' | '\'')) => (Some(q), s.get(1..).unwrap_or("")),
        _ => (None, s),
    };
    let len = body
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(body.len());
    if len == 0 {
        return false;
    }
    let mut rest = body.get(len..).unwrap_or("");
    if let Some(q) = quote {
        match rest.strip_prefix(q) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.trim_start_matches([' ', '\t']).starts_with(':')
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Widens the removal of a mapping entry (see the module documentation).
pub fn removal_span(text: &str, format: Format, span: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let line_start = bytes
        .get(..span.start)
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |i| i + 1);
    let alone_before = bytes
        .get(line_start..span.start)
        .is_some_and(|b| b.iter().all(|&c| is_blank(c)));
    // The end of the line holding `at`, and the offset after its line break.
    let line_end = |at: usize| {
        let e = bytes
            .get(at..)
            .and_then(|b| b.iter().position(|&c| c == b'\n'))
            .map_or(len, |i| at + i);
        (e, (e + 1).min(len))
    };
    let skip_blanks = |mut i: usize| {
        while bytes.get(i).copied().is_some_and(is_blank) {
            i += 1;
        }
        i
    };
    let (end_of_line, after_break) = line_end(span.end);
    let rest = text.get(span.end..end_of_line).unwrap_or("").trim();

    if format == Format::Yaml && alone_before && (rest.is_empty() || rest.starts_with('#')) {
        return line_start..after_break;
    }
    let multiline = format == Format::Json;
    // A following comma (on any line in JSON, on the same line in YAML flow mappings).
    let mut i = span.end;
    while let Some(&c) = bytes.get(i) {
        if is_blank(c) || (multiline && (c == b'\n' || c == b'\r')) {
            i += 1;
        } else {
            break;
        }
    }
    if bytes.get(i) == Some(&b',') {
        let end = skip_blanks(i + 1);
        let (eol, after) = line_end(end);
        let line_rest = text.get(end..eol).unwrap_or("").trim();
        if alone_before && line_rest.is_empty() && i <= end_of_line {
            return line_start..after;
        }
        return span.start..end;
    }
    // A preceding comma: the last member.
    let mut j = span.start;
    while j > 0 {
        let c = bytes.get(j - 1).copied().unwrap_or(b'x');
        if is_blank(c) || (multiline && (c == b'\n' || c == b'\r')) {
            j -= 1;
        } else {
            break;
        }
    }
    if j > 0 && bytes.get(j - 1) == Some(&b',') {
        return j - 1..span.end;
    }
    if alone_before && rest.is_empty() {
        return line_start..after_break;
    }
    span
}

/// Whether a fix is applied by `--fix` (safe ones; unsafe ones too with `--unsafe-fixes`).
/// Alternatives (one fix per valid value) are never applied: a person chooses.
pub fn applicable(fix: &Fix, unsafe_fixes: bool) -> bool {
    fix.safe || unsafe_fixes
}

/// Applies the applicable fixes of `diagnostics` to `text` in one pass, in order of position;
/// a fix overlapping one taken before is left for a later pass. Returns the new text and the
/// indices of the findings fixed, or `None` when no fix applies.
pub fn apply(
    text: &str,
    diagnostics: &[Diagnostic],
    unsafe_fixes: bool,
) -> Option<(String, Vec<usize>)> {
    let mut chosen: Vec<(usize, &Fix)> = diagnostics
        .iter()
        .enumerate()
        .filter_map(|(i, d)| d.fix.as_ref().map(|f| (i, f)))
        .filter(|(_, f)| applicable(f, unsafe_fixes) && text.get(f.span.clone()).is_some())
        .collect();
    chosen.sort_by_key(|(i, f)| (f.span.start, f.span.end, *i));
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    let mut applied = Vec::new();
    let mut last_end: Option<usize> = None;
    for (i, f) in chosen {
        // Edits must not overlap (two insertions at one place count as overlapping too).
        if last_end.is_some_and(|e| f.span.start < e || (f.span.start == e && f.span.is_empty())) {
            continue;
        }
        // An identical edit for several findings (the same removal) is applied once.
        out.push_str(text.get(at..f.span.start)?);
        out.push_str(&f.replacement);
        at = f.span.end;
        last_end = Some(f.span.end);
        applied.push(i);
    }
    if applied.is_empty() {
        return None;
    }
    out.push_str(text.get(at..)?);
    Some((out, applied))
}

#[cfg(test)]
mod json_help_tests {
    use super::json_help;

    #[test]
    fn yaml_snippets_become_json_members() {
        assert_eq!(
            json_help("add `CommandContent: echo 123` and `EnableParameter: true`, `Timeout: 60`"),
            "add `\"CommandContent\": \"echo 123\"` and `\"EnableParameter\": true`, `\"Timeout\": 60`"
        );
        assert_eq!(
            json_help("add `InstanceIds: [i-...]`; `Username: \"\"`; `Parameters: '{\"a\": [1]}'`"),
            "add `\"InstanceIds\": [\"i-...\"]`; `\"Username\": \"\"`; `\"Parameters\": \"{\\\"a\\\": [1]}\"`"
        );
        // Other backquoted text and unclosed backquotes are left alone.
        assert_eq!(
            json_help("use `{{oos-secret:NAME}}` or `a: b` `x"),
            "use `{{oos-secret:NAME}}` or `a: b` `x"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn remove(text: &str, what: &str, format: Format) -> String {
        let s = text.find(what).unwrap_or(0);
        let span = removal_span(text, format, s..s + what.len());
        let mut t = text.to_owned();
        t.replace_range(span, "");
        t
    }

    #[test]
    fn yaml_block_lines_go_whole() {
        let t = "RegionId: x\nTimed: true   # old\nType: y\n";
        assert_eq!(
            remove(t, "Timed: true", Format::Yaml),
            "RegionId: x\nType: y\n"
        );
        let t = "RegionId: x\nTimed: true";
        assert_eq!(remove(t, "Timed: true", Format::Yaml), "RegionId: x\n");
        let t = "{RegionId: x, Timed: true, Type: y}\n";
        assert_eq!(
            remove(t, "Timed: true", Format::Yaml),
            "{RegionId: x, Type: y}\n"
        );
        let t = "{RegionId: x, Timed: true}\n";
        assert_eq!(remove(t, "Timed: true", Format::Yaml), "{RegionId: x}\n");
    }

    #[test]
    fn json_commas() {
        let t = "{\n  \"A\": 1,\n  \"Timed\": true,\n  \"B\": 2\n}\n";
        assert_eq!(
            remove(t, "\"Timed\": true", Format::Json),
            "{\n  \"A\": 1,\n  \"B\": 2\n}\n"
        );
        let t = "{\n  \"A\": 1,\n  \"Timed\": true\n}\n";
        assert_eq!(
            remove(t, "\"Timed\": true", Format::Json),
            "{\n  \"A\": 1\n}\n"
        );
        let t = "{\"A\": 1, \"Timed\": true, \"B\": 2}";
        assert_eq!(
            remove(t, "\"Timed\": true", Format::Json),
            "{\"A\": 1, \"B\": 2}"
        );
        let t = "{\"Timed\": true}";
        assert_eq!(remove(t, "\"Timed\": true", Format::Json), "{}");
    }

    #[test]
    fn replacements_keep_the_quotes_of_the_value() {
        assert_eq!(
            requote(Some("\"runshell\""), "RunShellScript").as_deref(),
            Some("\"RunShellScript\"")
        );
        assert_eq!(requote(Some("'a'"), "it's").as_deref(), Some("'it''s'"));
        assert_eq!(
            requote(Some("\"x\""), "a\"b\\").as_deref(),
            Some("\"a\\\"b\\\\\"")
        );
        assert_eq!(requote(Some("plain"), "x"), None);
        assert_eq!(requote(Some("\"x\""), "\"y\""), None);
    }

    #[test]
    fn entries_are_told_from_values() {
        let t = "Timed: true\n\"Timed\" : 1\nx";
        assert!(removes_entry(t, &(0..11)));
        assert!(removes_entry(t, &(12..23)));
        assert!(!removes_entry(t, &(7..11)));
        assert!(!removes_entry(t, &(24..25)));
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let fix = |span: Range<usize>, r: &str, safe: bool| {
            Diagnostic::new(
                runcommand_catalog::code::LINT_UNKNOWN_PARAMETER,
                span.clone(),
                "x",
            )
            .fix(Fix {
                title: "t".into(),
                span,
                replacement: r.into(),
                safe,
            })
        };
        let text = "abcdef";
        let d = vec![
            fix(0..2, "X", true),
            fix(1..3, "Y", true),
            fix(4..5, "Z", false),
        ];
        assert_eq!(apply(text, &d, false), Some(("Xcdef".into(), vec![0])));
        assert_eq!(apply(text, &d, true), Some(("XcdZf".into(), vec![0, 2])));
        assert_eq!(apply(text, &d[2..], false), None);
    }
}
