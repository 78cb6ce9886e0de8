//! Inline suppression comments (YAML only; JSON has no comments, so JSON files use the
//! configuration file's `per-path-ignores`).
//!
//! - `# runcommand-lint: ignore[Code, ...] reason` on a line of its own applies to the next line
//!   that is not itself a comment line (so several suppression comments can be stacked). When a
//!   mapping key starts on that line, the comment covers the key's whole value too (a block
//!   scalar, a nested mapping or list).
//! - The same comment after code on a line (a trailing comment) applies to that line, and to the
//!   whole value of a key that starts on it.
//! - `# runcommand-lint: ignore-file[Code, ...] reason` anywhere applies to the whole file.
//!
//! A finding is suppressed when its code is listed (exactly: no prefixes) and its range starts
//! where the comment applies. The reason (text with a letter or digit after `]`) is required. A
//! comment that starts with `runcommand-lint:` but does not have this form gives
//! `Lint.InvalidSuppression` and suppresses nothing. Each listed code that suppresses nothing, or
//! that is not a code at all, gives `Lint.UnusedSuppression` at the code. When reading the file
//! stopped on a syntax error, unused codes are not reported (their findings may be in the part
//! that was not read). The two suppression codes cannot themselves be suppressed by comments.
//!
//! Suppressions are read with the findings of a file (`check_loaded`, which has the comments
//! and the trees) and applied by [`crate::apply_suppressions`] in [`crate::Engine::finish`],
//! once every finding is known, after the cross-request pass.

use runcommand_catalog::{Code, code};
use std::ops::Range;

use runcommand_document::{LoadedFile, Node, Value};

use crate::diagnostic::Diagnostic;
use crate::suggest::did_you_mean;

/// What introduces a suppression comment.
pub const MARKER: &str = "runcommand-lint:";

/// The codes the suppression pass itself reports (never suppressed by comments).
const OWN_CODES: [Code; 2] = [
    code::LINT_INVALID_SUPPRESSION,
    code::LINT_UNUSED_SUPPRESSION,
];

/// One suppression comment of a file, read and located; opaque outside the engine.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// The comment's byte range (`#` to the end of the line).
    comment: Range<usize>,
    /// 0-based index of the request the comment belongs to (for the `document` field).
    document: usize,
    /// Reading the file stopped on an error, so unused codes are not reported.
    partial: bool,
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    /// A well-formed comment.
    Valid {
        /// `ignore-file`: the whole file.
        file: bool,
        /// Where it applies (byte ranges, a finding starting in one is covered); unused for
        /// `ignore-file`.
        covers: Vec<Range<usize>>,
        /// The codes listed, with their byte ranges in the comment and whether they suppressed
        /// something.
        codes: Vec<Listed>,
    },
    /// A malformed comment: why.
    Invalid(String),
}

#[derive(Clone, Debug)]
struct Listed {
    code: String,
    span: Range<usize>,
    used: bool,
}

/// A comment's directive, parsed.
#[derive(Debug, PartialEq, Eq)]
enum Directive {
    /// Not a `runcommand-lint:` comment.
    None,
    /// `ignore` (false) or `ignore-file` (true), with the codes and their byte ranges relative to
    /// the start of the comment text.
    Ignore {
        file: bool,
        codes: Vec<(String, Range<usize>)>,
    },
    /// A malformed directive: why.
    Invalid(String),
}

const FORM: &str = "`# runcommand-lint: ignore[CODE, ...] reason` or `# runcommand-lint: ignore-file[CODE, ...] reason`";

