//! `check`: collect the sources (with each file's configuration), check them in parallel while
//! the results stream out in path order, and decide the exit status.
//!
//! Data flow: the command-line paths become a sorted list of sources (`walk`); a producer turns
//! them into jobs (a file, or one line of a request log) in batches of bounded size; while the
//! thread pool checks one batch, the main thread writes out the previous one (cross-request
//! checks, suppressions, configuration, reporter) and reads the next. Memory holds two batches,
//! the list of paths and the cross-request index, whatever the number of files or lines.
//!
//! A walk does not look up file sizes (a `stat` per file doubles its time), so a batch is cut by
//! the sizes it knows (named files, log lines) and by a [`Budget`] the pool's jobs draw on when
//! they open their files: a file that would take the batch past [`BATCH_BYTES`] is not read in
//! the pool but handed back, and the emitter checks it on its own when its turn comes. After a
//! batch with such files the next one holds fewer jobs; it grows again when all fit.
//!
//! Exit status: 2 for a configuration error (nothing is checked) or an unreadable path (the
//! others are still checked and reported), whatever `--exit-zero` says; else 0 with
//! `--exit-zero`; else 1 when a finding is at or above `--fail-on` (default `error`; `info`
//! never fails), else 0.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;
use runcommand_document::Format;
use runcommand_rules::{Content, CrossIndex, Engine, FileReport, Severity, records};

use crate::progress::Progress;
use crate::stream::{Reporter, Totals};
use crate::walk::{self, Seen, Source, WalkOptions};
use crate::{CheckArgs, ColorChoice, FailOn, InputFormat, OutputFormat};
use runcommand_config::{Config, ConfigError, Configs, absolute};

fn config_failed(e: &ConfigError) -> ExitCode {
    eprintln!("runcommand-lint: error: invalid configuration: {e}");
    ExitCode::from(2)
}

/// How many jobs, and how many bytes of them, one batch holds at most.
const BATCH_JOBS: usize = 512;
const BATCH_BYTES: u64 = 8 << 20;

/// The bytes the file jobs of one batch may read: [`BATCH_BYTES`], or one file of any size when
/// it is the first.
struct Budget(AtomicU64);

impl Budget {
    fn new() -> Budget {
        Budget(AtomicU64::new(0))
    }

    /// Takes `bytes` from the budget, if they fit.
    fn claim(&self, bytes: u64) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                (used == 0 || used.saturating_add(bytes) <= BATCH_BYTES)
                    .then(|| used.saturating_add(bytes))
            })
            .is_ok()
    }
}

/// A job of the pool: checked, or handed back unread (its file did not fit the batch's budget).
enum Outcome {
    Done(Done),
    Deferred(Job),
}

/// A source with what checking it needs.
struct Planned {
    source: Planned0,
    config: Option<Arc<Config>>,
}

enum Planned0 {
    Source(Source),
    Stdin,
}

/// How a file is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Document(Format),
    Lines,
}

fn syntax_of(path: &str, forced: InputFormat) -> Syntax {
    match forced {
        InputFormat::Yaml => Syntax::Document(Format::Yaml),
        InputFormat::Json => Syntax::Document(Format::Json),
        InputFormat::Jsonl => Syntax::Lines,
        InputFormat::Auto if records::is_json_lines_path(path) => Syntax::Lines,
        InputFormat::Auto => Syntax::Document(Format::from_path(path)),
    }
}

/// One unit of checking work.
struct Job {
    work: Work,
    config: Option<Arc<Config>>,
    /// Index of the source it comes from (files are counted once).
    source: usize,
    /// Named on the command line (checked even when it does not look like a request).
    named: bool,
}

enum Work {
    /// A whole file (its bytes already read for standard input).
    File {
        path: String,
        format: Format,
        content: Option<Content>,
        /// Read from standard input (never written back by `--fix`).
        stdin: bool,
    },
    /// One line of a request log.
    Line {
        path: Arc<str>,
        number: usize,
        bytes: Vec<u8>,
    },
    /// A line longer than the size cap.
    LongLine {
        path: Arc<str>,
        number: usize,
        len: u64,
    },
    /// A path that could not be walked or read.
    Problem {
        path: String,
        message: String,
        unreadable: bool,
    },
}

