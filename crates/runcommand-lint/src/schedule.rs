//! `runcommand-lint schedule EXPR`: is a `Frequency` valid, what does it mean, when does it fire?
//!
//! The diagnostics are the ones `check` gives for the same expression (the same rule code path,
//! `runcommand_rules::rules::frequency::check_expression`), with columns counted in characters of
//! the expression. Firings are listed in the expression's zone and in UTC; a cron expression
//! without a zone runs in the instance's system zone, which is unknown offline, so it is shown in
//! UTC with a note.

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::{DateTime, SecondsFormat, Utc};
use runcommand_rules::Severity;
use runcommand_rules::rules::frequency::{check_expression, human_duration};
use serde::Serialize;

/// Arguments of `schedule`.
#[derive(clap::Args)]
pub struct ScheduleArgs {
    /// The Frequency expression, e.g. '0 15 10 ? * 6#3 Asia/Shanghai' or 'rate(5m)'.
    expression: String,
    /// The request's Timeout in seconds (rate intervals and cron gaps are checked against it).
    #[arg(long, default_value_t = runcommand_catalog::limits::TIMEOUT_DEFAULT)]
    timeout: i64,
    /// How many firings to list.
    #[arg(long, default_value_t = 5)]
    count: usize,
    /// List firings after this instant (RFC 3339, e.g. 2026-11-28T00:00:00Z) instead of now.
    #[arg(long, value_name = "TIMESTAMP", value_parser = parse_from)]
    from: Option<DateTime<Utc>>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// An RFC 3339 timestamp given on the command line, in UTC.
pub fn parse_from(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 timestamp ({e}), e.g. 2026-11-28T00:00:00Z"))
}

#[derive(Serialize)]
struct Pos {
    line: u32,
    column: usize,
}

#[derive(Serialize)]
struct JsonRange {
    start: Pos,
    end: Pos,
}

#[derive(Serialize)]
struct JsonDiag {
    code: &'static str,
    severity: &'static str,
    http_status: Option<u16>,
    message: String,
    help: Option<String>,
    range: JsonRange,
}

#[derive(Serialize)]
struct Firing {
    local: String,
    utc: String,
}

#[derive(Serialize)]
struct Report {
    expression: String,
    valid: bool,
    description: Option<String>,
    zone: Option<String>,
    zone_explicit: Option<bool>,
    from: String,
    firings: Vec<Firing>,
    smallest_gap_seconds: Option<u64>,
    diagnostics: Vec<JsonDiag>,
}

/// Column (1-based, in characters) of a byte offset in the expression.
fn column(expr: &str, offset: usize) -> usize {
    expr.char_indices().take_while(|(i, _)| *i < offset).count() + 1
}

/// Runs `schedule`.
pub fn run(args: &ScheduleArgs) -> ExitCode {
    let from = args.from.unwrap_or_else(Utc::now);
    let expr = args.expression.as_str();
    let (parsed, diags) = check_expression(expr, args.timeout, from);
    let firings: Vec<DateTime<Utc>> = parsed
        .as_ref()
        .map(|f| f.next_firings(from, args.count))
        .unwrap_or_default();
    // Valid: no error, and it fires (an `at` in the past is accepted with a warning but never runs).
    let valid = !diags.iter().any(|d| d.severity == Severity::Error) && !firings.is_empty();
    let zone = parsed.as_ref().map(|f| f.zone());
    let gap = parsed
        .as_ref()
        .and_then(|f| f.min_gap(from))
        .map(|d| d.as_secs());
    let report = Report {
        expression: expr.to_owned(),
        valid,
        description: parsed.as_ref().map(|f| f.describe()),
        zone: zone.as_ref().map(ToString::to_string),
        zone_explicit: parsed.as_ref().map(|f| f.zone_is_explicit()),
        from: from.to_rfc3339_opts(SecondsFormat::Secs, true),
        firings: firings
            .iter()
            .map(|t| Firing {
                local: zone
                    .as_ref()
                    .map_or_else(|| t.fixed_offset(), |z| z.localize(*t))
                    .to_rfc3339_opts(SecondsFormat::Secs, true),
                utc: t.to_rfc3339_opts(SecondsFormat::Secs, true),
            })
            .collect(),
        smallest_gap_seconds: gap,
        diagnostics: diags
            .iter()
            .map(|d| JsonDiag {
                code: d.code.as_str(),
                severity: d.severity.as_str(),
                http_status: d.http_status(),
                message: d.message.clone(),
                help: d.help.clone(),
                range: JsonRange {
                    start: Pos {
                        line: 1,
                        column: column(expr, d.span.start),
                    },
                    end: Pos {
                        line: 1,
                        column: column(expr, d.span.end),
                    },
                },
            })
            .collect(),
    };
    let mut out = io::stdout().lock();
    let written = match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut out, &report)
            .map_err(io::Error::other)
            .and_then(|()| writeln!(out)),
        Format::Human => human(&mut out, &report, &diags, expr),
    };
    if let Err(e) = &written
        && let Some(status) = crate::output_failed(e)
    {
        return status;
    }
    if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn human(
    out: &mut impl Write,
    r: &Report,
    diags: &[runcommand_rules::Diagnostic],
    expr: &str,
) -> io::Result<()> {
    writeln!(out, "Frequency: {expr}")?;
    for d in diags {
        writeln!(out, "{}[{}]: {}", d.severity.as_str(), d.code, d.message)?;
        let start = column(expr, d.span.start);
        let len = column(expr, d.span.end).saturating_sub(start).max(1);
        writeln!(out, "  | {expr}")?;
        writeln!(out, "  | {}{}", " ".repeat(start - 1), "^".repeat(len))?;
        if let Some(h) = &d.help {
            writeln!(out, "  = help: {h}")?;
        }
    }
    writeln!(out, "Valid: {}", if r.valid { "yes" } else { "no" })?;
    if let Some(desc) = &r.description {
        writeln!(out, "Meaning: {desc}")?;
    }
    if r.zone_explicit == Some(false) {
        writeln!(
            out,
            "Zone: none given: the task runs in the instance's system time zone; times below are UTC"
        )?;
    }
    if !r.firings.is_empty() {
        let zone = r.zone.as_deref().unwrap_or("UTC");
        // One column when the times are UTC anyway.
        if r.firings.iter().all(|f| f.local == f.utc) {
            writeln!(
                out,
                "Next {} firings after {} (UTC):",
                r.firings.len(),
                r.from
            )?;
            for f in &r.firings {
                writeln!(out, "  {}", f.utc)?;
            }
        } else {
            writeln!(
                out,
                "Next {} firings after {} ({zone} | UTC):",
                r.firings.len(),
                r.from
            )?;
            for f in &r.firings {
                writeln!(out, "  {}  |  {}", f.local, f.utc)?;
            }
        }
    } else if r.description.is_some() {
        writeln!(out, "Next firings after {}: none", r.from)?;
    }
    if let Some(g) = r.smallest_gap_seconds {
        writeln!(out, "Smallest gap: {} ({g} s)", human_duration(g))?;
    }
    Ok(())
}
