#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The command line as a user runs it: exit statuses, standard input, directory walks, human
//! output, `explain` and `rules`.

mod common;

use common::{codes, json, root, run, run_in};

const VALID: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

#[test]
fn exit_status_is_0_for_clean_1_for_errors_and_0_for_warnings_only() {
    assert_eq!(
        run(&["check", "fixtures/valid/full-request.yaml"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["check", "fixtures/invalid/timeout-not-positive.yaml"])
            .status
            .code(),
        Some(1)
    );
    // InvalidTimeout.ExceedLimit rests on an inferred bound: a warning, the run passes unless
    // warnings fail it.
    assert_eq!(
        run(&["check", "fixtures/invalid/timeout.yaml"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&[
            "check",
            "--fail-on",
            "warning",
            "fixtures/invalid/timeout.yaml"
        ])
        .status
        .code(),
        Some(1)
    );
    // Lint.TimeoutTooShort is an info: the run passes.
    let out = run(&["check", "fixtures/invalid/timeout-too-short.yaml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Lint.TimeoutTooShort"));
}

#[test]
fn a_missing_path_exits_2_and_the_other_paths_are_still_checked() {
    let out = run(&[
        "check",
        "--format",
        "json",
        "no/such/file.yaml",
        "fixtures/invalid/timeout.yaml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let v = json(&out);
    let c = codes(&v);
    assert!(c.contains(&"Lint.Io".to_owned()), "{c:?}");
    assert!(
        c.contains(&"InvalidTimeout.ExceedLimit".to_owned()),
        "{c:?}"
    );
    // The missing file is reported, not counted as checked.
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn usage_errors_exit_2() {
    // (`check` alone checks the current directory: see command_line_conveniences.)
    assert_eq!(
        run(&["check", "--max-file-size", "big"]).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--format", "xml", "x.yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn standard_input_is_read_and_named_by_stdin_filename() {
    let dir = root();
    let json_req = br#"{"RegionId": "cn-hangzhou", "Type": "Bad", "CommandContent": "x", "InstanceId": ["i-abc"]}"#;
    let out = run_in(
        &dir,
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "req.json",
            "-",
        ],
        Some(json_req),
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["diagnostics"][0]["path"], "req.json");
    assert_eq!(v["diagnostics"][0]["code"], "InvalidCmdType.NotFound");
    assert_eq!(v["diagnostics"][0]["range"]["start"]["column"], 37);
    // Without a name, stdin is YAML named <stdin>.
    let out = run_in(
        &dir,
        &["check", "--format", "json", "-"],
        Some(VALID.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["summary"]["documents"], 1);
}

#[test]
fn directories_are_walked_recursively_for_request_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("a/b")).unwrap();
    std::fs::write(d.join("a/one.yaml"), VALID).unwrap();
    std::fs::write(
        d.join("a/b/two.yml"),
        VALID.replace("RunShellScript", "Shell"),
    )
    .unwrap();
    std::fs::write(d.join("a/b/three.json"), "{}").unwrap();
    std::fs::write(d.join("a/notes.txt"), "Type: nonsense").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("a"), d.join("a/b/loop")).unwrap();
    let out = run_in(d, &["check", "--format", "json", "a"], None);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    // three.json does not look like a request: a walk skips it; the loop is reported.
    assert_eq!(v["summary"]["files"], 2);
    let paths: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"a/b/two.yml"), "{paths:?}");
    assert!(!paths.contains(&"a/b/three.json"), "{paths:?}");
    #[cfg(unix)]
    assert_eq!(
        paths.iter().filter(|p| **p == "a/b/loop").count(),
        1,
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.ends_with(".txt")));
    // Deterministic order: sorted by path, then position.
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn files_above_the_size_cap_are_not_read() {
    let out = run(&[
        "check",
        "--format",
        "json",
        "--max-file-size",
        "10",
        "fixtures/valid/timeout.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(codes(&json(&out)), vec!["Lint.FileTooLarge"]);
}

#[test]
fn human_output_shows_the_code_a_snippet_help_and_the_http_status() {
    let out = run(&[
        "check",
        "--color",
        "never",
        "fixtures/invalid/enumerations.yaml",
    ]);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.contains("error[InvalidCmdType.NotFound]: `RunShellscript` is not a valid Type"),
        "{s}"
    );
    assert!(
        s.contains("--> fixtures/invalid/enumerations.yaml:2:7"),
        "{s}"
    );
    assert!(
        s.contains("2 | Type: RunShellscript\n  |       ^^^^^^^^^^^^^^"),
        "{s}"
    );
    assert!(s.contains("= help: did you mean `RunShellScript`?"), "{s}");
    assert!(
        s.contains("= the API answers HTTP 404: The specified command type does not exist."),
        "{s}"
    );
    assert!(!s.contains('\x1b'), "no colour when asked");
    let out = run(&[
        "check",
        "--color",
        "always",
        "fixtures/invalid/enumerations.yaml",
    ]);
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("\x1b[1;31merror")
    );
}

#[test]
fn json_positions_are_one_based_character_columns_with_exclusive_ends() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("r.yaml"),
        "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\nName: \"é\\tx\"\n",
    )
    .unwrap();
    let v = json(&run_in(
        tmp.path(),
        &["check", "--format", "json", "r.yaml"],
        None,
    ));
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "InvalidParameterCharacter.CommandName");
    assert_eq!(d["parameter"], "Name");
    assert_eq!(d["http_status"], 403);
    // `\t` starts after `Name: "é` (8 characters, 9 bytes) and is 2 characters long.
    assert_eq!(
        d["range"]["start"],
        serde_json::json!({"line": 5, "column": 9})
    );
    assert_eq!(
        d["range"]["end"],
        serde_json::json!({"line": 5, "column": 11})
    );
}

