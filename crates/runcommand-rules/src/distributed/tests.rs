//! A distributed run (uses grouped by key as the module documentation says, conflicting lines
//! checked again) gives the findings of one streaming run, line for line.

use std::collections::BTreeMap;

use super::*;
use crate::Diagnostic;

/// A request line: `token` and `name` optional, `script` tells requests apart.
fn request(token: Option<&str>, name: Option<&str>, script: &str) -> String {
    let mut s = format!(
        r#"{{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "{script}", "InstanceId": ["i-bp185dy2o3o6neg1234"]"#
    );
    if let Some(t) = token {
        s.push_str(&format!(r#", "ClientToken": "{t}""#));
    }
    if let Some(n) = name {
        s.push_str(&format!(r#", "Name": "{n}", "KeepCommand": true"#));
    }
    s.push('}');
    s
}

fn logs() -> Vec<(String, String)> {
    let a = [
        request(Some("t1"), None, "echo a"),
        request(Some("t1"), None, "echo a"), // a retry
        request(Some("t2"), Some("n1"), "echo b"),
        String::new(),
        r#"{"eventName": "DescribeInstances", "requestParameters": {"RegionId": "cn-hangzhou"}}"#
            .to_owned(),
        request(None, Some("n1"), "echo c"), // a second saved n1
        "{broken".to_owned(),
    ];
    let b = [
        request(Some("t1"), Some("n2"), "echo other"), // reuses t1 with other parameters: rejected, n2 not saved
        request(None, Some("n2"), "echo d"),           // so this n2 is the first
        request(Some("t3"), Some("n3"), "echo e"),
        request(Some("t3"), Some("n3"), "echo e"), // a retry: saves nothing new
        format!(
            "[{}, {}]",
            request(Some("t4"), None, "echo f"),
            request(Some("t4"), None, "echo g")
        ),
    ];
    vec![
        ("a.jsonl".to_owned(), a.join("\n") + "\n"),
        ("b.jsonl".to_owned(), b.join("\r\n")),
    ]
}

type Found = BTreeMap<(String, usize), Vec<Diagnostic>>;

fn streaming(engine: &Engine) -> Found {
    let mut index = CrossIndex::default();
    let mut found = Found::new();
    for (path, text) in logs() {
        for (number, line) in crate::records::log_lines(text.as_bytes()) {
            let mut r = engine.check_source(
                Source::Line {
                    path: &path,
                    bytes: line,
                    number,
                },
                None,
            );
            engine.finish(&mut r, &mut index, None);
            found.insert((path.clone(), number), r.diagnostics);
        }
    }
    found
}

/// The caller's part, written as the module documentation says (the Spark job does the same
/// with a group-by).
fn resolve(uses: &[(String, usize, CrossUse)]) -> BTreeMap<(String, usize), Vec<Conflict>> {
    type Key = (String, usize, usize);
    let order = |(p, l, u): &(String, usize, CrossUse)| (p.clone(), *l, u.document);
    let mut conflicts: BTreeMap<(String, usize), Vec<Conflict>> = BTreeMap::new();
    let conflict =
        |kind, first: &(String, usize, CrossUse), later: &(String, usize, CrossUse)| Conflict {
            kind,
            document: later.2.document,
            first_path: first.0.clone(),
            same_report: first.0 == later.0 && first.1 == later.1,
            first_start: first.2.start,
            first_line: first.2.line,
            first_column: first.2.column,
        };
    let mut sorted: Vec<&(String, usize, CrossUse)> = uses.iter().collect();
    sorted.sort_by_key(|u| order(u));
    let mut rejected: Vec<Key> = Vec::new();
    let mut first: BTreeMap<u64, &(String, usize, CrossUse)> = BTreeMap::new();
    for u in sorted.iter().filter(|u| u.2.kind == CrossKind::Token) {
        match first.get(&u.2.key) {
            None => {
                first.insert(u.2.key, u);
            }
            Some(f) if f.2.value == u.2.value => {}
            Some(f) => {
                conflicts
                    .entry((u.0.clone(), u.1))
                    .or_default()
                    .push(conflict(CrossKind::Token, f, u));
                rejected.push(order(u));
            }
        }
    }
    let mut first: BTreeMap<u64, &(String, usize, CrossUse)> = BTreeMap::new();
    for u in sorted
        .iter()
        .filter(|u| u.2.kind == CrossKind::Saved && !rejected.contains(&order(u)))
    {
        match first.get(&u.2.key) {
            None => {
                first.insert(u.2.key, u);
            }
            Some(f) if f.2.value != 0 && f.2.value == u.2.value => {}
            Some(f) => conflicts
                .entry((u.0.clone(), u.1))
                .or_default()
                .push(conflict(CrossKind::Saved, f, u)),
        }
    }
    conflicts
}

#[test]
fn a_distributed_run_gives_the_streaming_findings() {
    let engine = Engine::default();
    let mut found = Found::new();
    let mut uses = Vec::new();
    for (path, text) in logs() {
        engine.check_log_apart(&path, text.as_bytes(), None, |number, report, u| {
            found.insert((path.clone(), number), report.diagnostics);
            uses.extend(u.into_iter().map(|u| (path.clone(), number, u)));
        });
    }
    let conflicts = resolve(&uses);
    assert_eq!(conflicts.len(), 3, "{conflicts:?}");
    let texts: BTreeMap<String, String> = logs().into_iter().collect();
    for ((path, number), list) in &conflicts {
        let line = crate::records::log_lines(texts[path].as_bytes())
            .find(|(n, _)| n == number)
            .map(|(_, l)| l)
            .unwrap_or_default();
        let r = engine.check_with_conflicts(
            Source::Line {
                path,
                bytes: line,
                number: *number,
            },
            None,
            list,
        );
        found.insert((path.clone(), *number), r.diagnostics);
    }
    let expected = streaming(&engine);
    assert_eq!(found, expected);
    let codes: Vec<(&str, usize, &str)> = expected
        .iter()
        .flat_map(|((p, n), ds)| ds.iter().map(move |d| (p.as_str(), *n, d.code.as_str())))
        .filter(|(_, _, c)| {
            *c == "IdempotentParameterMismatch" || *c == "Lint.DuplicateSavedCommand"
        })
        .collect();
    assert_eq!(
        codes,
        vec![
            ("a.jsonl", 6, "Lint.DuplicateSavedCommand"),
            ("b.jsonl", 1, "IdempotentParameterMismatch"),
            ("b.jsonl", 5, "IdempotentParameterMismatch"),
        ]
    );
}

#[test]
fn a_line_above_the_cap_is_not_read() {
    let engine = Engine::new(crate::Settings {
        max_file_size: 10,
        ..crate::Settings::default()
    });
    let mut got = Vec::new();
    engine.check_log_apart(
        "l.jsonl",
        b"{}\n{\"RegionId\": \"cn-hangzhou\"}\n",
        None,
        |n, r, _| {
            got.push((
                n,
                r.diagnostics
                    .iter()
                    .map(|d| d.code.as_str())
                    .collect::<Vec<_>>(),
            ));
        },
    );
    assert_eq!(got.len(), 2);
    assert_eq!(got[1], (2, vec!["Lint.FileTooLarge"]));
    assert_ne!(got[0].1, vec!["Lint.FileTooLarge"]);
}
