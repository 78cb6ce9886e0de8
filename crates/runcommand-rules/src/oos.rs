//! OOS templates: the RunCommand steps of an Operation Orchestration Service template, checked
//! with the same rules as a bare request (issue 9).
//!
//! **Recognising a template.** A mapping is an OOS template when its `FormatVersion` starts with
//! `OOS-` (e.g. `OOS-2019-06-01`) or its `Tasks` is a list holding a mapping with an `Action`. The
//! engine then checks its RunCommand steps instead of reading it as a request; a template without
//! RunCommand steps gives no finding (and does not look like a request file, see `detect`).
//!
//! **Steps.** A task of `Tasks` (in order; a task with `Loop` is the same step; action names match
//! ignoring case, as OOS matches them) with
//! - `Action: ACS::ECS::RunCommand` or `ACS::ECS::RunCommandForLongTime`: its `Properties` are
//!   those Alibaba's published action templates define ([`RUN_COMMAND_PROPERTIES`],
//!   [`LONG_TIME_PROPERTIES`]), lower-camel names mapped to the API's; any other property is
//!   `Lint.UnknownParameter` whatever its value, with "did you mean" among the action's own only,
//!   and no help or fix suggests a property the action lacks. `instanceId` is one instance (a string);
//!   `commandType` `RunPythonScript` / `RunPerlScript` are wrapped by OOS and valid there (the type
//!   is then unknown to the rules); a missing `regionId` is the template's region (no
//!   `Lint.MissingParameter` for `RegionId`); the OOS default of `timeout` (600) is documented
//!   only, since no rule reads a default timeout for a step (steps have no `Frequency`).
//! - `Action: ACS::ExecuteAPI` with `Properties.Service: ECS` (any case) and `API: RunCommand`:
//!   the API's own names under `Properties.Parameters`, read exactly as a request (unknown names
//!   reported, even with an expression as value); a list parameter may be given under its plural
//!   name (`InstanceIds`, `Tags`, `ResourceTags`), as the built-in action does; a missing
//!   `RegionId` is not reported either.
//!
//! **Names OOS cannot resolve.** A `{{ name }}` in a step's values (in functions too) that names
//! no template parameter (exact case), no OOS built-in (any case) and no task output is
//! `Lint.OosUnknownParameter` with "did you mean"; in `commandContent` only when it cannot be a
//! Cloud Assistant parameter either (no `enableParameter: true`, no key in `parameters`, no
//! Cloud Assistant built-in); an unknown `ACS::` name is a warning (OOS publishes no complete list).
//!
//! Each step is a request of the file: `FileReport::requests` counts steps and a step's findings
//! carry `document` = its 0-based index among the file's requests (steps in task order, continuing
//! across YAML documents). Parameter names in findings are the API's (`Type`, not `commandType`).
//! The request view is synthetic: a mapping whose keys are API-name scalars carrying the spans of
//! the original keys, and whose values are the original value nodes, so every finding is at its
//! place in the template. Identical findings of several steps (a shared `Default`) are kept once.
//!
//! **OOS expressions in values** (resolved by OOS before the request is sent):
//! - a value that is exactly one `{{ name }}` naming a template parameter (a key of the
//!   top-level `Parameters`) with a `Default` is checked as that `Default`, and findings on the
//!   value are reported at the `Default` (choice: `AllowedValues` are not checked, a run may pass
//!   any of them or another value when there is none); a default that is itself an expression is
//!   unknown, and so is any default once a file has substituted twice its size (at least 2 MiB)
//!   of defaults (a bound on the work of one file);
//! - a value whose text is unknown until run time is: a function (a mapping with one `Fn::` key),
//!   a string holding `${`, a `{{ name }}` without a `Default` (a parameter without one, an OOS
//!   built-in such as `{{ ACS::TaskLoopItem }}`, a task output `{{ task.output }}`), any other
//!   string holding `{{` (e.g. `/home/{{ user }}`), except in `commandContent` (below). An unknown
//!   value is absent for the value rules and present for the rules about missing parameters
//!   (`Lint.MissingParameter`, `MissingParam.InstanceId`, `WindowsPasswordName.Missed`,
//!   `Parameter.Disabled` and `Lint.TemplateNotEnabled` when `enableParameter` is unknown,
//!   `Lint.ParameterNotProvided` when `parameters` is unknown, `Parameter.NotMatched` when the
//!   content is). Never a guess.
//! - an unknown value inside the step's `parameters` mapping stands as an empty string (its key
//!   still counts).
//!
//! **The two `{{ }}` layers in `commandContent`.** A placeholder whose trimmed inner text is the
//! name of a template parameter (exact case), an OOS built-in ([`OOS_BUILTINS`], e.g.
//! `ACS::RegionId`, `ACS::ExecutionId`) or a task output (`task.output`, `task` a task `Name`)
//! belongs to OOS: it is replaced before the command is sent and is ignored by the
//! `CommandContent` template rules. Every other placeholder belongs to Cloud Assistant and is
//! checked as in a bare request (needs `enableParameter: true`, a value in `parameters`, ...),
//! e.g. `{{ ACS::InstanceId }}`, which is no OOS built-in. A name that is both a template parameter
//! and a key of the step's `parameters` while `enableParameter` is true is
//! `Lint.OosParameterCollision` (warning, at the key of `parameters`): OOS substitutes the template
//! value first, so the Cloud Assistant parameter is never used.