#[test]
fn explain_prints_the_documentation_and_rejects_unknown_codes() {
    let out = run(&["explain", "InvalidTimeout.ExceedLimit"]);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    for part in [
        "HTTP status: 403",
        "Class: request",
        "Invalid example:",
        "Valid example:",
        "Timeout: 100000",
        // The evidence rule: the bound is inferred, and explain says from where.
        "a Timeout above 86400 seconds [inferred, warning]",
        "source: inferred: SWAS",
    ] {
        assert!(s.contains(part), "{part} missing in {s}");
    }
    let out = run(&["explain", "InternalError.Dispatch"]);
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("Class: service"), "{s}");
    let out = run(&["explain", "InvalidTimeout.ExceedLimt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("did you mean `InvalidTimeout.ExceedLimit`")
    );
}

#[test]
fn rules_lists_every_code() {
    let out = run(&["rules"]);
    let s = String::from_utf8(out.stdout).unwrap();
    assert_eq!(s.lines().count(), runcommand_catalog::CODES.len() + 1);
    assert!(
        s.lines()
            .any(|l| l.starts_with("InvalidParam.Frequency") && l.contains("request"))
    );
    let evidence = |code: &str| {
        s.lines()
            .find(|l| l.split_whitespace().next() == Some(code))
            .and_then(|l| l.split_whitespace().nth(4))
            .map(str::to_owned)
    };
    assert_eq!(
        evidence("InvalidTimeout.ExceedLimit").as_deref(),
        Some("inferred")
    );
    assert_eq!(
        evidence("InvalidInstance.NotFound").as_deref(),
        Some("mixed")
    );
    assert_eq!(evidence("NumberExceed.Tags").as_deref(), Some("documented"));
    assert_eq!(evidence("Lint.DuplicateKey").as_deref(), Some("project"));
}

#[test]
fn rules_as_json_carry_each_triggers_evidence_and_source() {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), runcommand_catalog::CODES.len());
    let oss = list
        .iter()
        .find(|c| c["code"] == "InvalidParameter.OssOutputDelivery")
        .unwrap();
    assert_eq!(oss["evidence"], "mixed");
    assert_eq!(oss["http_status"], 400);
    let triggers = oss["triggers"].as_array().unwrap();
    assert!(triggers.iter().any(
        |t| t["evidence"] == "inferred" && t["source"].as_str().unwrap().contains("testBucket")
    ));
    assert!(
        triggers
            .iter()
            .all(|t| !t["what"].as_str().unwrap().is_empty())
    );
}

