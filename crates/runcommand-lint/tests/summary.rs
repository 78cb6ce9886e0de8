#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The end of a human run (the summary table) and the progress bar: shown on a terminal for a
//! human run, never otherwise.

mod common;

use std::path::Path;
use std::process::Command;

use common::run_in;

const BAD: &str = "RegionId: cn-hangzhou\nType: RunShell\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\nTimeout: 90000\n";
const WARN: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\nTimeout: 90000\n";
const VALID: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

fn tree(d: &Path, files: usize) {
    std::fs::create_dir_all(d.join("reqs")).unwrap();
    for i in 0..files {
        let text = match i % 3 {
            0 => BAD,
            1 => WARN,
            _ => VALID,
        };
        std::fs::write(d.join(format!("reqs/r{i:04}.yaml")), text).unwrap();
    }
}

#[test]
fn a_human_run_ends_with_a_table_by_code_and_severity() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path(), 6);
    let out = run_in(tmp.path(), &["check", "--color", "never", "reqs"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    let tail: Vec<&str> = text.lines().rev().take(6).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    assert_eq!(tail[0], "Summary", "{text}");
    assert_eq!(
        tail[1].split_whitespace().collect::<Vec<_>>(),
        ["code", "severity", "count"]
    );
    // Most frequent first: 4 Timeout warnings (an inferred bound), then 2 type errors.
    assert_eq!(
        tail[2].split_whitespace().collect::<Vec<_>>(),
        ["InvalidTimeout.ExceedLimit", "warning", "4"]
    );
    assert_eq!(
        tail[3].split_whitespace().collect::<Vec<_>>(),
        ["InvalidCmdType.NotFound", "error", "2"]
    );
    assert!(
        tail[4].starts_with("  files checked: 6, with errors: 2; requests: 6; time: "),
        "{text}"
    );
    assert!(tail[4].ends_with(" s"), "{text}");
    assert!(
        text.ends_with("2 error(s), 4 warning(s) in 6 files (6 requests)\n"),
        "{text}"
    );
    // A clean run has no table, only the counts.
    std::fs::remove_dir_all(tmp.path().join("reqs")).unwrap();
    std::fs::create_dir(tmp.path().join("reqs")).unwrap();
    std::fs::write(tmp.path().join("reqs/ok.yaml"), VALID).unwrap();
    let out = run_in(tmp.path(), &["check", "--color", "never", "reqs"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("Summary"), "{text}");
    assert!(
        text.contains("files checked: 1, with errors: 0; requests: 1"),
        "{text}"
    );
}

#[test]
fn machine_formats_have_no_table_and_nothing_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    tree(tmp.path(), 3);
    for format in ["json", "json-lines", "concise", "sarif", "github"] {
        let out = run_in(tmp.path(), &["check", "--format", format, "reqs"], None);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.contains("files checked"), "{format}: {text}");
        assert!(out.stderr.is_empty(), "{format}: {:?}", out.stderr);
    }
}

/// Runs the binary with its standard error on a terminal (a pseudo-terminal from `script`) and
/// standard output in a file; returns what reached the terminal.
fn on_a_terminal(dir: &Path, args: &str) -> String {
    let bin = env!("CARGO_BIN_EXE_runcommand-lint");
    let out = Command::new("script")
        .args(["-q", "-e", "-c"])
        .arg(format!("{bin} {args} > out.txt"))
        .arg("/dev/null")
        .current_dir(dir)
        .env("RUNCOMMAND_LINT_PROGRESS_DELAY_MS", "0")
        .env("TERM", "xterm")
        .output()
        .expect("`script` (util-linux) runs a command on a pseudo-terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_progress_bar_shows_on_a_terminal_for_human_runs_only() {
    let tmp = tempfile::tempdir().unwrap();
    // Several batches, so that the bar is drawn between them.
    tree(tmp.path(), 3000);
    let tty = on_a_terminal(tmp.path(), "check --color never reqs");
    assert!(tty.contains("files/s"), "{tty:?}");
    assert!(tty.contains("ETA"), "{tty:?}");
    // The findings went to standard output, untouched by the bar.
    let text = std::fs::read_to_string(tmp.path().join("out.txt")).unwrap();
    assert!(text.ends_with("1000 error(s), 2000 warning(s) in 3000 files (3000 requests)\n"));
    assert!(!text.contains("ETA"));
    for args in [
        "check --format json reqs",
        "check --format concise reqs",
        "check --no-progress reqs",
    ] {
        let tty = on_a_terminal(tmp.path(), args);
        assert!(
            !tty.contains("ETA") && !tty.contains("files/s"),
            "{args}: {tty:?}"
        );
    }
}
