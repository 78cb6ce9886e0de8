#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! ShellCheck from the command line (issue 16): the real ShellCheck found on PATH, the
//! `[shellcheck]` configuration, and a run without it.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{codes, json};

const SCRIPT: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nInstanceId: [i-bp185dy2o3o6neg1234]\nCommandContent: |\n  cd $1\n  rm $(ls /tmp/*.old)\n";

/// Runs the binary in `dir` with `PATH` set to `path`.
fn run_with_path(dir: &Path, path: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_runcommand-lint"))
        .args(args)
        .current_dir(dir)
        .env("PATH", path)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn project(config: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("req.yaml"), SCRIPT).unwrap();
    if let Some(c) = config {
        std::fs::write(dir.path().join("runcommand-lint.toml"), c).unwrap();
    }
    dir
}

fn path() -> String {
    std::env::var("PATH").unwrap()
}

#[test]
fn shellcheck_findings_come_with_their_wiki_page() {
    let dir = project(None);
    let out = run_with_path(
        dir.path(),
        &path(),
        &["check", "--format", "json", "req.yaml"],
    );
    let v = json(&out);
    let found = codes(&v);
    assert!(found.contains(&"ShellCheck.SC2164".to_owned()), "{found:?}");
    assert!(found.contains(&"ShellCheck.SC2046".to_owned()), "{found:?}");
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ShellCheck.SC2046")
        .unwrap();
    assert_eq!(d["help"], "https://www.shellcheck.net/wiki/SC2046");
    assert_eq!(d["severity"], "warning");
    // `rm $(ls ...)`: the command substitution, line 6 from column 6.
    assert_eq!(d["range"]["start"]["line"], 6);
    assert_eq!(d["range"]["start"]["column"], 6);
}

#[test]
fn the_configuration_filters_and_disables() {
    let dir = project(Some(
        "[shellcheck]\nexclude = [\"SC2164\"]\nseverity = \"warning\"\n",
    ));
    let v = json(&run_with_path(
        dir.path(),
        &path(),
        &["check", "--format", "json", "req.yaml"],
    ));
    let found = codes(&v);
    assert!(!found.iter().any(|c| c == "ShellCheck.SC2164"), "{found:?}");
    // SC2086 is ShellCheck's info level: under `severity = "warning"`.
    assert!(!found.iter().any(|c| c == "ShellCheck.SC2086"), "{found:?}");
    assert!(found.iter().any(|c| c == "ShellCheck.SC2046"), "{found:?}");
    // `ignore` works for ShellCheck codes as for any code.
    let dir = project(Some("ignore = [\"ShellCheck\"]\n"));
    let v = json(&run_with_path(
        dir.path(),
        &path(),
        &["check", "--format", "json", "req.yaml"],
    ));
    assert!(codes(&v).iter().all(|c| !c.starts_with("ShellCheck")));
    let dir = project(Some("[shellcheck]\nenabled = false\n"));
    let out = run_with_path(
        dir.path(),
        &path(),
        &["check", "--format", "json", "req.yaml"],
    );
    assert!(
        codes(&json(&out))
            .iter()
            .all(|c| !c.starts_with("ShellCheck"))
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `--no-shellcheck` wins over the configuration, even `enabled = true` without ShellCheck.
    let dir = project(Some(
        "[shellcheck]\nenabled = true\npath = \"/no/such/shellcheck\"\n",
    ));
    let out = run_with_path(
        dir.path(),
        &path(),
        &["check", "--no-shellcheck", "--format", "json", "req.yaml"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        codes(&json(&out))
            .iter()
            .all(|c| !c.starts_with("ShellCheck"))
    );
    // A bad table is an invalid configuration.
    let dir = project(Some("[shellcheck]\nenabled = \"sometimes\"\n"));
    let out = run_with_path(dir.path(), &path(), &["check", "req.yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn without_shellcheck_the_run_says_so_once_and_goes_on() {
    let empty = tempfile::tempdir().unwrap();
    let no_shellcheck = empty.path().to_str().unwrap();
    let dir = project(None);
    std::fs::write(dir.path().join("other.yaml"), SCRIPT).unwrap();
    let out = run_with_path(
        dir.path(),
        no_shellcheck,
        &["check", "--format", "json", "."],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert!(codes(&v).iter().all(|c| !c.starts_with("ShellCheck")));
    assert_eq!(v["summary"]["files"], 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("not checked by ShellCheck").count(),
        1,
        "{stderr}"
    );
    // Required by the configuration: the run stops.
    let dir = project(Some("[shellcheck]\nenabled = true\n"));
    let out = run_with_path(dir.path(), no_shellcheck, &["check", "req.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ShellCheck is required"));
}

#[test]
fn explain_and_rules_know_shellcheck_codes() {
    let out = common::run(&["explain", "ShellCheck.SC2086"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains("https://www.shellcheck.net/wiki/SC2086"),
        "{text}"
    );
    let out = common::run(&[
        "check",
        "--select",
        "ShellCheck.SC2086",
        "fixtures/invalid/shellcheck.yaml",
        "--format",
        "json",
    ]);
    let v = json(&out);
    let found = codes(&v);
    assert!(
        !found.is_empty() && found.iter().all(|c| c == "ShellCheck.SC2086"),
        "{found:?}"
    );
}

#[test]
fn suppression_comments_and_shellcheck_directives_work() {
    let dir = tempfile::tempdir().unwrap();
    let req = "RegionId: cn-hangzhou\nType: RunShellScript\nInstanceId: [i-bp185dy2o3o6neg1234]\n# runcommand-lint: ignore[ShellCheck.SC2164] the directory always exists\nCommandContent: |\n  cd /opt\n  # shellcheck disable=SC2086\n  echo $1\n  echo $2\n";
    std::fs::write(dir.path().join("req.yaml"), req).unwrap();
    let v = json(&run_with_path(
        dir.path(),
        &path(),
        &["check", "--format", "json", "req.yaml"],
    ));
    let found: Vec<(String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // SC2164 suppressed by the comment; SC2086 on `$1` by ShellCheck's directive; `$2` stays.
    assert_eq!(found, vec![("ShellCheck.SC2086".to_owned(), 9)]);
}
