//! Shared by the integration tests: a generator of valid cron expressions and an independent
//! matcher written against the public AST (the oracle for the brute-force checks).

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike, Weekday};
use proptest::prelude::*;
use runcommand_frequency::{Cron, Field, FieldKind, ItemKind, StepBase};

/// Options for the generator.
#[derive(Clone, Copy)]
pub struct Gen {
    /// Only forms that croner reads the same way (no `L` alone in day-of-week, no special
    /// items inside lists, no `*/n` years, no full names).
    pub croner: bool,
    /// Which zones to append.
    pub zones: &'static [&'static str],
}

fn number(min: u32, max: u32) -> BoxedStrategy<String> {
    (min..=max, any::<bool>())
        .prop_map(|(v, pad)| {
            if pad && v < 10 {
                format!("0{v}")
            } else {
                v.to_string()
            }
        })
        .boxed()
}

/// croner reads `*` only as a whole field, not inside a list.
fn item_with_star(min: u32, max: u32, max_step: u32, star: bool) -> BoxedStrategy<String> {
    let star = if star { 1 } else { 0 };
    prop_oneof![
        3 => number(min, max),
        2 => (min..=max, min..=max).prop_map(|(a, b)| format!("{}-{}", a.min(b), a.max(b))),
        2 => (1..=max_step).prop_map(|n| format!("*/{n}")),
        2 => (min..=max, 1..=max_step).prop_map(|(a, n)| format!("{a}/{n}")),
        1 => (min..=max, min..=max, 1..=max_step)
            .prop_map(|(a, b, n)| format!("{}-{}/{n}", a.min(b), a.max(b))),
        star => Just("*".to_string()),
    ]
    .boxed()
}

