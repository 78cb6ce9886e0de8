#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Walking directories: ignore files, which files are linted, and every way a walk can fail
//! (each reported once, the rest still checked).

mod common;

use std::path::Path;
use std::process::Output;

use common::{json, run_in, run_unprivileged};

const VALID: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";
const BAD: &str = "RegionId: cn-hangzhou\nType: RunShell\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// `(path, code)` of every finding.
fn findings(out: &Output) -> Vec<(String, String)> {
    json(out)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn paths(out: &Output) -> Vec<String> {
    let mut p: Vec<String> = findings(out).into_iter().map(|(p, _)| p).collect();
    p.dedup();
    p
}

#[test]
fn gitignore_and_ignore_files_are_honoured_outside_a_git_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "reqs/.gitignore", "generated/\n*.draft.yaml\n");
    write(d, "reqs/sub/.ignore", "old.yaml\n");
    write(d, "reqs/a.yaml", BAD);
    write(d, "reqs/b.draft.yaml", BAD);
    write(d, "reqs/generated/c.yaml", BAD);
    write(d, "reqs/sub/old.yaml", BAD);
    write(d, "reqs/sub/new.yaml", BAD);
    let out = run_in(d, &["check", "--format", "json", "reqs"], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(paths(&out), ["reqs/a.yaml", "reqs/sub/new.yaml"]);
    let out = run_in(
        d,
        &["check", "--format", "json", "--no-ignore", "reqs"],
        None,
    );
    assert_eq!(
        paths(&out),
        [
            "reqs/a.yaml",
            "reqs/b.draft.yaml",
            "reqs/generated/c.yaml",
            "reqs/sub/new.yaml",
            "reqs/sub/old.yaml"
        ]
    );
    // A file named on the command line is checked even when ignored.
    let out = run_in(d, &["check", "--format", "json", "reqs/b.draft.yaml"], None);
    assert_eq!(paths(&out), ["reqs/b.draft.yaml"]);
}

#[test]
fn hidden_folders_are_walked_but_vcs_and_node_modules_are_not() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, ".github/requests/a.yaml", BAD);
    write(d, ".git/b.yaml", BAD);
    write(d, "node_modules/pkg/c.yaml", BAD);
    write(d, "src/.hg/d.yaml", BAD);
    let out = run_in(d, &["check", "--format", "json", "."], None);
    assert_eq!(paths(&out), ["./.github/requests/a.yaml"]);
}

#[test]
fn only_request_files_are_linted_in_a_walk_but_named_files_always_are() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "repo/request.yaml", BAD);
    write(
        d,
        "repo/.github/workflows/ci.yml",
        "name: ci\non: push\njobs: {}\n",
    );
    write(
        d,
        "repo/package.json",
        "{\"name\": \"x\", \"version\": \"1.0.0\"}\n",
    );
    write(d, "repo/empty.yaml", "");
    write(d, "repo/notes.txt", "Type: RunShell\n");
    let out = run_in(d, &["check", "--format", "json", "--verbose", "repo"], None);
    assert_eq!(paths(&out), ["repo/request.yaml"]);
    assert_eq!(json(&out)["summary"]["files"], 1);
    let err = String::from_utf8_lossy(&out.stderr);
    for f in ["ci.yml", "package.json", "empty.yaml"] {
        assert!(
            err.lines()
                .any(|l| l.contains(f) && l.contains("does not look like a RunCommand request")),
            "{err}"
        );
    }
    // Named, the same file is checked (and is no request).
    let out = run_in(d, &["check", "--format", "json", "repo/empty.yaml"], None);
    assert_eq!(
        findings(&out),
        [("repo/empty.yaml".into(), "Lint.EmptyDocument".into())]
    );
    // The human summary counts what was skipped.
    let out = run_in(d, &["check", "--color", "never", "repo"], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("files checked: 1, with errors: 1; 3 skipped (not RunCommand requests)"),
        "{text}"
    );
}

#[test]
fn a_symlink_loop_is_reported_once_and_linked_folders_are_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "shared/linked.yaml", BAD);
    write(d, "root/a/one.yaml", BAD);
    std::os::unix::fs::symlink(d.join("root"), d.join("root/a/back")).unwrap();
    std::os::unix::fs::symlink(d.join("shared"), d.join("root/shared")).unwrap();
    let out = run_in(d, &["check", "--format", "json", "root"], None);
    let f = findings(&out);
    assert_eq!(
        f,
        [
            ("root/a/back".into(), "Lint.Io".into()),
            ("root/a/one.yaml".into(), "InvalidCmdType.NotFound".into()),
            (
                "root/shared/linked.yaml".into(),
                "InvalidCmdType.NotFound".into()
            ),
        ]
    );
    let v = json(&out);
    let msg = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("symbolic link loop"), "{msg}");
    // Nothing was left unread: findings fail the run (1), not an unreadable path (2).
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn a_broken_symlink_is_reported_once_and_the_rest_is_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "reqs/a.yaml", BAD);
    std::os::unix::fs::symlink(d.join("missing.yaml"), d.join("reqs/gone.yaml")).unwrap();
    let out = run_in(d, &["check", "--format", "json", "reqs"], None);
    assert_eq!(out.status.code(), Some(2));
    let f = findings(&out);
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(
        f[0],
        ("reqs/a.yaml".into(), "InvalidCmdType.NotFound".into())
    );
    assert_eq!(f[1], ("reqs/gone.yaml".into(), "Lint.Io".into()));
}

