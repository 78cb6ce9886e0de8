#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The configuration file (`runcommand-lint.toml`: discovery, `--config`, `--no-config`, every
//! key, errors with positions), inline suppression comments as the CLI reports them, and hook
//! mode (`--only-requests`, `--force-exclude`, `--verbose`).

mod common;

use std::path::Path;

use common::{codes, json, run_in};

const VALID: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A request with a warning (`Lint.TimeoutTooShort`) and an error (`InvalidCmdType.NotFound`).
fn bad() -> String {
    format!("{}Timeout: 5\n", VALID.replace("RunShellScript", "Shell"))
}

/// (path, code, severity) of each finding of a JSON run.
fn findings(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<(String, String, String)>) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_in(dir, &all, None);
    let v = json(&out);
    let f = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (out.status.code(), f)
}

#[test]
fn the_nearest_configuration_applies_to_each_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "runcommand-lint.toml",
        "ignore = [\"Lint.TimeoutTooShort\"]\n",
    );
    write(
        d,
        "team/runcommand-lint.toml",
        "[severity]\n\"InvalidCmdType\" = \"warning\"\n",
    );
    write(d, "top.yaml", &bad());
    write(d, "team/deep/one.yaml", &bad());
    let (status, f) = findings(d, &["."]);
    assert_eq!(status, Some(1));
    assert_eq!(
        f,
        vec![
            (
                "./team/deep/one.yaml".into(),
                "InvalidCmdType.NotFound".into(),
                "warning".into()
            ),
            (
                "./team/deep/one.yaml".into(),
                "Lint.TimeoutTooShort".into(),
                "info".into()
            ),
            (
                "./top.yaml".into(),
                "InvalidCmdType.NotFound".into(),
                "error".into()
            ),
        ]
    );
    // Only the team's file: its configuration makes the error a warning, so the run passes.
    assert_eq!(findings(d, &["team"]).0, Some(0));
    // --config overrides discovery; --no-config uses none.
    let (_, f) = findings(d, &["--config", "runcommand-lint.toml", "team"]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].2, "error");
    let (_, f) = findings(d, &["--no-config", "."]);
    assert_eq!(f.len(), 4, "{f:?}");
}

#[test]
fn select_per_path_ignores_and_extra_regions() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "runcommand-lint.toml",
        "select = [\"InvalidCmdType\", \"InvalidRegionId\", \"Lint\"]\nextra-regions = [\"cn-atlantis-1\"]\n\n[per-path-ignores]\n\"legacy/**\" = [\"Lint\"]\n\"*.json\" = [\"InvalidCmdType.NotFound\"]\n",
    );
    let req = format!(
        "{}Timeout: 100000\nNmae: x\n",
        VALID
            .replace("RunShellScript", "Shell")
            .replace("cn-hangzhou", "cn-atlantis-1")
    );
    write(d, "a.yaml", &req);
    write(d, "legacy/b.yaml", &req);
    write(
        d,
        "c.json",
        r#"{"RegionId": "cn-atlantis-2", "Type": "Shell", "CommandContent": "x", "InstanceId": ["i-abc"]}"#,
    );
    let (_, f) = findings(d, &["."]);
    let got: Vec<(&str, &str)> = f.iter().map(|(p, c, _)| (p.as_str(), c.as_str())).collect();
    // InvalidTimeout.* is not selected; cn-atlantis-1 is known; legacy/ ignores Lint.*; JSON files
    // ignore the command type.
    assert_eq!(
        got,
        vec![
            ("./a.yaml", "InvalidCmdType.NotFound"),
            ("./a.yaml", "Lint.UnknownParameter"),
            ("./c.json", "InvalidRegionId.NotFound"),
            ("./legacy/b.yaml", "InvalidCmdType.NotFound"),
        ]
    );
}