fn list(item: BoxedStrategy<String>) -> BoxedStrategy<String> {
    prop::collection::vec(item, 1..=3)
        .prop_map(|v| v.join(","))
        .boxed()
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// A valid cron expression (6 or 7 fields, optional zone).
pub fn cron_expr(g: Gen) -> BoxedStrategy<String> {
    let star = !g.croner;
    let plain_item = move |min, max, max_step| item_with_star(min, max, max_step, star);
    // Seconds: mostly a few values, so that firings stay sparse enough to brute-force.
    let second = prop_oneof![
        4 => number(0, 59),
        2 => list(plain_item(0, 59, 60)),
        1 => Just("*".to_string()),
    ];
    let minute = prop_oneof![
        3 => number(0, 59),
        3 => list(plain_item(0, 59, 60)),
        1 => Just("*".to_string()),
    ];
    let hour = prop_oneof![
        5 => list(plain_item(0, 23, 24)),
        1 => Just("*".to_string()),
    ];
    let dom_special = prop_oneof![
        Just("L".to_string()),
        Just("LW".to_string()),
        (1u32..=31).prop_map(|n| format!("{n}W")),
    ];
    let dom = if g.croner {
        prop_oneof![
            3 => Just("?".to_string()),
            2 => Just("*".to_string()),
            3 => list(plain_item(1, 31, 31)),
            2 => dom_special.boxed(),
        ]
        .boxed()
    } else {
        prop_oneof![
            3 => Just("?".to_string()),
            2 => Just("*".to_string()),
            3 => list(plain_item(1, 31, 31)),
            2 => list(prop_oneof![plain_item(1, 31, 31), dom_special.boxed()].boxed()),
        ]
        .boxed()
    };
    let month_name = (0usize..12).prop_map(|i| MONTHS[i].to_string());
    let month = prop_oneof![
        4 => Just("*".to_string()),
        3 => list(plain_item(1, 12, 12)),
        1 => month_name.boxed(),
    ];
    let dow_special = prop_oneof![
        (0u32..=7).prop_map(|w| format!("{w}L")),
        (0u32..=7, 1u32..=5).prop_map(|(w, k)| format!("{w}#{k}")),
    ];
    let day_name = (0usize..7).prop_map(|i| DAYS[i].to_string());
    let dow = if g.croner {
        prop_oneof![
            3 => Just("?".to_string()),
            2 => Just("*".to_string()),
            3 => list(plain_item(0, 7, 7)),
            2 => dow_special.boxed(),
            1 => day_name.boxed(),
            1 => Just("MON-FRI".to_string()),
        ]
        .boxed()
    } else {
        prop_oneof![
            3 => Just("?".to_string()),
            2 => Just("*".to_string()),
            3 => list(plain_item(0, 7, 7)),
            2 => list(prop_oneof![plain_item(0, 7, 7), dow_special.boxed(), Just("L".to_string())].boxed()),
            1 => day_name.boxed(),
            1 => Just("FRI-SUN".to_string()),
        ]
        .boxed()
    };
    let year_item = prop_oneof![
        3 => number(2026, 2040),
        1 => (2026u32..=2040, 2026u32..=2045).prop_map(|(a, b)| format!("{}-{}", a.min(b), a.max(b))),
        1 => (2020u32..=2035, 1u32..=4).prop_map(|(a, n)| format!("{a}/{n}")),
    ];
    let year = if g.croner {
        prop_oneof![
            3 => Just(None),
            1 => Just(Some("*".to_string())),
            2 => list(year_item.boxed()).prop_map(Some),
        ]
        .boxed()
    } else {
        prop_oneof![
            3 => Just(None),
            1 => Just(Some("*".to_string())),
            1 => (1u32..=10).prop_map(|n| Some(format!("*/{n}"))),
            2 => list(year_item.boxed()).prop_map(Some),
        ]
        .boxed()
    };
    let zones = g.zones;
    let zone = prop_oneof![
        2 => Just(None),
        3 => (0..zones.len()).prop_map(move |i| Some(zones[i].to_string())),
    ];
    (second, minute, hour, dom, month, dow, year, zone)
        .prop_map(|(s, mi, h, dom, mo, dow, y, z)| {
            let mut e = format!("{s} {mi} {h} {dom} {mo} {dow}");
            if let Some(y) = y {
                e.push(' ');
                e.push_str(&y);
            }
            if let Some(z) = z {
                e.push(' ');
                e.push_str(&z);
            }
            e
        })
        .boxed()
}

// ---------------------------------------------------------------- the oracle

fn step_range(kind: FieldKind, base: StepBase) -> (u32, u32) {
    match base {
        StepBase::Every => (kind.min(), kind.max()),
        StepBase::From(v) => (v, kind.max()),
        StepBase::Range { start, end } => (start, end),
    }
}

/// Whether a plain item selects `v` (for day-of-week, `v` is 0..=6 with 0 = Sunday).
fn plain_matches(kind: FieldKind, item: ItemKind, v: u32) -> bool {
    let same = |x: u32| {
        if kind == FieldKind::DayOfWeek {
            x % 7 == v
        } else {
            x == v
        }
    };
    match item {
        ItemKind::Every | ItemKind::Any => true,
        ItemKind::Value(x) => same(x),
        ItemKind::Range { start, end } => (start..=end).any(same),
        ItemKind::Step { base, step } => {
            let (a, b) = step_range(kind, base);
            (a..=b).step_by(step as usize).any(same)
        }
        _ => false,
    }
}

fn field_matches(field: &Field, v: u32) -> bool {
    field
        .items
        .iter()
        .any(|i| plain_matches(field.kind, i.kind, v))
}

fn days_in_month(date: NaiveDate) -> u32 {
    let (y, m) = (date.year(), date.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.unwrap().pred_opt().unwrap().day()
}

fn is_weekday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn dom_matches(field: &Field, date: NaiveDate) -> bool {
    let dim = days_in_month(date);
    let day = date.day();
    field.items.iter().any(|item| match item.kind {
        ItemKind::Last => day == dim,
        ItemKind::LastWeekday => {
            is_weekday(date) && (day + 1..=dim).all(|d| !is_weekday(date.with_day(d).unwrap()))
        }
        ItemKind::NearestWeekday(n) => {
            // The weekday of the month closest to day n (never a tie).
            n <= dim
                && is_weekday(date)
                && (1..=dim)
                    .filter(|d| is_weekday(date.with_day(*d).unwrap()))
                    .min_by_key(|d| d.abs_diff(n))
                    == Some(day)
        }
        k => plain_matches(FieldKind::DayOfMonth, k, day),
    })
}

fn dow_matches(field: &Field, date: NaiveDate) -> bool {
    let wd = date.weekday().num_days_from_sunday();
    let dim = days_in_month(date);
    let day = date.day();
    field.items.iter().any(|item| match item.kind {
        ItemKind::Last => wd == 0,
        ItemKind::LastOf(w) => w % 7 == wd && day + 7 > dim,
        ItemKind::Nth { weekday, nth } => weekday % 7 == wd && (day - 1) / 7 + 1 == nth,
        k => plain_matches(FieldKind::DayOfWeek, k, wd),
    })
}

/// Whether the date matches year, month and the day fields.
pub fn oracle_date(c: &Cron, date: NaiveDate) -> bool {
    let year_ok = match &c.year {
        Some(f) => u32::try_from(date.year()).is_ok_and(|y| field_matches(f, y)),
        None => true,
    };
    let dom_r = !c.day_of_month.is_unrestricted();
    let dow_r = !c.day_of_week.is_unrestricted();
    let day_ok = match (dom_r, dow_r) {
        (true, true) => dom_matches(&c.day_of_month, date) || dow_matches(&c.day_of_week, date),
        (true, false) => dom_matches(&c.day_of_month, date),
        (false, true) => dow_matches(&c.day_of_week, date),
        (false, false) => true,
    };
    (1970..=2099).contains(&date.year())
        && year_ok
        && field_matches(&c.month, date.month())
        && day_ok
}

/// Whether a local time matches every field.
pub fn oracle(c: &Cron, t: NaiveDateTime) -> bool {
    oracle_date(c, t.date())
        && field_matches(&c.hour, t.hour())
        && field_matches(&c.minute, t.minute())
        && field_matches(&c.second, t.second())
}

/// The first local time at or after `start` and before `end` that matches, scanning second by
/// second but jumping over whole non-matching days, hours and minutes.
pub fn brute_next(c: &Cron, start: NaiveDateTime, end: NaiveDateTime) -> Option<NaiveDateTime> {
    let mut t = start;
    while t < end {
        if !oracle_date(c, t.date()) {
            t = t.date().succ_opt()?.and_hms_opt(0, 0, 0)?;
        } else if !field_matches(&c.hour, t.hour()) {
            t = t.with_minute(0)?.with_second(0)? + chrono::TimeDelta::hours(1);
        } else if !field_matches(&c.minute, t.minute()) {
            t = t.with_second(0)? + chrono::TimeDelta::minutes(1);
        } else if !field_matches(&c.second, t.second()) {
            t += chrono::TimeDelta::seconds(1);
        } else {
            return Some(t);
        }
    }
    None
}
