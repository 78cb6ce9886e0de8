//! The fleet schedule calendar of the HTML report: every scheduled request's `Frequency`
//! expanded into its firings over a window (from the run's "now", `--calendar-days` long),
//! counted per minute, then drawn as heat maps by hour (UTC and a second zone) with the busiest
//! minutes and the requests that fire in them.
//!
//! Requests repeat their schedules (a hundred teams' "every day at 02:00"), so each distinct
//! expression is parsed and expanded once, when first met, and the requests only add to its
//! weight (how many requests, how many instances). Work and memory are bounded whatever the
//! input: at most [`MAX_EXPRESSIONS`] distinct expressions are drawn, each expanded to at most
//! [`MAX_FIRINGS_PER_EXPRESSION`] firings, all together to at most [`MAX_FIRINGS`]; what is
//! left out is counted and said on the page. The per-minute counts are built at the end, from
//! the expressions (days × 1,440 minutes).
//!
//! Choices, as in `runcommand-lint schedule`: a cron expression without a zone runs in the
//! instance's system zone, unknown offline, and is drawn in UTC (counted and said); `rate` is
//! anchored at the window's start (the service starts the first run about 5 minutes after the
//! task is created, which a file does not say).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Timelike, Utc};
use runcommand_frequency::{Frequency, Zone};

/// Distinct expressions drawn at most; later new ones are counted, not drawn.
pub const MAX_EXPRESSIONS: usize = 5_000;
/// Firings of one expression expanded at most (`0/5 * * * * ?` fires 120,960 times a week).
pub const MAX_FIRINGS_PER_EXPRESSION: usize = 50_000;
/// Firings expanded at most, all expressions together.
pub const MAX_FIRINGS: usize = 2_000_000;
/// Longer `Frequency` values are not drawn (no valid expression comes near).
const MAX_EXPRESSION_LEN: usize = 256;
/// Requests listed per expression (the others are counted).
pub const SAMPLES: usize = 3;
/// Busiest minutes listed.
pub const BUSIEST: usize = 10;

/// Where a scheduled request is, and what it targets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// The file's path.
    pub path: String,
    /// The 1-based line of its `Frequency`.
    pub line: u32,
    /// Distinct instance IDs, when known offline.
    pub instances: Option<usize>,
    /// Selected by `ResourceTag`.
    pub by_tag: bool,
}

/// What became of an expression.
#[derive(Debug)]
enum State {
    /// Expanded: the minutes of the window it fires in, with how many times in each.
    Drawn {
        minutes: Vec<(u32, u32)>,
        /// The expansion stopped at a cap before the end of the window.
        truncated: bool,
        zone: Zone,
        zone_explicit: bool,
        meaning: String,
        /// A `rate`: its minutes depend on when the task was created, unknown offline.
        rate: bool,
    },
    /// Not a valid expression (the findings say why).
    Invalid,
    /// Not expanded: the budget of firings was spent.
    Skipped,
}

/// One distinct expression and the requests that use it.
#[derive(Debug)]
pub struct Expr {
    /// The expression as shown (masked if a credential finding covers it).
    pub shown: String,
    state: State,
    /// Requests using it.
    pub requests: u64,
    /// Their instances, where known.
    pub instances: u64,
    /// Requests whose instances are not known offline (by tag, or from a template expression).
    pub unknown: u64,
    /// The first requests using it, in path order.
    pub samples: Vec<Sample>,
}

impl Expr {
    /// The expression's meaning, when drawn.
    pub fn meaning(&self) -> Option<&str> {
        match &self.state {
            State::Drawn { meaning, .. } => Some(meaning),
            _ => None,
        }
    }

    /// Whether it is a cron expression without a zone (drawn as UTC).
    pub fn zone_implicit(&self) -> bool {
        matches!(
            self.state,
            State::Drawn {
                zone_explicit: false,
                ..
            }
        )
    }

