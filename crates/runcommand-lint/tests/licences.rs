#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
//! The licence check (issue 18): every package the workspace builds with (from
//! `cargo metadata`, the same graph `cargo deny` reads) declares a licence, and each one allows
//! use under the project's MIT OR Apache-2.0. The policy is `deny.toml`'s `[licenses] allow`
//! list, read here so that `cargo deny check licenses` (where it can run) and this test agree.
//! Advisories: see README, "Supply chain".

use std::process::Command;

/// The allow-list of `deny.toml`.
fn allowed() -> Vec<String> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../deny.toml"))
        .expect("deny.toml at the workspace root");
    let value: toml::Value = toml::from_str(&text).expect("deny.toml parses");
    value["licenses"]["allow"]
        .as_array()
        .expect("[licenses] allow")
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Whether an SPDX expression (as crates write it: `MIT OR Apache-2.0`, `MIT/Apache-2.0`,
/// `(MIT OR Apache-2.0) AND Unicode-3.0`, `Apache-2.0 WITH LLVM-exception`) allows use under the
/// allowed licences: some alternative of every AND term is allowed.
fn acceptable(expr: &str, allowed: &[String]) -> bool {
    let expr = expr.replace('/', " OR ");
    expr.split(" AND ").all(|term| {
        let term = term.trim().trim_start_matches('(').trim_end_matches(')');
        term.split(" OR ").any(|alt| {
            let id = alt.trim().split(" WITH ").next().unwrap_or("").trim();
            allowed.iter().any(|a| a == id)
        })
    })
}

#[test]
fn the_expression_reader_accepts_and_refuses() {
    let allowed = vec![
        "MIT".to_owned(),
        "Apache-2.0".to_owned(),
        "Unicode-3.0".to_owned(),
    ];
    assert!(acceptable("MIT OR Apache-2.0", &allowed));
    assert!(acceptable("MIT/Apache-2.0", &allowed));
    assert!(acceptable("(MIT OR Apache-2.0) AND Unicode-3.0", &allowed));
    assert!(acceptable(
        "Apache-2.0 WITH LLVM-exception OR GPL-3.0",
        &allowed
    ));
    assert!(!acceptable("GPL-3.0-only", &allowed));
    assert!(!acceptable("(MIT OR Apache-2.0) AND BUSL-1.1", &allowed));
}

#[test]
fn every_dependency_has_an_allowed_licence() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let allowed = allowed();
    let mut bad = Vec::new();
    let mut checked = 0;
    for p in meta["packages"].as_array().unwrap() {
        if members.contains(&p["id"].as_str().unwrap()) {
            assert_eq!(p["license"], "MIT OR Apache-2.0", "{}", p["name"]);
            continue;
        }
        checked += 1;
        match p["license"].as_str() {
            Some(l) if acceptable(l, &allowed) => {}
            other => bad.push(format!("{} {}: {other:?}", p["name"], p["version"])),
        }
    }
    assert!(checked > 50, "only {checked} dependencies listed");
    assert!(
        bad.is_empty(),
        "licences outside deny.toml's allow list: {bad:#?}"
    );
}
