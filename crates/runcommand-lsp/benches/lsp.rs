//! Time from a change to published diagnostics for a 1,000-line request file (issue 5 target:
//! under 5 ms), against parsing the same file as the baseline measured in the same run.
//!
//! - `parse_only`: `runcommand_document::load` of the file (the baseline);
//! - `check_bytes`: the engine alone;
//! - `handler`: what the server does for a `didChange` once the debounce delay has passed:
//!   apply a one-character incremental edit, lint, convert to LSP diagnostics;
//! - `roundtrip`: a real `didChange` written to the server over a pipe until its
//!   `publishDiagnostics` is read back, with `debounceMs: 0` (the debounce delay excluded: with 0
//!   the server lints on each change instead of waiting), JSON on both sides included; once with
//!   `shellcheck: false` and once with ShellCheck's complete lint running in the background (the
//!   fast publish of each version is what is timed).
//!
//! After criterion's report, a summary prints the medians and the ratios to the baseline.
//! Run: `cargo bench -p runcommand-lsp --bench lsp`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::hint::black_box;
use std::io::{BufReader, Write};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};
use runcommand_document::{Format, LoadOptions};
use runcommand_lsp::transport::{Frame, FrameReader};
use runcommand_lsp::{Document, Encoding};
use serde_json::json;

const LINES: usize = 1000;
const URI: &str = "file:///bench/requests/big.yaml";

/// A 1,000-line request: every parameter, a long script, and a few findings.
fn request() -> String {
    let head = "RegionId: cn-shanghai\nName: nightly-cleanup\nDescription: Remove old logs\nType: RunShellScript\nWorkingDir: /home/admin\nTimeout: 600\nEnableParameter: true\nRepeatMode: Period\nFrequency: 0 0 2 * * ?\nKeepCommand: false\nContentEncoding: PlainText\nUsername: admin\nInstanceId:\n  - i-bp185dy2o3o6neg1234\n  - i-bp185dy2o3o6neg5678\nTag:\n  - Key: team\n    Value: platform\nParameters:\n  dir: /var/log/app\nTimed: true\nTimout: 30\nCommandContent: |\n  #!/bin/bash\n";
    let tail = "TerminationMode: ProcessTree\nLauncher: bash\n";
    let mut s = String::from(head);
    let have = s.lines().count() + tail.lines().count();
    for i in 0..LINES - have {
        s.push_str(&format!(
            "  find {{{{dir}}}}/part{i} -name '*.log' -mtime +7 -delete # step {i}\n"
        ));
    }
    s.push_str(tail);
    s
}

/// A one-character replacement on a script line, alternating `a`/`b` so the text stays the same
/// size.
fn change(i: u64) -> TextDocumentContentChangeEvent {
    let line = 500;
    TextDocumentContentChangeEvent {
        range: Some(Range::new(Position::new(line, 2), Position::new(line, 3))),
        range_length: None,
        text: if i.is_multiple_of(2) { "f" } else { "g" }.into(),
    }
}

fn bench(c: &mut Criterion) {
    let text = request();
    assert_eq!(text.lines().count(), LINES);
    let mut g = c.benchmark_group("lsp_1000_lines");
    g.bench_function("parse_only (baseline)", |b| {
        b.iter(|| {
            black_box(runcommand_document::load(
                black_box(text.as_bytes()),
                Format::Yaml,
                LoadOptions::default(),
            ))
        })
    });
    g.bench_function("check_bytes (engine)", |b| {
        b.iter(|| {
            black_box(runcommand_rules::check_bytes(
                "big.yaml",
                black_box(text.as_bytes()),
                Format::Yaml,
            ))
        })
    });
    let mut doc = new_doc(&text);
    let mut i = 0u64;
    g.bench_function("handler (change + lint + diagnostics)", |b| {
        b.iter(|| {
            i += 1;
            handler(&mut doc, i)
        })
    });
    let mut server = Server::start(&text, false);
    g.bench_function(
        "roundtrip (didChange to publishDiagnostics, debounce 0)",
        |b| b.iter(|| server.roundtrip()),
    );
    g.finish();
    server.stop();
}

fn new_doc(text: &str) -> Document {
    let uri: Uri = URI.parse().unwrap();
    Document::new(uri, "yaml", 1, text.to_owned())
}

fn handler(doc: &mut Document, i: u64) -> usize {
    doc.apply_changes(&[change(i)], Encoding::Utf16);
    doc.lsp_diagnostics(
        &[],
        &runcommand_rules::Engine::default(),
        None,
        Encoding::Utf16,
    )
    .len()
}

