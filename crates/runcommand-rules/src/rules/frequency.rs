//! The `Frequency` schedule (decisions.md §3 "rate", "at", "cron", "Time zones"), parsed by
//! `runcommand-frequency`; every finding is underlined at the part of the expression at fault
//! (mapped through the scalar's source map).
//!
//! - Bad syntax, a value out of range, 5 or 8+ cron fields, `?` outside the day fields, a year
//!   above 2099, a bad time zone → `InvalidParam.Frequency` with the parser's precise message
//!   (and its suggested replacement as a fix where it has one).
//! - `rate(...)`: an interval outside 60 s..7 days, or not strictly longer than `Timeout`
//!   (default 60) → `InvalidParam.Frequency`.
//! - `at(...)`: a time not after now → `Lint.ScheduleExpired` (warning: the API may accept it,
//!   the agent reports `AtExpressionExpired`).
//! - cron: no firing after now (bounded search up to 2099) → `InvalidParam.Frequency`; the
//!   smallest gap between consecutive firings (over the next year of firings or the next 1000)
//!   below max(10 s, Timeout) → `InvalidParam.Frequency`; both day fields restricted →
//!   `Lint.CronDayConflict` (warning; the agent fires on days matching either field).
//! - rate, at, a cron year or a cron time zone → `Lint.AgentVersion` (info): the agent must be
//!   Linux 2.2.3.282 / Windows 2.1.3.282 or later.
//!
//! "Now" is the time of the check; a cron expression without a time zone is evaluated in UTC for
//! these checks (the instance's zone is unknown offline; gaps and expiry do not depend on it
//! except around daylight-saving changes).
//!
//! Requests repeat their schedules (a repository of nightly jobs, a log of the same automation),
//! and evaluating a cron expression is the costliest check of a request: each thread keeps the
//! findings of the last expressions it evaluated, keyed by the expression, the Timeout and the
//! minute of "now" (so a long-running editor session never sees stale results). "Now" is
//! therefore the start of the current minute, for every expression alike, and the cache never
//! changes a finding.

use chrono::{DateTime, Utc};
use runcommand_catalog::code;
use runcommand_catalog::limits::{
    CRON_MIN_GAP_SECONDS, RATE_MAX_SECONDS, RATE_MIN_SECONDS, TIMEOUT_DEFAULT,
};
use runcommand_catalog::param;
use runcommand_frequency::{Frequency, parse};

use super::{Rule, map};
use crate::Context;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::request::{Request, Text};

pub(super) const RULE: Rule = Rule {
    name: "frequency",
    codes: &[
        code::INVALID_PARAM_FREQUENCY,
        code::LINT_SCHEDULE_EXPIRED,
        code::LINT_CRON_DAY_CONFLICT,
        code::LINT_AGENT_VERSION,
    ],
    check,
};