/// Parses the text of a comment (starting with its `#`).
fn parse(comment: &str) -> Directive {
    let Some(body) = comment.strip_prefix('#') else {
        return Directive::None;
    };
    let lead = body.len() - body.trim_start().len();
    let Some(rest) = body.trim_start().strip_prefix(MARKER) else {
        return Directive::None;
    };
    // Offsets below are relative to `comment`.
    let mut at = 1 + lead + MARKER.len();
    let skip_ws = |s: &str, at: &mut usize| {
        let n = s.len() - s.trim_start().len();
        *at += n;
    };
    skip_ws(rest, &mut at);
    let rest = rest.trim_start();
    let word_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let word = rest.get(..word_len).unwrap_or("");
    let file = match word {
        "ignore" => false,
        "ignore-file" => true,
        "" => return Directive::Invalid(format!("a suppression comment has the form {FORM}")),
        other => {
            return Directive::Invalid(format!(
                "unknown suppression `{other}`; a suppression comment has the form {FORM}"
            ));
        }
    };
    at += word_len;
    let rest = rest.get(word_len..).unwrap_or("");
    skip_ws(rest, &mut at);
    let rest = rest.trim_start();
    let Some(list) = rest.strip_prefix('[') else {
        return Directive::Invalid(format!(
            "`{word}` must be followed by the codes in brackets: {FORM}"
        ));
    };
    at += 1;
    let Some(close) = list.find(']') else {
        return Directive::Invalid(format!("the list of codes has no closing `]`: {FORM}"));
    };
    let inside = list.get(..close).unwrap_or("");
    let mut codes = Vec::new();
    let mut offset = at;
    for piece in inside.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let code = piece.trim();
        if code.is_empty() {
            return Directive::Invalid(if inside.trim().is_empty() {
                format!("the suppression names no code: {FORM}")
            } else {
                "the list of codes has an empty entry (a stray comma?)".to_owned()
            });
        }
        let start = offset + lead;
        codes.push((code.to_owned(), start..start + code.len()));
        offset += piece.len() + 1;
    }
    let reason = list.get(close + 1..).unwrap_or("");
    if !reason.chars().any(char::is_alphanumeric) {
        return Directive::Invalid(
            "no reason given: say after `]` why the finding is acceptable here".to_owned(),
        );
    }
    Directive::Ignore { file, codes }
}

/// Every mapping entry of the file as (key start, value end), sorted by key start.
fn entries(loaded: &LoadedFile) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack: Vec<&Node> = loaded
        .documents
        .iter()
        .filter_map(|d| d.root.as_ref())
        .collect();
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Map(entries) => {
                for e in entries {
                    out.push((e.key.span.start, e.value.span.end.max(e.key.span.end)));
                    stack.push(&e.key);
                    stack.push(&e.value);
                }
            }
            Value::Seq(items) => stack.extend(items.iter()),
            Value::Scalar(_) | Value::Alias => {}
        }
    }
    out.sort_unstable();
    out
}

/// The start offset of each request (in the engine's numbering), sorted: a YAML document's first
/// request starts where the document does, so a comment at its top belongs to it.
fn request_starts(loaded: &LoadedFile) -> Vec<usize> {
    let mut starts = Vec::new();
    for doc in &loaded.documents {
        let Some(root) = &doc.root else {
            continue;
        };
        match &root.value {
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    starts.push(if i == 0 {
                        doc.span.start
                    } else {
                        item.span.start
                    });
                }
            }
            _ => starts.push(doc.span.start),
        }
    }
    starts
}

/// Reads the suppression comments of a loaded file.
pub(crate) fn read(loaded: &LoadedFile) -> Vec<Suppression> {
    let text = loaded.text.as_str();
    let index = &loaded.line_index;
    let mut found = Vec::new();
    let mut entries_cache: Option<Vec<(usize, usize)>> = None;
    let mut starts_cache: Option<Vec<usize>> = None;
    for c in &loaded.comments {
        let Some(raw) = text.get(c.span.clone()) else {
            continue;
        };
        let directive = parse(raw);
        if directive == Directive::None {
            continue;
        }
        let starts = starts_cache.get_or_insert_with(|| request_starts(loaded));
        let document = starts.iter().rposition(|s| *s <= c.span.start).unwrap_or(0);
        let kind = match directive {
            Directive::None => continue,
            Directive::Invalid(why) => Kind::Invalid(why),
            Directive::Ignore { file, codes } => {
                let codes = codes
                    .into_iter()
                    .map(|(code, r)| Listed {
                        code,
                        span: c.span.start + r.start..c.span.start + r.end,
                        used: false,
                    })
                    .collect();
                let covers = if file {
                    Vec::new()
                } else {
                    let entries = entries_cache.get_or_insert_with(|| entries(loaded));
                    covered(text, index, c.span.start, entries)
                };
                Kind::Valid {
                    file,
                    covers,
                    codes,
                }
            }
        };
        found.push(Suppression {
            comment: c.span.clone(),
            document,
            partial: loaded.error.is_some(),
            kind,
        });
    }
    found
}

