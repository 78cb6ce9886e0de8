//! The JSON contract (version 1): the shape of one finding as every front end gives it: the
//! CLI's `json` and `json-lines` formats, the Python package's dicts and the Spark job's rows.
//! One definition here, so that they cannot drift apart.
//!
//! A finding is an object with `path`, `document` (0-based request index in the file; for a
//! request log, the 0-based line index), `code`, `severity`, `http_status` (or `null`),
//! `parameter` (or `null`), `message`, `help` (or `null`), `range` (`start`/`end`, each a
//! 1-based `line` and `column` in Unicode characters) and, when there is one, `fix`
//! (`applicability` `safe`/`unsafe`, `message`, `edits` with `range` and `content`).

use runcommand_rules::FileReport;
use serde::Serialize;

/// The contract's version, written by the `json` format.
pub const VERSION: u32 = 1;

/// A 1-based position, columns in Unicode characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line in the whole file.
    pub line: u32,
    /// 1-based column, in Unicode characters.
    pub column: u32,
}

/// A range of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Range {
    /// Where it starts.
    pub start: Position,
    /// Where it ends (exclusive).
    pub end: Position,
}

/// One finding.
#[derive(Debug, Serialize)]
pub struct Diagnostic<'a> {
    /// The path as given.
    pub path: &'a str,
    /// 0-based index of the request in its file (a log: the line index).
    pub document: usize,
    /// The code (`InvalidParam.Frequency`, `Lint.Syntax`, `ShellCheck.SC2086`).
    pub code: &'a str,
    /// `error`, `warning` or `info`.
    pub severity: &'a str,
    /// The HTTP status the API answers with, for an API error code.
    pub http_status: Option<u16>,
    /// The request parameter concerned.
    pub parameter: Option<&'a str>,
    /// What is wrong.
    pub message: &'a str,
    /// How to mend it.
    pub help: Option<&'a str>,
    /// Where.
    pub range: Range,
    /// The fix `--fix` would apply (or, unsafe, `--unsafe-fixes`); absent when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix<'a>>,
}

/// A fix: ruff's shape, with this contract's ranges.
#[derive(Debug, Serialize)]
pub struct Fix<'a> {
    /// `safe` (applied by `--fix`) or `unsafe` (only with `--unsafe-fixes`).
    pub applicability: &'a str,
    /// What it does.
    pub message: &'a str,
    /// The edits, in order, not overlapping.
    pub edits: Vec<Edit<'a>>,
}

/// One edit of a fix.
#[derive(Debug, Serialize)]
pub struct Edit<'a> {
    /// The range replaced.
    pub range: Range,
    /// What replaces it.
    pub content: &'a str,
}

/// The `summary` member of the `json` format.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Requests checked.
    pub documents: usize,
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
}

/// The contract's position of a byte offset of a report's text.
pub fn position(r: &FileReport, offset: usize) -> Position {
    let lc = r.position(offset);
    Position {
        line: lc.line,
        column: lc.column,
    }
}

/// The contract's range of a byte range of a report's text.
pub fn range(r: &FileReport, span: &std::ops::Range<usize>) -> Range {
    Range {
        start: position(r, span.start),
        end: position(r, span.end),
    }
}

/// Every finding of a report as the contract's object, in the report's order.
pub fn diagnostics(r: &FileReport) -> impl Iterator<Item = Diagnostic<'_>> {
    r.diagnostics.iter().map(move |d| Diagnostic {
        path: &r.path,
        document: d.document,
        code: d.code.as_str(),
        severity: d.severity.as_str(),
        http_status: d.http_status(),
        parameter: d.parameter.as_deref(),
        message: &d.message,
        help: d.help.as_deref(),
        range: range(r, &d.span),
        fix: d.fix.as_ref().map(|f| Fix {
            applicability: if f.safe { "safe" } else { "unsafe" },
            message: &f.title,
            edits: vec![Edit {
                range: range(r, &f.span),
                content: &f.replacement,
            }],
        }),
    })
}

/// Writes one finding as one line of compact JSON (the `json-lines` format), with its line
/// break.
pub fn write_line(out: &mut impl std::io::Write, d: &Diagnostic<'_>) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, d).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use runcommand_rules::{Engine, Source};

    #[test]
    fn a_finding_has_the_contract_fields() {
        let text = b"RegionId: cn-hangzhou\nType: RunShell\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";
        let report = Engine::default().check(
            Source::Bytes {
                path: "r.yaml",
                format: runcommand_document::Format::Yaml,
                bytes: text,
            },
            None,
        );
        let found: Vec<serde_json::Value> = diagnostics(&report)
            .map(|d| serde_json::to_value(&d).unwrap_or_default())
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(d["path"], "r.yaml");
        assert_eq!(d["code"], "InvalidCmdType.NotFound");
        assert_eq!(d["severity"], "error");
        assert_eq!(d["parameter"], "Type");
        assert_eq!(d["range"]["start"]["line"], 2);
        assert_eq!(d["range"]["start"]["column"], 7);
        assert!(d["http_status"].is_number());
        let mut line = Vec::new();
        let first = diagnostics(&report).next();
        assert!(first.is_some());
        if let Some(first) = first {
            assert!(write_line(&mut line, &first).is_ok());
        }
        assert!(line.ends_with(b"}\n") && !line[..line.len() - 1].contains(&b'\n'));
    }
}
