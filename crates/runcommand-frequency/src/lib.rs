//! The `Frequency` grammar of Alibaba Cloud ECS Cloud Assistant `RunCommand` schedules: a parser
//! that keeps byte spans for every part and reports precise errors, and an evaluator that lists
//! the next firings.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! let f = runcommand_frequency::parse("0 15 10 ? * 6#3 Asia/Shanghai").unwrap();
//! let from = Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).unwrap();
//! let next = f.next_firings(from, 1);
//! assert_eq!(f.zone().localize(next[0]).to_rfc3339(), "2026-12-19T10:15:00+08:00");
//! assert_eq!(f.describe(), "at 10:15:00 on the third Saturday of every month, Asia/Shanghai");
//! ```
//!
//! # Grammar
//!
//! The value is routed by its first letters, as the service does:
//!
//! * **rate**: the whole value must match `rate\s*\(\d+\s*[smhd]\)`, case-insensitively
//!   (`RATE(10 m)` is valid; no space right after `(` or before `)`; no leading or trailing
//!   whitespace). The number must be positive. The 60 s..7 d and "longer than Timeout" limits are
//!   left to the caller ([`Rate::interval_secs`]).
//! * **at**: `at(yyyy-MM-dd HH:mm:ss[ <zone>])`, lower-case `at`, every number zero-padded to
//!   its width, a 24-hour clock, single spaces, no space inside the parentheses. Impossible dates
//!   (`2023-02-30`) are errors. Without a zone the time is UTC.
//! * **cron**, anything else: whitespace-separated `second minute hour day-of-month month
//!   day-of-week [year] [zone]`. Six fields, six fields and a zone, seven fields (the seventh
//!   made only of digits and `* ? , / -` is the year), or seven fields and a zone; any other
//!   count is an error. Fields:
//!
//!   | field | values | special characters |
//!   |---|---|---|
//!   | second, minute | 0-59 | `* , - /` |
//!   | hour | 0-23 | `* , - /` |
//!   | day-of-month | 1-31 | `* , - / ? L LW nW` |
//!   | month | 1-12, JAN-DEC or full names | `* , - /` |
//!   | day-of-week | 1 = Monday .. 7 = Sunday, 0 = Sunday, MON-SUN or full names | `* , - / ? L nL n#k` (k 1-5) |
//!   | year | 1970-2099 | `* , - /` |
//!
//!   Names are case-insensitive. A number may have at most one leading zero (`08`, not `008`).
//!   Items are `*`, `v`, `a-b`, `*/n`, `v/n` (from `v` to the field's maximum), `a-b/n`; a step
//!   must be 1 to the size of the field (1-60 for seconds, 1-7 for day-of-week, ...). `?` must
//!   stand alone and only in the two day fields. **A range whose start is after its end (`20-5`,
//!   `FRI-MON`) is an error**: wrap-around ranges are not supported. `SUN` at the end of a range
//!   counts as 7 (`FRI-SUN`). In day-of-week `L` alone is Sunday, `6L` the last Saturday of the
//!   month, `6#3` the third Saturday; `L`, `W` and `#` items may be mixed into lists.
//! * **zones** (in `at` and cron): an IANA name containing `/` (case-sensitive, as in tzdata,
//!   with a did-you-mean suggestion), `GMT+H:MM` / `GMT-H:MM` (hour 0-14 without a leading zero,
//!   minutes 00-59, parsed to a fixed offset: `GMT+8:00` is UTC+8), `UTC` or `GMT`. Anything
//!   else, including IANA names without `/` such as `Japan`, is an error.
//!
//! [`parse`] returns **all** the errors it finds (each bad cron field, the zone), in source
//! order, each with a byte span into the input and a message.
//!
//! # Evaluation
//!
//! * Firings are returned as UTC instants, strictly after the given instant and strictly
//!   increasing; [`Frequency::zone`] gives the zone to display them in ([`Zone::localize`]).
//! * A cron expression without a zone runs in the instance's system time zone, which a linter
//!   cannot know: it is evaluated in UTC and [`Frequency::zone_is_explicit`] returns `false`.
//! * When both day fields are restricted (neither `*` nor `?`), a day matches if **either**
//!   field matches (as the agent's cron library does); [`Frequency::day_conflict`] reports it.
//! * **Daylight saving time rule**: cron fields match the local wall clock. A matching local
//!   time that falls into a spring-forward gap fires once at the first instant after the gap
//!   (02:30 in a 02:00-03:00 gap fires at 03:00 new time; several gap times collapse into that
//!   one firing). A matching local time that occurs twice in a fall-back repeat fires once, at
//!   its first occurrence. The same rule places an `at` time.
//! * The search is bounded: it skips whole non-matching years, months, days, hours and minutes
//!   and stops at the end of year 2099 (a cron expression never fires after 2099, nor before
//!   1970). A schedule that never fires (`0 0 0 30 2 ?`, a past year) returns nothing quickly.
//! * `rate` fires every interval counting from the given instant (the anchor; the service
//!   actually starts the first run 5 minutes after the task is created, then every interval),
//!   up to the end of 2099. `at` fires once, or never if its instant is not after the given one.
//! * **Smallest gap** ([`Frequency::min_gap`]): over the year after the first firing, measured on
//!   the local wall clock and computed from the fields (O(60 + 60 + 24 + 366), no walk over the
//!   firings), so a daylight-saving shift is never mistaken for a schedule that fires too often.
//!   [`Frequency::searched_min_gap`] walks the firings (elapsed time, at most
//!   [`MIN_GAP_FIRINGS`]) and is the reference the computation is tested against.

