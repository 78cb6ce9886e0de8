//! ROS templates: the `ALIYUN::ECS::RunCommand` resources of a Resource Orchestration Service
//! template, checked with the same rules as a bare request (issue 21).
//!
//! **Recognising a template.** A mapping is a ROS template when it has a
//! `ROSTemplateFormatVersion` key, or a `Resources` mapping holding a resource whose `Type`
//! starts with `ALIYUN::` or `DATASOURCE::`. The engine then checks its `ALIYUN::ECS::RunCommand`
//! resources instead of reading it as a request; a template without one gives no finding and does
//! not look like a request file (see `detect`). Resources are taken in file order, each one a
//! request of the file (`document` counts them); an `ALIYUN::ROS::Stack` whose `TemplateBody` is
//! a mapping holds a template of its own, whose resources take their parameters from it.
//!
//! **Properties** ([`PROPERTIES`], the 22 of ROS's resource specification and of the validator
//! ROS's CDK generates from it, `ros-cdk-ecs` 1.15.0) are read as the API's parameters:
//! `InstanceIds` is the API's `InstanceId` list and `Tags` its `Tag` list; `Sync` and
//! `RunAgainOn` are ROS's own. Any other property (`RegionId`, `ResourceTag`, `ClientToken`,
//! `OssOutputDelivery`, `TerminationMode`, ...) is `Lint.UnknownParameter` with "did you mean"
//! among the resource's own; ROS rejects a template with an unknown property. A missing `RegionId`
//! is the stack's region. Where the resource's documented limits differ from the API's they
//! apply (source S11): `CommandContent` and `Parameters` together at most 16 KB once Base64-encoded
//! (ROS's documentation of the resource), `InstanceIds` 1 to 50 items (the CDK validator);
//! `RepeatMode: DryRun` is not among the values ROS documents for the resource (a warning).
//!
//! **The older pair** (`ALIYUN::ECS::Command` run by `ALIYUN::ECS::Invocation`, whose
//! `CommandId` is `Ref` / `Fn::GetAtt` to the command): one request, counted at the invocation,
//! made of the command's `CommandContent`, `Type`, `WorkingDir`, `EnableParameter`,
//! `ContentEncoding`, `Name`, `Description` and the invocation's `InstanceIds`, `Parameters`,
//! `Frequency`, `RepeatMode`, `Username`, `WindowsPasswordName`, `ContainerId`, `ContainerName`,
//! `ResourceGroupId`, `Tags`; `Timeout` and `Launcher` are the invocation's when it sets them, else
//! the command's (as InvokeCommand overrides CreateCommand). CreateCommand + InvokeCommand take
//! these with the same meaning and limits as RunCommand, so the same rules apply; each property
//! set is checked against its own resource ([`COMMAND_PROPERTIES`], [`INVOCATION_PROPERTIES`]),
//! and a missing parameter is reported at the `Type` of the resource that should hold it. An
//! invocation of a command given by ID (`c-...`), or of no command of the template, holds no
//! script to check and is no request. `RepeatMode: DryRun` is not reported for the pair.
//!
//! **Values.** A value is what ROS resolves before calling the API:
//! - `Ref` to a template parameter with a literal `Default` is checked as that default; findings
//!   on it are reported at the default and say so (`Type: CommaDelimitedList` defaults are split
//!   at commas). `AllowedValues` are not checked (a stack may pass another value).
//! - `Ref` / `Fn::GetAtt` to a resource, a pseudo parameter ([`PSEUDO_PARAMETERS`]) or a
//!   parameter without a default, and any other function, is unknown until the stack runs: absent
//!   for the value rules, present for the rules about missing parameters. Never a guess.
//! - `Fn::If` is read twice, once with every condition true and once false; findings of both
//!   readings are kept once each.
//! - `Fn::Sub` (a string, or `[string, {variables}]`), `Fn::Join`, `Fn::Replace` and
//!   `Fn::Base64Encode` are reconstructed. In `CommandContent`, a piece that is unknown
//!   (`${Name}`, a `Ref`, a `Fn::GetAtt`) stands as `${___}` of the same length as its text, and a
//!   `${!Literal}` escape as `${Literal}`, so the content rules (size, Base64, `{{ }}` templates,
//!   secrets) run on the script with every character mapped back to its place in the template.
//!   A `{{ computenest::... }}` placeholder (filled by Compute Nest before ROS runs) is unknown
//!   text too. `Fn::Base64Encode` content with `ContentEncoding: Base64` is checked as the script
//!   it encodes. A script that is nothing but unknown pieces is unknown. Elsewhere a function's
//!   value is known only when it has no unknown piece.
//!
//! **References** (`Lint.RosUnknownReference`, error): a `${Name}` of `Fn::Sub`, a `Ref` or the
//! resource of a `Fn::GetAtt` in the resource's properties that names no template parameter, no
//! resource, no local (`Locals`), no pseudo parameter and no variable of its `Fn::Sub`, with "did
//! you mean"; ROS fails the template. An unknown `ALIYUN::` name is a warning (ROS may add pseudo parameters).
//! A `${Name}` whose text is no plain name (`${VAR:-x}`, `${ x }`) is left as written.
//!
//! **A forgotten `Fn::Sub`** (`Lint.RosMissingSub`, warning): a `${Name}` naming a template
//! parameter (or `${Res.Attr}` a resource) in a `CommandContent` string that no `Fn::Sub` holds:
//! ROS leaves it as written, so the script gets the literal text (a shell expands it to nothing).
//!
//! **Secrets** (`Lint.RosSecretWithoutNoEcho`, warning): a template parameter whose name is a
//! credential's (the secrets rule's test) spliced into `CommandContent` while the parameter has no
//! `NoEcho: true`: the console and API show its value in plaintext.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use runcommand_catalog::{code, param};
use runcommand_document::source_map::{ScalarMap, char_ranges};
use runcommand_document::{Entry, Node, ScalarKind, Value};

use crate::carried::{FromDefault, held_back, note_default, renamed, scalar, to_properties};
use crate::diagnostic::{Diagnostic, Fix};
use crate::request::RosResource;
use crate::{Context, request, suggest::did_you_mean};

/// The resource type this module checks.
pub const RUN_COMMAND: &str = "ALIYUN::ECS::RunCommand";

