#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Request logs: JSON Lines files and standard input, audit-trail records, line numbers in
//! every format, cross-request checks over lines and files.

mod common;

use std::path::Path;

use common::{json, run_in};

const OK: &str = r#"{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo hi", "InstanceId": ["i-bp185dy2o3o6neg1234"]}"#;
const BAD_TYPE: &str = r#"{"RegionId": "cn-hangzhou", "Type": "RunShell", "CommandContent": "echo hi", "InstanceId": ["i-bp185dy2o3o6neg1234"]}"#;
const AUDIT: &str = r#"{"eventId": "4f1c", "eventName": "RunCommand", "serviceName": "Ecs", "acsRegion": "cn-hangzhou", "requestParameters": {"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo hi", "InstanceId.1": "i-bp185dy2o3o6neg1234", "Timeout": "3"}}"#;
const OTHER_EVENT: &str = r#"{"eventId": "4f1d", "eventName": "DescribeInstances", "serviceName": "Ecs", "requestParameters": {"RegionId": "cn-hangzhou", "PageSize": "100"}}"#;

/// `(line, code)` of every finding.
fn lines(v: &serde_json::Value) -> Vec<(u64, String)> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn log() -> String {
    [OK, "", BAD_TYPE, AUDIT, OTHER_EVENT, r#"{"RegionId": "#, OK].join("\n") + "\n"
}

#[test]
fn a_log_file_is_checked_line_by_line_with_line_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("calls.jsonl"), log()).unwrap();
    let out = run_in(
        tmp.path(),
        &["check", "--format", "json", "calls.jsonl"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(
        lines(&v),
        [
            (3, "InvalidCmdType.NotFound".to_owned()),
            (4, "Lint.TimeoutTooShort".to_owned()),
            (6, "Lint.Syntax".to_owned()),
        ]
    );
    // `document` is the 0-based line index.
    assert_eq!(v["diagnostics"][0]["document"], 2);
    // One file; four requests (lines 1, 3, 4 and 7: line 5 is another API's call).
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(v["summary"]["documents"], 4);
    // The audit record's finding points into requestParameters: column of `"3"`.
    let col = v["diagnostics"][1]["range"]["start"]["column"]
        .as_u64()
        .unwrap();
    assert_eq!(&AUDIT[col as usize - 1..col as usize + 2], "\"3\"");
}

#[test]
fn every_format_carries_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("calls.ndjson"), log().replace('\n', "\r\n")).unwrap();
    let run = |format: &str| {
        let out = run_in(
            tmp.path(),
            &[
                "check",
                "--color",
                "never",
                "--format",
                format,
                "calls.ndjson",
            ],
            None,
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let concise = run("concise");
    assert!(
        concise.starts_with("calls.ndjson:3:37: error InvalidCmdType.NotFound"),
        "{concise}"
    );
    assert!(run("github").contains("file=calls.ndjson,line=3,col=37,endLine=3,"));
    let human = run("human");
    assert!(human.contains("--> calls.ndjson:3:37"), "{human}");
    // The snippet shows the line under its number in the file.
    assert!(human.contains("3 | {\"RegionId\""), "{human}");
    let sarif: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );
    let first: serde_json::Value =
        serde_json::from_str(run("json-lines").lines().next().unwrap()).unwrap();
    assert_eq!(first["range"]["start"]["line"], 3);
}

#[test]
fn standard_input_as_json_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--input-format",
            "jsonl",
            "--stdin-filename",
            "audit.log",
            "-",
        ],
        Some(log().as_bytes()),
    );
    let v = json(&out);
    assert_eq!(lines(&v).len(), 3);
    assert_eq!(v["diagnostics"][0]["path"], "audit.log");
    // By the name's extension too.
    let out = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "x.jsonl",
            "-",
        ],
        Some(log().as_bytes()),
    );
    assert_eq!(lines(&json(&out)).len(), 3);
    // A named file of another extension read as a log.
    std::fs::write(tmp.path().join("trail.log"), log()).unwrap();
    let out = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--input-format",
            "jsonl",
            "trail.log",
        ],
        None,
    );
    assert_eq!(lines(&json(&out)).len(), 3);
}