#[test]
fn unreadable_directories_and_files_in_a_walk_are_reported_once() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "reqs/a.yaml", BAD);
    write(d, "reqs/locked/b.yaml", BAD);
    write(d, "reqs/secret.yaml", VALID);
    write(d, "reqs/z.yaml", BAD);
    let mode = |p: &str, m: u32| {
        std::fs::set_permissions(d.join(p), std::fs::Permissions::from_mode(m)).unwrap();
    };
    mode("reqs/locked", 0o000);
    mode("reqs/secret.yaml", 0o000);
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run_unprivileged(d, &["check", "--format", "json", "reqs"]);
    mode("reqs/locked", 0o755);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let f = findings(&out);
    assert_eq!(
        f,
        [
            ("reqs/a.yaml".into(), "InvalidCmdType.NotFound".into()),
            ("reqs/locked".into(), "Lint.Io".into()),
            ("reqs/secret.yaml".into(), "Lint.Io".into()),
            ("reqs/z.yaml".into(), "InvalidCmdType.NotFound".into()),
        ]
    );
    let v = json(&out);
    for i in [1, 2] {
        let m = v["diagnostics"][i]["message"].as_str().unwrap();
        assert!(m.contains("ermission denied"), "{m}");
    }
}

#[test]
fn an_excluded_directory_is_not_entered() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "runcommand-lint.toml", "exclude = [\"vendor\"]\n");
    write(d, "a.yaml", BAD);
    write(d, "vendor/locked/b.yaml", BAD);
    std::fs::set_permissions(
        d.join("vendor/locked"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = run_unprivileged(d, &["check", "--format", "json", "."]);
    std::fs::set_permissions(
        d.join("vendor/locked"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    // An unreadable directory under the excluded one would be exit 2 and a Lint.Io.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(paths(&out), ["./a.yaml"]);
}

#[test]
fn output_is_sorted_by_path_whatever_the_argument_order() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for name in ["m/b.yaml", "m/a.yaml", "z.yaml", "a/c.yaml"] {
        write(d, name, BAD);
    }
    let out = run_in(d, &["check", "--format", "json", "z.yaml", "m", "a"], None);
    assert_eq!(paths(&out), ["a/c.yaml", "m/a.yaml", "m/b.yaml", "z.yaml"]);
}

#[test]
fn files_above_a_batch_budget_are_checked_one_at_a_time_in_order() {
    // A walk does not look up sizes: five 3 MiB requests land in one batch, whose jobs may read
    // 8 MiB together. Any two of them fit; the other three are handed back and checked by the
    // emitter in their turn. Nothing is lost and the order is the paths'.
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let script = "echo hi\n".repeat(3 << 17); // 3 MiB
    let big = format!(
        "RegionId: cn-hangzhou\nType: RunShellScript\nInstanceId: [i-bp185dy2o3o6neg1234]\nCommandContent: |\n{}",
        script
            .lines()
            .map(|l| format!("  {l}\n"))
            .collect::<String>()
    );
    for i in 0..5 {
        write(d, &format!("reqs/big-{i}.yaml"), &big);
        write(d, &format!("reqs/small-{i}.yaml"), BAD);
    }
    let out = run_in(
        d,
        &[
            "check",
            "--format",
            "json",
            "--verbose",
            "--max-file-size",
            "20000000",
            "reqs",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("3 files above the 8 MiB a batch reads were checked one at a time"),
        "{stderr}"
    );
    let mut expected = Vec::new();
    for i in 0..5 {
        expected.push((
            format!("reqs/big-{i}.yaml"),
            "CmdContent.ExceedLimit".to_owned(),
        ));
    }
    for i in 0..5 {
        expected.push((
            format!("reqs/small-{i}.yaml"),
            "InvalidCmdType.NotFound".to_owned(),
        ));
    }
    assert_eq!(findings(&out), expected);
    assert_eq!(json(&out)["summary"]["files"], 10);
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_whose_size_says_nothing_is_read_to_its_end() {
    // A file is read to the size it had when opened, except when that size is 0: files of
    // /proc report 0 and hold text. /proc/version is one line of prose, a YAML scalar.
    let out = common::run(&[
        "check",
        "--format",
        "json",
        "--input-format",
        "yaml",
        "/proc/version",
    ]);
    let codes: Vec<String> = findings(&out).into_iter().map(|(_, c)| c).collect();
    assert_eq!(codes, ["Lint.TypeMismatch"], "{codes:?}");
    // A file that is really empty is still an empty document.
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "empty.yaml", "");
    let out = run_in(
        tmp.path(),
        &["check", "--format", "json", "empty.yaml"],
        None,
    );
    let codes: Vec<String> = findings(&out).into_iter().map(|(_, c)| c).collect();
    assert_eq!(codes, ["Lint.EmptyDocument"]);
}
