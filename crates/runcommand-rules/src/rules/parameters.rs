//! `Parameters` (decisions.md §1 shapes, §3 "Parameters"): a mapping, or a string holding a JSON
//! object (as the SDKs and the CLI send it).
//!
//! - A string is parsed as strict JSON (`runcommand_document::load`); its spans, relative to the
//!   decoded string, are mapped into the file through the string's source map, so a finding inside
//!   `Parameters: '{"a": [1]}'` is underlined where it is written. Invalid JSON, or JSON that is
//!   not an object → `Lint.TypeMismatch` (at the parser's position / the value). Choice: an empty
//!   (or all-whitespace) string counts as absent, as an empty mapping and `{}` do.
//! - Given (non-empty) while `EnableParameter` is not true → `Parameter.Disabled` on the
//!   `Parameters` key; the keys are then not matched against `CommandContent`, but the checks
//!   below that do not depend on `CommandContent` still run (the API would reject them too).
//! - More than 10 pairs → `ParameterCount.ExceedLimit` (once, on the 11th key).
//! - An empty key → `CmdParam.EmptyKey`; a key over 64 characters → `ParameterKey.ExceedLimit`
//!   (underlining the part past the limit); keys equal ignoring case → `ParameterKey.Duplicate` on
//!   the later key (for a mapping the request view reports it; here only for the JSON string).
//! - With `EnableParameter: true`, a key that names no custom parameter used in `CommandContent`
//!   (ignoring case; the decoded script when ContentEncoding is Base64) → `Parameter.NotMatched`.
//!   Keys already rejected (empty, too long, duplicate) are skipped, and so is the whole check when
//!   the script cannot be read (Base64 that does not decode).
//! - A value that is an object, a list, null (or an alias to a collection) →
//!   `ParameterType.NotSupported`; strings, numbers and booleans pass.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use runcommand_catalog::limits::{PARAMETER_KEY_MAX_CHARS, PARAMETERS_MAX};
use runcommand_catalog::param;
use runcommand_document::source_map::{ScalarMap, map_range};
use runcommand_document::{Entry, Format, LoadOptions, Node, ScalarKind, Value};
use runcommand_template::name_key;

use super::Rule;
use super::content::placeholders;
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::{PValue, Request};

pub(super) const RULE: Rule = Rule {
    name: "parameters",
    codes: &[
        "Parameter.Disabled",
        "ParameterCount.ExceedLimit",
        "CmdParam.EmptyKey",
        "ParameterKey.ExceedLimit",
        "ParameterKey.Duplicate",
        "Parameter.NotMatched",
        "ParameterType.NotSupported",
        "Lint.TypeMismatch",
    ],
    check,
};

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
                        "Lint.TypeMismatch",
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

/// Whether a value type is accepted (strings, numbers, booleans).
fn supported(node: &Node) -> bool {
    matches!(&node.value, Value::Scalar(s) if s.kind != ScalarKind::Null)
}

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let params = match read(req) {
        Read::Absent => return,
        Read::Unreadable(d) => {
            out.push(Diagnostic::clone(d));
            return;
        }
        Read::Given(p) => p,
    };
    let key_span = req
        .get(param::PARAMETERS)
        .map_or(0..0, |p| p.key_span.clone());
    let enabled = req.bool(param::ENABLE_PARAMETER) == Some(true);
    if !enabled {
        out.push(
            Diagnostic::new(
                "Parameter.Disabled",
                key_span,
                "Parameters is given but EnableParameter is not true",
            )
            .param("Parameters")
            .help("set `EnableParameter: true` to fill `{{name}}` placeholders from Parameters, or remove Parameters"),
        );
    }
    let entries = params.entries();
    let max = usize::try_from(PARAMETERS_MAX).unwrap_or(10);
    if let Some(extra) = entries.get(max) {
        out.push(
            Diagnostic::new(
                "ParameterCount.ExceedLimit",
                params.span(&extra.key),
                format!(
                    "Parameters has {} pairs; at most {max} are allowed",
                    entries.len()
                ),
            )
            .param("Parameters"),
        );
    }
    // The names used in the script, when the keys are to be matched against them.
    let used: Option<HashSet<String>> = if enabled {
        placeholders(req).map(|(_, scan)| {
            scan.placeholders
                .iter()
                .filter_map(|p| p.custom_name())
                .map(|(n, _)| name_key(n))
                .collect()
        })
    } else {
        None
    };
    let key_max = usize::try_from(PARAMETER_KEY_MAX_CHARS).unwrap_or(64);
    let mut seen: BTreeMap<String, (Range<usize>, &str)> = BTreeMap::new();
    for e in entries {
        if !supported(&e.value) {
            out.push(
                Diagnostic::new(
                    "ParameterType.NotSupported",
                    params.span(&e.value),
                    format!(
                        "a Parameters value must be a string, a number or a boolean, found {}",
                        e.value.type_name()
                    ),
                )
                .param("Parameters")
                .help("give the value as a string (e.g. a JSON text in quotes)")
                // Evidence rule: which value types the API rejects is not documented.
                .inferred(),
            );
        }
        let Some(key) = e.key.as_key_str() else {
            continue;
        };
        if key.is_empty() {
            out.push(
                Diagnostic::new(
                    "CmdParam.EmptyKey",
                    params.span(&e.key),
                    "a Parameters key is empty",
                )
                .param("Parameters"),
            );
            continue;
        }
        let chars = key.chars().count();
        if chars > key_max {
            let cut = key
                .char_indices()
                .nth(key_max)
                .map_or(key.len(), |(i, _)| i);
            out.push(
                Diagnostic::new(
                    "ParameterKey.ExceedLimit",
                    params.map(&e.key, cut..key.len()),
                    format!(
                        "a Parameters key is {chars} characters long; at most {key_max} are allowed"
                    ),
                )
                .param("Parameters"),
            );
            continue;
        }
        let norm = name_key(key);
        if let Some((first, first_key)) = seen.get(&norm) {
            // A mapping's duplicates were reported by the request view.
            if params.is_json_string() {
                let mut d = Diagnostic::new(
                    "ParameterKey.Duplicate",
                    params.span(&e.key),
                    format!(
                        "parameter `{key}` is given twice in Parameters (names are case-insensitive)"
                    ),
                )
                .param("Parameters")
                .help("remove one of the two keys");
                d = d.related_here(first.clone(), "first given here");
                // Evidence rule: names are documented as case-insensitive, but not that keys
                // differing in case alone are rejected.
                if *first_key != key {
                    d = d.inferred();
                }
                out.push(d);
            }
            continue;
        }
        seen.insert(norm, (params.span(&e.key), key));
        if let Some(used) = &used
            && !used.contains(&name_key(key))
        {
            let reserved = key
                .get(..key.find("::").unwrap_or(0))
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("acs"));
            let d = if reserved {
                Diagnostic::new(
                    "Parameter.NotMatched",
                    params.span(&e.key),
                    format!("`{key}` cannot be set in Parameters: `ACS::` names are built-in parameters, which Cloud Assistant fills itself, not custom parameters"),
                )
                .help("remove the key; `{{ACS::InstanceId}}` and the other built-ins need no value")
            } else {
                Diagnostic::new(
                    "Parameter.NotMatched",
                    params.span(&e.key),
                    format!("parameter `{key}` is not used in CommandContent (no `{{{{{key}}}}}` there)"),
                )
                .help("remove the key, or use it in CommandContent as `{{name}}` (names are case-insensitive)")
            };
            out.push(d.param("Parameters"));
        }
    }
}
