//! The request view: a document's mapping read as a typed RunCommand request.
//!
//! Building the view is where the shape of the request is checked, once, for every rule:
//! - `Lint.DuplicateKey`: a key given twice in a mapping (inside `Parameters`:
//!   `ParameterKey.Duplicate`, keys compared ignoring case since parameter names are).
//! - `Lint.UnknownParameter`: a key that is no parameter of RunCommand, with "did you mean" when a
//!   parameter name is equal ignoring case or within a small edit distance.
//! - `Lint.TypeMismatch`: a value of the wrong shape (decisions.md §1: booleans may be the strings
//!   true/false in any case; integers may be decimal strings; a single string is a one-element
//!   `InstanceId` list; a string parameter accepts any non-null scalar, as the wire carries text).
//! - `Lint.MixedParameterForms`: a list parameter given both as a list and in the flattened RPC
//!   form (`InstanceId.1`, `Tag.1.Key`).
//! - `Lint.UnsupportedAction`: an `Action` other than `RunCommand`; the document is not checked
//!   further.
//!
//! - `Lint.NullValue` (warning): a parameter given as null is not sent, so it is absent for every
//!   rule. An optional string parameter given as `""` is absent too, without a finding: it means
//!   the parameter's default (`Username: ""` is the default user, `WindowsPasswordName: ""` no
//!   password); choice, since no source says the API rejects an empty optional value. Required
//!   ones keep their `""` (an empty `CommandContent` is `Lint.MissingParameter`).
//!
//! Rules then read typed values with spans and never re-check shapes.

use runcommand_catalog::code;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ops::Range;

use runcommand_catalog::{PARAMETERS, ParamId, ParamInfo, ParamType};
use runcommand_document::{Entry, Node, ScalarKind, Value};

use crate::diagnostic::{Diagnostic, Fix};
use crate::suggest::did_you_mean;

pub mod oos_names;
pub mod parameters;
pub mod script;

/// A string value with the node it came from.
#[derive(Clone, Copy, Debug)]
pub struct Text<'a> {
    /// The decoded text.
    pub value: &'a str,
    /// The node (for spans and source maps).
    pub node: &'a Node,
}

impl<'a> Text<'a> {
    /// The node's span in the file.
    pub fn span(&self) -> Range<usize> {
        self.node.span.clone()
    }
}

/// One `{Key, Value}` pair of `Tag` or `ResourceTag`.
#[derive(Clone, Debug)]
pub struct TagPair<'a> {
    /// The key, if given.
    pub key: Option<Text<'a>>,
    /// The value, if given.
    pub value: Option<Text<'a>>,
    /// Where the pair is (the mapping, or the first flattened key).
    pub span: Range<usize>,
}

/// A typed parameter value.
#[derive(Clone, Debug)]
pub enum PValue<'a> {
    /// A string.
    Str(Text<'a>),
    /// An integer.
    Int(i64, &'a Node),
    /// A boolean.
    Bool(bool, &'a Node),
    /// A list of strings.
    List(Vec<Text<'a>>),
    /// A list of tags.
    Tags(Vec<TagPair<'a>>),
    /// A mapping, or a string holding JSON (`Parameters`).
    Object(&'a Node),
    /// The value had the wrong type (already reported).
    Invalid,
}

/// One parameter as given.
#[derive(Clone, Debug)]
pub struct Param<'a> {
    /// The catalogue entry.
    pub info: &'static ParamInfo,
    /// The key's span (the first flattened key for flattened forms).
    pub key_span: Range<usize>,
    /// The span of the whole value (for flattened forms, from the first to the last item).
    pub value_span: Range<usize>,
    /// The typed value.
    pub value: PValue<'a>,
}

/// A RunCommand request read from a document.
#[derive(Debug)]
pub struct Request<'a> {
    /// The whole file text (for source maps).
    pub text: &'a str,
    /// The request's mapping node.
    pub node: &'a Node,
    /// 0-based index of the request in its file.
    pub index: usize,
    /// The parameters given, by name (the first occurrence of a duplicated key).
    pub params: Params<'a>,
    /// For a RunCommand step of an OOS template: the names OOS resolves itself (template
    /// parameters, OOS built-ins), whose `{{ }}` in `CommandContent` are not Cloud Assistant
    /// parameters (see `oos`). `None` for a bare request.
    pub oos: Option<&'a oos_names::OosNames>,
    /// For an `ALIYUN::ECS::RunCommand` resource of a ROS template (see `ros`): the resource's
    /// own limits apply, and a `CommandContent` built by template functions maps back to the
    /// template through it. `None` otherwise.
    pub ros: Option<&'a RosResource>,
    /// What several rules derive from the request, computed once.
    pub(crate) derived: Derived<'a>,
}

/// What the request view knows of a ROS resource.
#[derive(Debug)]
pub struct RosResource {
    /// The span of a composed `CommandContent` value (the function that builds it) and the
    /// source map of its text: every character to the template text it comes from.
    pub content: Option<(Range<usize>, runcommand_document::source_map::ScalarMap)>,
    /// The resource type, for messages.
    pub resource: &'static str,
    /// The most `InstanceIds` the resource takes.
    pub instance_ids_max: i64,
}

/// Values derived from a request that several rules read (the script, its placeholders, the
/// `Parameters` pairs), each computed at its first use and kept with the request: decoding Base64
/// content, scanning it for `{{ }}` or parsing a `Parameters` JSON string once per request, not
/// once per rule. Only the accessors in `rules::content` and `rules::parameters` fill them.
#[derive(Default)]
pub(crate) struct Derived<'a> {
    /// [`script::script`].
    pub(crate) script: OnceCell<Option<script::Script<'a>>>,
    /// [`script::placeholders`]: the template scan of the script.
    pub(crate) scan: OnceCell<Option<runcommand_template::Scan>>,
    /// [`script::custom_names`]: the scan's distinct custom names.
    pub(crate) names: OnceCell<Option<Vec<script::Name>>>,
    /// [`parameters::read`].
    pub(crate) parameters: OnceCell<parameters::Read<'a>>,
}

impl std::fmt::Debug for Derived<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Derived").finish_non_exhaustive()
    }
}

