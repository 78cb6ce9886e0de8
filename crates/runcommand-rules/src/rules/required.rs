//! `Lint.MissingParameter`: `RegionId`, `Type` and `CommandContent` are required
//! (decisions.md §3). Reported on the request's first key, since there is no place for a key that
//! is not there; the message names the parameter. `InstanceId`/`ResourceTag` have their own
//! documented code (see `instances`).

use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use runcommand_catalog::ParamId;

pub(super) const RULE: Rule = Rule {
    name: "required-parameters",
    codes: &["Lint.MissingParameter"],
    check,
};

fn check(req: &Request<'_>, out: &mut Vec<Diagnostic>) {
    let at = req
        .node
        .as_map()
        .and_then(|m| m.first())
        .map_or(req.node.span.clone(), |e| e.key.span.clone());
    for id in ParamId::all().filter(|p| p.info().required) {
        let info = id.info();
        if !req.has(id) {
            let example = info.example.unwrap_or("...");
            out.push(
                Diagnostic::new(
                    "Lint.MissingParameter",
                    at.clone(),
                    format!("required parameter `{}` is missing", info.name),
                )
                .param(info.name)
                .help(format!("add `{}: {example}`", info.name)),
            );
        }
    }
}
