//! Cron expressions: AST and parser.

use std::ops::Range;

use crate::error::FrequencyError;
use crate::zone::{Zone, ZoneSpec, parse_zone};

pub(crate) mod describe;
pub(crate) mod eval;

pub(crate) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Weekday names indexed by the cron number modulo 7 (0 = Sunday).
pub(crate) const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// Which field of a cron expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Seconds, 0-59.
    Second,
    /// Minutes, 0-59.
    Minute,
    /// Hours, 0-23.
    Hour,
    /// Day of month, 1-31.
    DayOfMonth,
    /// Month, 1-12 or JAN-DEC.
    Month,
    /// Day of week, 1 = Monday .. 7 = Sunday, 0 also Sunday, or MON-SUN.
    DayOfWeek,
    /// Year, 1970-2099.
    Year,
}

impl FieldKind {
    /// The field's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Second => "second",
            FieldKind::Minute => "minute",
            FieldKind::Hour => "hour",
            FieldKind::DayOfMonth => "day-of-month",
            FieldKind::Month => "month",
            FieldKind::DayOfWeek => "day-of-week",
            FieldKind::Year => "year",
        }
    }

    /// The smallest numeric value.
    pub fn min(self) -> u32 {
        match self {
            FieldKind::Second | FieldKind::Minute | FieldKind::Hour | FieldKind::DayOfWeek => 0,
            FieldKind::DayOfMonth | FieldKind::Month => 1,
            FieldKind::Year => 1970,
        }
    }

    /// The largest numeric value (7 for day-of-week, another Sunday).
    pub fn max(self) -> u32 {
        match self {
            FieldKind::Second | FieldKind::Minute => 59,
            FieldKind::Hour => 23,
            FieldKind::DayOfMonth => 31,
            FieldKind::Month => 12,
            FieldKind::DayOfWeek => 7,
            FieldKind::Year => runcommand_catalog::limits::CRON_MAX_YEAR as u32,
        }
    }

    /// The largest step accepted after `/`.
    fn max_step(self) -> u32 {
        match self {
            FieldKind::DayOfWeek => 7,
            k => k.max() - k.min() + 1,
        }
    }

    fn range_message(self) -> String {
        match self {
            FieldKind::Month => "month must be 1-12 or JAN-DEC".to_string(),
            FieldKind::DayOfWeek => "day-of-week must be 0-7 or MON-SUN".to_string(),
            k => format!("{} must be {}-{}", k.name(), k.min(), k.max()),
        }
    }
}

/// The base of a `/` step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepBase {
    /// `*/n`: from the field's minimum.
    Every,
    /// `a/n`: from `a` to the field's maximum.
    From(u32),
    /// `a-b/n`.
    Range {
        /// First value.
        start: u32,
        /// Last value (inclusive).
        end: u32,
    },
}

/// One comma-separated item of a field. Day-of-week values are as written: 0 and 7 are both
/// Sunday (the name `SUN` is 0, or 7 at the end of a range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// `*`
    Every,
    /// `?` (day-of-month and day-of-week only)
    Any,
    /// A single value.
    Value(u32),
    /// `a-b`, with `a <= b`.
    Range {
        /// First value.
        start: u32,
        /// Last value (inclusive).
        end: u32,
    },
    /// `base/step`.
    Step {
        /// What is stepped through.
        base: StepBase,
        /// The increment, at least 1.
        step: u32,
    },
    /// `L`: the last day of the month (day-of-month), or Sunday (day-of-week).
    Last,
    /// `LW`: the last weekday (Monday-Friday) of the month.
    LastWeekday,
    /// `nW`: the weekday nearest day `n`, within the month.
    NearestWeekday(u32),
    /// `nL` in day-of-week: the last such weekday of the month.
    LastOf(u32),
    /// `n#k` in day-of-week: the `k`-th such weekday of the month.
    Nth {
        /// The weekday (0-7).
        weekday: u32,
        /// The occurrence, 1-5.
        nth: u32,
    },
}

/// One item with its byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What it means.
    pub kind: ItemKind,
    /// Byte span in the expression.
    pub span: Range<usize>,
}

/// One field of a cron expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Which field.
    pub kind: FieldKind,
    /// Byte span of the whole field.
    pub span: Range<usize>,
    /// Its comma-separated items, never empty.
    pub items: Vec<Item>,
}

