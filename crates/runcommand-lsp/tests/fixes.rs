//! Every quick fix, applied, leaves a document without the finding it fixes (and parses).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use runcommand_document::Format;
use runcommand_lsp::actions::{apply, quick_fixes};
use runcommand_rules::check_bytes;

const BASE: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

/// Applies the fix of the (first) finding with `code` and checks the result.
fn fixes(src: &str, format: Format, code: &str) -> String {
    let path = if format == Format::Json {
        "t.json"
    } else {
        "t.yaml"
    };
    let before = check_bytes(path, src.as_bytes(), format);
    let count =
        |r: &runcommand_rules::FileReport| r.diagnostics.iter().filter(|d| d.code == code).count();
    let n = count(&before);
    assert!(n > 0, "no {code} in {src:?}: {:?}", before.diagnostics);
    let i = before
        .diagnostics
        .iter()
        .position(|d| d.code == code && d.fix.is_some())
        .unwrap_or_else(|| panic!("no fix for {code}: {:?}", before.diagnostics));
    let d = &before.diagnostics[i];
    let all = quick_fixes(src, &before.diagnostics, d.span.clone());
    let fix = all
        .iter()
        .find(|f| f.diagnostic == i)
        .expect("the action of the finding");
    let fixed = apply(src, &fix.span, &fix.new_text);
    let after = check_bytes(path, fixed.as_bytes(), format);
    assert_eq!(
        count(&after),
        n - 1,
        "{code} still there in {fixed:?}: {:?}",
        after.diagnostics
    );
    assert!(
        !after.diagnostics.iter().any(|d| d.code == "Lint.Syntax"),
        "{fixed:?} does not parse"
    );
    fixed
}

#[test]
fn unknown_parameter_is_renamed() {
    let fixed = fixes(
        &format!("{BASE}Timout: 30\n"),
        Format::Yaml,
        "Lint.UnknownParameter",
    );
    assert!(fixed.ends_with("Timeout: 30\n"));
    fixes(
        &format!("{BASE}Tag:\n  - Key: a\n    Vaule: b\n"),
        Format::Yaml,
        "Lint.UnknownParameter",
    );
}

#[test]
fn enumeration_and_region_are_replaced() {
    let src = BASE.replace("RunShellScript", "RunShellscript");
    fixes(&src, Format::Yaml, "InvalidCmdType.NotFound");
    let src = BASE.replace("cn-hangzhou", "cn-hangzou");
    fixes(&src, Format::Yaml, "InvalidRegionId.NotFound");
}

#[test]
fn repeat_mode_is_set_to_period() {
    let src = format!("{BASE}RepeatMode: Once\nFrequency: 0 0 2 * * ?\n");
    fixes(&src, Format::Yaml, "Lint.FrequencyOverridesRepeatMode");
}

#[test]
fn timed_is_removed_with_its_line_in_yaml() {
    let src = format!(
        "RegionId: cn-hangzhou\nTimed: true\n{}",
        &BASE["RegionId: cn-hangzhou\n".len()..]
    );
    let fixed = fixes(&src, Format::Yaml, "Lint.DeprecatedParameter");
    assert_eq!(fixed, BASE);
    let src = format!("{BASE}Timed: false  # legacy\n");
    assert_eq!(fixes(&src, Format::Yaml, "Lint.DeprecatedParameter"), BASE);
    let src = "{RegionId: cn-hangzhou, Timed: true, Type: RunShellScript, CommandContent: x, InstanceId: [i-abc]}\n";
    let fixed = fixes(src, Format::Yaml, "Lint.DeprecatedParameter");
    assert_eq!(
        fixed,
        "{RegionId: cn-hangzhou, Type: RunShellScript, CommandContent: x, InstanceId: [i-abc]}\n"
    );
}

#[test]
fn timed_is_removed_with_its_comma_in_json() {
    let middle = "{\n  \"RegionId\": \"cn-hangzhou\",\n  \"Timed\": true,\n  \"Type\": \"RunShellScript\",\n  \"CommandContent\": \"x\",\n  \"InstanceId\": [\"i-abc\"]\n}\n";
    let fixed = fixes(middle, Format::Json, "Lint.DeprecatedParameter");
    assert_eq!(fixed, middle.replace("  \"Timed\": true,\n", ""));
    let last = "{\n  \"RegionId\": \"cn-hangzhou\",\n  \"Type\": \"RunShellScript\",\n  \"CommandContent\": \"x\",\n  \"InstanceId\": [\"i-abc\"],\n  \"Timed\": true\n}\n";
    let fixed = fixes(last, Format::Json, "Lint.DeprecatedParameter");
    assert_eq!(fixed, last.replace(",\n  \"Timed\": true", ""));
    let one_line = r#"{"RegionId": "cn-hangzhou", "Timed": "true", "Type": "RunShellScript", "CommandContent": "x", "InstanceId": ["i-abc"]}"#;
    fixes(one_line, Format::Json, "Lint.DeprecatedParameter");
}

#[test]
fn every_fix_in_the_invalid_fixtures_removes_its_finding() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/invalid");
    let mut tried = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.to_string_lossy().into_owned();
        let format = Format::from_path(&name);
        let Ok(src) = String::from_utf8(std::fs::read(&path).unwrap()) else {
            continue; // the encoding fixtures
        };
        let report = check_bytes(&name, src.as_bytes(), format);
        for (i, d) in report.diagnostics.iter().enumerate() {
            if d.fix.is_none() {
                continue;
            }
            let all = quick_fixes(&src, &report.diagnostics, d.span.clone());
            let fix = all.iter().find(|f| f.diagnostic == i).unwrap();
            let fixed = apply(&src, &fix.span, &fix.new_text);
            let after = check_bytes(&name, fixed.as_bytes(), format);
            let same = |x: &runcommand_rules::Diagnostic| {
                x.code == d.code && x.document == d.document && x.message == d.message
            };
            assert!(
                !after.diagnostics.iter().any(same),
                "{name}: {} `{}` is still reported after its fix",
                d.code.as_str(),
                d.message
            );
            tried += 1;
        }
    }
    assert!(tried > 0);
}

/// An enumeration value with no single close match: one quick fix per valid value in the editor,
/// none preferred, and no fix for `check --fix`. In JSON the new value stays a string.
#[test]
fn a_value_with_no_close_match_offers_every_valid_value() {
    for (src, path, format, quote) in [
        (BASE.replace("RunShellScript", "RunPython"), "t.yaml", Format::Yaml, ""),
        (
            r#"{"RegionId": "cn-hangzhou", "Type": "RunPython", "CommandContent": "x", "InstanceId": ["i-bp185dy2o3o6neg1234"]}"#.to_owned(),
            "t.json",
            Format::Json,
            "\"",
        ),
    ] {
        let report = check_bytes(path, src.as_bytes(), format);
        let d = report
            .diagnostics
            .iter()
            .find(|d| d.code == "InvalidCmdType.NotFound")
            .unwrap();
        assert!(d.fix.is_none());
        let actions = quick_fixes(&src, &report.diagnostics, d.span.clone());
        let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "Replace with `RunBatScript`",
                "Replace with `RunPowerShellScript`",
                "Replace with `RunShellScript`"
            ]
        );
        assert!(actions.iter().all(|a| !a.preferred));
        let last = actions.last().unwrap();
        assert_eq!(last.new_text, format!("{quote}RunShellScript{quote}"));
        let fixed = apply(&src, &last.span, &last.new_text);
        assert!(check_bytes(path, fixed.as_bytes(), format).diagnostics.is_empty(), "{fixed}");
    }
}
