//! The error type of the parser.

use std::fmt;
use std::ops::Range;

/// One problem found in a `Frequency` value.
///
/// [`parse`](crate::parse) returns every problem it can find, in source order, so a linter can
/// report each bad field of a cron expression at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrequencyError {
    /// Byte offsets into the parsed expression, pointing at the bad part (the `25` in
    /// `0 15 25 * * ?`). Always on `char` boundaries; empty when something is missing at that
    /// position.
    pub span: Range<usize>,
    /// A human message, lower case, without a final period, e.g. `hour must be 0-23`.
    pub message: String,
    /// Replacement text for `span`, when an obvious fix exists (a did-you-mean time zone, a
    /// number without its extra leading zeros, ...).
    pub suggestion: Option<String>,
    /// Whether the rule behind this problem is inferred rather than documented (decisions.md
    /// §2): the documented sources do not reject it, so a linter should only warn.
    pub inferred: bool,
}

impl FrequencyError {
    pub(crate) fn new(span: Range<usize>, message: impl Into<String>) -> Self {
        FrequencyError {
            span,
            message: message.into(),
            suggestion: None,
            inferred: false,
        }
    }

    pub(crate) fn inferred(mut self) -> Self {
        self.inferred = true;
        self
    }

    pub(crate) fn with_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

impl fmt::Display for FrequencyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at bytes {}..{})",
            self.message, self.span.start, self.span.end
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, "; try `{s}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for FrequencyError {}

/// The byte length of the character starting at `at`, or 0 at the end (or off a boundary).
pub(crate) fn char_len_at(s: &str, at: usize) -> usize {
    s.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8)
}

/// The span of the character at `at` (empty at the end of `s`).
pub(crate) fn char_span(s: &str, at: usize) -> Range<usize> {
    at..at + char_len_at(s, at)
}
