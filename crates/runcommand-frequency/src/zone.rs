//! Time zones: IANA names, `GMT±H:MM` offsets, `UTC` and `GMT`.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::{FrequencyError, char_span};

/// A time zone of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// `UTC` or `GMT`, and the default zone.
    Utc,
    /// A `GMT+H:MM` / `GMT-H:MM` offset. Note that `GMT+8:00` means UTC+8, unlike the POSIX-style
    /// IANA name `Etc/GMT+8` (UTC-8).
    Fixed(FixedOffset),
    /// An IANA tzdata name such as `Asia/Shanghai`.
    Iana(Tz),
}

/// A time zone as written in the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneSpec {
    /// The zone.
    pub zone: Zone,
    /// Byte span of its text.
    pub span: Range<usize>,
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Utc => f.write_str("UTC"),
            Zone::Fixed(off) => {
                let secs = off.local_minus_utc();
                let sign = if secs < 0 { '-' } else { '+' };
                let abs = secs.unsigned_abs();
                write!(f, "GMT{sign}{}:{:02}", abs / 3600, (abs % 3600) / 60)
            }
            Zone::Iana(tz) => f.write_str(tz.name()),
        }
    }
}

impl FromStr for Zone {
    type Err = String;

    /// A zone written as in an expression (`Asia/Shanghai`, `GMT+8:00`, `UTC`), e.g. given on a
    /// command line; the error is the message the expression would get.
    fn from_str(text: &str) -> Result<Zone, String> {
        parse_zone(text, 0).map(|z| z.zone).map_err(|e| e.message)
    }
}

impl Zone {
    /// The wall clock of `t` in this zone, for display.
    pub fn localize(&self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        match self {
            Zone::Utc => t.fixed_offset(),
            Zone::Fixed(off) => t.with_timezone(off),
            Zone::Iana(tz) => {
                let local = t.with_timezone(tz);
                let off = local.offset().fix();
                t.with_timezone(&off)
            }
        }
    }

    /// The local wall-clock time of `t`.
    pub(crate) fn local_naive(&self, t: DateTime<Utc>) -> NaiveDateTime {
        self.localize(t).naive_local()
    }

    /// The instant of the local time `n`, following the crate's DST rule: in a repeated hour the
    /// first occurrence, in a gap the first instant after the gap.
    pub(crate) fn resolve(&self, n: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self {
            Zone::Utc => Some(n.and_utc()),
            Zone::Fixed(off) => off.from_local_datetime(&n).single().map(|t| t.to_utc()),
            Zone::Iana(tz) => match tz.from_local_datetime(&n) {
                LocalResult::Single(t) => Some(t.to_utc()),
                LocalResult::Ambiguous(a, _) => Some(a.to_utc()),
                LocalResult::None => gap_end(tz, n),
            },
        }
    }
}

