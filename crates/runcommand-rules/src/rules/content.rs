//! `CommandContent` encoding and size (decisions.md §3 "ContentEncoding Base64", "KB").
//!
//! - With `ContentEncoding: Base64` (any case) the content must decode as standard Base64
//!   (RFC 4648 §4, with padding, no whitespace, no URL-safe characters) → `CmdContent.DecodeError`
//!   at the first offending character (or the whole value for a bad length).
//! - Size ([`size`], the one place it is computed): the Base64 length of the content (its literal
//!   length when Base64, else 4·⌈n/3⌉ of its UTF-8 bytes) plus the Base64 length (4·⌈n/3⌉) of the
//!   `Parameters` JSON, against 18432 bytes with `KeepCommand: true` or 24576 otherwise →
//!   `CmdContent.ExceedLimit`. The `Parameters` JSON is measured as sent: a string's own length,
//!   or a mapping's compact JSON serialization (no spaces, keys in the order written, strings
//!   escaped as serde_json does: `"` `\` and control characters only); an absent, mistyped or
//!   empty `Parameters` counts 0 (decisions.md: `{}` counts as absent).
//! - `Lint.LooksBase64Encoded` (warning): the content is PlainText (ContentEncoding absent, or
//!   anything but Base64, which the API reads as PlainText) and yet is valid standard Base64 of at
//!   least 8 characters that decodes to readable UTF-8 text (no control characters other than tab
//!   and line breaks, at least one letter or digit). The decoded text is never printed (it may
//!   hold credentials). The fix (not safe: it changes what runs) sets `ContentEncoding: Base64`:
//!   it replaces an existing ContentEncoding value, or inserts the key before `CommandContent`
//!   (a line with the same indentation in a YAML block mapping, `"ContentEncoding": "Base64", `
//!   in JSON, `ContentEncoding: Base64, ` in a YAML flow mapping).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use runcommand_catalog::code;
use runcommand_catalog::limits::{
    CONTENT_MAX_BYTES, CONTENT_MAX_BYTES_KEEP, ROS_CONTENT_MAX_BYTES,
};
use runcommand_catalog::param;
use runcommand_document::{Style, Value};

use super::{Rule, map};
use crate::Context;
use crate::diagnostic::{Diagnostic, Fix};
use crate::request::script::{is_base64, script, size};
use crate::request::{Request, Text};

pub(super) const RULE: Rule = Rule {
    name: "command-content",
    codes: &[
        code::CMD_CONTENT_DECODE_ERROR,
        code::CMD_CONTENT_EXCEED_LIMIT,
        code::LINT_LOOKS_BASE64_ENCODED,
    ],
    check,
};

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(content) = req.str(param::COMMAND_CONTENT) else {
        return;
    };
    let base64 = is_base64(req);
    // The script is decoded once for every rule; only when that failed is the content decoded
    // again here, for the reason.
    if base64
        && script(req).is_none()
        && let Err(e) = STANDARD.decode(content.value.as_bytes())
    {
        use base64::DecodeError as E;
        // Evidence rule: a character outside the alphabet can never be decoded; whitespace,
        // missing or misplaced padding and a non-canonical last character are accepted by some
        // decoders (Go's skips line breaks, Java's needs no padding), so that the service rejects
        // them is inferred.
        let inferred = match e {
            E::InvalidByte(_, b) => b.is_ascii_whitespace() || b == b'=',
            E::InvalidLength(_) | E::InvalidLastSymbol { .. } | E::InvalidPadding => true,
        };
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
                code::CMD_CONTENT_DECODE_ERROR,
                span,
                format!("ContentEncoding is Base64 but CommandContent does not decode: {why}"),
            )
            .param("CommandContent")
            .help("encode the script with standard Base64 (RFC 4648, with padding), or set ContentEncoding: PlainText")
            .severity(if inferred { crate::Severity::Warning } else { crate::Severity::Error }),
        );
    }
    let keep = req.bool(param::KEEP_COMMAND).unwrap_or(false);
    // A ROS resource documents its own, lower limit (ros.rs).
    let limit = if req.ros.is_some() {
        ROS_CONTENT_MAX_BYTES
    } else if keep {
        CONTENT_MAX_BYTES_KEEP
    } else {
        CONTENT_MAX_BYTES
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let (content_size, params_size) = size(req, content.value);
    let total = content_size + params_size;
    if total > limit {
        let what = if params_size > 0 {
            format!(
                "CommandContent and Parameters are {total} bytes once Base64-encoded ({content_size} + {params_size})"
            )
        } else {
            format!("CommandContent is {total} bytes once Base64-encoded")
        };
        out.push(
            Diagnostic::new(
                code::CMD_CONTENT_EXCEED_LIMIT,
                content.span(),
                if req.ros.is_some() {
                    format!(
                        "{what}; ROS documents a limit of {limit} bytes ({} KB) for {}",
                        limit / 1024,
                        req.ros.map_or("", |r| r.resource)
                    )
                } else {
                    format!(
                        "{what}; the limit is {limit} bytes ({} KB) with KeepCommand {keep}",
                        limit / 1024
                    )
                },
            )
            .param("CommandContent")
            .help("move the script to a file on the instance or in OSS and run it from a short command"),
        );
    }
    if !base64 {
        looks_base64(req, &content, out);
    }
}