/// A checked job.
struct Done {
    report: FileReport,
    /// What `--fix` / `--diff` did to the file.
    fixed: Option<Box<crate::fixes::FileFix>>,
    config: Option<Arc<Config>>,
    source: usize,
    named: bool,
    is_line: bool,
    /// A path that could not be walked or read (counted as a file when it is a file that could
    /// not be read, not when it is a symlink loop).
    is_problem: bool,
    unreadable: bool,
    bytes: u64,
}

/// The request log being read.
struct LineReader {
    reader: Box<dyn BufRead + Send>,
    path: Arc<str>,
    number: usize,
    source: usize,
    named: bool,
    config: Option<Arc<Config>>,
}

enum LineRead {
    Line,
    TooLong(u64),
    Eof,
}

/// Reads one line into `buf` (without its `\n`), keeping at most `max` bytes: a longer line is
/// consumed and reported by its length.
fn read_line_capped(r: &mut dyn BufRead, max: u64, buf: &mut Vec<u8>) -> std::io::Result<LineRead> {
    buf.clear();
    let mut len: u64 = 0;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, newline) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (chunk.get(..i).unwrap_or(&[]), true),
            None => (chunk, false),
        };
        len += part.len() as u64;
        if len <= max {
            buf.extend_from_slice(part);
        }
        let used = part.len() + usize::from(newline);
        r.consume(used);
        if newline {
            break;
        }
    }
    if !any {
        Ok(LineRead::Eof)
    } else if len > max {
        buf.clear();
        Ok(LineRead::TooLong(len))
    } else {
        Ok(LineRead::Line)
    }
}

/// Turns the planned sources into batches of jobs.
struct Producer {
    sources: std::iter::Enumerate<std::vec::IntoIter<Planned>>,
    /// How many jobs the next batch holds at most (fewer after a batch whose files did not all
    /// fit its budget).
    limit: usize,
    lines: Option<LineReader>,
    max: u64,
    input_format: InputFormat,
    stdin_name: String,
    /// Whether standard input could not be read.
    unreadable: bool,
}

impl Producer {
    fn next_batch(&mut self) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut bytes: u64 = 0;
        while jobs.len() < self.limit && bytes < BATCH_BYTES {
            if let Some(lr) = &mut self.lines {
                let mut buf = Vec::new();
                let read = read_line_capped(lr.reader.as_mut(), self.max, &mut buf);
                // A read error ends the log with a problem, which is never skipped.
                let (work, failed) = match read {
                    Ok(LineRead::Eof) => {
                        self.lines = None;
                        continue;
                    }
                    Ok(LineRead::Line) => {
                        lr.number += 1;
                        bytes += buf.len() as u64 + 1;
                        let path = Arc::clone(&lr.path);
                        let number = lr.number;
                        (
                            Work::Line {
                                path,
                                number,
                                bytes: buf,
                            },
                            false,
                        )
                    }
                    Ok(LineRead::TooLong(len)) => {
                        lr.number += 1;
                        let path = Arc::clone(&lr.path);
                        (
                            Work::LongLine {
                                path,
                                number: lr.number,
                                len,
                            },
                            false,
                        )
                    }
                    Err(e) => {
                        let path = lr.path.to_string();
                        let message = format!("cannot read {path} after line {}: {e}", lr.number);
                        let work = Work::Problem {
                            path,
                            message,
                            unreadable: true,
                        };
                        (work, true)
                    }
                };
                jobs.push(Job {
                    work,
                    config: lr.config.clone(),
                    source: lr.source,
                    named: lr.named || failed,
                });
                if failed {
                    self.lines = None;
                }
                continue;
            }
            let Some((index, planned)) = self.sources.next() else {
                break;
            };
            let Planned { source, config } = planned;
            let (work, named, size) = match source {
                Planned0::Stdin => {
                    let name = self.stdin_name.clone();
                    match syntax_of(&name, self.input_format) {
                        Syntax::Lines => {
                            self.lines = Some(LineReader {
                                reader: Box::new(std::io::BufReader::new(std::io::stdin())),
                                path: Arc::from(name.as_str()),
                                number: 0,
                                source: index,
                                named: true,
                                config,
                            });
                            continue;
                        }
                        Syntax::Document(format) => {
                            let content = self.read_stdin();
                            (
                                Work::File {
                                    path: name,
                                    format,
                                    content: Some(content),
                                    stdin: true,
                                },
                                true,
                                0,
                            )
                        }
                    }
                }
                Planned0::Source(Source::Problem {
                    path,
                    message,
                    unreadable,
                }) => (
                    Work::Problem {
                        path,
                        message,
                        unreadable,
                    },
                    true,
                    0,
                ),
                Planned0::Source(Source::File { path, named, size }) => {
                    let forced = if named {
                        self.input_format
                    } else {
                        InputFormat::Auto
                    };
                    match syntax_of(&path, forced) {
                        Syntax::Lines => match std::fs::File::open(&path) {
                            Ok(f) => {
                                self.lines = Some(LineReader {
                                    reader: Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
                                    path: Arc::from(path.as_str()),
                                    number: 0,
                                    source: index,
                                    named,
                                    config,
                                });
                                continue;
                            }
                            Err(e) => (
                                Work::Problem {
                                    message: format!("cannot read {path}: {e}"),
                                    path,
                                    unreadable: true,
                                },
                                true,
                                0,
                            ),
                        },
                        Syntax::Document(format) => (
                            Work::File {
                                path,
                                format,
                                content: None,
                                stdin: false,
                            },
                            named,
                            size,
                        ),
                    }
                }
            };
            bytes += size;
            jobs.push(Job {
                work,
                config,
                source: index,
                named,
            });
        }
        jobs
    }

    fn read_stdin(&mut self) -> Content {
        let mut bytes = Vec::new();
        match std::io::stdin()
            .take(self.max.saturating_add(1))
            .read_to_end(&mut bytes)
        {
            Ok(n) if n as u64 > self.max => Content::TooLarge(n as u64),
            Ok(_) => Content::Bytes(bytes),
            Err(e) => {
                self.unreadable = true;
                Content::Unreadable(format!("cannot read standard input: {e}"))
            }
        }
    }
}

