//! `Lint.MissingParameter`: `RegionId`, `Type` and `CommandContent` are required
//! (decisions.md §3). Reported on the request's first key, since there is no place for a key that
//! is not there; the message names the parameter. `InstanceId`/`ResourceTag` have their own
//! documented code (see `instances`). An empty `CommandContent` (`""`, or a block scalar with no
//! lines) is missing too, reported at the empty value: there is no command to run.

use super::Rule;
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use runcommand_catalog::code;
use runcommand_catalog::{ParamId, param};

pub(super) const RULE: Rule = Rule {
    name: "required-parameters",
    codes: &[code::LINT_MISSING_PARAMETER],
    check,
};

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let at = req
        .node
        .as_map()
        .and_then(|m| m.first())
        .map_or(req.node.span.clone(), |e| e.key.span.clone());
    if let Some(content) = req.str(param::COMMAND_CONTENT)
        && content.value.is_empty()
    {
        // An empty block scalar has no text of its own: point at the key then.
        let span = match req.get(param::COMMAND_CONTENT) {
            Some(p) if content.node.span.is_empty() => p.key_span.clone(),
            _ => content.span(),
        };
        out.push(
            Diagnostic::new(
                code::LINT_MISSING_PARAMETER,
                span,
                "`CommandContent` is empty: there is no command to run",
            )
            .param("CommandContent")
            .help("write the script, e.g. `CommandContent: echo 123`"),
        );
    }
    for id in ParamId::all().filter(|p| p.info().required) {
        let info = id.info();
        if !req.has(id) {
            let example = info.example.unwrap_or("...");
            let mut d = Diagnostic::new(
                code::LINT_MISSING_PARAMETER,
                at.clone(),
                format!("required parameter `{}` is missing", info.name),
            )
            .param(info.name)
            .help(format!("add `{}: {example}`", info.name));
            // A misspelt key is the likely cause: point at it.
            if let Some((key, node)) = req.near_miss_key(info.name) {
                d = d
                    .help(format!(
                        "did you mean to write `{}`? `{key}` is no parameter",
                        info.name
                    ))
                    .related_here(node.span.clone(), format!("`{key}` is written here"));
            }
            out.push(d);
        }
    }
}
