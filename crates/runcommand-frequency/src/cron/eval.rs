//! Compiled cron schedule: bit sets per field and a bounded next-match search over local
//! wall-clock time.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::{Field, FieldKind, ItemKind, StepBase};

/// The first year the search considers.
pub(crate) const FIRST_YEAR: i32 = 1970;
/// The last year the search considers.
pub(crate) const LAST_YEAR: i32 = runcommand_catalog::limits::CRON_MAX_YEAR as i32;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct DomSpec {
    days: u64,
    last: bool,
    last_weekday: bool,
    nearest: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct DowSpec {
    /// Bit `w` (0 = Sunday).
    days: u8,
    /// `nL`: bit `w`.
    last_of: u8,
    /// `n#k`: bit `k` of entry `w`.
    nth: [u8; 7],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Schedule {
    seconds: u64,
    minutes: u64,
    hours: u64,
    months: u64,
    /// Bit `y - FIRST_YEAR`.
    years: [u64; 3],
    dom: DomSpec,
    dow: DowSpec,
    dom_restricted: bool,
    dow_restricted: bool,
}

fn bit(mask: u64, i: u32) -> bool {
    i < 64 && mask & (1u64 << i) != 0
}

fn set(mask: &mut u64, i: u32) {
    if i < 64 {
        *mask |= 1u64 << i;
    }
}

/// The smallest set bit at or above `from`.
fn next_bit(mask: u64, from: u32) -> Option<u32> {
    if from >= 64 {
        return None;
    }
    let m = mask & (u64::MAX << from);
    (m != 0).then(|| m.trailing_zeros())
}

/// The plain values an item selects (empty for `L`, `W`, `#` items).
fn values(item: &ItemKind, kind: FieldKind) -> Vec<u32> {
    let (min, max) = (kind.min(), kind.max());
    let all_max = if kind == FieldKind::DayOfWeek { 6 } else { max };
    let stepped = |start: u32, end: u32, step: u32| -> Vec<u32> {
        (start..=end).step_by(step.max(1) as usize).collect()
    };
    match *item {
        ItemKind::Every | ItemKind::Any => (min..=all_max).collect(),
        ItemKind::Value(v) => vec![v],
        ItemKind::Range { start, end } => (start..=end).collect(),
        ItemKind::Step { base, step } => match base {
            StepBase::Every => stepped(min, max, step),
            StepBase::From(v) => stepped(v, max, step),
            StepBase::Range { start, end } => stepped(start, end, step),
        },
        ItemKind::Last
        | ItemKind::LastWeekday
        | ItemKind::NearestWeekday(_)
        | ItemKind::LastOf(_)
        | ItemKind::Nth { .. } => Vec::new(),
    }
}

fn plain_bits(field: &Field) -> u64 {
    let mut mask = 0;
    for item in &field.items {
        for v in values(&item.kind, field.kind) {
            set(&mut mask, v);
        }
    }
    mask
}

pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

/// Weekday (0 = Sunday) of day `x` of a month, given that day `d` has weekday `wd`.
fn weekday_of(x: u32, d: u32, wd: u32) -> u32 {
    (i64::from(wd) + i64::from(x) - i64::from(d)).rem_euclid(7) as u32
}

impl Schedule {
    pub(crate) fn compile(fields: [&Field; 6], year: Option<&Field>) -> Schedule {
        let [second, minute, hour, dom_field, month, dow_field] = fields;
        let mut years = [0u64; 3];
        let mut set_year = |y: u32| {
            let Some(idx) = y.checked_sub(FIRST_YEAR as u32) else {
                return;
            };
            if let Some(word) = years.get_mut((idx / 64) as usize) {
                *word |= 1u64 << (idx % 64);
            }
        };
        match year {
            Some(f) => {
                for item in &f.items {
                    values(&item.kind, FieldKind::Year)
                        .into_iter()
                        .for_each(&mut set_year);
                }
            }
            None => (FIRST_YEAR as u32..=LAST_YEAR as u32).for_each(&mut set_year),
        }

        let mut dom = DomSpec::default();
        for item in &dom_field.items {
            match item.kind {
                ItemKind::Last => dom.last = true,
                ItemKind::LastWeekday => dom.last_weekday = true,
                ItemKind::NearestWeekday(n) => set(&mut dom.nearest, n),
                ref k => {
                    for v in values(k, FieldKind::DayOfMonth) {
                        set(&mut dom.days, v);
                    }
                }
            }
        }
        let mut dow = DowSpec::default();
        for item in &dow_field.items {
            match item.kind {
                ItemKind::Last => dow.days |= 1,
                ItemKind::LastOf(w) => dow.last_of |= 1 << (w % 7),
                ItemKind::Nth { weekday, nth } => {
                    if let Some(slot) = dow.nth.get_mut((weekday % 7) as usize) {
                        *slot |= 1 << nth.min(7);
                    }
                }
                ref k => {
                    for v in values(k, FieldKind::DayOfWeek) {
                        dow.days |= 1 << (v % 7);
                    }
                }
            }
        }
        Schedule {
            seconds: plain_bits(second),
            minutes: plain_bits(minute),
            hours: plain_bits(hour),
            months: plain_bits(month),
            years,
            dom,
            dow,
            dom_restricted: !dom_field.is_unrestricted(),
            dow_restricted: !dow_field.is_unrestricted(),
        }
    }

    fn has_year(&self, y: i32) -> bool {
        let Some(idx) = y
            .checked_sub(FIRST_YEAR)
            .and_then(|i| u32::try_from(i).ok())
        else {
            return false;
        };
        self.years
            .get((idx / 64) as usize)
            .is_some_and(|w| w & (1u64 << (idx % 64)) != 0)
    }

    fn next_year(&self, from: i32) -> Option<i32> {
        (from.max(FIRST_YEAR)..=LAST_YEAR).find(|y| self.has_year(*y))
    }

    fn dom_matches(&self, day: u32, dim: u32, wd: u32) -> bool {
        let d = &self.dom;
        if bit(d.days, day) || (d.last && day == dim) {
            return true;
        }
        if d.last_weekday {
            let last_wd = match weekday_of(dim, day, wd) {
                6 => dim - 1,
                0 => dim - 2,
                _ => dim,
            };
            if day == last_wd {
                return true;
            }
        }
        if d.nearest != 0 {
            let lo = day.saturating_sub(2).max(1);
            let hi = (day + 2).min(dim);
            for n in lo..=hi {
                if !bit(d.nearest, n) {
                    continue;
                }
                let target = match weekday_of(n, day, wd) {
                    6 if n > 1 => n - 1,
                    6 => n + 2,
                    0 if n < dim => n + 1,
                    0 => n - 2,
                    _ => n,
                };
                if target == day {
                    return true;
                }
            }
        }
        false
    }

    fn dow_matches(&self, day: u32, dim: u32, wd: u32) -> bool {
        let d = &self.dow;
        let wbit = 1u8 << wd;
        if d.days & wbit != 0 || (d.last_of & wbit != 0 && day + 7 > dim) {
            return true;
        }
        let k = (day - 1) / 7 + 1;
        k <= 5 && d.nth.get(wd as usize).is_some_and(|m| m & (1u8 << k) != 0)
    }

    /// Whether a day matches the two day fields (OR when both are restricted).
    fn day_matches(&self, day: u32, dim: u32, wd: u32) -> bool {
        match (self.dom_restricted, self.dow_restricted) {
            (true, true) => self.dom_matches(day, dim, wd) || self.dow_matches(day, dim, wd),
            (true, false) => self.dom_matches(day, dim, wd),
            (false, true) => self.dow_matches(day, dim, wd),
            (false, false) => true,
        }
    }

    /// The times of day the schedule fires at, summarised: the smallest gap between two
    /// consecutive ones within a day (`None` with one time a day), and the first and last time
    /// of day, in seconds since midnight. `None` if no time of day matches. Computed from the
    /// bit sets in O(60 + 60 + 24), never by enumerating the times.
    pub(crate) fn day_times(&self) -> Option<(Option<u32>, u32, u32)> {
        let list =
            |mask: u64, max: u32| -> Vec<u32> { (0..=max).filter(|i| bit(mask, *i)).collect() };
        let (secs, mins, hours) = (
            list(self.seconds, 59),
            list(self.minutes, 59),
            list(self.hours, 23),
        );
        let min_step = |v: &[u32]| {
            v.windows(2)
                .filter_map(|w| Some(w.get(1)? - w.first()?))
                .min()
        };
        let (s1, sk) = (*secs.first()?, *secs.last()?);
        let (m1, ml) = (*mins.first()?, *mins.last()?);
        let (h1, hl) = (*hours.first()?, *hours.last()?);
        // Within a minute; from the last second of a minute to the first of the next matching
        // minute; from the last time of an hour to the first of the next matching hour.
        let candidates = [
            min_step(&secs),
            min_step(&mins).map(|d| 60 * d + s1 - sk),
            min_step(&hours).map(|d| 3600 * d + (m1 * 60 + s1) - (ml * 60 + sk)),
        ];
        let intra = candidates.into_iter().flatten().min();
        Some((intra, h1 * 3600 + m1 * 60 + s1, hl * 3600 + ml * 60 + sk))
    }

    /// Whether a local date matches the year, month and day fields.
    pub(crate) fn date_matches(&self, date: NaiveDate) -> bool {
        let (y, m, d) = (date.year(), date.month(), date.day());
        self.has_year(y)
            && bit(self.months, m)
            && self.day_matches(
                d,
                days_in_month(y, m),
                date.weekday().num_days_from_sunday(),
            )
    }

    /// The smallest number of days between two consecutive matching dates among the dates from
    /// `start` through `start + days`; `None` with fewer than two. Stops early at 1.
    pub(crate) fn min_day_step(&self, start: NaiveDate, days: u32) -> Option<u32> {
        let mut prev: Option<NaiveDate> = None;
        let mut best: Option<u32> = None;
        let mut date = start;
        for _ in 0..=days {
            if self.date_matches(date) {
                if let Some(p) = prev {
                    let step = u32::try_from((date - p).num_days()).unwrap_or(u32::MAX);
                    best = Some(best.map_or(step, |b| b.min(step)));
                    if step == 1 {
                        return best;
                    }
                }
                prev = Some(date);
            }
            date = date.succ_opt()?;
        }
        best
    }

    /// Whether a local wall-clock time matches every field.
    pub(crate) fn matches(&self, t: NaiveDateTime) -> bool {
        let (y, m, d) = (t.year(), t.month(), t.day());
        self.has_year(y)
            && bit(self.months, m)
            && self.day_matches(d, days_in_month(y, m), t.weekday().num_days_from_sunday())
            && bit(self.hours, t.hour())
            && bit(self.minutes, t.minute())
            && bit(self.seconds, t.second())
    }

    /// The first matching local time at or after `start` (whole seconds), up to the end of
    /// [`LAST_YEAR`]. Skips whole years, months, days, hours and minutes.
    pub(crate) fn next_local(&self, start: NaiveDateTime) -> Option<NaiveDateTime> {
        let mut year = start.year();
        let (mut month, mut day, mut hour, mut minute, mut second) = (
            start.month(),
            start.day(),
            start.hour(),
            start.minute(),
            start.second(),
        );
        if year < FIRST_YEAR {
            (year, month, day, hour, minute, second) = (FIRST_YEAR, 1, 1, 0, 0, 0);
        }
        // Each pass returns or moves the cursor to the start of a later unit; a few thousand
        // passes cover 130 years. The cap is a second guarantee of termination.
        for _ in 0..100_000 {
            let y = self.next_year(year)?;
            if y != year {
                (year, month, day, hour, minute, second) = (y, 1, 1, 0, 0, 0);
            }
            let Some(m) = next_bit(self.months, month) else {
                (year, month, day, hour, minute, second) = (year + 1, 1, 1, 0, 0, 0);
                continue;
            };
            if m != month {
                (month, day, hour, minute, second) = (m, 1, 0, 0, 0);
            }
            let dim = days_in_month(year, month);
            let first_wd = NaiveDate::from_ymd_opt(year, month, 1)?
                .weekday()
                .num_days_from_sunday();
            let found =
                (day..=dim).find(|d| self.day_matches(*d, dim, weekday_of(*d, 1, first_wd)));
            let Some(d) = found else {
                (month, day, hour, minute, second) = (month + 1, 1, 0, 0, 0);
                continue;
            };
            if d != day {
                (day, hour, minute, second) = (d, 0, 0, 0);
            }
            let Some(h) = next_bit(self.hours, hour) else {
                (day, hour, minute, second) = (day + 1, 0, 0, 0);
                continue;
            };
            if h != hour {
                (hour, minute, second) = (h, 0, 0);
            }
            let Some(mi) = next_bit(self.minutes, minute) else {
                (hour, minute, second) = (hour + 1, 0, 0);
                continue;
            };
            if mi != minute {
                (minute, second) = (mi, 0);
            }
            let Some(s) = next_bit(self.seconds, second) else {
                (minute, second) = (minute + 1, 0);
                continue;
            };
            return NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, s);
        }
        None
    }
}