/// Whether `text` is standard Base64 (at least 8 characters) of readable UTF-8 text. Most
/// content is a script, rejected at its first space before anything is decoded.
fn is_encoded_text(text: &str) -> bool {
    let alphabet = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
    if text.len() < 8 || !text.len().is_multiple_of(4) || !text.bytes().all(alphabet) {
        return false;
    }
    let Ok(bytes) = STANDARD.decode(text.as_bytes()) else {
        return false;
    };
    let Ok(decoded) = String::from_utf8(bytes) else {
        return false;
    };
    decoded
        .chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        && decoded.chars().any(char::is_alphanumeric)
}

fn looks_base64(req: &Request<'_>, content: &Text<'_>, out: &mut Vec<Diagnostic>) {
    if !is_encoded_text(content.value) {
        return;
    }
    let mut d = Diagnostic::new(
        code::LINT_LOOKS_BASE64_ENCODED,
        content.span(),
        "CommandContent is valid Base64 of readable text but ContentEncoding is PlainText: the instance would run the encoded text itself",
    )
    .param("CommandContent")
    .help("if the script is Base64-encoded, set `ContentEncoding: Base64`");
    if let Some(fix) = encoding_fix(req) {
        d = d.fix(fix);
    }
    out.push(d);
}

/// The edit that sets `ContentEncoding: Base64`.
fn encoding_fix(req: &Request<'_>) -> Option<Fix> {
    let title = "Set `ContentEncoding: Base64`".to_owned();
    if let Some(p) = req.get(param::CONTENT_ENCODING) {
        let node = req.node.get("ContentEncoding").map(|e| &e.value)?;
        let replacement = match &node.value {
            Value::Scalar(s) if matches!(s.style, Style::DoubleQuoted | Style::JsonString) => {
                "\"Base64\""
            }
            Value::Scalar(s) if s.style == Style::SingleQuoted => "'Base64'",
            _ => "Base64",
        };
        return Some(Fix {
            title,
            span: p.value_span.clone(),
            replacement: replacement.to_owned(),
            safe: false,
        });
    }
    let key = req.get(param::COMMAND_CONTENT)?.key_span.clone();
    let json = req
        .node
        .get("CommandContent")
        .and_then(|e| e.key.as_scalar())
        .is_some_and(|s| s.style == Style::JsonString);
    let at = key.start;
    let line_start = req.text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let prefix = req.text.get(line_start..at)?;
    let (span, replacement) = if json {
        (at..at, "\"ContentEncoding\": \"Base64\", ".to_owned())
    } else if req.text.get(req.node.span.clone())?.starts_with('{') {
        (at..at, "ContentEncoding: Base64, ".to_owned())
    } else if prefix.chars().all(|c| c == ' ' || c == '\t') {
        (
            line_start..line_start,
            format!("{prefix}ContentEncoding: Base64\n"),
        )
    } else {
        // The key follows `- ` (a request in a YAML list): keep the column on the next line.
        let indent: String = prefix
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        (at..at, format!("ContentEncoding: Base64\n{indent}"))
    };
    Some(Fix {
        title,
        span,
        replacement,
        safe: false,
    })
}
