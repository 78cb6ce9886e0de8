//! YAML events (granit-parser) to trees, iteratively, with a depth limit.

use std::collections::HashMap;
use std::ops::Range;

use granit_parser::{Event, Options, Parser, ScalarStyle, Span};

use crate::tree::{Comment, Entry, Node, Scalar, ScalarKind, Style, Value, resolve_plain};
use crate::{Document, LoadError, LoadErrorKind};

enum Frame {
    Seq {
        start: usize,
        items: Vec<Node>,
        function: Option<String>,
    },
    Map {
        start: usize,
        entries: Vec<Entry>,
        key: Option<Node>,
        function: Option<String>,
    },
}

/// The function a local tag names: the short form of ROS (and CloudFormation) template
/// functions, `!Ref x` for `{Ref: x}` and `!Sub x` for `{Fn::Sub: x}` (any `!Name` of letters and
/// digits). Other tags name nothing.
fn function_of(tag: Option<&granit_parser::Tag>) -> Option<String> {
    let tag = tag?;
    let name = tag.suffix();
    if tag.handle() != "!" || name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(if name == "Ref" {
        name.to_owned()
    } else {
        format!("Fn::{name}")
    })
}

/// `node` as the long form of the function its tag names: `{function: node}`, the key an empty
/// span at the node's start.
fn as_function(function: Option<String>, node: Node) -> Node {
    let Some(name) = function else {
        return node;
    };
    let at = node.span.start;
    Node {
        span: node.span.clone(),
        value: Value::Map(vec![Entry {
            key: Node {
                span: at..at,
                value: Value::Scalar(Scalar {
                    text: name,
                    style: Style::Plain,
                    kind: ScalarKind::Str,
                }),
            },
            value: node,
        }]),
    }
}

fn byte(base: usize, m: &granit_parser::Marker) -> usize {
    base + m.byte_offset().unwrap_or(0)
}

fn range(base: usize, span: &Span) -> Range<usize> {
    let start = byte(base, &span.start);
    let end = byte(base, &span.end).max(start);
    start..end
}

/// Adds a finished node to the innermost open collection, or makes it the document root.
fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node) {
    match stack.last_mut() {
        Some(Frame::Seq { items, .. }) => items.push(node),
        Some(Frame::Map { entries, key, .. }) => match key.take() {
            Some(k) => entries.push(Entry {
                key: k,
                value: node,
            }),
            None => *key = Some(node),
        },
        None => *root = Some(node),
    }
}

