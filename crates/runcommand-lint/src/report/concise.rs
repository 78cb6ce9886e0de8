//! `concise`: one line per finding, `path:line:column: severity code message`.

use std::io::{self, Write};

use runcommand_rules::FileReport;

use super::Reporter;

/// The `concise` reporter.
#[derive(Debug, Default)]
pub struct Concise;

impl Reporter for Concise {
    fn file(&mut self, out: &mut Vec<u8>, r: &FileReport) -> io::Result<()> {
        concise(out, std::slice::from_ref(r))
    }
}

/// Writes `path:line:col: severity code message`, one line per finding.
pub fn concise(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    for r in reports {
        for d in &r.diagnostics {
            let p = r.position(d.span.start);
            writeln!(
                out,
                "{}:{}:{}: {} {} {}",
                r.path,
                p.line,
                p.column,
                d.severity.as_str(),
                d.code,
                one_line(&d.message)
            )?;
        }
    }
    Ok(())
}

/// A message on one line (line breaks become spaces).
pub(super) fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}
