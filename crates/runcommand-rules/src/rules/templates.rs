//! `{{...}}` placeholders in `CommandContent` (decisions.md §3 "Custom parameters in
//! CommandContent", "Built-ins", "Parameter Store", "Template text without EnableParameter"),
//! scanned by `runcommand-template`.
//!
//! The script is the content as written, or its decoding when `ContentEncoding` is Base64 (then
//! every finding is reported at the whole value, since offsets in the decoded text have no place in
//! the file; content that does not decode is left to `CmdContent.DecodeError`). Otherwise every
//! span is mapped into the file through the scalar's source map, so `{{ bad }}` is underlined
//! exactly in plain, quoted (with escapes), literal and folded scalars and JSON strings.
//!
//! With `EnableParameter: true` every `{{...}}` is a reference to the API:
//! - `{{}}` or only whitespace → `CmdParam.EmptyKey` (the whole placeholder);
//! - a character outside `[A-Za-z0-9_-]` (Go templates such as `{{.State.Running}}` included), a
//!   reserved `acs::` spelling, an unknown `ACS::` built-in → `CmdParam.InvalidParamName` (the
//!   name); so is `{{ACS::ScriptFileName}}`, which exists in `Launcher` only, and any filter
//!   problem (`|Ext(...)` misuse): no code is documented for filters, and the API would reject the
//!   reference as an invalid name (choice);
//! - a custom name over 64 bytes → `CmdParamName.ExceedLimit`;
//! - an empty or malformed `oos`/`oos-secret` name → `ParameterStore.InvalidParameters`;
//! - a well-formed Parameter Store name the agent does not resolve (a character outside
//!   `[A-Za-z0-9_.-]`, such as the `/` of a path-like name: the agent's pattern is `[\w-.]+`)
//!   → `Lint.UnresolvedParameterStoreName` (warning: the reference reaches the script as text);
//! - a `{{` never closed → `Lint.UnterminatedTemplate` (warning: the API passes it through);
//! - more than 20 distinct custom names (ignoring case; built-ins and `oos` references not counted)
//!   → `CmdParamCount.ExceedLimit`, once, at the first use of the 21st distinct name;
//! - a custom name with no key in `Parameters` (ignoring case) → `Lint.ParameterNotProvided`
//!   (warning: it becomes an empty string), once per name at its first use. Held back for every
//!   name when `CmdParamCount.ExceedLimit` fires, for names rejected as too long, and when
//!   `Parameters` is a string that is not a JSON object (its keys are unknown).
//!
//! Without `EnableParameter: true` the text is sent literally: the first valid custom, built-in or
//! `oos` placeholder gives `Lint.TemplateNotEnabled` (warning, once per request); text that is no
//! valid reference (Go templates, `{{}}`, unclosed `{{`) gives nothing, since nothing would be
//! substituted anyway. In a script that holds a Go template action (`{{.State.Status}}`, `{{if
//! .X}}`), Go's keywords written alone (`{{else}}`, `{{end}}`, `{{break}}`, `{{continue}}`) are
//! taken as part of that template, not as a forgotten parameter (choice: e.g. a
//! `docker inspect --format` string).
//!
//! `Launcher` is not scanned (choice): its template grammar (`{{ACS::ScriptFileName|Ext(".py")}}`)
//! is published only as one example and cannot be verified (constraints §2.26), so no error is
//! invented for it; its placeholders are not custom parameters and do not count here.

use runcommand_catalog::code;
use std::collections::BTreeSet;

use runcommand_catalog::limits::CUSTOM_PARAMS_MAX;
use runcommand_catalog::param;
use runcommand_template::{BuiltIn, Field, PlaceholderKind, ProblemKind, Scan, name_key};

use super::Rule;
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use crate::request::parameters::{Read, read};
use crate::request::script::{Name, custom_names, distinct_names, placeholders};

pub(super) const RULE: Rule = Rule {
    name: "templates",
    codes: &[
        code::CMD_PARAM_EMPTY_KEY,
        code::CMD_PARAM_INVALID_PARAM_NAME,
        code::CMD_PARAM_NAME_EXCEED_LIMIT,
        code::PARAMETER_STORE_INVALID_PARAMETERS,
        code::CMD_PARAM_COUNT_EXCEED_LIMIT,
        code::LINT_UNTERMINATED_TEMPLATE,
        code::LINT_PARAMETER_NOT_PROVIDED,
        code::LINT_TEMPLATE_NOT_ENABLED,
        code::LINT_UNRESOLVED_PARAMETER_STORE_NAME,
    ],
    check,
};

