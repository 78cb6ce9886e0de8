//! Reporters for tools and CI: `concise` (one line per finding), `sarif` (SARIF 2.1.0),
//! `github` (GitHub Actions workflow commands), and the `--statistics` table. (`human`, `json`
//! and `json-lines` are in `output`.)

use std::collections::BTreeMap;
use std::io::{self, Write};

use runcommand_rules::{Diagnostic, FileReport, Severity};
use serde_json::{Map, Value, json};

use runcommand_catalog::code_url;

/// The tool's home page.
const INFORMATION_URI: &str = "https://github.com/runcommand-lint/runcommand-lint";

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
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// The message with its help, if any, on a second line.
fn message_with_help(d: &Diagnostic) -> String {
    match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.clone(),
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
fn sarif_value(reports: &[FileReport]) -> Value {
    sarif_log(reports.iter().flat_map(sarif_results).collect())
}

/// Writes a SARIF 2.1.0 log.
pub fn sarif(out: &mut impl Write, log: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, log).map_err(io::Error::other)?;
    writeln!(out)
}

/// Escapes the message of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn escape_property(s: &str) -> String {
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

/// Writes how many findings there are of each code, most frequent first, with the code's
/// summary from the catalogue.
pub fn statistics(out: &mut impl Write, counts: &BTreeMap<&str, usize>) -> io::Result<()> {
    let mut rows: Vec<(&str, usize)> = counts.iter().map(|(c, n)| (*c, *n)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let width = rows.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    for (code, n) in rows {
        let summary = runcommand_catalog::code(code).map_or("", |c| c.message);
        writeln!(out, "{n:>5}  {code:<width$}  {summary}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use runcommand_document::Format;

    fn reports() -> Vec<FileReport> {
        let a = runcommand_rules::check_bytes(
            "dir/a b.yaml",
            b"RegionId: cn-hangzhou\nType: RunShellscript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\nTimeout: 5\n",
            Format::Yaml,
        );
        let b = runcommand_rules::check_bytes(
            "b,c:d.json",
            br#"{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "x", "InstanceId": ["i-abc"], "Nmae": "\u00e9"}"#,
            Format::Json,
        );
        vec![a, b]
    }

    fn render(f: fn(&mut Vec<u8>, &[FileReport]) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        f(&mut out, &reports()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn concise_is_one_line_per_finding() {
        assert_eq!(
            render(concise),
            "dir/a b.yaml:2:7: error InvalidCmdType.NotFound `RunShellscript` is not a valid Type; valid values: RunBatScript, RunPowerShellScript, RunShellScript\n\
             dir/a b.yaml:5:10: info Lint.TimeoutTooShort Timeout is 5 seconds: the command is stopped after less than 10 seconds\n\
             b,c:d.json:1:103: warning Lint.UnknownParameter `Nmae` is not a parameter of RunCommand\n"
        );
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let s = render(github);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 3, "{s}");
        assert_eq!(
            lines[0],
            "::error file=dir/a b.yaml,line=2,col=7,endLine=2,endColumn=21,title=InvalidCmdType.NotFound::`RunShellscript` is not a valid Type; valid values: RunBatScript, RunPowerShellScript, RunShellScript%0Ahelp: did you mean `RunShellScript`?"
        );
        assert!(lines[1].starts_with("::notice file=dir/a b.yaml,line=5,col=10,endLine=5,endColumn=11,title=Lint.TimeoutTooShort::"), "{}", lines[1]);
        assert!(
            lines[2]
                == "::warning file=b%2Cc%3Ad.json,line=1,col=103,endLine=1,endColumn=109,title=Lint.UnknownParameter::`Nmae` is not a parameter of RunCommand%0Ahelp: did you mean `Name`?",
            "{}",
            lines[2]
        );
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
    }

    #[test]
    fn sarif_has_rules_regions_and_levels() {
        let v = sarif_value(&reports());
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(
            ids,
            vec![
                "InvalidCmdType.NotFound",
                "Lint.TimeoutTooShort",
                "Lint.UnknownParameter"
            ]
        );
        assert_eq!(
            rules[0]["shortDescription"]["text"],
            "The specified command type does not exist."
        );
        assert_eq!(rules[0]["properties"]["httpStatus"], 404);
        assert_eq!(
            rules[0]["helpUri"],
            format!("{}#invalidcmdtypenotfound", runcommand_catalog::CODES_URL)
        );
        assert_eq!(rules[1]["defaultConfiguration"]["level"], "note");
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results[0]["ruleIndex"], 0);
        assert_eq!(results[0]["level"], "error");
        let loc = &results[0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "dir/a%20b.yaml");
        assert_eq!(
            loc["region"],
            json!({"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 21})
        );
        assert_eq!(results[2]["ruleIndex"], 2);
        assert_eq!(
            results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "b%2Cc%3Ad.json"
        );
    }

    #[test]
    fn uris() {
        assert_eq!(uri("a/b c.yaml"), "a/b%20c.yaml");
        assert_eq!(uri("/abs/é.yaml"), "file:///abs/%C3%A9.yaml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
    }

    #[test]
    fn statistics_count_by_code() {
        let mut r = reports();
        let extra = r[1].diagnostics[0].clone();
        r[1].diagnostics.push(extra);
        let mut counts = BTreeMap::new();
        for d in r.iter().flat_map(|r| &r.diagnostics) {
            *counts.entry(d.code.as_str()).or_default() += 1;
        }
        let mut out = Vec::new();
        statistics(&mut out, &counts).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(
            s,
            "    2  Lint.UnknownParameter    The key is not a RunCommand parameter.\n\
             \x20   1  InvalidCmdType.NotFound  The specified command type does not exist.\n\
             \x20   1  Lint.TimeoutTooShort     Timeout is below 10 seconds.\n"
        );
    }
}
