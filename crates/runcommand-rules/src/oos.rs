//! OOS templates: the RunCommand steps of an Operation Orchestration Service template, checked
//! with the same rules as a bare request (issue 9).
//!
//! **Recognising a template.** A mapping is an OOS template when its `FormatVersion` starts with
//! `OOS-` (e.g. `OOS-2019-06-01`) or its `Tasks` is a list holding a mapping with an `Action`. The
//! engine then checks its RunCommand steps instead of reading it as a request; a template without
//! RunCommand steps gives no finding (and does not look like a request file, see `detect`).
//!
//! **Steps.** A task of `Tasks` (in order; a task with `Loop` is the same step) with
//! - `Action: ACS::ECS::RunCommand` or `ACS::ECS::RunCommandForLongTime`: its `Properties` use
//!   lower-camel names, mapped to the API's ([`PROPERTIES`]); other properties are OOS's own and are
//!   not checked, except a near miss of a mapped name (`CommandContent`, `comandContent`), which is
//!   `Lint.UnknownParameter` with a suggested fix. `instanceId` is one instance (a string);
//!   `commandType` `RunPythonScript` / `RunPerlScript` are wrapped by OOS and valid there (the type
//!   is then unknown to the rules); a missing `regionId` is the template's region (no
//!   `Lint.MissingParameter` for `RegionId`); the OOS default of `timeout` (600) is documented
//!   only, since no rule reads a default timeout for a step (steps have no `Frequency`).
//! - `Action: ACS::ExecuteAPI` with `Properties.Service: ECS` (any case) and `API: RunCommand`:
//!   the API's own names under `Properties.Parameters`, read exactly as a request (unknown names
//!   reported); a missing `RegionId` is not reported either.
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

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use runcommand_catalog::param;
use runcommand_document::{Entry, Node, Scalar, ScalarKind, Style, Value};

use crate::diagnostic::{Diagnostic, Fix};
use crate::{Options, request, suggest::did_you_mean};

/// The lower-camel properties of `ACS::ECS::RunCommand` and their API names.
pub const PROPERTIES: &[(&str, &str)] = &[
    ("regionId", "RegionId"),
    ("commandContent", "CommandContent"),
    ("instanceId", "InstanceId"),
    ("commandType", "Type"),
    ("workingDir", "WorkingDir"),
    ("timeout", "Timeout"),
    ("enableParameter", "EnableParameter"),
    ("parameters", "Parameters"),
    ("username", "Username"),
    ("windowsPasswordName", "WindowsPasswordName"),
    ("containerId", "ContainerId"),
    ("containerName", "ContainerName"),
    ("contentEncoding", "ContentEncoding"),
];

/// OOS built-in expressions (resolved by OOS, never by Cloud Assistant).
pub const OOS_BUILTINS: &[&str] = &[
    "ACS::RegionId",
    "ACS::AccountId",
    "ACS::ExecutionId",
    "ACS::TaskExecutionId",
    "ACS::TaskLoopItem",
    "ACS::TaskName",
    "ACS::TemplateName",
    "ACS::TemplateVersion",
    "ACS::ParentExecutionId",
];

/// Command types OOS wraps itself (valid in `commandType`, not in the API's `Type`).
const WRAPPED_TYPES: &[&str] = &["RunPythonScript", "RunPerlScript"];

/// Findings that say something is missing, with the parameters whose unknown value holds them
/// back.
const ABSENCE: &[(&str, &[&str])] = &[
    ("MissingParam.InstanceId", &["InstanceId", "ResourceTag"]),
    ("MissingParam.Frequency", &["Frequency"]),
    ("WindowsPasswordName.Missed", &["WindowsPasswordName"]),
    ("Parameter.Disabled", &["EnableParameter"]),
    ("Lint.TemplateNotEnabled", &["EnableParameter"]),
    ("Lint.ParameterNotProvided", &["Parameters"]),
    (
        "Parameter.NotMatched",
        &["CommandContent", "EnableParameter"],
    ),
];

/// The names OOS resolves itself in a template.
#[derive(Debug, Default)]
pub struct OosNames {
    params: BTreeSet<String>,
    tasks: BTreeSet<String>,
}

