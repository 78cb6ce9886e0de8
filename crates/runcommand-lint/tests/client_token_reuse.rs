#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! `IdempotentParameterMismatch` across the files of one run: reported once, on the later request
//! in path order, with a note pointing into the earlier file.

mod common;

use common::{codes, json, run_in};

const A: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hello\nInstanceId: [i-bp185dy2o3o6neg1234]\nClientToken: tok-1\n";
const B: &str = "# the same token, another command\nRegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo bye\nInstanceId: [i-bp185dy2o3o6neg1234]\nClientToken: tok-1\n";

#[test]
fn a_token_reused_in_another_file_is_reported_on_the_later_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.yaml"), A).unwrap();
    std::fs::write(dir.path().join("b.yaml"), B).unwrap();
    for args in [
        &["check", "--format", "json", "b.yaml", "a.yaml"][..],
        &["check", "--format", "json", "."][..],
    ] {
        let v = json(&run_in(dir.path(), args, None));
        assert_eq!(codes(&v), vec!["IdempotentParameterMismatch"], "{v:#}");
        let d = &v["diagnostics"][0];
        assert!(d["path"].as_str().unwrap().ends_with("b.yaml"), "{d:#}");
        assert_eq!(d["range"]["start"]["line"], 6);
    }
    let out = run_in(
        dir.path(),
        &["check", "--color", "never", "a.yaml", "b.yaml"],
        None,
    );
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(
        human.contains("= note: the token is first used in a.yaml (a.yaml:5:14)"),
        "{human}"
    );
    // Each file alone is fine.
    for f in ["a.yaml", "b.yaml"] {
        let v = json(&run_in(dir.path(), &["check", "--format", "json", f], None));
        assert!(codes(&v).is_empty(), "{v:#}");
    }
}
