//! Reporters: one module per output format, each a [`Reporter`] that writes each file's findings
//! as soon as the file is done (`begin`, `file` for every file, `finish`), and [`Totals`], which
//! keeps what the end of the output needs (counts, never findings), so memory does not grow with
//! the number of files.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::time::Duration;

use runcommand_rules::{Diagnostic, FileReport, Severity};

use crate::OutputFormat;

mod calendar;
mod concise;
mod github;
mod html;
mod human;
mod json;
mod json_lines;
mod sarif;

/// One output format, streamed.
pub trait Reporter {
    /// What comes before the first file.
    fn begin(&mut self, _out: &mut Vec<u8>) -> io::Result<()> {
        Ok(())
    }

    /// One file's findings.
    fn file(&mut self, out: &mut Vec<u8>, r: &FileReport) -> io::Result<()>;

    /// What comes after the last file (a summary, a whole SARIF log).
    fn finish(
        &mut self,
        _out: &mut Vec<u8>,
        _totals: &Totals,
        _elapsed: Duration,
    ) -> io::Result<()> {
        Ok(())
    }
}

/// What the reporters are told besides the findings.
pub struct Options {
    /// Colour (human format).
    pub color: bool,
    /// The run's "now": the start of the HTML report's calendar.
    pub now: chrono::DateTime<chrono::Utc>,
    /// Days the calendar shows.
    pub calendar_days: u16,
    /// The calendar's second zone, if chosen.
    pub calendar_zone: Option<runcommand_frequency::Zone>,
    /// The paths given on the command line (the HTML report's title says what was checked).
    pub paths: Vec<String>,
}

/// The reporter of a format.
pub fn new(format: OutputFormat, options: &Options) -> Box<dyn Reporter + Send> {
    match format {
        OutputFormat::Human => Box::new(human::Human::new(options.color)),
        OutputFormat::Html => Box::new(html::Html::new(options)),
        OutputFormat::Json => Box::new(json::Json::new()),
        OutputFormat::JsonLines => Box::new(json_lines::JsonLines),
        OutputFormat::Concise => Box::new(concise::Concise),
        OutputFormat::Sarif => Box::new(sarif::Sarif::default()),
        OutputFormat::Github => Box::new(github::Github),
    }
}

/// What the end of a run reports.
#[derive(Default)]
pub struct Totals {
    /// Files checked (a request log counts once).
    pub files: usize,
    /// Files with at least one error.
    pub files_with_errors: usize,
    /// Files skipped because they do not look like requests.
    pub skipped: usize,
    /// Requests checked.
    pub requests: usize,
    /// Findings by code and severity.
    pub by_code: BTreeMap<(&'static str, Severity), usize>,
}

impl Totals {
    /// Findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.by_code
            .iter()
            .filter(|((_, s), _)| *s == severity)
            .map(|(_, n)| n)
            .sum()
    }

    /// Counts one checked report's requests and findings.
    pub fn add(&mut self, r: &FileReport) {
        self.requests += r.requests;
        for d in &r.diagnostics {
            *self
                .by_code
                .entry((d.code.as_str(), d.severity))
                .or_default() += 1;
        }
    }

    /// The JSON contract's summary.
    pub fn summary(&self) -> json::Summary {
        json::Summary {
            files: self.files,
            documents: self.requests,
            errors: self.count(Severity::Error),
            warnings: self.count(Severity::Warning),
        }
    }

    /// Findings by code (any severity), for `--statistics`.
    pub fn by_code_only(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for ((code, _), n) in &self.by_code {
            *m.entry(*code).or_default() += n;
        }
        m
    }
}

/// The message with its help, if any, on a second line.
fn message_with_help(d: &Diagnostic) -> String {
    match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.clone(),
    }
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
    use super::concise::concise;
    use super::github::{escape_data, escape_property, github};
    use super::sarif::{sarif_value, uri};
    use super::*;
    use runcommand_document::Format;
    use serde_json::json;

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
