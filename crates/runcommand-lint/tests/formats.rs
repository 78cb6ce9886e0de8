#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! The CI output formats (`concise`, `json-lines`, `sarif`, `github`), `--statistics`, and the
//! exit-status options `--fail-on` and `--exit-zero`. The SARIF output is validated against the
//! official SARIF 2.1.0 schema (`tests/data/sarif-schema-2.1.0.json`).

mod common;

use common::{json, run, run_in};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

#[test]
fn concise_is_one_line_per_finding() {
    let out = run(&[
        "check",
        "--format",
        "concise",
        "fixtures/invalid/enumerations.yaml",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let s = stdout(&out);
    let first = s.lines().next().unwrap();
    assert_eq!(
        first,
        "fixtures/invalid/enumerations.yaml:2:7: error InvalidCmdType.NotFound `RunShellscript` is not a valid Type; valid values: RunBatScript, RunPowerShellScript, RunShellScript"
    );
    let v = json(&run(&[
        "check",
        "--format",
        "json",
        "fixtures/invalid/enumerations.yaml",
    ]));
    assert_eq!(
        s.lines().count(),
        v["diagnostics"].as_array().unwrap().len()
    );
}

#[test]
fn json_lines_has_the_json_contract_objects() {
    let path = "fixtures/invalid/multi-document.yaml";
    let lines = run(&["check", "--format", "json-lines", path]);
    let whole = json(&run(&["check", "--format", "json", path]));
    let objects: Vec<serde_json::Value> = stdout(&lines)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!objects.is_empty());
    assert_eq!(&objects, whole["diagnostics"].as_array().unwrap());
    assert_eq!(lines.status.code(), Some(1));
}

#[test]
fn github_writes_workflow_commands() {
    let out = run(&[
        "check",
        "--format",
        "github",
        "fixtures/invalid/enumerations.yaml",
    ]);
    let s = stdout(&out);
    assert!(
        s.starts_with("::error file=fixtures/invalid/enumerations.yaml,line=2,col=7,endLine=2,endColumn=21,title=InvalidCmdType.NotFound::`RunShellscript` is not a valid Type; valid values: RunBatScript, RunPowerShellScript, RunShellScript%0Ahelp: did you mean `RunShellScript`?\n"),
        "{s}"
    );
    assert!(s.lines().all(|l| l.starts_with("::")), "{s}");
    let timeout = stdout(&run(&[
        "check",
        "--format",
        "github",
        "fixtures/invalid/timeout.yaml",
    ]));
    assert!(timeout.starts_with("::warning file="), "{timeout}");
    let info = stdout(&run(&[
        "check",
        "--format",
        "github",
        "fixtures/invalid/timeout-too-short.yaml",
    ]));
    assert!(info.starts_with("::notice file="), "{info}");
}

/// The schema, made usable by the validator: its two `language` patterns
/// (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, an unbalanced `]` that ECMA-262 reads as a literal)
/// fail the validator's check of the schema itself (draft-07 `format: regex`), so they are
/// dropped here; runcommand-lint never writes `language`.
fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    let mut schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut stack = vec![&mut schema];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(m) => {
                if m.get("pattern")
                    .and_then(|p| p.as_str())
                    .is_some_and(|p| p.ends_with("]?$") && p.contains("|^"))
                {
                    m.remove("pattern");
                }
                stack.extend(m.values_mut());
            }
            serde_json::Value::Array(a) => stack.extend(a.iter_mut()),
            _ => {}
        }
    }
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let validator = sarif_validator();
    let tmp = tempfile::tempdir().unwrap();
    // A path that needs percent-encoding, and a finding with a related location.
    std::fs::write(
        tmp.path().join("a b.yaml"),
        "RegionId: cn-hangzhou\nRegionId: cn-hangzhou\nType: RunShellscript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\nTimeout: 5\n",
    )
    .unwrap();
    for args in [
        &["check", "--format", "sarif", "a b.yaml"][..],
        &["check", "--format", "sarif", "a b.yaml", "no-such.yaml"][..],
        &["check", "--format", "sarif", "--no-config", "a b.yaml"][..],
    ] {
        let out = run_in(tmp.path(), args, None);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}\n{v:#}");
        assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
    }
    // Every fixture too.
    let out = run(&["check", "--format", "sarif", "fixtures", "examples"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // And a log the validator must reject, so the check is real.
    let mut bad = v.clone();
    bad["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn sarif_results_carry_levels_rules_and_regions() {
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "fixtures/invalid/enumerations.yaml",
        "fixtures/invalid/timeout-too-short.yaml",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let run0 = &v["runs"][0];
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
        assert!(!rule["help"]["text"].as_str().unwrap().is_empty());
    }
    let first = &results[0];
    assert_eq!(first["ruleId"], "InvalidCmdType.NotFound");
    assert_eq!(first["level"], "error");
    assert_eq!(
        first["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 21})
    );
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "Lint.TimeoutTooShort" && r["level"] == "note")
    );
}

#[test]
fn statistics_follow_the_findings() {
    let out = run(&[
        "check",
        "--statistics",
        "--format",
        "concise",
        "fixtures/invalid/multi-document.yaml",
    ]);
    let s = stdout(&out);
    let stats: Vec<&str> = s.lines().filter(|l| !l.contains(": ")).collect();
    assert!(!stats.is_empty(), "{s}");
    // Counts after the findings, right-aligned, most frequent first.
    let lines: Vec<&str> = s.lines().collect();
    let last_finding = lines.iter().rposition(|l| l.contains(": ")).unwrap();
    let first_stat = lines.iter().position(|l| !l.contains(": ")).unwrap();
    assert!(first_stat > last_finding, "{s}");
    let counts: Vec<usize> = stats
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    let mut sorted = counts.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(counts, sorted);
    assert_eq!(counts.iter().sum::<usize>(), last_finding + 1);
    // Machine formats keep stdout clean: the table goes to stderr.
    let out = run(&[
        "check",
        "--statistics",
        "--format",
        "json",
        "fixtures/invalid/multi-document.yaml",
    ]);
    json(&out);
    assert_eq!(stderr(&out).lines().count(), stats.len());
}

#[test]
fn fail_on_and_exit_zero_set_the_exit_status() {
    let warning_only = "fixtures/invalid/timeout.yaml";
    let error = "fixtures/invalid/timeout-not-positive.yaml";
    let code = |args: &[&str]| run(args).status.code();
    assert_eq!(code(&["check", warning_only]), Some(0));
    assert_eq!(
        code(&["check", "--fail-on", "warning", warning_only]),
        Some(1)
    );
    assert_eq!(code(&["check", "--fail-on", "error", error]), Some(1));
    assert_eq!(code(&["check", "--exit-zero", error]), Some(0));
    assert_eq!(
        code(&["check", "--exit-zero", "--fail-on", "warning", warning_only]),
        Some(0)
    );
    // An unreadable path still exits 2.
    assert_eq!(
        code(&["check", "--exit-zero", error, "no/such.yaml"]),
        Some(2)
    );
    assert_eq!(code(&["check", "--fail-on", "fatal", error]), Some(2));
}