/// Checks one job on a pool thread, unless it is a file that does not fit the batch's budget.
fn run_job(
    engine: &Engine,
    mut job: Job,
    max: u64,
    parse_only: bool,
    fixing: Option<Fixing>,
    budget: &Budget,
) -> Outcome {
    if let Work::File {
        path,
        content: content @ None,
        ..
    } = &mut job.work
    {
        *content = Some(match walk::open(path, max, !job.named) {
            Ok(file) if !budget.claim(file.size()) => return Outcome::Deferred(job),
            Ok(file) => file.read(path, max),
            Err(unread) => unread,
        });
    }
    Outcome::Done(check_job(engine, job, max, parse_only, fixing))
}

/// Checks one job.
fn check_job(
    engine: &Engine,
    job: Job,
    max: u64,
    parse_only: bool,
    fixing: Option<Fixing>,
) -> Done {
    let config = job.config.as_deref();
    let mut fixed = None;
    let mut unreadable = false;
    let mut is_line = false;
    let is_problem = matches!(job.work, Work::Problem { .. });
    let (report, bytes) = match job.work {
        Work::File {
            path,
            format,
            content,
            stdin,
        } => {
            let mut content = content.unwrap_or_else(|| walk::read(&path, max, !job.named));
            if let (Some(fx), Content::Bytes(bytes)) = (fixing, &content) {
                let outcome =
                    crate::fixes::fix_file(engine, &path, format, bytes, config, fx, stdin);
                if let Some(new) = outcome.checked_content() {
                    content = new;
                }
                fixed = Some(Box::new(outcome));
            }
            unreadable = matches!(content, Content::Unreadable(_));
            let len = match &content {
                Content::Bytes(b) => b.len() as u64,
                _ => 0,
            };
            let report = match content {
                Content::Bytes(b) if parse_only => {
                    let p = path.clone();
                    runcommand_rules::guarded(&path, move || {
                        runcommand_rules::parse_only(&p, &b, format)
                    })
                }
                content => engine.check_source(
                    runcommand_rules::Source::File {
                        path: &path,
                        format,
                        content: &content,
                    },
                    config,
                ),
            };
            (report, len)
        }
        Work::Line {
            path,
            number,
            bytes,
        } => {
            is_line = true;
            let len = bytes.len() as u64 + 1;
            let report = runcommand_rules::guarded(&path, || {
                if parse_only {
                    let mut r = runcommand_rules::parse_only(&path, &bytes, Format::Json);
                    r.at_line(number);
                    r
                } else {
                    engine.check_source(
                        runcommand_rules::Source::Line {
                            path: &path,
                            bytes: &bytes,
                            number,
                        },
                        config,
                    )
                }
            });
            (report, len)
        }
        Work::LongLine { path, number, len } => {
            is_line = true;
            let mut r = FileReport::failed(
                &path,
                runcommand_catalog::code::LINT_FILE_TOO_LARGE,
                format!("line {number} is {len} bytes, above the size cap; it was not read"),
            );
            r.at_line(number);
            (r, len + 1)
        }
        Work::Problem {
            path,
            message,
            unreadable: u,
        } => {
            unreadable = u;
            (
                FileReport::failed(&path, runcommand_catalog::code::LINT_IO, message),
                0,
            )
        }
    };
    Done {
        report,
        fixed,
        config: job.config,
        source: job.source,
        named: job.named,
        is_line,
        is_problem,
        unreadable,
        bytes,
    }
}

