#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Hostile inputs, as a user would meet them: each run finishes with a clear diagnostic and the
//! right exit status, in bounded memory (the binary runs under a 1 GiB address-space limit), and
//! the other files given in the same run are still checked.
//!
//! A watchdog kills a run after 120 s so that a hang fails the test instead of the CI job; this
//! is a hang guard, not a speed assertion (speed is measured by the benchmarks).

mod common;

use common::run_unprivileged;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const VALID: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";
const BAD: &str = "RegionId: cn-hangzhou\nType: Shell\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

/// Runs the binary in `dir` under `prlimit --as` (1 GiB) with a watchdog.
fn run_limited(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new("prlimit");
    cmd.arg("--as=1073741824")
        .arg(env!("CARGO_BIN_EXE_runcommand-lint"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .expect("prlimit (util-linux) is needed for these tests");
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(120) {
            child.kill().ok();
            panic!("runcommand-lint {args:?} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Checks `name` (written with `bytes`) together with a bad request, in JSON; returns the
/// diagnostics' codes for `name`, and asserts the other file was still checked.
fn check_with_other(bytes: &[u8], name: &str) -> (Option<i32>, Vec<String>) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(name), bytes).unwrap();
    std::fs::write(tmp.path().join("other.yaml"), BAD).unwrap();
    let out = run_limited(
        tmp.path(),
        &["check", "--format", "json", name, "other.yaml"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{name}: not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let diags = v["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d["path"] == "other.yaml" && d["code"] == "InvalidCmdType.NotFound"),
        "{name}: the other file was not checked"
    );
    let codes = diags
        .iter()
        .filter(|d| d["path"] == name)
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    (out.status.code(), codes)
}

#[test]
fn alias_bomb() {
    let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..40 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    s.push_str("CommandContent: *a39\n");
    let (status, codes) = check_with_other(s.as_bytes(), "bomb.yaml");
    assert_eq!(status, Some(1));
    assert!(codes.contains(&"Lint.TypeMismatch".to_owned()), "{codes:?}");
}

#[test]
fn deep_nesting_in_every_style() {
    let n = 100_000;
    let cases: Vec<(String, Vec<u8>)> = vec![
        ("flow.yaml".into(), "[".repeat(n).into_bytes()),
        ("block.yaml".into(), "- ".repeat(n).into_bytes()),
        ("map.yaml".into(), {
            let mut s = String::new();
            for i in 0..3000 {
                s.push_str(&" ".repeat(i));
                s.push_str("k:\n");
            }
            s.into_bytes()
        }),
        ("deep.json".into(), "[".repeat(n).into_bytes()),
        ("deep-object.json".into(), "{\"a\":".repeat(n).into_bytes()),
    ];
    for (name, bytes) in cases {
        let (status, codes) = check_with_other(&bytes, &name);
        assert_eq!(status, Some(1), "{name}");
        assert_eq!(codes, vec!["Lint.Syntax"], "{name}");
    }
}

#[test]
fn a_100_mb_file_is_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(tmp.path().join("huge.yaml")).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap(); // sparse: no 100 MB written to disk
    std::fs::write(tmp.path().join("other.yaml"), BAD).unwrap();
    let out = run_limited(
        tmp.path(),
        &["check", "--format", "json", "huge.yaml", "other.yaml"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["path"], "huge.yaml");
    assert_eq!(v["diagnostics"][0]["code"], "Lint.FileTooLarge");
    assert_eq!(v["diagnostics"][1]["path"], "other.yaml");
    // The cap is configurable.
    let out = run_limited(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--max-file-size",
            "20",
            "other.yaml",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "Lint.FileTooLarge");
}

#[test]
fn a_one_line_10_mb_scalar() {
    let mut s = String::from(
        "RegionId: cn-hangzhou\nType: RunShellScript\nInstanceId: [i-bp185dy2o3o6neg1234]\nCommandContent: ",
    );
    s.push_str(&"x".repeat(10_000_000));
    s.push('\n');
    let (status, codes) = check_with_other(s.as_bytes(), "long.yaml");
    assert_eq!(status, Some(1));
    assert_eq!(codes, vec!["CmdContent.ExceedLimit"]);
}

#[test]
fn binary_data_nul_bytes_and_bad_encodings() {
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let (status, codes) = check_with_other(&binary, "binary.yaml");
    assert_eq!(status, Some(1));
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert!(
        codes[0] == "Lint.Encoding" || codes[0] == "Lint.Syntax",
        "{codes:?}"
    );

    let (_, codes) = check_with_other(b"RegionId: cn-hangzhou\nType: \0\n", "nul.yaml");
    assert_eq!(codes, vec!["Lint.Syntax"]);
    let (_, codes) = check_with_other(b"{\"RegionId\": \"a\0\"}", "nul.json");
    assert_eq!(codes, vec!["Lint.Syntax"]);

    let (_, codes) = check_with_other(b"RegionId: cn-hangzhou\nName: caf\xe9\n", "latin1.yaml");
    assert_eq!(codes, vec!["Lint.Encoding"]);

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(VALID.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (status, codes) = check_with_other(&utf16, "utf16.yaml");
    assert_eq!(status, Some(1));
    assert_eq!(codes, vec!["Lint.Encoding"]);
}

#[test]
fn crlf_line_ends_keep_positions() {
    let s = BAD.replace('\n', "\r\n");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("crlf.yaml"), s).unwrap();
    let out = run_limited(tmp.path(), &["check", "--format", "json", "crlf.yaml"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"].as_array().unwrap().len(), 1);
    assert_eq!(
        v["diagnostics"][0]["range"]["start"],
        serde_json::json!({"line": 2, "column": 7})
    );
    assert_eq!(
        v["diagnostics"][0]["range"]["end"],
        serde_json::json!({"line": 2, "column": 12})
    );
}

#[test]
fn empty_and_comment_only_files() {
    for (name, bytes) in [
        ("empty.yaml", &b""[..]),
        ("comments.yaml", &b"# nothing\n# here\n"[..]),
        ("empty.json", &b"  \n"[..]),
    ] {
        let (status, codes) = check_with_other(bytes, name);
        assert_eq!(status, Some(1), "{name}: the other file has an error");
        assert_eq!(codes, vec!["Lint.EmptyDocument"], "{name}");
    }
}

#[test]
fn a_directory_symlink_loop_is_walked_once() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("reqs");
    std::fs::create_dir_all(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/a.yaml"), BAD).unwrap();
    std::os::unix::fs::symlink(&d, d.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("loop", d.join("sub/self")).unwrap();
    let out = run_limited(tmp.path(), &["check", "--format", "json", "reqs"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_file_without_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("secret.yaml");
    std::fs::write(&p, VALID).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::write(tmp.path().join("other.yaml"), BAD).unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run_unprivileged(
        tmp.path(),
        &["check", "--format", "json", "secret.yaml", "other.yaml"],
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Sorted by path: other.yaml first, then secret.yaml.
    assert_eq!(v["diagnostics"][0]["path"], "other.yaml");
    let d = &v["diagnostics"][1];
    assert_eq!(d["path"], "secret.yaml");
    assert_eq!(d["code"], "Lint.Io");
    assert!(
        d["message"].as_str().unwrap().contains("ermission denied"),
        "{d}"
    );
}

#[test]
fn a_fifo_is_reported_without_blocking() {
    let tmp = tempfile::tempdir().unwrap();
    let status = Command::new("mkfifo")
        .arg(tmp.path().join("pipe.yaml"))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::write(tmp.path().join("other.yaml"), BAD).unwrap();
    let out = run_limited(
        tmp.path(),
        &["check", "--format", "json", "pipe.yaml", "other.yaml"],
    );
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"][1]["code"], "Lint.Io");
    assert!(
        v["diagnostics"][1]["message"]
            .as_str()
            .unwrap()
            .contains("not a regular file")
    );
    assert_eq!(v["diagnostics"][0]["path"], "other.yaml");
    // Inside a walked directory, too.
    let out = run_limited(tmp.path(), &["check", "--format", "json", "."]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<_> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        codes.contains(&("./pipe.yaml".to_owned(), "Lint.Io".to_owned())),
        "{codes:?}"
    );
}

/// Runs the binary in `dir` with its output in a file (a large output would fill a pipe nobody
/// reads while the watchdog waits), under the same limits as [`run_limited`]; returns the status
/// and the output.
fn run_to_file(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out_path = dir.join("out.txt");
    let file = std::fs::File::create(&out_path).unwrap();
    let mut child = Command::new("prlimit")
        .arg("--as=1073741824")
        .arg(env!("CARGO_BIN_EXE_runcommand-lint"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(Stdio::null())
        .spawn()
        .expect("prlimit (util-linux) is needed for these tests");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("runcommand-lint {args:?} did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status.code(), std::fs::read_to_string(out_path).unwrap())
}

/// A minified JSON object of 200,000 keys on one line (3.4 MB, under the 10 MiB cap): every
/// finding is reported, each at its exact column, in every format (columns are counted from
/// checkpoints of the long line and snippets are cut around the finding, so the work is linear;
/// the watchdog only guards against a hang).
#[test]
fn a_200000_key_object_on_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("{");
    for i in 0..200_000 {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&format!("\"K{i}\": {i}"));
    }
    text.push_str("}\n");
    std::fs::write(tmp.path().join("wide.json"), &text).unwrap();
    let all = ["--max-findings-per-file", "0"];
    let (status, s) = run_to_file(
        tmp.path(),
        &[
            "check",
            "--no-config",
            "--format",
            "concise",
            all[0],
            all[1],
            "wide.json",
        ],
    );
    assert_eq!(status, Some(1));
    let unknown: Vec<&str> = s
        .lines()
        .filter(|l| l.contains("Lint.UnknownParameter"))
        .collect();
    assert_eq!(unknown.len(), 200_000);
    // The last key's column: its offset in characters (the text is ASCII), 1-based.
    let last = text.rfind("\"K199999\"").unwrap() + 1;
    assert!(
        unknown[199_999].starts_with(&format!("wide.json:1:{last}: warning")),
        "{}",
        unknown[199_999]
    );
    // The human format shows a window of the line around each finding.
    let (status, s) = run_to_file(
        tmp.path(),
        &[
            "check",
            "--no-config",
            "--no-progress",
            all[0],
            all[1],
            "wide.json",
        ],
    );
    assert_eq!(status, Some(1));
    assert!(
        s.contains("4 error(s), 200000 warning(s) in 1 file"),
        "{}",
        &s[s.len().saturating_sub(300)..]
    );
    let window = s
        .lines()
        .rev()
        .find(|l| l.starts_with("1 | ..."))
        .expect("a window of the line");
    assert!(
        window.ends_with("\"K199998\": 199998, \"K199999\": 199999}"),
        "{window}"
    );
    // By default a file shows 10,000 findings and one more counts the rest: the output stays
    // bounded (SARIF keeps its results until the end), the exit status is the same.
    let (status, s) = run_to_file(
        tmp.path(),
        &["check", "--no-config", "--format", "sarif", "wide.json"],
    );
    assert_eq!(status, Some(1));
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 10_001);
    let last = &results[10_000];
    assert_eq!(last["ruleId"], "Lint.TooManyFindings");
    let text = last["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with(
            "190004 more findings in this file are not shown (190004 Lint.UnknownParameter)"
        ),
        "{text}"
    );
}
