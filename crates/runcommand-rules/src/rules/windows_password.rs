//! `WindowsPasswordName.Missed` (decisions.md §3 "Windows users"): `Type` RunBatScript or
//! RunPowerShellScript with a `Username` other than `System` (any case) and no
//! `WindowsPasswordName` (an empty one counts as absent; an empty `Username` is the default user,
//! System). Reported on the `Username` value, which is what makes the password necessary.

use super::Rule;
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use runcommand_catalog::code;
use runcommand_catalog::param;

pub(super) const RULE: Rule = Rule {
    name: "windows-password",
    codes: &[code::WINDOWS_PASSWORD_NAME_MISSED],
    check,
};

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let windows = req
        .str(param::TYPE)
        .is_some_and(|t| matches!(t.value, "RunBatScript" | "RunPowerShellScript"));
    // `WindowsPasswordName: ""` counts as absent; one of another type was reported already.
    let password = req.get(param::WINDOWS_PASSWORD_NAME).is_some_and(|_| {
        req.str(param::WINDOWS_PASSWORD_NAME)
            .is_none_or(|p| !p.value.is_empty())
    });
    if !windows || password {
        return;
    }
    let Some(user) = req.str(param::USERNAME) else {
        return;
    };
    // `Username: ""` is the default user, System on Windows.
    if user.value.is_empty() || user.value.eq_ignore_ascii_case("System") {
        return;
    }
    out.push(
        Diagnostic::new(
            code::WINDOWS_PASSWORD_NAME_MISSED,
            user.span(),
            format!(
                "running as `{}` on Windows needs WindowsPasswordName (the Parameter Store name of the user's password)",
                user.value
            ),
        )
        .param("WindowsPasswordName")
        .help("add `WindowsPasswordName: <name of an encrypted OOS parameter>`, or run as System"),
    );
}