/// The parameters of a request by name, in the order given. Every rule looks several up, so a
/// lookup is no search: the catalogue's generated `parameter_index` gives the name's index and a
/// slot per catalogue parameter holds where it is in the list.
#[derive(Debug, Default)]
pub struct Params<'a> {
    entries: Vec<(&'static str, Param<'a>)>,
    /// Per catalogue parameter (by its index in `PARAMETERS`): 1 + its position in `entries`,
    /// or 0 when not given.
    slots: [u8; runcommand_catalog::PARAMETER_COUNT],
}

/// How a parameter is named to the request view: by its [`ParamId`] (`param::INSTANCE_ID`, what
/// the rules use: a slot, no string to compare, a typo does not compile) or by its name.
pub trait ParamKey: Copy {
    /// The index in the catalogue's `PARAMETERS`, if it is a parameter.
    fn index(self) -> Option<usize>;
}

impl ParamKey for ParamId {
    fn index(self) -> Option<usize> {
        Some(ParamId::index(self))
    }
}

impl ParamKey for &str {
    fn index(self) -> Option<usize> {
        runcommand_catalog::parameter_index(self)
    }
}

impl<'a> Params<'a> {
    /// The parameter `key` (a [`ParamId`] or a name).
    pub fn get(&self, key: impl ParamKey) -> Option<&Param<'a>> {
        let slot = *self.slots.get(key.index()?)?;
        self.entries
            .get(usize::from(slot).checked_sub(1)?)
            .map(|(_, p)| p)
    }

    /// Whether `key` is given.
    pub fn contains_key(&self, key: impl ParamKey) -> bool {
        self.get(key).is_some()
    }

    /// Adds a parameter of the catalogue, or replaces the one of the same name. (Names outside
    /// the catalogue have no slot and are not kept.)
    pub fn insert(&mut self, name: &'static str, param: Param<'a>) {
        if let Some(i) = runcommand_catalog::parameter_index(name) {
            self.insert_at(i, name, param);
        }
    }

    /// Whether the parameter of catalogue index `i` is given.
    fn has_index(&self, i: usize) -> bool {
        self.slots.get(i).is_some_and(|&s| s > 0)
    }

    /// [`Params::insert`] for the parameter of catalogue index `i`.
    fn insert_at(&mut self, i: usize, name: &'static str, param: Param<'a>) {
        let Some(slot) = self.slots.get_mut(i) else {
            return;
        };
        match usize::from(*slot).checked_sub(1) {
            Some(at) => {
                if let Some(e) = self.entries.get_mut(at) {
                    e.1 = param;
                }
            }
            None => {
                let Ok(position) = u8::try_from(self.entries.len() + 1) else {
                    return;
                };
                *slot = position;
                self.entries.push((name, param));
            }
        }
    }

    /// The parameters in the order given (not sorted: see the idempotency fingerprint for a
    /// canonical order).
    pub fn iter(&self) -> impl Iterator<Item = (&&'static str, &Param<'a>)> {
        self.entries.iter().map(|(n, p)| (n, p))
    }

    /// How many parameters are given.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is given.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'a> Request<'a> {
    /// A parameter, if given (`key`: a [`ParamId`] such as `param::TIMEOUT`, or a name).
    pub fn get(&self, key: impl ParamKey) -> Option<&Param<'a>> {
        self.params.get(key)
    }

    /// A string parameter's value, if given with the right type.
    pub fn str(&self, key: impl ParamKey) -> Option<Text<'a>> {
        match self.get(key)?.value {
            PValue::Str(t) => Some(t),
            _ => None,
        }
    }

    /// A boolean parameter's value, if given with the right type.
    pub fn bool(&self, key: impl ParamKey) -> Option<bool> {
        match self.get(key)?.value {
            PValue::Bool(b, _) => Some(b),
            _ => None,
        }
    }

    /// An integer parameter's value and node, if given with the right type.
    pub fn int(&self, key: impl ParamKey) -> Option<(i64, &'a Node)> {
        match self.get(key)?.value {
            PValue::Int(i, n) => Some((i, n)),
            _ => None,
        }
    }

    /// Whether a parameter is given at all (even with a wrong type).
    pub fn has(&self, key: impl ParamKey) -> bool {
        self.params.contains_key(key)
    }

    /// The source map of a value the request view composed (a ROS `CommandContent` built by
    /// template functions), for the node holding it.
    pub fn composed(&self, node: &Node) -> Option<&'a runcommand_document::source_map::ScalarMap> {
        match self.ros?.content.as_ref()? {
            (span, map) if *span == node.span => Some(map),
            _ => None,
        }
    }

    /// A key of the request that is no parameter but nearly spells `name` (its case, or a small
    /// edit distance, as "did you mean" finds it): why `name` is missing, most likely.
    pub fn near_miss_key(&self, name: &str) -> Option<(&'a str, &'a Node)> {
        self.node.as_map()?.iter().find_map(|e| {
            let key = e.key.as_key_str()?;
            let head = key.split('.').next().unwrap_or(key);
            (runcommand_catalog::parameter_index(key).is_none()
                && key != "Action"
                && did_you_mean(head, std::iter::once(name)) == Some(name))
            .then_some((key, &e.key))
        })
    }
}