/// What `--fix` and `--diff` ask of each file.
#[derive(Clone, Copy, Debug)]
pub struct Fixing {
    /// Write the fixed text back (`--fix`); else only show it (`--diff`).
    pub write: bool,
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
}

/// The sequential end of the pipeline: cross-request checks, suppressions, configuration,
/// output, totals.
struct Emitter<'a> {
    args: &'a CheckArgs,
    engine: &'a Engine,
    /// `--fix` / `--diff`, and what they did.
    fixing: Option<Fixing>,
    fixes: crate::fixes::Tally,
    reporter: Reporter,
    index: CrossIndex,
    totals: Totals,
    progress: Progress,
    out: std::io::Stdout,
    buf: Vec<u8>,
    last_file: Option<usize>,
    last_error_file: Option<usize>,
    unreadable: bool,
    fails: bool,
    bytes: u64,
    lines: usize,
    /// The size cap, and whether only parsing: to check the files handed back by the pool.
    max: u64,
    parse_only: bool,
    /// How many files were handed back (`--verbose` says so at the end).
    deferred: usize,
}

impl Emitter<'_> {
    fn emit_all(&mut self, batch: Vec<Outcome>) -> std::io::Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        for outcome in batch {
            let done = match outcome {
                Outcome::Done(done) => done,
                // A file above the batch's budget: read and checked here, one at a time.
                Outcome::Deferred(job) => {
                    self.deferred += 1;
                    check_job(self.engine, job, self.max, self.parse_only, self.fixing)
                }
            };
            self.emit(done)?;
        }
        self.progress.update(
            self.bytes,
            self.totals.files,
            self.lines,
            self.totals.requests,
        );
        let buf = std::mem::take(&mut self.buf);
        let out = &mut self.out;
        let written = self.progress.suspend(|| {
            out.write_all(&buf)?;
            out.flush()
        });
        self.buf = buf;
        self.buf.clear();
        written
    }

    fn emit(&mut self, done: Done) -> std::io::Result<()> {
        let Done {
            mut report,
            fixed,
            config,
            source,
            named,
            is_line,
            is_problem,
            unreadable,
            bytes,
        } = done;
        self.bytes += bytes;
        self.unreadable |= unreadable;
        if is_line {
            self.lines += 1;
        }
        if let Some(f) = &fixed {
            self.fixes.add(f, &mut self.buf, self.args.diff);
        }
        if !report.looks_like_request && (!named || self.args.only_requests) {
            if !is_line {
                self.totals.skipped += 1;
                if self.args.verbose {
                    eprintln!(
                        "runcommand-lint: skipped {}: does not look like a RunCommand request",
                        report.path
                    );
                }
            }
            return Ok(());
        }
        if self.args.parse_only {
            self.engine.configure(&mut report, config.as_deref());
        } else {
            self.engine
                .finish(&mut report, &mut self.index, config.as_deref());
        }
        if (unreadable || !is_problem) && self.last_file != Some(source) {
            self.last_file = Some(source);
            self.totals.files += 1;
        }
        let threshold = |s: Severity| match self.args.fail_on {
            FailOn::Error => s == Severity::Error,
            FailOn::Warning => matches!(s, Severity::Error | Severity::Warning),
        };
        if report.diagnostics.iter().any(|d| threshold(d.severity)) {
            self.fails = true;
        }
        if report
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
            && self.last_error_file != Some(source)
        {
            self.last_error_file = Some(source);
            self.totals.files_with_errors += 1;
        }
        self.totals.add(&report);
        if self.args.diff {
            // `--diff` prints the diffs only.
            return Ok(());
        }
        self.reporter.file(&mut self.buf, &report)
    }
}