pub(crate) fn parse(
    text: &str,
    base: usize,
    max_depth: usize,
) -> (Vec<Document>, Vec<Comment>, Option<LoadError>) {
    let mut options = Options::default();
    options.flow_nesting_limit = max_depth;
    options.block_nesting_limit = max_depth;
    let parser = Parser::new_from_str_with_options(text, options);
    let mut documents = Vec::new();
    let mut comments = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut doc_start = base;
    // Anchor id -> the anchored scalar (collections are never expanded).
    let mut anchors: HashMap<usize, Option<Node>> = HashMap::new();

    for item in parser {
        let (event, span) = match item {
            Ok(pair) => pair,
            Err(e) => {
                let at = base + e.marker().byte_offset().unwrap_or(0);
                let at = at.min(base + text.len());
                let error = LoadError {
                    kind: LoadErrorKind::Syntax,
                    span: at..at,
                    message: format!("invalid YAML: {}", e.info()),
                };
                return (documents, comments, Some(error));
            }
        };
        let r = range(base, &span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Anchor(..) => {}
            Event::DocumentStart(..) => {
                doc_start = r.start;
                root = None;
                stack.clear();
                anchors.clear();
            }
            Event::DocumentEnd => {
                // An empty document (`---` and nothing) is an empty plain scalar: no root.
                let empty = root.as_ref().is_some_and(|n| {
                    n.as_scalar().is_some_and(|s| {
                        s.style == Style::Plain && s.kind == ScalarKind::Null && n.span.is_empty()
                    })
                });
                let root = if empty { None } else { root.take() };
                documents.push(Document {
                    root,
                    span: doc_start..r.end.max(doc_start),
                });
            }
            Event::Comment(body, _) => comments.push(Comment {
                span: r,
                text: body.into_owned(),
            }),
            Event::Scalar(value, style, anchor, tag) => {
                let (style, kind) = match style {
                    ScalarStyle::Plain => (Style::Plain, resolve_plain(&value)),
                    ScalarStyle::SingleQuoted => (Style::SingleQuoted, ScalarKind::Str),
                    ScalarStyle::DoubleQuoted => (Style::DoubleQuoted, ScalarKind::Str),
                    ScalarStyle::Literal => (Style::Literal, ScalarKind::Str),
                    ScalarStyle::Folded => (Style::Folded, ScalarKind::Str),
                };
                // An explicit core-schema tag decides the type (`!!str 123` is a string).
                let kind = match tag
                    .as_ref()
                    .and_then(|t| t.core_suffix().map(str::to_owned))
                {
                    Some(s) if s == "str" => ScalarKind::Str,
                    Some(s) if s == "int" => ScalarKind::Int,
                    Some(s) if s == "float" => ScalarKind::Float,
                    Some(s) if s == "null" => ScalarKind::Null,
                    Some(s) if s == "bool" => match value.as_ref() {
                        "true" | "True" | "TRUE" => ScalarKind::Bool(true),
                        "false" | "False" | "FALSE" => ScalarKind::Bool(false),
                        _ => ScalarKind::Str,
                    },
                    _ => kind,
                };
                let node = Node {
                    span: r,
                    value: Value::Scalar(Scalar {
                        text: value.into_owned(),
                        style,
                        kind,
                    }),
                };
                if anchor != 0 {
                    anchors.insert(anchor, Some(node.clone()));
                }
                let node = as_function(function_of(tag.as_deref()), node);
                attach(&mut stack, &mut root, node);
            }
            Event::Alias(id) => {
                let node = match anchors.get(&id) {
                    Some(Some(target)) => Node {
                        span: r,
                        value: target.value.clone(),
                    },
                    _ => Node {
                        span: r,
                        value: Value::Alias,
                    },
                };
                attach(&mut stack, &mut root, node);
            }
            Event::UnresolvedAlias(_) => attach(
                &mut stack,
                &mut root,
                Node {
                    span: r,
                    value: Value::Alias,
                },
            ),
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                let function = function_of(tag.as_deref());
                if stack.len() >= max_depth {
                    let error = LoadError {
                        kind: LoadErrorKind::Syntax,
                        span: r.start..r.start,
                        message: format!("nesting deeper than {max_depth} levels"),
                    };
                    return (documents, comments, Some(error));
                }
                if anchor != 0 {
                    anchors.insert(anchor, None);
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        start: r.start,
                        items: Vec::new(),
                        function,
                    }
                } else {
                    Frame::Map {
                        start: r.start,
                        entries: Vec::new(),
                        key: None,
                        function,
                    }
                };
                stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let node = match stack.pop() {
                    Some(Frame::Seq {
                        start,
                        items,
                        function,
                    }) => {
                        let end = items.last().map_or(r.end, |n| n.span.end.max(r.end));
                        as_function(
                            function,
                            Node {
                                span: start..end.max(start),
                                value: Value::Seq(items),
                            },
                        )
                    }
                    Some(Frame::Map {
                        start,
                        mut entries,
                        key,
                        function,
                    }) => {
                        if let Some(k) = key {
                            // A key without a value event cannot happen in valid YAML; keep it
                            // with a null value rather than lose it.
                            let at = k.span.end;
                            entries.push(Entry {
                                key: k,
                                value: Node {
                                    span: at..at,
                                    value: Value::Scalar(Scalar {
                                        text: String::new(),
                                        style: Style::Plain,
                                        kind: ScalarKind::Null,
                                    }),
                                },
                            });
                        }
                        let end = entries
                            .last()
                            .map_or(r.end, |e| e.value.span.end.max(r.end));
                        as_function(
                            function,
                            Node {
                                span: start..end.max(start),
                                value: Value::Map(entries),
                            },
                        )
                    }
                    None => continue,
                };
                attach(&mut stack, &mut root, node);
            }
            // Event kinds added by later parser versions carry no data nodes.
            _ => {}
        }
    }
    (documents, comments, None)
}

