//! `CommandContent` encoding and size (decisions.md §3 "ContentEncoding Base64", "KB").
//!
//! - With `ContentEncoding: Base64` (any case) the content must decode as standard Base64
//!   (RFC 4648 §4, with padding, no whitespace, no URL-safe characters) → `CmdContent.DecodeError`
//!   at the first offending character (or the whole value for a bad length).
//! - Size: the Base64 length of the content (its literal length when Base64, else 4·⌈n/3⌉ of its
//!   UTF-8 bytes) against 18432 bytes with `KeepCommand: true` or 24576 otherwise →
//!   `CmdContent.ExceedLimit`. The templating issue adds the size of `Parameters`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use runcommand_catalog::limits::{CONTENT_MAX_BYTES, CONTENT_MAX_BYTES_KEEP};

use super::{Rule, map};
use crate::diagnostic::Diagnostic;
use crate::request::Request;

pub(super) const RULE: Rule = Rule {
    name: "command-content",
    codes: &["CmdContent.DecodeError", "CmdContent.ExceedLimit"],
    check,
};

/// Whether the request declares Base64 content.
pub(crate) fn is_base64(req: &Request<'_>) -> bool {
    req.str("ContentEncoding")
        .is_some_and(|e| e.value.eq_ignore_ascii_case("Base64"))
}

/// The Base64-encoded size of the content as the API counts it.
pub(crate) fn encoded_size(content: &str, base64: bool) -> usize {
    if base64 {
        content.len()
    } else {
        content.len().div_ceil(3) * 4
    }
}

fn check(req: &Request<'_>, out: &mut Vec<Diagnostic>) {
    let Some(content) = req.str("CommandContent") else {
        return;
    };
    let base64 = is_base64(req);
    if base64 && let Err(e) = STANDARD.decode(content.value.as_bytes()) {
        use base64::DecodeError as E;
        let (range, why) = match e {
            E::InvalidByte(i, b) => (
                Some(i..i + 1),
                if b == b'=' {
                    "padding `=` in the middle".to_owned()
                } else if b.is_ascii_whitespace() {
                    "whitespace or a line break (not allowed in Base64 content)".to_owned()
                } else if b == b'-' || b == b'_' {
                    format!("`{}` (URL-safe Base64; use `+` and `/`)", b as char)
                } else {
                    format!("the character `{}`", char::from(b).escape_default())
                },
            ),
            E::InvalidLength(n) => (
                None,
                format!("a length of {n} characters (not a multiple of 4; padding missing?)"),
            ),
            E::InvalidLastSymbol { offset: i, .. } => {
                (Some(i..i + 1), "a non-canonical last character".to_owned())
            }
            E::InvalidPadding => (None, "wrong padding".to_owned()),
        };
        let span = match range {
            // The offset is into the bytes; step back to a character boundary.
            Some(r) => {
                let mut s = r.start.min(content.value.len());
                while !content.value.is_char_boundary(s) {
                    s -= 1;
                }
                let end = content.value[s..]
                    .chars()
                    .next()
                    .map_or(s, |c| s + c.len_utf8());
                map(req, &content, s..end)
            }
            None => content.span(),
        };
        out.push(
            Diagnostic::new(
                "CmdContent.DecodeError",
                span,
                format!("ContentEncoding is Base64 but CommandContent does not decode: {why}"),
            )
            .param("CommandContent")
            .help("encode the script with standard Base64 (RFC 4648, with padding), or set ContentEncoding: PlainText"),
        );
    }
    let keep = req.bool("KeepCommand").unwrap_or(false);
    let limit = if keep {
        CONTENT_MAX_BYTES_KEEP
    } else {
        CONTENT_MAX_BYTES
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let size = encoded_size(content.value, base64);
    if size > limit {
        out.push(
            Diagnostic::new(
                "CmdContent.ExceedLimit",
                content.span(),
                format!(
                    "CommandContent is {size} bytes once Base64-encoded; the limit is {limit} bytes ({} KB) with KeepCommand {keep}",
                    limit / 1024
                ),
            )
            .param("CommandContent")
            .help("move the script to a file on the instance or in OSS and run it from a short command"),
        );
    }
}
