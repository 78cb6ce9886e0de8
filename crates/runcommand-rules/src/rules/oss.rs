//! `OssOutputDelivery` (decisions.md §3 "OssOutputDelivery"), parsed by `runcommand-oss`:
//! `oss://BUCKET`, `oss://BUCKET/` or `oss://BUCKET/PREFIX`.
//!
//! - A missing or wrong scheme, an empty bucket → `InvalidParameter.OssOutputDelivery`; a bucket
//!   not matching `^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$` → the same code as a **warning** (evidence
//!   rule: OSS's naming conventions are another product's rule, and the reference's own example
//!   `oss://testBucket/testPrefix` breaks them);
//! - a prefix starting with `/` or `\`, over 254 characters (the rules of the sibling
//!   ModifyCloudAssistantSettings and of OSS object names), or with control characters →
//!   `InvalidOssOutputDelivery.KeyPrefixMalformed` as a **warning**: the code is documented, what
//!   triggers it is not.
//!
//! Every error the parser finds is reported (a wrong scheme and a bad bucket are two findings),
//! with the parser's message, underlining the scheme, the bucket or the prefix part at fault
//! (mapped through the scalar's source map). Choice: an error with an empty span (no scheme at
//! all, an empty bucket) underlines the whole value, which is what has to change.

use runcommand_catalog::code;
use runcommand_catalog::param;
use runcommand_oss::{OssErrorKind, OssIssue, parse};

use super::{Rule, map};
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;

pub(super) const RULE: Rule = Rule {
    name: "oss-output-delivery",
    codes: &[
        code::INVALID_PARAMETER_OSS_OUTPUT_DELIVERY,
        code::INVALID_OSS_OUTPUT_DELIVERY_KEY_PREFIX_MALFORMED,
    ],
    check,
};

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(value) = req.str(param::OSS_OUTPUT_DELIVERY) else {
        return;
    };
    let Err(errors) = parse(value.value) else {
        return;
    };
    for e in errors {
        let code = match e.kind() {
            OssErrorKind::InvalidDelivery => code::INVALID_PARAMETER_OSS_OUTPUT_DELIVERY,
            OssErrorKind::KeyPrefixMalformed => {
                code::INVALID_OSS_OUTPUT_DELIVERY_KEY_PREFIX_MALFORMED
            }
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
        let mut d = Diagnostic::new(code, span, e.message)
            .param("OssOutputDelivery")
            .help(help);
        // Evidence rule: the scheme's case, OSS's bucket naming (another product's rule, which the reference's own
        // example `oss://testBucket/testPrefix` breaks), the 254-character prefix bound of a
        // sibling API and the control-character ban are inferred.
        let upper_scheme = e.issue == OssIssue::WrongScheme
            && value
                .value
                .get(..6)
                .is_some_and(|s| s.eq_ignore_ascii_case("oss://"));
        if upper_scheme
            || matches!(
                e.issue,
                OssIssue::InvalidBucket(_)
                    | OssIssue::PrefixLeadingSlash
                    | OssIssue::PrefixTooLong { .. }
                    | OssIssue::PrefixControlCharacter { .. }
            )
        {
            d = d.inferred();
        }
        out.push(d);
    }
}
