//! `json`: the stable JSON contract (version 1), written incrementally: the opening, each file's
//! findings as it completes, then the summary; the same bytes as pretty-printing the whole object
//! at once.

use std::io::{self, Write};
use std::time::Duration;

use runcommand_rules::FileReport;

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

pub use runcommand_contract::Summary;

/// Every diagnostic as the JSON contract's object, in order.
pub(super) fn json_diagnostics(
    reports: &[FileReport],
) -> impl Iterator<Item = runcommand_contract::Diagnostic<'_>> {
    reports.iter().flat_map(runcommand_contract::diagnostics)
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