    /// How many times it fires in minute `m` of the window (a `rate` has no minute of its own:
    /// none).
    fn fires_in(&self, m: u32) -> u32 {
        match &self.state {
            State::Drawn {
                minutes,
                rate: false,
                ..
            } => minutes
                .binary_search_by_key(&m, |(k, _)| *k)
                .ok()
                .and_then(|i| minutes.get(i))
                .map_or(0, |(_, n)| *n),
            _ => 0,
        }
    }
}

/// The calendar being filled.
#[derive(Debug)]
pub struct Calendar {
    /// The window's start (the run's "now", to the minute) and length in minutes.
    start: DateTime<Utc>,
    minutes: u32,
    exprs: Vec<Expr>,
    by_text: HashMap<String, usize>,
    /// Firings that may still be expanded.
    budget: usize,
    /// Scheduled requests met.
    pub scheduled: u64,
    /// Of them, with an invalid expression (not drawn).
    pub invalid: u64,
    /// Of them, not drawn because a cap was reached.
    pub not_drawn: u64,
}

/// One row of a heat map: a date in the map's zone and the task starts in each of its hours
/// (`None`: the hour is outside the window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub date: NaiveDate,
    pub hours: [Option<u64>; 24],
}

/// A heat map by hour.
#[derive(Debug, Clone)]
pub struct HeatMap {
    /// Its zone.
    pub zone: Zone,
    pub rows: Vec<Row>,
}

impl HeatMap {
    /// The busiest hour: its date, hour and task starts (the first of equals), if any fires.
    pub fn busiest(&self) -> Option<(NaiveDate, u32, u64)> {
        let mut best: Option<(NaiveDate, u32, u64)> = None;
        for row in &self.rows {
            for (h, n) in row.hours.iter().enumerate() {
                if let Some(n) = *n
                    && n > 0
                    && best.is_none_or(|b| n > b.2)
                {
                    best = Some((row.date, u32::try_from(h).unwrap_or(0), n));
                }
            }
        }
        best
    }

    /// The most task starts in one hour.
    pub fn max(&self) -> u64 {
        self.busiest().map_or(0, |b| b.2)
    }
}

/// A busy minute (of cron and at schedules): when, how many task starts and instance runs, and
/// the expressions firing.
#[derive(Debug)]
pub struct Busy<'a> {
    pub at: DateTime<Utc>,
    /// Task starts (requests × firings in the minute).
    pub starts: u64,
    /// Runs on instances known offline.
    pub runs: u64,
    /// Task starts whose instances are not known offline.
    pub unknown: u64,
    /// The expressions firing, each with how many times, busiest first.
    pub exprs: Vec<(&'a Expr, u32)>,
}

/// What the page shows.
#[derive(Debug)]
pub struct View<'a> {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub utc: HeatMap,
    /// The second map, in the chosen zone (or the zone most schedules name).
    pub local: Option<HeatMap>,
    pub busiest: Vec<Busy<'a>>,
    /// Task starts and instance runs in the window.
    pub starts: u64,
    pub runs: u64,
    /// Expressions drawn, of which truncated by the per-expression cap, of which cron without
    /// a zone; expressions skipped because the budget was spent.
    pub drawn: usize,
    pub truncated: usize,
    pub implicit_zone: u64,
}

impl Calendar {
    /// A calendar of `days` days from `now` (to the minute).
    pub fn new(now: DateTime<Utc>, days: u16) -> Calendar {
        let start = now
            .with_second(0)
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(now);
        Calendar {
            start,
            minutes: u32::from(days) * 1440,
            exprs: Vec::new(),
            by_text: HashMap::new(),
            budget: MAX_FIRINGS,
            scheduled: 0,
            invalid: 0,
            not_drawn: 0,
        }
    }

    /// The window's end (exclusive).
    fn end(&self) -> DateTime<Utc> {
        self.start + TimeDelta::minutes(i64::from(self.minutes))
    }