/// Where an `ignore` comment starting at `at` applies: its target line (its own line for a
/// trailing comment, else the next line that is not a comment line), and the whole value of each
/// key starting on that line.
fn covered(
    text: &str,
    index: &runcommand_document::LineIndex,
    at: usize,
    entries: &[(usize, usize)],
) -> Vec<Range<usize>> {
    let line = index.line_col(text, at).line as usize - 1;
    let Some(own) = index.line_range(text, line) else {
        return Vec::new();
    };
    let trailing = !text.get(own.start..at).unwrap_or("").trim().is_empty();
    let target = if trailing {
        Some(own)
    } else {
        (line + 1..index.line_count())
            .filter_map(|l| index.line_range(text, l))
            .find(|r| {
                !text
                    .get(r.clone())
                    .unwrap_or("")
                    .trim_start()
                    .starts_with('#')
            })
    };
    let Some(target) = target else {
        return Vec::new();
    };
    // Inclusive of the line's end, so an empty range at the end of the line is covered.
    let mut covers = Vec::with_capacity(2);
    covers.push(target.start..target.end + 1);
    let first = entries.partition_point(|(k, _)| *k < target.start);
    for (key, end) in entries.get(first..).unwrap_or(&[]) {
        if *key > target.end {
            break;
        }
        covers.push(*key..end + 1);
    }
    covers
}

