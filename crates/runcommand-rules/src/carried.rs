//! What the requests a template carries share: an OOS step ([`crate::oos`]) and a ROS resource
//! ([`crate::ros`]) are both read into a synthetic request mapping whose keys are the API's names;
//! their unknown values hold back the findings about absent parameters, values taken from a
//! template parameter's `Default` are said so, and helps and fixes are written with the carrier's
//! own property names.

use std::collections::BTreeSet;
use std::ops::Range;

use runcommand_catalog::{Code, code};
use runcommand_document::{Node, Scalar, ScalarKind, Style, Value};

use crate::diagnostic::{Diagnostic, Related};

/// Findings that say something is missing, with the parameters whose unknown value holds them
/// back.
pub(crate) const ABSENCE: &[(Code, &[&str])] = &[
    (
        code::MISSING_PARAM_INSTANCE_ID,
        &["InstanceId", "ResourceTag"],
    ),
    (code::MISSING_PARAM_FREQUENCY, &["Frequency"]),
    (code::WINDOWS_PASSWORD_NAME_MISSED, &["WindowsPasswordName"]),
    (code::PARAMETER_DISABLED, &["EnableParameter"]),
    (code::LINT_TEMPLATE_NOT_ENABLED, &["EnableParameter"]),
    (code::LINT_PARAMETER_NOT_PROVIDED, &["Parameters"]),
    (
        code::PARAMETER_NOT_MATCHED,
        &["CommandContent", "EnableParameter"],
    ),
];

/// A plain string scalar at `span`.
pub(crate) fn scalar(text: String, span: Range<usize>) -> Node {
    Node {
        span,
        value: Value::Scalar(Scalar {
            text,
            style: Style::Plain,
            kind: ScalarKind::Str,
        }),
    }
}

/// A value taken from a template parameter's `Default`: where the default is, whose it is, and
/// where the step or resource uses it.
pub(crate) struct FromDefault {
    pub(crate) default: Range<usize>,
    pub(crate) name: String,
    pub(crate) used: Range<usize>,
}

/// Says of a finding on a value taken from a template parameter's `Default` that it is so, and
/// where the `who` ("step", "resource") takes it.
pub(crate) fn note_default(d: &mut Diagnostic, defaults: &[FromDefault], who: &str) {
    if let Some(from) = defaults
        .iter()
        .find(|f| f.default.start <= d.span.start && d.span.end <= f.default.end)
    {
        d.message.push_str(&format!(
            " (this value is the `Default` of template parameter `{}`)",
            from.name
        ));
        d.related.push(Related {
            path: None,
            span: from.used.clone(),
            position: None,
            message: format!("the {who} takes the default of `{}` here", from.name),
        });
    }
}

/// A key node renamed to an API parameter (keeping its span and style).
pub(crate) fn renamed(key: &Node, api: &str) -> Node {
    Node {
        span: key.span.clone(),
        value: Value::Scalar(Scalar {
            text: api.to_owned(),
            style: key.as_scalar().map_or(Style::Plain, |k| k.style),
            kind: ScalarKind::Str,
        }),
    }
}

/// In an OOS action step or a ROS resource, rewrites the API's names written as keys in a finding's
/// help and fix (`ContentEncoding: Base64`, `"ContentEncoding": ...`) to the carrier's
/// property names, so that applying a fix writes a property the template language knows. A help or fix that would write
/// a parameter the action has no property for is replaced: help never advises a property the
/// action lacks.
pub(crate) fn to_properties(
    d: &mut Diagnostic,
    action: &str,
    properties: &[(&'static str, Option<&'static str>)],
    instead: &str,
) {
    let lacking = [
        d.help.as_deref(),
        d.fix.as_ref().map(|f| f.replacement.as_str()),
    ]
    .into_iter()
    .flatten()
    .find_map(|s| lacking_property(s, properties));
    if let Some(api) = lacking {
        d.fix = None;
        d.help = Some(format!(
            "{action} has no property for the API's `{api}`{instead}"
        ));
        return;
    }
    if let Some(h) = &mut d.help {
        *h = rename_keys(h, properties);
    }
    if let Some(f) = &mut d.fix {
        f.title = rename_keys(&f.title, properties);
        f.replacement = rename_keys(&f.replacement, properties);
    }
}

/// Whether `s` is an API name written as a key at byte `i` (followed by `:` or `":`, not preceded
/// by a letter or digit).
fn key_at(s: &str, i: usize, api: &str) -> bool {
    s.get(..i)
        .and_then(|t| t.chars().next_back())
        .is_none_or(|b| !b.is_alphanumeric())
        && s.get(i..)
            .and_then(|t| t.strip_prefix(api))
            .is_some_and(|rest| rest.starts_with(':') || rest.starts_with("\":"))
}

/// The first API parameter written as a key in `s` that the action has no property for.
fn lacking_property(
    s: &str,
    properties: &[(&'static str, Option<&'static str>)],
) -> Option<&'static str> {
    runcommand_catalog::PARAMETERS
        .iter()
        .map(|p| p.name)
        .filter(|api| !properties.iter().any(|(_, a)| *a == Some(*api)))
        .find(|api| s.match_indices(api).any(|(i, _)| key_at(s, i, api)))
}

/// Replaces each API name written as a key by its lower-camel property.
pub(crate) fn rename_keys(s: &str, properties: &[(&'static str, Option<&'static str>)]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    'outer: while let Some(c) = s.get(i..).and_then(|t| t.chars().next()) {
        for (prop, api) in properties {
            if let Some(api) = api
                && key_at(s, i, api)
            {
                out.push_str(prop);
                i += api.len();
                continue 'outer;
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Whether a finding about something missing is held back: `RegionId` (the template's or the
/// stack's region), or a parameter whose value is unknown until run time.
pub(crate) fn held_back<S: std::borrow::Borrow<str> + Ord>(
    d: &Diagnostic,
    unknown: &BTreeSet<S>,
) -> bool {
    if d.code == code::LINT_MISSING_PARAMETER {
        return d
            .parameter
            .as_deref()
            .is_some_and(|p| p == "RegionId" || unknown.contains(p));
    }
    ABSENCE
        .iter()
        .any(|(code, params)| d.code == *code && params.iter().any(|p| unknown.contains(*p)))
}