/// The server on a thread, over pipes, with a document open.
struct Server {
    to: std::io::PipeWriter,
    from: FrameReader<BufReader<std::io::PipeReader>>,
    version: i32,
    thread: std::thread::JoinHandle<std::io::Result<i32>>,
}

impl Server {
    fn start(text: &str, shellcheck: bool) -> Server {
        let (in_r, in_w) = std::io::pipe().unwrap();
        let (out_r, out_w) = std::io::pipe().unwrap();
        let thread = std::thread::spawn(move || runcommand_lsp::run(in_r, out_w));
        let mut s = Server {
            to: in_w,
            from: FrameReader::new(BufReader::new(out_r)),
            version: 1,
            thread,
        };
        s.send(&json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"capabilities": {}, "initializationOptions": {"debounceMs": 0, "shellcheck": shellcheck}}}));
        s.read_until(|v| v["id"] == 1);
        s.send(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": URI, "languageId": "yaml", "version": 1, "text": text}}}),
        );
        s.read_until(|v| v["method"] == "textDocument/publishDiagnostics");
        s
    }

    fn send(&mut self, v: &serde_json::Value) {
        let body = v.to_string();
        let _ = write!(self.to, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = self.to.flush();
    }

    fn read_until(&mut self, want: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        loop {
            match self.from.next_frame() {
                Ok(Some(Frame::Body(b))) => {
                    let v: serde_json::Value = serde_json::from_slice(&b).unwrap_or_default();
                    if want(&v) {
                        return v;
                    }
                }
                _ => panic!("the server stopped"),
            }
        }
    }

    fn roundtrip(&mut self) -> usize {
        self.version += 1;
        let c = change(self.version as u64);
        self.send(
            &json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": self.version},
            "contentChanges": [c]}}),
        );
        // This version's first publish (a late ShellCheck publish of an older one is skipped).
        let version = self.version;
        let v = self.read_until(|v| {
            v["method"] == "textDocument/publishDiagnostics" && v["params"]["version"] == version
        });
        v["params"]["diagnostics"].as_array().map_or(0, Vec::len)
    }

    fn stop(mut self) {
        self.send(&json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
        self.read_until(|v| v["id"] == 2);
        self.send(&json!({"jsonrpc": "2.0", "method": "exit"}));
        let _ = self.thread.join();
    }
}

/// Median of `n` timed runs of `f`.
fn median(n: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times.get(n / 2).copied().unwrap_or_default()
}

fn summary() {
    let text = request();
    let n = 200;
    let parse = median(n, || {
        black_box(runcommand_document::load(
            text.as_bytes(),
            Format::Yaml,
            LoadOptions::default(),
        ));
    });
    let engine = median(n, || {
        black_box(runcommand_rules::check_bytes(
            "big.yaml",
            text.as_bytes(),
            Format::Yaml,
        ));
    });
    let mut doc = new_doc(&text);
    let mut i = 0;
    let handle = median(n, || {
        i += 1;
        black_box(handler(&mut doc, i));
    });
    let mut server = Server::start(&text, false);
    let round = median(n, || {
        black_box(server.roundtrip());
    });
    server.stop();
    // With ShellCheck found, the complete lint runs on a worker thread after each publish: the
    // typing path is the same, on a machine that ShellCheck keeps busy meanwhile.
    let with_shellcheck = runcommand_shellcheck::ShellCheck::find(None).is_ok();
    let mut server = Server::start(&text, true);
    let round_sc = median(n, || {
        black_box(server.roundtrip());
    });
    server.stop();
    let ratio = |d: Duration| d.as_secs_f64() / parse.as_secs_f64().max(1e-12);
    println!(
        "\nsummary: 1,000-line request, medians of {n} runs (target: change to diagnostics < 5 ms)"
    );
    println!("  parse_only (baseline)           {parse:>10.2?}  1.00x");
    println!(
        "  check_bytes (engine)            {engine:>10.2?}  {:.2}x",
        ratio(engine)
    );
    println!(
        "  handler (change+lint+convert)   {handle:>10.2?}  {:.2}x",
        ratio(handle)
    );
    println!(
        "  roundtrip (didChange→publish)   {round:>10.2?}  {:.2}x",
        ratio(round)
    );
    println!(
        "  roundtrip, ShellCheck {:<9} {round_sc:>10.2?}  {:.2}x",
        if with_shellcheck {
            "running"
        } else {
            "missing"
        },
        ratio(round_sc)
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test" || a == "--list") {
        summary();
    }
}
