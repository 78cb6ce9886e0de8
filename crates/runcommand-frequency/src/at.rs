//! `at(yyyy-MM-dd HH:mm:ss[ <tz>])`: one firing.

use std::ops::Range;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::error::{FrequencyError, char_span};
use crate::zone::{Zone, ZoneSpec, parse_zone};

/// A parsed `at(...)` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    /// The wall-clock date and time as written.
    pub local: NaiveDateTime,
    /// Byte span of `yyyy-MM-dd HH:mm:ss`.
    pub span: Range<usize>,
    /// The time zone, if one was written (the default is UTC).
    pub zone: Option<ZoneSpec>,
    /// The instant of the firing (see the crate docs for local times in a DST gap or repeat).
    pub instant: DateTime<Utc>,
}

impl At {
    /// The effective zone: the written one, or UTC.
    pub fn effective_zone(&self) -> Zone {
        self.zone.as_ref().map_or(Zone::Utc, |z| z.zone)
    }
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Parse an `at(...)` expression whose `at` starts at byte `start`.
pub(crate) fn parse_at(expr: &str, start: usize) -> Result<At, FrequencyError> {
    let b = expr.as_bytes();
    let head = expr.get(start..start + 2).unwrap_or("");
    if head != "at" {
        return Err(
            FrequencyError::new(start..start + 2, "write `at` in lower case").with_suggestion("at"),
        );
    }
    let mut i = start + 2;
    if b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        let ws = i;
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        return Err(
            FrequencyError::new(ws..i, "no space is allowed between `at` and `(`")
                .with_suggestion(""),
        );
    }
    if b.get(i) != Some(&b'(') {
        return Err(FrequencyError::new(
            char_span(expr, i),
            "expected `(` after `at`, e.g. `at(2022-06-06 13:15:30)`",
        ));
    }
    i += 1;
    let inner_start = i;
    let Some(close_rel) = expr.get(inner_start..).and_then(|s| s.find(')')) else {
        return Err(FrequencyError::new(expr.len()..expr.len(), "missing `)`").with_suggestion(")"));
    };
    let inner_end = inner_start + close_rel;
    if inner_end + 1 < expr.len() {
        return Err(FrequencyError::new(
            inner_end + 1..expr.len(),
            "unexpected text after `)`",
        ));
    }
    let inner = expr.get(inner_start..inner_end).unwrap_or("");
    if inner.starts_with(char::is_whitespace) {
        let n = inner.len() - inner.trim_start().len();
        return Err(FrequencyError::new(
            inner_start..inner_start + n,
            "no space is allowed after `(`",
        )
        .with_suggestion(""));
    }
    if inner.is_empty() {
        return Err(FrequencyError::new(
            inner_start..inner_start,
            "missing the date and time `yyyy-MM-dd HH:mm:ss`",
        ));
    }
    if inner.ends_with(char::is_whitespace) {
        let n = inner.len() - inner.trim_end().len();
        return Err(FrequencyError::new(
            inner_end - n..inner_end,
            "no space is allowed before `)`",
        )
        .with_suggestion(""));
    }

    // The date.
    let date_len = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let date_text = inner.get(..date_len).unwrap_or("");
    let date_span = inner_start..inner_start + date_len;
    let date = parse_date(date_text, date_span.clone())?;

    // The time, after exactly one space.
    let rest = inner.get(date_len..).unwrap_or("");
    let time_at = date_span.end;
    if rest.is_empty() {
        return Err(FrequencyError::new(
            time_at..time_at,
            "missing the time `HH:mm:ss` after the date",
        ));
    }
    let ws = rest.len() - rest.trim_start().len();
    if rest.get(..ws) != Some(" ") {
        return Err(FrequencyError::new(
            time_at..time_at + ws,
            "use a single space between the date and the time",
        )
        .with_suggestion(" "));
    }
    let rest = rest.get(ws..).unwrap_or("");
    let time_start = time_at + ws;
    let time_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let time_text = rest.get(..time_len).unwrap_or("");
    let time_span = time_start..time_start + time_len;
    let time = parse_time(time_text, time_span.clone())?;

