//! `human`: each finding with its code, message, a source snippet (credentials masked), help and
//! HTTP status; at the end the summary table and the counts.

use std::io::{self, Write};
use std::time::Duration;

use runcommand_rules::{Diagnostic, FileReport, Severity};

use super::json::Summary;
use super::{Reporter, Totals};

/// The `human` reporter.
#[derive(Debug)]
pub struct Human {
    style: Style,
}

impl Human {
    /// A new one, coloured or not.
    pub fn new(color: bool) -> Human {
        Human {
            style: Style { color },
        }
    }
}

impl Reporter for Human {
    fn file(&mut self, out: &mut Vec<u8>, r: &FileReport) -> io::Result<()> {
        human_file(out, r, &self.style)
    }

    fn finish(&mut self, out: &mut Vec<u8>, totals: &Totals, elapsed: Duration) -> io::Result<()> {
        table(out, totals, elapsed, &self.style)?;
        human_total(out, &totals.summary(), &self.style)
    }
}

/// Colours for human output.
#[derive(Debug)]
pub struct Style {
    /// Whether to colour at all.
    pub color: bool,
}

impl Style {
    /// `s` in the ANSI style `code` (when colouring).
    pub fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    /// A severity's name, coloured.
    pub fn severity(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, sev.as_str())
    }
}

/// Replaces tabs with spaces and control characters with `?` so a snippet line is printable and
/// its columns line up with the underline.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if c.is_control() => '?',
            c => c,
        })
        .collect()
}

/// `text`, one line starting at byte `offset` of the file, with every character inside a
/// redacted range replaced by `*`, one for one, so columns stay where they were. The line's
/// indentation is kept: in YAML it is never part of a value (a secret spanning lines, such as a
/// private key in a block scalar, covers the indentation of its inner lines).
pub(super) fn redact(
    text: &str,
    offset: usize,
    redactions: &[std::ops::Range<usize>],
    line_start: bool,
) -> String {
    // `redactions` is sorted and merged: the one that may hold `at` is the first ending after it.
    let covered = |at: usize| {
        let i = redactions.partition_point(|r| r.end <= at);
        redactions.get(i).is_some_and(|r| r.start <= at)
    };
    let end = offset + text.len();
    let i = redactions.partition_point(|r| r.end <= offset);
    if redactions.get(i).is_none_or(|r| r.start >= end) {
        return text.to_owned();
    }
    // A piece cut from inside a line has no indentation of its own.
    let indent = if line_start {
        text.len() - text.trim_start_matches([' ', '\t']).len()
    } else {
        0
    };
    text.char_indices()
        .map(|(i, c)| {
            if i >= indent && c != '\n' && c != '\r' && covered(offset + i) {
                '*'
            } else {
                c
            }
        })
        .collect()
}

/// Lines longer than this many characters (a request log's record, a minified JSON file) are
/// shown as a window of this width around the finding.
const SNIPPET_WIDTH: usize = 120;
/// Characters of context kept before the finding in such a window.
const SNIPPET_BEFORE: usize = 40;

/// Cuts a long line to a window around the columns `from..to` (0-based characters), marking cut
/// ends with `...`; returns the text and the columns moved into it.
/// `more_before` / `more_after`: the line was cut before / after `line` already (a very long
/// line is cut to the bytes around the finding first, see [`snippet`]).
fn window(
    line: &str,
    from: usize,
    to: usize,
    more_before: bool,
    more_after: bool,
) -> (String, usize, usize) {
    let len = line.chars().count();
    if len <= SNIPPET_WIDTH && !more_before && !more_after {
        return (line.to_owned(), from, to);
    }
    let start = from
        .saturating_sub(SNIPPET_BEFORE)
        .min(len.saturating_sub(SNIPPET_WIDTH));
    let end = (start + SNIPPET_WIDTH).min(len);
    let mut out = String::new();
    let lead = if start > 0 || more_before { "..." } else { "" };
    out.push_str(lead);
    out.extend(line.chars().skip(start).take(end - start));
    if end < len || more_after {
        out.push_str("...");
    }
    let shift = |c: usize| c.clamp(start, end) - start + lead.len();
    (out, shift(from), shift(to))
}

/// The display columns before the characters `from..to` of `shown` and the columns they take.
fn display_columns(shown: &str, from: usize, to: usize) -> (usize, usize) {
    use unicode_width::UnicodeWidthChar;
    let width = |c: char| c.width().unwrap_or(0);
    let pad = shown.chars().take(from).map(width).sum();
    let len = shown
        .chars()
        .skip(from)
        .take(to.saturating_sub(from))
        .map(width)
        .sum();
    (pad, len)
}