use runcommand_catalog::code;
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use runcommand_catalog::param;
use runcommand_document::{Entry, Node, ScalarKind, Value, source_map};
use runcommand_template::{BuiltIn, name_key};

use crate::carried::{FromDefault, held_back, note_default, renamed, scalar, to_properties};
use crate::diagnostic::{Diagnostic, Fix};
use crate::request::oos_names::{OOS_BUILTINS, OosNames};
use crate::{Context, request, suggest::did_you_mean};

/// The properties of `ACS::ECS::RunCommand` as Alibaba's published action template defines them,
/// with the API parameter each one is sent as (`None`: OOS's own, not sent to the API). The
/// current template (`ACS::ECS::RunCommand.yml` of Alibaba's OOS template collection) passes them
/// to ECS RunCommand through `ACS::ExecuteAPI`; `containerId`, `containerName` and the like are no
/// properties of it.
pub const RUN_COMMAND_PROPERTIES: &[(&str, Option<&str>)] = &[
    ("regionId", Some("RegionId")),
    ("instanceId", Some("InstanceId")),
    ("commandType", Some("Type")),
    ("commandContent", Some("CommandContent")),
    ("workingDir", Some("WorkingDir")),
    ("timeout", Some("Timeout")),
    ("enableParameter", Some("EnableParameter")),
    ("parameters", Some("Parameters")),
    ("username", Some("Username")),
    ("windowsPasswordName", Some("WindowsPasswordName")),
    ("contentEncoding", Some("ContentEncoding")),
    ("maxRetryInterval", None),
];

/// The properties of `ACS::ECS::RunCommandForLongTime` (its published template: the first ten of
/// `ACS::ECS::RunCommand`'s, with a `timeout` default of 86400).
pub const LONG_TIME_PROPERTIES: &[(&str, Option<&str>)] =
    match RUN_COMMAND_PROPERTIES.split_at_checked(10) {
        Some((first, _)) => first,
        None => RUN_COMMAND_PROPERTIES,
    };

/// List parameters of RunCommand that `ACS::ExecuteAPI` passes under their plural name, as the
/// built-in `ACS::ECS::RunCommand` action does (`InstanceIds: [...]`).
const PLURALS: &[(&str, &str)] = &[
    ("InstanceIds", "InstanceId"),
    ("Tags", "Tag"),
    ("ResourceTags", "ResourceTag"),
];

/// Command types OOS wraps itself (valid in `commandType`, not in the API's `Type`).
const WRAPPED_TYPES: &[&str] = &["RunPythonScript", "RunPerlScript"];

/// A template's parameters and names.
struct Template<'a> {
    names: OosNames,
    /// Parameter name → (its key node, its `Default`).
    params: BTreeMap<&'a str, (&'a Node, Option<&'a Node>)>,
    /// Bytes of `Default` text that may still be substituted: a large default used by very many
    /// steps would otherwise be checked once per step (quadratic work); past the budget, a value
    /// from a default is unknown.
    budget: Cell<usize>,
}

impl<'a> Template<'a> {
    fn read(root: &'a Node, text_len: usize) -> Template<'a> {
        let mut params = BTreeMap::new();
        for e in root
            .get("Parameters")
            .and_then(|p| p.value.as_map())
            .unwrap_or(&[])
        {
            if let Some(k) = e.key.as_key_str() {
                let default = e.value.get("Default").map(|d| &d.value);
                params.entry(k).or_insert((&e.key, default));
            }
        }
        let tasks = tasks(root)
            .filter_map(|t| t.get("Name")?.value.as_key_str().map(str::to_owned))
            .collect();
        Template {
            names: OosNames {
                params: params.keys().map(|k| (*k).to_owned()).collect(),
                tasks,
                reported: std::cell::RefCell::default(),
                suggestions: Cell::new(text_len.max(1 << 16) / 4),
            },
            params,
            budget: Cell::new(text_len.max(1 << 20).saturating_mul(2)),
        }
    }

    /// Resolves a value as OOS would before sending: `None` when unknown until run time.
    fn resolve(&self, node: &Node, content: bool) -> Option<Node> {
        if is_function(node) {
            return None;
        }
        if let Some(s) = node.as_scalar()
            && s.kind == ScalarKind::Str
        {
            if let Some(name) = single_expression(&s.text) {
                if let Some((_, Some(default))) = self.params.get(name) {
                    let cost = default.span.len().max(1);
                    let left = self.budget.get();
                    if cost > left || !literal(default) {
                        return None;
                    }
                    self.budget.set(left - cost);
                    return Some((*default).clone());
                }
                if content && !self.names.owns(name) {
                    return Some(node.clone()); // a Cloud Assistant parameter
                }
                return None;
            }
            if content {
                return Some(node.clone()); // the two layers are told apart by the rules
            }
        }
        literal(node).then(|| node.clone())
    }

    /// A `parameters` mapping with each value resolved (an unknown one is an empty string).
    fn resolve_parameters(&self, node: Node) -> Node {
        let Value::Map(entries) = node.value else {
            return node;
        };
        let entries = entries
            .into_iter()
            .map(|e| {
                let value = self
                    .resolve(&e.value, false)
                    .unwrap_or_else(|| scalar(String::new(), e.value.span.clone()));
                Entry { key: e.key, value }
            })
            .collect();
        Node {
            span: node.span,
            value: Value::Map(entries),
        }
    }
}

/// Whether a value holds no OOS expression anywhere (a list or mapping holding one, e.g.
/// `InstanceId: ['{{ id }}']`, is unknown as a whole; walked without recursion).
fn literal(node: &Node) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Scalar(s) => {
                if s.kind == ScalarKind::Str && (s.text.contains("{{") || s.text.contains("${")) {
                    return false;
                }
            }
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                if is_function(n) {
                    return false;
                }
                stack.extend(entries.iter().map(|e| &e.value));
            }
            Value::Alias => {}
        }
    }
    true
}

