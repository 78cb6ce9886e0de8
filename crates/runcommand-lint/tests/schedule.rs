#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! `runcommand-lint schedule`: validity with the same diagnostics as `check`, plain-English
//! meaning, next firings in the zone and in UTC, smallest gap; reproducible with `--from`.

mod common;

use common::{json, run};

const FROM: &str = "2026-11-28T00:00:00Z";

fn schedule(expr: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["schedule", expr, "--from", FROM, "--format", "json"];
    args.extend_from_slice(extra);
    json(&run(&args))
}

#[test]
fn third_saturday_in_shanghai_first_fires_on_december_19() {
    let out = run(&["schedule", "0 15 10 ? * 6#3 Asia/Shanghai", "--from", FROM]);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("Meaning: at 10:15:00 on the third Saturday of every month, Asia/Shanghai"),
        "{s}"
    );
    assert!(
        s.contains("  2026-12-19T10:15:00+08:00  |  2026-12-19T02:15:00Z\n"),
        "{s}"
    );
    assert!(s.contains("Smallest gap: 28 d"), "{s}");
    let v = schedule("0 15 10 ? * 6#3 Asia/Shanghai", &[]);
    assert_eq!(v["firings"][0]["local"], "2026-12-19T10:15:00+08:00");
    assert_eq!(v["firings"][1]["local"], "2027-01-16T10:15:00+08:00");
    assert_eq!(v["firings"].as_array().unwrap().len(), 5);
}

#[test]
fn the_documentation_cron_table_with_next_firings() {
    // constraints §3.3: the documentation's example table, plus the year and zone examples.
    let table = [
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
        "0 15 10 ? * * 2099 Asia/Shanghai",
        "0 0/30 10-11 * * ? 2099 GMT+8:00",
        "0 0/5 14 * 10 ? 2098/2 UTC",
    ];
    let mut all = serde_json::Map::new();
    for expr in table {
        let v = schedule(expr, &["--count", "3", "--timeout", "10"]);
        assert_eq!(v["valid"], true, "{expr}: {v:#}");
        let summary = serde_json::json!({
            "description": v["description"],
            "firings": v["firings"],
            "smallest_gap_seconds": v["smallest_gap_seconds"],
        });
        all.insert(expr.to_owned(), summary);
    }
    insta::assert_json_snapshot!("documentation_cron_table", all);
}

#[test]
fn invalid_expressions_give_check_diagnostics_and_exit_1() {
    let out = run(&[
        "schedule",
        "0 15 25 * * ?",
        "--from",
        FROM,
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["valid"], false);
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "InvalidParam.Frequency");
    assert_eq!(d["http_status"], 400);
    assert_eq!(d["message"], "hour must be 0-23");
    assert_eq!(d["range"]["start"]["column"], 6);
    assert_eq!(d["range"]["end"]["column"], 8);
    // The same finding as `check` gives for the same value.
    let out = run(&[
        "check",
        "--format",
        "json",
        "fixtures/invalid/frequency.yaml",
    ]);
    let c = json(&out);
    assert_eq!(c["diagnostics"][0]["message"], "hour must be 0-23");
}

#[test]
fn rate_needs_a_longer_interval_than_the_timeout() {
    let v = schedule("rate(5m)", &["--timeout", "300"]);
    assert_eq!(v["valid"], false);
    let v = schedule("rate(5m)", &["--timeout", "299"]);
    assert_eq!(v["valid"], true);
    assert_eq!(v["smallest_gap_seconds"], 300);
    assert_eq!(v["firings"][0]["utc"], "2026-11-28T00:05:00Z");
}

#[test]
fn a_schedule_that_never_fires_is_invalid_and_lists_nothing() {
    let v = schedule("0 0 0 30 2 ?", &[]);
    assert_eq!(v["valid"], false);
    assert!(v["firings"].as_array().unwrap().is_empty());
    assert!(
        v["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("never fires")
    );
}

#[test]
fn bad_from_is_a_usage_error() {
    assert_eq!(
        run(&["schedule", "rate(5m)", "--from", "yesterday"])
            .status
            .code(),
        Some(2)
    );
}

/// A schedule in UTC gets one column of times; an `at` in the past is accepted by the API with a
/// warning but never runs, so it is not valid here.
#[test]
fn utc_in_one_column_and_a_past_at_is_not_valid() {
    let out = common::run(&[
        "schedule",
        "rate(5m)",
        "--count",
        "2",
        "--from",
        "2026-12-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("Next 2 firings after 2026-12-01T00:00:00Z (UTC):\n  2026-12-01T00:05:00Z\n"),
        "{s}"
    );
    assert!(!s.contains("Z  |  "), "{s}");
    let out = common::run(&[
        "schedule",
        "at(2020-01-01 00:00:00)",
        "--from",
        "2026-12-01T00:00:00Z",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("Valid: no"), "{s}");
    assert!(s.contains("Lint.ScheduleExpired"), "{s}");
}
