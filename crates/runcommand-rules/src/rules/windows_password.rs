//! `WindowsPasswordName.Missed` (decisions.md §3 "Windows users"): `Type` RunBatScript or
//! RunPowerShellScript with a `Username` other than `System` (any case) and no
//! `WindowsPasswordName`. Reported on the `Username` value, which is what makes the password
//! necessary.

use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use runcommand_catalog::param;

pub(super) const RULE: Rule = Rule {
    name: "windows-password",
    codes: &["WindowsPasswordName.Missed"],
    check,
};

fn check(req: &Request<'_>, out: &mut Vec<Diagnostic>) {
    let windows = req
        .str(param::TYPE)
        .is_some_and(|t| matches!(t.value, "RunBatScript" | "RunPowerShellScript"));
    if !windows || req.has(param::WINDOWS_PASSWORD_NAME) {
        return;
    }
    let Some(user) = req.str(param::USERNAME) else {
        return;
    };
    if user.value.eq_ignore_ascii_case("System") {
        return;
    }
    out.push(
        Diagnostic::new(
            "WindowsPasswordName.Missed",
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
