//! The base protocol: `Content-Length` framed JSON-RPC messages.
//!
//! Our own reader, because `lsp-server`'s fails hard (its reader thread stops) on a body that is
//! not JSON or not a message. This one never gives up on the stream: a bad header block or an
//! oversized body is reported as [`Frame::Malformed`] and reading resumes at the next
//! `Content-Length` header; a body that is not JSON, or not a JSON-RPC message, is classified by
//! [`classify`] so the server can answer `ParseError` / `InvalidRequest` (id `null` when unknown).
//! Writing uses `lsp_server::Message::write` (same framing).

use std::io::{self, BufRead, Read, Write};

use lsp_server::{ErrorCode, RequestId};
use serde_json::Value;

/// Bodies larger than this are skipped (and reported): 256 MiB.
pub const MAX_BODY: usize = 256 << 20;
/// Header lines longer than this are junk: 64 KiB.
const MAX_HEADER_LINE: u64 = 64 << 10;

/// What the reader found.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A message body.
    Body(Vec<u8>),
    /// Something that is not a well-framed message, and why.
    Malformed(String),
}

/// Reads frames from a byte stream.
pub struct FrameReader<R> {
    inner: R,
    /// After a malformed frame, junk is skipped silently until the next header block.
    resyncing: bool,
}

impl<R: BufRead> FrameReader<R> {
    /// A reader over a stream.
    pub fn new(inner: R) -> Self {
        FrameReader {
            inner,
            resyncing: false,
        }
    }

    /// The next frame; `Ok(None)` at the end of the stream.
    pub fn next_frame(&mut self) -> io::Result<Option<Frame>> {
        let mut length: Option<Result<usize, String>> = None;
        let mut in_headers = false;
        let mut line = Vec::new();
        loop {
            line.clear();
            let n = (&mut self.inner)
                .take(MAX_HEADER_LINE)
                .read_until(b'\n', &mut line)?;
            if n == 0 {
                return Ok(None);
            }
            if !line.ends_with(b"\n") && n as u64 >= MAX_HEADER_LINE {
                // An overlong line: junk (the rest of it is read as further lines).
                in_headers = false;
                length = None;
                if !self.resyncing {
                    self.resyncing = true;
                    return Ok(Some(Frame::Malformed("overlong header line".into())));
                }
                continue;
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                if !in_headers {
                    continue; // blank lines between messages are tolerated
                }
                break;
            }
            // A header line; junk before a `Content-Length` on the same line is dropped.
            let lower = text.to_ascii_lowercase();
            if let Some(at) = lower.find("content-length:") {
                let junk = at > 0 && !in_headers;
                let value = text
                    .get(at + "content-length:".len()..)
                    .unwrap_or("")
                    .trim();
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("invalid Content-Length `{value}`")),
                );
                in_headers = true;
                if junk && !self.resyncing {
                    self.resyncing = true;
                    return Ok(Some(Frame::Malformed(
                        "bytes outside a message before a header".into(),
                    )));
                }
                continue;
            }
            if in_headers && is_header(text) {
                continue; // Content-Type and friends
            }
            // Junk: not a header.
            in_headers = false;
            length = None;
            if !self.resyncing {
                self.resyncing = true;
                return Ok(Some(Frame::Malformed(format!(
                    "expected a `Content-Length` header, found {:?}",
                    truncate(text, 60)
                ))));
            }
        }
        self.resyncing = false;
        match length {
            None => {
                self.resyncing = true;
                Ok(Some(Frame::Malformed("no Content-Length header".into())))
            }
            Some(Err(why)) => {
                self.resyncing = true;
                Ok(Some(Frame::Malformed(why)))
            }
            Some(Ok(n)) if n > MAX_BODY => {
                let skipped = io::copy(&mut (&mut self.inner).take(n as u64), &mut io::sink())?;
                if (skipped as usize) < n {
                    return Ok(None);
                }
                Ok(Some(Frame::Malformed(format!(
                    "message of {n} bytes is larger than the limit of {MAX_BODY}"
                ))))
            }
            Some(Ok(n)) => {
                let mut body = vec![0; n];
                match self.inner.read_exact(&mut body) {
                    Ok(()) => Ok(Some(Frame::Body(body))),
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Ok(None),
                    Err(e) => Err(e),
                }
            }
        }
    }
}