/// The properties of `ALIYUN::ECS::RunCommand` (ROS's resource specification, S11; the same 22
/// in the validator `ros-cdk-ecs` 1.15.0 generates), with the API parameter each one is sent as
/// (`None`: ROS's own).
pub const PROPERTIES: &[(&str, Option<&str>)] = &[
    ("CommandContent", Some("CommandContent")),
    ("InstanceIds", Some("InstanceId")),
    ("Type", Some("Type")),
    ("ContainerId", Some("ContainerId")),
    ("ContainerName", Some("ContainerName")),
    ("ContentEncoding", Some("ContentEncoding")),
    ("Description", Some("Description")),
    ("EnableParameter", Some("EnableParameter")),
    ("Frequency", Some("Frequency")),
    ("KeepCommand", Some("KeepCommand")),
    ("Launcher", Some("Launcher")),
    ("Name", Some("Name")),
    ("Parameters", Some("Parameters")),
    ("RepeatMode", Some("RepeatMode")),
    ("ResourceGroupId", Some("ResourceGroupId")),
    ("RunAgainOn", None),
    ("Sync", None),
    ("Tags", Some("Tag")),
    ("Timeout", Some("Timeout")),
    ("Username", Some("Username")),
    ("WindowsPasswordName", Some("WindowsPasswordName")),
    ("WorkingDir", Some("WorkingDir")),
];

/// The properties of `ALIYUN::ECS::Command` (S11 and `ros-cdk-ecs` 1.15.0), with the API
/// parameter each one is sent as when an `ALIYUN::ECS::Invocation` runs the command; `Tags` and
/// `ResourceGroupId` are the command's own.
pub const COMMAND_PROPERTIES: &[(&str, Option<&str>)] = &[
    ("CommandContent", Some("CommandContent")),
    ("ContentEncoding", Some("ContentEncoding")),
    ("Description", Some("Description")),
    ("EnableParameter", Some("EnableParameter")),
    ("Launcher", Some("Launcher")),
    ("Name", Some("Name")),
    ("ResourceGroupId", None),
    ("Tags", None),
    ("Timeout", Some("Timeout")),
    ("Type", Some("Type")),
    ("WorkingDir", Some("WorkingDir")),
];

/// The properties of `ALIYUN::ECS::Invocation` (S11 and `ros-cdk-ecs` 1.15.0), with the API
/// parameter each one is sent as.
pub const INVOCATION_PROPERTIES: &[(&str, Option<&str>)] = &[
    ("CommandId", None),
    ("CommandName", None),
    ("ContainerId", Some("ContainerId")),
    ("ContainerName", Some("ContainerName")),
    ("Frequency", Some("Frequency")),
    ("InstanceIds", Some("InstanceId")),
    ("Launcher", Some("Launcher")),
    ("Parameters", Some("Parameters")),
    ("RepeatMode", Some("RepeatMode")),
    ("ResourceGroupId", Some("ResourceGroupId")),
    ("Sync", None),
    ("Tags", Some("Tag")),
    ("Timeout", Some("Timeout")),
    ("Username", Some("Username")),
    ("WindowsPasswordName", Some("WindowsPasswordName")),
];

/// The names a help or fix of a command + invocation pair may use (the invocation's, then the
/// command's).
const PAIR_PROPERTIES: &[(&str, Option<&str>)] = &[
    ("ContainerId", Some("ContainerId")),
    ("ContainerName", Some("ContainerName")),
    ("Frequency", Some("Frequency")),
    ("InstanceIds", Some("InstanceId")),
    ("Launcher", Some("Launcher")),
    ("Parameters", Some("Parameters")),
    ("RepeatMode", Some("RepeatMode")),
    ("ResourceGroupId", Some("ResourceGroupId")),
    ("Tags", Some("Tag")),
    ("Timeout", Some("Timeout")),
    ("Username", Some("Username")),
    ("WindowsPasswordName", Some("WindowsPasswordName")),
    ("CommandContent", Some("CommandContent")),
    ("ContentEncoding", Some("ContentEncoding")),
    ("Description", Some("Description")),
    ("EnableParameter", Some("EnableParameter")),
    ("Name", Some("Name")),
    ("Type", Some("Type")),
    ("WorkingDir", Some("WorkingDir")),
];

/// The command resource type of the older pair.
pub const COMMAND: &str = "ALIYUN::ECS::Command";
/// The invocation resource type of the older pair.
pub const INVOCATION: &str = "ALIYUN::ECS::Invocation";

/// ROS's pseudo parameters (its user guide, "Pseudo parameters").
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "ALIYUN::StackName",
    "ALIYUN::StackId",
    "ALIYUN::Region",
    "ALIYUN::AccountId",
    "ALIYUN::TenantId",
    "ALIYUN::ResourceGroupId",
    "ALIYUN::NoValue",
    "ALIYUN::Index",
];

/// The `RepeatMode` values ROS documents for the resource.
const REPEAT_MODES: &[&str] = &["Once", "Period", "NextRebootOnly", "EveryReboot"];

/// At most this many `Fn::Replace` pairs are applied (a bound on the work); more is unknown.
const REPLACE_PAIRS_MAX: usize = 64;

/// A template parameter.
struct TemplateParam<'a> {
    key: &'a Node,
    default: Option<&'a Node>,
    list: bool,
    no_echo: bool,
}

/// A template's names.
struct Template<'a> {
    params: BTreeMap<&'a str, TemplateParam<'a>>,
    resources: BTreeSet<&'a str>,
    /// Bytes of `Default` text that may still be substituted (as for OOS templates).
    budget: Cell<usize>,
    /// Candidate names "did you mean" may still compare: a template with thousands of resources
    /// and as many unknown references would otherwise compare every pair (quadratic work); past
    /// the budget, a finding has no suggestion.
    suggestions: Cell<usize>,
}

impl<'a> Template<'a> {
    fn read(root: &'a Node, text_len: usize) -> Template<'a> {
        let mut params = BTreeMap::new();
        for e in map_of(root, "Parameters") {
            if let Some(k) = e.key.as_key_str() {
                let ty = e
                    .value
                    .get("Type")
                    .and_then(|t| t.value.as_scalar())
                    .map_or("", |s| s.text.as_str());
                let no_echo = e
                    .value
                    .get("NoEcho")
                    .and_then(|t| t.value.as_scalar())
                    .is_some_and(|s| {
                        matches!(s.kind, ScalarKind::Bool(true))
                            || s.text.eq_ignore_ascii_case("true")
                    });
                params.entry(k).or_insert(TemplateParam {
                    key: &e.key,
                    default: e.value.get("Default").map(|d| &d.value),
                    list: ty == "CommaDelimitedList",
                    no_echo,
                });
            }
        }
        // `Locals` (ROS's local variables, e.g. `Type: Eval`) are referred to like resources
        // and are unknown values.
        let resources = map_of(root, "Resources")
            .iter()
            .chain(map_of(root, "Locals"))
            .filter_map(|e| e.key.as_key_str())
            .collect();
        Template {
            params,
            resources,
            budget: Cell::new(text_len.max(1 << 20).saturating_mul(2)),
            suggestions: Cell::new(text_len.max(1 << 16) / 4),
        }
    }

    /// Whether `name` (of a `Ref`, or a `${Name}` without `.`) names something.
    fn knows(&self, name: &str) -> bool {
        self.params.contains_key(name)
            || self.resources.contains(name)
            || PSEUDO_PARAMETERS.contains(&name)
    }

    /// "Did you mean" among `candidates`, within the budget of the template.
    /// `n` is how many candidates there are (counted without walking them).
    fn suggest<'c>(
        &self,
        name: &str,
        candidates: impl Iterator<Item = &'c str> + Clone,
        n: usize,
    ) -> Option<&'c str> {
        let left = self.suggestions.get();
        if n > left {
            return None;
        }
        self.suggestions.set(left - n);
        did_you_mean(name, candidates)
    }

    fn candidates(&self) -> impl Iterator<Item = &str> + Clone {
        self.params
            .keys()
            .chain(self.resources.iter())
            .copied()
            .chain(PSEUDO_PARAMETERS.iter().copied())
    }
}

