//! The cross-request pass over a run: `Lint.DuplicateSavedCommand`, and both cross checks fed
//! one report at a time through `CrossIndex` (as a streaming run does).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use runcommand_document::Format;
use runcommand_rules::{Content, CrossIndex, Engine, FileReport, Source, check_bytes};

/// The per-source part of a check of line `number` of a request log.
fn check_line(engine: &Engine, path: &str, line: &[u8], number: usize) -> FileReport {
    engine.check_source(
        Source::Line {
            path,
            bytes: line,
            number,
        },
        None,
    )
}

fn saved(name: &str, region: &str, keep: bool, extra: &str) -> String {
    format!(
        "RegionId: {region}\nType: RunShellScript\nCommandContent: echo {name}\nInstanceId: [i-bp185dy2o3o6neg1234]\nName: {name}\nKeepCommand: {keep}\n{extra}"
    )
}

fn codes(r: &FileReport) -> Vec<(&'static str, usize)> {
    r.diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.document))
        .collect()
}

#[test]
fn the_second_saved_command_with_the_same_name_and_region_is_reported() {
    let src = format!(
        "{}---\n{}---\n{}",
        saved("backup", "cn-hangzhou", true, ""),
        saved("backup", "cn-hangzhou", true, ""),
        saved("backup", "cn-hangzhou", true, "")
    );
    let r = check_bytes("a.yaml", src.as_bytes(), Format::Yaml);
    assert_eq!(
        codes(&r),
        vec![
            ("Lint.DuplicateSavedCommand", 1),
            ("Lint.DuplicateSavedCommand", 2)
        ]
    );
    let d = &r.diagnostics[0];
    assert_eq!(&r.text[d.span.clone()], "backup");
    assert_eq!(r.position(d.span.start).line, 12);
    // Both later ones point at the first.
    for d in &r.diagnostics {
        assert_eq!(d.related.len(), 1);
        assert_eq!(d.related[0].path, None);
        assert_eq!(r.position(d.related[0].span.start).line, 5);
    }
}

#[test]
fn other_regions_names_unsaved_commands_and_retries_are_not_duplicates() {
    let cases = [
        (
            saved("backup", "cn-hangzhou", true, ""),
            saved("backup", "cn-beijing", true, ""),
        ),
        (
            saved("backup", "cn-hangzhou", true, ""),
            saved("cleanup", "cn-hangzhou", true, ""),
        ),
        (
            saved("backup", "cn-hangzhou", true, ""),
            saved("backup", "cn-hangzhou", false, ""),
        ),
        (
            saved("backup", "cn-hangzhou", false, ""),
            saved("backup", "cn-hangzhou", true, ""),
        ),
        // The same call retried with its ClientToken saves one command.
        (
            saved("backup", "cn-hangzhou", true, "ClientToken: t-1\n"),
            saved("backup", "cn-hangzhou", true, "ClientToken: t-1\n"),
        ),
        // Names are compared exactly.
        (
            saved("backup", "cn-hangzhou", true, ""),
            saved("Backup", "cn-hangzhou", true, ""),
        ),
    ];
    for (a, b) in cases {
        let src = format!("{a}---\n{b}");
        let r = check_bytes("a.yaml", src.as_bytes(), Format::Yaml);
        assert_eq!(codes(&r), vec![], "{src}");
    }
    // Different tokens are different calls: two commands are saved.
    let src = format!(
        "{}---\n{}",
        saved("backup", "cn-hangzhou", true, "ClientToken: t-1\n"),
        saved("backup", "cn-hangzhou", true, "ClientToken: t-2\n")
    );
    let r = check_bytes("a.yaml", src.as_bytes(), Format::Yaml);
    assert_eq!(codes(&r), vec![("Lint.DuplicateSavedCommand", 1)]);
}

#[test]
fn a_streamed_run_reports_across_files_and_log_lines_with_positions() {
    let engine = Engine::default();
    let mut index = CrossIndex::new();
    let first = saved("backup", "cn-hangzhou", true, "ClientToken: tok-1\n");
    let content = Content::Bytes(first.into_bytes());
    let mut a = engine.check_source(
        Source::File {
            path: "a.yaml",
            format: Format::Yaml,
            content: &content,
        },
        None,
    );
    index.check(&mut a);
    assert!(a.diagnostics.is_empty());
    assert!(a.client_tokens.is_empty() && a.saved_commands.is_empty());
    assert_eq!(index.len(), 2);
    drop(a);
    // Line 1 of a log: the same token with other parameters; line 3: the same saved command.
    let line1 = r#"{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo other", "InstanceId": ["i-bp185dy2o3o6neg1234"], "ClientToken": "tok-1"}"#;
    let line3 = r#"{"eventName": "RunCommand", "requestParameters": {"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo x", "InstanceId.1": "i-bp185dy2o3o6neg1234", "Name": "backup", "KeepCommand": "true"}}"#;
    let mut l1 = check_line(&engine, "log.jsonl", line1.as_bytes(), 1);
    index.check(&mut l1);
    assert_eq!(codes(&l1), vec![("IdempotentParameterMismatch", 0)]);
    let rel = &l1.diagnostics[0].related[0];
    assert_eq!(rel.path.as_deref(), Some("a.yaml"));
    assert_eq!(rel.position, Some((7, 14)));
    let mut l3 = check_line(&engine, "log.jsonl", line3.as_bytes(), 3);
    index.check(&mut l3);
    assert_eq!(codes(&l3), vec![("Lint.DuplicateSavedCommand", 2)]);
    let d = &l3.diagnostics[0];
    assert_eq!(l3.position(d.span.start).line, 3);
    assert_eq!(d.related[0].path.as_deref(), Some("a.yaml"));
    assert_eq!(d.related[0].position, Some((5, 7)));
    // A later line of the same log repeating line 3 points at a.yaml still, and a line
    // repeating line 1's token with line 1's parameters is a mismatch against a.yaml only.
    let mut l9 = check_line(&engine, "log.jsonl", line1.as_bytes(), 9);
    index.check(&mut l9);
    assert_eq!(codes(&l9), vec![("IdempotentParameterMismatch", 8)]);
    assert_eq!(l9.diagnostics[0].related[0].position, Some((7, 14)));
}

#[test]
fn a_log_line_conflicting_with_an_earlier_line_names_that_line() {
    let engine = Engine::default();
    let mut index = CrossIndex::new();
    let line = |cmd: &str| {
        format!(
            r#"{{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "{cmd}", "InstanceId": ["i-bp185dy2o3o6neg1234"], "ClientToken": "tok-9"}}"#
        )
    };
    let mut l2 = check_line(&engine, "log.jsonl", line("echo a").as_bytes(), 2);
    index.check(&mut l2);
    let mut l5 = check_line(&engine, "log.jsonl", line("echo b").as_bytes(), 5);
    index.check(&mut l5);
    let rel = &l5.diagnostics[0].related[0];
    assert_eq!(rel.path.as_deref(), Some("log.jsonl"));
    assert_eq!(rel.position.map(|p| p.0), Some(2));
    assert!(rel.message.contains("log.jsonl"), "{}", rel.message);
}
