//! Differential test against the `croner` crate on the expressions both read the same way.
//!
//! croner is configured with seconds required, an optional year, POSIX weekdays (1 = Monday ..
//! 6 = Saturday, 0/7 = Sunday), OR-ed day fields and sloppy ranges (for `0/5`); it reads `?` as
//! `*`. Only UTC and fixed offsets are compared: croner's DST rules differ (it fires interval
//! jobs on both halves of a repeated hour).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::{DateTime, FixedOffset, Utc};
use common::{Gen, cron_expr};
use croner::parser::{CronParser, Seconds, Year};
use proptest::prelude::*;
use runcommand_frequency::{Frequency, Zone, parse};

const ZONES: &[&str] = &["UTC", "GMT+8:00", "GMT-5:00", "GMT+5:45"];

fn croner_parser() -> CronParser {
    CronParser::builder()
        .seconds(Seconds::Required)
        .year(Year::Optional)
        .dom_and_dow(false)
        .alternative_weekdays(false)
        .sloppy_ranges(true)
        .build()
}

/// The fields of the expression (without its zone), for croner.
fn fields_only(f: &Frequency, expr: &str) -> String {
    let Frequency::Cron(c) = f else {
        panic!("not cron")
    };
    let end = c.fields().last().unwrap().span.end;
    expr[..end].to_string()
}

fn offset_of(zone: Zone) -> FixedOffset {
    match zone {
        Zone::Utc => FixedOffset::east_opt(0).unwrap(),
        Zone::Fixed(off) => off,
        Zone::Iana(_) => panic!("fixed zones only"),
    }
}

fn compare(expr: &str, from: DateTime<Utc>, n: usize) -> Result<(), TestCaseError> {
    let f = parse(expr).unwrap();
    let off = offset_of(f.zone());
    let cron = croner_parser()
        .parse(&fields_only(&f, expr))
        .map_err(|e| TestCaseError::fail(format!("croner rejects {expr}: {e}")))?;
    let ours = f.next_firings(from, n);
    let limit: DateTime<Utc> = DateTime::parse_from_rfc3339("2099-12-31T23:59:59Z")
        .unwrap()
        .to_utc();
    let mut theirs = Vec::new();
    let mut cursor = from.with_timezone(&off);
    while theirs.len() < n {
        match cron.find_next_occurrence(&cursor, false) {
            Ok(t) if t.to_utc() <= limit => {
                theirs.push(t.to_utc());
                cursor = t;
            }
            // croner gives up on long searches; compare what it found.
            Ok(_) | Err(_) => break,
        }
    }
    if theirs.len() < n {
        prop_assert!(
            ours.starts_with(&theirs),
            "{expr} from {from}: ours {ours:?} croner {theirs:?}"
        );
    } else {
        prop_assert_eq!(&ours, &theirs, "{} from {}", expr, from);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn agrees_with_croner(
        expr in cron_expr(Gen { croner: true, zones: ZONES }),
        secs in 1_700_000_000i64..2_000_000_000,
    ) {
        compare(&expr, DateTime::from_timestamp(secs, 0).unwrap(), 8)?;
    }
}

#[test]
fn doc_examples_agree_with_croner() {
    let from = DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z")
        .unwrap()
        .to_utc();
    for expr in [
        "0 15 10 ? * *",
        "0 15 10 * * ?",
        "0 0 12 * * ?",
        "0 0 10,14,16 * * ?",
        "0 0/30 9-17 * * ?",
        "0 * 14 * * ?",
        "0 0-5 14 * * ?",
        "0 0/5 14 * * ?",
        "0 0/5 14,18 * * ?",
        "0 0 12 ? * WED",
        "0 15 10 15 * ?",
        "0 15 10 L * ?",
        "0 15 10 ? * 6L",
        "0 15 10 ? * 6#3",
        "0 10,44 14 ? 3 WED",
        "0 0/30 10-11 * * ? 2027 GMT+8:00",
        "0 0/5 14 * 10 ? 2022/2 UTC",
        "0 0 9 LW * ?",
        "0 0 9 15W * ?",
        "0 0 8 1 * FRI",
    ] {
        compare(expr, from, 30).unwrap();
    }
}
