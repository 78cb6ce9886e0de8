//! The one entry point of the engine. Every front end (the CLI, the language server, the Python
//! package, the tests) builds an [`Engine`] once from its [`Settings`] and checks [`Source`]s with
//! it, each with the configuration that applies to it: loading, the request view, the rules, the
//! cross-request checks, the suppression comments and the configuration run in that order, here
//! and nowhere else, so the same file with the same configuration gives the same findings
//! wherever it is checked.
//!
//! Two ways to use it:
//! - [`Engine::check`]: one source, completely, on its own (an editor's document, a request
//!   built in Python). Its cross-request checks see only that source.
//! - A streaming run over many sources: [`Engine::check_source`] on any thread (the parallel
//!   part: everything that depends on the source alone), then [`Engine::finish`] on one thread in
//!   path order with the run's [`CrossIndex`] (cross-request checks between sources,
//!   suppressions, configuration).

use runcommand_catalog::code;
use std::path::Path;

use chrono::{DateTime, Utc};
use runcommand_config::{Config, ShellCheckConfig, ShellCheckMode};
use runcommand_document::Format;

use crate::cross::CrossIndex;
use crate::{Content, FileReport, Mode, check_loaded, guarded, load_bytes, records};

/// What every check of an engine shares.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The time the rules take as "now" (an `at` schedule in the past, a cron expression with no
    /// future firing): pinned for a run (every file of a `check` sees the same time) or in tests;
    /// `None` reads the wall clock at each check (a language server that runs for days).
    pub now: Option<DateTime<Utc>>,
    /// Files larger than this many bytes are not read (`Lint.FileTooLarge`).
    pub max_file_size: u64,
    /// Findings shown per source at most (`Lint.TooManyFindings` counts the rest); `None` shows
    /// all.
    pub max_findings: Option<usize>,
    /// Codes or code prefixes reported only (the command line's `--select`), after the
    /// configuration; empty: no restriction.
    pub select: Vec<String>,
    /// Codes or code prefixes never reported (`--ignore`), after the configuration.
    pub ignore: Vec<String>,
    /// ShellCheck, when the front end found it (`rules::shellcheck`); `None`: scripts are not
    /// given to it. A file whose configuration says `[shellcheck] enabled = false` is not either.
    pub shellcheck: Option<std::sync::Arc<runcommand_shellcheck::ShellCheck>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            now: None,
            max_file_size: u64::try_from(runcommand_catalog::limits::FILE_SIZE_MAX_BYTES)
                .unwrap_or(10 << 20),
            max_findings: usize::try_from(runcommand_catalog::limits::FINDINGS_PER_FILE_MAX).ok(),
            select: Vec::new(),
            ignore: Vec::new(),
            shellcheck: None,
        }
    }
}

/// What a rule receives besides the request: the engine's settings and the configuration that
/// applies to the file. No rule reads the clock or a configuration of its own.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// "Now" ([`Settings::now`]).
    pub now: DateTime<Utc>,
    /// Region IDs known besides the catalogue's (`extra-regions` of the configuration).
    pub extra_regions: &'a [String],
    /// ShellCheck and the `[shellcheck]` table of the configuration, when scripts are given to
    /// it.
    pub shellcheck: Option<(&'a runcommand_shellcheck::ShellCheck, &'a ShellCheckConfig)>,
    /// Where the ShellCheck rule leaves the scripts of a check for
    /// [`Engine::resolve_scripts`]; `None`: it runs ShellCheck itself, one script at a time.
    pub(crate) scripts: Option<&'a std::cell::RefCell<Vec<crate::rules::ScriptJob>>>,
    /// Where the requests' schedule facts go when the engine collects them
    /// ([`Engine::collecting_schedules`]); `None`: not collected.
    pub(crate) schedules: Option<&'a std::cell::RefCell<Vec<crate::ScheduleFact>>>,
}

impl Context<'_> {
    /// A context with the wall clock and no configuration.
    pub fn now() -> Context<'static> {
        Context {
            now: Utc::now(),
            extra_regions: &[],
            shellcheck: None,
            scripts: None,
            schedules: None,
        }
    }
}

