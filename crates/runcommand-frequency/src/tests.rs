use super::*;
use chrono::TimeZone;

fn from() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 0).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn ok(expr: &str) -> Frequency {
    match parse(expr) {
        Ok(f) => f,
        Err(e) => panic!("{expr}: {e:?}"),
    }
}

/// The single error of `expr`.
fn err(expr: &str) -> FrequencyError {
    let errors = parse(expr).expect_err(expr);
    assert_eq!(errors.len(), 1, "{expr}: {errors:?}");
    let e = errors.into_iter().next().unwrap();
    assert!(expr.get(e.span.clone()).is_some(), "{expr}: bad span {e:?}");
    e
}

/// Asserts the single error's span text and message.
fn check(expr: &str, span_text: &str, span: Range<usize>, message: &str) -> FrequencyError {
    let e = err(expr);
    assert_eq!(e.span, span, "{expr}: {e:?}");
    assert_eq!(&expr[e.span.clone()], span_text, "{expr}");
    assert_eq!(e.message, message, "{expr}");
    e
}

/// The first `n` firings after the fixed instant, shown in the schedule's zone.
fn fires(expr: &str, n: usize) -> Vec<String> {
    let f = ok(expr);
    f.next_firings(from(), n)
        .into_iter()
        .map(|t| f.zone().localize(t).to_rfc3339())
        .collect()
}

// ---------------------------------------------------------------- the documented examples

#[test]
fn doc_table_examples() {
    let z = "+00:00";
    let cases: &[(&str, &[&str])] = &[
        (
            "0 15 10 ? * *",
            &[
                "2026-11-28T10:15:00",
                "2026-11-29T10:15:00",
                "2026-11-30T10:15:00",
            ],
        ),
        (
            "0 15 10 * * ?",
            &[
                "2026-11-28T10:15:00",
                "2026-11-29T10:15:00",
                "2026-11-30T10:15:00",
            ],
        ),
        (
            "0 0 12 * * ?",
            &[
                "2026-11-28T12:00:00",
                "2026-11-29T12:00:00",
                "2026-11-30T12:00:00",
            ],
        ),
        (
            "0 0 10,14,16 * * ?",
            &[
                "2026-11-28T10:00:00",
                "2026-11-28T14:00:00",
                "2026-11-28T16:00:00",
                "2026-11-29T10:00:00",
            ],
        ),
        (
            "0 0/30 9-17 * * ?",
            &[
                "2026-11-28T09:00:00",
                "2026-11-28T09:30:00",
                "2026-11-28T10:00:00",
            ],
        ),
        (
            "0 * 14 * * ?",
            &[
                "2026-11-28T14:00:00",
                "2026-11-28T14:01:00",
                "2026-11-28T14:02:00",
            ],
        ),
        (
            "0 0-5 14 * * ?",
            &[
                "2026-11-28T14:00:00",
                "2026-11-28T14:01:00",
                "2026-11-28T14:02:00",
                "2026-11-28T14:03:00",
                "2026-11-28T14:04:00",
                "2026-11-28T14:05:00",
                "2026-11-29T14:00:00",
            ],
        ),
        (
            "0 0/5 14 * * ?",
            &[
                "2026-11-28T14:00:00",
                "2026-11-28T14:05:00",
                "2026-11-28T14:10:00",
            ],
        ),
        (
            "0 0/5 14,18 * * ?",
            &[
                "2026-11-28T14:00:00",
                "2026-11-28T14:05:00",
                "2026-11-28T14:10:00",
            ],
        ),
        // 2026-11-28 is a Saturday.
        (
            "0 0 12 ? * WED",
            &[
                "2026-12-02T12:00:00",
                "2026-12-09T12:00:00",
                "2026-12-16T12:00:00",
            ],
        ),
        (
            "0 15 10 15 * ?",
            &[
                "2026-12-15T10:15:00",
                "2027-01-15T10:15:00",
                "2027-02-15T10:15:00",
            ],
        ),
        (
            "0 15 10 L * ?",
            &[
                "2026-11-30T10:15:00",
                "2026-12-31T10:15:00",
                "2027-01-31T10:15:00",
                "2027-02-28T10:15:00",
            ],
        ),
        // Last Saturdays: Nov 28 (today, after midnight), Dec 26, Jan 30.
        (
            "0 15 10 ? * 6L",
            &[
                "2026-11-28T10:15:00",
                "2026-12-26T10:15:00",
                "2027-01-30T10:15:00",
            ],
        ),
        // Third Saturdays: Nov 21 (past), Dec 19, Jan 16, Feb 20.
        (
            "0 15 10 ? * 6#3",
            &[
                "2026-12-19T10:15:00",
                "2027-01-16T10:15:00",
                "2027-02-20T10:15:00",
            ],
        ),
        // Wednesdays of March 2027: 3, 10, 17, 24, 31.
        (
            "0 10,44 14 ? 3 WED",
            &[
                "2027-03-03T14:10:00",
                "2027-03-03T14:44:00",
                "2027-03-10T14:10:00",
                "2027-03-10T14:44:00",
            ],
        ),
    ];
    for (expr, want) in cases {
        let want: Vec<String> = want.iter().map(|w| format!("{w}{z}")).collect();
        assert_eq!(fires(expr, want.len()), want, "{expr}");
        let f = ok(expr);
        assert!(!f.zone_is_explicit(), "{expr}");
        assert!(!f.needs_new_agent(), "{expr}");
        assert_eq!(f.day_conflict(), None, "{expr}");
    }
    // The ends of the longer lists.
    let f = ok("0 0/30 9-17 * * ?");
    let day: Vec<_> = f.next_firings(from(), 19);
    assert_eq!(day[17], utc("2026-11-28T17:30:00Z"));
    assert_eq!(day[18], utc("2026-11-29T09:00:00Z"));
    let f = ok("0 * 14 * * ?");
    let v = f.next_firings(from(), 61);
    assert_eq!(v[59], utc("2026-11-28T14:59:00Z"));
    assert_eq!(v[60], utc("2026-11-29T14:00:00Z"));
    let f = ok("0 0/5 14,18 * * ?");
    let v = f.next_firings(from(), 25);
    assert_eq!(v[11], utc("2026-11-28T14:55:00Z"));
    assert_eq!(v[12], utc("2026-11-28T18:00:00Z"));
    assert_eq!(v[24], utc("2026-11-29T14:00:00Z"));
}