fn is_header(text: &str) -> bool {
    text.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// A message from the client, as the server sees it.
#[derive(Debug)]
pub enum Incoming {
    /// A request.
    Request {
        /// Its id.
        id: RequestId,
        /// The method.
        method: String,
        /// The params (`null` when absent).
        params: Value,
    },
    /// A notification.
    Notification {
        /// The method.
        method: String,
        /// The params (`null` when absent).
        params: Value,
    },
    /// A response to a request of ours (we send none; ignored).
    Response,
    /// Not a valid message: answer with this error (and this id, `null` when unknown).
    Invalid {
        /// The id to answer with.
        id: Value,
        /// `ParseError` or `InvalidRequest`.
        code: ErrorCode,
        /// Why.
        message: String,
    },
}

/// Classifies a body: JSON-RPC 2.0 request, notification, response, or an error to answer.
pub fn classify(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Incoming::Invalid {
                id: Value::Null,
                code: ErrorCode::ParseError,
                message: format!("parse error: {e}"),
            };
        }
    };
    let invalid = |id: Value, message: &str| Incoming::Invalid {
        id,
        code: ErrorCode::InvalidRequest,
        message: format!("invalid request: {message}"),
    };
    let Value::Object(mut obj) = value else {
        return invalid(Value::Null, "not a JSON-RPC message object");
    };
    let raw_id = obj.remove("id");
    // The id to answer with: the message's when it is a valid id.
    let answer_id = match &raw_id {
        Some(v @ (Value::String(_) | Value::Number(_))) => v.clone(),
        _ => Value::Null,
    };
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid(answer_id, "`jsonrpc` must be \"2.0\"");
    }
    let params = obj.remove("params").unwrap_or(Value::Null);
    if !matches!(params, Value::Null | Value::Object(_) | Value::Array(_)) {
        return invalid(answer_id, "`params` must be an object or an array");
    }
    match obj.remove("method") {
        Some(Value::String(method)) => match raw_id {
            None => Incoming::Notification { method, params },
            Some(id) => match serde_json::from_value::<RequestId>(id) {
                Ok(id) => Incoming::Request { id, method, params },
                Err(_) => invalid(answer_id, "`id` must be an integer or a string"),
            },
        },
        Some(_) => invalid(answer_id, "`method` must be a string"),
        None if raw_id.is_some() && (obj.contains_key("result") || obj.contains_key("error")) => {
            Incoming::Response
        }
        None => invalid(answer_id, "no `method`"),
    }
}

/// Writes one framed message.
pub fn write_message(out: &mut impl Write, msg: lsp_server::Message) -> io::Result<()> {
    msg.write(out)
}

/// Writes an error response whose id may be `null` (which `lsp_server::Response` cannot hold).
pub fn write_error(
    out: &mut impl Write,
    id: &Value,
    code: ErrorCode,
    message: &str,
) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": code as i32, "message": message},
    })
    .to_string();
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &str) -> Vec<Frame> {
        let mut r = FrameReader::new(input.as_bytes());
        let mut out = Vec::new();
        while let Ok(Some(f)) = r.next_frame() {
            out.push(f);
        }
        out
    }

    #[test]
    fn framing_resyncs_after_junk() {
        let f = frames(
            "Content-Length: 2\r\n\r\n{}garbage\r\nmore\r\nContent-Length: 3\r\nContent-Type: x\r\n\r\n[1]\nContent-Length: zz\r\n\r\n{}Content-Length: 1\r\n\r\n1",
        );
        assert_eq!(
            f,
            vec![
                Frame::Body(b"{}".to_vec()),
                Frame::Malformed("expected a `Content-Length` header, found \"garbage\"".into()),
                Frame::Body(b"[1]".to_vec()),
                Frame::Malformed("invalid Content-Length `zz`".into()),
                Frame::Body(b"1".to_vec()),
            ]
        );
        // Truncated body: end of stream.
        assert!(frames("Content-Length: 10\r\n\r\n{}").is_empty());
    }

    #[test]
    fn classification() {
        let c = |s: &str| classify(s.as_bytes());
        assert!(matches!(
            c("{"),
            Incoming::Invalid {
                code: ErrorCode::ParseError,
                ..
            }
        ));
        assert!(matches!(
            c(r#"{"jsonrpc":"2.0","id":4}"#),
            Incoming::Invalid {
                code: ErrorCode::InvalidRequest,
                id: Value::Number(_),
                ..
            }
        ));
        assert!(matches!(
            c(r#"{"jsonrpc":"2.0","id":1,"method":"x"}"#),
            Incoming::Request { .. }
        ));
        assert!(matches!(
            c(r#"{"jsonrpc":"2.0","method":"x","params":[]}"#),
            Incoming::Notification { .. }
        ));
        assert!(matches!(
            c(r#"{"jsonrpc":"2.0","id":1,"result":null}"#),
            Incoming::Response
        ));
        assert!(matches!(
            c(r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#),
            Incoming::Invalid {
                code: ErrorCode::InvalidRequest,
                ..
            }
        ));
        assert!(matches!(
            c("[]"),
            Incoming::Invalid {
                id: Value::Null,
                ..
            }
        ));
    }
}