use std::ops::Range;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Timelike, Utc};

mod at;
mod cron;
mod error;
mod rate;
mod zone;

pub use at::At;
pub use cron::{Cron, Field, FieldKind, Item, ItemKind, StepBase};
pub use error::FrequencyError;
pub use rate::{Rate, RateUnit};
pub use zone::{Zone, ZoneSpec};

/// The most firings [`Frequency::searched_min_gap`] looks at.
pub const MIN_GAP_FIRINGS: usize = 1000;

/// A parsed `Frequency` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frequency {
    /// `rate(...)`.
    Rate(Rate),
    /// `at(...)`.
    At(At),
    /// A cron expression (boxed: it is much larger than the other two).
    Cron(Box<Cron>),
}

/// Parse a `Frequency` value. On failure returns every error found (never an empty list), in
/// source order; all of them mean `InvalidParam.Frequency`.
pub fn parse(expr: &str) -> Result<Frequency, Vec<FrequencyError>> {
    let trimmed = expr.trim_start();
    let lead = expr.len() - trimmed.len();
    let starts_with = |word: &str| {
        trimmed
            .get(..word.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(word))
    };
    let route: Option<(bool, usize)> = if starts_with("rate") {
        Some((true, 4))
    } else if starts_with("at") {
        Some((false, 2))
    } else {
        None
    };
    let Some((is_rate, word_len)) = route else {
        return cron::parse_cron(expr).map(|c| Frequency::Cron(Box::new(c)));
    };
    let mut errors = Vec::new();
    if lead > 0 {
        errors.push(
            FrequencyError::new(
                0..lead,
                format!(
                    "no whitespace is allowed before `{}`",
                    trimmed.get(..word_len).unwrap_or("")
                ),
            )
            .with_suggestion(""),
        );
    }
    let parsed = if is_rate {
        rate::parse_rate(expr, lead).map(Frequency::Rate)
    } else {
        at::parse_at(expr, lead).map(Frequency::At)
    };
    match parsed {
        Ok(f) if errors.is_empty() => Ok(f),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push(e);
            Err(errors)
        }
    }
}

