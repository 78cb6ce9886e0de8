//! `ResourceGroupId` (decisions.md §3): not matching `^rg-[0-9a-z]+$` →
//! `InvalidResourceGroup.NotFound` (a malformed ID can never be found), as a **warning**: the
//! pattern is inferred from the reference's example values only (evidence rule). Whether the
//! group exists needs an inventory.

use super::Rule;
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use runcommand_catalog::code;
use runcommand_catalog::param;

pub(super) const RULE: Rule = Rule {
    name: "resource-group",
    codes: &[code::INVALID_RESOURCE_GROUP_NOT_FOUND],
    check,
};

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(r) = req.str(param::RESOURCE_GROUP_ID) else {
        return;
    };
    let ok = r.value.strip_prefix("rg-").is_some_and(|s| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if !ok {
        out.push(
            Diagnostic::new(
                code::INVALID_RESOURCE_GROUP_NOT_FOUND,
                r.span(),
                format!(
                    "`{}` does not look like a resource group ID (`rg-` followed by lowercase letters and digits, as in every documented example)",
                    r.value
                ),
            )
            .param("ResourceGroupId")
            .inferred(),
        );
    }
}