fn map_of<'a>(node: &'a Node, key: &str) -> &'a [Entry] {
    node.get(key).and_then(|e| e.value.as_map()).unwrap_or(&[])
}

fn resource_type(resource: &Node) -> Option<&str> {
    resource
        .get("Type")?
        .value
        .as_scalar()
        .map(|s| s.text.as_str())
}

/// Whether a mapping is a ROS template.
pub fn is_template(node: &Node) -> bool {
    let Some(_) = node.as_map() else {
        return false;
    };
    node.get("ROSTemplateFormatVersion").is_some()
        || map_of(node, "Resources").iter().any(|e| {
            resource_type(&e.value)
                .is_some_and(|t| t.starts_with("ALIYUN::") || t.starts_with("DATASOURCE::"))
        })
}

/// The nested template of an `ALIYUN::ROS::Stack` resource (its `TemplateBody` mapping).
fn nested(resource: &Node) -> Option<&Node> {
    if resource_type(resource) != Some("ALIYUN::ROS::Stack") {
        return None;
    }
    let body = &resource.get("Properties")?.value.get("TemplateBody")?.value;
    body.as_map().map(|_| body)
}

/// The `ALIYUN::ECS::Command` resource an `ALIYUN::ECS::Invocation` runs, when its `CommandId` is
/// `Ref` / `Fn::GetAtt` (`[Name, CommandId]` or `Name.CommandId`) to one of the template.
fn command_of<'a>(resources: &'a [Entry], invocation: &Node) -> Option<&'a Node> {
    if resource_type(invocation) != Some(INVOCATION) {
        return None;
    }
    let id = &invocation.get("Properties")?.value.get("CommandId")?.value;
    let name = match function(id)? {
        ("Ref", arg) => arg.as_key_str()?,
        ("Fn::GetAtt", arg) => match &arg.value {
            Value::Seq(items) => match items.as_slice() {
                [r, a] if a.as_key_str() == Some("CommandId") => r.as_key_str()?,
                _ => return None,
            },
            _ => arg.as_key_str()?.strip_suffix(".CommandId")?,
        },
        _ => return None,
    };
    resources
        .iter()
        .find(|e| e.key.as_key_str() == Some(name))
        .map(|e| &e.value)
        .filter(|r| resource_type(r) == Some(COMMAND))
}

/// Whether a ROS template holds an `ALIYUN::ECS::RunCommand` resource, or an
/// `ALIYUN::ECS::Invocation` of one of its `ALIYUN::ECS::Command` resources (in nested stacks
/// too; walked without recursion).
pub fn has_run_command_resources(node: &Node) -> bool {
    if !is_template(node) {
        return false;
    }
    let mut stack = vec![node];
    while let Some(t) = stack.pop() {
        let resources = map_of(t, "Resources");
        for e in resources {
            if resource_type(&e.value) == Some(RUN_COMMAND)
                || command_of(resources, &e.value).is_some()
            {
                return true;
            }
            stack.extend(nested(&e.value));
        }
    }
    false
}

/// Checks every `ALIYUN::ECS::RunCommand` resource of a template (and of its nested stacks);
/// returns how many there were. Findings carry `document` = `first_index` + the resource's
/// position among them.
pub(crate) fn check_template(
    text: &str,
    root: &Node,
    first_index: usize,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) -> usize {
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut count = 0usize;
    let mut templates = vec![root];
    while let Some(t) = templates.pop() {
        let template = Template::read(t, text.len());
        let mut inner = Vec::new();
        let resources = map_of(t, "Resources");
        for e in resources {
            if let Some(body) = nested(&e.value) {
                inner.push(body);
                continue;
            }
            let pair = command_of(resources, &e.value);
            if resource_type(&e.value) != Some(RUN_COMMAND) && pair.is_none() {
                continue;
            }
            let index = first_index + count;
            count += 1;
            let start = found.len();
            match pair {
                Some(command) => {
                    check_pair(text, &template, command, &e.value, index, ctx, &mut found)
                }
                None => check_resource(text, &template, &e.value, index, ctx, &mut found),
            }
            for d in found.get_mut(start..).into_iter().flatten() {
                d.document = index;
            }
        }
        // Nested templates after their parent's own resources, in file order.
        templates.extend(inner.into_iter().rev());
    }
    let mut seen = BTreeSet::new();
    for d in found {
        if seen.insert((d.code, d.span.start, d.span.end, d.message.clone())) {
            out.push(d);
        }
    }
    count
}

/// A text composed from template pieces: each character with the template range it comes from.
#[derive(Default)]
struct Composed {
    text: String,
    chars: Vec<(usize, Range<usize>)>,
    /// Characters that stand for unknown pieces.
    unknown: usize,
}

impl Composed {
    fn push_char(&mut self, c: char, from: Range<usize>) {
        self.chars.push((self.text.len(), from));
        self.text.push(c);
    }

    /// A same-length stand-in `${___}` (at least `${_}`) for an unknown piece written at `from`.
    fn push_unknown(&mut self, len: usize, from: &Range<usize>) {
        let len = len.max(4);
        let mut chars = vec!['_'; len];
        if let Some(c) = chars.first_mut() {
            *c = '$';
        }
        if let Some(c) = chars.get_mut(1) {
            *c = '{';
        }
        if let Some(c) = chars.last_mut() {
            *c = '}';
        }
        for (i, c) in chars.into_iter().enumerate() {
            // Character by character when the stand-in replaces text of its length.
            let r = if from.len() == len {
                from.start + i..from.start + i + 1
            } else {
                from.clone()
            };
            self.push_char(c, r);
        }
        self.unknown += len;
    }

    /// Appends a scalar's text, mapped through its source map (its whole span when alignment
    /// fails). `{{ computenest::... }}` placeholders become unknown pieces.
    fn push_scalar(&mut self, text: &str, node: &Node) {
        let Some(s) = node.as_scalar() else {
            return;
        };
        let map = char_ranges(text, node);
        let from = |i: usize| -> Range<usize> {
            map.as_ref()
                .and_then(|m| m.get(m.partition_point(|(v, _)| *v < i)))
                .filter(|(v, _)| *v == i)
                .map_or(node.span.clone(), |(_, r)| r.clone())
        };
        let t = s.text.as_str();
        let mut i = 0;
        while let Some(c) = t.get(i..).and_then(|r| r.chars().next()) {
            if c == '{'
                && let Some(len) = computenest(t.get(i..).unwrap_or(""))
            {
                let start = from(i).start;
                let end = from(i + len - 1).end;
                self.push_unknown(len, &(start..end.max(start)));
                i += len;
                continue;
            }
            self.push_char(c, from(i));
            i += c.len_utf8();
        }
    }
}

