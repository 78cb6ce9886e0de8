//! `github`: GitHub Actions workflow commands, one per finding (shown as annotations).

use std::io::{self, Write};

use runcommand_rules::{FileReport, Severity};

use super::{Reporter, message_with_help};

/// The `github` reporter.
#[derive(Debug, Default)]
pub struct Github;

impl Reporter for Github {
    fn file(&mut self, out: &mut Vec<u8>, r: &FileReport) -> io::Result<()> {
        github(out, std::slice::from_ref(r))
    }
}

/// Escapes the message of a workflow command.
pub(super) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub(super) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes GitHub Actions workflow commands: `::error file=...,line=...,col=...,endLine=...,
/// endColumn=...,title=CODE::message` (`warning`, `notice` for info), the help on a second line.
pub fn github(out: &mut impl Write, reports: &[FileReport]) -> io::Result<()> {
    for r in reports {
        for d in &r.diagnostics {
            let s = r.position(d.span.start);
            let e = r.position(d.span.end);
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&r.path),
                s.line,
                s.column,
                e.line,
                e.column,
                escape_property(d.code.as_str()),
                escape_data(&message_with_help(d))
            )?;
        }
    }
    Ok(())
}