/// The `Key` and `Value` entries of one flattened tag pair (`Tag.N.Key`, `Tag.N.Value`).
type FlatPair<'a> = [Option<&'a Entry>; 2];

/// What a flattened key means.
enum Flat<'k> {
    /// `InstanceId.N`
    Item(&'static ParamInfo, u32),
    /// `Tag.N.Key` / `Tag.N.Value`
    TagField(&'static ParamInfo, u32, &'k str),
}

fn parse_flat(key: &str) -> Option<Flat<'_>> {
    let (head, rest) = key.split_once('.')?;
    let info = PARAMETERS.iter().find(|p| p.name == head)?;
    let (index, field) = match rest.split_once('.') {
        Some((n, f)) => (n, Some(f)),
        None => (rest, None),
    };
    if index.is_empty() || index.starts_with('0') || !index.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = index.parse().ok()?;
    match (info.ty, field) {
        (ParamType::StringList, None) => Some(Flat::Item(info, n)),
        (ParamType::TagList, Some(f @ ("Key" | "Value"))) => Some(Flat::TagField(info, n, f)),
        _ => None,
    }
}

/// Whether a mapping of a few keys surely has no key twice (compared exactly, or ignoring ASCII
/// case for `Parameters`), without allocating: every pair is compared. `false` means "maybe":
/// a repeated key, too many keys for pairs, or a non-ASCII `Parameters` key (compared after
/// Unicode lowercasing by [`duplicate_keys`]).
fn surely_unique(entries: &[Entry], parameters: bool) -> bool {
    const PAIRWISE_MAX: usize = 24;
    if entries.len() > PAIRWISE_MAX {
        return false;
    }
    for (i, a) in entries.iter().enumerate() {
        let Some(a) = a.key.as_key_str() else {
            continue;
        };
        if parameters && !a.is_ascii() {
            return false;
        }
        let same = |b: &Entry| {
            b.key.as_key_str().is_some_and(|b| {
                a.len() == b.len()
                    && if parameters {
                        a.eq_ignore_ascii_case(b)
                    } else {
                        a == b
                    }
            })
        };
        if entries.get(i + 1..).unwrap_or(&[]).iter().any(same) {
            return false;
        }
    }
    true
}

/// Where a key was first given, and as what text.
type FirstKey<'a> = (Range<usize>, &'a str);

