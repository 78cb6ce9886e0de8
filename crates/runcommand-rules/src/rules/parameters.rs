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

use runcommand_catalog::code;
use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use runcommand_catalog::limits::{PARAMETER_KEY_MAX_CHARS, PARAMETERS_MAX};
use runcommand_catalog::param;
use runcommand_document::{Node, ScalarKind, Value};
use runcommand_template::name_key;

use super::Rule;
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use crate::request::parameters::{Read, read};
use crate::request::script::custom_names;

pub(super) const RULE: Rule = Rule {
    name: "parameters",
    codes: &[
        code::PARAMETER_DISABLED,
        code::PARAMETER_COUNT_EXCEED_LIMIT,
        code::CMD_PARAM_EMPTY_KEY,
        code::PARAMETER_KEY_EXCEED_LIMIT,
        code::PARAMETER_KEY_DUPLICATE,
        code::PARAMETER_NOT_MATCHED,
        code::PARAMETER_TYPE_NOT_SUPPORTED,
        code::LINT_TYPE_MISMATCH,
    ],
    check,
};

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
                code::PARAMETER_DISABLED,
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
                code::PARAMETER_COUNT_EXCEED_LIMIT,
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
    let used: Option<HashSet<&str>> = if enabled {
        custom_names(req).map(|names| names.iter().map(|n| n.key.as_str()).collect())
    } else {
        None
    };
    let key_max = usize::try_from(PARAMETER_KEY_MAX_CHARS).unwrap_or(64);
    let mut seen: BTreeMap<String, (Range<usize>, &str)> = BTreeMap::new();
    for e in entries {
        if !supported(&e.value) {
            out.push(
                Diagnostic::new(
                    code::PARAMETER_TYPE_NOT_SUPPORTED,
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
                    code::CMD_PARAM_EMPTY_KEY,
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
                    code::PARAMETER_KEY_EXCEED_LIMIT,
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
                    code::PARAMETER_KEY_DUPLICATE,
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
            && !used.contains(name_key(key).as_str())
        {
            let reserved = key
                .get(..key.find("::").unwrap_or(0))
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("acs"));
            let d = if reserved {
                Diagnostic::new(
                    code::PARAMETER_NOT_MATCHED,
                    params.span(&e.key),
                    format!("`{key}` cannot be set in Parameters: `ACS::` names are built-in parameters, which Cloud Assistant fills itself, not custom parameters"),
                )
                .help("remove the key; `{{ACS::InstanceId}}` and the other built-ins need no value")
            } else {
                Diagnostic::new(
                    code::PARAMETER_NOT_MATCHED,
                    params.span(&e.key),
                    format!("parameter `{key}` is not used in CommandContent (no `{{{{{key}}}}}` there)"),
                )
                .help("remove the key, or use it in CommandContent as `{{name}}` (names are case-insensitive)")
            };
            out.push(d.param("Parameters"));
        }
    }
}
