//! Property tests: ordering, field matching, first-match against a brute-force scan, and no
//! panics on any input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use common::{Gen, brute_next, cron_expr, oracle};
use proptest::prelude::*;
use runcommand_frequency::{Frequency, Zone, parse};

const ALL_ZONES: &[&str] = &[
    "UTC",
    "GMT",
    "GMT+8:00",
    "GMT-3:30",
    "GMT+14:00",
    "Asia/Shanghai",
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
];
const FIXED_ZONES: &[&str] = &["UTC", "GMT+8:00", "GMT-3:30", "GMT+14:00", "GMT-12:00"];

/// Instants from 2023 to 2033, sometimes with a fraction of a second.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (
        1_700_000_000i64..2_000_000_000,
        prop_oneof![3 => Just(0u32), 1 => 0u32..1_000_000_000],
    )
        .prop_map(|(s, ns)| DateTime::from_timestamp(s, ns).unwrap())
}

fn cron_of(f: &Frequency) -> &runcommand_frequency::Cron {
    match f {
        Frequency::Cron(c) => c,
        _ => panic!("not a cron expression"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The computed smallest gap (from the fields) equals the one
    /// found by walking the firings whenever the walk's 1000 firings span more than two days
    /// (else the walk cannot see a gap across days, and the computed gap is never larger).
    #[test]
    fn computed_min_gap_matches_the_search(
        expr in cron_expr(Gen { croner: false, zones: FIXED_ZONES }),
        from in instant(),
    ) {
        let f = parse(&expr).unwrap();
        let fast = f.min_gap(from);
        let slow = f.searched_min_gap(from);
        let v = f.next_firings(from, runcommand_frequency::MIN_GAP_FIRINGS);
        let wide = v.len() < runcommand_frequency::MIN_GAP_FIRINGS
            || v.last().zip(v.first()).is_some_and(|(l, f)| *l - *f > TimeDelta::days(2));
        if wide {
            prop_assert_eq!(fast, slow, "{}", expr);
        } else {
            prop_assert!(fast.zip(slow).is_some_and(|(a, b)| a <= b), "{expr}: {fast:?} vs {slow:?}");
        }
    }

    /// Firings are after `from`, strictly increasing, and each matches every field (or, in an
    /// IANA zone, is the first instant after a DST gap).
    #[test]
    fn firings_increase_and_match(
        expr in cron_expr(Gen { croner: false, zones: ALL_ZONES }),
        from in instant(),
    ) {
        let f = parse(&expr).unwrap();
        let c = cron_of(&f);
        let zone = f.zone();
        let v = f.next_firings(from, 12);
        let mut prev = from;
        for t in &v {
            prop_assert!(*t > prev, "{expr}: {t} after {prev}");
            prev = *t;
            let local = zone.localize(*t).naive_local();
            let fast = c.matches(local);
            prop_assert_eq!(fast, oracle(c, local), "{}: matcher disagrees at {}", expr, local);
            let after_gap = matches!(zone, Zone::Iana(_))
                && zone.localize(*t - TimeDelta::seconds(1)).offset() != zone.localize(*t).offset();
            prop_assert!(fast || after_gap, "{expr}: {t} ({local}) does not match");
        }
    }

    /// Each firing is the first match after the previous one (brute-force scan), and when the
    /// schedule ends nothing matches until 2100. Fixed offsets only (no DST).
    #[test]
    fn firings_are_first_matches(
        expr in cron_expr(Gen { croner: false, zones: FIXED_ZONES }),
        from in instant(),
    ) {
        let f = parse(&expr).unwrap();
        let c = cron_of(&f);
        let zone = f.zone();
        let v = f.next_firings(from, 6);
        let local = |t: DateTime<Utc>| zone.localize(t).naive_local();
        let one = TimeDelta::seconds(1);
        let mut start = local(from).with_nanosecond_zero() + one;
        for t in &v {
            let want = local(*t);
            prop_assert_eq!(brute_next(c, start, want + one), Some(want), "{}", expr);
            start = want + one;
        }
        if v.len() < 6 {
            let end = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap();
            prop_assert_eq!(brute_next(c, start, end), None, "{}", expr);
            prop_assert_eq!(f.has_future_firing(v.last().copied().unwrap_or(from)), false);
        } else {
            prop_assert!(f.has_future_firing(from));
        }
    }

    /// min_gap is the smallest difference of consecutive firings (checked on the first 50), in
    /// zones with a steady offset; with daylight saving it is measured on the wall clock (see
    /// `min_gap_is_measured_on_the_wall_clock_across_daylight_saving`).
    #[test]
    fn min_gap_bounds_consecutive_gaps(
        expr in cron_expr(Gen { croner: false, zones: FIXED_ZONES }),
        from in instant(),
    ) {
        let f = parse(&expr).unwrap();
        let v = f.next_firings(from, 50);
        let gap = f.min_gap(from);
        // The gap is measured within a year of the first firing: a schedule that fires less
        // often (every other year) has none.
        let year = v.first().map(|first| *first + TimeDelta::days(366));
        let within = v.iter().filter(|t| year.is_some_and(|y| **t <= y)).count();
        prop_assert_eq!(gap.is_some(), within >= 2, "{}", expr);
        if let Some(gap) = gap {
            let end = v[0] + TimeDelta::days(366);
            for w in v.windows(2) {
                if w[1] <= end {
                    prop_assert!((w[1] - w[0]).to_std().unwrap() >= gap, "{expr}");
                }
            }
        }
    }

    /// No input makes the parser or the evaluator panic; error spans are valid.
    #[test]
    fn no_panics(
        expr in prop_oneof![
            any::<String>(),
            "[0-9*?,/#LWlw\\- ]{0,30}",
            "(rate|RATE|at|AT)[ (]{0,2}[0-9a-z :\\-+/.)]{0,30}",
            "[0-9]{1,2} [0-9*/,\\-]{1,5} [0-9*/,\\-]{1,5} [0-9?LW*/,\\-]{1,4} [0-9A-Za-z*/,\\-]{1,5} [0-9?L#*/,\\-A-Za-z]{1,5}( [0-9*/,\\-?]{1,9})?( [A-Za-z/_+:0-9\\-]{1,16})?",
            (cron_expr(Gen { croner: false, zones: ALL_ZONES }), any::<prop::sample::Index>(), any::<char>())
                .prop_map(|(e, i, c)| {
                    let mut chars: Vec<char> = e.chars().collect();
                    let i = i.index(chars.len());
                    chars[i] = c;
                    chars.into_iter().collect()
                }),
        ],
        secs in prop_oneof![
            1 => Just(DateTime::<Utc>::MIN_UTC.timestamp()),
            1 => Just(DateTime::<Utc>::MAX_UTC.timestamp()),
            8 => -5_000_000_000i64..10_000_000_000,
        ],
    ) {
        let from = DateTime::from_timestamp(secs, 0).unwrap();
        match parse(&expr) {
            Ok(f) => {
                let v = f.next_firings(from, 5);
                for w in v.windows(2) {
                    prop_assert!(w[0] < w[1]);
                }
                let _ = f.min_gap(from);
                let _ = f.has_future_firing(from);
                prop_assert!(!f.describe().is_empty());
                let _ = f.needs_new_agent();
                let _ = f.zone_is_explicit();
                let _ = f.zone().to_string();
                if let Some(span) = f.day_conflict() {
                    prop_assert!(expr.get(span).is_some());
                }
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    prop_assert!(expr.get(e.span.clone()).is_some(), "{expr:?}: {e:?}");
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
    }
}

trait Trunc {
    fn with_nanosecond_zero(self) -> Self;
}

impl Trunc for chrono::NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap()
    }
}

#[test]
fn bounded_search_is_fast() {
    // Sparse and never-firing schedules, from the start of the range: the whole 1970-2099 span
    // is searched without stepping second by second.
    let from = DateTime::from_timestamp(0, 0).unwrap();
    let started = std::time::Instant::now();
    for expr in [
        "0 0 0 30 2 ?",
        "59 59 23 31 12 ? 2099",
        "0 0 0 29 2 MON",
        "0 0 0 ? 2 1#5",
        "* * * 31 2,4,6,9,11 ?",
    ] {
        let f = parse(expr).unwrap();
        let _ = f.next_firings(from, 3);
        let _ = f.min_gap(from);
    }
    let f = parse("59 59 23 31 12 ? 2099").unwrap();
    assert_eq!(
        f.next_after(from),
        Some(
            DateTime::parse_from_rfc3339("2099-12-31T23:59:59Z")
                .unwrap()
                .to_utc()
        )
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