/// A mapping with exactly one key, starting with `Fn::`.
fn is_function(node: &Node) -> bool {
    matches!(node.as_map(), Some([e]) if e.key.as_key_str().is_some_and(|k| k.starts_with("Fn::")))
}

/// The trimmed name of a value that is exactly one `{{ name }}`.
fn single_expression(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("{{")?.strip_suffix("}}")?;
    (!inner.contains("{{") && !inner.contains("}}")).then(|| inner.trim())
}

fn tasks(root: &Node) -> impl Iterator<Item = &Node> {
    root.get("Tasks")
        .and_then(|t| t.value.as_seq())
        .unwrap_or(&[])
        .iter()
}

/// Whether a mapping is an OOS template.
pub fn is_template(node: &Node) -> bool {
    let Some(_) = node.as_map() else {
        return false;
    };
    node.get("FormatVersion")
        .and_then(|v| v.value.as_scalar())
        .is_some_and(|s| s.text.starts_with("OOS-"))
        || tasks(node).any(|t| t.get("Action").is_some())
}

/// What kind of RunCommand step a task is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    /// `ACS::ECS::RunCommand` or `ACS::ECS::RunCommandForLongTime` (lower-camel properties).
    Action {
        /// The action's name, as OOS spells it.
        name: &'static str,
        /// The properties it defines.
        properties: &'static [(&'static str, Option<&'static str>)],
    },
    /// `ACS::ExecuteAPI` calling ECS RunCommand (the API's names under `Parameters`).
    ExecuteApi,
}

/// The kind of step a task is. Action names match ignoring ASCII case, as OOS matches them
/// (`ACS::ExecuteApi` is common in real templates).
fn step_kind(task: &Node) -> Option<Step> {
    let action = task.get("Action")?.value.as_scalar()?.text.as_str();
    for (name, properties) in [
        ("ACS::ECS::RunCommand", RUN_COMMAND_PROPERTIES),
        ("ACS::ECS::RunCommandForLongTime", LONG_TIME_PROPERTIES),
    ] {
        if action.eq_ignore_ascii_case(name) {
            return Some(Step::Action { name, properties });
        }
    }
    if !action.eq_ignore_ascii_case("ACS::ExecuteAPI") {
        return None;
    }
    let p = &task.get("Properties")?.value;
    let text = |k: &str| {
        p.get(k)
            .and_then(|e| e.value.as_scalar())
            .map(|s| s.text.as_str())
    };
    (text("Service").is_some_and(|s| s.eq_ignore_ascii_case("ECS"))
        && text("API") == Some("RunCommand"))
    .then_some(Step::ExecuteApi)
}

/// Whether a mapping is an OOS template with at least one RunCommand step.
pub fn has_run_command_steps(node: &Node) -> bool {
    is_template(node) && tasks(node).any(|t| step_kind(t).is_some())
}

/// Checks every RunCommand step of a template; returns how many steps there were. Findings carry
/// `document` = `first_index` + the step's position among the steps.
pub(crate) fn check_template(
    text: &str,
    root: &Node,
    first_index: usize,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) -> usize {
    let template = Template::read(root, text.len());
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut steps = 0usize;
    for task in tasks(root) {
        let Some(kind) = step_kind(task) else {
            continue;
        };
        let index = first_index + steps;
        steps += 1;
        let start = found.len();
        template.names.reported.borrow_mut().clear();
        check_step(text, &template, task, kind, index, ctx, &mut found);
        for d in found.get_mut(start..).into_iter().flatten() {
            d.document = index;
        }
    }
    let mut seen = BTreeSet::new();
    for d in found {
        if seen.insert((d.code, d.span.start, d.span.end, d.message.clone())) {
            out.push(d);
        }
    }
    steps
}