/// The character boundary at or before byte `i` of `s`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The character boundary at or after byte `i` of `s`.
fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i.min(s.len())
}

/// The width of the line-number gutter for a diagnostic's snippet.
pub(super) fn gutter(r: &FileReport, d: &Diagnostic) -> usize {
    // The widest line number shown (with the report's line offset).
    let first = r.position(d.span.start).line as usize;
    let last = (r.position(d.span.end).line as usize).min(first + 2);
    last.to_string().len()
}

/// Writes the source lines of a finding (at most 3), credentials masked ([`redact`]), with
/// carets under the finding.
pub(super) fn snippet(
    out: &mut impl Write,
    r: &FileReport,
    d: &Diagnostic,
    st: &Style,
    width: usize,
) -> io::Result<()> {
    if r.text.is_empty() {
        return Ok(());
    }
    // Lines of `text` (0-based) for the index; the numbers shown add the report's line offset.
    let start = r.line_index.line_col(&r.text, d.span.start);
    let end = r.line_index.line_col(&r.text, d.span.end);
    let shift = r.line_offset as usize;
    let first = start.line as usize - 1;
    // Show at most 3 lines of a multi-line span.
    let last = (end.line as usize - 1).min(first + 2);
    let bar = st.paint("1;34", "|");
    writeln!(out, "{:width$} {bar}", "")?;
    for line in first..=last {
        let Some(range) = r.line_index.line_range(&r.text, line) else {
            break;
        };
        let text = r.text.get(range.clone()).unwrap_or("");
        // The finding's bytes on this line.
        let rel_from = if line == first {
            d.span.start.saturating_sub(range.start).min(text.len())
        } else {
            0
        };
        let rel_to = if line == end.line as usize - 1 {
            d.span
                .end
                .saturating_sub(range.start)
                .clamp(rel_from, text.len())
        } else {
            text.len()
        };
        // A very long line (a minified JSON object) is cut to the bytes around the finding
        // first, so each snippet costs the same whatever the line's length.
        let (a, b) = if text.len() > 8 * SNIPPET_WIDTH {
            let a = floor_boundary(text, rel_from.saturating_sub(4 * SNIPPET_BEFORE));
            let b = ceil_boundary(text, (rel_from + 4 * SNIPPET_WIDTH).min(text.len()));
            (a, b.max(a))
        } else {
            (0, text.len())
        };
        let piece = text.get(a..b).unwrap_or("");
        let shown: String = printable(&redact(piece, range.start + a, &r.redactions, a == 0));
        let from = piece.get(..rel_from - a).map_or(0, |s| s.chars().count());
        let to = match piece.get(rel_from - a..rel_to.min(b) - a) {
            Some(s) => from + s.chars().count(),
            None => from,
        };
        let (shown, from, to) = window(&shown, from, to, a > 0, b < text.len());
        writeln!(
            out,
            "{} {bar} {shown}",
            st.paint("1;34", &format!("{:>width$}", line + 1 + shift))
        )?;
        // Carets by display width: a wide character (CJK, most emoji) takes two columns of the
        // terminal, a combining mark none.
        let (pad, columns) = display_columns(&shown, from, to);
        let carets = "^".repeat(columns.max(1));
        let code = match d.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        writeln!(
            out,
            "{:width$} {bar} {}{}",
            "",
            " ".repeat(pad),
            st.paint(code, &carets)
        )?;
    }
    if end.line as usize - 1 > last {
        writeln!(out, "{:width$} {bar} ...", "")?;
    }
    Ok(())
}