/// Reports duplicate keys in one mapping. `ignore_case` for `Parameters`.
pub(crate) fn duplicate_keys(entries: &[Entry], parameters: bool, out: &mut Vec<Diagnostic>) {
    if surely_unique(entries, parameters) {
        return;
    }
    // Keys seen so far (lowercased for Parameters, whose names are case-insensitive): a short
    // list searched in place for a mapping of request size, a hash map for a large one.
    let mut few: Vec<(std::borrow::Cow<'_, str>, FirstKey<'_>)> = Vec::new();
    let mut many: std::collections::HashMap<std::borrow::Cow<'_, str>, FirstKey<'_>> =
        std::collections::HashMap::new();
    let large = entries.len() > 64;
    for e in entries {
        let Some(k) = e.key.as_key_str() else {
            continue;
        };
        let norm: std::borrow::Cow<'_, str> =
            if parameters && k.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                std::borrow::Cow::Owned(k.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(k)
            };
        let first = if large {
            many.get(&norm).cloned()
        } else {
            few.iter().find(|(s, _)| *s == norm).map(|(_, r)| r.clone())
        };
        if let Some((first, first_key)) = first {
            // Evidence rule: keys differing in case alone are a duplicate by inference only.
            let case_only = parameters && first_key != k;
            let d = if parameters {
                Diagnostic::new(
                    code::PARAMETER_KEY_DUPLICATE,
                    e.key.span.clone(),
                    format!(
                        "parameter `{k}` is given twice in Parameters (names are case-insensitive)"
                    ),
                )
                .param("Parameters")
            } else {
                Diagnostic::new(
                    code::LINT_DUPLICATE_KEY,
                    e.key.span.clone(),
                    format!("key `{k}` is given twice; parsers silently keep only one of them"),
                )
            };
            let mut d = d.help("remove one of the two keys");
            d = d.related_here(first, "first given here");
            if case_only {
                d = d.inferred();
            }
            out.push(d);
        } else if large {
            many.insert(norm, (e.key.span.clone(), k));
        } else {
            few.push((norm, (e.key.span.clone(), k)));
        }
    }
}

fn mismatch(node: &Node, name: &str, expected: &str, help: Option<String>) -> Diagnostic {
    let mut d = Diagnostic::new(
        code::LINT_TYPE_MISMATCH,
        node.span.clone(),
        format!("`{name}` must be {expected}, found {}", node.type_name()),
    )
    .param(name);
    if let Some(h) = help {
        d = d.help(h);
    }
    d
}

/// Reads a scalar as a string parameter value (any non-null scalar: the wire carries text).
fn as_text<'a>(node: &'a Node) -> Option<Text<'a>> {
    match &node.value {
        Value::Scalar(s) if s.kind != ScalarKind::Null => Some(Text {
            value: s.text.as_str(),
            node,
        }),
        _ => None,
    }
}

/// Reads list items as strings (a list parameter, or the items of its flattened form); any item
/// of another type is reported and makes the whole value invalid.
fn string_list<'a>(
    items: impl Iterator<Item = &'a Node>,
    name: &str,
    out: &mut Vec<Diagnostic>,
) -> PValue<'a> {
    let mut list = Vec::new();
    let mut ok = true;
    for item in items {
        match as_text(item) {
            Some(t) => list.push(t),
            None => {
                out.push(mismatch(item, name, "a list of strings; this item", None));
                ok = false;
            }
        }
    }
    if ok {
        PValue::List(list)
    } else {
        PValue::Invalid
    }
}