impl Field {
    /// True when the field is a lone `*` or `?`.
    pub fn is_unrestricted(&self) -> bool {
        matches!(
            self.items.as_slice(),
            [Item {
                kind: ItemKind::Every | ItemKind::Any,
                ..
            }]
        )
    }
}

/// A parsed cron expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cron {
    /// Seconds.
    pub second: Field,
    /// Minutes.
    pub minute: Field,
    /// Hours.
    pub hour: Field,
    /// Day of month.
    pub day_of_month: Field,
    /// Month.
    pub month: Field,
    /// Day of week.
    pub day_of_week: Field,
    /// The optional year field.
    pub year: Option<Field>,
    /// The optional time zone (without one the instance's system zone applies).
    pub zone: Option<ZoneSpec>,
    pub(crate) schedule: eval::Schedule,
}

impl Cron {
    /// The zone used for evaluation: the written one, or UTC when none is written (the real zone
    /// is then the instance's system zone).
    pub fn effective_zone(&self) -> Zone {
        self.zone.as_ref().map_or(Zone::Utc, |z| z.zone)
    }

    /// The six or seven fields in order.
    pub fn fields(&self) -> impl Iterator<Item = &Field> {
        [
            &self.second,
            &self.minute,
            &self.hour,
            &self.day_of_month,
            &self.month,
            &self.day_of_week,
        ]
        .into_iter()
        .chain(self.year.as_ref())
    }

    /// Span covering both day fields when both are restricted (neither `*` nor `?`): the
    /// schedule then fires on days matching either field.
    pub fn day_conflict(&self) -> Option<Range<usize>> {
        self.day_conflict_span()
    }

    /// Whether a local wall-clock time matches every field (day fields ORed when both are
    /// restricted). Years outside 1970-2099 never match.
    pub fn matches(&self, local: chrono::NaiveDateTime) -> bool {
        self.schedule.matches(local)
    }

    fn day_conflict_span(&self) -> Option<Range<usize>> {
        if self.day_of_month.is_unrestricted() || self.day_of_week.is_unrestricted() {
            None
        } else {
            Some(self.day_of_month.span.start..self.day_of_week.span.end)
        }
    }
}

/// Byte ranges of the whitespace-separated tokens of `s`.
fn tokens(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push(st..i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push(st..s.len());
    }
    out
}

/// A token in the seventh position is a year when it is made of year characters only.
fn is_year_like(tok: &str) -> bool {
    tok.starts_with(|c: char| c.is_ascii_digit() || c == '*' || c == '?')
        && tok
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '*' | '?' | ',' | '/' | '-'))
}

/// A token that can only have been meant as a time zone: `Area/Location...` or starting with
/// `GMT`/`UTC` (a day-of-week step such as `MON/2` is not one).
fn looks_like_zone(tok: &str) -> bool {
    let head = tok.get(..3).unwrap_or("");
    let iana = tok.split_once('/').is_some_and(|(area, rest)| {
        area.len() >= 2
            && area.bytes().all(|b| b.is_ascii_alphabetic())
            && rest.starts_with(|c: char| c.is_ascii_alphabetic())
    });
    iana || head.eq_ignore_ascii_case("GMT") || head.eq_ignore_ascii_case("UTC")
}

const FIELD_COUNT_MESSAGE: &str = "cron needs 6 or 7 fields (seconds first, optional year)";