/// `rules | head -1`, `explain X | head -1`, `check | head -1`: the reader goes away, the
/// program ends quietly with the status it would have had.
#[test]
fn a_closed_pipe_ends_every_subcommand_quietly() {
    for args in [
        vec!["rules"],
        vec!["rules", "--format", "json"],
        vec!["explain", "InvalidParam.Frequency"],
        vec!["schedule", "0 0 12 * * ?"],
        vec!["check", "--no-progress", "examples/"],
    ] {
        let bin = env!("CARGO_BIN_EXE_runcommand-lint");
        let mut child = std::process::Command::new(bin)
            .args(&args)
            .current_dir(common::root())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end at once: every write then fails with a broken pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        // The examples hold errors on purpose: check's status is 1.
        let expected = if args[0] == "check" { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "{args:?}");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Any other failure to write the output (a full disk) is said once, status 2.
#[test]
fn an_output_that_cannot_be_written_is_an_error() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists on Linux");
    for args in [
        vec!["check", "--no-progress", "examples/"],
        vec!["check", "--format", "json", "examples/"],
        vec!["rules"],
        vec!["schedule", "rate(5m)"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_runcommand-lint"))
            .args(&args)
            .current_dir(common::root())
            .stdout(full.try_clone().unwrap())
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            err.matches("runcommand-lint: error: cannot write output: ")
                .count(),
            1,
            "{args:?}: {err}"
        );
    }
}

/// Issue 18's papercuts: no path is the current directory, a run without requests says so, ruff's
/// `--output-format`, `--select`/`--ignore` on the command line, `-q`, `--statistics` in human
/// format, `rules` filters.
#[test]
fn command_line_conveniences() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("reqs")).unwrap();
    std::fs::write(
        d.join("reqs/a.yaml"),
        "RegionId: cn-hangzhou\nType: RunShellscript\nCommandContent: echo\nInstanceId: [i-bp185dy2o3o6neg1234]\nTimout: 5\n",
    )
    .unwrap();
    // No path: the current directory.
    let out = common::run_in(d, &["check", "--output-format", "concise"], None);
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("reqs/a.yaml:2:7: error InvalidCmdType.NotFound"),
        "{s}"
    );
    assert!(s.contains("Lint.UnknownParameter"), "{s}");
    // --select / --ignore, as the configuration keys (prefixes too).
    let out = common::run_in(
        d,
        &["check", "--format", "concise", "--select", "Lint"],
        None,
    );
    let s = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !s.contains("InvalidCmdType") && s.contains("Lint.UnknownParameter"),
        "{s}"
    );
    assert_eq!(out.status.code(), Some(0));
    let out = common::run_in(
        d,
        &[
            "check",
            "--format",
            "concise",
            "--ignore",
            "InvalidCmdType,Lint.UnknownParameter",
        ],
        None,
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = common::run_in(d, &["check", "--select", "Lint.Nope"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`Lint.Nope` is not a code"));
    // -q: findings only; --statistics (human): the counts only.
    let out = common::run_in(d, &["check", "-q", "--color", "never"], None);
    let s = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        s.contains("error[InvalidCmdType.NotFound]") && !s.contains("Summary"),
        "{s}"
    );
    let out = common::run_in(d, &["check", "--statistics", "--color", "never"], None);
    let s = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!s.contains("error["), "{s}");
    assert!(
        s.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()[..2]
                == ["1", "InvalidCmdType.NotFound"]),
        "{s}"
    );
    // A tree without requests: said, status 0.
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("ci.yaml"), "name: ci\non: push\n").unwrap();
    let out = common::run_in(empty.path(), &["check"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning: no RunCommand request found in ."),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // rules: sorted by code, filtered.
    let out = run(&["rules", "--class", "service", "--emitted"]);
    let s = String::from_utf8(out.stdout).unwrap();
    let codes: Vec<&str> = s
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(codes, vec!["Lint.InternalError", "Lint.Io"]);
    let all = String::from_utf8(run(&["rules"]).stdout).unwrap();
    let listed: Vec<&str> = all
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    assert_eq!(listed, sorted);
}

#[test]
fn completions_and_the_manual_page() {
    for shell in ["bash", "zsh", "fish"] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let s = String::from_utf8(out.stdout).unwrap();
        assert!(
            s.contains("runcommand-lint") && s.contains("max-findings-per-file"),
            "{shell}"
        );
    }
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains(".TH runcommand-lint 1"), "{s}");
    assert!(s.contains("check"), "{s}");
}