/// Go template keywords that are whole actions (`{{else}}`, `{{end}}`).
const GO_KEYWORDS: &[&str] = &["else", "end", "break", "continue"];

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some((script, scan)) = placeholders(req) else {
        return;
    };
    // In an OOS step, the placeholders OOS fills are dropped from a copy of the scan (the other
    // rules read it whole).
    let oos_scan;
    let scan = match req.oos {
        Some(oos) => {
            let mut copy = scan.clone();
            drop_oos_layer(&mut copy, &script.text, oos);
            oos_scan = copy;
            &oos_scan
        }
        None => scan,
    };
    if req.bool(param::ENABLE_PARAMETER) != Some(true) {
        let go_template = scan
            .placeholders
            .iter()
            .any(|p| matches!(p.kind, PlaceholderKind::Invalid));
        let first = scan.placeholders.iter().find_map(|p| {
            let shown = match &p.kind {
                PlaceholderKind::Custom { name, .. }
                    if go_template && GO_KEYWORDS.contains(&name.as_str()) =>
                {
                    return None;
                }
                PlaceholderKind::Custom { name, .. } => format!("{{{{{name}}}}}"),
                PlaceholderKind::BuiltIn { builtin, .. } => format!("{{{{{builtin}}}}}"),
                PlaceholderKind::OosParam { secret, name, .. } => {
                    let which = if *secret { "oos-secret" } else { "oos" };
                    format!("{{{{{which}:{name}}}}}")
                }
                PlaceholderKind::Invalid => return None,
            };
            Some((p.span.clone(), shown))
        });
        if let Some((span, shown)) = first {
            out.push(
                Diagnostic::new(
                    code::LINT_TEMPLATE_NOT_ENABLED,
                    script.span(req, span),
                    format!(
                        "`{shown}` is sent to the instance literally: EnableParameter is not true"
                    ),
                )
                .param("CommandContent")
                .help("set `EnableParameter: true` to have the API fill placeholders (and give custom ones in Parameters)"),
            );
        }
        return;
    }

    let mut rejected = BTreeSet::new();
    for p in &scan.problems {
        let code = match p.kind {
            ProblemKind::EmptyKey => code::CMD_PARAM_EMPTY_KEY,
            ProblemKind::InvalidName(_) | ProblemKind::InvalidFilter(_) => {
                code::CMD_PARAM_INVALID_PARAM_NAME
            }
            ProblemKind::NameTooLong { .. } => code::CMD_PARAM_NAME_EXCEED_LIMIT,
            ProblemKind::InvalidOosName => code::PARAMETER_STORE_INVALID_PARAMETERS,
            ProblemKind::Unterminated => code::LINT_UNTERMINATED_TEMPLATE,
        };
        // A placeholder that is not allowed here at all is reported once, below.
        let misplaced = p.placeholder.and_then(|i| scan.placeholders.get(i)).is_some_and(|ph| {
            matches!(&ph.kind, PlaceholderKind::BuiltIn { builtin, .. } if !builtin.allowed_in(Field::CommandContent))
        });
        if misplaced {
            continue;
        }
        if let ProblemKind::NameTooLong { .. } = p.kind
            && let Some(ph) = p.placeholder.and_then(|i| scan.placeholders.get(i))
            && let Some((name, _)) = ph.custom_name()
        {
            rejected.insert(name_key(name));
        }
        let mut d = Diagnostic::new(code, script.span(req, p.span.clone()), p.message.clone())
            .param("CommandContent");
        // Evidence rule: the filter grammar is known from one Launcher example, and which
        // Parameter Store names the API rejects is not documented (the agent leaves them
        // unresolved).
        if matches!(
            p.kind,
            ProblemKind::InvalidFilter(_) | ProblemKind::InvalidOosName
        ) {
            d = d.inferred();
        }
        d = match p.kind {
            ProblemKind::Unterminated => d.help("close it with `}}`, or remove the `{{`"),
            ProblemKind::InvalidName(_) => d.help(
                "with EnableParameter true every `{{...}}` is a parameter: names use letters, digits, `_` and `-`; built-ins are `{{ACS::Name}}`",
            ),
            _ => d,
        };
        out.push(d);
    }
    for ph in &scan.placeholders {
        if let PlaceholderKind::OosParam {
            secret,
            name,
            name_span,
        } = &ph.kind
            && let Some(c) = name
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        {
            let which = if *secret { "oos-secret" } else { "oos" };
            out.push(
                Diagnostic::new(
                    code::LINT_UNRESOLVED_PARAMETER_STORE_NAME,
                    script.span(req, name_span.clone()),
                    format!(
                        "`{{{{{which}:{name}}}}}` reaches the script unresolved: the Cloud Assistant agent resolves only Parameter Store names of letters, digits, `_`, `.` and `-`, and this one has `{c}`"
                    ),
                )
                .param("CommandContent")
                .help("store the value under a name without `/` (e.g. `app.db-host`), or read it in the script with the OOS CLI"),
            );
        }
        if let PlaceholderKind::BuiltIn {
            builtin, name_span, ..
        } = &ph.kind
            && !builtin.allowed_in(Field::CommandContent)
        {
            out.push(
                Diagnostic::new(
                    code::CMD_PARAM_INVALID_PARAM_NAME,
                    script.span(req, name_span.clone()),
                    format!(
                        "`{{{{{builtin}}}}}` is available only in Launcher, not in CommandContent"
                    ),
                )
                .param("CommandContent")
                .help(format!(
                    "built-ins in CommandContent: {}",
                    BuiltIn::ALL
                        .iter()
                        .filter(|b| b.allowed_in(Field::CommandContent))
                        .map(|b| format!("{{{{{b}}}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }

    // The shared list of names, unless OOS placeholders were dropped from this scan.
    let own_names;
    let names: &[Name] = match req.oos {
        Some(_) => {
            own_names = distinct_names(scan);
            &own_names
        }
        None => custom_names(req).unwrap_or(&[]),
    };
    let max = usize::try_from(CUSTOM_PARAMS_MAX).unwrap_or(20);
    if let Some(extra) = names.get(max) {
        out.push(
                Diagnostic::new(
                    code::CMD_PARAM_COUNT_EXCEED_LIMIT,
                    script.span(req, extra.first_use.clone()),
                    format!(
                        "CommandContent uses {} distinct custom parameter names; at most {max} are allowed (name number {} is `{}`)",
                        names.len(),
                        max + 1,
                        extra.name
                    ),
                )
                .param("CommandContent")
                .help("names compare ignoring case; built-ins and {{oos:...}} references do not count"),
            );
        return;
    }
    let provided: BTreeSet<String> = match read(req) {
        Read::Absent => BTreeSet::new(),
        Read::Unreadable(_) => return,
        Read::Given(p) => p
            .entries()
            .iter()
            .filter_map(|e| e.key.as_key_str())
            .map(name_key)
            .collect(),
    };
    for n in names {
        if rejected.contains(&n.key) || provided.contains(&n.key) {
            continue;
        }
        out.push(
            Diagnostic::new(
                code::LINT_PARAMETER_NOT_PROVIDED,
                script.span(req, n.first_use.clone()),
                format!(
                    "custom parameter `{}` has no value in Parameters; it is replaced by an empty string",
                    n.name
                ),
            )
            .param("CommandContent")
            .help(format!("add `{}: <value>` to Parameters", n.name)),
        );
    }
}

/// In an OOS step, removes the placeholders OOS resolves before the request is sent (a template
/// parameter or an OOS built-in, see `oos`) and their problems: they are no Cloud Assistant
/// parameters.
fn drop_oos_layer(scan: &mut Scan, text: &str, oos: &crate::request::oos_names::OosNames) {
    let owned: Vec<bool> = scan
        .placeholders
        .iter()
        .map(|p| {
            text.get(p.inner.clone())
                .is_some_and(|n| oos.owns(n.trim()))
        })
        .collect();
    if !owned.contains(&true) {
        return;
    }
    // New index of each kept placeholder.
    let mut new_index = Vec::with_capacity(owned.len());
    let mut next = 0usize;
    for o in &owned {
        new_index.push((!o).then_some(next));
        if !o {
            next += 1;
        }
    }
    scan.problems.retain_mut(|p| match p.placeholder {
        None => true,
        Some(i) => match new_index.get(i).copied().flatten() {
            Some(n) => {
                p.placeholder = Some(n);
                true
            }
            None => false,
        },
    });
    let mut i = 0usize;
    scan.placeholders.retain(|_| {
        let keep = !owned.get(i).copied().unwrap_or(false);
        i += 1;
        keep
    });
}
