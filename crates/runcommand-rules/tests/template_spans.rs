#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Property: every span the template rules report maps back to the same text in the file, for
//! `CommandContent` written plain, double-quoted (with escapes), single-quoted, literal (also
//! after an empty first line) and folded.

use proptest::prelude::*;
use runcommand_document::Format;
use runcommand_rules::check_bytes;
use runcommand_template::{ProblemKind, scan};

const CODES: &[&str] = &[
    "CmdParam.EmptyKey",
    "CmdParam.InvalidParamName",
    "CmdParamName.ExceedLimit",
    "ParameterStore.InvalidParameters",
    "Lint.UnterminatedTemplate",
    "Lint.ParameterNotProvided",
];

#[derive(Clone, Copy, Debug)]
enum Style {
    Plain,
    Double,
    Single,
    Literal,
    /// Literal, clipped, after an empty first line (the value starts with a line break).
    LiteralAfterBlank,
    Folded,
}

#[derive(Clone, Debug)]
enum Seg {
    /// Literal text (style-dependent characters are filtered when encoding).
    Lit(String),
    /// A placeholder with this inner text.
    Ph(String),
}

fn seg() -> impl Strategy<Value = Seg> {
    prop_oneof![
        "[a-zé\"'\\\\\t\n ]{1,6}".prop_map(Seg::Lit),
        ("[ ]{0,2}", "[a-zA-Z][a-zA-Z0-9_-]{0,8}", "[ ]{0,2}")
            .prop_map(|(a, n, b)| Seg::Ph(format!("{a}{n}{b}"))),
        ("[ ]{0,1}", "\\.[A-Z][a-z]{0,4}(\\.[A-Z][a-z]{0,4})?")
            .prop_map(|(a, n)| Seg::Ph(format!("{a}{n} "))),
        "[ ]{0,2}".prop_map(Seg::Ph),
        "(acs|Acs|ACS)::[A-Za-z]{1,8}".prop_map(Seg::Ph),
        "oos:[a-z/]{0,5}".prop_map(Seg::Ph),
        Just(Seg::Ph("n".repeat(70))),
    ]
}

/// The script text for a style: literal characters the style cannot hold plainly are replaced.
fn content(segs: &[Seg], style: Style, unterminated: bool) -> String {
    let mut s = String::from("echo");
    for g in segs {
        s.push(' ');
        match g {
            Seg::Lit(l) => {
                let l: String = l
                    .chars()
                    .map(|c| match (style, c) {
                        (Style::Plain | Style::Folded, c) if !(c.is_alphabetic()) => 'x',
                        (Style::Single, '\n' | '\t') => 'x',
                        (_, c) => c,
                    })
                    .collect();
                s.push_str(&l);
            }
            Seg::Ph(inner) => {
                s.push_str("{{");
                s.push_str(inner);
                s.push_str("}}");
            }
        }
    }
    if unterminated {
        s.push_str(" {{");
    }
    s.push_str(" end");
    s
}

/// The YAML for `CommandContent` holding `text` in `style`.
fn encode(text: &str, style: Style) -> String {
    match style {
        Style::Plain => format!("CommandContent: {text}\n"),
        Style::Double => {
            let mut out = String::from("CommandContent: \"");
            for c in text.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    'é' => out.push_str("\\u00e9"),
                    c => out.push(c),
                }
            }
            out.push_str("\"\n");
            out
        }
        Style::Single => format!("CommandContent: '{}'\n", text.replace('\'', "''")),
        Style::Literal => {
            let mut out = String::from("CommandContent: |-\n");
            for line in text.split('\n') {
                out.push_str("  ");
                out.push_str(line);
                out.push('\n');
            }
            out
        }
        Style::LiteralAfterBlank => {
            let mut out = String::from("CommandContent: |\n\n");
            for line in text.split('\n') {
                out.push_str("  ");
                out.push_str(line);
                out.push('\n');
            }
            out
        }
        Style::Folded => {
            // Break the line after `echo`: a single break between lines folds to a space.
            let rest = text.strip_prefix("echo ").unwrap();
            format!("CommandContent: >-\n  echo\n  {rest}\n")
        }
    }
}

/// What the template rules should underline, as texts of the script.
fn expected(text: &str) -> Vec<String> {
    let s = scan(text);
    let mut out: Vec<String> = s
        .problems
        .iter()
        .filter(|p| !matches!(p.kind, ProblemKind::InvalidFilter(_)))
        .map(|p| text[p.span.clone()].to_owned())
        .collect();
    for n in s.distinct_custom_names() {
        if n.name.len() <= 64 {
            out.push(text[n.spans[0].clone()].to_owned());
        }
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn spans_map_back_to_the_same_text(
        segs in prop::collection::vec(seg(), 1..8),
        unterminated in any::<bool>(),
        style in prop_oneof![
            Just(Style::Plain),
            Just(Style::Double),
            Just(Style::Single),
            Just(Style::Literal),
            Just(Style::LiteralAfterBlank),
            Just(Style::Folded),
        ],
    ) {
        let text = content(&segs, style, unterminated);
        let src = format!(
            "RegionId: cn-hangzhou\nType: RunShellScript\nInstanceId: [i-bp185dy2o3o6neg1234]\nEnableParameter: true\n{}",
            encode(&text, style)
        );
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        prop_assert!(
            !r.diagnostics.iter().any(|d| d.code == "Lint.Syntax"),
            "{src}: {:?}",
            r.diagnostics
        );
        let content_start = src.find("CommandContent:").unwrap();
        let mut got: Vec<String> = r
            .diagnostics
            .iter()
            .filter(|d| CODES.contains(&d.code.as_str()))
            .map(|d| {
                assert!(d.span.start >= content_start, "{d:?}");
                src[d.span.clone()].to_owned()
            })
            .collect();
        got.sort();
        prop_assert_eq!(got, expected(&text), "{}", src);
    }
}