#[test]
fn include_and_exclude_filter_walks_and_force_exclude_named_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "runcommand-lint.toml",
        "include = [\"requests/**\"]\nexclude = [\"*.draft.yaml\", \"requests/old\"]\n",
    );
    write(d, "requests/a.yaml", &bad());
    write(d, "requests/b.draft.yaml", &bad());
    write(d, "requests/old/c.yaml", &bad());
    write(d, "other/d.yaml", &bad());
    let paths = |args: &[&str]| {
        let (_, f) = findings(d, args);
        let mut p: Vec<String> = f.into_iter().map(|(p, _, _)| p).collect();
        p.dedup();
        p
    };
    assert_eq!(paths(&["."]), vec!["./requests/a.yaml"]);
    // Named files are checked unless --force-exclude.
    assert_eq!(
        paths(&["requests/b.draft.yaml", "other/d.yaml"]),
        vec!["other/d.yaml", "requests/b.draft.yaml"]
    );
    assert_eq!(
        paths(&["--force-exclude", "requests/b.draft.yaml", "other/d.yaml"]),
        vec!["other/d.yaml"]
    );
    let out = run_in(
        d,
        &[
            "check",
            "--verbose",
            "--force-exclude",
            "requests/old/c.yaml",
            ".",
        ],
        None,
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("runcommand-lint: skipped requests/old/c.yaml: excluded by "),
        "{err}"
    );
    assert!(err.contains("runcommand-lint: using "), "{err}");
}

#[test]
fn an_invalid_configuration_is_an_error_with_its_position() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "a.yaml", &bad());
    for (toml, pos, part) in [
        ("select = [\"Lint\"", "1:17", "invalid"),
        ("selct = []\n", "1:1", "unknown field `selct`"),
        (
            "ignore = [\"Lint.Nope\"]\n",
            "1:11",
            "`Lint.Nope` is not a code",
        ),
        (
            "[severity]\nLint = \"fatal\"\n",
            "2:8",
            "unknown variant `fatal`",
        ),
        ("exclude = [\"[a\"]\n", "1:12", "invalid glob"),
        ("extra-regions = [\"CN-X\"]\n", "1:18", "not a region ID"),
    ] {
        write(d, "runcommand-lint.toml", toml);
        let out = run_in(d, &["check", "a.yaml"], None);
        assert_eq!(out.status.code(), Some(2), "{toml}");
        assert!(out.stdout.is_empty(), "{toml}: nothing is checked");
        let err = String::from_utf8(out.stderr).unwrap();
        let at = format!("runcommand-lint.toml:{pos}: ");
        assert!(err.contains(&at), "{toml}: {err}");
        assert!(err.contains(part), "{toml}: {err}");
    }
    // --config with a missing file.
    let out = run_in(d, &["check", "--config", "nope.toml", "a.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("nope.toml"));
}

#[test]
fn suppression_comments_are_applied_and_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let src = format!(
        "# runcommand-lint: ignore-file[InvalidCmdType.NotFound] a custom agent accepts it\n{}# runcommand-lint: ignore[Lint.TimeoutTooShort]\nTimeout: 5\n",
        VALID.replace("RunShellScript", "Shell")
    );
    write(d, "a.yaml", &src);
    let out = run_in(d, &["check", "--format", "json", "a.yaml"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        codes(&json(&out)),
        vec!["Lint.InvalidSuppression", "Lint.TimeoutTooShort"]
    );
}

#[test]
fn hook_mode_skips_files_that_are_not_requests() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "request.yaml", &bad());
    write(
        d,
        ".github/workflows/ci.yaml",
        "name: ci\non: push\njobs: {}\n",
    );
    write(
        d,
        "package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}",
    );
    write(d, "broken.yaml", "key: [broken\n");
    let files = [
        "request.yaml",
        ".github/workflows/ci.yaml",
        "package.json",
        "broken.yaml",
    ];
    let mut args = vec!["check", "--only-requests", "--format", "json"];
    args.extend_from_slice(&files);
    let out = run_in(d, &args, None);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["summary"]["files"], 1);
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["path"] == "request.yaml")
    );
    // Only unrelated files: nothing to say, exit 0; --verbose says what was skipped.
    let mut args = vec!["check", "--only-requests", "--verbose"];
    args.extend_from_slice(&files[1..]);
    let out = run_in(d, &args, None);
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    for f in &files[1..] {
        assert!(
            err.contains(&format!(
                "runcommand-lint: skipped {f}: does not look like a RunCommand request"
            )),
            "{err}"
        );
    }
    // Without the flag they are checked.
    let mut args = vec!["check"];
    args.extend_from_slice(&files[1..]);
    assert_eq!(run_in(d, &args, None).status.code(), Some(1));
}
