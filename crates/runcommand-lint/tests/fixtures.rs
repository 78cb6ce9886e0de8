#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Snapshot tests of the JSON output for every fixture, and the fixture rules: valid fixtures are
//! clean, invalid ones are not, every rule has both, and checking the whole directory gives what
//! the per-file snapshots say.

mod common;

use std::collections::BTreeSet;

use common::{codes, fixtures, json, run};

#[test]
fn every_fixture_matches_its_snapshot() {
    for sub in ["valid", "invalid"] {
        for path in fixtures(sub) {
            let out = run(&["check", "--format", "json", &path]);
            let v = json(&out);
            let name = path.trim_start_matches("fixtures/").replace('/', "__");
            insta::assert_json_snapshot!(name, v);
        }
    }
}

#[test]
fn valid_fixtures_have_no_errors_or_warnings() {
    for path in fixtures("valid") {
        let out = run(&["check", "--format", "json", &path]);
        assert_eq!(out.status.code(), Some(0), "{path}");
        let v = json(&out);
        let bad: Vec<_> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] != "info")
            .collect();
        assert!(bad.is_empty(), "{path}: {bad:#?}");
    }
}

#[test]
fn invalid_fixtures_have_findings() {
    for path in fixtures("invalid") {
        let v = json(&run(&["check", "--format", "json", &path]));
        assert!(!codes(&v).is_empty(), "{path} gives no finding");
    }
}

#[test]
fn every_rule_has_a_valid_and_an_invalid_fixture_and_every_code_is_shown() {
    let valid: BTreeSet<String> = fixtures("valid").into_iter().collect();
    let invalid = fixtures("invalid");
    for rule in runcommand_rules::rules::RULES {
        let v = format!("fixtures/valid/{}.yaml", rule.name);
        assert!(valid.contains(&v), "rule {} has no {v}", rule.name);
        let i = format!("fixtures/invalid/{}.yaml", rule.name);
        assert!(invalid.contains(&i), "rule {} has no {i}", rule.name);
    }
    let mut seen = BTreeSet::new();
    for path in &invalid {
        seen.extend(codes(&json(&run(&["check", "--format", "json", path]))));
    }
    // Reported by the CLI for unreadable, oversized files and internal errors: see cli.rs; the
    // findings cap needs 10,000 findings: see hostile.rs.
    let cli_only = [
        "Lint.Io",
        "Lint.FileTooLarge",
        "Lint.InternalError",
        "Lint.TooManyFindings",
    ];
    let mut expected: BTreeSet<&str> = runcommand_rules::rules::RULES
        .iter()
        .flat_map(|r| r.codes.iter().map(|c| c.as_str()))
        .collect();
    expected.extend(
        runcommand_rules::rules::STRUCTURAL_CODES
            .iter()
            .map(|c| c.as_str()),
    );
    for code in expected {
        if !cli_only.contains(&code) {
            assert!(seen.contains(code), "no invalid fixture shows {code}");
        }
    }
}

#[test]
fn checking_the_whole_directory_gives_what_the_files_give() {
    // A walk checks the files that look like requests: what `--only-requests` keeps of each
    // file named alone.
    let whole = json(&run(&["check", "--format", "json", "fixtures"]));
    let mut expected = Vec::new();
    let mut files = fixtures("invalid");
    files.extend(fixtures("valid"));
    files.sort();
    let (mut documents, mut errors, mut warnings, mut checked) = (0, 0, 0, 0);
    let mut skipped = Vec::new();
    for path in &files {
        let v = json(&run(&[
            "check",
            "--format",
            "json",
            "--only-requests",
            path,
        ]));
        expected.extend(v["diagnostics"].as_array().unwrap().iter().cloned());
        documents += v["summary"]["documents"].as_u64().unwrap();
        errors += v["summary"]["errors"].as_u64().unwrap();
        warnings += v["summary"]["warnings"].as_u64().unwrap();
        match v["summary"]["files"].as_u64().unwrap() {
            0 => skipped.push(path.rsplit('/').next().unwrap().to_owned()),
            n => checked += n,
        }
    }
    assert_eq!(whole["diagnostics"].as_array().unwrap(), &expected);
    assert_eq!(whole["summary"]["files"].as_u64().unwrap(), checked);
    // The fixtures that hold no request, or nothing readable as one, are the ones skipped.
    assert_eq!(
        skipped,
        [
            "empty.yaml",
            "encoding.yaml",
            "not-a-mapping.yaml",
            "syntax.json",
            "unsupported-action.yaml",
            "oos-no-run-command.yaml",
            "ros-no-run-command.yaml"
        ]
    );
    assert_eq!(whole["summary"]["documents"].as_u64().unwrap(), documents);
    assert_eq!(whole["summary"]["errors"].as_u64().unwrap(), errors);
    assert_eq!(whole["summary"]["warnings"].as_u64().unwrap(), warnings);
}
