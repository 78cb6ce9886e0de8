//! One request file, in process: parsing alone (the floor) against the full check, per file,
//! on the valid fixtures (typical requests of every shape) and on a sample of request logs'
//! lines. Where the batch-audit ratio (issue 7: check at least 0.8 of the parse-only
//! throughput) is won or lost, without process start-up, walking or I/O.
//!
//! Run: `cargo bench -p runcommand-rules --bench request` (the valid fixtures), or with
//! `RUNCOMMAND_LINT_BENCH_CORPUS=target/bench/corpus/files` (2,000 files of the audit corpus).

use criterion::{Criterion, criterion_group, criterion_main};
use runcommand_document::Format;
use std::hint::black_box;

// The binary's allocator (`runcommand-lint` uses mimalloc): allocation is a good part of both
// parsing and checking.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The valid fixtures, or the first 2,000 files (in name order) of the directory tree named by
/// `RUNCOMMAND_LINT_BENCH_CORPUS` (e.g. `target/bench/corpus/files` from `bench/audit.sh`; a
/// relative path is taken from the workspace root, since cargo runs benches in the crate's
/// directory). Stops the bench when there is no file to read: timing an empty loop would say
/// nothing.
fn fixtures() -> Vec<(String, Vec<u8>, Format)> {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = match std::env::var_os("RUNCOMMAND_LINT_BENCH_CORPUS") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("fixtures/valid"),
    };
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p.display().to_string();
            if let Ok(bytes) = std::fs::read(&p) {
                out.push((name.clone(), bytes, Format::from_path(&name)));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.truncate(2000);
    assert!(
        !out.is_empty(),
        "no request file under {} (RUNCOMMAND_LINT_BENCH_CORPUS)",
        root.display()
    );
    out
}

fn bench(c: &mut Criterion) {
    let files = fixtures();
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