/// What to check.
pub enum Source<'a> {
    /// A request file (YAML or JSON), as read by the caller.
    File {
        /// The path as given (or the name given for standard input).
        path: &'a str,
        /// How to read it.
        format: Format,
        /// Its bytes, or why it could not be read.
        content: &'a Content,
    },
    /// A request file's bytes held by the caller (an editor's document, a text being fixed):
    /// the same as [`Source::File`] with [`Content::Bytes`], without a copy.
    Bytes {
        /// The path as given.
        path: &'a str,
        /// How to read it.
        format: Format,
        /// The bytes.
        bytes: &'a [u8],
    },
    /// Line `number` (1-based) of a request log: one request or audit record. A line longer
    /// than [`Settings::max_file_size`] is not read ([`Engine::long_line`]).
    Line {
        /// The log's path.
        path: &'a str,
        /// The line, without its line break.
        bytes: &'a [u8],
        /// Its 1-based line number.
        number: usize,
    },
}

/// What [`Engine::fix`] did to a file.
#[derive(Debug, Default)]
pub struct Fixed {
    /// The text after the last round that parsed, when the fixes changed it.
    pub text: Option<String>,
    /// The findings fixed, in order: code and the fix's title.
    pub applied: Vec<(runcommand_catalog::Code, String)>,
    /// Fixes were found but their result did not parse (or the file does not parse): the text
    /// of the last good round is kept.
    pub refused: bool,
}

/// Rounds of [`Engine::fix`] at most: a fix may reveal another (or two fixes touch the same
/// place and the second waits a round), never more than a few.
const FIX_ROUNDS: usize = 8;

/// The `[shellcheck]` table of a file without configuration.
static NO_SHELLCHECK_TABLE: ShellCheckConfig = ShellCheckConfig::DEFAULT;

/// The engine: built once, checks any number of sources, from any number of threads.
#[derive(Clone, Debug, Default)]
pub struct Engine {
    settings: Settings,
    /// Whether reports carry their schedule facts ([`Engine::collecting_schedules`]). Not a
    /// field of [`Settings`], which front ends build as struct literals: only a report that
    /// draws schedules asks for it.
    schedules: bool,
}

impl Engine {
    /// An engine with these settings.
    pub fn new(settings: Settings) -> Engine {
        Engine {
            settings,
            schedules: false,
        }
    }

    /// The same engine, whose reports carry the schedule facts of their requests
    /// ([`FileReport::schedules`]) when `on`: what a report drawing the fleet's schedules needs,
    /// which the other reports do not pay for.
    #[must_use]
    pub fn collecting_schedules(mut self, on: bool) -> Engine {
        self.schedules = on;
        self
    }

    /// Its settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The context of a check under `config`.
    pub fn context<'c>(&'c self, config: Option<&'c Config>) -> Context<'c> {
        let table = config.map_or(&NO_SHELLCHECK_TABLE, |c| &c.shellcheck);
        Context {
            now: self.settings.now.unwrap_or_else(Utc::now),
            extra_regions: config.map_or(&[], |c| c.extra_regions.as_slice()),
            shellcheck: self
                .settings
                .shellcheck
                .as_deref()
                .filter(|_| table.mode != ShellCheckMode::Off)
                .map(|sc| (sc, table)),
            scripts: None,
            schedules: None,
        }
    }

    /// Checks one source completely and on its own: the findings `check` prints for it alone.
    /// Never panics on any input.
    pub fn check(&self, source: Source<'_>, config: Option<&Config>) -> FileReport {
        let mut report = self.check_source(source, config);
        self.resolve_scripts([&mut report]);
        let mut index = CrossIndex::default();
        self.finish(&mut report, &mut index, config);
        report
    }

    /// Applies a file's fixes (safe ones; unsafe ones too with `unsafe_fixes`) as `check --fix`
    /// does: checks it completely (suppressions and configuration apply: a suppressed or ignored
    /// finding is not fixed), applies the non-overlapping fixes, checks again, and so on until
    /// nothing applies (at most a few rounds). A file that does not parse is not fixed, and a
    /// round whose result does not parse is dropped with the rounds after it. Alternatives are
    /// never applied.
    pub fn fix(
        &self,
        path: &str,
        format: Format,
        bytes: &[u8],
        config: Option<&Config>,
        unsafe_fixes: bool,
    ) -> Fixed {
        let broken = |r: &FileReport| {
            r.diagnostics.iter().any(|d| {
                [
                    code::LINT_SYNTAX,
                    code::LINT_ENCODING,
                    code::LINT_INTERNAL_ERROR,
                ]
                .contains(&d.code)
            })
        };
        let check = |bytes: &[u8]| {
            self.check(
                Source::Bytes {
                    path,
                    format,
                    bytes,
                },
                config,
            )
        };
        let mut report = check(bytes);
        let mut fixed = Fixed::default();
        if broken(&report) {
            fixed.refused = report.diagnostics.iter().any(|d| d.fix.is_some());
            return fixed;
        }
        for _ in 0..FIX_ROUNDS {
            let Some((text, applied)) =
                crate::fix::apply(&report.text, &report.diagnostics, unsafe_fixes)
            else {
                break;
            };
            if text == report.text {
                break; // the fixes change nothing
            }
            let next = check(text.as_bytes());
            if broken(&next) {
                fixed.refused = true;
                break;
            }
            fixed.applied.extend(applied.iter().filter_map(|&i| {
                let d = report.diagnostics.get(i)?;
                Some((d.code, d.fix.as_ref().map(|f| f.title.clone())?))
            }));
            fixed.text = Some(text);
            report = next;
        }
        fixed
    }