/// The first instant whose local time in `tz` is at or after `n`, for a local time `n` that
/// falls into a gap. Binary search over the ±15 hours that any offset can span.
fn gap_end(tz: &Tz, n: NaiveDateTime) -> Option<DateTime<Utc>> {
    let as_utc = n.and_utc().timestamp();
    let mut lo = as_utc.checked_sub(15 * 3600)?;
    let mut hi = as_utc.checked_add(15 * 3600)?;
    let local_at = |secs: i64| -> Option<NaiveDateTime> {
        DateTime::from_timestamp(secs, 0).map(|t| t.with_timezone(tz).naive_local())
    };
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if local_at(mid)? >= n {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    DateTime::from_timestamp(hi, 0)
}

/// Parse a time zone token found at byte `offset` of the expression.
pub(crate) fn parse_zone(text: &str, offset: usize) -> Result<ZoneSpec, FrequencyError> {
    let span = offset..offset + text.len();
    let ok = |zone| {
        Ok(ZoneSpec {
            zone,
            span: span.clone(),
        })
    };
    if text == "UTC" || text == "GMT" {
        return ok(Zone::Utc);
    }
    if text.contains('/') {
        return match Tz::from_str(text) {
            Ok(tz) => ok(Zone::Iana(tz)),
            Err(_) => {
                let mut err =
                    FrequencyError::new(span.clone(), format!("unknown time zone `{text}`"));
                if let Some(best) = did_you_mean(text) {
                    err.message.push_str(&format!("; did you mean `{best}`?"));
                    err = err.with_suggestion(best);
                }
                Err(err)
            }
        };
    }
    if text.contains('+') || text.contains('-') {
        return parse_gmt_offset(text, offset).and_then(ok);
    }
    if text.eq_ignore_ascii_case("UTC") || text.eq_ignore_ascii_case("GMT") {
        let upper = text.to_ascii_uppercase();
        return Err(FrequencyError::new(
            span,
            format!("time zone abbreviations are case-sensitive: write `{upper}`"),
        )
        .with_suggestion(upper));
    }
    if Tz::from_str(text).is_ok() {
        return Err(FrequencyError::new(
            span,
            format!(
                "`{text}` is not accepted: use an IANA name with a `/` (such as `Asia/Shanghai`), `UTC`, `GMT` or `GMT+H:MM`"
            ),
        ));
    }
    Err(FrequencyError::new(
        span,
        format!(
            "unknown time zone `{text}`: use an IANA name (such as `Asia/Shanghai`), `UTC`, `GMT` or `GMT+H:MM`"
        ),
    ))
}

/// `GMT([+-])([0-9]|1[0-4]):([0-5][0-9])`, the whole token.
fn parse_gmt_offset(text: &str, offset: usize) -> Result<Zone, FrequencyError> {
    let whole = offset..offset + text.len();
    let form = "a UTC offset must be written `GMT+H:MM` or `GMT-H:MM`, e.g. `GMT+8:00`";
    let Some(rest) = text.strip_prefix("GMT") else {
        let prefix = text.get(..3).unwrap_or("");
        if prefix.eq_ignore_ascii_case("UTC") || prefix.eq_ignore_ascii_case("GMT") {
            return Err(FrequencyError::new(
                offset..offset + 3,
                format!("{form} (`{prefix}` is not accepted before an offset)"),
            )
            .with_suggestion("GMT"));
        }
        return Err(FrequencyError::new(whole, form));
    };
    let bytes = rest.as_bytes();
    let sign_at = offset + 3;
    let sign: i32 = match bytes.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(FrequencyError::new(char_span(text, 3), form).shift(offset)),
    };
    let hour_start = 1;
    let hour_len = bytes
        .get(hour_start..)
        .unwrap_or(&[])
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let hour_text = rest.get(hour_start..hour_start + hour_len).unwrap_or("");
    let hour_span = sign_at + 1..sign_at + 1 + hour_len;
    if hour_text.is_empty() {
        return Err(FrequencyError::new(
            sign_at + 1..sign_at + 1 + crate::error::char_len_at(rest, 1),
            "missing the GMT offset hour, e.g. `GMT+8:00`",
        ));
    }
    let hour_value: Option<u32> = hour_text.parse().ok();
    if hour_text.len() > 1 && hour_text.starts_with('0') {
        let mut err = FrequencyError::new(
            hour_span,
            "no leading zero is allowed on the GMT offset hour",
        );
        if let Some(h) = hour_value.filter(|h| *h <= 14) {
            err = err.with_suggestion(h.to_string());
        }
        return Err(err);
    }
    let hour = match hour_value {
        Some(h) if h <= 14 => h,
        _ => {
            return Err(FrequencyError::new(
                hour_span,
                "GMT offset hour must be 0-14",
            ));
        }
    };
    let after_hour = hour_start + hour_len;
    match bytes.get(after_hour) {
        Some(b':') => {}
        None => {
            return Err(FrequencyError::new(
                hour_span.end..hour_span.end,
                "missing the GMT offset minutes, e.g. `GMT+8:00`",
            )
            .with_suggestion(":00"));
        }
        Some(_) => {
            return Err(FrequencyError::new(
                char_span(rest, after_hour),
                "expected `:` after the GMT offset hour, e.g. `GMT+8:00`",
            )
            .shift(sign_at));
        }
    }
    let min_start = after_hour + 1;
    let min_text = rest.get(min_start..).unwrap_or("");
    let min_span = sign_at + min_start..sign_at + rest.len();
    let minutes = if min_text.len() == 2 && min_text.bytes().all(|b| b.is_ascii_digit()) {
        min_text.parse::<u32>().ok().filter(|m| *m <= 59)
    } else {
        None
    };
    let Some(minutes) = minutes else {
        return Err(FrequencyError::new(
            min_span,
            "GMT offset minutes must be two digits, 00-59",
        ));
    };
    let secs = sign * i32::try_from(hour * 3600 + minutes * 60).unwrap_or(0);
    FixedOffset::east_opt(secs)
        .map(Zone::Fixed)
        .ok_or_else(|| FrequencyError::new(whole, form))
}

impl FrequencyError {
    fn shift(mut self, by: usize) -> Self {
        self.span = self.span.start + by..self.span.end + by;
        self
    }
}

/// The closest IANA name to `text`, when it is close enough to be a likely typo (at most a
/// quarter of its length in edits, 1 to 3; names compared ignoring case).
fn did_you_mean(text: &str) -> Option<&'static str> {
    let limit = (text.chars().count() / 4).clamp(1, 3);
    let names = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|name| name.contains('/'));
    runcommand_suggest::closest(text, names, limit).map(|(name, _)| name)
}
