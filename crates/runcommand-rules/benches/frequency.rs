//! Parse plus validity check (including the smallest gap and the future-firing search) of typical
//! `Frequency` expressions, against parsing alone as the baseline measured in the same run.
//! Target (issue 3): under 20 µs per expression.
//!
//! Run: `cargo bench -p runcommand-rules --bench frequency`

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use runcommand_rules::rules::frequency::check_expression;
use std::hint::black_box;

const TYPICAL: &[&str] = &[
    "0 0 2 * * ?",
    "0 */20 * * * ?",
    "0 15 10 ? * 6#3 Asia/Shanghai",
    "0 0/30 10-11 * * ? 2099 GMT+8:00",
    "0 15 10 L * ?",
    "0 0 9-17 ? * MON-FRI Europe/Berlin",
    "rate(5m)",
    "at(2099-06-06 13:15:30 Asia/Shanghai)",
];

fn bench(c: &mut Criterion) {
    let now: DateTime<Utc> = "2026-11-28T00:00:00Z"
        .parse()
        .unwrap_or_else(|_| Utc::now());
    let mut g = c.benchmark_group("frequency");
    g.bench_function("parse_only (baseline, 8 expressions)", |b| {
        b.iter(|| {
            for e in TYPICAL {
                black_box(runcommand_frequency::parse(black_box(e)).is_ok());
            }
        })
    });
    g.bench_function("parse_and_check (8 expressions)", |b| {
        b.iter(|| {
            for e in TYPICAL {
                black_box(check_expression(black_box(e), 60, now).1.len());
            }
        })
    });
    for e in TYPICAL {
        g.bench_function(format!("parse_and_check {e}"), |b| {
            b.iter(|| black_box(check_expression(black_box(e), 60, now).1.len()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