/// Collects the sources of every command-line path with their configuration, sorted by path.
/// `sizes`: look up the size of every walked file (for the progress bar).
fn plan(
    args: &CheckArgs,
    configs: &Mutex<Configs>,
    sizes: bool,
) -> Result<Vec<Planned>, ConfigError> {
    // A file's configuration is its directory's (`Configs::for_file`): the absolute path is
    // made only when there is one.
    let for_file = |p: &Path| -> Result<Option<Arc<Config>>, ConfigError> {
        match configs.lock() {
            Ok(mut c) => c.for_file(p),
            Err(_) => Ok(None),
        }
    };
    let keep = |p: &Path, seen: Seen| -> Result<bool, ConfigError> {
        let config = match seen {
            Seen::File => for_file(p)?,
            Seen::Named | Seen::Dir => match configs.lock() {
                Ok(mut c) => c.for_path(&absolute(p))?,
                Err(_) => None,
            },
        };
        let Some(config) = config else {
            return Ok(true);
        };
        let abs = absolute(p);
        let skip = match seen {
            Seen::Named => args.force_exclude && config.excludes(&abs),
            Seen::Dir => config.excludes(&abs),
            Seen::File => config.excludes(&abs) || !config.includes(&abs),
        };
        if skip && args.verbose {
            eprintln!(
                "runcommand-lint: skipped {}: excluded by {}",
                p.display(),
                config.path.display()
            );
        }
        Ok(!skip)
    };
    let options = WalkOptions {
        no_ignore: args.no_ignore,
        sizes,
    };
    let mut planned = Vec::new();
    let with_config = |source: Planned0, path: &str| -> Result<Planned, ConfigError> {
        let config = for_file(Path::new(path))?;
        Ok(Planned { config, source })
    };
    for path in &args.paths {
        if path == "-" {
            let name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
            planned.push(with_config(Planned0::Stdin, name)?);
            continue;
        }
        for source in walk::collect(path, options, &keep)? {
            let p = source.path().to_owned();
            planned.push(with_config(Planned0::Source(source), &p)?);
        }
    }
    // One order for the whole run, whatever the order of the arguments: output and "first" in
    // the cross-request checks follow the paths.
    let stdin_name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
    let key = |p: &Planned| match &p.source {
        Planned0::Stdin => stdin_name.to_owned(),
        Planned0::Source(s) => s.path().to_owned(),
    };
    planned.sort_by_cached_key(key);
    Ok(planned)
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let engine = Engine::new(runcommand_rules::Settings {
        max_file_size: args
            .max_file_size
            .unwrap_or_else(|| runcommand_rules::Settings::default().max_file_size),
        // One time for the whole run: every file sees the same "now".
        now: Some(chrono::Utc::now()),
    });
    let max = engine.settings().max_file_size;
    let configs = match Configs::new(args.config.as_deref(), args.no_config) {
        Ok(c) => Mutex::new(c),
        Err(e) => return config_failed(&e),
    };
    // The progress bar shows a share of the bytes: only then does the walk look up sizes.
    let show_progress =
        args.format == OutputFormat::Human && !args.no_progress && std::io::stderr().is_terminal();
    let planned = match plan(&args, &configs, show_progress) {
        Ok(p) => p,
        Err(e) => return config_failed(&e),
    };
    if args.verbose
        && let Ok(c) = configs.lock()
    {
        for c in &c.loaded {
            eprintln!("runcommand-lint: using {}", c.path.display());
        }
    }
    let file_sources = planned
        .iter()
        .filter(|p| matches!(p.source, Planned0::Source(Source::File { .. })))
        .count();
    let total_bytes: u64 = planned
        .iter()
        .map(|p| match &p.source {
            Planned0::Source(Source::File { size, .. }) => *size,
            _ => 0,
        })
        .sum();
    let reads_stdin = planned.iter().any(|p| matches!(p.source, Planned0::Stdin));

    let stdout = std::io::stdout();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let fixing = (args.fix || args.diff).then_some(Fixing {
        write: args.fix,
        unsafe_fixes: args.unsafe_fixes,
    });
    let mut emitter = Emitter {
        args: &args,
        engine: &engine,
        fixing,
        fixes: crate::fixes::Tally::default(),
        reporter: Reporter::new(args.format, color),
        // About one token per request file at most; a request log grows the map as it goes.
        index: CrossIndex::with_capacity(file_sources.min(1 << 20)),
        totals: Totals::default(),
        progress: Progress::new(show_progress, (!reads_stdin).then_some(total_bytes)),
        out: stdout,
        buf: Vec::with_capacity(1 << 16),
        last_file: None,
        last_error_file: None,
        unreadable: false,
        fails: false,
        bytes: 0,
        lines: 0,
        max,
        parse_only: args.parse_only,
        deferred: 0,
    };
    let mut producer = Producer {
        sources: planned.into_iter().enumerate(),
        limit: BATCH_JOBS,
        lines: None,
        max,
        input_format: args.input_format,
        stdin_name: args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| "<stdin>".into()),
        unreadable: false,
    };
    let parse_only = args.parse_only;
    let mut written = if args.diff {
        Ok(())
    } else {
        emitter.reporter.begin(&mut emitter.buf)
    };
    let mut pending: Vec<Outcome> = Vec::new();
    let mut batch = producer.next_batch();
    while written.is_ok() && !(batch.is_empty() && pending.is_empty()) {
        let budget = Budget::new();
        let (done, (w, next)) = rayon::join(
            || {
                batch
                    .into_par_iter()
                    .map(|job| run_job(&engine, job, max, parse_only, fixing, &budget))
                    .collect::<Vec<Outcome>>()
            },
            || {
                // Fewer jobs after a batch whose files did not all fit; more again when they do.
                let fitted = pending
                    .iter()
                    .filter(|o| matches!(o, Outcome::Done(_)))
                    .count();
                producer.limit = if fitted < pending.len() {
                    fitted.max(2)
                } else {
                    producer.limit.saturating_mul(2).min(BATCH_JOBS)
                };
                let w = emitter.emit_all(std::mem::take(&mut pending));
                (w, producer.next_batch())
            },
        );
        written = w;
        pending = done;
        batch = next;
    }
    emitter.progress.finish();
    if args.verbose && emitter.deferred > 0 {
        eprintln!(
            "runcommand-lint: {} files above the {} MiB a batch reads were checked one at a time",
            emitter.deferred,
            BATCH_BYTES >> 20
        );
    }
    let unreadable = emitter.unreadable || producer.unreadable || emitter.fixes.write_failed;
    if args.fix || args.diff {
        emitter.fixes.report(&args);
    }
    let written = written.and_then(|()| {
        let Emitter {
            reporter,
            totals,
            buf,
            out,
            ..
        } = &mut emitter;
        if !args.diff {
            reporter.finish(buf, totals, started.elapsed(), true)?;
        }
        if args.statistics {
            // After the findings: on stdout for the formats people read, else on stderr so the
            // machine-readable output stays valid.
            let counts = totals.by_code_only();
            match args.format {
                OutputFormat::Human | OutputFormat::Concise => {
                    crate::formats::statistics(buf, &counts)?;
                }
                _ => crate::formats::statistics(&mut std::io::stderr().lock(), &counts)?,
            }
        }
        out.write_all(buf)?;
        out.flush()
    });
    if written.is_err() {
        // A closed pipe: nothing more to say.
        return ExitCode::from(2);
    }
    if unreadable {
        ExitCode::from(2)
    } else if args.diff {
        // `--diff`: 1 when there is something to change.
        ExitCode::from(u8::from(emitter.fixes.diffs > 0))
    } else if args.exit_zero || !emitter.fails {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
