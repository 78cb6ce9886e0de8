//! `sarif`: a SARIF 2.1.0 log for code scanning. One JSON document whose rules list depends on
//! every result: results are kept (compact JSON, without file text) until the end.

use std::io::{self, Write};
use std::time::Duration;

use runcommand_catalog::code_url;
use runcommand_rules::{FileReport, Severity};
use serde_json::{Map, Value, json};

use super::{Reporter, Totals, message_with_help};

/// The tool's home page.
const INFORMATION_URI: &str = "https://github.com/runcommand-lint/runcommand-lint";

/// The `sarif` reporter.
#[derive(Debug, Default)]
pub struct Sarif {
    results: Vec<Value>,
}

impl Reporter for Sarif {
    fn file(&mut self, _out: &mut Vec<u8>, r: &FileReport) -> io::Result<()> {
        self.results.extend(sarif_results(r));
        Ok(())
    }

    fn finish(
        &mut self,
        out: &mut Vec<u8>,
        _totals: &Totals,
        _elapsed: Duration,
    ) -> io::Result<()> {
        sarif(out, &sarif_log(std::mem::take(&mut self.results)))
    }
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: relative paths stay relative (with `/`), absolute ones become
/// `file://` URIs; everything but unreserved characters and `/` is percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(r: &FileReport, d_span: &std::ops::Range<usize>) -> Value {
    let s = r.position(d_span.start);
    let e = r.position(d_span.end);
    json!({
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": e.line,
        "endColumn": e.column,
    })
}

fn location(uri_: &str, region: Value) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri_},
            "region": region,
        }
    })
}

/// The SARIF results of one file's findings (their `ruleIndex` is set by [`sarif_log`]).
pub fn sarif_results(r: &FileReport) -> Vec<Value> {
    let file = uri(&r.path);
    let mut results = Vec::new();
    for d in &r.diagnostics {
        let related: Vec<Value> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                let (u, region) = match (&rel.path, rel.position) {
                    (Some(p), Some((line, column))) => {
                        (uri(p), json!({"startLine": line, "startColumn": column}))
                    }
                    (Some(p), None) => (uri(p), json!({"startLine": 1})),
                    (None, _) => (file.clone(), region(r, &rel.span)),
                };
                let mut l = location(&u, region);
                if let Some(o) = l.as_object_mut() {
                    o.insert("id".into(), i.into());
                    o.insert("message".into(), json!({"text": rel.message}));
                }
                l
            })
            .collect();
        let mut properties = Map::new();
        properties.insert("document".into(), d.document.into());
        if let Some(s) = d.http_status() {
            properties.insert("httpStatus".into(), s.into());
        }
        if let Some(p) = &d.parameter {
            properties.insert("parameter".into(), p.as_str().into());
        }
        let mut result = json!({
            "ruleId": d.code.as_str(),
            "ruleIndex": 0,
            "level": sarif_level(d.severity),
            "message": {"text": message_with_help(d)},
            "locations": [location(&file, region(r, &d.span))],
            "properties": properties,
        });
        if !related.is_empty()
            && let Some(o) = result.as_object_mut()
        {
            o.insert("relatedLocations".into(), related.into());
        }
        if let Some(f) = &d.fix
            && let Some(o) = result.as_object_mut()
        {
            // SARIF §3.55: the replacement of a region of this file.
            o.insert(
                "fixes".into(),
                json!([{
                    "description": {"text": f.title},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": file},
                        "replacements": [{
                            "deletedRegion": region(r, &f.span),
                            "insertedContent": {"text": f.replacement},
                        }],
                    }],
                }]),
            );
        }
        results.push(result);
    }
    results
}

/// The SARIF 2.1.0 log: one run; the rules referenced, with their catalogue text; one result per
/// finding with its region (1-based, columns in Unicode code points, exclusive end).
pub fn sarif_log(mut results: Vec<Value>) -> Value {
    let mut codes: Vec<String> = results
        .iter()
        .filter_map(|r| r.get("ruleId").and_then(Value::as_str).map(str::to_owned))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    for r in &mut results {
        let index = r
            .get("ruleId")
            .and_then(Value::as_str)
            .and_then(|id| codes.binary_search_by(|c| c.as_str().cmp(id)).ok())
            .unwrap_or(0);
        if let Some(o) = r.as_object_mut() {
            o.insert("ruleIndex".into(), index.into());
        }
    }
    let rules: Vec<Value> = codes
        .iter()
        .map(|code| {
            let info = runcommand_catalog::code(code);
            let message = info.map_or("", |c| c.message);
            let description = info.map_or("", |c| c.description);
            let mut properties = Map::new();
            if let Some(c) = info {
                properties.insert("class".into(), c.class.as_str().into());
                if let Some(s) = c.http_status {
                    properties.insert("httpStatus".into(), s.into());
                }
                if !c.parameters.is_empty() {
                    properties.insert("parameters".into(), c.parameters.into());
                }
            }
            json!({
                "id": code,
                "shortDescription": {"text": message},
                "fullDescription": {"text": description},
                "help": {"text": description},
                "helpUri": code_url(code),
                "defaultConfiguration": {
                    "level": sarif_level(info.map_or(Severity::Error, |c| c.severity)),
                },
                "properties": properties,
            })
        })
        .collect();
    json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "runcommand-lint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// The SARIF log of `reports` (all at once).
#[cfg(test)]
pub(super) fn sarif_value(reports: &[FileReport]) -> Value {
    sarif_log(reports.iter().flat_map(sarif_results).collect())
}

/// Writes a SARIF 2.1.0 log.
pub fn sarif(out: &mut impl Write, log: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, log).map_err(io::Error::other)?;
    writeln!(out)
}
