//! Request logs: JSON Lines, one record per line (`.jsonl`, `.ndjson`).
//!
//! A line is checked on its own (`check_line`, through [`crate::Engine::check_source`]) and its findings carry its line number in the
//! file ([`FileReport::line_offset`]), so a log of any length is checked one bounded chunk at a
//! time. What a line may hold:
//!
//! - **a request**: a JSON object of RunCommand parameters, nested (`"InstanceId": ["i-..."]`) or
//!   flattened as the RPC API sends them (`"InstanceId.1": "i-..."`, every value a string);
//! - **an audit-trail event record**: a JSON object with a `requestParameters` member that is an
//!   object, such as ActionTrail writes for every API call:
//!   `{"eventName": "RunCommand", "serviceName": "Ecs", "acsRegion": "cn-hangzhou",
//!   "requestParameters": {"RegionId": "cn-hangzhou", "Type": "RunShellScript", ...}, ...}`.
//!   The `requestParameters` object is checked as the request, and findings point into it.
//!   A record whose `eventName` is a string other than `RunCommand` is another API's call and is
//!   skipped (no finding; when no line of a walked log is a request, the log is skipped like any
//!   file that does not look like one). The record's other members are not read: `acsRegion` does
//!   not stand in for a missing `RegionId` (the request as logged is what was sent);
//! - **an array** of either, checked element by element;
//! - **a blank line**, skipped.
//!
//! A line that is not valid JSON gets `Lint.Syntax` at its line; the next line is read as usual.
//! `document` in the findings is the 0-based line index (plus the element index for an array).

use runcommand_document::{Format, Node, Value};

use crate::{FileReport, Mode, check_loaded, load_bytes};

/// The request a log record holds: the record itself, or its `requestParameters`; `None` for
/// an audit record of another API call.
pub fn request_of(node: &Node) -> Option<&Node> {
    let Value::Map(entries) = &node.value else {
        return Some(node);
    };
    let member = |name: &str| {
        entries
            .iter()
            .find(|e| e.key.as_key_str() == Some(name))
            .map(|e| &e.value)
    };
    let Some(params) = member("requestParameters").filter(|p| matches!(p.value, Value::Map(_)))
    else {
        return Some(node);
    };
    match member("eventName").and_then(Node::as_key_str) {
        Some(name) if name != "RunCommand" => None,
        _ => Some(params),
    }
}

/// Checks line `line_number` (1-based) of a JSON Lines file: one record, see the module
/// documentation. A blank line gives a report with no request and no finding.
pub(crate) fn check_line(
    path: &str,
    line: &[u8],
    line_number: usize,
    ctx: &crate::Context<'_>,
) -> FileReport {
    read_line(path, line, line_number, |line| {
        check_loaded(path, load_bytes(line, Format::Json), ctx, Mode::Record)
    })
}

/// A log line's report: `read` on the line without a trailing `\r`, or an empty report for a
/// blank line; its findings at `line_number`.
fn read_line(
    path: &str,
    line: &[u8],
    line_number: usize,
    read: impl FnOnce(&[u8]) -> FileReport,
) -> FileReport {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut report = if line.iter().all(u8::is_ascii_whitespace) {
        FileReport::empty(path)
    } else {
        read(line)
    };
    report.at_line(line_number);
    report
}

/// [`check_line`] without the rules: only what loading finds and the content test (the floor the
/// benchmarks compare a log check with, `check --parse-only`). The record is read as
/// [`check_line`] reads it: an audit record is unwrapped and another API's call skipped, so the
/// requests counted are those a check would check.
pub fn parse_only_line(path: &str, line: &[u8], line_number: usize) -> FileReport {
    read_line(path, line, line_number, |line| {
        let loaded = load_bytes(line, Format::Json);
        let chosen: Vec<&Node> = loaded
            .documents
            .iter()
            .filter_map(|d| d.root.as_ref())
            .flat_map(|root| match &root.value {
                Value::Seq(items) => items.as_slice(),
                _ => std::slice::from_ref(root),
            })
            .filter_map(request_of)
            .collect();
        let requests = chosen.len();
        let looks_like_request = crate::looks_like_request(&loaded, chosen);
        FileReport {
            diagnostics: crate::load_error(&loaded).into_iter().collect(),
            looks_like_request,
            requests,
            line_index: loaded.line_index,
            text: loaded.text,
            ..FileReport::empty(path)
        }
    })
}

/// The lines of a request log held in memory, numbered from 1, as `check` reads a log file:
/// split at `\n` (a `\r` before it stays in the line and is dropped when the line is checked);
/// a last line without a line break counts; an empty text has no line.
pub fn log_lines(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    (!bytes.is_empty())
        .then(|| body.split(|&b| b == b'\n'))
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, line)| (i + 1, line))
}