/// A human duration: `90 s`, `5 min`, `2 h 30 min`, `3 d`.
pub fn human_duration(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} d"));
    }
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 {
        parts.push(format!("{m} min"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}

/// The findings for one expression, with spans relative to the expression. Shared by the rule
/// (which maps them into the file) and by `runcommand-lint schedule`.
pub fn check_expression(
    expr: &str,
    timeout: i64,
    now: DateTime<Utc>,
) -> (Option<Frequency>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let f = match parse(expr) {
        Ok(f) => f,
        Err(errors) => {
            for e in errors {
                let mut d = Diagnostic::new(
                    code::INVALID_PARAM_FREQUENCY,
                    e.span.clone(),
                    e.message.clone(),
                )
                .param("Frequency");
                if e.inferred {
                    d = d.inferred();
                }
                if let Some(s) = &e.suggestion {
                    let title = if s.is_empty() {
                        "Remove it".to_owned()
                    } else {
                        format!("Replace with `{s}`")
                    };
                    d = d.help(title.clone()).fix(Fix {
                        title,
                        span: e.span.clone(),
                        replacement: s.clone(),
                        safe: false,
                    });
                }
                out.push(d);
            }
            return (None, out);
        }
    };
    let whole = 0..expr.len();
    let timeout_secs = u64::try_from(timeout.max(0)).unwrap_or(0);
    match &f {
        Frequency::Rate(r) => {
            let secs = r.interval_secs();
            let (min, max) = (
                u64::try_from(RATE_MIN_SECONDS).unwrap_or(60),
                u64::try_from(RATE_MAX_SECONDS).unwrap_or(604_800),
            );
            if secs < min || secs > max {
                out.push(
                    Diagnostic::new(
                        code::INVALID_PARAM_FREQUENCY,
                        r.span.clone(),
                        format!(
                            "a rate interval must be between 60 seconds and 7 days, found {}",
                            human_duration(secs)
                        ),
                    )
                    .param("Frequency"),
                );
            } else if secs <= timeout_secs {
                out.push(
                    Diagnostic::new(
                        code::INVALID_PARAM_FREQUENCY,
                        r.span.clone(),
                        format!(
                            "the rate interval ({}) must be longer than Timeout ({})",
                            human_duration(secs),
                            human_duration(timeout_secs)
                        ),
                    )
                    .param("Frequency")
                    .help("lengthen the interval or shorten Timeout"),
                );
            }
        }
        Frequency::At(a) => {
            if a.instant <= now {
                out.push(
                    Diagnostic::new(
                        code::LINT_SCHEDULE_EXPIRED,
                        a.span.clone(),
                        format!(
                            "this time ({} UTC) has passed: the task will never run",
                            a.instant.format("%Y-%m-%d %H:%M:%S")
                        ),
                    )
                    .param("Frequency"),
                );
            }
        }
        Frequency::Cron(c) => {
            if let Some(span) = c.day_conflict() {
                out.push(
                    Diagnostic::new(
                        code::LINT_CRON_DAY_CONFLICT,
                        span,
                        "both day-of-month and day-of-week are restricted: the task fires on days matching either",
                    )
                    .param("Frequency")
                    .help("set one of the two day fields to `?`"),
                );
            }
            if !f.has_future_firing(now) {
                out.push(
                    Diagnostic::new(
                        code::INVALID_PARAM_FREQUENCY,
                        whole.clone(),
                        "this cron expression never fires again (searched up to the end of 2099)",
                    )
                    .param("Frequency"),
                );
            } else if let Some(gap) = f.min_gap(now) {
                let floor = u64::try_from(CRON_MIN_GAP_SECONDS)
                    .unwrap_or(10)
                    .max(timeout_secs);
                let gap = gap.as_secs();
                if gap < floor {
                    let why = if timeout_secs > u64::try_from(CRON_MIN_GAP_SECONDS).unwrap_or(10) {
                        format!("Timeout ({})", human_duration(timeout_secs))
                    } else {
                        "10 seconds".to_owned()
                    };
                    out.push(
                        Diagnostic::new(
                            code::INVALID_PARAM_FREQUENCY,
                            whole.clone(),
                            format!(
                                "firings can be {} apart; the interval must be at least {why}",
                                human_duration(gap)
                            ),
                        )
                        .param("Frequency"),
                    );
                }
            }
        }
    }
    if f.needs_new_agent() {
        let what = match &f {
            Frequency::Rate(_) => "a rate expression",
            Frequency::At(_) => "an at expression",
            Frequency::Cron(c) if c.year.is_some() && c.zone.is_some() => {
                "a cron year and time zone"
            }
            Frequency::Cron(c) if c.year.is_some() => "a cron year",
            Frequency::Cron(_) => "a cron time zone",
        };
        out.push(
            Diagnostic::new(
                code::LINT_AGENT_VERSION,
                whole,
                format!(
                    "this schedule uses {what}, which needs the Cloud Assistant agent 2.2.3.282 (Linux) / 2.1.3.282 (Windows) or later"
                ),
            )
            .param("Frequency")
            .severity(Severity::Info)
            .help("older agents report ClientNeedUpgrade"),
        );
    }
    (Some(f), out)
}

fn check(req: &Request<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(text) = req.str(param::FREQUENCY) else {
        return;
    };
    if text.value.trim().is_empty() {
        return; // MissingParam.Frequency when Period needs it (schedule-mode).
    }
    let timeout = req.int(param::TIMEOUT).map_or(TIMEOUT_DEFAULT, |(t, _)| t);
    let found = cached(text.value, timeout, ctx.now);
    out.extend(found.into_iter().map(|d| into_file(req, &text, d)));
}

/// How many expressions each thread remembers (the cache is emptied when full).
const CACHE_SIZE: usize = 512;

type CacheKey = (String, i64, i64);

thread_local! {
    static CACHE: std::cell::RefCell<std::collections::HashMap<CacheKey, Vec<Diagnostic>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// [`check_expression`]'s findings, remembered per thread for the same expression, Timeout and
/// minute of `now`.
fn cached(expr: &str, timeout: i64, now: DateTime<Utc>) -> Vec<Diagnostic> {
    let minute = now.timestamp().div_euclid(60);
    let now = DateTime::from_timestamp(minute * 60, 0).unwrap_or(now);
    let key = (expr.to_owned(), timeout, minute);
    let hit = CACHE.with(|c| c.try_borrow().ok().and_then(|c| c.get(&key).cloned()));
    if let Some(found) = hit {
        return found;
    }
    let (_, found) = check_expression(expr, timeout, now);
    CACHE.with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            if c.len() >= CACHE_SIZE {
                c.clear();
            }
            c.insert(key, found.clone());
        }
    });
    found
}

