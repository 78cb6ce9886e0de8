//! `Timeout` (decisions.md §3): integer seconds, default 60. Above 86400 →
//! `InvalidTimeout.ExceedLimit` as a **warning** (the code is documented, the bound is not: 86400
//! is that of Simple Application Server's RunCommand, another product); below 10 → `Lint.TimeoutTooShort` (info: InvokeCommand's bound, while
//! Alibaba's own agent calls RunCommand with 5); zero or negative → `Lint.TypeMismatch` (error).
//! Limits from `rules/limits.toml`.

use runcommand_catalog::code;
use runcommand_catalog::limits::{TIMEOUT_MAX, TIMEOUT_MIN};
use runcommand_catalog::param;

use super::Rule;
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;

pub(super) const RULE: Rule = Rule {
    name: "timeout",
    codes: &[
        code::INVALID_TIMEOUT_EXCEED_LIMIT,
        code::LINT_TIMEOUT_TOO_SHORT,
        code::LINT_TYPE_MISMATCH,
    ],
    check,
};

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some((t, node)) = req.int(param::TIMEOUT) else {
        return;
    };
    let span = node.span.clone();
    if t <= 0 {
        out.push(
            Diagnostic::new(
                code::LINT_TYPE_MISMATCH,
                span,
                format!("Timeout must be a positive number of seconds, found {t}"),
            )
            .param("Timeout")
            .help(format!("use {TIMEOUT_MIN} to {TIMEOUT_MAX} seconds")),
        );
    } else if t > TIMEOUT_MAX {
        out.push(
            Diagnostic::new(
                code::INVALID_TIMEOUT_EXCEED_LIMIT,
                span,
                format!("Timeout is {t} seconds, above {TIMEOUT_MAX} (one day): the API has an upper limit (InvalidTimeout.ExceedLimit) that it does not document, and one day is the bound of Simple Application Server's RunCommand"),
            )
            .param("Timeout")
            .inferred(),
        );
    } else if t < TIMEOUT_MIN {
        out.push(
            Diagnostic::new(
                code::LINT_TIMEOUT_TOO_SHORT,
                span,
                format!("Timeout is {t} seconds: the command is stopped after less than {TIMEOUT_MIN} seconds"),
            )
            .param("Timeout")
            .help(format!("most commands need at least {TIMEOUT_MIN} seconds (the documented minimum of InvokeCommand and ROS)")),
        );
    }
}
