//! Instances (decisions.md §3 "InstanceId / ResourceTag"):
//! - both `InstanceId` and `ResourceTag` given (non-empty) → `InvalidResourceTag.ConflictWithInstanceIds`,
//!   on the `ResourceTag` key;
//! - neither (or only empty lists) → `MissingParam.InstanceId`;
//! - more than 100 IDs → `InstanceIds.ExceedLimit`, on the 101st;
//! - an ID not matching `^(i|mi)-[0-9a-z]+$` → `InvalidInstance.NotFound` (the API answers it
//!   for IDs it cannot find; a malformed one can never be found); more than 30 characters after
//!   the prefix → the same code as a warning (evidence rule: only OOS actions declare 30);
//! - a repeated ID → `Lint.DuplicateInstanceId` (warning), on the repetition.

use runcommand_catalog::code;
use std::collections::HashMap;

use runcommand_catalog::limits::{INSTANCE_ID_SUFFIX_MAX, INSTANCE_IDS_MAX};
use runcommand_catalog::param;

use super::Rule;
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::{PValue, Request};

pub(super) const RULE: Rule = Rule {
    name: "instances",
    codes: &[
        code::INVALID_RESOURCE_TAG_CONFLICT_WITH_INSTANCE_IDS,
        code::MISSING_PARAM_INSTANCE_ID,
        code::INSTANCE_IDS_EXCEED_LIMIT,
        code::INVALID_INSTANCE_NOT_FOUND,
        code::LINT_DUPLICATE_INSTANCE_ID,
    ],
    check,
};