/// Applies a file's suppressions to its findings: drops the suppressed ones and adds
/// `Lint.InvalidSuppression` and `Lint.UnusedSuppression` findings.
pub(crate) fn apply(suppressions: &mut [Suppression], diagnostics: &mut Vec<Diagnostic>) {
    if suppressions.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        if OWN_CODES.contains(&d.code) {
            return true;
        }
        for s in suppressions.iter_mut() {
            let Kind::Valid {
                file,
                covers,
                codes,
            } = &mut s.kind
            else {
                continue;
            };
            let applies = *file || covers.iter().any(|r| r.contains(&d.span.start));
            if !applies {
                continue;
            }
            if let Some(listed) = codes.iter_mut().find(|l| d.code == l.code.as_str()) {
                listed.used = true;
                return false;
            }
        }
        true
    });
    let names = || runcommand_catalog::CODES.iter().map(|c| c.code);
    for s in suppressions.iter() {
        match &s.kind {
            Kind::Invalid(why) => {
                let mut d = Diagnostic::new(
                    code::LINT_INVALID_SUPPRESSION,
                    s.comment.clone(),
                    format!("invalid suppression comment: {why}"),
                )
                .help("e.g. `# runcommand-lint: ignore[Lint.TimeoutTooShort] the script only touches a flag file`");
                d.document = s.document;
                diagnostics.push(d);
            }
            Kind::Valid { file, codes, .. } => {
                for l in codes {
                    let mut d = if runcommand_catalog::code(&l.code).is_none() {
                        let help = match did_you_mean(&l.code, names()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "`runcommand-lint rules` lists the codes".to_owned(),
                        };
                        Diagnostic::new(
                            code::LINT_UNUSED_SUPPRESSION,
                            l.span.clone(),
                            format!(
                                "`{}` is not a runcommand-lint code, so it suppresses nothing",
                                l.code
                            ),
                        )
                        .help(help)
                    } else if l.used || s.partial {
                        continue;
                    } else {
                        let place = if *file {
                            "in this file"
                        } else {
                            "where it applies"
                        };
                        Diagnostic::new(
                            code::LINT_UNUSED_SUPPRESSION,
                            l.span.clone(),
                            format!(
                                "no `{}` finding {place}: the suppression does nothing",
                                l.code
                            ),
                        )
                        .help("remove it, or move it to the line the finding is on")
                    };
                    d.document = s.document;
                    diagnostics.push(d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(d: &Directive) -> Vec<&str> {
        match d {
            Directive::Ignore { codes, .. } => codes.iter().map(|(c, _)| c.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn parses_the_two_forms_with_code_spans() {
        let c = "# runcommand-lint: ignore[A.B, Lint.X] legacy host";
        let d = parse(c);
        assert_eq!(codes(&d), vec!["A.B", "Lint.X"]);
        let Directive::Ignore {
            file,
            codes: listed,
        } = d
        else {
            panic!()
        };
        assert!(!file);
        assert_eq!(&c[listed[0].1.clone()], "A.B");
        assert_eq!(&c[listed[1].1.clone()], "Lint.X");
        let d = parse("#runcommand-lint:ignore-file[ A ]  because");
        assert!(matches!(d, Directive::Ignore { file: true, .. }));
        assert_eq!(codes(&d), vec!["A"]);
    }

    #[test]
    fn other_comments_are_not_directives() {
        assert_eq!(parse("# just a note"), Directive::None);
        assert_eq!(parse("# runcommand-lint is great"), Directive::None);
        assert_eq!(parse("x"), Directive::None);
    }

    const BASE: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

    /// (code, 1-based line) of every finding.
    fn found(src: &str) -> Vec<(&'static str, u32)> {
        let r = crate::check_bytes("t.yaml", src.as_bytes(), runcommand_document::Format::Yaml);
        r.diagnostics
            .iter()
            .map(|d| (d.code.as_str(), r.position(d.span.start).line))
            .collect()
    }

    #[test]
    fn an_own_line_comment_covers_the_next_line() {
        assert_eq!(
            found(&format!("{BASE}Timeout: 5\n")),
            vec![("Lint.TimeoutTooShort", 5)]
        );
        let src = format!(
            "{BASE}# runcommand-lint: ignore[Lint.TimeoutTooShort] a flag file only\nTimeout: 5\n"
        );
        assert_eq!(found(&src), vec![]);
        // Stacked comments: comment lines in between are skipped.
        let src = format!(
            "{BASE}# runcommand-lint: ignore[Lint.TimeoutTooShort] a flag file only\n# another note\nTimeout: 5\n"
        );
        assert_eq!(found(&src), vec![]);
        // Only the next line: a blank line in between stops it.
        let src = format!(
            "{BASE}# runcommand-lint: ignore[Lint.TimeoutTooShort] flag file\n\nTimeout: 5\n"
        );
        assert_eq!(
            found(&src),
            vec![("Lint.UnusedSuppression", 5), ("Lint.TimeoutTooShort", 7)]
        );
    }

    #[test]
    fn a_comment_above_a_key_covers_its_whole_value() {
        let src = format!(
            "{BASE}# runcommand-lint: ignore[InvalidTagValue.Malformed] the runbook link is wanted\nTag:\n  - Key: a\n    Value: http://x\n"
        );
        assert_eq!(found(&src), vec![]);
        // The same comment on the item's own line covers only that item's line.
        let src = format!(
            "{BASE}Tag:\n  # runcommand-lint: ignore[InvalidTagValue.Malformed] wanted\n  - Key: a\n    Value: http://x\n"
        );
        let f = found(&src);
        assert!(f.contains(&("InvalidTagValue.Malformed", 8)), "{f:?}");
        assert!(f.contains(&("Lint.UnusedSuppression", 6)), "{f:?}");
    }

    #[test]
    fn a_trailing_comment_covers_its_line() {
        let src = format!(
            "{BASE}Timeout: 5  # runcommand-lint: ignore[Lint.TimeoutTooShort] flag file\n"
        );
        assert_eq!(found(&src), vec![]);
        let src = format!(
            "{BASE}Timeout: 5\nName: x  # runcommand-lint: ignore[Lint.TimeoutTooShort] flag file\n"
        );
        assert_eq!(
            found(&src),
            vec![("Lint.TimeoutTooShort", 5), ("Lint.UnusedSuppression", 6)]
        );
    }

    #[test]
    fn ignore_file_covers_every_document() {
        let doc = format!("{BASE}Timeout: 5\n");
        let src = format!(
            "# runcommand-lint: ignore-file[Lint.TimeoutTooShort] quick jobs\n{doc}---\n{doc}"
        );
        assert_eq!(found(&src), vec![]);
        let r = crate::check_bytes(
            "t.yaml",
            format!("{doc}---\n# runcommand-lint: ignore-file[Lint.DuplicateKey] none here\n{doc}")
                .as_bytes(),
            runcommand_document::Format::Yaml,
        );
        let codes: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.document))
            .collect();
        assert!(codes.contains(&("Lint.UnusedSuppression", 1)), "{codes:?}");
    }

    #[test]
    fn a_missing_reason_is_reported_and_suppresses_nothing() {
        let src = format!("{BASE}# runcommand-lint: ignore[Lint.TimeoutTooShort]\nTimeout: 5\n");
        assert_eq!(
            found(&src),
            vec![("Lint.InvalidSuppression", 5), ("Lint.TimeoutTooShort", 6)]
        );
    }

    #[test]
    fn a_wrong_or_unknown_code_is_unused() {
        let src = format!(
            "{BASE}# runcommand-lint: ignore[InvalidTimeout.ExceedLimit] long job\nTimeout: 5\n"
        );
        assert_eq!(
            found(&src),
            vec![("Lint.UnusedSuppression", 5), ("Lint.TimeoutTooShort", 6)]
        );
        let src = format!(
            "{BASE}# runcommand-lint: ignore[Lint.TimeoutTooShrt, Lint.TimeoutTooShort] ok\nTimeout: 5\n"
        );
        let r = crate::check_bytes("t.yaml", src.as_bytes(), runcommand_document::Format::Yaml);
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        let d = &r.diagnostics[0];
        assert_eq!(d.code.as_str(), "Lint.UnusedSuppression");
        assert_eq!(&r.text[d.span.clone()], "Lint.TimeoutTooShrt");
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean `Lint.TimeoutTooShort`?")
        );
    }

    #[test]
    fn a_syntax_error_hides_unused_suppressions() {
        let src = format!(
            "# runcommand-lint: ignore-file[Lint.TimeoutTooShort] quick\n{BASE}Timeout: [5\n"
        );
        assert_eq!(
            found(&src).iter().map(|f| f.0).collect::<Vec<_>>(),
            vec!["Lint.Syntax"]
        );
    }

    #[test]
    fn cross_file_findings_are_suppressed_too() {
        use crate::{Content, CrossIndex, Engine, FileReport, Source};
        let a = format!("{BASE}ClientToken: tok-1\n");
        let b = format!(
            "{}# runcommand-lint: ignore[IdempotentParameterMismatch] a retry with a new script\nClientToken: tok-1\n",
            BASE.replace("echo hi", "echo bye")
        );
        let check_files = |files: Vec<(&str, &str)>| -> Vec<FileReport> {
            let engine = Engine::default();
            let mut index = CrossIndex::default();
            files
                .into_iter()
                .map(|(p, s)| {
                    let content = Content::Bytes(s.as_bytes().to_vec());
                    let source = Source::File {
                        path: p,
                        format: runcommand_document::Format::Yaml,
                        content: &content,
                    };
                    let mut r = engine.check_source(source, None);
                    engine.finish(&mut r, &mut index, None);
                    r
                })
                .collect()
        };
        let reports = check_files(vec![("a.yaml", &a), ("b.yaml", &b)]);
        let all: Vec<_> = reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .map(|d| d.code.as_str())
            .collect();
        assert!(all.is_empty(), "{all:?}");
        let b2 = b.replace("# runcommand", "# x");
        let reports = check_files(vec![("a.yaml", &a), ("b.yaml", &b2)]);
        let all: Vec<_> = reports
            .iter()
            .flat_map(|r| &r.diagnostics)
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(all, vec!["IdempotentParameterMismatch"]);
    }

    #[test]
    fn malformed_directives_say_why() {
        let why = |c: &str| match parse(c) {
            Directive::Invalid(w) => w,
            other => panic!("{c}: {other:?}"),
        };
        assert!(why("# runcommand-lint: ignore[A]").contains("no reason"));
        assert!(why("# runcommand-lint: ignore[A]   -").contains("no reason"));
        assert!(why("# runcommand-lint: ignore[] why").contains("names no code"));
        assert!(why("# runcommand-lint: ignore[A,,B] why").contains("empty entry"));
        assert!(why("# runcommand-lint: ignore[A why").contains("closing"));
        assert!(why("# runcommand-lint: ignore A why").contains("brackets"));
        assert!(why("# runcommand-lint: disable[A] why").contains("unknown suppression `disable`"));
        assert!(why("# runcommand-lint:").contains("has the form"));
    }
}