/// The end of the search horizon: the last second of 2099, UTC.
fn horizon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(cron::eval::LAST_YEAR, 12, 31, 23, 59, 59)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl Frequency {
    /// The next firing strictly after `from`, if any (bounded by the end of 2099 for rate and
    /// cron).
    pub fn next_after(&self, from: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Frequency::Rate(r) => {
                let secs = i64::try_from(r.interval_secs()).ok()?;
                let next = from.checked_add_signed(TimeDelta::try_seconds(secs)?)?;
                (next <= horizon()).then_some(next)
            }
            Frequency::At(a) => (a.instant > from).then_some(a.instant),
            Frequency::Cron(c) => {
                let zone = c.effective_zone();
                // No cron firing is before 1970 or after 2099 local time; clamping keeps the
                // local-time arithmetic far from chrono's limits.
                if from > horizon().checked_add_signed(TimeDelta::days(2))? {
                    return None;
                }
                let earliest = Utc
                    .with_ymd_and_hms(cron::eval::FIRST_YEAR - 1, 12, 30, 0, 0, 0)
                    .single()?;
                let from = from.max(earliest);
                let local = zone.local_naive(from).with_nanosecond(0)?;
                let mut start = local.checked_add_signed(TimeDelta::seconds(1))?;
                // Only a fall-back repeat makes a local match map to an instant not after
                // `from`; that costs at most one skip per matching second of the repeat.
                for _ in 0..200_000 {
                    let n = c.schedule.next_local(start)?;
                    let t = zone.resolve(n)?;
                    if t > from {
                        return Some(t);
                    }
                    start = n.checked_add_signed(TimeDelta::seconds(1))?;
                }
                None
            }
        }
    }

    /// The firings strictly after `from`, in increasing order (finite: bounded by 2099).
    pub fn firings(&self, from: DateTime<Utc>) -> Firings<'_> {
        Firings {
            frequency: self,
            last: Some(from),
        }
    }

    /// The next `n` firings strictly after `from` (fewer if the schedule ends).
    pub fn next_firings(&self, from: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        self.firings(from).take(n).collect()
    }

    /// Whether the schedule fires at all after `from` (bounded search).
    pub fn has_future_firing(&self, from: DateTime<Utc>) -> bool {
        self.next_after(from).is_some()
    }

    /// The smallest gap between consecutive firings after `from`, over the year after the first
    /// one, measured on the local wall clock (daylight-saving shifts are not gaps of the
    /// schedule; see `analytic_min_gap`). `None` with fewer than two firings. For `rate`, the
    /// interval. Computed from the fields for cron: for a zone with a steady UTC offset it equals
    /// [`searched_min_gap`](Self::searched_min_gap) whenever that walk spans more than two days.
    pub fn min_gap(&self, from: DateTime<Utc>) -> Option<Duration> {
        if let Frequency::Rate(r) = self {
            return Some(Duration::from_secs(r.interval_secs()));
        }
        if let Some(gap) = self.analytic_min_gap(from) {
            return gap;
        }
        self.searched_min_gap(from)
    }

    /// The smallest gap of a cron expression, computed from its fields (`None` outer: not a
    /// cron expression). Gaps are measured on the local wall clock: every matching day fires at
    /// the same local times, so the smallest gap is the smaller of the smallest gap within a day
    /// and the gap from the last time of a matching day to the first time of the next one (the
    /// fewest days apart among the matching days of the year after the first firing).
    /// Daylight-saving shifts are not gaps of the schedule: a spring-forward day that collapses
    /// two local times into one instant, or a repeated hour, does not make a schedule fire more
    /// often than its fields say. O(60 + 60 + 24 + 366), never a walk over the firings.
    fn analytic_min_gap(&self, from: DateTime<Utc>) -> Option<Option<Duration>> {
        let Frequency::Cron(c) = self else {
            return None;
        };
        let Some(first) = self.next_after(from) else {
            return Some(None);
        };
        let local_first = c.effective_zone().localize(first);
        let Some((intra, day_first, day_last)) = c.schedule.day_times() else {
            return Some(None);
        };
        let cross = c
            .schedule
            .min_day_step(local_first.date_naive(), 366)
            .map(|k| 86_400 * k - (day_last - day_first));
        let best = match (intra, cross) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Some(best.map(|s| Duration::from_secs(u64::from(s))))
    }

    /// The smallest gap by walking the firings (any zone, daylight saving included), over the
    /// same window as [`min_gap`](Self::min_gap): the reference the fast path is tested against.
    pub fn searched_min_gap(&self, from: DateTime<Utc>) -> Option<Duration> {
        let mut it = self.firings(from);
        let first = it.next()?;
        let end = first.checked_add_signed(TimeDelta::days(366))?;
        let mut prev = first;
        let mut best: Option<TimeDelta> = None;
        for t in it.take(MIN_GAP_FIRINGS - 1) {
            if t > end {
                break;
            }
            let gap = t - prev;
            best = Some(best.map_or(gap, |b| b.min(gap)));
            prev = t;
        }
        best.and_then(|b| b.to_std().ok())
    }

    /// The zone to display firings in: the written zone, or UTC (see
    /// [`zone_is_explicit`](Self::zone_is_explicit)).
    pub fn zone(&self) -> Zone {
        match self {
            Frequency::Rate(_) => Zone::Utc,
            Frequency::At(a) => a.effective_zone(),
            Frequency::Cron(c) => c.effective_zone(),
        }
    }

    /// `false` only for a cron expression without a time zone: it runs in the instance's system
    /// time zone, and was evaluated in UTC. (`at` defaults to UTC; `rate` has no zone.)
    pub fn zone_is_explicit(&self) -> bool {
        match self {
            Frequency::Cron(c) => c.zone.is_some(),
            Frequency::Rate(_) | Frequency::At(_) => true,
        }
    }

    /// A plain-English description, e.g. "at 10:15:00 on the third Saturday of every month,
    /// Asia/Shanghai".
    pub fn describe(&self) -> String {
        match self {
            Frequency::Rate(r) => r.describe(),
            Frequency::At(a) => format!(
                "once at {}, {}",
                a.local.format("%Y-%m-%d %H:%M:%S"),
                a.effective_zone()
            ),
            Frequency::Cron(c) => cron::describe::describe(c),
        }
    }

    /// Whether the agent must be at least Linux 2.2.3.282 / Windows 2.1.3.282: `rate`, `at`, or
    /// a cron expression with a year field or a time zone.
    pub fn needs_new_agent(&self) -> bool {
        match self {
            Frequency::Rate(_) | Frequency::At(_) => true,
            Frequency::Cron(c) => c.year.is_some() || c.zone.is_some(),
        }
    }

    /// For a cron expression whose day-of-month and day-of-week are both restricted (neither
    /// `*` nor `?`), the span from the day-of-month field to the end of the day-of-week field.
    pub fn day_conflict(&self) -> Option<Range<usize>> {
        match self {
            Frequency::Cron(c) => c.day_conflict(),
            Frequency::Rate(_) | Frequency::At(_) => None,
        }
    }
}

/// Iterator over firings, from [`Frequency::firings`].
#[derive(Debug, Clone)]
pub struct Firings<'a> {
    frequency: &'a Frequency,
    last: Option<DateTime<Utc>>,
}

impl Iterator for Firings<'_> {
    type Item = DateTime<Utc>;

    fn next(&mut self) -> Option<DateTime<Utc>> {
        let next = self.frequency.next_after(self.last?);
        self.last = next;
        next
    }
}

impl std::iter::FusedIterator for Firings<'_> {}

#[cfg(test)]
mod tests;