fn check_step(
    text: &str,
    template: &Template<'_>,
    task: &Node,
    kind: Step,
    index: usize,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let props = task.get("Properties").map(|p| &p.value);
    let source = match kind {
        Step::Action { .. } => props,
        Step::ExecuteApi => props.and_then(|p| p.get("Parameters")).map(|p| &p.value),
    };
    let span = source
        .or(props)
        .map_or(task.span.clone(), |n| n.span.clone());
    let mut entries = Vec::new();
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    let mut defaults: Vec<FromDefault> = Vec::new();
    // The step's values as written, scanned for `{{ name }}` OOS cannot resolve.
    let mut scanned: Vec<(&Node, Option<&str>)> = Vec::new();
    let mut content: Option<&Node> = None;
    for e in source.and_then(Node::as_map).unwrap_or(&[]) {
        let Some(key) = e.key.as_key_str() else {
            continue;
        };
        let api: &str = match kind {
            Step::ExecuteApi => PLURALS
                .iter()
                .find(|(plural, _)| *plural == key)
                .map_or(key, |(_, api)| api),
            Step::Action { name, properties } => {
                match properties.iter().find(|(k, _)| *k == key) {
                    Some((_, Some(api))) => api,
                    Some((_, None)) => {
                        scanned.push((&e.value, None)); // OOS's own property
                        continue;
                    }
                    None => {
                        unknown_property(key, &e.key, name, properties, out);
                        scanned.push((&e.value, None));
                        continue;
                    }
                }
            }
        };
        // A key RunCommand does not have: the request view reports it, whatever its value.
        if kind == Step::ExecuteApi
            && runcommand_catalog::parameter_index(api).is_none()
            && !api.contains('.')
        {
            scanned.push((&e.value, None));
            entries.push(Entry {
                key: renamed(&e.key, api),
                value: e.value.clone(),
            });
            continue;
        }
        if api == "CommandContent" {
            content = Some(&e.value);
        } else {
            scanned.push((&e.value, runcommand_catalog::parameter(api).map(|p| p.name)));
        }
        let value = if api == "Parameters" && e.value.as_map().is_some() && !is_function(&e.value) {
            Some(template.resolve_parameters(e.value.clone()))
        } else {
            template.resolve(&e.value, api == "CommandContent")
        };
        let Some(value) = value else {
            unknown.insert(api.to_owned());
            continue;
        };
        if value.span != e.value.span
            && let Some(name) = e.value.as_scalar().and_then(|s| single_expression(&s.text))
        {
            defaults.push(FromDefault {
                default: value.span.clone(),
                name: name.to_owned(),
                used: e.value.span.clone(),
            });
        }
        let action = matches!(kind, Step::Action { .. });
        // `RunPythonScript` / `RunPerlScript` (written, or a parameter's default) are wrapped by
        // OOS: the type sent is then not known here.
        if action
            && api == "Type"
            && value
                .as_scalar()
                .is_some_and(|s| WRAPPED_TYPES.contains(&s.text.as_str()))
        {
            unknown.insert(api.to_owned());
            continue;
        }
        if action && api == "InstanceId" && !matches!(value.value, Value::Scalar(_)) {
            out.push(
                Diagnostic::new(
                    code::LINT_TYPE_MISMATCH,
                    value.span.clone(),
                    format!(
                        "`instanceId` of ACS::ECS::RunCommand must be one instance ID (a string), found {}",
                        value.type_name()
                    ),
                )
                .param("InstanceId")
                .help("run the step for each instance with `Loop: {Items: [...]}` and `instanceId: '{{ ACS::TaskLoopItem }}'`"),
            );
            unknown.insert(api.to_owned());
            continue;
        }
        entries.push(Entry {
            key: renamed(&e.key, api),
            value,
        });
    }
    let synthetic = Node {
        span,
        value: Value::Map(entries),
    };
    collisions(template, &synthetic, out);
    unresolvable(text, template, &synthetic, &unknown, &scanned, content, out);
    let mut found = Vec::new();
    let Some(mut req) = request::build(text, &synthetic, index, &mut found).request else {
        out.extend(found);
        return;
    };
    req.oos = Some(&template.names);
    crate::run_rules(&req, ctx, &mut found);
    let has_instances = req.has(param::INSTANCE_ID) || req.has(param::RESOURCE_TAG);
    found.retain(|d| !held_back(d, &unknown));
    // A missing parameter has no place of its own: it is reported at the step's `Action`.
    let action = task.get("Action").map(|a| a.value.span.clone());
    for d in &mut found {
        if let Step::Action { name, properties } = kind {
            to_properties(
                d,
                name,
                properties,
                "; call RunCommand through `ACS::ExecuteAPI` to set it",
            );
        }
        note_default(d, &defaults, "step");
        let missing = d.code == code::LINT_MISSING_PARAMETER
            || (d.code == code::MISSING_PARAM_INSTANCE_ID && !has_instances);
        if !missing {
            continue;
        }
        if let Some(a) = &action {
            d.span = a.clone();
        }
        if matches!(kind, Step::Action { .. })
            && let Some(h) = &mut d.help
        {
            *h = if d.code == code::MISSING_PARAM_INSTANCE_ID {
                "add `instanceId: i-...` to the step's Properties".to_owned()
            } else {
                format!("{h} to the step's Properties")
            };
        }
    }
    out.extend(found);
}

/// The `{{ name }}` expressions of a string: each name (trimmed) with its byte range in the
/// string. Text between the braces that is no plain name (filters, spaces inside, quotes) is
/// skipped: it is no simple reference.
fn expressions(s: &str) -> Vec<(Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut at = 0usize;
    while let Some(open) = s.get(at..).and_then(|t| t.find("{{")).map(|o| at + o) {
        let inner_start = open + 2;
        let Some(close) = s
            .get(inner_start..)
            .and_then(|t| t.find("}}"))
            .map(|c| inner_start + c)
        else {
            break;
        };
        let inner = s.get(inner_start..close).unwrap_or("");
        let name = inner.trim();
        let lead = inner.len() - inner.trim_start().len();
        if !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'))
        {
            let start = inner_start + lead;
            found.push((start..start + name.len(), name));
        }
        at = close + 2;
    }
    found
}