/// The length of a `{{ computenest::... }}` placeholder at the start of `s`.
fn computenest(s: &str) -> Option<usize> {
    let inner = s.strip_prefix("{{")?;
    let close = inner.find("}}")?;
    let name = inner.get(..close)?.trim();
    name.get(..13)
        .is_some_and(|p| p.eq_ignore_ascii_case("computenest::"))
        .then_some(close + 4)
}

/// A mapping with exactly one key that is `Ref` or starts with `Fn::`: its name and argument.
fn function(node: &Node) -> Option<(&str, &Node)> {
    match node.as_map()? {
        [e] => {
            let k = e.key.as_key_str()?;
            (k == "Ref" || k.starts_with("Fn::")).then_some((k, &e.value))
        }
        _ => None,
    }
}

/// What one reading of a resource resolves.
struct Reader<'t, 'a> {
    text: &'t str,
    template: &'t Template<'a>,
    /// 0: every `Fn::If` condition true; 1: false.
    branch: usize,
    /// Whether an `Fn::If` was met (then the resource is read twice).
    saw_if: Cell<bool>,
    /// The longest text a composition may reach (twice the file, at least 1 MiB): past it, a
    /// `Fn::Join` repeating a long delimiter or a `Fn::Replace` growing its text is unknown, so
    /// the work stays linear in the file.
    limit: usize,
}

