//! Illegal characters (decisions.md §3): control characters U+0000-U+001F and U+007F in `Name`,
//! `Description` and `WorkingDir` give `InvalidParameterCharacter.CommandName` /
//! `.CommandDescription` / `.CommandWorkingDir`. The reference does not say which characters are
//! illegal; control characters are the ones a name or a path can never sensibly hold. Each value
//! is reported once, at its first control character (mapped through escapes such as `\t`).

use super::{Rule, map};
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use runcommand_catalog::{Code, code};
use runcommand_catalog::{ParamId, param};

pub(super) const RULE: Rule = Rule {
    name: "control-characters",
    codes: &[
        code::INVALID_PARAMETER_CHARACTER_COMMAND_NAME,
        code::INVALID_PARAMETER_CHARACTER_COMMAND_DESCRIPTION,
        code::INVALID_PARAMETER_CHARACTER_COMMAND_WORKING_DIR,
    ],
    check,
};

const CHECKED: &[(ParamId, Code)] = &[
    (param::NAME, code::INVALID_PARAMETER_CHARACTER_COMMAND_NAME),
    (
        param::DESCRIPTION,
        code::INVALID_PARAMETER_CHARACTER_COMMAND_DESCRIPTION,
    ),
    (
        param::WORKING_DIR,
        code::INVALID_PARAMETER_CHARACTER_COMMAND_WORKING_DIR,
    ),
];

/// Whether a character is a control character in the sense of decisions.md.
pub(crate) fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}')
}

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for &(id, code) in CHECKED {
        let name = id.name();
        let Some(text) = req.str(id) else {
            continue;
        };
        if let Some((i, c)) = text.value.char_indices().find(|(_, c)| is_control(*c)) {
            out.push(
                Diagnostic::new(
                    code,
                    map(req, &text, i..i + c.len_utf8()),
                    format!("{name} contains the control character U+{:04X}", c as u32),
                )
                .param(name)
                .help("remove control characters (tabs, line breaks, ...) from the value")
                // Evidence rule: which characters are illegal is not documented ("supports all
                // character sets"); control characters are the inferred guess.
                .inferred(),
            );
        }
    }
}