/// `Lint.OosUnknownParameter`: a `{{ name }}` in the step that OOS can never resolve. In
/// `commandContent` a name is Cloud Assistant's instead when the step enables parameters (or may:
/// `enableParameter` unknown) or names it in `parameters` (or may: `parameters` unknown), and Cloud
/// Assistant's own built-ins and Parameter Store references are left to the template rules.
fn unresolvable(
    text: &str,
    template: &Template<'_>,
    step: &Node,
    unknown: &BTreeSet<String>,
    scanned: &[(&Node, Option<&str>)],
    content: Option<&Node>,
    out: &mut Vec<Diagnostic>,
) {
    let names = &template.names;
    let mut stack: Vec<(&Node, Option<&str>)> = scanned.to_vec();
    while let Some((n, api)) = stack.pop() {
        match &n.value {
            Value::Scalar(s) if s.kind == ScalarKind::Str && s.text.contains("{{") => {
                for (range, name) in expressions(&s.text) {
                    if !names.resolves(name) {
                        let span = source_map::map_range(text, n, range);
                        let mut d = unknown_expression(names, name, span);
                        d.parameter = api.map(str::to_owned);
                        out.push(d);
                    }
                }
            }
            Value::Seq(items) => stack.extend(items.iter().map(|i| (i, api))),
            Value::Map(entries) => stack.extend(entries.iter().map(|e| (&e.value, api))),
            _ => {}
        }
    }
    let Some(content) = content else {
        return;
    };
    // The content's strings: the value, or the pieces of a function building it (`Fn::Join`).
    let mut pieces: Vec<&Node> = Vec::new();
    let mut stack = vec![content];
    while let Some(n) = stack.pop() {
        match &n.value {
            Value::Scalar(s) if s.kind == ScalarKind::Str && s.text.contains("{{") => {
                pieces.push(n)
            }
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => stack.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    if pieces.is_empty() {
        return;
    }
    let enabled = unknown.contains("EnableParameter")
        || step
            .get("EnableParameter")
            .and_then(|e| e.value.as_scalar())
            .is_some_and(|s| {
                matches!(s.kind, ScalarKind::Bool(true))
                    || (s.kind == ScalarKind::Str && s.text.eq_ignore_ascii_case("true"))
            });
    if enabled || unknown.contains("Parameters") {
        return;
    }
    let given: BTreeSet<String> = step
        .get("Parameters")
        .and_then(|p| p.value.as_map())
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| e.key.as_key_str().map(name_key))
        .collect();
    for (node, range, name) in pieces.iter().flat_map(|n| {
        let text = n.as_scalar().map_or("", |s| s.text.as_str());
        expressions(text)
            .into_iter()
            .map(move |(r, name)| (*n, r, name))
    }) {
        let cloud_assistant = name
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("ACS::"))
            && BuiltIn::ALL
                .iter()
                .any(|b| b.to_string().eq_ignore_ascii_case(name));
        if names.resolves(name)
            || cloud_assistant
            || name.starts_with("oos")
            || given.contains(&name_key(name))
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':'))
        {
            continue;
        }
        let span = source_map::map_range(text, node, range);
        out.push(unknown_expression(names, name, span).param("CommandContent"));
        names.reported.borrow_mut().insert(name.to_owned());
    }
}

fn unknown_expression(names: &OosNames, name: &str, span: Range<usize>) -> Diagnostic {
    let builtin = name
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("ACS::"));
    let message = if builtin {
        format!(
            "`{{{{ {name} }}}}` is no OOS built-in this version knows: OOS may leave it unresolved"
        )
    } else {
        format!(
            "`{{{{ {name} }}}}` names no template parameter, OOS built-in or task output: OOS can never resolve it"
        )
    };
    let mut d = Diagnostic::new(code::LINT_OOS_UNKNOWN_PARAMETER, span.clone(), message);
    let candidates = names
        .params
        .iter()
        .map(String::as_str)
        .chain(OOS_BUILTINS.iter().copied());
    let suggestion = names
        .may_suggest(names.params.len() + OOS_BUILTINS.len())
        .then(|| did_you_mean(name, candidates))
        .flatten();
    match suggestion {
        Some(s) => {
            d = d
                .help(format!(
                    "did you mean `{{{{ {s} }}}}`? (template parameter names are case-sensitive)"
                ))
                .fix(Fix {
                    title: format!("Replace with `{s}`"),
                    span,
                    replacement: s.to_owned(),
                    safe: false,
                });
        }
        None => {
            d = d.help(
                "declare it under the template's `Parameters`, or refer to a task output as `{{ TaskName.OutputName }}`",
            );
        }
    }
    if builtin {
        // Evidence rule: OOS publishes no complete list of its built-ins.
        d = d.inferred();
    }
    d
}