/// Why a value is not an integer parameter.
enum NotInteger {
    /// Not a scalar that can hold a number (a boolean, a float, a list, ...).
    Type,
    /// A string that is not exactly `-?[0-9]+`.
    Text(String),
    /// A YAML hexadecimal or octal integer, with its value when it fits.
    Radix(&'static str, Option<i64>),
    /// Decimal digits outside the 64-bit range.
    Range,
}

/// Reads an integer parameter: a YAML/JSON integer in decimal (YAML allows a leading `+`), or a
/// string of exactly `-?[0-9]+` (decisions.md §3: the wire carries text, and nothing else is a
/// number there).
fn integer(node: &Node) -> Result<i64, NotInteger> {
    let Some(s) = node.as_scalar() else {
        return Err(NotInteger::Type);
    };
    let t = s.text.as_str();
    let decimal = |t: &str| {
        let digits = t.strip_prefix('-').unwrap_or(t);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    match s.kind {
        ScalarKind::Str if decimal(t) => t.parse::<i64>().map_err(|_| NotInteger::Range),
        ScalarKind::Str => Err(NotInteger::Text(t.to_owned())),
        ScalarKind::Int => {
            if let Some(hex) = t.strip_prefix("0x") {
                return Err(NotInteger::Radix(
                    "hexadecimal",
                    i64::from_str_radix(hex, 16).ok(),
                ));
            }
            if let Some(oct) = t.strip_prefix("0o") {
                return Err(NotInteger::Radix("octal", i64::from_str_radix(oct, 8).ok()));
            }
            let unsigned = t.strip_prefix('+').unwrap_or(t);
            if decimal(unsigned) {
                unsigned.parse::<i64>().map_err(|_| NotInteger::Range)
            } else {
                Err(NotInteger::Type)
            }
        }
        _ => Err(NotInteger::Type),
    }
}

fn typed<'a>(info: &'static ParamInfo, node: &'a Node, out: &mut Vec<Diagnostic>) -> PValue<'a> {
    let name = info.name;
    match info.ty {
        ParamType::String => match as_text(node) {
            Some(t) => PValue::Str(t),
            None => {
                out.push(mismatch(node, name, "a string", None));
                PValue::Invalid
            }
        },
        ParamType::Integer => match integer(node) {
            Ok(i) => PValue::Int(i, node),
            Err(why) => {
                let mut d =
                    Diagnostic::new(code::LINT_TYPE_MISMATCH, node.span.clone(), String::new())
                        .param(name);
                match why {
                    NotInteger::Type => {
                        d.message =
                            format!("`{name}` must be an integer, found {}", node.type_name());
                        d = d.help("give a whole number, e.g. 3600");
                    }
                    NotInteger::Text(text) => {
                        d.message = format!(
                            "`{name}` must be an integer: the string {text:?} is not a decimal number (only digits, with an optional leading `-`; no blanks and no `+`)"
                        );
                        d = d.help("write the digits alone, e.g. 3600");
                    }
                    NotInteger::Radix(radix, value) => {
                        d.message = format!(
                            "`{name}` must be a decimal integer, found the {radix} number `{}`",
                            node.as_scalar().map_or("", |s| s.text.as_str())
                        );
                        d = d.help(match value {
                            Some(v) => format!("write it in decimal: {v}"),
                            None => "write it in decimal".to_owned(),
                        });
                    }
                    NotInteger::Range => {
                        d.message = format!(
                            "`{name}` is outside the range of a 64-bit integer (-9223372036854775808 to 9223372036854775807)"
                        );
                    }
                }
                out.push(d);
                PValue::Invalid
            }
        },
        ParamType::Boolean => {
            let b = node.as_scalar().and_then(|s| match s.kind {
                ScalarKind::Bool(b) => Some(b),
                ScalarKind::Str if s.text.eq_ignore_ascii_case("true") => Some(true),
                ScalarKind::Str if s.text.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            });
            match b {
                Some(b) => PValue::Bool(b, node),
                None => {
                    let text = node.as_scalar().map(|s| s.text.to_ascii_lowercase());
                    let hint = match text.as_deref() {
                        Some("yes" | "on" | "y" | "1") => Some(
                            "YAML 1.2 reads this as a string, not a boolean: write `true`".into(),
                        ),
                        Some("no" | "off" | "n" | "0") => Some(
                            "YAML 1.2 reads this as a string, not a boolean: write `false`".into(),
                        ),
                        _ => Some("write `true` or `false`".into()),
                    };
                    out.push(mismatch(node, name, "a boolean", hint));
                    PValue::Invalid
                }
            }
        }
        ParamType::StringList => match &node.value {
            Value::Seq(items) => string_list(items.iter(), name, out),
            Value::Scalar(_) => match as_text(node) {
                Some(t) => PValue::List(vec![t]),
                None => {
                    out.push(mismatch(node, name, "a list of strings", None));
                    PValue::Invalid
                }
            },
            _ => {
                out.push(mismatch(node, name, "a list of strings", None));
                PValue::Invalid
            }
        },
        ParamType::TagList => match &node.value {
            Value::Seq(items) => {
                let mut tags = Vec::with_capacity(items.len());
                let mut ok = true;
                for item in items {
                    match tag_pair(name, item, out) {
                        Some(t) => tags.push(t),
                        None => ok = false,
                    }
                }
                if ok {
                    PValue::Tags(tags)
                } else {
                    PValue::Invalid
                }
            }
            _ => {
                out.push(mismatch(
                    node,
                    name,
                    "a list of {Key, Value} mappings",
                    None,
                ));
                PValue::Invalid
            }
        },
        ParamType::Object => match &node.value {
            Value::Map(entries) => {
                duplicate_keys(entries, true, out);
                PValue::Object(node)
            }
            Value::Scalar(s) if s.kind == ScalarKind::Str => PValue::Object(node),
            _ => {
                out.push(mismatch(
                    node,
                    name,
                    "a mapping (or a string holding a JSON object)",
                    None,
                ));
                PValue::Invalid
            }
        },
    }
}

/// The `Key` or `Value` of a tag pair as text; a null `Value` is an empty value (allowed), any
/// other non-string is reported (`Err`).
fn tag_field<'a>(
    e: &'a Entry,
    field: &str,
    label: &str,
    out: &mut Vec<Diagnostic>,
) -> Result<Option<Text<'a>>, ()> {
    match as_text(&e.value) {
        Some(t) => Ok(Some(t)),
        None if field == "Value"
            && matches!(&e.value.value, Value::Scalar(s) if s.kind == ScalarKind::Null) =>
        {
            Ok(None)
        }
        None => {
            out.push(mismatch(&e.value, label, "a string", None));
            Err(())
        }
    }
}