/// Why an instance ID is malformed (and whether that reason is only inferred), or `None` if it
/// is well-formed. The prefix and the alphabet come from the resource ID format (documented);
/// the suffix length only from OOS actions' `MaxLength: 30` (inferred: a warning).
fn malformed(id: &str) -> Option<(String, bool)> {
    let Some((prefix, rest)) = id.split_once('-') else {
        return Some((
            "an instance ID starts with `i-` (or `mi-` for a managed instance)".into(),
            false,
        ));
    };
    if prefix != "i" && prefix != "mi" {
        return Some((
            format!("`{prefix}-` is not an instance ID prefix; use `i-` (or `mi-`)"),
            false,
        ));
    }
    if rest.is_empty() {
        return Some((format!("nothing follows `{prefix}-`"), false));
    }
    // Every ID of every request: bytes first, characters only for the message.
    if !rest
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && let Some(c) = rest
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
    {
        return Some((
            format!(
                "`{}` cannot appear in an instance ID (lowercase letters and digits only)",
                c.escape_default()
            ),
            false,
        ));
    }
    let max = usize::try_from(INSTANCE_ID_SUFFIX_MAX).unwrap_or(30);
    if rest.len() > max {
        return Some((
            format!(
                "{} characters follow `{prefix}-`, and instance IDs have at most {max} there (the bound OOS actions declare; the API reference documents none)",
                rest.len()
            ),
            true,
        ));
    }
    None
}

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let ids = match req.get(param::INSTANCE_ID).map(|p| &p.value) {
        Some(PValue::List(l)) => Some(l.as_slice()),
        Some(_) => None, // wrong type, already reported
        None => Some(&[][..]),
    };
    let tags_given = match req.get(param::RESOURCE_TAG).map(|p| &p.value) {
        Some(PValue::Tags(t)) => !t.is_empty(),
        Some(_) => true,
        None => false,
    };
    let Some(ids) = ids else {
        return;
    };
    if !ids.is_empty()
        && tags_given
        && let (Some(rt), Some(ii)) = (req.get(param::RESOURCE_TAG), req.get(param::INSTANCE_ID))
    {
        {
            let mut d = Diagnostic::new(
                code::INVALID_RESOURCE_TAG_CONFLICT_WITH_INSTANCE_IDS,
                rt.key_span.clone(),
                "ResourceTag and InstanceId cannot both be given",
            )
            .param("ResourceTag")
            .help("select instances either by ID or by tag");
            d = d.related_here(ii.key_span.clone(), "InstanceId is given here");
            out.push(d);
        }
    }
    if ids.is_empty() && !tags_given {
        let span = match req.get(param::INSTANCE_ID) {
            Some(p) => p.value_span.clone(),
            None => req
                .node
                .as_map()
                .and_then(|m| m.first())
                .map_or(req.node.span.clone(), |e| e.key.span.clone()),
        };
        let mut d = Diagnostic::new(
            code::MISSING_PARAM_INSTANCE_ID,
            span,
            "no instance is selected: give InstanceId (1 to 100 IDs) or ResourceTag",
        )
        .param("InstanceId")
        .help("add `InstanceId: [i-...]`");
        // A misspelt key (`InstanceID`, `InstanceIds`) is the likely cause: point at it.
        if let Some((key, node)) = req
            .near_miss_key("InstanceId")
            .or_else(|| req.near_miss_key("ResourceTag"))
        {
            let name = if key.to_ascii_lowercase().starts_with("instance") {
                "InstanceId"
            } else {
                "ResourceTag"
            };
            d = d
                .help(format!(
                    "did you mean to write `{name}`? `{key}` is no parameter"
                ))
                .related_here(node.span.clone(), format!("`{key}` is written here"));
        }
        out.push(d);
    }
    // A ROS resource takes fewer (ros.rs).
    let (max, per) = match req.ros {
        Some(r) => (
            r.instance_ids_max,
            format!("in InstanceIds of {}", r.resource),
        ),
        None => (INSTANCE_IDS_MAX, "per request".to_owned()),
    };
    let max = usize::try_from(max).unwrap_or(100);
    if let Some(extra) = ids.get(max) {
        out.push(
            Diagnostic::new(
                code::INSTANCE_IDS_EXCEED_LIMIT,
                extra.span(),
                format!(
                    "{} instance IDs are given; at most {max} are allowed {per}",
                    ids.len()
                ),
            )
            .param("InstanceId")
            .help("split the request, or select the instances with ResourceTag"),
        );
    }
    // A repetition's first occurrence: searched among the IDs before it for a request's handful
    // (an equal ID is equally well-formed), hashed for a long list.
    let large = ids.len() > 32;
    let mut seen: HashMap<&str, &crate::request::Text<'_>> = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        if let Some((why, inferred)) = malformed(id.value) {
            let mut d = Diagnostic::new(
                code::INVALID_INSTANCE_NOT_FOUND,
                id.span(),
                format!("`{}` is not a valid instance ID: {why}", id.value),
            )
            .param("InstanceId");
            if inferred {
                d = d.inferred();
            }
            out.push(d);
            continue;
        }
        let first = if large {
            seen.get(id.value).copied()
        } else {
            // The IDs of a request mostly share their length and prefix and differ at the
            // end: the last byte decides before the whole strings are compared.
            let last = id.value.as_bytes().last();
            ids.get(..i)
                .unwrap_or(&[])
                .iter()
                .find(|t| t.value.as_bytes().last() == last && t.value == id.value)
        };
        if let Some(first) = first {
            let mut d = Diagnostic::new(
                code::LINT_DUPLICATE_INSTANCE_ID,
                id.span(),
                format!("instance `{}` is listed twice", id.value),
            )
            .param("InstanceId")
            .help("remove the repetition");
            d = d.related_here(first.span(), "first listed here");
            out.push(d);
        } else if large {
            seen.insert(id.value, id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::malformed;

    #[test]
    fn instance_id_format() {
        assert!(malformed("i-bp185dy2o3o6neg1234").is_none());
        assert!(malformed("mi-hz018jrc1o01234").is_none());
        assert!(malformed("i-").is_some());
        assert!(malformed("i-ABC").is_some());
        assert!(malformed("x-abc").is_some());
        assert!(malformed("bp185").is_some());
        assert!(malformed(&format!("i-{}", "a".repeat(31))).is_some());
    }
}
