//! The progress bar of long human-format runs, on standard error.
//!
//! Shown only when the output format is `human`, standard error is a terminal, `--no-progress`
//! is not given, and the run has lasted a second (`RUNCOMMAND_LINT_PROGRESS_DELAY_MS` changes
//! that delay; the tests use it): a short run, a hook, a pipe or a machine format never sees it.
//! It counts bytes (so a request log and a tree of files both get a percentage and an ETA) and
//! says how many files, lines and requests per second are done. Output written while it is
//! shown goes through [`Progress::suspend`] so lines never mix with the bar.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar that may never appear.
pub struct Progress {
    bar: Option<ProgressBar>,
    shown: bool,
    started: Instant,
    delay: Duration,
}

impl Progress {
    /// A bar for a run of `total` bytes (`None` when unknown, e.g. standard input); inert when
    /// not `enabled`.
    pub fn new(enabled: bool, total: Option<u64>) -> Progress {
        let delay = std::env::var("RUNCOMMAND_LINT_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(Duration::from_secs(1), Duration::from_millis);
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::hidden());
            let template = if total.is_some() {
                "{spinner} {elapsed_precise} [{wide_bar}] {percent:>3}% {msg} ETA {eta}"
            } else {
                "{spinner} {elapsed_precise} {binary_bytes} {msg}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Progress {
            bar,
            shown: false,
            started: Instant::now(),
            delay,
        }
    }

    /// Records how far the run is.
    pub fn update(&mut self, bytes: u64, files: usize, lines: usize, requests: usize) {
        let Some(bar) = &self.bar else {
            return;
        };
        let elapsed = self.started.elapsed();
        if !self.shown && elapsed >= self.delay {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(200));
            self.shown = true;
        }
        let secs = elapsed.as_secs_f64().max(1e-3);
        let rate = |n: usize| n as f64 / secs;
        let msg = if lines > 0 {
            format!(
                "{files} files, {lines} lines ({:.0} lines/s), {requests} requests",
                rate(lines)
            )
        } else {
            format!(
                "{files} files ({:.0} files/s), {requests} requests",
                rate(files)
            )
        };
        bar.set_message(msg);
        bar.set_position(bytes);
    }

    /// Runs `f` (which writes to the terminal) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) if self.shown => bar.suspend(f),
            _ => f(),
        }
    }

    /// Removes the bar.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