fn tag_pair<'a>(name: &str, item: &'a Node, out: &mut Vec<Diagnostic>) -> Option<TagPair<'a>> {
    let Value::Map(entries) = &item.value else {
        out.push(mismatch(
            item,
            name,
            "a list of {Key, Value} mappings; this item",
            None,
        ));
        return None;
    };
    duplicate_keys(entries, false, out);
    let mut pair = TagPair {
        key: None,
        value: None,
        span: item.span.clone(),
    };
    let mut ok = true;
    for e in entries {
        let field = e.key.as_key_str().unwrap_or("");
        let slot = match field {
            "Key" => &mut pair.key,
            "Value" => &mut pair.value,
            other => {
                let mut d = Diagnostic::new(
                    code::LINT_UNKNOWN_PARAMETER,
                    e.key.span.clone(),
                    format!("`{other}` is not a field of a {name} pair (only Key and Value)"),
                )
                .param(name);
                if let Some(s) = did_you_mean(other, ["Key", "Value"].iter().copied()) {
                    d = d.help(format!("did you mean `{s}`?")).fix(Fix {
                        title: format!("Rename to `{s}`"),
                        span: e.key.span.clone(),
                        replacement: s.to_owned(),
                        safe: false,
                    });
                }
                out.push(d);
                continue;
            }
        };
        if slot.is_some() {
            continue; // duplicate, already reported
        }
        match tag_field(e, field, &format!("{name}.{field}"), out) {
            Ok(t) => *slot = t,
            Err(()) => ok = false,
        }
    }
    ok.then_some(pair)
}

/// The outcome of reading a document as requests.
pub struct Built<'a> {
    /// The request, unless the document is not one (then diagnostics say why).
    pub request: Option<Request<'a>>,
}