impl OosNames {
    /// Whether `{{ name }}` (trimmed) is an OOS expression: a template parameter, an OOS built-in
    /// or a task output `task.output`.
    pub fn owns(&self, name: &str) -> bool {
        self.params.contains(name)
            || OOS_BUILTINS.contains(&name)
            || name
                .split_once('.')
                .is_some_and(|(t, o)| !o.is_empty() && self.tasks.contains(t))
    }
}

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

fn scalar(text: String, span: Range<usize>) -> Node {
    Node {
        span,
        value: Value::Scalar(Scalar {
            text,
            style: Style::Plain,
            kind: ScalarKind::Str,
        }),
    }
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
    /// `ACS::ECS::RunCommand` (lower-camel properties).
    Action,
    /// `ACS::ExecuteAPI` calling ECS RunCommand (the API's names under `Parameters`).
    ExecuteApi,
}

fn step_kind(task: &Node) -> Option<Step> {
    let action = task.get("Action")?.value.as_scalar()?.text.as_str();
    match action {
        "ACS::ECS::RunCommand" | "ACS::ECS::RunCommandForLongTime" => Some(Step::Action),
        "ACS::ExecuteAPI" => {
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
        _ => None,
    }
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
    options: &Options,
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
        check_step(text, &template, task, kind, index, options, &mut found);
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
    options: &Options,
    out: &mut Vec<Diagnostic>,
) {
    let props = task.get("Properties").map(|p| &p.value);
    let source = match kind {
        Step::Action => props,
        Step::ExecuteApi => props.and_then(|p| p.get("Parameters")).map(|p| &p.value),
    };
    let span = source
        .or(props)
        .map_or(task.span.clone(), |n| n.span.clone());
    let mut entries = Vec::new();
    let mut unknown: BTreeSet<String> = BTreeSet::new();
    for e in source.and_then(Node::as_map).unwrap_or(&[]) {
        let Some(key) = e.key.as_key_str() else {
            continue;
        };
        let api = match kind {
            Step::ExecuteApi => key,
            Step::Action => match PROPERTIES.iter().find(|(k, _)| *k == key) {
                Some((_, api)) => api,
                None => {
                    near_miss(key, &e.key, out);
                    continue;
                }
            },
        };
        let wrapped = kind == Step::Action
            && api == "Type"
            && e.value
                .as_scalar()
                .is_some_and(|s| WRAPPED_TYPES.contains(&s.text.as_str()));
        let value = if wrapped {
            None
        } else if api == "Parameters" && e.value.as_map().is_some() && !is_function(&e.value) {
            Some(template.resolve_parameters(e.value.clone()))
        } else {
            template.resolve(&e.value, api == "CommandContent")
        };
        let Some(value) = value else {
            unknown.insert(api.to_owned());
            continue;
        };
        if kind == Step::Action && api == "InstanceId" && !matches!(value.value, Value::Scalar(_)) {
            out.push(
                Diagnostic::new(
                    "Lint.TypeMismatch",
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
            key: Node {
                span: e.key.span.clone(),
                value: Value::Scalar(Scalar {
                    text: api.to_owned(),
                    style: e.key.as_scalar().map_or(Style::Plain, |k| k.style),
                    kind: ScalarKind::Str,
                }),
            },
            value,
        });
    }
    let synthetic = Node {
        span,
        value: Value::Map(entries),
    };
    collisions(template, &synthetic, out);
    let mut found = Vec::new();
    let Some(mut req) = request::build(text, &synthetic, index, &mut found).request else {
        out.extend(found);
        return;
    };
    req.oos = Some(&template.names);
    crate::run_rules(&req, options, &mut found);
    let has_instances = req.has(param::INSTANCE_ID) || req.has(param::RESOURCE_TAG);
    found.retain(|d| !held_back(d, &unknown));
    // A missing parameter has no place of its own: it is reported at the step's `Action`.
    let action = task.get("Action").map(|a| a.value.span.clone());
    for d in &mut found {
        if kind == Step::Action {
            to_properties(d);
        }
        let missing = d.code == "Lint.MissingParameter"
            || (d.code == "MissingParam.InstanceId" && !has_instances);
        if !missing {
            continue;
        }
        if let Some(a) = &action {
            d.span = a.clone();
        }
        if kind == Step::Action
            && let Some(h) = &mut d.help
        {
            *h = if d.code == "MissingParam.InstanceId" {
                "add `instanceId: i-...` to the step's Properties".to_owned()
            } else {
                format!("{h} to the step's Properties")
            };
        }
    }
    out.extend(found);
}

/// In an `ACS::ECS::RunCommand` step, rewrites the API's names written as keys in a finding's
/// help and fix (`ContentEncoding: Base64`, `"ContentEncoding": ...`) to the step's lower-camel
/// properties, so that applying a fix writes a property OOS knows.
fn to_properties(d: &mut Diagnostic) {
    if let Some(h) = &mut d.help {
        *h = rename_keys(h);
    }
    if let Some(f) = &mut d.fix {
        f.title = rename_keys(&f.title);
        f.replacement = rename_keys(&f.replacement);
    }
}

/// Replaces each API name written as a key (followed by `:` or `":`, not preceded by a letter or
/// digit) by its lower-camel property.
fn rename_keys(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    'outer: while let Some(c) = s.get(i..).and_then(|t| t.chars().next()) {
        let before_ok = s
            .get(..i)
            .and_then(|t| t.chars().next_back())
            .is_none_or(|b| !b.is_alphanumeric());
        if before_ok {
            for (prop, api) in PROPERTIES {
                if let Some(rest) = s.get(i..).and_then(|t| t.strip_prefix(api))
                    && (rest.starts_with(':') || rest.starts_with("\":"))
                {
                    out.push_str(prop);
                    i += api.len();
                    continue 'outer;
                }
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Whether a finding about something missing is held back: `RegionId` (the template's region),
/// or a parameter whose value is unknown until run time.
fn held_back(d: &Diagnostic, unknown: &BTreeSet<String>) -> bool {
    if d.code == "Lint.MissingParameter" {
        return d
            .parameter
            .as_deref()
            .is_some_and(|p| p == "RegionId" || unknown.contains(p));
    }
    ABSENCE
        .iter()
        .any(|(code, params)| d.code == *code && params.iter().any(|p| unknown.contains(*p)))
}

/// `Lint.UnknownParameter` for a property that nearly spells a mapped one.
fn near_miss(key: &str, node: &Node, out: &mut Vec<Diagnostic>) {
    let names = PROPERTIES.iter().map(|(k, _)| *k);
    let Some(s) = did_you_mean(key, names) else {
        return;
    };
    out.push(
        Diagnostic::new(
            "Lint.UnknownParameter",
            node.span.clone(),
            format!("`{key}` is not a property of ACS::ECS::RunCommand"),
        )
        .help(format!(
            "did you mean `{s}`? (OOS spells properties in lower camel case)"
        ))
        .fix(Fix {
            title: format!("Rename to `{s}`"),
            span: node.span.clone(),
            replacement: s.to_owned(),
            safe: false,
        }),
    );
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
            "Lint.OosParameterCollision",
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
            .map(|d| (d.code, r.text[d.span.clone()].to_owned(), d.document))
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
        // Type and InstanceId are unknown (no missing finding); `flag` is no template parameter,
        // so EnableParameter is unknown too (no Parameter.Disabled).
        assert_eq!(run(&src), vec![]);
    }

    #[test]
    fn the_two_layers_in_command_content() {
        let step = "- Name: run\n  Action: ACS::ECS::RunCommand\n  Properties:\n    commandType: RunShellScript\n    instanceId: i-abc\n";
        // OOS names only: nothing to enable.
        let src = format!(
            "{HEAD}{step}    commandContent: 'cd {{{{ workdir }}}} && echo {{{{ ACS::ExecutionId }}}} {{{{ run.out }}}}'\n"
        );
        assert_eq!(run(&src), vec![]);
        // A Cloud Assistant name without enableParameter.
        let src =
            format!("{HEAD}{step}    commandContent: 'echo {{{{ workdir }}}} {{{{ name }}}}'\n");
        assert_eq!(
            run(&src),
            vec![("Lint.TemplateNotEnabled", "{{ name }}".into(), 0)]
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
        let codes: Vec<_> = r.diagnostics.iter().map(|d| d.code).collect();
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
            super::rename_keys("Set `ContentEncoding: Base64`, \"Type\": x, Type: y, XType: z"),
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
}
