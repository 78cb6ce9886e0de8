//! Plain-English description of a cron expression (best effort, never panics).

use super::{Cron, DAY_NAMES, Field, FieldKind, ItemKind, MONTH_NAMES, StepBase};

const ORDINALS: [&str; 5] = ["first", "second", "third", "fourth", "fifth"];

fn month_name(v: u32) -> String {
    v.checked_sub(1)
        .and_then(|i| MONTH_NAMES.get(i as usize))
        .map_or_else(|| v.to_string(), |s| (*s).to_string())
}

fn day_name(v: u32) -> String {
    DAY_NAMES
        .get((v % 7) as usize)
        .map_or_else(|| v.to_string(), |s| (*s).to_string())
}

fn ordinal(k: u32) -> &'static str {
    k.checked_sub(1)
        .and_then(|i| ORDINALS.get(i as usize))
        .copied()
        .unwrap_or("nth")
}

fn join(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn value_text(kind: FieldKind, v: u32) -> String {
    match kind {
        FieldKind::Month => month_name(v),
        FieldKind::DayOfWeek => day_name(v),
        _ => v.to_string(),
    }
}

fn plural(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Second => "seconds",
        FieldKind::Minute => "minutes",
        FieldKind::Hour => "hours",
        FieldKind::DayOfMonth => "days",
        FieldKind::Month => "months",
        FieldKind::DayOfWeek => "days of the week",
        FieldKind::Year => "years",
    }
}

/// "every 5 minutes", "every 2 months from March", ...
fn step_text(kind: FieldKind, base: StepBase, step: u32) -> String {
    let unit = if step == 1 {
        kind.name().to_string()
    } else {
        format!("{step} {}", plural(kind))
    };
    let unit = if kind == FieldKind::DayOfMonth && step == 1 {
        "day".to_string()
    } else {
        unit
    };
    match base {
        StepBase::Every => format!("every {unit}"),
        StepBase::From(v) if v == kind.min() && kind != FieldKind::Year => {
            format!("every {unit}")
        }
        StepBase::From(v) => format!("every {unit} from {}", value_text(kind, v)),
        StepBase::Range { start, end } => format!(
            "every {unit} from {} through {}",
            value_text(kind, start),
            value_text(kind, end)
        ),
    }
}

/// A list of the field's items, e.g. "10, 14 and 16", "Monday through Friday".
fn items_text(field: &Field) -> String {
    let parts: Vec<String> = field
        .items
        .iter()
        .map(|item| match item.kind {
            ItemKind::Every | ItemKind::Any => format!("every {}", field.kind.name()),
            ItemKind::Value(v) => value_text(field.kind, v),
            ItemKind::Range { start, end } => format!(
                "{} through {}",
                value_text(field.kind, start),
                value_text(field.kind, end)
            ),
            ItemKind::Step { base, step } => step_text(field.kind, base, step),
            ItemKind::Last if field.kind == FieldKind::DayOfWeek => day_name(0),
            ItemKind::Last => "the last day".to_string(),
            ItemKind::LastWeekday => "the last weekday".to_string(),
            ItemKind::NearestWeekday(d) => format!("the weekday nearest day {d}"),
            ItemKind::LastOf(w) => format!("the last {}", day_name(w)),
            ItemKind::Nth { weekday, nth } => {
                format!("the {} {}", ordinal(nth), day_name(weekday))
            }
        })
        .collect();
    join(&parts)
}

fn single(field: &Field) -> Option<u32> {
    match field.items.as_slice() {
        [item] => match item.kind {
            ItemKind::Value(v) => Some(v),
            _ => None,
        },
        _ => None,
    }
}

fn plain_values(field: &Field) -> Option<Vec<u32>> {
    field
        .items
        .iter()
        .map(|i| match i.kind {
            ItemKind::Value(v) => Some(v),
            _ => None,
        })
        .collect()
}

fn is_every(field: &Field) -> bool {
    field.is_unrestricted()
}

