//! `json-lines`: one JSON object per finding per line, with the fields of the JSON contract's
//! `diagnostics` entries (no summary).

use std::io::{self, Write};

use runcommand_rules::FileReport;

use super::Reporter;
use super::json::json_diagnostics;

/// The `json-lines` reporter.
#[derive(Debug, Default)]
pub struct JsonLines;

impl Reporter for JsonLines {
    fn file(&mut self, out: &mut Vec<u8>, r: &FileReport) -> io::Result<()> {
        json_lines(out, std::slice::from_ref(r))
    }
}

/// Writes one JSON object per diagnostic per line, with the JSON contract's fields.
pub fn json_lines(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    for d in json_diagnostics(reports) {
        runcommand_contract::write_line(out, &d)?;
    }
    Ok(())
}
