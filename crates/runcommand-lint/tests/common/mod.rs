#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Helpers shared by the CLI tests: run the real binary from the workspace root.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The workspace root (fixtures are addressed relative to it, as a user would).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Runs `runcommand-lint ARGS` in `dir` with `stdin` as input.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_runcommand-lint"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Runs in the workspace root.
pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args, None)
}

/// Parses `--format json` output.
pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// The codes of a JSON output's diagnostics.
pub fn codes(v: &serde_json::Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Every fixture file under `fixtures/<sub>`, relative to the root, sorted.
pub fn fixtures(sub: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root().join("fixtures").join(sub)).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            out.push(format!(
                "fixtures/{sub}/{}",
                p.file_name().unwrap().to_str().unwrap()
            ));
        }
    }
    out.sort();
    out
}

/// Whether this process runs as root (reads /proc/self/status; no unsafe code).
pub fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

/// Runs `runcommand-lint ARGS` in `dir` as `nobody` (setpriv) when we are root, since root
/// reads any file, else as ourselves: how a user meets permission errors.
pub fn run_unprivileged(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(env!("CARGO_BIN_EXE_runcommand-lint"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_runcommand-lint"))
    };
    cmd.args(args).current_dir(dir).output().unwrap()
}