pub(crate) fn parse_cron(expr: &str) -> Result<Cron, Vec<FrequencyError>> {
    let toks = tokens(expr);
    let text = |r: &Range<usize>| expr.get(r.clone()).unwrap_or("");
    let (Some(first), Some(last)) = (toks.first(), toks.last()) else {
        return Err(vec![FrequencyError::new(
            0..expr.len(),
            "the frequency is empty",
        )]);
    };
    let n = toks.len();
    let last_is_zone = n > 1 && !is_year_like(text(last));
    let counted_zone = last_is_zone && looks_like_zone(text(last));
    let (field_toks, zone_tok) = match n {
        6 if !counted_zone => (6, None),
        7 if is_year_like(text(last)) => (7, None),
        7 => (6, Some(last.clone())),
        8 if last_is_zone => {
            let seventh = toks.get(6).map(text).unwrap_or("");
            if !is_year_like(seventh) && looks_like_zone(seventh) {
                return Err(vec![FrequencyError::new(
                    last.clone(),
                    format!("unexpected `{}` after the time zone", text(last)),
                )]);
            }
            (7, Some(last.clone()))
        }
        _ => {
            let fields = if counted_zone { n - 1 } else { n };
            let mut message = format!("{FIELD_COUNT_MESSAGE}, found {fields}");
            if counted_zone {
                message.push_str(" and a time zone");
            }
            let mut err = if fields > 7 {
                let extra_start = toks.get(7).map_or(first.start, |r| r.start);
                let extra_end = toks.get(fields - 1).map_or(last.end, |r| r.end);
                FrequencyError::new(extra_start..extra_end, message)
            } else {
                FrequencyError::new(first.start..last.end, message)
            };
            if fields == 5 {
                let fields_end = toks.get(4).map_or(last.end, |r| r.end);
                err.span = first.start..fields_end;
                err = err.with_suggestion(format!(
                    "0 {}",
                    expr.get(first.start..fields_end).unwrap_or("")
                ));
            }
            return Err(vec![err]);
        }
    };

    let kinds = [
        FieldKind::Second,
        FieldKind::Minute,
        FieldKind::Hour,
        FieldKind::DayOfMonth,
        FieldKind::Month,
        FieldKind::DayOfWeek,
        FieldKind::Year,
    ];
    let mut errors = Vec::new();
    let mut fields: Vec<Field> = Vec::with_capacity(7);
    for (kind, tok) in kinds.iter().zip(toks.iter()).take(field_toks) {
        match parse_field(text(tok), tok.start, *kind) {
            Ok(f) => fields.push(f),
            Err(mut e) => errors.append(&mut e),
        }
    }
    let zone = match zone_tok {
        Some(r) => match parse_zone(text(&r), r.start) {
            Ok(z) => Some(z),
            Err(e) => {
                errors.push(e);
                None
            }
        },
        None => None,
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut it = fields.into_iter();
    let (
        Some(second),
        Some(minute),
        Some(hour),
        Some(day_of_month),
        Some(month),
        Some(day_of_week),
    ) = (
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
        it.next(),
    )
    else {
        return Err(vec![FrequencyError::new(
            0..expr.len(),
            FIELD_COUNT_MESSAGE,
        )]);
    };
    let year = it.next();
    let schedule = eval::Schedule::compile(
        [&second, &minute, &hour, &day_of_month, &month, &day_of_week],
        year.as_ref(),
    );
    Ok(Cron {
        second,
        minute,
        hour,
        day_of_month,
        month,
        day_of_week,
        year,
        zone,
        schedule,
    })
}

fn parse_field(text: &str, offset: usize, kind: FieldKind) -> Result<Field, Vec<FrequencyError>> {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut pos = 0;
    let parts: Vec<&str> = text.split(',').collect();
    let count = parts.len();
    for (idx, part) in parts.into_iter().enumerate() {
        let start = offset + pos;
        if part.is_empty() {
            // Point at the comma that makes the item empty.
            let comma = if idx + 1 < count {
                start..start + 1
            } else {
                start.saturating_sub(1)..start
            };
            errors.push(FrequencyError::new(
                comma,
                format!("empty item in the {} list", kind.name()),
            ));
        } else {
            match parse_item(part, start, kind) {
                Ok(item) => items.push(item),
                Err(e) => errors.push(e),
            }
        }
        pos += part.len() + 1;
    }
    if errors.is_empty()
        && items.len() > 1
        && let Some(q) = items.iter().find(|i| i.kind == ItemKind::Any)
    {
        errors.push(FrequencyError::new(
            q.span.clone(),
            "`?` must stand alone in its field",
        ));
    }
    if errors.is_empty() {
        Ok(Field {
            kind,
            span: offset..offset + text.len(),
            items,
        })
    } else {
        Err(errors)
    }
}

const QUESTION_MESSAGE: &str = "`?` is only allowed in day-of-month and day-of-week";

fn parse_item(s: &str, off: usize, kind: FieldKind) -> Result<Item, FrequencyError> {
    let span = off..off + s.len();
    let item = |kind| {
        Ok(Item {
            kind,
            span: span.clone(),
        })
    };
    let upper = s.to_ascii_uppercase();
    let is_day_field = matches!(kind, FieldKind::DayOfMonth | FieldKind::DayOfWeek);
    if let Some(q) = s.find('?') {
        if !is_day_field {
            return Err(FrequencyError::new(off + q..off + q + 1, QUESTION_MESSAGE));
        }
        if s != "?" {
            return Err(FrequencyError::new(
                span,
                "`?` must stand alone in its field",
            ));
        }
        return item(ItemKind::Any);
    }
    match kind {
        FieldKind::DayOfMonth => {
            if upper == "L" {
                return item(ItemKind::Last);
            }
            if upper == "LW" {
                return item(ItemKind::LastWeekday);
            }
            if let Some(day) = upper.strip_suffix('W')
                && !day.is_empty()
                && day.bytes().all(|b| b.is_ascii_digit())
            {
                let v = parse_value(day, off, kind)?;
                return item(ItemKind::NearestWeekday(v));
            }
        }
        FieldKind::DayOfWeek => {
            if upper == "L" {
                return item(ItemKind::Last);
            }
            if let Some((day, nth)) = s.split_once('#') {
                let weekday = parse_value(day, off, kind)?;
                let nth_off = off + day.len() + 1;
                let nth_span = nth_off..nth_off + nth.len();
                let nth = if !nth.is_empty() && nth.bytes().all(|b| b.is_ascii_digit()) {
                    nth.parse::<u32>().ok().filter(|k| (1..=5).contains(k))
                } else {
                    None
                };
                let Some(nth) = nth else {
                    return Err(FrequencyError::new(
                        nth_span,
                        "the occurrence after `#` must be 1-5",
                    ));
                };
                return item(ItemKind::Nth { weekday, nth });
            }
            if let Some(day) = upper.strip_suffix('L')
                && !day.is_empty()
            {
                let weekday = parse_value(s.get(..day.len()).unwrap_or(""), off, kind)?;
                return item(ItemKind::LastOf(weekday));
            }
        }
        _ => {}
    }

    // value[-value][/step] or */step
    let (base, step) = match s.split_once('/') {
        Some((b, st)) => (b, Some(st)),
        None => (s, None),
    };
    let step = match step {
        Some(st) => Some(parse_step(st, off + base.len() + 1, kind)?),
        None => None,
    };
    let base_span = off..off + base.len();
    enum Base {
        Every,
        Value(u32),
        Range(u32, u32),
    }
    let parsed = if base == "*" {
        Base::Every
    } else if base.is_empty() {
        return Err(FrequencyError::new(
            base_span.start..base_span.start + 1,
            format!(
                "a step needs a start: write `*/{}` or `0/{}`",
                step.unwrap_or(1),
                step.unwrap_or(1)
            ),
        ));
    } else if let Some((a, b)) = base.split_once('-') {
        if matches!(kind, FieldKind::DayOfMonth | FieldKind::DayOfWeek)
            && [a, b].iter().any(|side| {
                let digits_then = |c: char| {
                    side.len() > 1
                        && side
                            .strip_suffix([c, c.to_ascii_lowercase()])
                            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
                };
                side.eq_ignore_ascii_case("L")
                    || side.eq_ignore_ascii_case("LW")
                    || side.contains('#')
                    || (kind == FieldKind::DayOfMonth && digits_then('W'))
                    || (kind == FieldKind::DayOfWeek && digits_then('L'))
            })
        {
            let what = if a.eq_ignore_ascii_case("L") && kind == FieldKind::DayOfMonth {
                "an offset from the last day of the month (Quartz's `L-n`)".to_owned()
            } else {
                "a range with a special character".to_owned()
            };
            return Err(FrequencyError::new(
                base_span,
                format!(
                    "`{base}` in {} is {what}, which Cloud Assistant's cron does not support: use `L`, `LW` or `nW` alone, or list the days",
                    kind.name()
                ),
            ));
        }
        let start = parse_range_end(a, off, kind, false)?;
        let end = parse_range_end(b, off + a.len() + 1, kind, true)?;
        if start > end {
            // The agent's cron library reads such a range as no value at all; that the service
            // rejects it is inferred.
            return Err(FrequencyError::new(
                base_span,
                format!(
                    "range `{base}` goes backwards: its start must not be after its end (wrap-around ranges are not supported)"
                ),
            )
            .inferred());
        }
        Base::Range(start, end)
    } else {
        Base::Value(parse_value(base, off, kind)?)
    };
    let kind = match (parsed, step) {
        (Base::Every, None) => ItemKind::Every,
        (Base::Every, Some(step)) => ItemKind::Step {
            base: StepBase::Every,
            step,
        },
        (Base::Value(v), None) => ItemKind::Value(v),
        (Base::Value(v), Some(step)) => ItemKind::Step {
            base: StepBase::From(v),
            step,
        },
        (Base::Range(start, end), None) => ItemKind::Range { start, end },
        (Base::Range(start, end), Some(step)) => ItemKind::Step {
            base: StepBase::Range { start, end },
            step,
        },
    };
    item(kind)
}

fn parse_range_end(
    s: &str,
    off: usize,
    kind: FieldKind,
    is_end: bool,
) -> Result<u32, FrequencyError> {
    if s.is_empty() {
        return Err(FrequencyError::new(
            off..off,
            format!("missing a {} value in the range", kind.name()),
        ));
    }
    let v = parse_value(s, off, kind)?;
    // `SUN` at the end of a range is 7, so `FRI-SUN` works.
    if is_end && kind == FieldKind::DayOfWeek && v == 0 && !s.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(7);
    }
    Ok(v)
}