impl Reader<'_, '_> {
    fn branch<'n>(&self, arg: &'n Node) -> Option<&'n Node> {
        self.saw_if.set(true);
        arg.as_seq()?.get(1 + self.branch)
    }

    /// Composes a string value; `false` when it is no string (a list, a mapping).
    fn compose(&self, node: &Node, out: &mut Composed) -> bool {
        let Some((name, arg)) = function(node) else {
            return match &node.value {
                Value::Scalar(_) => {
                    out.push_scalar(self.text, node);
                    true
                }
                _ => false,
            };
        };
        match name {
            "Fn::Sub" => self.sub(arg, out),
            "Fn::Join" => {
                let Some([delim, items]) = arg.as_seq() else {
                    out.push_unknown(node.span.len(), &node.span);
                    return true;
                };
                let Some(items) = items.as_seq() else {
                    out.push_unknown(items.span.len(), &items.span);
                    return true;
                };
                for (i, item) in items.iter().enumerate() {
                    if out.text.len() > self.limit || (i > 0 && !self.compose(delim, out)) {
                        return false;
                    }
                    if !self.compose(item, out) {
                        out.push_unknown(item.span.len(), &item.span);
                    }
                }
                true
            }
            "Fn::Replace" => self.replace(node, arg, out),
            "Fn::If" => match self.branch(arg) {
                Some(b) => self.compose(b, out),
                None => {
                    out.push_unknown(node.span.len(), &node.span);
                    true
                }
            },
            "Ref" => {
                let len = arg.as_key_str().map_or(1, str::len) + 3;
                out.push_unknown(len, &node.span);
                true
            }
            _ => {
                out.push_unknown(node.span.len().min(16), &node.span);
                true
            }
        }
    }

    /// `Fn::Sub`: `${Name}` pieces are unknown, `${!Literal}` is `${Literal}`.
    fn sub(&self, arg: &Node, out: &mut Composed) -> bool {
        let Some(string) = sub_parts(arg).0 else {
            return false;
        };
        if string.as_scalar().is_none() {
            out.push_unknown(string.span.len(), &string.span);
            return true;
        }
        let mut piece = Composed::default();
        piece.push_scalar(self.text, string);
        let t = piece.text.as_str();
        let at = |i: usize| {
            piece
                .chars
                .get(piece.chars.partition_point(|(v, _)| *v < i))
                .map_or(string.span.clone(), |(_, r)| r.clone())
        };
        let mut i = 0;
        // The next `}` at or after a position, searched again only once passed (linear time
        // on text such as `${${${...` without a closing brace).
        let mut next_close: Option<Option<usize>> = None;
        while let Some(c) = t.get(i..).and_then(|r| r.chars().next()) {
            if c == '$' && t.get(i + 1..).is_some_and(|r| r.starts_with('{')) {
                let stale = match next_close {
                    Some(Some(at)) => at < i + 2,
                    Some(None) => false,
                    None => true,
                };
                if stale {
                    next_close = Some(t.get(i + 2..).and_then(|r| r.find('}')).map(|c| i + 2 + c));
                }
            }
            if c == '$'
                && t.get(i + 1..).is_some_and(|r| r.starts_with('{'))
                && let Some(Some(at_close)) = next_close
                && at_close >= i + 2
            {
                let close = at_close - (i + 2);
                let inner = t.get(i + 2..i + 2 + close).unwrap_or("");
                if let Some(literal) = inner.strip_prefix('!') {
                    // `${!Literal}` → `${Literal}`
                    out.push_char('$', at(i));
                    out.push_char('{', at(i + 1));
                    for (j, lc) in literal.char_indices() {
                        out.push_char(lc, at(i + 3 + j));
                    }
                    out.push_char('}', at(i + 2 + close));
                    i += close + 3;
                    continue;
                }
                if plain_name(inner) {
                    let start = at(i).start;
                    let end = at(i + 2 + close).end;
                    out.push_unknown(close + 3, &(start..end.max(start)));
                    i += close + 3;
                    continue;
                }
            }
            out.push_char(c, at(i));
            i += c.len_utf8();
        }
        out.unknown += piece.unknown;
        true
    }

    /// `Fn::Replace: [{search: replacement, ...}, text]` with literal pairs.
    fn replace(&self, node: &Node, arg: &Node, out: &mut Composed) -> bool {
        let Some([pairs, subject]) = arg.as_seq() else {
            out.push_unknown(node.span.len(), &node.span);
            return true;
        };
        let mut inner = Composed::default();
        if !self.compose(subject, &mut inner) {
            return false;
        }
        // (search, the replacement's text with its source map, or `None` when unknown)
        let pairs: Vec<(&str, Option<Composed>)> = pairs
            .as_map()
            .unwrap_or(&[])
            .iter()
            .take(REPLACE_PAIRS_MAX + 1)
            .filter_map(|e| {
                let k = e.key.as_key_str()?;
                let v =
                    (e.value.as_scalar().is_some() && function(&e.value).is_none()).then(|| {
                        let mut c = Composed::default();
                        c.push_scalar(self.text, &e.value);
                        c
                    });
                (!k.is_empty()).then_some((k, v))
            })
            .collect();
        if pairs.len() > REPLACE_PAIRS_MAX {
            out.push_unknown(node.span.len(), &node.span);
            return true;
        }
        let mut cur = inner;
        for (search, replacement) in &pairs {
            let search: &str = search;
            if !cur.text.contains(search) {
                continue;
            }
            let mut next = Composed {
                unknown: cur.unknown,
                ..Composed::default()
            };
            let mut i = 0;
            while i < cur.text.len() {
                let rest = cur.text.get(i..).unwrap_or("");
                let from = |j: usize| {
                    cur.chars
                        .get(cur.chars.partition_point(|(v, _)| *v < j))
                        .map_or(node.span.clone(), |(_, r)| r.clone())
                };
                if rest.starts_with(search) {
                    let start = from(i).start;
                    let end = cur
                        .chars
                        .get(
                            cur.chars
                                .partition_point(|(v, _)| *v < i + search.len())
                                .saturating_sub(1),
                        )
                        .map_or(start, |(_, r)| r.end);
                    let span = start..end.max(start);
                    // A replacement's characters map to where the replacement is written.
                    match replacement {
                        Some(r) => {
                            for ((_, from), c) in r.chars.iter().zip(r.text.chars()) {
                                next.push_char(c, from.clone());
                            }
                            next.unknown += r.unknown;
                        }
                        None => next.push_unknown(search.len(), &span),
                    }
                    i += search.len();
                    continue;
                }
                let Some(c) = rest.chars().next() else { break };
                next.push_char(c, from(i));
                i += c.len_utf8();
            }
            cur = next;
            if cur.text.len() > self.limit {
                return false;
            }
        }
        let unknown = out.unknown + cur.unknown;
        let base = out.text.len();
        out.text.push_str(&cur.text);
        out.chars
            .extend(cur.chars.into_iter().map(|(v, r)| (base + v, r)));
        out.unknown = unknown;
        true
    }

    /// Resolves a value as ROS would before calling the API: `None` when unknown until the stack
    /// runs. `defaults` records values taken from parameter defaults.
    fn resolve(&self, node: &Node, defaults: &mut Vec<FromDefault>) -> Option<Node> {
        if let Some((name, arg)) = function(node) {
            return match name {
                "Ref" => {
                    let pname = arg.as_key_str()?;
                    let p = self.template.params.get(pname)?;
                    let default = p.default?;
                    let cost = default.span.len().max(1);
                    let left = self.template.budget.get();
                    if cost > left || !literal(default) {
                        return None;
                    }
                    self.template.budget.set(left - cost);
                    defaults.push(FromDefault {
                        default: default.span.clone(),
                        name: pname.to_owned(),
                        used: node.span.clone(),
                    });
                    Some(if p.list {
                        split_list(self.text, default)
                    } else {
                        default.clone()
                    })
                }
                "Fn::If" => self.resolve(self.branch(arg)?, defaults),
                "Fn::Sub" | "Fn::Join" | "Fn::Replace" => {
                    let mut c = Composed::default();
                    (self.compose(node, &mut c) && c.unknown == 0)
                        .then(|| scalar(c.text, node.span.clone()))
                }
                _ => None,
            };
        }
        match &node.value {
            Value::Seq(items) => {
                let items = items
                    .iter()
                    .map(|i| self.resolve(i, defaults))
                    .collect::<Option<Vec<_>>>()?;
                Some(Node {
                    span: node.span.clone(),
                    value: Value::Seq(items),
                })
            }
            Value::Map(entries) => {
                let entries = entries
                    .iter()
                    .map(|e| {
                        Some(Entry {
                            key: e.key.clone(),
                            value: self.resolve(&e.value, defaults)?,
                        })
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(Node {
                    span: node.span.clone(),
                    value: Value::Map(entries),
                })
            }
            _ => Some(node.clone()),
        }
    }

    /// A `Parameters` mapping with each value resolved (an unknown one is an empty string).
    fn resolve_parameters(&self, node: &Node, defaults: &mut Vec<FromDefault>) -> Node {
        let Value::Map(entries) = &node.value else {
            return node.clone();
        };
        let entries = entries
            .iter()
            .map(|e| Entry {
                key: e.key.clone(),
                value: self
                    .resolve(&e.value, defaults)
                    .unwrap_or_else(|| scalar(String::new(), e.value.span.clone())),
            })
            .collect();
        Node {
            span: node.span.clone(),
            value: Value::Map(entries),
        }
    }
}

/// The string and the variables mapping of a `Fn::Sub` argument (`string`, or
/// `[string, {variables}]`).
fn sub_parts(arg: &Node) -> (Option<&Node>, Option<&Node>) {
    match &arg.value {
        Value::Seq(items) => (items.first(), items.get(1)),
        _ => (Some(arg), None),
    }
}

/// Whether `${inner}` names something (a plain name: letters, digits, `_`, `.`, `::`), as
/// opposed to shell text such as `${VAR:-x}` written without the `!` escape.
fn plain_name(inner: &str) -> bool {
    !inner.is_empty()
        && inner
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
        && !inner.contains(":-")
        && inner.replace("::", "").find(':').is_none()
}

/// Whether a value holds no function anywhere (walked without recursion).
fn literal(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                if function(n).is_some() {
                    return false;
                }
                stack.extend(entries.iter().map(|e| &e.value));
            }
            _ => {}
        }
    }
    true
}

/// A `CommaDelimitedList` default (`"i-a,i-b"`) as a list of its items, each at its place.
fn split_list(text: &str, default: &Node) -> Node {
    let Some(s) = default.as_scalar().filter(|s| s.kind == ScalarKind::Str) else {
        return default.clone();
    };
    let map = ScalarMap::new(text, default);
    let mut items = Vec::new();
    let mut at = 0usize;
    for part in s.text.split(',') {
        let lead = part.len() - part.trim_start().len();
        let item = part.trim();
        let start = at + lead;
        items.push(scalar(item.to_owned(), map.map(start..start + item.len())));
        at += part.len() + 1;
    }
    Node {
        span: default.span.clone(),
        value: Value::Seq(items),
    }
}

/// How a request is carried: one resource, or a command and the invocation running it.
struct Carrier<'n> {
    /// The resource type(s), for messages.
    name: &'static str,
    /// Each property with the API parameter it is sent as.
    entries: Vec<(&'n Entry, &'static str)>,
    /// The names a help or fix may use.
    properties: &'static [(&'static str, Option<&'static str>)],
    /// Where a missing parameter is reported: the resource's `Type`.
    type_span: Option<Range<usize>>,
    /// For a pair, the command's `Type`: where a missing parameter of the command is reported.
    command_span: Option<Range<usize>>,
    /// The span of the synthetic request.
    span: Range<usize>,
    /// The resource's limits.
    limits: RosResource,
    /// Whether ROS's documented `RepeatMode` values apply.
    repeat_modes: bool,
    /// The request's index in its file.
    index: usize,
}

