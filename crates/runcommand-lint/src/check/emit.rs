//! The sequential end of `check`: in path order, each checked job is finished by the engine
//! (cross-request checks, suppressions, configuration), counted and written by the reporter.

use super::*;

/// The sequential end of the pipeline: cross-request checks, suppressions, configuration,
/// output, totals.
pub(super) struct Emitter<'a> {
    pub(super) args: &'a CheckArgs,
    pub(super) engine: &'a Engine,
    /// `--fix` / `--diff`, and what they did.
    pub(super) fixing: Option<Fixing>,
    pub(super) fixes: crate::fixes::Tally,
    pub(super) reporter: Box<dyn Reporter + Send>,
    pub(super) index: CrossIndex,
    pub(super) totals: Totals,
    pub(super) progress: Progress,
    pub(super) out: crate::sink::Sink,
    pub(super) buf: Vec<u8>,
    pub(super) last_file: Option<usize>,
    pub(super) last_error_file: Option<usize>,
    pub(super) unreadable: bool,
    pub(super) fails: bool,
    pub(super) bytes: u64,
    pub(super) lines: usize,
    /// The size cap, and whether only parsing: to check the files handed back by the pool.
    pub(super) max: u64,
    pub(super) parse_only: bool,
    /// How many files were handed back (`--verbose` says so at the end).
    pub(super) deferred: usize,
}

impl Emitter<'_> {
    pub(super) fn emit_all(&mut self, batch: Vec<Outcome>) -> std::io::Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        for outcome in batch {
            let done = match outcome {
                Outcome::Done(done) => *done,
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

    pub(super) fn emit(&mut self, done: Done) -> std::io::Result<()> {
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
            // A file checked here, one at a time (handed back by a batch), has its scripts left.
            self.engine.resolve_scripts([&mut report]);
            self.engine
                .finish(&mut report, &mut self.index, config.as_deref());
        }
        // A path that could not be read (missing, no permission) or walked was not checked: its
        // `Lint.Io` is reported, the file is not counted.
        let checked = !unreadable && !is_problem;
        if checked && self.last_file != Some(source) {
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
        if checked
            && report
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
            && self.last_error_file != Some(source)
        {
            self.last_error_file = Some(source);
            self.totals.files_with_errors += 1;
        }
        self.totals.add(&report);
        if self.args.diff || self.args.counts_only() {
            // `--diff` prints the diffs only; `--statistics` in human format the counts only.
            return Ok(());
        }
        self.reporter.file(&mut self.buf, &report)
    }
}
