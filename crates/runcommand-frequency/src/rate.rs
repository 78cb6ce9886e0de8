//! `rate(<n><unit>)`: a fixed interval.

use std::ops::Range;

use crate::error::{FrequencyError, char_len_at, char_span};

/// The unit of a rate interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateUnit {
    /// `s`
    Seconds,
    /// `m`
    Minutes,
    /// `h`
    Hours,
    /// `d`
    Days,
}

impl RateUnit {
    /// Seconds in one unit.
    pub fn seconds(self) -> u64 {
        match self {
            RateUnit::Seconds => 1,
            RateUnit::Minutes => 60,
            RateUnit::Hours => 3600,
            RateUnit::Days => 86_400,
        }
    }

    fn word(self) -> &'static str {
        match self {
            RateUnit::Seconds => "second",
            RateUnit::Minutes => "minute",
            RateUnit::Hours => "hour",
            RateUnit::Days => "day",
        }
    }
}

/// A parsed `rate(...)` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    /// The number as written (saturated at `u64::MAX`); never 0.
    pub value: u64,
    /// The unit.
    pub unit: RateUnit,
    /// Byte span of the interval, from the first digit to the unit letter (`10 m` in
    /// `RATE(10 m)`).
    pub span: Range<usize>,
}

impl Rate {
    /// The interval in seconds (saturating).
    pub fn interval_secs(&self) -> u64 {
        self.value.saturating_mul(self.unit.seconds())
    }

    pub(crate) fn describe(&self) -> String {
        if self.value == 1 {
            format!("every {}", self.unit.word())
        } else {
            format!("every {} {}s", self.value, self.unit.word())
        }
    }
}

/// Go's `\s`: `[\t\n\f\r ]`.
fn is_go_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | b' ')
}

/// Parse `rate\s*\(\d+\s*[smhd]\)` (case-insensitive, whole string). `start` is the byte where
/// `rate` begins (leading whitespace before it was already reported).
pub(crate) fn parse_rate(expr: &str, start: usize) -> Result<Rate, FrequencyError> {
    let b = expr.as_bytes();
    let at = |i: usize| b.get(i).copied();
    let mut i = start + 4;
    while at(i).is_some_and(is_go_space) {
        i += 1;
    }
    if at(i) != Some(b'(') {
        return Err(FrequencyError::new(
            char_span(expr, i),
            "expected `(` after `rate`, e.g. `rate(5m)`",
        ));
    }
    i += 1;
    if at(i).is_some_and(is_go_space) {
        let ws = i;
        while at(i).is_some_and(is_go_space) {
            i += 1;
        }
        return Err(FrequencyError::new(ws..i, "no space is allowed after `(`").with_suggestion(""));
    }
    let num_start = i;
    while at(i).is_some_and(|c| c.is_ascii_digit()) {
        i += 1;
    }
    let digits = expr.get(num_start..i).unwrap_or("");
    if digits.is_empty() {
        let msg = if matches!(at(i), Some(b'-' | b'+')) {
            "the interval must be a positive whole number"
        } else {
            "expected the interval, a whole number and a unit, e.g. `rate(5m)`"
        };
        return Err(FrequencyError::new(char_span(expr, i), msg));
    }
    if at(i) == Some(b'.') || at(i) == Some(b',') {
        let mut j = i + 1;
        while at(j).is_some_and(|c| c.is_ascii_digit()) {
            j += 1;
        }
        return Err(FrequencyError::new(
            num_start..j,
            "the interval must be a whole number",
        ));
    }
    let value = digits.bytes().fold(0u64, |acc, d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    });
    if value == 0 {
        return Err(FrequencyError::new(
            num_start..i,
            "the interval must be positive",
        ));
    }
    while at(i).is_some_and(is_go_space) {
        i += 1;
    }
    let unit_start = i;
    while at(i).is_some_and(|c| c.is_ascii_alphabetic()) {
        i += 1;
    }
    let unit_text = expr.get(unit_start..i).unwrap_or("");
    let unit = match unit_text.to_ascii_lowercase().as_str() {
        "s" => RateUnit::Seconds,
        "m" => RateUnit::Minutes,
        "h" => RateUnit::Hours,
        "d" => RateUnit::Days,
        other => {
            let span = if unit_text.is_empty() {
                char_span(expr, unit_start)
            } else {
                unit_start..i
            };
            let mut err = FrequencyError::new(
                span,
                if unit_text.is_empty() {
                    "missing the unit: `s`, `m`, `h` or `d`".to_string()
                } else {
                    format!("the unit must be `s`, `m`, `h` or `d`, found `{unit_text}`")
                },
            );
            let fix = match other {
                "sec" | "secs" | "second" | "seconds" => Some("s"),
                "min" | "mins" | "minute" | "minutes" => Some("m"),
                "hr" | "hrs" | "hour" | "hours" => Some("h"),
                "day" | "days" => Some("d"),
                _ => None,
            };
            if let Some(fix) = fix {
                err = err.with_suggestion(fix);
            }
            return Err(err);
        }
    };
    let span = num_start..i;
    if at(i).is_some_and(is_go_space) {
        let ws = i;
        while at(i).is_some_and(is_go_space) {
            i += 1;
        }
        if at(i) == Some(b')') {
            return Err(
                FrequencyError::new(ws..i, "no space is allowed before `)`").with_suggestion("")
            );
        }
        i = ws;
    }
    if at(i) != Some(b')') {
        if at(i).is_none() {
            return Err(FrequencyError::new(i..i, "missing `)`").with_suggestion(")"));
        }
        return Err(FrequencyError::new(
            i..i + char_len_at(expr, i),
            "expected `)` after the unit",
        ));
    }
    i += 1;
    if i < expr.len() {
        return Err(FrequencyError::new(
            i..expr.len(),
            "unexpected text after `)`",
        ));
    }
    Ok(Rate { value, unit, span })
}
