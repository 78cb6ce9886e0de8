#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! `check --fix`, `--diff`, `--unsafe-fixes`, `--show-fixes` on real files: comments, formatting
//! and suppressions outside the edits are kept, a second run changes nothing, `git apply` of the
//! diff gives what `--fix` writes, a file that does not parse is left alone.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::{json, run_in};

const YAML: &str = "\
# The nightly deploy (this comment stays)
RegionId: cn-hangzhou
Type: RunShellscript   # a typo the fix corrects
CommandContent: echo deploy
InstanceId: [i-bp185dy2o3o6neg1234]
RepeatMode: once
Timed: true
---
RegionId: cn-hangzhou
Type: RunPython
CommandContent: echo second
InstanceId: [i-bp185dy2o3o6neg1234]
# runcommand-lint: ignore[InvalidRepeatMode.NotFound] kept as written on purpose
RepeatMode: period
Frequency: rate(10m)
";

const YAML_FIXED: &str = "\
# The nightly deploy (this comment stays)
RegionId: cn-hangzhou
Type: RunShellScript   # a typo the fix corrects
CommandContent: echo deploy
InstanceId: [i-bp185dy2o3o6neg1234]
RepeatMode: Once
Timed: true
---
RegionId: cn-hangzhou
Type: RunPython
CommandContent: echo second
InstanceId: [i-bp185dy2o3o6neg1234]
# runcommand-lint: ignore[InvalidRepeatMode.NotFound] kept as written on purpose
RepeatMode: period
Frequency: rate(10m)
";

const JSON: &str = "{\n  \"RegionId\": \"cn-hangzhou\",\n  \"Type\": \"runshellscript\",\n  \"CommandContent\": \"echo hi\",\n  \"Timed\": true,\n  \"InstanceId\": [\"i-bp185dy2o3o6neg1234\"]\n}\n";

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn fix_writes_safe_fixes_and_keeps_everything_else() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "a.yaml", YAML);
    std::fs::set_permissions(d.join("a.yaml"), std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = run_in(
        d,
        &[
            "check",
            "--fix",
            "--show-fixes",
            "--format",
            "json",
            "a.yaml",
        ],
        None,
    );
    // Errors are left (Type: RunPython has no single fix), so the run fails.
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read(d, "a.yaml"), YAML_FIXED);
    let mode = std::fs::metadata(d.join("a.yaml"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
    // The findings reported are those left.
    let codes = common::codes(&json(&out));
    assert!(
        !codes.iter().any(|c| c == "InvalidRepeatMode.NotFound"),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|c| c == "InvalidCmdType.NotFound"),
        "{codes:?}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a.yaml:\n  InvalidCmdType.NotFound: Replace with `RunShellScript`"),
        "{err}"
    );
    assert!(err.contains("fixed 2 finding(s) in 1 file(s)"), "{err}");
    // Idempotent: a second run has nothing to fix.
    let again = run_in(d, &["check", "--fix", "a.yaml"], None);
    assert_eq!(read(d, "a.yaml"), YAML_FIXED);
    assert!(String::from_utf8_lossy(&again.stderr).contains("fixed 0 finding(s) in 0 file(s)"));
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn unsafe_fixes_only_when_asked_and_json_stays_json() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "b.json", JSON);
    run_in(d, &["check", "--fix", "b.json"], None);
    let safe = read(d, "b.json");
    assert!(safe.contains("\"Type\": \"RunShellScript\""), "{safe}");
    assert!(safe.contains("\"Timed\": true"), "{safe}");
    serde_json::from_str::<serde_json::Value>(&safe).unwrap();
    // Removing the deprecated Timed is unsafe: only with --unsafe-fixes (and its comma goes).
    run_in(d, &["check", "--fix", "--unsafe-fixes", "b.json"], None);
    let all = read(d, "b.json");
    assert!(!all.contains("Timed"), "{all}");
    assert!(
        all.contains("\"CommandContent\": \"echo hi\",\n  \"InstanceId\""),
        "{all}"
    );
    serde_json::from_str::<serde_json::Value>(&all).unwrap();
}