/// The properties of a resource (reporting those it does not have), with the API parameter
/// each known one is sent as.
fn known_properties<'n>(
    resource: &'n Node,
    name: &str,
    properties: &'static [(&'static str, Option<&'static str>)],
    out: &mut Vec<Diagnostic>,
) -> (&'n [Entry], Vec<(&'n Entry, &'static str)>) {
    let entries = resource
        .get("Properties")
        .and_then(|p| p.value.as_map())
        .unwrap_or(&[]);
    let mut mapped = Vec::new();
    for e in entries {
        let Some(key) = e.key.as_key_str() else {
            continue;
        };
        match properties.iter().find(|(k, _)| *k == key) {
            Some((_, Some(api))) => mapped.push((e, *api)),
            Some((_, None)) => {}
            None => unknown_property(key, &e.key, name, properties, out),
        }
    }
    (entries, mapped)
}

fn check_resource(
    text: &str,
    template: &Template<'_>,
    resource: &Node,
    index: usize,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let (entries, mapped) = known_properties(resource, RUN_COMMAND, PROPERTIES, out);
    references(text, template, entries, out);
    let carrier = Carrier {
        name: RUN_COMMAND,
        entries: mapped,
        properties: PROPERTIES,
        type_span: resource.get("Type").map(|t| t.value.span.clone()),
        command_span: None,
        span: resource
            .get("Properties")
            .map_or(resource.span.clone(), |p| p.value.span.clone()),
        limits: RosResource {
            content: None,
            resource: RUN_COMMAND,
            instance_ids_max: runcommand_catalog::limits::ROS_INSTANCE_IDS_MAX,
        },
        repeat_modes: true,
        index,
    };
    read_carrier(text, template, &carrier, ctx, out);
}

/// An `ALIYUN::ECS::Invocation` running an `ALIYUN::ECS::Command` of the template: one request,
/// the command's script and type with the invocation's instances, schedule and parameters (the
/// invocation's `Timeout` and `Launcher` win over the command's).
fn check_pair(
    text: &str,
    template: &Template<'_>,
    command: &Node,
    invocation: &Node,
    index: usize,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let (c_entries, c_mapped) = known_properties(command, COMMAND, COMMAND_PROPERTIES, out);
    let (i_entries, i_mapped) =
        known_properties(invocation, INVOCATION, INVOCATION_PROPERTIES, out);
    references(text, template, c_entries, out);
    references(text, template, i_entries, out);
    let mut entries = i_mapped;
    for (e, api) in c_mapped {
        if !entries.iter().any(|(_, a)| *a == api) {
            entries.push((e, api));
        }
    }
    let carrier = Carrier {
        name: "ALIYUN::ECS::Invocation of ALIYUN::ECS::Command",
        entries,
        properties: PAIR_PROPERTIES,
        type_span: invocation.get("Type").map(|t| t.value.span.clone()),
        command_span: command.get("Type").map(|t| t.value.span.clone()),
        span: invocation
            .get("Properties")
            .map_or(invocation.span.clone(), |p| p.value.span.clone()),
        limits: RosResource {
            content: None,
            resource: INVOCATION,
            instance_ids_max: runcommand_catalog::limits::ROS_INSTANCE_IDS_MAX,
        },
        repeat_modes: false,
        index,
    };
    read_carrier(text, template, &carrier, ctx, out);
}

/// Reads a carrier as a request: once, or twice when a value holds `Fn::If`.
fn read_carrier(
    text: &str,
    template: &Template<'_>,
    carrier: &Carrier<'_>,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some((content, _)) = carrier
        .entries
        .iter()
        .find(|(_, api)| *api == "CommandContent")
    {
        plaintext_secrets(text, template, &content.value, out);
        missing_sub(text, template, &content.value, out);
    }
    let mut reader = Reader {
        text,
        template,
        branch: 0,
        saw_if: Cell::new(false),
        limit: text.len().max(1 << 20).saturating_mul(2),
    };
    read_resource(&reader, carrier, ctx, out);
    if reader.saw_if.get() {
        reader.branch = 1;
        read_resource(&reader, carrier, ctx, out);
    }
}

/// One reading of the resource as a request.
fn read_resource(
    reader: &Reader<'_, '_>,
    carrier: &Carrier<'_>,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let text = reader.text;
    let mut api_entries = Vec::new();
    let mut unknown: BTreeSet<&str> = BTreeSet::new();
    let mut defaults: Vec<FromDefault> = Vec::new();
    let mut ros = RosResource {
        content: None,
        ..carrier.limits
    };
    let mut base64_function = false;
    for &(e, api) in &carrier.entries {
        let value = if api == "CommandContent" {
            content(
                reader,
                &e.value,
                &mut defaults,
                &mut ros,
                &mut base64_function,
            )
        } else if api == "Parameters" && e.value.as_map().is_some() && function(&e.value).is_none()
        {
            Some(reader.resolve_parameters(&e.value, &mut defaults))
        } else {
            reader.resolve(&e.value, &mut defaults)
        };
        let Some(value) = value else {
            unknown.insert(api);
            continue;
        };
        api_entries.push(Entry {
            key: renamed(&e.key, api),
            value,
        });
    }
    // `Fn::Base64Encode` content with `ContentEncoding: Base64` is checked as the script it
    // encodes: the encoding is then plain text to the rules.
    if base64_function {
        for e in &mut api_entries {
            if e.key.as_key_str() == Some("ContentEncoding")
                && e.value
                    .as_scalar()
                    .is_some_and(|s| s.text.eq_ignore_ascii_case("Base64"))
            {
                e.value = scalar("PlainText".to_owned(), e.value.span.clone());
            }
        }
    }
    let synthetic = Node {
        span: carrier.span.clone(),
        value: Value::Map(api_entries),
    };
    let mut found = Vec::new();
    let Some(mut req) = request::build(text, &synthetic, carrier.index, &mut found).request else {
        out.extend(found);
        return;
    };
    req.ros = Some(&ros);
    crate::run_rules(&req, ctx, &mut found);
    if carrier.repeat_modes {
        repeat_mode(&req, &mut found);
    }
    found.retain(|d| !held_back(d, &unknown));
    let type_span = carrier.type_span.clone();
    for d in &mut found {
        to_properties(d, carrier.name, carrier.properties, "");
        note_default(d, &defaults, "resource");
        let missing = d.code == code::LINT_MISSING_PARAMETER
            || (d.code == code::MISSING_PARAM_INSTANCE_ID && !req.has(param::INSTANCE_ID));
        if !missing {
            continue;
        }
        let of_command = d.parameter.as_deref().is_some_and(|p| {
            COMMAND_PROPERTIES
                .iter()
                .any(|(_, api)| *api == Some(p) && !matches!(p, "Timeout" | "Launcher"))
        });
        match (&carrier.command_span, &type_span) {
            (Some(c), _) if of_command => d.span = c.clone(),
            (_, Some(t)) => d.span = t.clone(),
            _ => {}
        }
        if d.code == code::MISSING_PARAM_INSTANCE_ID {
            d.message = format!(
                "no instance is selected: {} requires InstanceIds (1 to {} IDs)",
                carrier.limits.resource, carrier.limits.instance_ids_max
            );
            d.help = Some("add `InstanceIds: [i-...]` to the resource's Properties".to_owned());
        } else if let Some(h) = &mut d.help {
            h.push_str(if of_command && carrier.command_span.is_some() {
                " to the command's Properties"
            } else {
                " to the resource's Properties"
            });
        }
    }
    out.extend(found);
}

