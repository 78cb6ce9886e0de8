//! Length limits (decisions.md §3 "Other lengths", "KB"): counted in Unicode characters for
//! `Name` (128, `CmdName.ExceedLimit`), `Description` (512, `CmdDesc.ExceedLimit`), `WorkingDir`
//! (200, `InvalidParameter.WorkingDir`), `Username` (255, `Username.ExceedLimit`) and
//! `WindowsPasswordName` (255, `WindowsPasswordName.ExceedLimit`); `Launcher` in bytes (1024,
//! `InvalidLauncher.LengthLimitExceeded`). The limits are in `rules/parameters.toml` and
//! `rules/limits.toml`. The finding underlines the part past the limit.

use super::{Rule, map};
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use runcommand_catalog::{Code, code};
use runcommand_catalog::{ParamId, param};

pub(super) const RULE: Rule = Rule {
    name: "lengths",
    codes: &[
        code::CMD_NAME_EXCEED_LIMIT,
        code::CMD_DESC_EXCEED_LIMIT,
        code::INVALID_PARAMETER_WORKING_DIR,
        code::USERNAME_EXCEED_LIMIT,
        code::WINDOWS_PASSWORD_NAME_EXCEED_LIMIT,
        code::INVALID_LAUNCHER_LENGTH_LIMIT_EXCEEDED,
    ],
    check,
};

const CHARS: &[(ParamId, Code)] = &[
    (param::NAME, code::CMD_NAME_EXCEED_LIMIT),
    (param::DESCRIPTION, code::CMD_DESC_EXCEED_LIMIT),
    (param::WORKING_DIR, code::INVALID_PARAMETER_WORKING_DIR),
    (param::USERNAME, code::USERNAME_EXCEED_LIMIT),
    (
        param::WINDOWS_PASSWORD_NAME,
        code::WINDOWS_PASSWORD_NAME_EXCEED_LIMIT,
    ),
];

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for &(id, code) in CHARS {
        let name = id.name();
        let (Some(text), Some(max)) = (req.str(id), id.info().max_chars) else {
            continue;
        };
        let max = max as usize;
        // A text has at most as many characters as bytes: most values are counted by length.
        if text.value.len() <= max {
            continue;
        }
        let count = text.value.chars().count();
        if count > max {
            let cut = text
                .value
                .char_indices()
                .nth(max)
                .map_or(text.value.len(), |(i, _)| i);
            out.push(
                Diagnostic::new(
                    code,
                    map(req, &text, cut..text.value.len()),
                    format!("{name} is {count} characters long; at most {max} are allowed"),
                )
                .param(name)
                .help(format!("shorten it by {} characters", count - max)),
            );
        }
    }
    if let Some(text) = req.str(param::LAUNCHER) {
        let max = usize::try_from(runcommand_catalog::limits::LAUNCHER_MAX_BYTES).unwrap_or(1024);
        let len = text.value.len();
        if len > max {
            let mut cut = max;
            while !text.value.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push(
                Diagnostic::new(
                    code::INVALID_LAUNCHER_LENGTH_LIMIT_EXCEEDED,
                    map(req, &text, cut..len),
                    format!("Launcher is {len} bytes long; at most {max} bytes (1 KB) are allowed"),
                )
                .param("Launcher"),
            );
        }
    }
}