    // The optional zone, after exactly one space.
    let rest = rest.get(time_len..).unwrap_or("");
    let zone = if rest.is_empty() {
        None
    } else {
        let ws = rest.len() - rest.trim_start().len();
        if rest.get(..ws) != Some(" ") {
            return Err(FrequencyError::new(
                time_span.end..time_span.end + ws,
                "use a single space between the time and the time zone",
            )
            .with_suggestion(" "));
        }
        let zone_text = rest.get(ws..).unwrap_or("");
        let zone_start = time_span.end + ws;
        if let Some(extra) = zone_text.find(char::is_whitespace) {
            return Err(FrequencyError::new(
                zone_start + extra..inner_end,
                "unexpected text after the time zone",
            ));
        }
        Some(parse_zone(zone_text, zone_start)?)
    };

    let local = date.and_time(time);
    let eff = zone.as_ref().map_or(Zone::Utc, |z| z.zone);
    let Some(instant) = eff.resolve(local) else {
        return Err(FrequencyError::new(
            date_span.start..time_span.end,
            "this local time does not exist in the time zone",
        ));
    };
    Ok(At {
        local,
        span: date_span.start..time_span.end,
        zone,
        instant,
    })
}

fn parse_date(text: &str, span: Range<usize>) -> Result<NaiveDate, FrequencyError> {
    let form_error = || {
        FrequencyError::new(
            span.clone(),
            "the date must be `yyyy-MM-dd`, zero-padded, e.g. `2022-06-06`",
        )
    };
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return Err(form_error());
    }
    let (Some(y), Some(m), Some(d)) = (text.get(0..4), text.get(5..7), text.get(8..10)) else {
        return Err(form_error());
    };
    if !all_digits(y) || !all_digits(m) || !all_digits(d) {
        return Err(form_error());
    }
    let year: i32 = y.parse().map_err(|_| form_error())?;
    let month: u32 = m.parse().map_err(|_| form_error())?;
    let day: u32 = d.parse().map_err(|_| form_error())?;
    if !(1..=12).contains(&month) {
        return Err(FrequencyError::new(
            span.start + 5..span.start + 7,
            "month must be 01-12",
        ));
    }
    if !(1..=31).contains(&day) {
        return Err(FrequencyError::new(
            span.start + 8..span.start + 10,
            "day must be 01-31",
        ));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let days = crate::cron::eval::days_in_month(year, month);
        FrequencyError::new(
            span.clone(),
            format!(
                "`{text}` is not a date: {} {year} has {days} days",
                crate::cron::MONTH_NAMES
                    .get(month as usize - 1)
                    .unwrap_or(&"that month")
            ),
        )
    })
}

fn parse_time(text: &str, span: Range<usize>) -> Result<NaiveTime, FrequencyError> {
    let form_error = || {
        FrequencyError::new(
            span.clone(),
            "the time must be `HH:mm:ss`, 24-hour and zero-padded, e.g. `13:15:30`",
        )
    };
    let bytes = text.as_bytes();
    if bytes.len() != 8 || bytes.get(2) != Some(&b':') || bytes.get(5) != Some(&b':') {
        return Err(form_error());
    }
    let (Some(h), Some(m), Some(s)) = (text.get(0..2), text.get(3..5), text.get(6..8)) else {
        return Err(form_error());
    };
    if !all_digits(h) || !all_digits(m) || !all_digits(s) {
        return Err(form_error());
    }
    let parts = [
        (h, 0, 23, "hour must be 00-23"),
        (m, 3, 59, "minute must be 00-59"),
        (s, 6, 59, "second must be 00-59"),
    ];
    let mut values = [0u32; 3];
    for ((text, at, max, msg), slot) in parts.into_iter().zip(values.iter_mut()) {
        let v: u32 = text.parse().map_err(|_| form_error())?;
        if v > max {
            return Err(FrequencyError::new(
                span.start + at..span.start + at + 2,
                msg,
            ));
        }
        *slot = v;
    }
    let [h, m, s] = values;
    NaiveTime::from_hms_opt(h, m, s).ok_or_else(form_error)
}