/// Reads one request mapping. Reports shape problems into `out`.
pub fn build<'a>(
    text: &'a str,
    node: &'a Node,
    index: usize,
    out: &mut Vec<Diagnostic>,
) -> Built<'a> {
    let Value::Map(entries) = &node.value else {
        out.push(Diagnostic::new(
            code::LINT_TYPE_MISMATCH,
            node.span.clone(),
            format!(
                "a request must be a mapping of parameter names to values, found {}",
                node.type_name()
            ),
        ));
        return Built { request: None };
    };

    if let Some(action) = node.get("Action") {
        let value = action.value.as_scalar().map(|s| s.text.as_str());
        if value != Some("RunCommand") {
            duplicate_keys(entries, false, out);
            out.push(
                Diagnostic::new(
                    code::LINT_UNSUPPORTED_ACTION,
                    action.value.span.clone(),
                    format!(
                        "`Action: {}` is not RunCommand; this document is not checked",
                        value.unwrap_or("?")
                    ),
                )
                .param("Action"),
            );
            return Built { request: None };
        }
    }

    let mut params = Params {
        entries: Vec::with_capacity(entries.len()),
        ..Params::default()
    };
    // Flattened items: parameter -> (N -> item) / (N -> (key, value)).
    let mut flat_items: BTreeMap<&'static str, (Range<usize>, BTreeMap<u32, &'a Node>)> =
        BTreeMap::new();
    let mut flat_tags: BTreeMap<&'static str, (Range<usize>, BTreeMap<u32, FlatPair<'a>>)> =
        BTreeMap::new();
    // Whether some key is given twice: a parameter whose slot is taken, a flattened item given
    // before, `Action` twice, or an unknown key equal to an earlier one. Only then does
    // `duplicate_keys` go through the mapping to report them (findings are sorted at the end).
    let mut repeated = false;
    let mut action_seen = false;
    // The unknown keys seen (hashed: a hostile mapping may hold hundreds of thousands).
    let mut unknown: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // Catalogue indexes of the parameters given as null (not sent) or, for optional strings, as
    // "" (the default): absent for the rules.
    let mut nulls: Vec<usize> = Vec::new();

    for e in entries {
        let Some(key) = e.key.as_key_str() else {
            out.push(Diagnostic::new(
                code::LINT_TYPE_MISMATCH,
                e.key.span.clone(),
                format!(
                    "a parameter name must be a string, found {}",
                    e.key.type_name()
                ),
            ));
            continue;
        };
        if key == "Action" {
            repeated |= std::mem::replace(&mut action_seen, true);
            continue;
        }
        if let Some(i) = runcommand_catalog::parameter_index(key)
            && let Some(info) = PARAMETERS.get(i)
        {
            if params.has_index(i) || nulls.contains(&i) {
                repeated = true; // reported by duplicate_keys below
                continue;
            }
            if matches!(&e.value.value, Value::Scalar(s) if s.kind == ScalarKind::Null) {
                // A null value is a parameter not sent (decisions.md §3).
                nulls.push(i);
                out.push(null_value(info.name, e));
                continue;
            }
            if info.ty == ParamType::String
                && !info.required
                && matches!(&e.value.value, Value::Scalar(s) if s.kind == ScalarKind::Str && s.text.is_empty())
            {
                // An optional string left empty is the parameter's default, as if not given
                // (`WindowsPasswordName: ""` is no password, `Username: ""` the default user).
                nulls.push(i);
                continue;
            }
            let value = typed(info, &e.value, out);
            params.insert_at(
                i,
                info.name,
                Param {
                    info,
                    key_span: e.key.span.clone(),
                    value_span: e.value.span.clone(),
                    value,
                },
            );
            continue;
        }
        match parse_flat(key) {
            Some(Flat::Item(info, n)) => {
                let slot = flat_items
                    .entry(info.name)
                    .or_insert_with(|| (e.key.span.clone(), BTreeMap::new()));
                match slot.1.entry(n) {
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert(&e.value);
                    }
                    std::collections::btree_map::Entry::Occupied(_) => repeated = true,
                }
            }
            Some(Flat::TagField(info, n, field)) => {
                let slot = flat_tags
                    .entry(info.name)
                    .or_insert_with(|| (e.key.span.clone(), BTreeMap::new()));
                let pair = slot.1.entry(n).or_insert([None, None]);
                let i = usize::from(field == "Value");
                match pair.get_mut(i) {
                    Some(s @ None) => *s = Some(e),
                    _ => repeated = true,
                }
            }
            None => {
                if !unknown.insert(key) {
                    repeated = true;
                }
                out.push(unknown_parameter(key, &e.key));
            }
        }
    }
    if repeated {
        duplicate_keys(entries, false, out);
    }

    // Here the list parameters in `params` are those given in list form.
    for (name, (first_key, items)) in flat_items {
        if let Some(list) = params.get(name) {
            out.push(mixed(name, first_key, &list.key_span));
            continue;
        }
        let Some(info) = runcommand_catalog::parameter(name) else {
            continue;
        };
        let value = string_list(items.values().copied(), name, out);
        let value_span = span_of(items.values().map(|n| n.span.clone()), &first_key);
        params.insert(
            name,
            Param {
                info,
                key_span: first_key,
                value_span,
                value,
            },
        );
    }
    for (name, (first_key, pairs)) in flat_tags {
        if let Some(list) = params.get(name) {
            out.push(mixed(name, first_key, &list.key_span));
            continue;
        }
        let Some(info) = runcommand_catalog::parameter(name) else {
            continue;
        };
        let mut tags = Vec::new();
        let mut ok = true;
        for [k, v] in pairs.values() {
            let mut pair = TagPair {
                key: None,
                value: None,
                span: k.or(*v).map_or(first_key.clone(), |e| e.key.span.clone()),
            };
            for (slot, entry, field) in [(&mut pair.key, k, "Key"), (&mut pair.value, v, "Value")] {
                if let Some(e) = entry {
                    match tag_field(e, field, &format!("{name}.N.{field}"), out) {
                        Ok(t) => *slot = t,
                        Err(()) => ok = false,
                    }
                }
            }
            tags.push(pair);
        }
        let all = pairs
            .values()
            .flat_map(|p| p.iter().flatten().map(|e| e.value.span.clone()));
        let value_span = span_of(all, &first_key);
        params.insert(
            name,
            Param {
                info,
                key_span: first_key,
                value_span,
                value: if ok {
                    PValue::Tags(tags)
                } else {
                    PValue::Invalid
                },
            },
        );
    }

    Built {
        request: Some(Request {
            text,
            node,
            index,
            params,
            oos: None,
            ros: None,
            derived: Derived::default(),
        }),
    }
}

fn span_of(spans: impl Iterator<Item = Range<usize>>, fallback: &Range<usize>) -> Range<usize> {
    let mut r: Option<Range<usize>> = None;
    for s in spans {
        r = Some(match r {
            None => s,
            Some(a) => a.start.min(s.start)..a.end.max(s.end),
        });
    }
    r.unwrap_or_else(|| fallback.clone())
}

