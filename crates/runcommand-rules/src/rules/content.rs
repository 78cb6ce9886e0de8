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

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use runcommand_catalog::limits::{CONTENT_MAX_BYTES, CONTENT_MAX_BYTES_KEEP};
use runcommand_catalog::param;
use runcommand_document::source_map::ScalarMap;
use runcommand_document::{Style, Value};
use runcommand_template::Scan;

use super::{Rule, map};
use crate::Context;
use crate::diagnostic::{Diagnostic, Fix};
use crate::request::{Request, Text};

pub(super) const RULE: Rule = Rule {
    name: "command-content",
    codes: &[
        "CmdContent.DecodeError",
        "CmdContent.ExceedLimit",
        "Lint.LooksBase64Encoded",
    ],
    check,
};

/// `CommandContent` as the instance receives it.
pub(crate) struct Script<'a> {
    /// The value as written.
    pub value: Text<'a>,
    /// The script text: the value, or its Base64 decoding.
    pub text: Cow<'a, str>,
    /// Whether `text` was Base64-decoded (then offsets in it cannot be mapped to the file).
    pub decoded: bool,
    /// The value's source map, built at the first use (a script may have many findings).
    map: OnceCell<ScalarMap>,
}

impl Script<'_> {
    /// The file span of a byte range of [`Script::text`]: mapped exactly for PlainText content,
    /// the whole value for decoded Base64 content.
    pub fn span(&self, req: &Request<'_>, range: Range<usize>) -> Range<usize> {
        if self.decoded {
            self.value.span()
        } else {
            self.map
                .get_or_init(|| ScalarMap::new(req.text, self.value.node))
                .map(range)
        }
    }
}

/// The script of a request: `None` without `CommandContent`, or when Base64 content does not
/// decode to UTF-8 text (`CmdContent.DecodeError` says why, or the bytes are binary). Decoded
/// once per request, at the first rule that asks.
pub(crate) fn script<'r, 'a>(req: &'r Request<'a>) -> Option<&'r Script<'a>> {
    req.derived
        .script
        .get_or_init(|| decode_script(req))
        .as_ref()
}

/// The `{{ }}` placeholders of the script ([`runcommand_template::scan`]), with the script;
/// scanned once per request.
pub(crate) fn placeholders<'r, 'a>(req: &'r Request<'a>) -> Option<(&'r Script<'a>, &'r Scan)> {
    let script = script(req)?;
    let scan = req
        .derived
        .scan
        .get_or_init(|| Some(runcommand_template::scan(&script.text)))
        .as_ref()?;
    Some((script, scan))
}

fn decode_script<'a>(req: &Request<'a>) -> Option<Script<'a>> {
    let value = req.str(param::COMMAND_CONTENT)?;
    if is_base64(req) {
        let bytes = STANDARD.decode(value.value.as_bytes()).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(Script {
            value,
            text: Cow::Owned(text),
            decoded: true,
            map: OnceCell::new(),
        })
    } else {
        Some(Script {
            value,
            text: Cow::Borrowed(value.value),
            decoded: false,
            map: OnceCell::new(),
        })
    }
}

/// The Base64 length of `n` bytes (with padding).
fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// The size the API counts against the `CmdContent.ExceedLimit` limit, as (content, Parameters):
/// the Base64 length of the content and the Base64 length of the `Parameters` JSON.
pub(crate) fn size(req: &Request<'_>, content: &str) -> (usize, usize) {
    let params = super::parameters::json_len(req);
    (
        encoded_size(content, is_base64(req)),
        if params == 0 { 0 } else { base64_len(params) },
    )
}

/// Whether the request declares Base64 content.
pub(crate) fn is_base64(req: &Request<'_>) -> bool {
    req.str(param::CONTENT_ENCODING)
        .is_some_and(|e| e.value.eq_ignore_ascii_case("Base64"))
}

/// The Base64-encoded size of the content as the API counts it.
pub(crate) fn encoded_size(content: &str, base64: bool) -> usize {
    if base64 {
        content.len()
    } else {
        base64_len(content.len())
    }
}

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
                "CmdContent.DecodeError",
                span,
                format!("ContentEncoding is Base64 but CommandContent does not decode: {why}"),
            )
            .param("CommandContent")
            .help("encode the script with standard Base64 (RFC 4648, with padding), or set ContentEncoding: PlainText")
            .severity(if inferred { crate::Severity::Warning } else { crate::Severity::Error }),
        );
    }
    let keep = req.bool(param::KEEP_COMMAND).unwrap_or(false);
    let limit = if keep {
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
                "CmdContent.ExceedLimit",
                content.span(),
                format!(
                    "{what}; the limit is {limit} bytes ({} KB) with KeepCommand {keep}",
                    limit / 1024
                ),
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
        "Lint.LooksBase64Encoded",
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