/// Whether a path names a JSON Lines file (`.jsonl`, `.ndjson`, any case).
pub fn is_json_lines_path(path: &str) -> bool {
    std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(line: &str, n: usize) -> (Vec<(&'static str, u32)>, usize, bool) {
        let r = check_line("log.jsonl", line.as_bytes(), n, &crate::Context::now());
        let codes = r
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), r.position(d.span.start).line))
            .collect();
        (codes, r.requests, r.looks_like_request)
    }

    const OK: &str = r#"{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo hi", "InstanceId": ["i-bp185dy2o3o6neg1234"]}"#;

    #[test]
    fn a_plain_request_line_is_checked_at_its_line() {
        assert_eq!(codes(OK, 7), (vec![], 1, true));
        let bad = OK.replace("RunShellScript", "RunShell");
        assert_eq!(
            codes(&bad, 7),
            (vec![("InvalidCmdType.NotFound", 7)], 1, true)
        );
    }

    #[test]
    fn audit_records_are_checked_through_request_parameters() {
        let flat = r#"{"eventId": "e1", "eventName": "RunCommand", "serviceName": "Ecs", "acsRegion": "cn-hangzhou", "requestParameters": {"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo hi", "InstanceId.1": "i-bp185dy2o3o6neg1234", "Timeout": "3"}}"#;
        let r = check_line("log.jsonl", flat.as_bytes(), 3, &crate::Context::now());
        assert_eq!(r.requests, 1);
        let d: Vec<_> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(d, vec!["Lint.TimeoutTooShort"]);
        // The finding points into requestParameters, at the Timeout value.
        let span = r.diagnostics[0].span.clone();
        assert_eq!(&r.text[span], "\"3\"");
        assert_eq!(r.diagnostics[0].document, 2);
    }

    #[test]
    fn other_api_calls_are_skipped() {
        let other = r#"{"eventName": "DescribeInstances", "requestParameters": {"RegionId": "cn-hangzhou"}}"#;
        assert_eq!(codes(other, 1), (vec![], 0, false));
        // Without eventName the requestParameters are taken as the request.
        let bare =
            r#"{"requestParameters": {"RegionId": "cn-hangzhou", "Type": "RunShellScript"}}"#;
        let (c, n, _) = codes(bare, 1);
        assert_eq!(n, 1);
        assert!(
            c.iter().any(|(c, _)| *c == "Lint.MissingParameter"),
            "{c:?}"
        );
    }

    #[test]
    fn blank_and_broken_lines() {
        assert_eq!(codes("  \r", 4), (vec![], 0, false));
        assert_eq!(codes("", 4), (vec![], 0, false));
        let (c, n, _) = codes(r#"{"RegionId": "#, 9);
        assert_eq!(c, vec![("Lint.Syntax", 9)]);
        assert_eq!(n, 0);
    }

    #[test]
    fn parse_only_reads_records_as_a_check_does() {
        // The requests and the content test of a parse-only line are those of a check.
        let audit = r#"{"eventName": "RunCommand", "requestParameters": {"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo hi"}}"#;
        let other = r#"{"eventName": "DescribeInstances", "requestParameters": {"RegionId": "cn-hangzhou"}}"#;
        let array = format!("[{OK}, {other}, {audit}]\r");
        for line in [OK, audit, other, array.as_str(), "  ", r#"{"RegionId": "#] {
            let p = parse_only_line("log.jsonl", line.as_bytes(), 5);
            let (_, requests, looks) = codes(line, 5);
            assert_eq!(
                (p.requests, p.looks_like_request),
                (requests, looks),
                "{line}"
            );
            // Only loading's findings, at the line.
            let found: Vec<_> = p
                .diagnostics
                .iter()
                .map(|d| (d.code.as_str(), p.position(d.span.start).line))
                .collect();
            let syntax = line.trim_end() == r#"{"RegionId":"#;
            assert_eq!(
                found,
                if syntax {
                    vec![("Lint.Syntax", 5)]
                } else {
                    vec![]
                }
            );
        }
        assert_eq!(parse_only_line("l", array.as_bytes(), 1).requests, 2);
    }

    #[test]
    fn log_lines_are_numbered_as_a_reader_reads_them() {
        let lines = |t: &str| -> Vec<(usize, String)> {
            log_lines(t.as_bytes())
                .map(|(n, l)| (n, String::from_utf8_lossy(l).into_owned()))
                .collect()
        };
        assert_eq!(lines(""), vec![]);
        assert_eq!(lines("\n"), vec![(1, String::new())]);
        assert_eq!(lines("a"), vec![(1, "a".to_owned())]);
        assert_eq!(
            lines("a\r\n\nb\n"),
            vec![
                (1, "a\r".to_owned()),
                (2, String::new()),
                (3, "b".to_owned())
            ]
        );
    }

    #[test]
    fn json_lines_paths() {
        assert!(is_json_lines_path("a/b.jsonl"));
        assert!(is_json_lines_path("B.NDJSON"));
        assert!(!is_json_lines_path("a.json"));
    }
}
