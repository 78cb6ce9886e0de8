//! The cross-request pass: the checks that compare requests with each other over a whole run
//! (`IdempotentParameterMismatch`, see [`crate::idempotency`]; `Lint.DuplicateSavedCommand`, see
//! [`crate::saved_command`]).
//!
//! While a file is checked, each request leaves at most one small record per check in its report
//! ([`FileReport::client_tokens`], [`FileReport::saved_commands`]). [`CrossIndex::check`] takes
//! reports one at a time, in the order that defines "first" (path order, then request order), and
//! consumes those records: the first use of a key is remembered, a conflicting later use gets the
//! finding with the first use as related information. The caller can drop each report after
//! checking it, so a run streams: the index keeps, per distinct key, 32 bytes (a 64-bit key, a
//! 64-bit value and the first use's report number, line, column and offset), plus each path that
//! left a record once. Keys are 64-bit hashes (`idempotency::Hash64`): two different tokens (or names) would have
//! to collide on 64 bits to be confused.
//!
//! [`crate::Engine::finish`] feeds it one report at a time.

use runcommand_catalog::code;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::FileReport;
use crate::diagnostic::{Diagnostic, Related};
use crate::saved_command::hash_str;

/// The keys are already hashes: use them as they are.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type KeyMap = HashMap<u64, First, BuildHasherDefault<KeyHasher>>;

/// Where and how a key was first used.
#[derive(Clone, Copy, Debug)]
struct First {
    /// The token's fingerprint, or the saved command's token hash.
    value: u64,
    /// The number of the report (in checking order).
    report: u32,
    /// 1-based line and column of the use.
    line: u32,
    column: u32,
    /// Byte offset of the use in its report's text.
    start: u32,
}

/// The related information's words for a token's first use.
pub(crate) const TOKEN_FIRST: &str = "the token is first used";
/// The related information's words for a saved command's first use.
pub(crate) const SAVED_FIRST: &str = "a command with this name is first saved";

/// The finding on a later use of a `ClientToken` with other parameters.
pub(crate) fn token_conflict(u: &crate::TokenUse, related: Related) -> Diagnostic {
    let mut d = Diagnostic::new(
        code::IDEMPOTENT_PARAMETER_MISMATCH,
        u.span.clone(),
        "this ClientToken is already used by an earlier request with different parameters; the API rejects the later call",
    )
    .param("ClientToken")
    .help("use a new ClientToken (e.g. a fresh UUID) for a different request; reuse a token only to retry the identical request");
    d.document = u.document;
    d.related.push(related);
    d
}

/// The finding on a later saved command with the same name in the same region.
pub(crate) fn saved_conflict(s: &crate::SavedUse, related: Related) -> Diagnostic {
    let mut d = Diagnostic::new(
        code::LINT_DUPLICATE_SAVED_COMMAND,
        s.span.clone(),
        "an earlier request in this run already saves a command with this Name in this region (KeepCommand: true)",
    )
    .param("Name")
    .help("give the saved command a distinct Name, or set KeepCommand: false if it need not be kept");
    d.document = s.document;
    d.related.push(related);
    d
}

/// The state of the cross-request pass over one run.
#[derive(Default)]
pub struct CrossIndex {
    tokens: KeyMap,
    saved: KeyMap,
    /// `(first report number, path)` each time the path of a recording report changes.
    paths: Vec<(u32, String)>,
    next_report: u32,
}

impl CrossIndex {
    /// An empty index.
    pub fn new() -> CrossIndex {
        CrossIndex::default()
    }

    /// An empty index with room for `tokens` distinct tokens without growing (a run over many
    /// files knows roughly how many it may meet: growing the map rehashes every key so far).
    pub fn with_capacity(tokens: usize) -> CrossIndex {
        CrossIndex {
            tokens: KeyMap::with_capacity_and_hasher(tokens, BuildHasherDefault::default()),
            ..CrossIndex::default()
        }
    }

    /// How many distinct keys the index holds.
    pub fn len(&self) -> usize {
        self.tokens.len() + self.saved.len()
    }

    /// Whether the index holds no key.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn path_of(&self, report: u32) -> &str {
        let i = self.paths.partition_point(|(r, _)| *r <= report);
        i.checked_sub(1)
            .and_then(|i| self.paths.get(i))
            .map_or("", |(_, p)| p.as_str())
    }

    /// The related information pointing at a first use, seen from report `now`.
    fn related(&self, first: &First, now: u32, len: usize, what: &str) -> Related {
        let start = first.start as usize;
        if first.report == now {
            Related {
                path: None,
                span: start..start + len,
                position: None,
                message: format!("{what} here"),
            }
        } else {
            let path = self.path_of(first.report);
            Related {
                path: Some(path.to_owned()),
                span: start..start + len,
                position: Some((first.line, first.column)),
                message: format!("{what} in {path}"),
            }
        }
    }

    fn first(report: &FileReport, id: u32, value: u64, start: usize) -> First {
        let p = report.position(start);
        First {
            value,
            report: id,
            line: p.line,
            column: p.column,
            start: u32::try_from(start).unwrap_or(u32::MAX),
        }
    }

    /// Checks one report against every report checked before it; consumes its records.
    pub fn check(&mut self, report: &mut FileReport) {
        let id = self.next_report;
        self.next_report = self.next_report.wrapping_add(1);
        let tokens = std::mem::take(&mut report.client_tokens);
        let saved = std::mem::take(&mut report.saved_commands);
        if tokens.is_empty() && saved.is_empty() {
            return;
        }
        let mut recorded = false;
        let mut found = Vec::new();
        // Requests the API rejects (a reused token) save no command.
        let mut rejected: Vec<usize> = Vec::new();
        for u in tokens {
            let key = hash_str(&u.token);
            match self.tokens.get(&key) {
                None => {
                    let f = CrossIndex::first(report, id, u.fingerprint, u.span.start);
                    self.tokens.insert(key, f);
                    recorded = true;
                }
                Some(f) if f.value == u.fingerprint => {} // an idempotent retry
                Some(f) => {
                    let related = self.related(f, id, u.span.len(), TOKEN_FIRST);
                    found.push(token_conflict(&u, related));
                    rejected.push(u.document);
                }
            }
        }
        for s in saved {
            if rejected.contains(&s.document) {
                continue;
            }
            match self.saved.get(&s.key) {
                None => {
                    let f = CrossIndex::first(report, id, s.token, s.span.start);
                    self.saved.insert(s.key, f);
                    recorded = true;
                }
                Some(f) if f.value != 0 && f.value == s.token => {} // a retry of the same call
                Some(f) => {
                    let related = self.related(f, id, s.span.len(), SAVED_FIRST);
                    found.push(saved_conflict(&s, related));
                }
            }
        }
        if recorded && self.paths.last().is_none_or(|(_, p)| *p != report.path) {
            self.paths.push((id, report.path.clone()));
        }
        if !found.is_empty() {
            report.diagnostics.extend(found);
            crate::sort(&mut report.diagnostics);
        }
    }
}