/// A number with at most one leading zero.
fn parse_number(s: &str, off: usize) -> Result<Option<u32>, FrequencyError> {
    let zeros = s.bytes().take_while(|b| *b == b'0').count();
    let leading = zeros.min(s.len().saturating_sub(1));
    if leading > 1 {
        let trimmed = s.get(leading..).unwrap_or(s);
        return Err(
            FrequencyError::new(off..off + s.len(), "at most one leading zero is allowed")
                .with_suggestion(trimmed),
        );
    }
    Ok(s.parse::<u32>().ok())
}

fn parse_value(s: &str, off: usize, kind: FieldKind) -> Result<u32, FrequencyError> {
    let span = off..off + s.len();
    if s.is_empty() {
        return Err(FrequencyError::new(
            off..off,
            format!("missing a {} value", kind.name()),
        ));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return match parse_number(s, off)? {
            Some(v) if (kind.min()..=kind.max()).contains(&v) => Ok(v),
            _ => Err(FrequencyError::new(span, kind.range_message())),
        };
    }
    if let Some(v) = name_value(s, kind) {
        return Ok(v);
    }
    let upper = s.to_ascii_uppercase();
    for (ch, allowed, msg) in [
        (
            '#',
            FieldKind::DayOfWeek,
            "`#` is only allowed in day-of-week",
        ),
        (
            'W',
            FieldKind::DayOfMonth,
            "`W` is only allowed in day-of-month",
        ),
        (
            'L',
            FieldKind::DayOfMonth,
            "`L` is only allowed in day-of-month and day-of-week",
        ),
    ] {
        if kind != allowed
            && !(ch == 'L' && kind == FieldKind::DayOfWeek)
            && upper.len() <= 3
            && upper.contains(ch)
            && upper.chars().all(|c| c.is_ascii_digit() || c == ch)
        {
            let at = upper.find(ch).unwrap_or(0);
            return Err(FrequencyError::new(off + at..off + at + 1, msg));
        }
    }
    if s.contains('*') {
        let at = s.find('*').unwrap_or(0);
        return Err(FrequencyError::new(
            off + at..off + at + 1,
            "`*` must stand alone or before a `/` step",
        ));
    }
    let message = match kind {
        FieldKind::Month => format!("unknown month `{s}`: use 1-12 or JAN-DEC"),
        FieldKind::DayOfWeek => format!("unknown day of week `{s}`: use 0-7 or MON-SUN"),
        FieldKind::DayOfMonth => {
            format!("day-of-month must be 1-31, `L`, `LW` or `nW`, found `{s}`")
        }
        k => format!("{}, found `{s}`", k.range_message()),
    };
    Err(FrequencyError::new(span, message))
}

fn parse_step(s: &str, off: usize, kind: FieldKind) -> Result<u32, FrequencyError> {
    let span = off..off + s.len();
    let message = format!("the step after `/` must be 1-{}", kind.max_step());
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FrequencyError::new(
            if s.is_empty() { off..off } else { span },
            message,
        ));
    }
    match parse_number(s, off)? {
        Some(v) if (1..=kind.max_step()).contains(&v) => Ok(v),
        _ => Err(FrequencyError::new(span, message)),
    }
}

fn name_value(s: &str, kind: FieldKind) -> Option<u32> {
    let lower = s.to_ascii_lowercase();
    match kind {
        FieldKind::Month => MONTH_NAMES.iter().zip(1u32..).find_map(|(name, n)| {
            let name = name.to_ascii_lowercase();
            (lower == name || name.get(..3) == Some(lower.as_str())).then_some(n)
        }),
        FieldKind::DayOfWeek => DAY_NAMES.iter().zip(0u32..).find_map(|(name, n)| {
            let name = name.to_ascii_lowercase();
            (lower == name || name.get(..3) == Some(lower.as_str())).then_some(n)
        }),
        _ => None,
    }
}