    /// The part of a check that depends on the source alone (load, view, rules), safe to run on
    /// any thread; a panic becomes `Lint.InternalError` for that source. [`Engine::finish`]
    /// completes it.
    pub fn check_source(&self, source: Source<'_>, config: Option<&Config>) -> FileReport {
        let scripts = std::cell::RefCell::new(Vec::new());
        let schedules = std::cell::RefCell::new(Vec::new());
        let mut ctx = self.context(config);
        if ctx.shellcheck.is_some() {
            ctx.scripts = Some(&scripts);
        }
        if self.schedules {
            ctx.schedules = Some(&schedules);
        }
        let mut report = self.check_source_in(source, &ctx);
        report.scripts = scripts.into_inner();
        let mut schedules = schedules.into_inner();
        // A log line's facts were collected before the report was placed at its line.
        if report.line_offset > 0 {
            let before = report.line_offset as usize;
            for s in &mut schedules {
                s.document = s.document.saturating_add(before);
            }
        }
        report.schedules = schedules;
        report
    }

    /// Runs ShellCheck on the scripts the checks of `reports` left ([`Engine::check_source`]),
    /// all at once (one ShellCheck process per chunk of scripts, each distinct script once), and
    /// adds its findings. Does nothing without ShellCheck; idempotent. A streaming run calls it
    /// on each batch of sources before [`Engine::finish`]; [`Engine::check`] calls it itself.
    pub fn resolve_scripts<'r>(&self, reports: impl IntoIterator<Item = &'r mut FileReport>) {
        let Some(sc) = &self.settings.shellcheck else {
            return;
        };
        let mut reports: Vec<&mut FileReport> = reports.into_iter().collect();
        let jobs: Vec<(usize, crate::rules::ScriptJob)> = reports
            .iter_mut()
            .enumerate()
            .flat_map(|(i, r)| {
                std::mem::take(&mut r.scripts)
                    .into_iter()
                    .map(move |j| (i, j))
            })
            .collect();
        if jobs.is_empty() {
            return;
        }
        let scripts: Vec<(&str, Option<&str>)> = jobs
            .iter()
            .map(|(_, j)| (j.text.as_str(), j.shell.as_deref()))
            .collect();
        let answers = sc.check_many(&scripts);
        // Per report, the ShellCheck findings added so far (no other finding has a ShellCheck
        // code): a script read twice (both readings of a ROS `Fn::If`) gives its findings once.
        let mut added: std::collections::BTreeMap<usize, std::collections::BTreeSet<_>> =
            std::collections::BTreeMap::new();
        for ((i, job), answer) in jobs.iter().zip(answers) {
            let (Some(report), Ok(comments)) = (reports.get_mut(*i), answer.as_ref()) else {
                continue;
            };
            let mut found = Vec::new();
            job.findings(comments, &mut found);
            let seen = added.entry(*i).or_default();
            for d in found {
                if seen.insert((d.code, d.span.start, d.span.end, d.message.clone())) {
                    report.diagnostics.push(d);
                }
            }
        }
        for i in added.keys() {
            if let Some(r) = reports.get_mut(*i) {
                crate::sort(&mut r.diagnostics);
            }
        }
    }

    fn check_source_in(&self, source: Source<'_>, ctx: &Context<'_>) -> FileReport {
        match source {
            Source::File {
                path,
                format,
                content,
            } => match content {
                Content::Unreadable(why) => FileReport::failed(path, code::LINT_IO, why.clone()),
                Content::TooLarge(size) => FileReport::failed(
                    path,
                    code::LINT_FILE_TOO_LARGE,
                    format!("the file is {size} bytes, above the size cap; it was not read"),
                ),
                Content::Bytes(bytes) => self.check_source_in(
                    Source::Bytes {
                        path,
                        format,
                        bytes,
                    },
                    ctx,
                ),
            },
            Source::Bytes {
                path,
                format,
                bytes,
            } => guarded(path, || {
                check_loaded(path, load_bytes(bytes, format), ctx, Mode::File)
            }),
            // A line above the size cap is not read (a reader that streams a log caps lines
            // as it reads them and never hands one over).
            Source::Line {
                path,
                bytes,
                number,
            } if bytes.len() as u64 > self.settings.max_file_size => {
                self.long_line(path, number, bytes.len() as u64)
            }
            Source::Line {
                path,
                bytes,
                number,
            } => guarded(path, || records::check_line(path, bytes, number, ctx)),
        }
    }

    /// The report of log line `number` (1-based) that is `len` bytes long, above the size cap:
    /// it is not read (`Lint.FileTooLarge` at the line).
    pub fn long_line(&self, path: &str, number: usize, len: u64) -> FileReport {
        let mut r = FileReport::failed(
            path,
            code::LINT_FILE_TOO_LARGE,
            format!("line {number} is {len} bytes, above the size cap; it was not read"),
        );
        r.at_line(number);
        r
    }

    /// Completes a check, on one thread, in path order: the cross-request checks against the
    /// run's `index` (earlier sources), the suppression comments, then the configuration.
    pub fn finish(&self, report: &mut FileReport, index: &mut CrossIndex, config: Option<&Config>) {
        index.check(report);
        crate::apply_suppressions(std::slice::from_mut(report));
        self.configure(report, config);
        self.cap(report);
    }

    /// Keeps at most [`Settings::max_findings`] findings (in position order) and counts the
    /// others in one `Lint.TooManyFindings`, at the first finding not shown, with the highest
    /// severity among them (so the exit status does not change).
    pub fn cap(&self, report: &mut FileReport) {
        let Some(max) = self.settings.max_findings else {
            return;
        };
        if report.diagnostics.len() <= max {
            return;
        }
        let rest = report.diagnostics.split_off(max);
        let mut counts: std::collections::BTreeMap<&'static str, usize> =
            std::collections::BTreeMap::new();
        let mut severity = crate::Severity::Info;
        for d in &rest {
            *counts.entry(d.code.as_str()).or_default() += 1;
            severity = severity.min(d.severity);
        }
        let mut by_count: Vec<(&str, usize)> = counts.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let listed: Vec<String> = by_count
            .iter()
            .take(5)
            .map(|(c, n)| format!("{n} {c}"))
            .collect();
        let more = if by_count.len() > 5 { ", ..." } else { "" };
        let first = rest.first().map_or(0..0, |d| d.span.clone());
        let document = rest.first().map_or(0, |d| d.document);
        let mut d = crate::Diagnostic::new(
            code::LINT_TOO_MANY_FINDINGS,
            first.start..first.start,
            format!(
                "{} more findings in this file are not shown ({}{more}): at most {max} are shown per file",
                rest.len(),
                listed.join(", ")
            ),
        )
        .help("fix the file, or raise the cap with --max-findings-per-file (0 shows all)")
        .severity(severity);
        d.document = document;
        report.diagnostics.push(d);
    }

    /// Applies a configuration's `select`, `ignore`, `per-path-ignores` and `[severity]` to a
    /// report's findings (the last step of [`Engine::finish`]; alone for a parse-only run).
    pub fn configure(&self, report: &mut FileReport, config: Option<&Config>) {
        let (select, ignore) = (&self.settings.select, &self.settings.ignore);
        if !select.is_empty() || !ignore.is_empty() {
            report.diagnostics.retain(|d| {
                let code = d.code.as_str();
                (select.is_empty()
                    || select
                        .iter()
                        .any(|p| runcommand_config::code_matches(p, code)))
                    && !ignore
                        .iter()
                        .any(|p| runcommand_config::code_matches(p, code))
            });
        }
        let Some(config) = config else {
            return;
        };
        let path = runcommand_config::absolute(Path::new(&report.path));
        report
            .diagnostics
            .retain(|d| config.enabled(d.code.as_str(), &path));
        for d in &mut report.diagnostics {
            if let Some(s) = config.severity_of(d.code.as_str()) {
                d.severity = s;
            }
        }
    }
}
