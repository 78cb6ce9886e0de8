//! `Lint.DuplicateSavedCommand`: two requests in one run save a command (`KeepCommand: true`)
//! with the same `Name` in the same `RegionId`; the later one is reported, on its `Name`.
//!
//! Like `IdempotentParameterMismatch` this compares requests, so it is no per-request rule:
//! while a file is checked, each request with `KeepCommand: true` and a non-empty `Name` leaves a
//! [`SavedUse`] (a 64-bit key of name and region, never the request), and the cross-request pass
//! ([`crate::cross::CrossIndex`]) compares them over the whole run with memory that grows with
//! the number of distinct saved commands only.
//!
//! Choices where the sources are silent:
//! - names are compared exactly (the API does not say they are case-insensitive);
//! - a missing `RegionId` counts as one more region (the request gets its own finding for it);
//! - a request without `Name` is not compared (nothing to confuse it with);
//! - a later request carrying the same non-empty `ClientToken` as the first is a retry of the
//!   same call (or is rejected by `IdempotentParameterMismatch`): it saves no second command, so
//!   it is not reported;
//! - a request rejected for `IdempotentParameterMismatch` saves nothing: it is neither reported
//!   nor taken as the first;
//! - the first request in path order (then request order within a file) is the one kept.

use std::ops::Range;

use runcommand_catalog::param;

use crate::idempotency::Hash64;
use crate::request::Request;

/// One request's saved command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedUse {
    /// 0-based index of the request in its file.
    pub document: usize,
    /// Key of (`Name`, `RegionId`).
    pub key: u64,
    /// Hash of the request's `ClientToken` (0 when it has none).
    pub token: u64,
    /// The span of the `Name` value.
    pub span: Range<usize>,
}

/// A 64-bit hash of a string ([`Hash64`]), never 0 so that 0 can mean "none".
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h = Hash64::new();
    h.field(b's', s.as_bytes());
    h.0.max(1)
}

/// The saved command of a request, if it keeps one under a name.
pub(crate) fn saved_use(req: &Request<'_>) -> Option<SavedUse> {
    if req.bool(param::KEEP_COMMAND) != Some(true) {
        return None;
    }
    let name = req.str(param::NAME)?;
    if name.value.is_empty() {
        return None;
    }
    let region = req.str(param::REGION_ID).map_or("", |r| r.value);
    let mut h = Hash64::new();
    h.field(b'n', name.value.as_bytes());
    h.field(b'r', region.as_bytes());
    let token = req
        .str(param::CLIENT_TOKEN)
        .filter(|t| !t.value.is_empty())
        .map_or(0, |t| hash_str(t.value));
    Some(SavedUse {
        document: req.index,
        key: h.0,
        token,
        span: name.span(),
    })
}