/// The `CommandContent` of one reading: a literal, a parameter's default, or a script composed
/// from template functions (with its source map in `ros`).
fn content(
    reader: &Reader<'_, '_>,
    value: &Node,
    defaults: &mut Vec<FromDefault>,
    ros: &mut RosResource,
    base64_function: &mut bool,
) -> Option<Node> {
    let mut node = value;
    // `Fn::If` around the whole script.
    while let Some(("Fn::If", arg)) = function(node) {
        node = reader.branch(arg)?;
    }
    match function(node) {
        None => return reader.resolve(node, defaults),
        Some(("Ref", _)) => return reader.resolve(node, defaults),
        Some(("Fn::Base64Encode", arg)) => {
            *base64_function = true;
            node = arg;
        }
        Some(_) => {}
    }
    let mut c = Composed::default();
    if !reader.compose(node, &mut c) || c.unknown >= c.text.len() {
        return None;
    }
    if function(node).is_none() && c.unknown == 0 && !*base64_function {
        return Some(node.clone());
    }
    let span = value.span.clone();
    ros.content = Some((span.clone(), ScalarMap::composed(span.clone(), c.chars)));
    Some(scalar(c.text, span))
}

/// `RepeatMode: DryRun` is no value ROS documents for the resource (a warning).
fn repeat_mode(req: &request::Request<'_>, out: &mut Vec<Diagnostic>) {
    let Some(mode) = req.str(param::REPEAT_MODE) else {
        return;
    };
    if mode.value.eq_ignore_ascii_case("DryRun") {
        out.push(
            Diagnostic::new(
                code::LINT_ROS_UNSUPPORTED_VALUE,
                mode.span(),
                format!(
                    "ROS documents RepeatMode {} for {RUN_COMMAND}; `{}` is not among them",
                    REPEAT_MODES.join(", "),
                    mode.value
                ),
            )
            .param("RepeatMode")
            .help("run the dry run with the API (or the console), not from a stack"),
        );
    }
}

/// `Lint.UnknownParameter` for a property the resource does not have.
fn unknown_property(
    key: &str,
    node: &Node,
    resource: &str,
    properties: &[(&'static str, Option<&'static str>)],
    out: &mut Vec<Diagnostic>,
) {
    let mut d = Diagnostic::new(
        code::LINT_UNKNOWN_PARAMETER,
        node.span.clone(),
        format!("`{key}` is not a property of {resource}"),
    );
    // `InstanceId` → `InstanceIds`, `Tag` → `Tags`: the API's name of a property.
    let renamed = properties
        .iter()
        .find(|(k, api)| *api == Some(key) && *k != key)
        .map(|(k, _)| *k);
    match renamed.or_else(|| did_you_mean(key, properties.iter().map(|(k, _)| *k))) {
        Some(s) => {
            d = d.help(format!("did you mean `{s}`?")).fix(Fix {
                title: format!("Rename to `{s}`"),
                span: node.span.clone(),
                replacement: s.to_owned(),
                safe: false,
            });
        }
        None => {
            let why = match key {
                "RegionId" => " (the stack's region is used)",
                _ => "",
            };
            d = d.help(format!("{resource} has no such property{why}; remove it"));
        }
    }
    out.push(d);
}

/// Every `Ref`, `Fn::GetAtt` and `Fn::Sub` `${Name}` in the resource's properties that names
/// nothing: `Lint.RosUnknownReference`.
fn references(text: &str, template: &Template<'_>, entries: &[Entry], out: &mut Vec<Diagnostic>) {
    // (node, names local to an enclosing `Fn::Sub`)
    let mut stack: Vec<(&Node, Option<&Node>)> = entries.iter().map(|e| (&e.value, None)).collect();
    while let Some((n, vars)) = stack.pop() {
        if let Some((name, arg)) = function(n) {
            match name {
                "Ref" => {
                    if let Some(s) = arg.as_key_str()
                        && !template.knows(s)
                    {
                        out.push(unknown_reference(template, s, arg.span.clone(), None));
                    }
                    continue;
                }
                "Fn::GetAtt" => {
                    let (res, span) = match &arg.value {
                        Value::Seq(items) => match items.first() {
                            Some(r) => (r.as_key_str(), r.span.clone()),
                            None => (None, arg.span.clone()),
                        },
                        _ => (
                            arg.as_key_str().map(|s| s.split('.').next().unwrap_or(s)),
                            arg.span.clone(),
                        ),
                    };
                    if let Some(r) = res
                        && !template.resources.contains(r)
                    {
                        let candidates = template.resources.iter().copied();
                        let mut d = Diagnostic::new(
                            code::LINT_ROS_UNKNOWN_REFERENCE,
                            span.clone(),
                            format!(
                                "`Fn::GetAtt` names `{r}`, which is no resource of the template"
                            ),
                        );
                        if let Some(s) = template.suggest(r, candidates, template.resources.len()) {
                            d = d.help(format!("did you mean `{s}`?")).fix(Fix {
                                title: format!("Replace with `{s}`"),
                                span: span.clone(),
                                replacement: s.to_owned(),
                                safe: false,
                            });
                        }
                        out.push(d);
                    }
                    if let Value::Seq(items) = &arg.value {
                        stack.extend(items.iter().skip(1).map(|i| (i, vars)));
                    }
                    continue;
                }
                "Fn::Sub" => {
                    let (string, local) = sub_parts(arg);
                    if let Some(s) = string {
                        sub_references(text, template, s, local, out);
                    }
                    if let Some(l) = local {
                        stack.push((l, vars));
                    }
                    continue;
                }
                _ => {}
            }
        }
        match &n.value {
            Value::Seq(items) => stack.extend(items.iter().map(|i| (i, vars))),
            Value::Map(es) => stack.extend(es.iter().map(|e| (&e.value, vars))),
            _ => {}
        }
    }
}

