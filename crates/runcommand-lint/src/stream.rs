//! Streaming output: a [`Reporter`] writes each file's findings as soon as the file is done,
//! and [`Totals`] keeps what the end of the output needs (counts, never findings), so memory
//! does not grow with the number of files. SARIF is one JSON document whose rules list depends
//! on every result: its results are kept (as compact JSON, without file text) until the end.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::time::Duration;

use runcommand_rules::{FileReport, Severity};

use crate::output::{self, Style, Summary};
use crate::{OutputFormat, formats};

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
    pub fn summary(&self) -> Summary {
        Summary {
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

/// Writes findings in one format as files complete.
pub enum Reporter {
    /// Snippets, then the summary table.
    Human(Style),
    /// The JSON contract, written as it goes.
    Json {
        /// No finding written yet.
        first: bool,
    },
    /// One JSON object per finding.
    JsonLines,
    /// One line per finding.
    Concise,
    /// SARIF: results kept until the end.
    Sarif(Vec<serde_json::Value>),
    /// GitHub workflow commands.
    Github,
}

impl Reporter {
    /// The reporter of a format.
    pub fn new(format: OutputFormat, color: bool) -> Reporter {
        match format {
            OutputFormat::Human => Reporter::Human(Style { color }),
            OutputFormat::Json => Reporter::Json { first: true },
            OutputFormat::JsonLines => Reporter::JsonLines,
            OutputFormat::Concise => Reporter::Concise,
            OutputFormat::Sarif => Reporter::Sarif(Vec::new()),
            OutputFormat::Github => Reporter::Github,
        }
    }

    /// What comes before the first file.
    pub fn begin(&mut self, out: &mut impl Write) -> io::Result<()> {
        match self {
            Reporter::Json { .. } => output::json_begin(out),
            _ => Ok(()),
        }
    }

    /// One file's findings.
    pub fn file(&mut self, out: &mut impl Write, r: &FileReport) -> io::Result<()> {
        let one = std::slice::from_ref(r);
        match self {
            Reporter::Human(st) => output::human_file(out, r, st),
            Reporter::Json { first } => output::json_file(out, r, first),
            Reporter::JsonLines => output::json_lines(out, one),
            Reporter::Concise => formats::concise(out, one),
            Reporter::Sarif(results) => {
                results.extend(formats::sarif_results(r));
                Ok(())
            }
            Reporter::Github => formats::github(out, one),
        }
    }

    /// What comes after the last file: the JSON summary, the SARIF log, the human summary.
    pub fn finish(
        &mut self,
        out: &mut impl Write,
        totals: &Totals,
        elapsed: Duration,
        summary_table: bool,
    ) -> io::Result<()> {
        match self {
            Reporter::Human(st) => {
                if summary_table {
                    table(out, totals, elapsed, st)?;
                }
                output::human_total(out, &totals.summary(), st)
            }
            Reporter::Json { first } => output::json_end(out, &totals.summary(), *first),
            Reporter::Sarif(results) => {
                formats::sarif(out, &formats::sarif_log(std::mem::take(results)))
            }
            Reporter::JsonLines | Reporter::Concise | Reporter::Github => Ok(()),
        }
    }
}

/// The summary table of a human run: findings by code and severity (most frequent first), the
/// files with errors and the time taken.
pub fn table(out: &mut impl Write, t: &Totals, elapsed: Duration, st: &Style) -> io::Result<()> {
    let mut rows: Vec<(&str, Severity, usize)> =
        t.by_code.iter().map(|((c, s), n)| (*c, *s, *n)).collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)).then(a.1.cmp(&b.1)));
    if !rows.is_empty() {
        let width = rows
            .iter()
            .map(|r| r.0.len())
            .max()
            .unwrap_or(0)
            .max("code".len());
        writeln!(out, "{}", st.paint("1", "Summary"))?;
        writeln!(
            out,
            "  {:<width$}  {:<8}  {:>7}",
            "code", "severity", "count"
        )?;
        for (code, sev, n) in rows {
            writeln!(out, "  {code:<width$}  {:<8}  {n:>7}", sev.as_str())?;
        }
    }
    let skipped = if t.skipped > 0 {
        format!("; {} skipped (not RunCommand requests)", t.skipped)
    } else {
        String::new()
    };
    writeln!(
        out,
        "  files checked: {}, with errors: {}{skipped}; requests: {}; time: {:.2} s",
        t.files,
        t.files_with_errors,
        t.requests,
        elapsed.as_secs_f64()
    )
}