/// `Lint.NullValue`: a parameter given as null, which is not sent at all.
fn null_value(name: &str, e: &Entry) -> Diagnostic {
    let span = if e.value.span.is_empty() {
        e.key.span.clone()
    } else {
        e.value.span.clone()
    };
    Diagnostic::new(
        code::LINT_NULL_VALUE,
        span,
        format!("`{name}` is null: a null value is not sent, so the request goes without `{name}`"),
    )
    .param(name)
    .help(format!("give `{name}` a value, or remove the key"))
}

fn mixed(name: &str, flat_key: Range<usize>, list_key: &Range<usize>) -> Diagnostic {
    let mut d = Diagnostic::new(
        code::LINT_MIXED_PARAMETER_FORMS,
        flat_key,
        format!("`{name}` is given both as a list and in the flattened form `{name}.N`"),
    )
    .param(name)
    .help("use one form only");
    d = d.related_here(list_key.clone(), "the list form is given here");
    d
}

fn unknown_parameter(key: &str, node: &Node) -> Diagnostic {
    // For a misspelt flattened key, suggest on the head (`instanceId.1` -> `InstanceId.1`).
    let (head, tail) = match key.split_once('.') {
        Some((h, t)) => (h, Some(t)),
        None => (key, None),
    };
    let mut d = Diagnostic::new(
        code::LINT_UNKNOWN_PARAMETER,
        node.span.clone(),
        format!("`{key}` is not a parameter of RunCommand"),
    );
    let names = PARAMETERS.iter().map(|p| p.name).chain(["Action"]);
    if let Some(s) = did_you_mean(head, names) {
        let suggestion = match tail {
            Some(t) => format!("{s}.{t}"),
            None => s.to_owned(),
        };
        if suggestion != key {
            d = d.help(format!("did you mean `{suggestion}`?")).fix(Fix {
                title: format!("Rename to `{suggestion}`"),
                span: node.span.clone(),
                replacement: suggestion,
                safe: false,
            });
        } else if let Some(t) = tail {
            d = d.help(format!(
                "the flattened form is `{s}.N` or `{s}.N.Key`/`{s}.N.Value` with N from 1; `{t}` does not fit"
            ));
        }
    } else {
        d = d.help("parameter names are case-sensitive; run `runcommand-lint rules` or see the API reference");
    }
    d
}

#[cfg(test)]
mod duplicate_tests {
    use runcommand_document::{Format, LoadOptions};

    /// The `Lint.DuplicateKey` findings of a YAML request, as the repeated keys' text.
    fn duplicates(yaml: &str) -> Vec<String> {
        let loaded =
            runcommand_document::load(yaml.as_bytes(), Format::Yaml, LoadOptions { max_depth: 64 });
        let root = loaded
            .documents
            .first()
            .and_then(|d| d.root.as_ref())
            .expect("a document");
        let mut out = Vec::new();
        let _ = super::build(&loaded.text, root, 0, &mut out);
        out.iter()
            .filter(|d| d.code == "Lint.DuplicateKey")
            .map(|d| loaded.text[d.span.clone()].to_owned())
            .collect()
    }

    #[test]
    fn every_kind_of_repeated_key_is_reported_once() {
        for (yaml, key) in [
            ("Timeout: 1\nType: RunShellScript\nTimeout: 2\n", "Timeout"),
            (
                "Action: RunCommand\nType: x\nAction: RunCommand\n",
                "Action",
            ),
            ("Nope: 1\nType: x\nNope: 2\n", "Nope"),
            ("InstanceId.1: i-a\nInstanceId.1: i-b\n", "InstanceId.1"),
            ("Tag.1.Key: a\nTag.1.Value: b\nTag.1.Key: c\n", "Tag.1.Key"),
        ] {
            assert_eq!(duplicates(yaml), vec![key.to_owned()], "{yaml}");
        }
    }

    #[test]
    fn no_repetition_no_finding() {
        for yaml in [
            "Timeout: 1\nType: RunShellScript\nName: a\n",
            "Nope: 1\nNope2: 2\nInstanceId.1: i-a\nInstanceId.2: i-b\n",
            "Tag.1.Key: a\nTag.1.Value: b\nTag.2.Key: a\n",
            "Action: RunCommand\nInstanceIds: [i-a]\n",
        ] {
            assert!(
                duplicates(yaml).is_empty(),
                "{yaml}: {:?}",
                duplicates(yaml)
            );
        }
    }

    #[test]
    fn a_request_not_checked_still_has_its_duplicates_reported() {
        assert_eq!(
            duplicates("Action: DescribeInstances\nType: a\nType: b\n"),
            vec!["Type".to_owned()]
        );
    }
}