#[test]
fn a_line_above_the_size_cap_is_reported_and_the_next_lines_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let long = format!(
        r#"{{"RegionId": "cn-hangzhou", "CommandContent": "{}"}}"#,
        "x".repeat(5000)
    );
    std::fs::write(
        tmp.path().join("big.jsonl"),
        format!("{OK}\n{long}\n{BAD_TYPE}\n"),
    )
    .unwrap();
    let out = run_in(
        tmp.path(),
        &[
            "check",
            "--format",
            "json",
            "--max-file-size",
            "1000",
            "big.jsonl",
        ],
        None,
    );
    let v = json(&out);
    assert_eq!(
        lines(&v),
        [
            (2, "Lint.FileTooLarge".to_owned()),
            (3, "InvalidCmdType.NotFound".to_owned())
        ]
    );
}

#[test]
fn cross_request_checks_span_lines_and_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let saved = |cmd: &str, token: &str| {
        format!(
            r#"{{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "{cmd}", "InstanceId": ["i-bp185dy2o3o6neg1234"], "Name": "nightly", "KeepCommand": true, "ClientToken": "{token}"}}"#
        )
    };
    std::fs::create_dir(d.join("logs")).unwrap();
    std::fs::write(
        d.join("a.yaml"),
        "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo a\nInstanceId: [i-bp185dy2o3o6neg1234]\nClientToken: tok-1\n",
    )
    .unwrap();
    std::fs::write(
        d.join("logs/b.jsonl"),
        [
            saved("echo b", "tok-1"), // token of a.yaml, other parameters: rejected
            saved("echo c", "tok-2"), // the first command saved as "nightly"
            saved("echo c", "tok-2"), // a retry: nothing
            saved("echo d", "tok-3"), // another call saving "nightly" again
        ]
        .join("\n"),
    )
    .unwrap();
    let out = run_in(d, &["check", "--format", "json", "."], None);
    let v = json(&out);
    assert_eq!(
        lines(&v),
        [
            (1, "IdempotentParameterMismatch".to_owned()),
            (4, "Lint.DuplicateSavedCommand".to_owned())
        ]
    );
    let out = run_in(d, &["check", "--color", "never", "."], None);
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.contains("= note: the token is first used in ./a.yaml (./a.yaml:5:14)"),
        "{human}"
    );
    assert!(
        human.contains(
            "= note: a command with this name is first saved in ./logs/b.jsonl (./logs/b.jsonl:2:"
        ),
        "{human}"
    );
}

#[test]
fn a_walked_log_without_requests_is_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("logs")).unwrap();
    std::fs::write(
        d.join("logs/other.jsonl"),
        format!("{OTHER_EVENT}\n{{\"level\": \"info\", \"msg\": \"started\"}}\n"),
    )
    .unwrap();
    std::fs::write(d.join("logs/calls.jsonl"), format!("{BAD_TYPE}\n")).unwrap();
    let out = run_in(d, &["check", "--format", "json", "logs"], None);
    let v = json(&out);
    assert_eq!(lines(&v), [(1, "InvalidCmdType.NotFound".to_owned())]);
    assert_eq!(v["summary"]["files"], 1);
    // Named, the non-request line is checked (and is not a request).
    let out = run_in(d, &["check", "--format", "json", "logs/other.jsonl"], None);
    let v = json(&out);
    assert!(lines(&v).iter().all(|(l, _)| *l == 2), "{v:#}");
}

#[test]
fn secrets_in_a_log_are_never_printed() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = "Sup3rS3cretPassw0rd!";
    let line = format!(
        r#"{{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo {{{{password}}}}", "EnableParameter": true, "Parameters": {{"password": "{secret}"}}, "InstanceId": ["i-bp185dy2o3o6neg1234"]}}"#
    );
    std::fs::write(tmp.path().join("s.jsonl"), format!("{OK}\n{line}\n")).unwrap();
    let mut seen = 0;
    for format in ["human", "json", "concise", "json-lines", "sarif", "github"] {
        let out = run_in(
            tmp.path(),
            &["check", "--format", format, "--statistics", "s.jsonl"],
            None,
        );
        let all = [out.stdout, out.stderr].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(!text.contains(secret), "{format}: {text}");
        seen += usize::from(text.contains("Lint.PlaintextSecret"));
    }
    assert_eq!(seen, 6, "every format reports the secret finding");
}

#[test]
fn a_missing_log_is_an_unreadable_path() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(
        Path::new(tmp.path()),
        &["check", "--format", "json", "nope.jsonl"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(lines(&json(&out)), [(1, "Lint.Io".to_owned())]);
}
