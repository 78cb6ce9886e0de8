//! What each rule costs, in process: the time per request file of parsing, of the request view,
//! of each rule run alone, and of the whole check, over the same files (the valid fixtures, or
//! 2,000 files of the audit corpus with `RUNCOMMAND_LINT_BENCH_CORPUS=target/bench/corpus/files`).
//! Where the batch-audit ratio (issue 7) is won or lost, rule by rule.
//!
//! Run: `cargo bench -p runcommand-rules --bench rules` (`ROUNDS=N`, default 25; `RULE=name`
//! times that rule only, e.g. under `perf record`). Each figure is
//! the median over the rounds of one pass over every file (each round times every row once, so
//! that the machine's noise falls on every row alike); rules are timed on freshly built
//! request views, so a rule pays for what it derives (a Base64 decode, a template scan) as if it
//! ran alone: the rules' sum is above their cost together ("request view + every rule"). "The
//! file's engine work" is the rest of a check: sorting, redaction, suppression comments, the
//! content test and the cross-request pass within the file.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use runcommand_document::{LoadOptions, LoadedFile, Node, Value};
use runcommand_rules::request::build;
use runcommand_rules::rules::RULES;

/// A rule's check function.
type RuleFn = fn(
    &runcommand_rules::request::Request<'_>,
    &runcommand_rules::Context<'_>,
    &mut Vec<runcommand_rules::Diagnostic>,
);

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The request nodes of a loaded file: each document, or each element of a top-level list
/// (OOS templates are left out: their steps are synthetic requests).
fn requests(loaded: &LoadedFile) -> Vec<&Node> {
    let mut out = Vec::new();
    for root in loaded.documents.iter().filter_map(|d| d.root.as_ref()) {
        match &root.value {
            Value::Seq(items) => out.extend(items.iter()),
            _ => out.push(root),
        }
    }
    out.retain(|n| !runcommand_rules::oos::is_template(n));
    out
}

/// Times every job once per round, round after round (so that noise from the machine falls on
/// every job alike), and gives each job's median.
fn medians(rounds: usize, jobs: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    for job in jobs.iter_mut() {
        job(); // warm-up
    }
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(rounds); jobs.len()];
    for _ in 0..rounds {
        for (job, t) in jobs.iter_mut().zip(times.iter_mut()) {
            let start = Instant::now();
            job();
            t.push(start.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort();
            t.get(t.len() / 2).copied().unwrap_or_default()
        })
        .collect()
}

fn main() {
    let ctx = runcommand_rules::Context::now();
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and runs once.
    let rounds = if std::env::args().any(|a| a == "--bench") {
        std::env::var("ROUNDS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(25)
    } else {
        1
    };
    let files = common::files();
    let max_depth = 256;
    let loaded: Vec<(&str, LoadedFile)> = files
        .iter()
        .map(|(p, b, f)| {
            (
                p.as_str(),
                runcommand_document::load(b, *f, LoadOptions { max_depth }),
            )
        })
        .collect();
    let nodes: Vec<(&str, Vec<&Node>)> = loaded
        .iter()
        .map(|(_, l)| (l.text.as_str(), requests(l)))
        .collect();
    let per_file = |d: Duration| d.as_secs_f64() * 1e6 / files.len() as f64;

    let mut parse = || {
        for (p, b, f) in &files {
            black_box(runcommand_rules::parse_only(p, b, *f));
        }
    };
    let mut check = || {
        for (p, b, f) in &files {
            black_box(runcommand_rules::check_bytes(p, b, *f));
        }
    };
    let mut together = || {
        let mut out = Vec::new();
        for (text, reqs) in &nodes {
            for (i, n) in reqs.iter().enumerate() {
                runcommand_rules::check_request(text, n, i, &ctx, &mut out);
                out.clear();
            }
        }
    };
    // Each rule alone on fresh request views, and last the same with a rule that does nothing:
    // the request view itself, timed the same way.
    fn nothing(
        _: &runcommand_rules::request::Request<'_>,
        _: &runcommand_rules::Context<'_>,
        _: &mut Vec<runcommand_rules::Diagnostic>,
    ) {
    }
    // `RULE=name` times that rule only (the others show 0), e.g. under a profiler.
    let only = std::env::var("RULE").ok();
    let checks: Vec<RuleFn> = RULES
        .iter()
        .map(|r| match &only {
            Some(name) if name != r.name => nothing as RuleFn,
            _ => r.check,
        })
        .chain([nothing as RuleFn])
        .collect();
    let mut alone: Vec<Box<dyn FnMut()>> = checks
        .into_iter()
        .map(|check| {
            let nodes = &nodes;
            Box::new(move || {
                let mut out = Vec::new();
                for (text, reqs) in nodes {
                    for (i, n) in reqs.iter().enumerate() {
                        if let Some(req) = build(text, n, i, &mut out).request {
                            check(black_box(&req), &ctx, &mut out);
                        }
                        out.clear();
                    }
                }
            }) as Box<dyn FnMut()>
        })
        .collect();
    // The trees are cold after a whole check: an untimed pass of the view warms them, so that
    // the jobs after it all start alike.
    let mut warm = || {
        let mut out = Vec::new();
        for (text, reqs) in &nodes {
            for (i, n) in reqs.iter().enumerate() {
                black_box(build(text, n, i, &mut out).request.is_some());
                out.clear();
            }
        }
    };
    let mut warm_again = warm;
    let mut jobs: Vec<&mut dyn FnMut()> = vec![
        &mut parse,
        &mut check,
        &mut warm,
        &mut together,
        &mut warm_again,
    ];
    jobs.extend(alone.iter_mut().map(|j| &mut **j as &mut dyn FnMut()));
    let t = medians(rounds, &mut jobs);
    let at = |i: usize| t.get(i).copied().unwrap_or_default();
    let (parse, check, together) = (at(0), at(1), at(3));
    let view = at(5 + RULES.len());
    let mut rows: Vec<(&str, Duration)> = RULES
        .iter()
        .enumerate()
        .map(|(i, rule)| (rule.name, at(5 + i).saturating_sub(view)))
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));

    let requests: usize = nodes.iter().map(|(_, r)| r.len()).sum();
    println!(
        "{} files, {requests} requests, median of {rounds} rounds; µs per file",
        files.len()
    );
    println!("{:<28} {:>8} {:>8}", "", "µs", "% parse");
    let row = |name: &str, d: Duration| {
        println!(
            "{name:<28} {:>8.2} {:>7.1}%",
            per_file(d),
            100.0 * d.as_secs_f64() / parse.as_secs_f64().max(1e-12)
        );
    };
    row("parse only (the floor)", parse);
    row("whole check", check);
    row("whole check - parse", check.saturating_sub(parse));
    row("request view + every rule", together);
    row("  request view", view);
    for (name, d) in &rows {
        row(&format!("  rule {name}"), *d);
    }
    let sum: Duration = rows.iter().map(|(_, d)| *d).sum();
    row("  sum of the rules alone", sum);
    row(
        "the file's engine work",
        check.saturating_sub(parse).saturating_sub(together),
    );
}
