//! One request file, in process: parsing alone (the floor) against the full check, per file,
//! on the valid fixtures (typical requests of every shape) and on a sample of request logs'
//! lines. Where the batch-audit ratio (issue 7: check at least 0.8 of the parse-only
//! throughput) is won or lost, without process start-up, walking or I/O.
//!
//! Run: `cargo bench -p runcommand-rules --bench request` (the valid fixtures), or with
//! `RUNCOMMAND_LINT_BENCH_CORPUS=target/bench/corpus/files` (2,000 files of the audit corpus).

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

// The binary's allocator (`runcommand-lint` uses mimalloc): allocation is a good part of both
// parsing and checking.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let files = common::files();
    let mut g = c.benchmark_group("request");
    g.bench_function("parse_only (floor, every valid fixture)", |b| {
        b.iter(|| {
            for (p, bytes, f) in &files {
                black_box(runcommand_rules::parse_only(p, bytes, *f));
            }
        })
    });
    g.bench_function("check (every valid fixture)", |b| {
        b.iter(|| {
            for (p, bytes, f) in &files {
                black_box(runcommand_rules::check_bytes(p, bytes, *f));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