#[cfg(test)]
mod tests {
    use crate::{Format, LoadOptions, Value, load};

    fn load_yaml(s: &str) -> crate::LoadedFile {
        load(s.as_bytes(), Format::Yaml, LoadOptions::default())
    }

    #[test]
    fn spans_on_keys_and_values_and_duplicates_kept() {
        let src = "a: 1\nb: 'x'\na: 2\n";
        let f = load_yaml(src);
        assert!(f.error.is_none());
        let root = f.documents[0].root.as_ref().unwrap();
        let m = root.as_map().unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(&src[m[1].value.span.clone()], "'x'");
        assert_eq!(&src[m[2].key.span.clone()], "a");
        assert_eq!(&src[m[2].value.span.clone()], "2");
    }

    #[test]
    fn multi_document() {
        let f = load_yaml("a: 1\n---\nb: 2\n---\n");
        assert_eq!(f.documents.len(), 3);
        assert!(f.documents[2].root.is_none());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for src in ["[".repeat(100_000), "- ".repeat(100_000), {
            let mut s = String::new();
            for i in 0..2000 {
                s.push_str(&" ".repeat(i));
                s.push_str("a:\n");
            }
            s
        }] {
            let f = load_yaml(&src);
            let e = f.error.expect("an error");
            assert_eq!(e.kind, crate::LoadErrorKind::Syntax, "{}", e.message);
        }
    }

    #[test]
    fn alias_bomb_stays_small() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..30 {
            let p = i - 1;
            src.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let f = load_yaml(&src);
        assert!(f.error.is_none());
        let m = f.documents[0].root.as_ref().unwrap().as_map().unwrap();
        let last = m.last().unwrap().value.as_seq().unwrap();
        assert!(matches!(last[0].value, Value::Alias));
    }

    #[test]
    fn scalar_alias_is_resolved() {
        let f = load_yaml("a: &t 30\nb: *t\n");
        let m = f.documents[0].root.as_ref().unwrap().as_map().unwrap();
        assert_eq!(m[1].value.as_scalar().unwrap().text, "30");
    }

    #[test]
    fn syntax_error_has_a_position_and_keeps_earlier_documents() {
        let src = "a: 1\n---\nb: [1, 2\n";
        let f = load_yaml(src);
        let e = f.error.expect("error");
        assert!(e.span.start >= 9, "{e:?}");
        assert_eq!(f.documents.len(), 1);
    }

    #[test]
    fn comments_are_reported() {
        let f = load_yaml("# hello\na: 1 # trailing\n");
        assert_eq!(f.comments.len(), 2);
        assert_eq!(f.comments[0].text, " hello");
    }

    #[test]
    fn tags_decide_the_type() {
        let f = load_yaml("a: !!str 123\n");
        let m = f.documents[0].root.as_ref().unwrap().as_map().unwrap();
        assert_eq!(m[0].value.as_scalar().unwrap().kind, crate::ScalarKind::Str);
    }

    #[test]
    fn short_form_functions_read_as_their_long_form() {
        let text = "a: !Ref Ids
b: !Sub |
  echo ${X}
c: !If [C, x, y]
d: !GetAtt {x: 1}
e: !custom-tag v
";
        let f = load_yaml(text);
        let m = f.documents[0].root.as_ref().unwrap().as_map().unwrap();
        let function = |i: usize| {
            let inner = m[i].value.as_map().unwrap();
            assert_eq!(inner.len(), 1);
            (
                inner[0].key.as_key_str().unwrap().to_owned(),
                &text[inner[0].value.span.clone()],
            )
        };
        assert_eq!(function(0), ("Ref".to_owned(), "Ids"));
        assert_eq!(function(1).0, "Fn::Sub");
        assert!(function(1).1.contains("echo ${X}"));
        assert_eq!(function(2), ("Fn::If".to_owned(), "[C, x, y]"));
        assert_eq!(function(3).0, "Fn::GetAtt");
        // A tag with other characters is no function: the value as written.
        assert_eq!(m[4].value.as_scalar().unwrap().text, "v");
    }
}