/// The `${Name}` references of a `Fn::Sub` string: (name, its range in the decoded string).
fn sub_names(s: &str) -> Vec<(&str, Range<usize>)> {
    let mut found = Vec::new();
    let mut i = 0;
    // The next `}`, searched again only once passed (linear time, as in `Reader::sub`).
    let mut next_close: Option<usize> = None;
    while let Some(open) = s.get(i..).and_then(|r| r.find("${")).map(|o| i + o) {
        if next_close.is_none_or(|c| c < open + 2) {
            next_close = s
                .get(open + 2..)
                .and_then(|r| r.find('}'))
                .map(|c| open + 2 + c);
        }
        let Some(close) = next_close else {
            break;
        };
        let inner = s.get(open + 2..close).unwrap_or("");
        if !inner.starts_with('!') && plain_name(inner) {
            found.push((inner, open + 2..close));
            i = close + 1;
        } else {
            // Not a name (`${a ${b}`): a later `${` may still be one.
            i = open + 2;
        }
    }
    found
}

fn sub_references(
    text: &str,
    template: &Template<'_>,
    string: &Node,
    local: Option<&Node>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(s) = string.as_scalar() else {
        return;
    };
    let names = sub_names(&s.text);
    if names.is_empty() {
        return;
    }
    let map = ScalarMap::new(text, string);
    for (name, range) in names {
        if local.is_some_and(|l| l.get(name).is_some()) {
            continue;
        }
        let known = match name.split_once('.') {
            Some((res, _)) => template.resources.contains(res),
            None => template.knows(name),
        };
        if !known {
            out.push(unknown_reference(template, name, map.map(range), local));
        }
    }
}

fn unknown_reference(
    template: &Template<'_>,
    name: &str,
    span: Range<usize>,
    local: Option<&Node>,
) -> Diagnostic {
    let pseudo = name.starts_with("ALIYUN::");
    let message = if pseudo {
        format!("`{name}` is no ROS pseudo parameter this version knows")
    } else {
        format!(
            "`{name}` names no template parameter, resource or pseudo parameter: ROS rejects the template"
        )
    };
    let mut d = Diagnostic::new(code::LINT_ROS_UNKNOWN_REFERENCE, span.clone(), message);
    let locals: Vec<&str> = local
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| e.key.as_key_str())
        .collect();
    let head = name.split('.').next().unwrap_or(name);
    let n =
        template.params.len() + template.resources.len() + PSEUDO_PARAMETERS.len() + locals.len();
    match template.suggest(head, template.candidates().chain(locals.iter().copied()), n) {
        Some(s) => {
            let replacement = match name.split_once('.') {
                Some((_, attr)) => format!("{s}.{attr}"),
                None => s.to_owned(),
            };
            d = d
                .help(format!(
                    "did you mean `{replacement}`? (names are case-sensitive)"
                ))
                .fix(Fix {
                    title: format!("Replace with `{replacement}`"),
                    span,
                    replacement,
                    safe: false,
                });
        }
        None => {
            d = d.help(
                "declare it under the template's Parameters, or escape a shell variable as `${!NAME}`",
            );
        }
    }
    if pseudo {
        // Evidence rule: ROS may add pseudo parameters.
        d = d.inferred();
    }
    d
}

/// `Lint.RosMissingSub`: a `${Name}` naming a template parameter or resource in a script string
/// that no `Fn::Sub` holds, so ROS leaves it as written.
fn missing_sub(text: &str, template: &Template<'_>, content: &Node, out: &mut Vec<Diagnostic>) {
    let mut stack = vec![content];
    while let Some(n) = stack.pop() {
        match function(n) {
            Some(("Fn::Sub", _)) => continue,
            Some((_, arg)) => {
                stack.push(arg);
                continue;
            }
            None => {}
        }
        match &n.value {
            Value::Scalar(s) if s.kind == ScalarKind::Str && s.text.contains("${") => {
                let map = ScalarMap::new(text, n);
                for (name, range) in sub_names(&s.text) {
                    let head = name.split('.').next().unwrap_or(name);
                    let named = if name.contains('.') {
                        template.resources.contains(head)
                    } else {
                        template.params.contains_key(name)
                    };
                    if named {
                        out.push(
                            Diagnostic::new(
                                code::LINT_ROS_MISSING_SUB,
                                map.map(range),
                                format!(
                                    "`${{{name}}}` names a template {} but this string is no `Fn::Sub`: ROS leaves it as written, and the script gets the text `${{{name}}}`",
                                    if name.contains('.') { "resource" } else { "parameter" }
                                ),
                            )
                            .param("CommandContent")
                            .help("write the script as `Fn::Sub: |` (and escape shell variables as `${!VAR}`)"),
                        );
                    }
                }
            }
            Value::Seq(items) => stack.extend(items),
            Value::Map(es) => stack.extend(es.iter().map(|e| &e.value)),
            _ => {}
        }
    }
}

/// `Lint.RosSecretWithoutNoEcho`: a credential parameter spliced into the script without
/// `NoEcho: true`.
fn plaintext_secrets(
    text: &str,
    template: &Template<'_>,
    content: &Node,
    out: &mut Vec<Diagnostic>,
) {
    let mut uses: Vec<(&str, Range<usize>)> = Vec::new();
    let mut stack: Vec<(&Node, Option<&Node>)> = vec![(content, None)];
    while let Some((n, local)) = stack.pop() {
        if let Some((name, arg)) = function(n) {
            match name {
                "Ref" => {
                    if let Some(s) = arg.as_key_str() {
                        uses.push((s, arg.span.clone()));
                    }
                    continue;
                }
                "Fn::Sub" => {
                    let (string, vars) = sub_parts(arg);
                    if let Some(s) = string
                        && let Some(sc) = s.as_scalar()
                    {
                        let map = ScalarMap::new(text, s);
                        for (name, range) in sub_names(&sc.text) {
                            if vars.is_none_or(|v| v.get(name).is_none()) {
                                uses.push((name, map.map(range)));
                            }
                        }
                    }
                    if let Some(v) = vars {
                        stack.push((v, local));
                    }
                    continue;
                }
                _ => {}
            }
        }
        match &n.value {
            Value::Seq(items) => stack.extend(items.iter().map(|i| (i, local))),
            Value::Map(es) => stack.extend(es.iter().map(|e| (&e.value, local))),
            _ => {}
        }
    }
    let mut reported = BTreeSet::new();
    for (name, span) in uses {
        let Some(p) = template.params.get(name) else {
            continue;
        };
        if p.no_echo || !crate::rules::secrets::is_credential_key(name) || !reported.insert(name) {
            continue;
        }
        out.push(
            Diagnostic::new(
                code::LINT_ROS_SECRET_WITHOUT_NO_ECHO,
                span,
                format!(
                    "template parameter `{name}` looks like a credential and goes into the script, but it has no `NoEcho: true`: ROS shows its value in plaintext"
                ),
            )
            .param("CommandContent")
            .help(format!("add `NoEcho: true` to the parameter `{name}`"))
            .related_here(p.key.span.clone(), "the parameter"),
        );
    }
}

#[cfg(test)]
mod tests;