/// Maps a diagnostic on the expression into the file.
fn into_file(req: &Request<'_>, text: &Text<'_>, mut d: Diagnostic) -> Diagnostic {
    d.span = map(req, text, d.span.clone());
    if let Some(fix) = &mut d.fix {
        fix.span = map(req, text, fix.span.clone());
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_gives_what_the_evaluation_gives_at_the_minute() {
        let now: DateTime<Utc> = "2026-11-28T10:20:35Z".parse().unwrap();
        let minute: DateTime<Utc> = "2026-11-28T10:20:00Z".parse().unwrap();
        for expr in [
            "0 0 2 * * ?",
            "0/5 * * * * ?",
            "rate(30s)",
            "at(2026-11-28 10:20:10 UTC)",
            "0 0 0 30 2 ?",
            "bad",
        ] {
            for timeout in [60, 3600] {
                let direct = check_expression(expr, timeout, minute).1;
                assert_eq!(cached(expr, timeout, now), direct, "{expr}");
                // Served from the cache the second time, the same.
                assert_eq!(cached(expr, timeout, now), direct, "{expr}");
            }
        }
        // Another minute is another entry: the at-time has passed by then.
        let later: DateTime<Utc> = "2026-11-28T10:21:05Z".parse().unwrap();
        let before = cached("at(2026-11-28 10:20:30 UTC)", 60, now);
        let after = cached("at(2026-11-28 10:20:30 UTC)", 60, later);
        assert_ne!(before, after);
    }

    #[test]
    fn durations() {
        assert_eq!(human_duration(0), "0 s");
        assert_eq!(human_duration(90), "1 min 30 s");
        assert_eq!(human_duration(86400 * 7), "7 d");
    }

    fn codes(expr: &str, timeout: i64) -> Vec<(&'static str, std::ops::Range<usize>)> {
        let now = DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        check_expression(expr, timeout, now)
            .1
            .into_iter()
            .map(|d| (d.code.as_str(), d.span))
            .collect()
    }

    #[test]
    fn every_decided_case() {
        // The `25` in `0 15 25 * * ?`.
        assert_eq!(
            codes("0 15 25 * * ?", 60),
            vec![("InvalidParam.Frequency", 5..7)]
        );
        assert_eq!(codes("0 15 10 * *", 60)[0].0, "InvalidParam.Frequency");
        assert_eq!(codes("0 ? 10 * * ?", 60)[0].0, "InvalidParam.Frequency");
        assert_eq!(codes("rate(30s)", 10)[0].0, "InvalidParam.Frequency");
        assert_eq!(codes("rate(8d)", 10)[0].0, "InvalidParam.Frequency");
        assert_eq!(codes("rate(1m)", 60)[0].0, "InvalidParam.Frequency");
        assert_eq!(codes("rate(2m)", 60), vec![("Lint.AgentVersion", 0..8)]);
        assert_eq!(
            codes("0/5 * * * * ?", 60),
            vec![("InvalidParam.Frequency", 0..13)]
        );
        assert_eq!(codes("0/5 * * * * ?", 5)[0].0, "InvalidParam.Frequency");
        assert!(codes("0/10 * * * * ?", 5).is_empty());
        assert!(codes("0 0/2 * * * ?", 120).is_empty());
        assert_eq!(codes("0 0/2 * * * ?", 121)[0].0, "InvalidParam.Frequency");
        assert_eq!(codes("0 0 0 1 1 ? 2025", 60)[0].0, "InvalidParam.Frequency");
        assert_eq!(codes("0 0 0 30 2 ?", 60)[0].0, "InvalidParam.Frequency");
        assert_eq!(codes("0 0 10 15 * MON", 60)[0].0, "Lint.CronDayConflict");
        assert_eq!(
            codes("at(2020-01-01 00:00:00)", 60)[0].0,
            "Lint.ScheduleExpired"
        );
        assert_eq!(
            codes("at(2030-01-01 00:00:00)", 60),
            vec![("Lint.AgentVersion", 0..23)]
        );
        assert_eq!(
            codes("0 0 10 * * ? Asia/Shangai", 60)[0].0,
            "InvalidParam.Frequency"
        );
        assert_eq!(
            codes("0 0 10 * * ? GMT+08:00", 60)[0].0,
            "InvalidParam.Frequency"
        );
        assert!(codes("0 15 10 ? * 6#3", 60).is_empty());
    }
}
