//! `ClientToken` format (decisions.md §3 "ClientToken"): non-ASCII characters or more than 64
//! characters → `InvalidClientToken.Malformed`, at the first non-ASCII character or at the part
//! past the limit. Reuse across requests (`IdempotentParameterMismatch`) is a cross-request check
//! done by the templating/idempotency issue.

use runcommand_catalog::code;
use runcommand_catalog::param;

use super::{Rule, map};
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;

pub(super) const RULE: Rule = Rule {
    name: "client-token",
    codes: &[code::INVALID_CLIENT_TOKEN_MALFORMED],
    check,
};

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(t) = req.str(param::CLIENT_TOKEN) else {
        return;
    };
    let max = param::CLIENT_TOKEN.info().max_chars.unwrap_or(64) as usize;
    if let Some((i, c)) = t.value.char_indices().find(|(_, c)| !c.is_ascii()) {
        out.push(
            Diagnostic::new(
                code::INVALID_CLIENT_TOKEN_MALFORMED,
                map(req, &t, i..i + c.len_utf8()),
                format!("ClientToken may hold only ASCII characters; `{c}` is not ASCII"),
            )
            .param("ClientToken")
            .help("use a UUID, e.g. 123e4567-e89b-12d3-a456-426655440000"),
        );
        return;
    }
    let n = t.value.len();
    if n > max {
        out.push(
            Diagnostic::new(
                code::INVALID_CLIENT_TOKEN_MALFORMED,
                map(req, &t, max..n),
                format!("ClientToken is {n} characters long; at most {max} are allowed"),
            )
            .param("ClientToken")
            .help("use a UUID, e.g. 123e4567-e89b-12d3-a456-426655440000"),
        );
    }
}
