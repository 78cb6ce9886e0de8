#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Honest metadata: every crate of the workspace declares the workspace's minimum Rust version
//! and licence, the licence files the declaration names exist, and no manifest lists a
//! dependency twice.

mod common;

#[test]
fn every_crate_inherits_the_rust_version_and_the_licence() {
    let root = common::root();
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        workspace.contains("rust-version = \"1.88\""),
        "the let-chains need 1.88"
    );
    assert!(workspace.contains("license = \"MIT OR Apache-2.0\""));
    for name in ["LICENSE-MIT", "LICENSE-APACHE"] {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        assert!(text.len() > 1000 || name == "LICENSE-MIT", "{name}");
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("1.88 or later"));
    let mut manifests = vec![root.join("Cargo.toml")];
    for e in std::fs::read_dir(root.join("crates")).unwrap() {
        manifests.push(e.unwrap().path().join("Cargo.toml"));
    }
    for m in manifests {
        let text = std::fs::read_to_string(&m).unwrap();
        for key in ["rust-version.workspace = true", "license.workspace = true"] {
            assert!(text.contains(key), "{} lacks `{key}`", m.display());
        }
        // A dependency listed twice in one table is a mistake (`serde_json` once was).
        let mut table = String::new();
        let mut seen = std::collections::BTreeSet::new();
        for line in text.lines() {
            if line.starts_with('[') {
                table = line.to_owned();
                continue;
            }
            if table.contains("dependencies")
                && let Some((name, _)) = line.split_once(" = ")
            {
                assert!(
                    seen.insert((table.clone(), name.trim().to_owned())),
                    "{}: {name} twice in {table}",
                    m.display()
                );
            }
        }
    }
}