    /// Adds one scheduled request: its expression, how it is shown and where it is.
    pub fn add(&mut self, expr: &str, shown: &str, sample: Sample) {
        self.scheduled += 1;
        let i = match self.by_text.get(expr) {
            Some(&i) => i,
            None => {
                if self.exprs.len() >= MAX_EXPRESSIONS || expr.len() > MAX_EXPRESSION_LEN {
                    self.not_drawn += 1;
                    return;
                }
                let state = self.expand(expr);
                self.exprs.push(Expr {
                    shown: shown.to_owned(),
                    state,
                    requests: 0,
                    instances: 0,
                    unknown: 0,
                    samples: Vec::new(),
                });
                let i = self.exprs.len() - 1;
                self.by_text.insert(expr.to_owned(), i);
                i
            }
        };
        let Some(e) = self.exprs.get_mut(i) else {
            return;
        };
        match e.state {
            State::Invalid => self.invalid += 1,
            State::Skipped => self.not_drawn += 1,
            State::Drawn { .. } => {}
        }
        if shown != expr {
            // A masked occurrence masks the expression everywhere on the page.
            shown.clone_into(&mut e.shown);
        }
        e.requests += 1;
        match sample.instances {
            Some(n) => e.instances += n as u64,
            None => e.unknown += 1,
        }
        if e.samples.len() < SAMPLES {
            e.samples.push(sample);
        }
    }

    /// Counts a scheduled request whose `Frequency` the API rejects (an interval below a
    /// minute, a cron expression that never fires): it never runs, so it is not drawn.
    pub fn add_rejected(&mut self) {
        self.scheduled += 1;
        self.invalid += 1;
    }

    /// Parses and expands an expression over the window, within the caps.
    fn expand(&mut self, expr: &str) -> State {
        let Ok(f) = runcommand_frequency::parse(expr) else {
            return State::Invalid;
        };
        if self.budget == 0 {
            return State::Skipped;
        }
        // Firings strictly after `from`: a rate counts its intervals from the start; a cron or
        // at firing at the start's very second is in the window.
        let from = match f {
            Frequency::Rate(_) => self.start,
            _ => self.start - TimeDelta::seconds(1),
        };
        let end = self.end();
        let cap = MAX_FIRINGS_PER_EXPRESSION.min(self.budget);
        let mut minutes: Vec<(u32, u32)> = Vec::new();
        let mut count = 0usize;
        let mut truncated = false;
        for t in f.firings(from) {
            if t >= end {
                break;
            }
            if count >= cap {
                truncated = true;
                break;
            }
            count += 1;
            let m = u32::try_from((t - self.start).num_minutes()).unwrap_or(u32::MAX);
            match minutes.last_mut() {
                Some((k, n)) if *k == m => *n += 1,
                _ => minutes.push((m, 1)),
            }
        }
        self.budget -= count;
        minutes.shrink_to_fit();
        State::Drawn {
            minutes,
            truncated,
            zone: f.zone(),
            zone_explicit: f.zone_is_explicit(),
            meaning: f.describe(),
            rate: matches!(f, Frequency::Rate(_)),
        }
    }

    /// The zone most scheduled requests name (not UTC), the first by name among equals.
    pub fn common_zone(&self) -> Option<Zone> {
        let mut by_zone: HashMap<String, (u64, Zone)> = HashMap::new();
        for e in &self.exprs {
            if let State::Drawn {
                zone,
                zone_explicit: true,
                ..
            } = &e.state
                && *zone != Zone::Utc
            {
                by_zone.entry(zone.to_string()).or_insert((0, *zone)).0 += e.requests;
            }
        }
        let mut all: Vec<(String, (u64, Zone))> = by_zone.into_iter().collect();
        all.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
        all.first().map(|(_, (_, z))| *z)
    }

