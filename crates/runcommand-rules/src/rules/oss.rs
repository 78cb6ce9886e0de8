//! `OssOutputDelivery` (decisions.md §3 "OssOutputDelivery"), parsed by `runcommand-oss`:
//! `oss://BUCKET`, `oss://BUCKET/` or `oss://BUCKET/PREFIX`.
//!
//! - A missing or wrong scheme, an empty bucket, or a bucket not matching
//!   `^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$` → `InvalidParameter.OssOutputDelivery`;
//! - a prefix starting with `/` or `\`, over 254 characters, or with control characters →
//!   `InvalidOssOutputDelivery.KeyPrefixMalformed`.
//!
//! Every error the parser finds is reported (a wrong scheme and a bad bucket are two findings),
//! with the parser's message, underlining the scheme, the bucket or the prefix part at fault
//! (mapped through the scalar's source map). Choice: an error with an empty span (no scheme at
//! all, an empty bucket) underlines the whole value, which is what has to change.

use runcommand_catalog::param;
use runcommand_oss::{OssErrorKind, parse};

use super::{Rule, map};
use crate::diagnostic::Diagnostic;
use crate::request::Request;

pub(super) const RULE: Rule = Rule {
    name: "oss-output-delivery",
    codes: &[
        "InvalidParameter.OssOutputDelivery",
        "InvalidOssOutputDelivery.KeyPrefixMalformed",
    ],
    check,
};

fn check(req: &Request<'_>, out: &mut Vec<Diagnostic>) {
    let Some(value) = req.str(param::OSS_OUTPUT_DELIVERY) else {
        return;
    };
    let Err(errors) = parse(value.value) else {
        return;
    };
    for e in errors {
        let code = match e.kind() {
            OssErrorKind::InvalidDelivery => "InvalidParameter.OssOutputDelivery",
            OssErrorKind::KeyPrefixMalformed => "InvalidOssOutputDelivery.KeyPrefixMalformed",
        };
        let span = if e.span.is_empty() {
            value.span()
        } else {
            map(req, &value, e.span.clone())
        };
        let help = match e.kind() {
            OssErrorKind::InvalidDelivery => {
                "write `oss://BUCKET/PREFIX` with a bucket of 3 to 63 lowercase letters, digits and `-`"
            }
            OssErrorKind::KeyPrefixMalformed => {
                "the prefix after `oss://BUCKET/` must not start with `/` or `\\`, must be at most 254 characters and must have no control characters"
            }
        };
        out.push(
            Diagnostic::new(code, span, e.message)
                .param("OssOutputDelivery")
                .help(help),
        );
    }
}