#[test]
fn third_saturday_in_shanghai() {
    let f = ok("0 15 10 ? * 6#3 Asia/Shanghai");
    assert_eq!(
        fires("0 15 10 ? * 6#3 Asia/Shanghai", 2),
        ["2026-12-19T10:15:00+08:00", "2027-01-16T10:15:00+08:00"]
    );
    assert_eq!(f.next_after(from()), Some(utc("2026-12-19T02:15:00Z")));
    assert!(f.zone_is_explicit());
    assert!(f.needs_new_agent());
    assert_eq!(
        f.describe(),
        "at 10:15:00 on the third Saturday of every month, Asia/Shanghai"
    );
}

#[test]
fn doc_examples_with_year_and_zone() {
    for expr in [
        "0 15 10 ? * * 2022 Asia/Shanghai",
        "0 0/30 10-11 * * ? 2022 GMT+8:00",
    ] {
        let f = ok(expr);
        assert!(f.needs_new_agent());
        assert!(!f.has_future_firing(from()), "{expr}");
        assert_eq!(f.min_gap(from()), None);
        // They did fire in 2022.
        let start = utc("2022-03-01T00:00:00Z");
        assert!(f.has_future_firing(start));
    }
    let f = ok("0 0/30 10-11 * * ? 2022 GMT+8:00");
    assert_eq!(
        f.next_firings(utc("2022-03-01T00:00:00Z"), 5)
            .into_iter()
            .map(|t| f.zone().localize(t).to_rfc3339())
            .collect::<Vec<_>>(),
        [
            "2022-03-01T10:00:00+08:00",
            "2022-03-01T10:30:00+08:00",
            "2022-03-01T11:00:00+08:00",
            "2022-03-01T11:30:00+08:00",
            "2022-03-02T10:00:00+08:00"
        ]
    );
    assert_eq!(
        f.next_after(utc("2022-12-31T03:59:00Z")),
        None,
        "the last firing of 2022 is 11:30 +08:00 = 03:30Z"
    );
    // 2022/2: 2022, 2024, 2026 (October is past), 2028.
    assert_eq!(
        fires("0 0/5 14 * 10 ? 2022/2 UTC", 3),
        [
            "2028-10-01T14:00:00+00:00",
            "2028-10-01T14:05:00+00:00",
            "2028-10-01T14:10:00+00:00"
        ]
    );
    let f = ok("0 0/5 14 * 10 ? 2022/2 UTC");
    let v = f.next_firings(from(), 13);
    assert_eq!(v[12], utc("2028-10-02T14:00:00Z"));
    assert_eq!(f.zone(), Zone::Utc);
    assert!(f.zone_is_explicit());
}

