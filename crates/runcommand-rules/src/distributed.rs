//! The cross-request checks of a run split across machines (the Spark job of the Python
//! package): each source is checked on its own, anywhere, and hands out its cross-request
//! records ([`CrossUse`]) instead of feeding a [`crate::CrossIndex`]; the caller groups the uses
//! of a whole run by key, finds the conflicts, and checks the few sources with a conflict
//! again with them ([`Engine::check_with_conflicts`]). The findings are then those of one
//! streaming run over the same sources in the same order (`check`), finding for finding.
//!
//! What the caller must do with the uses, for the same "first one wins" as [`crate::CrossIndex`]
//! (order: path, then line, then `document`):
//! 1. **Tokens** ([`CrossKind::Token`]): per `key`, the first use defines the token; a later use
//!    whose `value` differs from the first's is a conflict. Later uses with the same value are
//!    retries (no finding).
//! 2. **Saved commands** ([`CrossKind::Saved`]): leave out the uses of every request (path, line,
//!    document) that got a token conflict in step 1 (the API rejects that call: it saves
//!    nothing); then per `key`, the first remaining use defines the name, and a later use is a
//!    conflict unless both values are equal and not 0 (the same `ClientToken`: a retry).

use runcommand_config::Config;

use crate::cross::{SAVED_FIRST, TOKEN_FIRST, saved_conflict, token_conflict};
use crate::diagnostic::Related;
use crate::{CrossIndex, Engine, FileReport, Source};

/// Which cross-request check a use is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CrossKind {
    /// A `ClientToken` (`IdempotentParameterMismatch`).
    Token,
    /// A saved command, `KeepCommand: true` with a `Name` (`Lint.DuplicateSavedCommand`).
    Saved,
}

impl CrossKind {
    /// A small number for the kind (0 token, 1 saved), for rows of a data frame.
    pub fn index(self) -> u8 {
        match self {
            CrossKind::Token => 0,
            CrossKind::Saved => 1,
        }
    }

    /// The kind of [`CrossKind::index`].
    pub fn from_index(i: u8) -> Option<CrossKind> {
        match i {
            0 => Some(CrossKind::Token),
            1 => Some(CrossKind::Saved),
            _ => None,
        }
    }
}

/// One request's use of a cross-request key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrossUse {
    /// The check.
    pub kind: CrossKind,
    /// The key: the token's hash, or the hash of (`Name`, `RegionId`); never 0.
    pub key: u64,
    /// What must match for a retry: the fingerprint of the other parameters (tokens), or the
    /// hash of the `ClientToken` (saved commands; 0 without one).
    pub value: u64,
    /// The request's `document` in its report (for a log line, its line index, see
    /// [`FileReport::at_line`]).
    pub document: usize,
    /// Where the use is (the value of `ClientToken` or `Name`): byte offset in the report's
    /// text, and 1-based line and column in the file.
    pub start: usize,
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column (characters).
    pub column: u32,
}

/// A conflict found by the caller for one use of a source checked again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The check.
    pub kind: CrossKind,
    /// The `document` of the conflicting (later) use.
    pub document: usize,
    /// The first use: its path, whether it is in the same report, its byte offset there and
    /// its 1-based line and column (for the finding's related information).
    pub first_path: String,
    /// Whether the first use is in the same report (the same file; the same log line).
    pub same_report: bool,
    /// Byte offset of the first use in its report's text.
    pub first_start: usize,
    /// 1-based line of the first use.
    pub first_line: u32,
    /// 1-based column of the first use.
    pub first_column: u32,
}

impl Engine {
    /// Checks one source completely except for the cross-request checks: the findings
    /// [`Engine::check`] gives, and the source's cross-request uses, which a distributed run
    /// groups by key (see the module documentation).
    pub fn check_apart(
        &self,
        source: Source<'_>,
        config: Option<&Config>,
    ) -> (FileReport, Vec<CrossUse>) {
        let mut report = self.check_source(source, config);
        self.resolve_scripts([&mut report]);
        let uses = self.finish_apart(&mut report, config);
        (report, uses)
    }