/// Writes one file's findings, human-readable.
pub fn human_file(out: &mut impl Write, r: &FileReport, st: &Style) -> io::Result<()> {
    for d in &r.diagnostics {
        let pos = r.position(d.span.start);
        writeln!(
            out,
            "{}{} {}",
            st.severity(d.severity),
            st.paint("1", &format!("[{}]:", d.code)),
            st.paint("1", &d.message)
        )?;
        let w = gutter(r, d);
        let pad = " ".repeat(w);
        writeln!(
            out,
            "{pad}{} {}:{}:{}",
            st.paint("1;34", "-->"),
            r.path,
            pos.line,
            pos.column
        )?;
        snippet(out, r, d, st, w)?;
        for rel in &d.related {
            // A note in another file carries its own position.
            let p = match rel.position {
                Some((line, column)) => runcommand_document::LineCol { line, column },
                None => r.position(rel.span.start),
            };
            let path = rel.path.as_deref().unwrap_or(&r.path);
            writeln!(
                out,
                "{pad} = note: {} ({path}:{}:{})",
                rel.message, p.line, p.column
            )?;
        }
        if let Some(h) = &d.help {
            writeln!(out, "{pad} = help: {h}")?;
        }
        if let Some(status) = d.http_status() {
            let message = runcommand_catalog::code(d.code.as_str()).map_or("", |c| c.message);
            writeln!(out, "{pad} = the API answers HTTP {status}: {message}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Writes the last line of human output: the totals.
pub fn human_total(out: &mut impl Write, s: &Summary, st: &Style) -> io::Result<()> {
    let files = if s.files == 1 { "file" } else { "files" };
    let requests = if s.documents == 1 {
        "request"
    } else {
        "requests"
    };
    if s.errors == 0 && s.warnings == 0 {
        writeln!(
            out,
            "{} {} {files}, {} {requests}: no problems found",
            st.paint("1;32", "ok:"),
            s.files,
            s.documents
        )
    } else {
        writeln!(
            out,
            "{} error(s), {} warning(s) in {} {files} ({} {requests})",
            s.errors, s.warnings, s.files, s.documents
        )
    }
}

/// The summary table of a human run: findings by code and severity (most frequent first), the
/// files with errors and the time taken.
pub fn table(out: &mut impl Write, t: &Totals, elapsed: Duration, st: &Style) -> io::Result<()> {
    let mut rows: Vec<(&str, Severity, usize)> =
        t.by_code.iter().map(|((c, s), n)| (*c, *s, *n)).collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)).then(a.1.cmp(&b.1)));
    if !rows.is_empty() {
        let width = rows
            .iter()
            .map(|r| r.0.len())
            .max()
            .unwrap_or(0)
            .max("code".len());
        writeln!(out, "{}", st.paint("1", "Summary"))?;
        writeln!(
            out,
            "  {:<width$}  {:<8}  {:>7}",
            "code", "severity", "count"
        )?;
        for (code, sev, n) in rows {
            writeln!(out, "  {code:<width$}  {:<8}  {n:>7}", sev.as_str())?;
        }
    }
    let skipped = if t.skipped > 0 {
        format!("; {} skipped (not RunCommand requests)", t.skipped)
    } else {
        String::new()
    };
    writeln!(
        out,
        "  files checked: {}, with errors: {}{skipped}; requests: {}; time: {:.2} s",
        t.files,
        t.files_with_errors,
        t.requests,
        elapsed.as_secs_f64()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_follow_the_display_width() {
        // CJK and emoji take two columns, a combining accent none.
        let shown = "Name: 部署😀 e\u{301}x";
        let from = shown
            .chars()
            .collect::<Vec<_>>()
            .iter()
            .rposition(|c| *c == 'e')
            .unwrap();
        assert_eq!(display_columns(shown, from, from + 2), (6 + 4 + 2 + 1, 1));
        assert_eq!(display_columns(shown, 6, 8), (6, 4));
        assert_eq!(display_columns(&printable("a\tb"), 2, 3), (2, 1));
    }

    #[test]
    fn long_lines_are_windowed_around_the_finding() {
        let short = "Type: RunShell";
        assert_eq!(
            window(short, 6, 14, false, false),
            (short.to_owned(), 6, 14)
        );
        let long: String = (0..300)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let (w, from, to) = window(&long, 200, 205, false, false);
        assert!(w.starts_with("...") && w.ends_with("..."));
        assert_eq!(w.chars().count(), SNIPPET_WIDTH + 6);
        // The carets still sit under the same characters.
        let pick = |s: &str, a: usize, b: usize| s.chars().skip(a).take(b - a).collect::<String>();
        assert_eq!(pick(&w, from, to), pick(&long, 200, 205));
        // Near the end: the window ends with the line.
        let (w, from, to) = window(&long, 295, 300, false, false);
        assert!(!w.ends_with("..."));
        assert_eq!(pick(&w, from, to), pick(&long, 295, 300));
        // A span running past the window is cut at its end.
        let (w, from, to) = window(&long, 10, 290, false, false);
        assert_eq!((from, to), (10, SNIPPET_WIDTH));
        assert!(w.ends_with("..."));
    }
}