    /// Builds what the page shows; `zone`: the second map's zone (default: [`Self::common_zone`]).
    pub fn view(&self, zone: Option<Zone>) -> View<'_> {
        let n = self.minutes as usize;
        let (mut starts, mut runs) = (vec![0u64; n], vec![0u64; n]);
        let (mut pinned, mut pinned_runs, mut unknown) =
            (vec![0u64; n], vec![0u64; n], vec![0u64; n]);
        let (mut drawn, mut truncated, mut implicit_zone) = (0, 0, 0);
        for e in &self.exprs {
            let State::Drawn {
                minutes,
                truncated: cut,
                zone_explicit,
                rate,
                ..
            } = &e.state
            else {
                continue;
            };
            drawn += 1;
            truncated += usize::from(*cut);
            if !zone_explicit {
                implicit_zone += e.requests;
            }
            for &(m, k) in minutes {
                let k = u64::from(k);
                if let (Some(s), Some(r)) = (starts.get_mut(m as usize), runs.get_mut(m as usize)) {
                    *s += k * e.requests;
                    *r += k * e.instances;
                }
                // The busiest minutes are those of cron and at schedules only: a rate's minutes
                // depend on when its task was created (counting them from the window's start
                // would line every rate up on the same minute).
                if !*rate
                    && let (Some(s), Some(r), Some(u)) = (
                        pinned.get_mut(m as usize),
                        pinned_runs.get_mut(m as usize),
                        unknown.get_mut(m as usize),
                    )
                {
                    *s += k * e.requests;
                    *r += k * e.instances;
                    *u += k * e.unknown;
                }
            }
        }
        let utc = self.heat_map(Zone::Utc, &starts);
        let local = zone
            .or_else(|| self.common_zone())
            .filter(|z| *z != Zone::Utc)
            .map(|z| self.heat_map(z, &starts));
        let mut order: Vec<usize> = (0..n).filter(|&m| pinned.get(m) > Some(&0)).collect();
        order.sort_by(|&a, &b| pinned.get(b).cmp(&pinned.get(a)).then(a.cmp(&b)));
        let busiest = order
            .into_iter()
            .take(BUSIEST)
            .map(|m| {
                let mi = u32::try_from(m).unwrap_or(u32::MAX);
                let mut exprs: Vec<(&Expr, u32)> = self
                    .exprs
                    .iter()
                    .map(|e| (e, e.fires_in(mi)))
                    .filter(|(_, k)| *k > 0)
                    .collect();
                exprs.sort_by(|a, b| {
                    (u64::from(b.1) * b.0.requests)
                        .cmp(&(u64::from(a.1) * a.0.requests))
                        .then(a.0.shown.cmp(&b.0.shown))
                });
                Busy {
                    at: self.start + TimeDelta::minutes(i64::from(mi)),
                    starts: pinned.get(m).copied().unwrap_or(0),
                    runs: pinned_runs.get(m).copied().unwrap_or(0),
                    unknown: unknown.get(m).copied().unwrap_or(0),
                    exprs,
                }
            })
            .collect();
        View {
            start: self.start,
            end: self.end(),
            utc,
            local,
            busiest,
            starts: starts.iter().sum(),
            runs: runs.iter().sum(),
            drawn,
            truncated,
            implicit_zone,
        }
    }

    /// Task starts per local hour of `zone`: one row per local date the window touches.
    fn heat_map(&self, zone: Zone, starts: &[u64]) -> HeatMap {
        let first = zone.localize(self.start).date_naive();
        let mut rows: Vec<Row> = Vec::new();
        for m in 0..self.minutes {
            let local = zone.localize(self.start + TimeDelta::minutes(i64::from(m)));
            let day = usize::try_from((local.date_naive() - first).num_days()).unwrap_or(0);
            while rows.len() <= day {
                let date = first + TimeDelta::days(i64::try_from(rows.len()).unwrap_or(0));
                rows.push(Row {
                    date,
                    hours: [None; 24],
                });
            }
            if let Some(cell) = rows
                .get_mut(day)
                .and_then(|r| r.hours.get_mut(local.hour() as usize))
            {
                *cell = Some(cell.unwrap_or(0) + starts.get(m as usize).copied().unwrap_or(0));
            }
        }
        HeatMap { zone, rows }
    }

    /// The distinct expressions, in the order met.
    #[cfg(test)]
    pub fn exprs(&self) -> &[Expr] {
        &self.exprs
    }
}

