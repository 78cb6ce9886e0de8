//! `Tag` and `ResourceTag` (decisions.md §3 "Tag / ResourceTag"), with the same rules and their
//! own codes:
//! - more than 20 pairs → `NumberExceed.Tags` / `NumberExceed.ResourceTags` (on the 21st);
//! - a missing or empty key → `MissingParameter.TagKey` / `.ResourceTagKey`;
//! - a key over 64 characters, starting with `aliyun` or `acs:` (case-sensitive), or containing
//!   `http://` / `https://` → `InvalidTagKey.Malformed` / `InvalidResourceTagKey.Malformed`;
//! - a value over 128 characters or containing `http://` / `https://` →
//!   `InvalidTagValue.Malformed` / `InvalidResourceTagValue.Malformed`;
//! - a repeated key → `Duplicate.TagKey` / `Duplicate.ResourceTagKey` (on the repetition).

use runcommand_catalog::{Code, code};
use std::collections::HashMap;

use runcommand_catalog::limits::{TAG_KEY_MAX_CHARS, TAG_VALUE_MAX_CHARS, TAGS_MAX};

use super::{Rule, map};
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::{PValue, Request, Text};

pub(super) const RULE: Rule = Rule {
    name: "tags",
    codes: &[
        code::NUMBER_EXCEED_TAGS,
        code::MISSING_PARAMETER_TAG_KEY,
        code::INVALID_TAG_KEY_MALFORMED,
        code::INVALID_TAG_VALUE_MALFORMED,
        code::DUPLICATE_TAG_KEY,
        code::NUMBER_EXCEED_RESOURCE_TAGS,
        code::MISSING_PARAMETER_RESOURCE_TAG_KEY,
        code::INVALID_RESOURCE_TAG_KEY_MALFORMED,
        code::INVALID_RESOURCE_TAG_VALUE_MALFORMED,
        code::DUPLICATE_RESOURCE_TAG_KEY,
    ],
    check,
};

struct Codes {
    param: &'static str,
    count: Code,
    missing: Code,
    key: Code,
    value: Code,
    duplicate: Code,
}

const TAG: Codes = Codes {
    param: "Tag",
    count: code::NUMBER_EXCEED_TAGS,
    missing: code::MISSING_PARAMETER_TAG_KEY,
    key: code::INVALID_TAG_KEY_MALFORMED,
    value: code::INVALID_TAG_VALUE_MALFORMED,
    duplicate: code::DUPLICATE_TAG_KEY,
};

const RESOURCE_TAG: Codes = Codes {
    param: "ResourceTag",
    count: code::NUMBER_EXCEED_RESOURCE_TAGS,
    missing: code::MISSING_PARAMETER_RESOURCE_TAG_KEY,
    key: code::INVALID_RESOURCE_TAG_KEY_MALFORMED,
    value: code::INVALID_RESOURCE_TAG_VALUE_MALFORMED,
    duplicate: code::DUPLICATE_RESOURCE_TAG_KEY,
};

/// The first URL scheme in a text, with its byte range.
fn url(text: &str) -> Option<std::ops::Range<usize>> {
    // Most keys and values hold no `:` at all: no search for the schemes then.
    if !text.as_bytes().contains(&b':') {
        return None;
    }
    ["http://", "https://"]
        .iter()
        .filter_map(|s| text.find(s).map(|i| i..i + s.len()))
        .min_by_key(|r| r.start)
}

fn too_long(
    req: &Request<'_>,
    t: &Text<'_>,
    max: usize,
) -> Option<(std::ops::Range<usize>, usize)> {
    let n = t.value.chars().count();
    (n > max).then(|| {
        let cut = t
            .value
            .char_indices()
            .nth(max)
            .map_or(t.value.len(), |(i, _)| i);
        (map(req, t, cut..t.value.len()), n)
    })
}

fn check_list(req: &Request<'_>, c: &Codes, out: &mut Vec<Diagnostic>) {
    let Some(PValue::Tags(tags)) = req.get(c.param).map(|p| &p.value) else {
        return;
    };
    let param = c.param;
    let max = usize::try_from(TAGS_MAX).unwrap_or(20);
    if let Some(extra) = tags.get(max) {
        out.push(
            Diagnostic::new(
                c.count,
                extra.span.clone(),
                format!(
                    "{} {param} pairs are given; at most {max} are allowed",
                    tags.len()
                ),
            )
            .param(param),
        );
    }
    let key_max = usize::try_from(TAG_KEY_MAX_CHARS).unwrap_or(64);
    let value_max = usize::try_from(TAG_VALUE_MAX_CHARS).unwrap_or(128);
    let mut seen: HashMap<&str, std::ops::Range<usize>> = HashMap::new();
    for tag in tags {
        match &tag.key {
            None => out.push(
                Diagnostic::new(
                    c.missing,
                    tag.span.clone(),
                    format!("this {param} pair has no Key"),
                )
                .param(param)
                .help("add `Key: <name>`"),
            ),
            Some(k) if k.value.is_empty() => out.push(
                Diagnostic::new(c.missing, k.span(), format!("the {param} key is empty"))
                    .param(param),
            ),
            Some(k) => {
                let problem = if let Some((span, n)) = too_long(req, k, key_max) {
                    Some((
                        span,
                        format!(
                            "the {param} key is {n} characters long; at most {key_max} are allowed"
                        ),
                    ))
                } else if k.value.starts_with("aliyun") || k.value.starts_with("acs:") {
                    let p = if k.value.starts_with("aliyun") {
                        "aliyun"
                    } else {
                        "acs:"
                    };
                    Some((
                        map(req, k, 0..p.len()),
                        format!(
                            "a {param} key cannot start with `{p}` (reserved for Alibaba Cloud)"
                        ),
                    ))
                } else {
                    url(k.value).map(|r| {
                        (
                            map(req, k, r),
                            format!("a {param} key cannot contain `http://` or `https://`"),
                        )
                    })
                };
                if let Some((span, message)) = problem {
                    out.push(Diagnostic::new(c.key, span, message).param(param));
                } else if let Some(first) = seen.get(k.value) {
                    let mut d = Diagnostic::new(
                        c.duplicate,
                        k.span(),
                        format!("{param} key `{}` is given twice", k.value),
                    )
                    .param(param);
                    d = d.related_here(first.clone(), "first given here");
                    out.push(d);
                } else {
                    seen.insert(k.value, k.span());
                }
            }
        }
        if let Some(v) = &tag.value {
            let problem = if let Some((span, n)) = too_long(req, v, value_max) {
                Some((
                    span,
                    format!(
                        "the {param} value is {n} characters long; at most {value_max} are allowed"
                    ),
                ))
            } else {
                url(v.value).map(|r| {
                    (
                        map(req, v, r),
                        format!("a {param} value cannot contain `http://` or `https://`"),
                    )
                })
            };
            if let Some((span, message)) = problem {
                out.push(Diagnostic::new(c.value, span, message).param(param));
            }
        }
    }
}

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    check_list(req, &TAG, out);
    check_list(req, &RESOURCE_TAG, out);
}
