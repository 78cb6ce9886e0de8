#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The pre-commit `language: rust` hook builds the CLI from the root package
//! (`runcommand-lint-precommit` in the root Cargo.toml, `cargo install --path .`), which compiles
//! this crate's `src/main.rs` on its own: its binary and dependencies must stay those of this
//! crate. (tests/e2e/test_precommit.py runs the hooks with the real pre-commit.)

mod common;

use common::root;

fn manifest(path: &std::path::Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A dependency with its `path` made relative to the workspace root.
fn normalised(dep: &toml::Value, base: &str) -> toml::Value {
    let mut dep = dep.clone();
    if let Some(t) = dep.as_table_mut()
        && let Some(p) = t.get("path").and_then(|p| p.as_str())
    {
        let joined = format!("{base}{p}");
        let mut parts: Vec<&str> = Vec::new();
        for part in joined.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                other => parts.push(other),
            }
        }
        t.insert("path".into(), parts.join("/").into());
    }
    dep
}

#[test]
fn the_root_package_builds_this_binary_with_the_same_dependencies() {
    let rootm = manifest(&root().join("Cargo.toml"));
    let crate_m = manifest(&root().join("crates/runcommand-lint/Cargo.toml"));
    let bins = rootm["bin"].as_array().unwrap();
    assert_eq!(bins.len(), 1);
    assert_eq!(bins[0]["name"].as_str(), Some("runcommand-lint"));
    assert_eq!(
        bins[0]["path"].as_str(),
        Some("crates/runcommand-lint/src/main.rs")
    );
    let ours = crate_m["dependencies"].as_table().unwrap();
    let theirs = rootm["dependencies"].as_table().unwrap();
    for (name, dep) in ours {
        let expected = normalised(dep, "crates/runcommand-lint/");
        let got = theirs.get(name).map(|d| normalised(d, ""));
        assert_eq!(
            got.as_ref(),
            Some(&expected),
            "dependency `{name}` of crates/runcommand-lint must be in the root Cargo.toml's \
             [dependencies] too, with the path from the root (the pre-commit hook builds the CLI \
             from there)"
        );
    }
    let extra: Vec<&String> = theirs.keys().filter(|k| !ours.contains_key(*k)).collect();
    assert!(
        extra.is_empty(),
        "the root package has extra dependencies: {extra:?}"
    );
}

#[test]
fn the_hooks_file_declares_both_hooks() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    for line in [
        "- id: runcommand-lint\n",
        "- id: runcommand-lint-system\n",
        "  language: rust\n",
        "  language: system\n",
        "  types_or: [yaml, json]\n",
        "  entry: runcommand-lint check --only-requests --force-exclude\n",
    ] {
        assert!(text.contains(line), "missing {line:?}");
    }
}