/// `date` as `Mon 2026-11-30`.
pub fn day_label(date: NaiveDate) -> String {
    format!("{} {}", date.weekday(), date.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn sample(path: &str, n: Option<usize>) -> Sample {
        Sample {
            path: path.into(),
            line: 3,
            instances: n,
            by_tag: n.is_none(),
        }
    }

    #[test]
    fn daily_jobs_fall_in_their_hour_in_both_zones() {
        // Thursday 2026-11-26 10:17:42 UTC; 02:30 Asia/Shanghai is 18:30 UTC the day before.
        let mut c = Calendar::new(at("2026-11-26T10:17:42Z"), 7);
        for i in 0..3 {
            c.add(
                "0 30 2 * * ? Asia/Shanghai",
                "0 30 2 * * ? Asia/Shanghai",
                sample(&format!("a{i}.yaml"), Some(2)),
            );
        }
        c.add("0 0 4 * * ?", "0 0 4 * * ?", sample("b.yaml", None));
        let v = c.view(None);
        assert_eq!(v.start, at("2026-11-26T10:17:00Z"));
        // 7 days × 3 requests at 18:30 UTC + 7 days × 1 at 04:00 UTC (the first 04:00 is the
        // 27th: the 26th's has passed).
        assert_eq!(v.starts, 7 * 3 + 7);
        assert_eq!(v.runs, 7 * 3 * 2);
        assert_eq!(v.implicit_zone, 1);
        // UTC: 8 dates (26th from 10:17 to 3 Dec 10:17).
        assert_eq!(v.utc.rows.len(), 8);
        assert_eq!(v.utc.rows[0].hours[18], Some(3));
        assert_eq!(v.utc.rows[0].hours[4], None, "before the window");
        assert_eq!(v.utc.rows[1].hours[4], Some(1));
        assert_eq!(v.utc.rows[7].hours[11], None, "after the window");
        assert_eq!(v.utc.busiest(), Some((v.utc.rows[0].date, 18, 3)));
        // The second zone is the one the schedules name: 02:30 local.
        let local = v.local.as_ref().unwrap();
        assert_eq!(local.zone.to_string(), "Asia/Shanghai");
        assert_eq!(local.rows[0].date.to_string(), "2026-11-26");
        assert_eq!(local.rows[1].hours[2], Some(3));
        assert_eq!(
            local.rows[1].hours[12],
            Some(1),
            "04:00 UTC is 12:00 in Shanghai"
        );
        // The busiest minute: 18:30 UTC on the 26th, three requests, 6 instance runs.
        let b = &v.busiest[0];
        assert_eq!(b.at, at("2026-11-26T18:30:00Z"));
        assert_eq!((b.starts, b.runs, b.unknown), (3, 6, 0));
        assert_eq!(b.exprs.len(), 1);
        assert_eq!(b.exprs[0].0.samples.len(), 3);
        assert_eq!(v.busiest.len(), BUSIEST);
    }

    #[test]
    fn a_chosen_zone_with_a_half_hour_offset_and_daylight_saving() {
        // India is UTC+5:30: 18:30 UTC is midnight there.
        let mut c = Calendar::new(at("2026-11-26T00:00:00Z"), 1);
        c.add("0 30 18 * * ?", "0 30 18 * * ?", sample("a.yaml", Some(1)));
        let v = c.view(Some("Asia/Kolkata".parse().unwrap()));
        let local = v.local.unwrap();
        assert_eq!(local.rows.len(), 2);
        assert_eq!(local.rows[1].hours[0], Some(1));
        assert_eq!(local.rows[0].hours[4], None, "00:00 UTC is 05:30 local");
        assert_eq!(local.rows[0].hours[5], Some(0));
        // New York on the day clocks go back (2026-11-01): 25 local hours, the repeated one
        // counted once per minute it holds.
        let mut c = Calendar::new(at("2026-11-01T04:00:00Z"), 1);
        c.add("rate(1h)", "rate(1h)", sample("a.yaml", Some(1)));
        let v = c.view(Some("America/New_York".parse().unwrap()));
        let local = v.local.unwrap();
        assert_eq!(local.rows[0].date.to_string(), "2026-11-01");
        // 01:00 local happens twice: two firings in that hour.
        assert_eq!(local.rows[0].hours[1], Some(2));
        assert_eq!(v.starts, 23);
    }

    #[test]
    fn rate_at_and_invalid_expressions() {
        let mut c = Calendar::new(at("2026-11-26T00:00:00Z"), 7);
        c.add("rate(1m)", "rate(1m)", sample("r.yaml", Some(1)));
        c.add(
            "at(2026-11-27 08:00:00 GMT+8:00)",
            "at(2026-11-27 08:00:00 GMT+8:00)",
            sample("a.yaml", Some(5)),
        );
        c.add("at(2020-01-01 00:00:00)", "x", sample("old.yaml", Some(1)));
        c.add("0 61 * * * ?", "0 61 * * * ?", sample("bad.yaml", Some(1)));
        let v = c.view(None);
        // rate(1m) fires in every minute but the first (10,079), the `at` once; the past `at`
        // never.
        assert_eq!(v.starts, 7 * 1440);
        assert_eq!(c.invalid, 1);
        // The busiest minutes leave rates out (their minutes are not known offline).
        assert_eq!(v.busiest.len(), 1);
        let b = &v.busiest[0];
        assert_eq!(b.at, at("2026-11-27T00:00:00Z"));
        assert_eq!((b.starts, b.runs), (1, 5));
        assert_eq!(
            v.utc.rows[1].hours[0],
            Some(61),
            "the rate counts in the heat map"
        );
        assert_eq!(c.exprs()[2].shown, "x", "a masked occurrence stays masked");
        // Shown in GMT+8:00 by default (the only zone named).
        assert_eq!(v.local.unwrap().zone.to_string(), "GMT+8:00");
    }

    #[test]
    fn expansion_is_capped_per_expression_and_in_total() {
        let mut c = Calendar::new(at("2026-11-26T00:00:00Z"), 7);
        // Every second: 604,800 firings a week, cut at the per-expression cap.
        c.add("* * * * * ?", "* * * * * ?", sample("s.yaml", Some(1)));
        let v = c.view(None);
        assert_eq!(v.truncated, 1);
        assert_eq!(v.starts, MAX_FIRINGS_PER_EXPRESSION as u64);
        // Distinct expressions past the cap are counted, not drawn.
        let mut c = Calendar::new(at("2026-11-26T00:00:00Z"), 1);
        for i in 0..MAX_EXPRESSIONS + 3 {
            let e = format!(
                "at(2026-11-26 {:02}:{:02}:{:02})",
                i / 3600 % 24,
                i / 60 % 60,
                i % 60
            );
            c.add(&e, &e, sample("x.yaml", Some(1)));
        }
        assert_eq!(c.exprs().len(), MAX_EXPRESSIONS);
        assert_eq!(c.not_drawn, 3);
        assert_eq!(c.scheduled, (MAX_EXPRESSIONS + 3) as u64);
        // The total budget (made small here): once spent, new expressions are not expanded.
        let mut c = Calendar::new(at("2026-11-26T00:00:00Z"), 7);
        c.budget = 25_000;
        for n in 0..3 {
            let e = format!("{n} * * * * ?"); // 10,080 firings each
            c.add(&e, &e, sample("y.yaml", Some(1)));
        }
        assert_eq!(c.budget, 0);
        assert_eq!(c.view(None).truncated, 1);
        c.add("0 0 1 * * ?", "0 0 1 * * ?", sample("z.yaml", Some(1)));
        assert_eq!(c.not_drawn, 1);
        assert_eq!(c.view(None).starts, 25_000);
    }
}
