//! Enumerations (decisions.md §3 "Enumerations"): `Type`, `RepeatMode` and `TerminationMode` are
//! case-sensitive; any other spelling gives the `...NotFound` code with the intended value as a
//! fix (equal ignoring case, or a close spelling). `ContentEncoding` is case-insensitive and an
//! unknown value is silently taken as PlainText by the API, so it is `Lint.ContentEncodingFallback`
//! (warning) rather than an error. The valid values come from `rules/parameters.toml`.

use super::Rule;
use crate::Context;
use crate::diagnostic::{Diagnostic, Fix};
use crate::request::Request;
use crate::suggest::did_you_mean;
use runcommand_catalog::{Code, code};
use runcommand_catalog::{ParamId, param};

pub(super) const RULE: Rule = Rule {
    name: "enumerations",
    codes: &[
        code::INVALID_CMD_TYPE_NOT_FOUND,
        code::INVALID_REPEAT_MODE_NOT_FOUND,
        code::INVALID_TERMINATION_MODE_NOT_FOUND,
        code::LINT_CONTENT_ENCODING_FALLBACK,
    ],
    check,
};

const CHECKED: &[(ParamId, Code)] = &[
    (param::TYPE, code::INVALID_CMD_TYPE_NOT_FOUND),
    (param::REPEAT_MODE, code::INVALID_REPEAT_MODE_NOT_FOUND),
    (
        param::TERMINATION_MODE,
        code::INVALID_TERMINATION_MODE_NOT_FOUND,
    ),
    (
        param::CONTENT_ENCODING,
        code::LINT_CONTENT_ENCODING_FALLBACK,
    ),
];

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for &(id, code) in CHECKED {
        let name = id.name();
        let Some(text) = req.str(id) else {
            continue;
        };
        let info = id.info();
        let ok = if info.case_insensitive {
            info.values
                .iter()
                .any(|v| v.eq_ignore_ascii_case(text.value))
        } else {
            info.values.contains(&text.value)
        };
        if ok {
            continue;
        }
        let list = info.values.join(", ");
        let message = if info.case_insensitive {
            format!(
                "`{}` is not a valid {name} ({list}); the API silently uses PlainText instead",
                text.value
            )
        } else {
            format!(
                "`{}` is not a valid {name}; valid values: {list}",
                text.value
            )
        };
        let mut d = Diagnostic::new(code, text.span(), message).param(name);
        // Evidence rule: Type is compared exactly by the agent; for the other enumerations only
        // the spelling is documented, not that another case is rejected.
        if id != param::TYPE
            && info
                .values
                .iter()
                .any(|v| v.eq_ignore_ascii_case(text.value))
        {
            d = d.inferred();
        }
        if let Some(s) = did_you_mean(text.value.trim(), info.values.iter().copied()) {
            d = d.help(format!("did you mean `{s}`?")).fix(Fix {
                title: format!("Replace with `{s}`"),
                span: text.span(),
                replacement: s.to_owned(),
                safe: true,
            });
        } else {
            d = d.help(format!("use one of: {list}"));
            // No single close match: one edit per valid value, for a person to choose.
            for v in info.values {
                d = d.alternative(Fix {
                    title: format!("Replace with `{v}`"),
                    span: text.span(),
                    replacement: (*v).to_owned(),
                    safe: false,
                });
            }
        }
        out.push(d);
    }
}