#[test]
fn diff_changes_nothing_and_git_apply_of_it_equals_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "a.yaml", YAML);
    write(d, "b.json", JSON);
    let out = run_in(
        d,
        &["check", "--diff", "--unsafe-fixes", "a.yaml", "b.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(read(d, "a.yaml"), YAML);
    assert_eq!(read(d, "b.json"), JSON);
    let patch = String::from_utf8(out.stdout).unwrap();
    assert!(patch.starts_with("--- a/a.yaml\n+++ b/a.yaml\n"), "{patch}");
    assert!(patch.contains("\n--- a/b.json\n+++ b/b.json\n"), "{patch}");
    std::fs::write(d.join("fixes.patch"), &patch).unwrap();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(args)
            .current_dir(d)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    git(&["init", "-q", "."]);
    git(&["apply", "fixes.patch"]);
    let applied = (read(d, "a.yaml"), read(d, "b.json"));
    write(d, "a.yaml", YAML);
    write(d, "b.json", JSON);
    run_in(
        d,
        &["check", "--fix", "--unsafe-fixes", "a.yaml", "b.json"],
        None,
    );
    assert_eq!(applied, (read(d, "a.yaml"), read(d, "b.json")));
    // Nothing left to change: no diff, exit 0.
    let out = run_in(
        d,
        &["check", "--diff", "--unsafe-fixes", "a.yaml", "b.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_file_that_does_not_parse_is_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let broken = "RegionId: cn-hangzhou\nType: RunShellscript\nCommandContent: echo\nInstanceId: [i-bp185dy2o3o6neg1234\n";
    write(d, "c.yaml", broken);
    let out = run_in(d, &["check", "--fix", "--unsafe-fixes", "c.yaml"], None);
    assert_eq!(read(d, "c.yaml"), broken);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fixed 0 finding(s)"), "{err}");
}

#[test]
fn standard_input_is_not_fixed_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_in(
        tmp.path(),
        &["check", "--fix", "--stdin-filename", "s.yaml", "-"],
        Some(YAML.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be fixed in place"));
    // --diff works on it.
    let out = run_in(
        tmp.path(),
        &["check", "--diff", "--stdin-filename", "s.yaml", "-"],
        Some(YAML.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("+RepeatMode: Once"));
}

#[test]
fn json_and_sarif_carry_the_fixes() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "a.yaml", YAML);
    let v = json(&run_in(d, &["check", "--format", "json", "a.yaml"], None));
    let diags = v["diagnostics"].as_array().unwrap();
    let typo = diags
        .iter()
        .find(|x| x["code"] == "InvalidCmdType.NotFound")
        .unwrap();
    assert_eq!(typo["fix"]["applicability"], "safe");
    assert_eq!(typo["fix"]["edits"][0]["content"], "RunShellScript");
    assert_eq!(
        typo["fix"]["edits"][0]["range"]["start"],
        serde_json::json!({"line": 3, "column": 7})
    );
    // The deprecated Timed: its removal takes the whole line.
    let timed = diags
        .iter()
        .find(|x| x["code"] == "Lint.DeprecatedParameter")
        .unwrap();
    assert_eq!(timed["fix"]["applicability"], "unsafe");
    assert_eq!(
        timed["fix"]["edits"][0]["range"]["end"],
        serde_json::json!({"line": 8, "column": 1})
    );
    // No single fix for `RunPython`.
    let python = diags
        .iter()
        .find(|x| {
            x["code"] == "InvalidCmdType.NotFound"
                && x["message"].as_str().unwrap().contains("RunPython")
        })
        .unwrap();
    assert!(python.get("fix").is_none());
    let out = run_in(d, &["check", "--format", "sarif", "a.yaml"], None);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = s["runs"][0]["results"].as_array().unwrap();
    let fixed = results
        .iter()
        .find(|r| r["ruleId"] == "InvalidCmdType.NotFound")
        .unwrap();
    let rep = &fixed["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(rep["insertedContent"]["text"], "RunShellScript");
    assert_eq!(rep["deletedRegion"]["startLine"], 3);
}