/// Returns the time phrase and whether it names fixed times of day ("at 10:15:00").
fn time_phrase(c: &Cron) -> (String, bool) {
    if let (Some(secs), Some(mins), Some(hours)) = (
        plain_values(&c.second),
        plain_values(&c.minute),
        plain_values(&c.hour),
    ) && secs.len() * mins.len() * hours.len() <= 6
    {
        let mut times = Vec::new();
        for h in &hours {
            for m in &mins {
                for s in &secs {
                    times.push(format!("{h:02}:{m:02}:{s:02}"));
                }
            }
        }
        return (format!("at {}", join(&times)), true);
    }
    let mut parts: Vec<String> = Vec::new();
    let sec_every = is_every(&c.second);
    match single(&c.second) {
        Some(0) if !sec_every => {}
        Some(v) => parts.push(format!("at second {v}")),
        None if sec_every => parts.push("every second".to_string()),
        None => parts.push(sec_or_min_list(&c.second)),
    }
    let min_every = is_every(&c.minute);
    // "every 10 seconds" already says it runs every minute.
    let sec_step = matches!(
        c.second.items.as_slice(),
        [crate::cron::Item {
            kind: ItemKind::Step { .. },
            ..
        }]
    );
    if min_every {
        if !sec_every && !sec_step {
            parts.push("every minute".to_string());
        }
    } else if let Some(v) = single(&c.minute) {
        if is_every(&c.hour) {
            parts.push(format!("at minute {v} of every hour"));
        } else {
            parts.push(format!("at minute {v}"));
        }
    } else {
        parts.push(sec_or_min_list(&c.minute));
    }
    if !is_every(&c.hour) {
        let phrase = match c.hour.items.as_slice() {
            [item] => match item.kind {
                ItemKind::Value(h) => format!("between {h:02}:00 and {h:02}:59"),
                ItemKind::Range { start, end } => {
                    format!("between {start:02}:00 and {end:02}:59")
                }
                ItemKind::Step { base, step } => step_text(FieldKind::Hour, base, step),
                _ => format!("during hours {}", items_text(&c.hour)),
            },
            _ => format!("during hours {}", items_text(&c.hour)),
        };
        parts.push(phrase);
    }
    (parts.join(", "), false)
}

/// Seconds or minutes that are neither `*` nor a single value.
fn sec_or_min_list(field: &Field) -> String {
    match field.items.as_slice() {
        [item] => match item.kind {
            ItemKind::Step { base, step } => step_text(field.kind, base, step),
            ItemKind::Range { start, end } => {
                format!("every {} from {start} through {end}", field.kind.name())
            }
            _ => format!("at {} {}", plural(field.kind), items_text(field)),
        },
        _ => format!("at {} {}", plural(field.kind), items_text(field)),
    }
}

fn month_scope(c: &Cron) -> Option<String> {
    if is_every(&c.month) {
        None
    } else {
        Some(items_text(&c.month))
    }
}

fn dom_phrase(c: &Cron) -> String {
    let of = month_scope(c).unwrap_or_else(|| "every month".to_string());
    let parts: Vec<String> = c
        .day_of_month
        .items
        .iter()
        .map(|item| match item.kind {
            ItemKind::Value(d) => format!("day {d}"),
            ItemKind::Range { start, end } => format!("days {start} through {end}"),
            ItemKind::Step { base, step } => step_text(FieldKind::DayOfMonth, base, step),
            ItemKind::Last => "the last day".to_string(),
            ItemKind::LastWeekday => "the last weekday".to_string(),
            ItemKind::NearestWeekday(d) => format!("the weekday nearest day {d}"),
            _ => "every day".to_string(),
        })
        .collect();
    format!("on {} of {of}", join(&parts))
}

fn dow_phrase(c: &Cron) -> String {
    let relative = c
        .day_of_week
        .items
        .iter()
        .all(|i| matches!(i.kind, ItemKind::LastOf(_) | ItemKind::Nth { .. }));
    let list = items_text(&c.day_of_week);
    match (relative, month_scope(c)) {
        (true, Some(m)) => format!("on {list} of {m}"),
        (true, None) => format!("on {list} of every month"),
        (false, Some(m)) => format!("on {list} in {m}"),
        (false, None) => format!("on {list}"),
    }
}

pub(crate) fn describe(c: &Cron) -> String {
    let (time, fixed) = time_phrase(c);
    let dom = !c.day_of_month.is_unrestricted();
    let dow = !c.day_of_week.is_unrestricted();
    let day = match (dom, dow) {
        (true, true) => Some(format!("{} or {}", dom_phrase(c), dow_phrase(c))),
        (true, false) => Some(dom_phrase(c)),
        (false, true) => Some(dow_phrase(c)),
        (false, false) => match month_scope(c) {
            Some(m) if fixed => Some(format!("every day in {m}")),
            Some(m) => Some(format!("in {m}")),
            None if fixed => Some("every day".to_string()),
            None => None,
        },
    };
    let mut out = time;
    if let Some(day) = day {
        out.push(' ');
        out.push_str(&day);
    }
    if let Some(year) = &c.year
        && !year.is_unrestricted()
    {
        out.push_str(" in ");
        out.push_str(&items_text(year));
    }
    match &c.zone {
        Some(z) => {
            out.push_str(", ");
            out.push_str(&z.zone.to_string());
        }
        None => out.push_str(", in the instance's system time zone"),
    }
    out
}
