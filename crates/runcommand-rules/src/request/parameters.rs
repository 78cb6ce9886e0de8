//! `Parameters` as read from a request: a mapping, or a string holding a JSON object parsed once
//! (its pairs with spans into the file), and the size of its JSON as sent. Derived once per
//! request, read by several rules.

use runcommand_catalog::code;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

use runcommand_catalog::param;
use runcommand_document::source_map::{ScalarMap, map_range};
use runcommand_document::{Entry, Format, LoadOptions, Node, ScalarKind, Value};

use super::{PValue, Request};
use crate::diagnostic::Diagnostic;

/// `Parameters` as read from a request.
pub(crate) enum Read<'a> {
    /// Not given, given with a wrong type (already reported), or empty.
    Absent,
    /// A string that does not hold a JSON object (the finding to report).
    Unreadable(Box<Diagnostic>),
    /// A non-empty object.
    Given(Params<'a>),
}

/// The pairs of a non-empty `Parameters` object, with spans into the file.
pub(crate) struct Params<'a> {
    text: &'a str,
    /// The `Parameters` value node (a mapping, or the string holding the JSON).
    outer: &'a Node,
    /// Whether the pairs come from a JSON string (their spans are relative to its decoded text).
    from_string: bool,
    entries: Cow<'a, [Entry]>,
    /// The string's source map (JSON string only), built at the first use.
    outer_map: OnceCell<ScalarMap>,
}

/// Maps ranges of one key or value of `Parameters` into the file, aligning it once.
pub(crate) struct NodeMap<'p> {
    inner: ScalarMap,
    /// The string's source map, for pairs from a JSON string.
    outer: Option<&'p ScalarMap>,
}

impl NodeMap<'_> {
    /// The file span of a byte range of the node's decoded text.
    pub fn map(&self, range: Range<usize>) -> Range<usize> {
        let r = self.inner.map(range);
        match self.outer {
            Some(outer) => outer.map(r),
            None => r,
        }
    }
}

impl Params<'_> {
    /// The pairs, in the order written.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Whether the pairs come from a string holding JSON.
    pub fn is_json_string(&self) -> bool {
        self.from_string
    }

    fn outer_map(&self) -> Option<&ScalarMap> {
        self.from_string.then(|| {
            self.outer_map
                .get_or_init(|| ScalarMap::new(self.text, self.outer))
        })
    }

    /// The file span of a whole key or value node.
    pub fn span(&self, node: &Node) -> Range<usize> {
        match self.outer_map() {
            Some(outer) => outer.map(node.span.clone()),
            None => node.span.clone(),
        }
    }

    /// The source map of a key or value node (ranges of its decoded text to the file).
    pub fn node_map(&self, node: &Node) -> NodeMap<'_> {
        match self.outer_map() {
            Some(outer) => {
                let decoded = match &self.outer.value {
                    Value::Scalar(s) => s.text.as_str(),
                    _ => "",
                };
                NodeMap {
                    inner: ScalarMap::new(decoded, node),
                    outer: Some(outer),
                }
            }
            None => NodeMap {
                inner: ScalarMap::new(self.text, node),
                outer: None,
            },
        }
    }

    /// The file span of a byte range of a scalar node's decoded text.
    pub fn map(&self, node: &Node, range: Range<usize>) -> Range<usize> {
        self.node_map(node).map(range)
    }
}

/// Reads `Parameters` (a JSON string is parsed once per request, at the first rule that asks).
pub(crate) fn read<'r, 'a>(req: &'r Request<'a>) -> &'r Read<'a> {
    req.derived.parameters.get_or_init(|| read_uncached(req))
}

fn read_uncached<'a>(req: &Request<'a>) -> Read<'a> {
    let Some(PValue::Object(node)) = req.get(param::PARAMETERS).map(|p| &p.value) else {
        return Read::Absent;
    };
    let node: &'a Node = node;
    match &node.value {
        Value::Map(entries) if entries.is_empty() => Read::Absent,
        Value::Map(entries) => Read::Given(Params {
            text: req.text,
            outer: node,
            from_string: false,
            entries: Cow::Borrowed(entries),
            outer_map: OnceCell::new(),
        }),
        Value::Scalar(s) if s.text.trim().is_empty() => Read::Absent,
        Value::Scalar(s) => {
            let max_depth = usize::try_from(runcommand_catalog::limits::NESTING_MAX).unwrap_or(256);
            let loaded = runcommand_document::load(
                s.text.as_bytes(),
                Format::Json,
                LoadOptions { max_depth },
            );
            let mismatch = |range: Range<usize>, message: String| {
                Read::Unreadable(Box::new(
                    Diagnostic::new(
                        code::LINT_TYPE_MISMATCH,
                        map_range(req.text, node, range),
                        message,
                    )
                    .param("Parameters")
                    .help("give Parameters as a mapping, or as a string holding a JSON object such as `{\"name\": \"value\"}`"),
                ))
            };
            if let Some(e) = &loaded.error {
                return mismatch(
                    e.span.clone(),
                    format!("Parameters is a string but not valid JSON: {}", e.message),
                );
            }
            let root = loaded.documents.into_iter().find_map(|d| d.root);
            match root {
                Some(Node {
                    value: Value::Map(entries),
                    ..
                }) if entries.is_empty() => Read::Absent,
                Some(Node {
                    value: Value::Map(entries),
                    ..
                }) => Read::Given(Params {
                    text: req.text,
                    outer: node,
                    from_string: true,
                    entries: Cow::Owned(entries),
                    outer_map: OnceCell::new(),
                }),
                Some(other) => mismatch(
                    other.span.clone(),
                    format!(
                        "Parameters must hold a JSON object, found {}",
                        other.type_name()
                    ),
                ),
                None => mismatch(0..s.text.len(), "Parameters holds no JSON value".into()),
            }
        }
        _ => Read::Absent,
    }
}

/// The length in bytes of the `Parameters` JSON as sent: a string's length, or a mapping's compact
/// JSON serialization; 0 when absent or empty.
pub(crate) fn json_len(req: &Request<'_>) -> usize {
    let Some(PValue::Object(node)) = req.get(param::PARAMETERS).map(|p| &p.value) else {
        return 0;
    };
    match &node.value {
        Value::Scalar(s) if s.text.trim().is_empty() => 0,
        Value::Scalar(s) => s.text.len(),
        Value::Map(entries) if entries.is_empty() => 0,
        _ => compact_json_len(node),
    }
}

/// The length of a JSON string literal holding `s`, escaped as serde_json does.
fn json_string_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
            c if u32::from(c) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

/// The length of the compact JSON serialization of a node (iterative: no recursion on depth).
fn compact_json_len(root: &Node) -> usize {
    let mut total = 0usize;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        total += match &node.value {
            Value::Scalar(s) => match s.kind {
                ScalarKind::Null => 4,
                ScalarKind::Bool(true) => 4,
                ScalarKind::Bool(false) => 5,
                ScalarKind::Int | ScalarKind::Float => s.text.len(),
                ScalarKind::Str => json_string_len(&s.text),
            },
            Value::Seq(items) => {
                stack.extend(items.iter());
                2 + items.len().saturating_sub(1)
            }
            Value::Map(entries) => {
                let keys: usize = entries
                    .iter()
                    .map(|e| json_string_len(e.key.as_key_str().unwrap_or("")) + 1)
                    .sum();
                stack.extend(entries.iter().map(|e| &e.value));
                2 + entries.len().saturating_sub(1) + keys
            }
            Value::Alias => 4,
        };
    }
    total
}