/// `Lint.UnknownParameter` for a property the action does not define, whatever its value (an
/// expression included), with "did you mean" among the action's own properties only.
fn unknown_property(
    key: &str,
    node: &Node,
    action: &str,
    properties: &[(&'static str, Option<&'static str>)],
    out: &mut Vec<Diagnostic>,
) {
    let mut d = Diagnostic::new(
        code::LINT_UNKNOWN_PARAMETER,
        node.span.clone(),
        format!("`{key}` is not a property of {action}"),
    );
    match did_you_mean(key, properties.iter().map(|(k, _)| *k)) {
        Some(s) => {
            d = d
                .help(format!(
                    "did you mean `{s}`? (OOS spells properties in lower camel case)"
                ))
                .fix(Fix {
                    title: format!("Rename to `{s}`"),
                    span: node.span.clone(),
                    replacement: s.to_owned(),
                    safe: false,
                });
        }
        None => {
            let list: Vec<&str> = properties.iter().map(|(k, _)| *k).collect();
            d = d.help(format!(
                "{action} takes only {}; OOS ignores other properties",
                list.join(", ")
            ));
        }
    }
    out.push(d);
}

/// `Lint.OosParameterCollision`: a key of the step's `parameters` that is also a template
/// parameter, while `enableParameter` is true.
fn collisions(template: &Template<'_>, step: &Node, out: &mut Vec<Diagnostic>) {
    let enabled = step
        .get("EnableParameter")
        .and_then(|e| e.value.as_scalar())
        .is_some_and(|s| {
            matches!(s.kind, ScalarKind::Bool(true))
                || (s.kind == ScalarKind::Str && s.text.eq_ignore_ascii_case("true"))
        });
    if !enabled {
        return;
    }
    let Some(params) = step.get("Parameters").and_then(|p| p.value.as_map()) else {
        return;
    };
    for e in params {
        let Some(k) = e.key.as_key_str() else {
            continue;
        };
        let Some((def, _)) = template.params.get(k) else {
            continue;
        };
        let mut d = Diagnostic::new(
            code::LINT_OOS_PARAMETER_COLLISION,
            e.key.span.clone(),
            format!(
                "`{k}` is both a template parameter and a Cloud Assistant parameter of this step: OOS replaces `{{{{ {k} }}}}` with the template's value before the command is sent, so this value is never used"
            ),
        )
        .param("Parameters")
        .help(format!(
            "rename the Cloud Assistant parameter (here and in commandContent), or drop it and use the template parameter `{k}`"
        ));
        d = d.related_here(def.span.clone(), "the template parameter");
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use runcommand_document::Format;

    use crate::check_bytes;

    fn run(src: &str) -> Vec<(&'static str, String, usize)> {
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        r.diagnostics
            .iter()
            .map(|d| {
                (
                    d.code.as_str(),
                    r.text[d.span.clone()].to_owned(),
                    d.document,
                )
            })
            .collect()
    }

    const HEAD: &str = "FormatVersion: OOS-2019-06-01\nParameters:\n  targets:\n    Type: List\n  script:\n    Type: String\n    Default: echo hi\n  workdir:\n    Type: String\n  timeout:\n    Type: Number\n    Default: 5\nTasks:\n";

    #[test]
    fn a_correct_template_with_parameters_is_clean() {
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommand\n  Loop:\n    Items: '{{{{ targets }}}}'\n  Properties:\n    regionId: '{{{{ ACS::RegionId }}}}'\n    commandType: RunPythonScript\n    commandContent: '{{{{ script }}}}'\n    instanceId: '{{{{ ACS::TaskLoopItem }}}}'\n    workingDir: '{{{{ workdir }}}}'\n"
        );
        assert_eq!(run(&src), vec![]);
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        assert!(r.looks_like_request);
        assert_eq!(r.requests, 1);
    }

    #[test]
    fn values_from_defaults_are_checked_at_the_default() {
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    commandContent: echo\n    instanceId: i-abc\n    timeout: '{{{{ timeout }}}}'\n"
        );
        assert_eq!(run(&src), vec![("Lint.TimeoutTooShort", "5".into(), 0)]);
    }

    #[test]
    fn unknown_values_are_present_but_not_checked() {
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: {{'Fn::Select': [0, [RunShellScript]]}}\n    commandContent: echo\n    instanceId: '${{ids}}'\n    enableParameter: '{{{{ flag }}}}'\n    parameters: {{a: {{'Fn::Join': ['', [x]]}}}}\n"
        );
        // Type and InstanceId are unknown (no missing finding); `flag` is no template parameter:
        // OOS can never resolve it (so EnableParameter is unknown too: no Parameter.Disabled).
        assert_eq!(
            run(&src),
            vec![("Lint.OosUnknownParameter", "flag".into(), 0)]
        );
    }

    #[test]
    fn the_two_layers_in_command_content() {
        let step = "- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    instanceId: i-abc\n";
        // OOS names only: nothing to enable.
        let src = format!(
            "{HEAD}{step}    commandContent: 'cd {{{{ workdir }}}} && echo {{{{ ACS::ExecutionId }}}} {{{{ run.out }}}}'\n"
        );
        assert_eq!(run(&src), vec![]);
        // A name neither layer knows: no template parameter, and no Cloud Assistant parameter
        // without enableParameter or a key in `parameters`.
        let src =
            format!("{HEAD}{step}    commandContent: 'echo {{{{ workdir }}}} {{{{ name }}}}'\n");
        assert_eq!(
            run(&src),
            vec![("Lint.OosUnknownParameter", "name".into(), 0)]
        );
        // A Cloud Assistant built-in without enableParameter.
        let src = format!(
            "{HEAD}{step}    commandContent: 'echo {{{{ workdir }}}} {{{{ ACS::InstanceId }}}}'\n"
        );
        assert_eq!(
            run(&src),
            vec![("Lint.TemplateNotEnabled", "{{ ACS::InstanceId }}".into(), 0)]
        );
        // Enabled, provided; `ACS::InstanceId` is Cloud Assistant's.
        let src = format!(
            "{HEAD}{step}    enableParameter: true\n    parameters: {{name: x}}\n    commandContent: 'echo {{{{ workdir }}}} {{{{ name }}}} {{{{ ACS::InstanceId }}}} {{{{ other }}}}'\n"
        );
        assert_eq!(
            run(&src),
            vec![("Lint.ParameterNotProvided", "other".into(), 0)]
        );
    }

    #[test]
    fn collision_is_reported_at_the_step_key() {
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    instanceId: i-abc\n    enableParameter: true\n    parameters: {{script: x}}\n    commandContent: 'echo {{{{ script }}}}'\n"
        );
        assert_eq!(
            run(&src),
            vec![("Lint.OosParameterCollision", "script".into(), 0)]
        );
    }

    #[test]
    fn execute_api_steps_use_api_names_and_count_as_requests() {
        let src = format!(
            "{HEAD}- Name: other\n  Action: ACS::Sleep\n  Properties: {{Duration: PT1S}}\n- Name: ok\n  Action: ACS::ECS::RunCommand\n  Properties: {{commandType: RunShellScript, commandContent: x, instanceId: i-abc}}\n- Name: api\n  Action: ACS::ExecuteAPI\n  Properties:\n    Service: ECS\n    API: RunCommand\n    Parameters:\n      Type: RunShelScript\n      CommandContent: x\n      InstanceId: [i-abc]\n      Timout: 30\n"
        );
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        assert_eq!(r.requests, 2);
        assert_eq!(
            run(&src),
            vec![
                ("InvalidCmdType.NotFound", "RunShelScript".into(), 1),
                ("Lint.UnknownParameter", "Timout".into(), 1),
            ]
        );
    }

    #[test]
    fn missing_and_misspelt_properties() {
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommandForLongTime\n  Properties:\n    CommandContent: echo\n    instanceId: i-abc\n"
        );
        assert_eq!(
            run(&src),
            vec![
                (
                    "Lint.MissingParameter",
                    "ACS::ECS::RunCommandForLongTime".into(),
                    0
                ),
                (
                    "Lint.MissingParameter",
                    "ACS::ECS::RunCommandForLongTime".into(),
                    0
                ),
                ("Lint.UnknownParameter", "CommandContent".into(), 0),
            ]
        );
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        let helps: Vec<_> = r
            .diagnostics
            .iter()
            .filter_map(|d| d.help.clone())
            .collect();
        assert!(
            helps.iter().any(|h| h.starts_with("add `commandType: ")),
            "{helps:?}"
        );
    }

    #[test]
    fn instance_id_of_the_action_is_one_instance() {
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    commandContent: echo\n    instanceId: [i-abc, i-abd]\n"
        );
        assert_eq!(
            run(&src),
            vec![("Lint.TypeMismatch", "[i-abc, i-abd]".into(), 0)]
        );
    }

    #[test]
    fn a_large_default_shared_by_many_steps_is_bounded() {
        let big = "x".repeat(300_000);
        let mut src = format!(
            "FormatVersion: OOS-2019-06-01\nParameters:\n  s:\n    Default: {big}\nTasks:\n"
        );
        for i in 0..40 {
            src.push_str(&format!("- Name: t{i}\n  Action: ACS::ECS::RunCommand\n  Properties: {{commandType: RunShellScript, commandContent: '{{{{ s }}}}', instanceId: i-abc}}\n"));
        }
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        assert_eq!(r.requests, 40);
        let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["CmdContent.ExceedLimit"]);
    }

    #[test]
    fn a_broken_template_still_looks_like_a_request_file() {
        let src = "Tasks:\n- Action: ACS::ECS::RunCommand\n  Properties: [\n";
        assert!(check_bytes("t.yaml", src.as_bytes(), Format::Yaml).looks_like_request);
    }

    #[test]
    fn fixes_and_help_use_the_step_properties() {
        assert_eq!(
            crate::carried::rename_keys(
                "Set `ContentEncoding: Base64`, \"Type\": x, Type: y, XType: z",
                super::RUN_COMMAND_PROPERTIES
            ),
            "Set `contentEncoding: Base64`, \"commandType\": x, commandType: y, XType: z"
        );
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    commandContent: ZWNobyBoZWxsbyB3b3JsZA==\n    instanceId: i-abc\n"
        );
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        let fix = r.diagnostics[0].fix.as_ref().unwrap();
        assert_eq!(r.diagnostics[0].code, "Lint.LooksBase64Encoded");
        assert_eq!(fix.replacement, "    contentEncoding: Base64\n");
    }

    #[test]
    fn templates_without_steps_are_neither_mode() {
        let src = "FormatVersion: OOS-2019-06-01\nTasks:\n- Name: s\n  Action: ACS::Sleep\n";
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        assert!(r.diagnostics.is_empty());
        assert!(!r.looks_like_request);
    }

    #[test]
    fn execute_api_plural_lists_and_any_case_action() {
        let src = format!(
            "{HEAD}- Name: api\n  Action: ACS::ExecuteApi\n  Properties:\n    Service: ECS\n    API: RunCommand\n    Parameters:\n      RegionId: '{{{{ ACS::RegionId }}}}'\n      InstanceIds: ['{{{{ targets }}}}']\n      Type: RunShellScript\n      CommandContent: echo\n      Tags: [{{Key: team, Value: ops}}]\n      Timout: '{{{{ timeout }}}}'\n"
        );
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        assert_eq!(r.requests, 1);
        // No MissingParam.InstanceId; the unknown key is reported although its value is an
        // expression.
        assert_eq!(
            run(&src),
            vec![("Lint.UnknownParameter", "Timout".into(), 0)]
        );
        // The plural list is read as the list: a malformed ID is checked.
        let src = format!(
            "{HEAD}- Name: api\n  Action: acs::executeapi\n  Properties:\n    Service: ECS\n    API: RunCommand\n    Parameters:\n      InstanceIds: [x-1]\n      Type: RunShellScript\n      CommandContent: echo\n"
        );
        assert_eq!(
            run(&src),
            vec![("InvalidInstance.NotFound", "x-1".into(), 0)]
        );
    }

    #[test]
    fn a_default_that_makes_the_step_valid_is_no_error() {
        let src = "FormatVersion: OOS-2019-06-01\nParameters:\n  commandType:\n    Type: String\n    Default: RunPythonScript\nTasks:\n- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: '{{ commandType }}'\n    commandContent: print(1)\n    instanceId: i-abc\n";
        assert_eq!(run(src), vec![]);
    }

    #[test]
    fn a_finding_from_a_default_says_so() {
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    commandContent: echo\n    instanceId: i-abc\n    timeout: '{{{{ timeout }}}}'\n"
        );
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        let d = &r.diagnostics[0];
        assert!(
            d.message
                .ends_with("(this value is the `Default` of template parameter `timeout`)"),
            "{}",
            d.message
        );
        assert_eq!(&r.text[d.related[0].span.clone()], "'{{ timeout }}'");
    }

    #[test]
    fn properties_are_the_actions_own() {
        // containerId is no property of the action (reported even with an expression value);
        // contentEncoding is one of ACS::ECS::RunCommand but not of RunCommandForLongTime.
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    commandContent: echo\n    instanceId: i-abc\n    contentEncoding: PlainText\n    maxRetryInterval: 60\n    containerId: '{{{{ script }}}}'\n"
        );
        assert_eq!(
            run(&src),
            vec![("Lint.UnknownParameter", "containerId".into(), 0)]
        );
        let src = format!(
            "{HEAD}- Name: run\n  Action: ACS::ECS::RunCommandForLongTime\n  Properties:\n    commandType: RunShellScript\n    commandContent: ZWNobyBoZWxsbyB3b3JsZA==\n    instanceId: i-abc\n"
        );
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        let d = &r.diagnostics[0];
        assert_eq!(d.code.as_str(), "Lint.LooksBase64Encoded");
        assert!(d.fix.is_none());
        let help = d.help.as_deref().unwrap_or("");
        assert!(
            help.contains("no property for the API's `ContentEncoding`")
                && !help.contains("contentEncoding:"),
            "{help}"
        );
    }

    #[test]
    fn unknown_expressions_suggest_and_builtins_match_any_case() {
        let src = "FormatVersion: OOS-2019-06-01\nParameters:\n  instanceId:\n    Type: String\nTasks:\n- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    commandContent: 'echo {{ Acs::CurrentDate }} {{ ACS::OOSUtilVersion }} {{ run.out }}'\n    instanceId: '{{ InstanceId }}'\n    workingDir: '{{ ACS::NoSuchThing }}'\n";
        let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
        let found: Vec<_> = r
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.code.as_str(),
                    d.severity,
                    &r.text[d.span.clone()],
                    d.help.clone(),
                )
            })
            .collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "Lint.OosUnknownParameter");
        assert_eq!(found[0].1, crate::Severity::Error);
        assert_eq!(found[0].2, "InstanceId");
        assert!(
            found[0]
                .3
                .as_deref()
                .unwrap_or("")
                .contains("`{{ instanceId }}`")
        );
        // An `ACS::` name this version does not know: a warning (the list is not published).
        assert_eq!(found[1].1, crate::Severity::Warning);
        assert_eq!(found[1].2, "ACS::NoSuchThing");
    }

    #[test]
    fn unknown_names_in_a_content_built_by_a_function_are_found() {
        let src = "FormatVersion: OOS-2019-06-01\nParameters:\n  srcUrl:\n    Type: String\nTasks:\n- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    instanceId: i-abc\n    commandContent:\n      Fn::Join:\n        - ' '\n        - - cd /tmp;\n          - cp {{ SrcUrl }} {{ srcUrl }} {{ ACS::RegionId }}\n";
        assert_eq!(
            run(src),
            vec![("Lint.OosUnknownParameter", "SrcUrl".into(), 0)]
        );
    }
}