    /// Completes a source checked by [`Engine::check_source`] (and [`Engine::resolve_scripts`])
    /// without the cross-request checks: hands out its uses and applies suppressions,
    /// configuration and the cap.
    pub fn finish_apart(&self, report: &mut FileReport, config: Option<&Config>) -> Vec<CrossUse> {
        let uses = uses_of(report);
        report.client_tokens.clear();
        report.saved_commands.clear();
        self.finish(report, &mut CrossIndex::default(), config);
        uses
    }

    /// Checks one source again with the conflicts the caller found for its uses: the findings
    /// a streaming run over all sources gives for it. A conflict that names no use of the
    /// source is ignored.
    pub fn check_with_conflicts(
        &self,
        source: Source<'_>,
        config: Option<&Config>,
        conflicts: &[Conflict],
    ) -> FileReport {
        let mut report = self.check_source(source, config);
        self.resolve_scripts([&mut report]);
        let tokens = std::mem::take(&mut report.client_tokens);
        let saved = std::mem::take(&mut report.saved_commands);
        let mut added = false;
        for c in conflicts {
            match c.kind {
                CrossKind::Token => {
                    if let Some(u) = tokens.iter().find(|u| u.document == c.document) {
                        let related = related(c, u.span.len(), TOKEN_FIRST);
                        report.diagnostics.push(token_conflict(u, related));
                        added = true;
                    }
                }
                CrossKind::Saved => {
                    if let Some(s) = saved.iter().find(|s| s.document == c.document) {
                        let related = related(c, s.span.len(), SAVED_FIRST);
                        report.diagnostics.push(saved_conflict(s, related));
                        added = true;
                    }
                }
            }
        }
        if added {
            crate::sort(&mut report.diagnostics);
        }
        self.finish(&mut report, &mut CrossIndex::default(), config);
        report
    }
}

/// Lines of a log checked together: their scripts go to ShellCheck at once.
const LOG_BATCH: usize = 512;

impl Engine {
    /// Checks a request log held in memory as `check` checks a log file, except for the
    /// cross-request checks: calls `each` with every line's number (1-based), its report and
    /// its uses, in line order (a line above the size cap is not read, see [`Source::Line`]).
    pub fn check_log_apart(
        &self,
        path: &str,
        bytes: &[u8],
        config: Option<&Config>,
        mut each: impl FnMut(usize, FileReport, Vec<CrossUse>),
    ) {
        let mut batch: Vec<(usize, FileReport)> = Vec::with_capacity(LOG_BATCH);
        let mut flush = |batch: &mut Vec<(usize, FileReport)>| {
            self.resolve_scripts(batch.iter_mut().map(|(_, r)| r));
            for (number, mut report) in batch.drain(..) {
                let uses = self.finish_apart(&mut report, config);
                each(number, report, uses);
            }
        };
        for (number, line) in crate::records::log_lines(bytes) {
            let report = self.check_source(
                Source::Line {
                    path,
                    bytes: line,
                    number,
                },
                config,
            );
            batch.push((number, report));
            if batch.len() == LOG_BATCH {
                flush(&mut batch);
            }
        }
        flush(&mut batch);
    }
}

/// The related information of a conflict, as [`crate::CrossIndex`] writes it.
fn related(c: &Conflict, len: usize, what: &str) -> Related {
    let span = c.first_start..c.first_start + len;
    if c.same_report {
        Related {
            path: None,
            span,
            position: None,
            message: format!("{what} here"),
        }
    } else {
        Related {
            path: Some(c.first_path.clone()),
            span,
            position: Some((c.first_line, c.first_column)),
            message: format!("{what} in {}", c.first_path),
        }
    }
}

/// The cross-request uses a report holds, in its order (tokens, then saved commands).
fn uses_of(report: &FileReport) -> Vec<CrossUse> {
    let at = |kind, key, value, document, start: usize| {
        let p = report.position(start);
        CrossUse {
            kind,
            key,
            value,
            document,
            start,
            line: p.line,
            column: p.column,
        }
    };
    let tokens = report.client_tokens.iter().map(|u| {
        at(
            CrossKind::Token,
            crate::saved_command::hash_str(&u.token),
            u.fingerprint,
            u.document,
            u.span.start,
        )
    });
    let saved = report
        .saved_commands
        .iter()
        .map(|s| at(CrossKind::Saved, s.key, s.token, s.document, s.span.start));
    tokens.chain(saved).collect()
}

#[cfg(test)]
mod tests;
