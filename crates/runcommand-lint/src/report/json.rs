//! `json`: the stable JSON contract (version 1), written incrementally: the opening, each file's
//! findings as it completes, then the summary; the same bytes as pretty-printing the whole object
//! at once.

use std::io::{self, Write};
use std::time::Duration;

use runcommand_rules::FileReport;
use serde::Serialize;

use super::{Reporter, Totals};

/// The `json` reporter.
#[derive(Debug)]
pub struct Json {
    /// No finding written yet.
    first: bool,
}

impl Json {
    /// A new one.
    pub fn new() -> Json {
        Json { first: true }
    }
}

impl Reporter for Json {
    fn begin(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
        json_begin(out)
    }

    fn file(&mut self, out: &mut Vec<u8>, r: &FileReport) -> io::Result<()> {
        json_file(out, r, &mut self.first)
    }

    fn finish(&mut self, out: &mut Vec<u8>, totals: &Totals, _elapsed: Duration) -> io::Result<()> {
        json_end(out, &totals.summary(), self.first)
    }
}

/// A 1-based position, columns in Unicode characters.
#[derive(Serialize)]
pub struct Position {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
pub(super) struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
pub(super) struct JsonDiagnostic<'a> {
    path: &'a str,
    document: usize,
    code: &'a str,
    severity: &'a str,
    http_status: Option<u16>,
    parameter: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
    range: Range,
    /// The fix `--fix` would apply (or, unsafe, `--unsafe-fixes`); absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

/// A fix in the JSON contract: ruff's shape, with this contract's ranges.
#[derive(Serialize)]
struct JsonFix<'a> {
    /// `safe` (applied by `--fix`) or `unsafe` (only with `--unsafe-fixes`).
    applicability: &'a str,
    /// What it does.
    message: &'a str,
    /// The edits, in order, not overlapping.
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    range: Range,
    content: &'a str,
}

/// The `summary` member of the JSON contract.
#[derive(Serialize)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Requests checked.
    pub documents: usize,
    /// Findings by severity.
    pub errors: usize,
    pub warnings: usize,
}

pub(super) fn position(r: &FileReport, offset: usize) -> Position {
    let lc = r.position(offset);
    Position {
        line: lc.line,
        column: lc.column,
    }
}

/// Every diagnostic as the JSON contract's object, in order.
pub(super) fn json_diagnostics(reports: &[FileReport]) -> impl Iterator<Item = JsonDiagnostic<'_>> {
    reports.iter().flat_map(|r| {
        r.diagnostics.iter().map(move |d| JsonDiagnostic {
            path: &r.path,
            document: d.document,
            code: d.code.as_str(),
            severity: d.severity.as_str(),
            http_status: d.http_status(),
            parameter: d.parameter.as_deref(),
            message: &d.message,
            help: d.help.as_deref(),
            range: Range {
                start: position(r, d.span.start),
                end: position(r, d.span.end),
            },
            fix: d.fix.as_ref().map(|f| JsonFix {
                applicability: if f.safe { "safe" } else { "unsafe" },
                message: &f.title,
                edits: vec![JsonEdit {
                    range: Range {
                        start: position(r, f.span.start),
                        end: position(r, f.span.end),
                    },
                    content: &f.replacement,
                }],
            }),
        })
    })
}

/// Writes the beginning of the JSON contract; then [`json_file`] for every file, then
/// [`json_end`]. The output is the same as pretty-printing the whole object at once.
fn json_begin(out: &mut impl Write) -> io::Result<()> {
    write!(out, "{{\n  \"version\": 1,\n  \"diagnostics\": [")
}

/// Writes one file's findings of the JSON contract; `first` says whether none was written yet
/// (and becomes false once one is).
fn json_file(out: &mut impl Write, r: &FileReport, first: &mut bool) -> io::Result<()> {
    for d in json_diagnostics(std::slice::from_ref(r)) {
        let text = serde_json::to_string_pretty(&d).map_err(io::Error::other)?;
        out.write_all(if *first { b"\n" } else { b",\n" })?;
        *first = false;
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            write!(out, "    {line}")?;
        }
    }
    Ok(())
}

/// Ends the JSON contract with its summary.
fn json_end(out: &mut impl Write, summary: &Summary, first: bool) -> io::Result<()> {
    let text = serde_json::to_string_pretty(summary).map_err(io::Error::other)?;
    if !first {
        write!(out, "\n  ")?;
    }
    write!(out, "],\n  \"summary\": ")?;
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            write!(out, "\n  ")?;
        }
        write!(out, "{line}")?;
    }
    writeln!(out, "\n}}")
}