#[test]
fn never_firing_schedules_end_quickly() {
    let started = std::time::Instant::now();
    for expr in [
        "0 0 0 30 2 ?",
        "0 0 0 31 4,6,9,11 ?",
        "0 0 12 * * ? 2020",
        "0 0 12 * * ? 1970-2025",
        "0 0 0 ? 2 5#5 2027",
    ] {
        let f = ok(expr);
        assert!(!f.has_future_firing(from()), "{expr}");
        assert!(f.next_firings(from(), 3).is_empty());
        assert_eq!(f.min_gap(from()), None);
    }
    // Feb 29 fires in leap years only; the last one is 2096.
    let f = ok("0 0 0 29 2 ?");
    assert_eq!(f.next_after(from()), Some(utc("2028-02-29T00:00:00Z")));
    assert_eq!(f.firings(from()).last(), Some(utc("2096-02-29T00:00:00Z")));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn last_weekday_nearest_weekday_and_names() {
    // LW: last weekday. Nov 30 2026 is a Monday; Jan 31 2027 a Sunday -> Fri Jan 29.
    assert_eq!(
        fires("0 0 9 LW * ?", 3),
        [
            "2026-11-30T09:00:00+00:00",
            "2026-12-31T09:00:00+00:00",
            "2027-01-29T09:00:00+00:00"
        ]
    );
    // 1W: Jan 1 2027 is a Friday; Feb 1 Monday; May 1 2027 is a Saturday -> Monday May 3.
    assert_eq!(
        fires("0 0 9 1W * ?", 2),
        ["2026-12-01T09:00:00+00:00", "2027-01-01T09:00:00+00:00"]
    );
    let f = ok("0 0 9 1W 5 ? 2027");
    assert_eq!(f.next_after(from()), Some(utc("2027-05-03T09:00:00Z")));
    // 15W: Nov 15 2026 would be Sunday (past); Dec 15 2026 Tuesday.
    // 31W in a 30-day month never fires that month; Jan 31 2027 is a Sunday, so it moves back
    // to Friday Jan 29.
    assert_eq!(
        fires("0 0 9 31W * ?", 3),
        [
            "2026-12-31T09:00:00+00:00",
            "2027-01-29T09:00:00+00:00",
            "2027-03-31T09:00:00+00:00"
        ]
    );
    // Names, case-insensitive, full names too; MON-FRI.
    assert_eq!(
        fires("0 0 8 ? dec mon-fri", 3),
        [
            "2026-12-01T08:00:00+00:00",
            "2026-12-02T08:00:00+00:00",
            "2026-12-03T08:00:00+00:00"
        ]
    );
    assert_eq!(
        fires("0 0 8 ? December Tuesday", 1),
        ["2026-12-01T08:00:00+00:00"]
    );
    // 7 and 0 are both Sunday; L alone is Sunday; FRI-SUN covers three days.
    for expr in ["0 0 8 ? * 7", "0 0 8 ? * 0", "0 0 8 ? * SUN", "0 0 8 ? * L"] {
        assert_eq!(fires(expr, 1), ["2026-11-29T08:00:00+00:00"], "{expr}");
    }
    assert_eq!(
        fires("0 0 8 ? * FRI-SUN", 3),
        [
            "2026-11-28T08:00:00+00:00",
            "2026-11-29T08:00:00+00:00",
            "2026-12-04T08:00:00+00:00"
        ]
    );
    // 1#1 = first Monday: Dec 7 2026.
    assert_eq!(fires("0 0 8 ? * MON#1", 1), ["2026-12-07T08:00:00+00:00"]);
    // At most one leading zero is fine.
    assert_eq!(fires("00 05 08 ? * *", 1), ["2026-11-28T08:05:00+00:00"]);
}

#[test]
fn both_day_fields_restricted_are_ored() {
    // Day 1 of the month, or any Friday.
    let f = ok("0 0 8 1 * FRI");
    assert_eq!(f.day_conflict(), Some(6..13));
    assert_eq!(
        f.next_firings(from(), 3),
        [
            utc("2026-12-01T08:00:00Z"),
            utc("2026-12-04T08:00:00Z"),
            utc("2026-12-11T08:00:00Z")
        ]
    );
    assert_eq!(
        f.describe(),
        "at 08:00:00 on day 1 of every month or on Friday, in the instance's system time zone"
    );
}

#[test]
fn dst_gap_and_repeat() {
    // New York 2027: spring forward on Mar 14 at 02:00, fall back on Nov 7 at 02:00.
    let f = ok("0 30 2 * * ? America/New_York");
    assert_eq!(
        f.next_firings(utc("2027-03-13T12:00:00Z"), 2),
        // 02:30 does not exist on Mar 14: the first instant after the gap, 03:00 EDT.
        [utc("2027-03-14T07:00:00Z"), utc("2027-03-15T06:30:00Z")]
    );
    let f = ok("0 30 1 * * ? America/New_York");
    assert_eq!(
        f.next_firings(utc("2027-11-06T12:00:00Z"), 2),
        // 01:30 happens twice on Nov 7: fires once, at the first (EDT) occurrence.
        [utc("2027-11-07T05:30:00Z"), utc("2027-11-08T06:30:00Z")]
    );
    let f = ok("0 */30 * * * ? America/New_York");
    assert_eq!(
        f.next_firings(utc("2027-11-07T04:00:00Z"), 4),
        [
            utc("2027-11-07T04:30:00Z"),
            utc("2027-11-07T05:00:00Z"),
            utc("2027-11-07T05:30:00Z"),
            utc("2027-11-07T07:00:00Z")
        ]
    );
    // From inside the repeated hour (01:15 EST): the first occurrences are behind.
    assert_eq!(
        f.next_after(utc("2027-11-07T06:15:00Z")),
        Some(utc("2027-11-07T07:00:00Z"))
    );
    // Spring forward: 02:00, 02:30 and 03:00 collapse into one firing at 03:00 EDT.
    assert_eq!(
        f.next_firings(utc("2027-03-14T05:45:00Z"), 4),
        [
            utc("2027-03-14T06:00:00Z"),
            utc("2027-03-14T06:30:00Z"),
            utc("2027-03-14T07:00:00Z"),
            utc("2027-03-14T07:30:00Z")
        ]
    );
    // at() in the gap.
    let a = ok("at(2027-03-14 02:30:00 America/New_York)");
    assert_eq!(a.next_after(from()), Some(utc("2027-03-14T07:00:00Z")));
}

#[test]
fn gmt_offsets_are_not_etc_gmt() {
    let f = ok("0 0 12 * * ? GMT+8:00");
    assert_eq!(f.next_after(from()), Some(utc("2026-11-28T04:00:00Z")));
    assert_eq!(f.zone().to_string(), "GMT+8:00");
    let f = ok("0 0 12 * * ? GMT-7:30");
    assert_eq!(f.next_after(from()), Some(utc("2026-11-28T19:30:00Z")));
    let f = ok("0 0 12 * * ? GMT+14:00");
    assert_eq!(f.next_after(from()), Some(utc("2026-11-28T22:00:00Z")));
    let f = ok("0 0 12 * * ? GMT");
    assert_eq!(f.zone(), Zone::Utc);
    // The IANA name Etc/GMT+8 is UTC-8, as tzdata says.
    let f = ok("0 0 12 * * ? Etc/GMT+8");
    assert_eq!(f.next_after(from()), Some(utc("2026-11-28T20:00:00Z")));
}

#[test]
fn rate_and_at() {
    for expr in [
        "rate(5m)",
        "RATE(5 M)",
        "Rate  (5m)",
        "rate(300s)",
        "rate(300 s)",
    ] {
        let Frequency::Rate(r) = ok(expr) else {
            panic!("{expr}")
        };
        assert_eq!(r.interval_secs(), 300, "{expr}");
    }
    let f = ok("RATE(10 m)");
    let Frequency::Rate(r) = &f else { panic!() };
    assert_eq!(r.span, 5..9);
    assert_eq!(r.unit, RateUnit::Minutes);
    assert_eq!(
        f.next_firings(from(), 2),
        [utc("2026-11-28T00:10:00Z"), utc("2026-11-28T00:20:00Z")]
    );
    assert_eq!(f.min_gap(from()), Some(Duration::from_secs(600)));
    assert!(f.needs_new_agent());
    assert_eq!(f.describe(), "every 10 minutes");
    assert_eq!(ok("rate(1h)").describe(), "every hour");
    assert_eq!(
        ok("rate(7d)").min_gap(from()),
        Some(Duration::from_secs(604_800))
    );

    let f = ok("at(2027-06-06 13:15:30 Asia/Shanghai)");
    assert_eq!(f.next_firings(from(), 3), [utc("2027-06-06T05:15:30Z")]);
    assert_eq!(f.min_gap(from()), None);
    assert!(f.needs_new_agent());
    assert_eq!(f.describe(), "once at 2027-06-06 13:15:30, Asia/Shanghai");
    let f = ok("at(2022-06-06 13:15:30)");
    assert_eq!(f.zone(), Zone::Utc);
    assert!(!f.has_future_firing(from()));
    let f = ok("at(2027-06-06 13:15:30 GMT-7:00)");
    assert_eq!(f.next_after(from()), Some(utc("2027-06-06T20:15:30Z")));
    let Frequency::At(a) = &f else { panic!() };
    assert_eq!(a.span, 3..22);
    assert_eq!(a.zone.as_ref().unwrap().span, 23..31);
    // Leap day.
    ok("at(2028-02-29 00:00:00 UTC)");
}

#[test]
fn spans_of_ast() {
    let Frequency::Cron(c) = ok("0 0/30 10-11 * * ? 2022 GMT+8:00") else {
        panic!()
    };
    let spans: Vec<_> = c.fields().map(|f| f.span.clone()).collect();
    assert_eq!(spans, [0..1, 2..6, 7..12, 13..14, 15..16, 17..18, 19..23]);
    assert_eq!(c.zone.as_ref().unwrap().span, 24..32);
    assert_eq!(
        c.minute.items[0].kind,
        ItemKind::Step {
            base: StepBase::From(0),
            step: 30
        }
    );
    assert_eq!(c.hour.items[0].kind, ItemKind::Range { start: 10, end: 11 });
    let Frequency::Cron(c) = ok("0 0 12 ? * 1#2,5L,L") else {
        panic!()
    };
    let kinds: Vec<_> = c
        .day_of_week
        .items
        .iter()
        .map(|i| (i.kind, i.span.clone()))
        .collect();
    assert_eq!(
        kinds,
        [
            (ItemKind::Nth { weekday: 1, nth: 2 }, 11..14),
            (ItemKind::LastOf(5), 15..17),
            (ItemKind::Last, 18..19)
        ]
    );
    // 6 fields + zone, surrounding whitespace (the agent splits on whitespace).
    let Frequency::Cron(c) = ok("  0 0 12 * * ?\tUTC ") else {
        panic!()
    };
    assert_eq!(c.second.span, 2..3);
    assert_eq!(c.zone.unwrap().span, 15..18);
}

// ---------------------------------------------------------------- errors with exact spans

#[test]
fn cron_field_errors() {
    check("0 15 25 * * ?", "25", 5..7, "hour must be 0-23");
    check("60 0 12 * * ?", "60", 0..2, "second must be 0-59");
    check("0 60 12 * * ?", "60", 2..4, "minute must be 0-59");
    check("0 0 12 32 * ?", "32", 7..9, "day-of-month must be 1-31");
    check("0 0 12 0 * ?", "0", 7..8, "day-of-month must be 1-31");
    check(
        "0 0 12 * 13 ?",
        "13",
        9..11,
        "month must be 1-12 or JAN-DEC",
    );
    check(
        "0 0 12 ? * 8",
        "8",
        11..12,
        "day-of-week must be 0-7 or MON-SUN",
    );
    check(
        "0 0 ? * * ?",
        "?",
        4..5,
        "`?` is only allowed in day-of-month and day-of-week",
    );
    check(
        "? 0 12 * * ?",
        "?",
        0..1,
        "`?` is only allowed in day-of-month and day-of-week",
    );
    let e = check(
        "0 15 008 ? * * 2022",
        "008",
        5..8,
        "at most one leading zero is allowed",
    );
    assert_eq!(e.suggestion.as_deref(), Some("8"));
    check(
        "0 15 08 ? * * 2100",
        "2100",
        14..18,
        "year must be 1970-2099",
    );
    check(
        "0 15 08 ? * * 1969",
        "1969",
        14..18,
        "year must be 1970-2099",
    );
    check(
        "0 15 10 ? * * ?",
        "?",
        14..15,
        "`?` is only allowed in day-of-month and day-of-week",
    );
    check(
        "0 0 20-5 * * ?",
        "20-5",
        4..8,
        "range `20-5` goes backwards: its start must not be after its end (wrap-around ranges are not supported)",
    );
    check(
        "0 0 12 ? * FRI-MON",
        "FRI-MON",
        11..18,
        "range `FRI-MON` goes backwards: its start must not be after its end (wrap-around ranges are not supported)",
    );
    check(
        "0 0/0 12 * * ?",
        "0",
        4..5,
        "the step after `/` must be 1-60",
    );
    check(
        "0 0/61 12 * * ?",
        "61",
        4..6,
        "the step after `/` must be 1-60",
    );
    check("0 0/ 12 * * ?", "", 4..4, "the step after `/` must be 1-60");
    check(
        "0 /5 12 * * ?",
        "/",
        2..3,
        "a step needs a start: write `*/5` or `0/5`",
    );
    check(
        "0 0 12 ? * 6#6",
        "6",
        13..14,
        "the occurrence after `#` must be 1-5",
    );
    check(
        "0 0 12 1#2 * ?",
        "#",
        8..9,
        "`#` is only allowed in day-of-week",
    );
    check(
        "0 0 12 ? * 5W",
        "W",
        12..13,
        "`W` is only allowed in day-of-month",
    );
    check(
        "0 0 5L * * ?",
        "L",
        5..6,
        "`L` is only allowed in day-of-month and day-of-week",
    );
    check(
        "0 0 12 * FOO ?",
        "FOO",
        9..12,
        "unknown month `FOO`: use 1-12 or JAN-DEC",
    );
    check(
        "0 0 12 ? * FUN",
        "FUN",
        11..14,
        "unknown day of week `FUN`: use 0-7 or MON-SUN",
    );
    check(
        "0 0 12 5L * ?",
        "5L",
        7..9,
        "day-of-month must be 1-31, `L`, `LW` or `nW`, found `5L`",
    );
    check(
        "0 0 12 1,,2 * ?",
        ",",
        9..10,
        "empty item in the day-of-month list",
    );
    check("0 0 1, * * ?", ",", 5..6, "empty item in the hour list");
    check(
        "0 0 12 ?,1 * ?",
        "?",
        7..8,
        "`?` must stand alone in its field",
    );
    check("0 0 x * * ?", "x", 4..5, "hour must be 0-23, found `x`");
    check(
        "0 0 1-* * * ?",
        "*",
        6..7,
        "`*` must stand alone or before a `/` step",
    );
    check(
        "0 0 12- * * ?",
        "",
        7..7,
        "missing a hour value in the range",
    );
    check("0 0 12 ? * #2", "", 11..11, "missing a day-of-week value");
    check(
        "0 0 12 ?/2 * ?",
        "?/2",
        7..10,
        "`?` must stand alone in its field",
    );
    check(
        "0 0 12 * * ? Mars",
        "Mars",
        13..17,
        "unknown time zone `Mars`: use an IANA name (such as `Asia/Shanghai`), `UTC`, `GMT` or `GMT+H:MM`",
    );
    check(
        "0 0 12 * * ? XYZ+8:00",
        "XYZ+8:00",
        13..21,
        "a UTC offset must be written `GMT+H:MM` or `GMT-H:MM`, e.g. `GMT+8:00`",
    );
    check(
        "0 0 12 * * ? GMT*8:00",
        "GMT*8:00",
        13..21,
        "unknown time zone `GMT*8:00`: use an IANA name (such as `Asia/Shanghai`), `UTC`, `GMT` or `GMT+H:MM`",
    );
    ok("0 0 12 * * ? 2030 Asia/Shanghai");
}

#[test]
fn field_count_errors() {
    let e = check(
        "0 12 * * ?",
        "0 12 * * ?",
        0..10,
        "cron needs 6 or 7 fields (seconds first, optional year), found 5",
    );
    assert_eq!(e.suggestion.as_deref(), Some("0 0 12 * * ?"));
    let e = check(
        "0 12 * * MON Asia/Shanghai",
        "0 12 * * MON",
        0..12,
        "cron needs 6 or 7 fields (seconds first, optional year), found 5 and a time zone",
    );
    assert_eq!(e.suggestion.as_deref(), Some("0 0 12 * * MON"));
    check(
        "0 0 12 * * ? 2025 2026",
        "2026",
        18..22,
        "cron needs 6 or 7 fields (seconds first, optional year), found 8",
    );
    check(
        "0 0 12 * * ? 2025 1 2 UTC",
        "1 2",
        18..21,
        "cron needs 6 or 7 fields (seconds first, optional year), found 9 and a time zone",
    );
    check(
        "0 0 12 * * ? Asia/Shanghai UTC",
        "UTC",
        27..30,
        "unexpected `UTC` after the time zone",
    );
    check(
        "@daily",
        "@daily",
        0..6,
        "cron needs 6 or 7 fields (seconds first, optional year), found 1",
    );
    check("", "", 0..0, "the frequency is empty");
    check("   ", "   ", 0..3, "the frequency is empty");
}

#[test]
fn several_errors_at_once() {
    let errors = parse("0 60 25 * * ? Asia/Shangai").unwrap_err();
    let got: Vec<_> = errors
        .iter()
        .map(|e| (e.span.clone(), e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (2..4, "minute must be 0-59"),
            (5..7, "hour must be 0-23"),
            (
                14..26,
                "unknown time zone `Asia/Shangai`; did you mean `Asia/Shanghai`?"
            ),
        ]
    );
}

#[test]
fn zone_errors() {
    let e = check(
        "0 0 12 * * ? Asia/Shangai",
        "Asia/Shangai",
        13..25,
        "unknown time zone `Asia/Shangai`; did you mean `Asia/Shanghai`?",
    );
    assert_eq!(e.suggestion.as_deref(), Some("Asia/Shanghai"));
    let e = err("0 0 12 * * ? asia/shanghai");
    assert_eq!(e.suggestion.as_deref(), Some("Asia/Shanghai"));
    let e = check(
        "0 0 12 * * ? Mars/Olympus",
        "Mars/Olympus",
        13..25,
        "unknown time zone `Mars/Olympus`",
    );
    assert_eq!(e.suggestion, None);
    let e = check(
        "0 0 12 * * ? GMT+08:00",
        "08",
        17..19,
        "no leading zero is allowed on the GMT offset hour",
    );
    assert_eq!(e.suggestion.as_deref(), Some("8"));
    check(
        "0 0 12 * * ? GMT+15:00",
        "15",
        17..19,
        "GMT offset hour must be 0-14",
    );
    check(
        "0 0 12 * * ? GMT+8",
        "",
        18..18,
        "missing the GMT offset minutes, e.g. `GMT+8:00`",
    );
    check(
        "0 0 12 * * ? GMT+8:0",
        "0",
        19..20,
        "GMT offset minutes must be two digits, 00-59",
    );
    check(
        "0 0 12 * * ? GMT+8:60",
        "60",
        19..21,
        "GMT offset minutes must be two digits, 00-59",
    );
    check(
        "0 0 12 * * ? GMT+8.00",
        ".",
        18..19,
        "expected `:` after the GMT offset hour, e.g. `GMT+8:00`",
    );
    let e = check(
        "0 0 12 * * ? UTC+8:00",
        "UTC",
        13..16,
        "a UTC offset must be written `GMT+H:MM` or `GMT-H:MM`, e.g. `GMT+8:00` (`UTC` is not accepted before an offset)",
    );
    assert_eq!(e.suggestion.as_deref(), Some("GMT"));
    let e = check(
        "0 0 12 * * ? utc",
        "utc",
        13..16,
        "time zone abbreviations are case-sensitive: write `UTC`",
    );
    assert_eq!(e.suggestion.as_deref(), Some("UTC"));
    check(
        "0 0 12 * * ? Japan",
        "Japan",
        13..18,
        "`Japan` is not accepted: use an IANA name with a `/` (such as `Asia/Shanghai`), `UTC`, `GMT` or `GMT+H:MM`",
    );
    check(
        "0 0 12 * * ? CST",
        "CST",
        13..16,
        "unknown time zone `CST`: use an IANA name (such as `Asia/Shanghai`), `UTC`, `GMT` or `GMT+H:MM`",
    );
}

#[test]
fn rate_errors() {
    check("rate( 5m)", " ", 5..6, "no space is allowed after `(`");
    check("rate(5m )", " ", 7..8, "no space is allowed before `)`");
    check("rate(0m)", "0", 5..6, "the interval must be positive");
    check(
        "rate(-5m)",
        "-",
        5..6,
        "the interval must be a positive whole number",
    );
    check(
        "rate(1.5h)",
        "1.5",
        5..8,
        "the interval must be a whole number",
    );
    check(
        "rate(5w)",
        "w",
        6..7,
        "the unit must be `s`, `m`, `h` or `d`, found `w`",
    );
    let e = check(
        "rate(5 min)",
        "min",
        7..10,
        "the unit must be `s`, `m`, `h` or `d`, found `min`",
    );
    assert_eq!(e.suggestion.as_deref(), Some("m"));
    check(
        "rate(5)",
        ")",
        6..7,
        "missing the unit: `s`, `m`, `h` or `d`",
    );
    check("rate(5m", "", 7..7, "missing `)`");
    check("rate(5m)x", "x", 8..9, "unexpected text after `)`");
    check("rate(5m) ", " ", 8..9, "unexpected text after `)`");
    check(
        " rate(5m)",
        " ",
        0..1,
        "no whitespace is allowed before `rate`",
    );
    check("rate(5m]", "]", 7..8, "expected `)` after the unit");
    check(
        "rate 5m",
        "5",
        5..6,
        "expected `(` after `rate`, e.g. `rate(5m)`",
    );
    check(
        "rate()",
        ")",
        5..6,
        "expected the interval, a whole number and a unit, e.g. `rate(5m)`",
    );
}

#[test]
fn at_errors() {
    check(
        "at(2023-02-30 10:00:00)",
        "2023-02-30",
        3..13,
        "`2023-02-30` is not a date: February 2023 has 28 days",
    );
    check(
        "at(2022-6-6 13:15:30)",
        "2022-6-6",
        3..11,
        "the date must be `yyyy-MM-dd`, zero-padded, e.g. `2022-06-06`",
    );
    check(
        "at(2022-13-06 13:15:30)",
        "13",
        8..10,
        "month must be 01-12",
    );
    check("at(2022-12-32 13:15:30)", "32", 11..13, "day must be 01-31");
    check(
        "at(2022-06-06 24:00:00)",
        "24",
        14..16,
        "hour must be 00-23",
    );
    check(
        "at(2022-06-06 23:60:00)",
        "60",
        17..19,
        "minute must be 00-59",
    );
    check(
        "at(2022-06-06 23:00:60)",
        "60",
        20..22,
        "second must be 00-59",
    );
    check(
        "at(2022-06-06 1:15:30)",
        "1:15:30",
        14..21,
        "the time must be `HH:mm:ss`, 24-hour and zero-padded, e.g. `13:15:30`",
    );
    check(
        "at(2022-06-06  13:15:30)",
        "  ",
        13..15,
        "use a single space between the date and the time",
    );
    check(
        "at(2022-06-06)",
        "",
        13..13,
        "missing the time `HH:mm:ss` after the date",
    );
    check(
        "at(2022-06-06 13:15:30 Asia/Shangai)",
        "Asia/Shangai",
        23..35,
        "unknown time zone `Asia/Shangai`; did you mean `Asia/Shanghai`?",
    );
    check(
        "at(2022-06-06 13:15:30 GMT+8:00 x)",
        " x",
        31..33,
        "unexpected text after the time zone",
    );
    check(
        "AT(2022-06-06 13:15:30)",
        "AT",
        0..2,
        "write `at` in lower case",
    );
    check(
        "at (2022-06-06 13:15:30)",
        " ",
        2..3,
        "no space is allowed between `at` and `(`",
    );
    check("at(2022-06-06 13:15:30", "", 22..22, "missing `)`");
    check(
        "at( 2022-06-06 13:15:30)",
        " ",
        3..4,
        "no space is allowed after `(`",
    );
    check(
        "at(2022-06-06 13:15:30 )",
        " ",
        22..23,
        "no space is allowed before `)`",
    );
    check(
        "at(2022-06-06 13:15:30)x",
        "x",
        23..24,
        "unexpected text after `)`",
    );
    check(
        "at(2022-06-06 13:15:30  UTC)",
        "  ",
        22..24,
        "use a single space between the time and the time zone",
    );
    check(
        "at2022-06-06 13:15:30",
        "2",
        2..3,
        "expected `(` after `at`, e.g. `at(2022-06-06 13:15:30)`",
    );
    check(
        "at()",
        "",
        3..3,
        "missing the date and time `yyyy-MM-dd HH:mm:ss`",
    );
}

// ---------------------------------------------------------------- evaluator helpers

#[test]
fn min_gap_and_describe() {
    let cases = [
        ("* * * * * ?", 1),
        ("*/10 * * * * ?", 10),
        ("0 0,1 * * * ?", 60),
        ("0 */20 * * * ?", 1200),
        ("0 0 12 * * ?", 86_400),
        ("0 0 0,23 * * ?", 3600),
        ("0 15 10 ? * 6#3", 28 * 86_400),
    ];
    for (expr, secs) in cases {
        assert_eq!(
            ok(expr).min_gap(from()),
            Some(Duration::from_secs(secs)),
            "{expr}"
        );
    }
    // Yearly: the window is 366 days after the first firing.
    assert_eq!(
        ok("0 0 0 1 1 ?").min_gap(from()),
        Some(Duration::from_secs(365 * 86_400))
    );
    let d = |e: &str| ok(e).describe();
    assert_eq!(
        d("0 */20 * * * ?"),
        "every 20 minutes, in the instance's system time zone"
    );
    assert_eq!(
        d("0 15 10 ? * *"),
        "at 10:15:00 every day, in the instance's system time zone"
    );
    assert_eq!(
        d("0 0 10,14,16 * * ?"),
        "at 10:00:00, 14:00:00 and 16:00:00 every day, in the instance's system time zone"
    );
    assert_eq!(
        d("0 0/30 9-17 * * ?"),
        "every 30 minutes, between 09:00 and 17:59, in the instance's system time zone"
    );
    assert_eq!(
        d("0 15 10 L * ?"),
        "at 10:15:00 on the last day of every month, in the instance's system time zone"
    );
    assert_eq!(
        d("0 15 10 ? * 6L"),
        "at 10:15:00 on the last Saturday of every month, in the instance's system time zone"
    );
    assert_eq!(
        d("0 10,44 14 ? 3 WED"),
        "at 14:10:00 and 14:44:00 on Wednesday in March, in the instance's system time zone"
    );
    assert_eq!(
        d("0 15 10 ? * * 2022 Asia/Shanghai"),
        "at 10:15:00 every day in 2022, Asia/Shanghai"
    );
    assert_eq!(
        d("0 0/5 14 * 10 ? 2022/2 UTC"),
        "every 5 minutes, between 14:00 and 14:59 in October in every 2 years from 2022, UTC"
    );
    assert_eq!(
        d("* * * * * ?"),
        "every second, in the instance's system time zone"
    );
}

#[test]
fn matches_is_consistent() {
    let Frequency::Cron(c) = ok("0 15 10 ? * 6#3 Asia/Shanghai") else {
        panic!()
    };
    let t = chrono::NaiveDate::from_ymd_opt(2026, 12, 19)
        .unwrap()
        .and_hms_opt(10, 15, 0)
        .unwrap();
    assert!(c.matches(t));
    assert!(!c.matches(t + TimeDelta::days(7)));
}

#[test]
fn min_gap_is_measured_on_the_wall_clock_across_daylight_saving() {
    // Hourly at :01 in New York. On 2026-03-08 01:01 EST is followed by 03:00 EDT (02:01 does not
    // exist) and 03:01 EDT, one minute later in elapsed time; the schedule's gap is still an hour.
    let f = crate::parse("0 1 * * * ? America/New_York").unwrap();
    let from = chrono::DateTime::parse_from_rfc3339("2026-03-07T00:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert_eq!(f.min_gap(from), Some(std::time::Duration::from_secs(3600)));
    assert_eq!(
        f.searched_min_gap(from),
        Some(std::time::Duration::from_secs(60))
    );
    // Cross-day gaps: 23:00 then 01:00 the next day.
    let f = crate::parse("0 0 1,23 * * ?").unwrap();
    assert_eq!(f.min_gap(from), Some(std::time::Duration::from_secs(7200)));
    // Once a year: a year apart (the window is the year after the first firing, inclusive).
    let f = crate::parse("0 0 12 1 1 ?").unwrap();
    assert_eq!(
        f.min_gap(from),
        Some(std::time::Duration::from_secs(365 * 86400))
    );
    assert_eq!(f.min_gap(from), f.searched_min_gap(from));
    // A single firing has no gap.
    let f = crate::parse("0 0 12 1 1 ? 2027").unwrap();
    assert_eq!(f.min_gap(from), None);
}
