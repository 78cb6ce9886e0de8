//! Code actions: one quick fix per finding that carries a [`runcommand_rules::Fix`].
//!
//! A fix that removes a mapping entry (`Timed` → remove `key: value`) is widened so that the document stays
//! well formed and tidy: in a YAML block mapping the whole line goes (no blank line is left); in
//! JSON (and YAML flow mappings) the separating comma goes with it (the following one, or the
//! preceding one for the last member), and the whole line when the member was alone on it.

use std::ops::Range;

use runcommand_document::Format;
use runcommand_rules::Diagnostic;

/// A quick fix: the finding it fixes and the edit (a byte range of the text and its new text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuickFix {
    /// The title shown, from the engine.
    pub title: String,
    /// The index of the finding in the list given to [`quick_fixes`].
    pub diagnostic: usize,
    /// The byte range replaced.
    pub span: Range<usize>,
    /// The new text.
    pub new_text: String,
    /// Whether the engine marks it safe (then it is the preferred action).
    pub preferred: bool,
}

/// The quick fixes of the findings whose range meets `range` (byte offsets, inclusive ends, so a
/// cursor at either end of a finding counts).
pub fn quick_fixes(
    text: &str,
    format: Format,
    diagnostics: &[Diagnostic],
    range: Range<usize>,
) -> Vec<QuickFix> {
    diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| d.span.start <= range.end && range.start <= d.span.end)
        .filter_map(|(i, d)| {
            let fix = d.fix.as_ref()?;
            text.get(fix.span.clone())?;
            let removes_entry = fix.replacement.is_empty()
                && text
                    .get(fix.span.clone())
                    .and_then(crate::text::line_key)
                    .is_some_and(|(_, at, _)| at <= 1);
            let span = if removes_entry {
                removal_span(text, format, fix.span.clone())
            } else {
                fix.span.clone()
            };
            Some(QuickFix {
                title: fix.title.clone(),
                diagnostic: i,
                span,
                new_text: fix.replacement.clone(),
                preferred: fix.safe,
            })
        })
        .collect()
}

/// Applies one edit to a text (for tests and clients without edits of their own).
pub fn apply(text: &str, span: &Range<usize>, new_text: &str) -> String {
    let mut s = text.to_owned();
    if s.get(span.clone()).is_some() {
        s.replace_range(span.clone(), new_text);
    }
    s
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

#[cfg(test)]
mod tests {
    use super::*;

    fn remove(text: &str, what: &str, format: Format) -> String {
        let s = text.find(what).unwrap();
        let span = removal_span(text, format, s..s + what.len());
        apply(text, &span, "")
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
}
