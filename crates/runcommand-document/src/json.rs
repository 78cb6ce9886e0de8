//! A strict JSON reader (RFC 8259) straight to the spanned tree: iterative (an explicit stack),
//! duplicate keys kept, exact spans, a depth limit. Hand-written so that no input can recurse,
//! and so that string spans cover the quotes for the source map.

use std::ops::Range;

use crate::tree::{Entry, Node, Scalar, ScalarKind, Style, Value};
use crate::{Document, LoadError, LoadErrorKind};

enum Frame {
    Array {
        start: usize,
        items: Vec<Node>,
    },
    Object {
        start: usize,
        entries: Vec<Entry>,
        key: Option<Node>,
    },
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    base: usize,
}

type Res<T> = Result<T, LoadError>;

impl Reader<'_> {
    fn err<T>(&self, at: usize, message: impl Into<String>) -> Res<T> {
        let at = self.base + at;
        Err(LoadError {
            kind: LoadErrorKind::Syntax,
            span: at..at,
            message: format!("invalid JSON: {}", message.into()),
        })
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn describe_here(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "the end of the file".to_owned(),
            Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
            Some(c) => format!("`{c}`"),
        }
    }

    /// Reads a string starting at the opening quote; returns the decoded text.
    fn string(&mut self) -> Res<String> {
        let start = self.pos;
        self.pos += 1;
        // The decoded text is never longer than the raw one: one allocation, never grown (a
        // script with an escaped line break on every line would otherwise grow it many times).
        let mut out = String::with_capacity(self.raw_end(self.pos).saturating_sub(self.pos));
        loop {
            let Some(b) = self.peek() else {
                return self.err(start, "unterminated string");
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let esc = self.pos;
                    self.pos += 1;
                    let Some(e) = self.peek() else {
                        return self.err(esc, "unterminated escape");
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4(esc)?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.bytes.get(self.pos) == Some(&b'\\')
                                    && self.bytes.get(self.pos + 1) == Some(&b'u')
                                {
                                    self.pos += 2;
                                    let lo = self.hex4(esc)?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return self.err(esc, "invalid UTF-16 surrogate pair");
                                    }
                                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                                } else {
                                    None
                                }
                            } else {
                                char::from_u32(hi)
                            };
                            match c {
                                Some(c) => out.push(c),
                                None => {
                                    return self.err(esc, "lone UTF-16 surrogate in \\u escape");
                                }
                            }
                        }
                        _ => return self.err(esc, "invalid escape sequence"),
                    }
                }
                0x00..=0x1F => {
                    return self.err(
                        self.pos,
                        format!("control character U+{b:04X} in a string must be escaped"),
                    );
                }
                _ => {
                    // Copy a run of ordinary characters at once: up to the next quote or
                    // backslash (a SIMD search), or a control character before it.
                    let run_start = self.pos;
                    let rest = self.bytes.get(run_start..).unwrap_or(&[]);
                    let stop = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
                    let run = rest.get(..stop).unwrap_or(&[]);
                    let len = run.iter().position(|&c| c < 0x20).unwrap_or(stop);
                    self.pos = run_start + len;
                    out.push_str(self.text.get(run_start..self.pos).unwrap_or(""));
                }
            }
        }
    }

    /// Where the string whose body starts at `from` ends: its closing quote (escapes skipped),
    /// or the end of the text.
    fn raw_end(&self, from: usize) -> usize {
        let mut i = from;
        while let Some(k) = self
            .bytes
            .get(i..)
            .and_then(|rest| memchr::memchr2(b'"', b'\\', rest))
        {
            let j = i + k;
            if self.bytes.get(j) == Some(&b'"') {
                return j;
            }
            i = j + 2;
        }
        self.bytes.len()
    }

    fn hex4(&mut self, esc: usize) -> Res<u32> {
        let digits = self.text.get(self.pos..self.pos + 4);
        match digits.and_then(|d| {
            d.bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| u32::from_str_radix(d, 16).ok())
                .flatten()
        }) {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => self.err(esc, "\\u must be followed by four hexadecimal digits"),
        }
    }

    /// Reads a number; returns whether it is an integer.
    fn number(&mut self) -> Res<bool> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                while let Some(b'0'..=b'9') = self.peek() {
                    self.pos += 1;
                }
            }
            _ => return self.err(start, "invalid number"),
        }
        let mut int = true;
        if self.peek() == Some(b'.') {
            int = false;
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return self.err(self.pos, "a digit must follow the decimal point");
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            int = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return self.err(self.pos, "a digit must follow the exponent");
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
        }
        Ok(int)
    }

    fn span(&self, start: usize) -> Range<usize> {
        self.base + start..self.base + self.pos
    }

    fn scalar(&self, start: usize, text: String, style: Style, kind: ScalarKind) -> Node {
        Node {
            span: self.span(start),
            value: Value::Scalar(Scalar { text, style, kind }),
        }
    }
}

fn attach(stack: &mut [Frame], root: &mut Option<Node>, node: Node) {
    match stack.last_mut() {
        Some(Frame::Array { items, .. }) => items.push(node),
        Some(Frame::Object { entries, key, .. }) => {
            if let Some(k) = key.take() {
                entries.push(Entry {
                    key: k,
                    value: node,
                });
            }
        }
        None => *root = Some(node),
    }
}

pub(crate) fn parse(
    text: &str,
    base: usize,
    max_depth: usize,
) -> (Option<Document>, Option<LoadError>) {
    let mut r = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        base,
    };
    match parse_inner(&mut r, max_depth) {
        Ok(root) => (
            Some(Document {
                root,
                span: base..base + text.len(),
            }),
            None,
        ),
        Err(e) => (None, Some(e)),
    }
}

/// The state machine: after a value, expect `,` or a closer; inside an object, expect a key.
fn parse_inner(r: &mut Reader<'_>, max_depth: usize) -> Res<Option<Node>> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    r.skip_ws();
    if r.peek().is_none() {
        return Ok(None);
    }
    // `expect_value`: the next token must be a value (or a closer right after an opener).
    let mut expect_value = true;
    let mut just_opened = false;
    loop {
        r.skip_ws();
        if expect_value {
            // Inside an object with no pending key, a key (string) comes first.
            if let Some(Frame::Object { key, .. }) = stack.last()
                && key.is_none()
            {
                match r.peek() {
                    Some(b'}') if just_opened => {
                        just_opened = false;
                        expect_value = false;
                        continue;
                    }
                    Some(b'"') => {
                        let start = r.pos;
                        let s = r.string()?;
                        let k = r.scalar(start, s, Style::JsonString, ScalarKind::Str);
                        if let Some(Frame::Object { key, .. }) = stack.last_mut() {
                            *key = Some(k);
                        }
                        r.skip_ws();
                        if r.peek() != Some(b':') {
                            let what = r.describe_here();
                            return r
                                .err(r.pos, format!("expected `:` after the key, found {what}"));
                        }
                        r.pos += 1;
                        just_opened = false;
                        continue;
                    }
                    _ => {
                        let what = r.describe_here();
                        return r.err(r.pos, format!("expected a string key, found {what}"));
                    }
                }
            }
            let start = r.pos;
            match r.peek() {
                Some(b']') if just_opened => {
                    just_opened = false;
                    expect_value = false;
                    continue;
                }
                Some(b'{') | Some(b'[') => {
                    if stack.len() >= max_depth {
                        return r.err(start, format!("nesting deeper than {max_depth} levels"));
                    }
                    let obj = r.peek() == Some(b'{');
                    r.pos += 1;
                    stack.push(if obj {
                        Frame::Object {
                            start,
                            entries: Vec::new(),
                            key: None,
                        }
                    } else {
                        Frame::Array {
                            start,
                            items: Vec::new(),
                        }
                    });
                    just_opened = true;
                    continue;
                }
                Some(b'"') => {
                    let s = r.string()?;
                    let n = r.scalar(start, s, Style::JsonString, ScalarKind::Str);
                    attach(&mut stack, &mut root, n);
                }
                Some(b'-' | b'0'..=b'9') => {
                    let int = r.number()?;
                    let t = r.text.get(start..r.pos).unwrap_or("").to_owned();
                    let kind = if int {
                        ScalarKind::Int
                    } else {
                        ScalarKind::Float
                    };
                    let n = r.scalar(start, t, Style::JsonBare, kind);
                    attach(&mut stack, &mut root, n);
                }
                Some(b't' | b'f' | b'n') => {
                    let rest = r.text.get(start..).unwrap_or("");
                    let (word, kind) = if rest.starts_with("true") {
                        ("true", ScalarKind::Bool(true))
                    } else if rest.starts_with("false") {
                        ("false", ScalarKind::Bool(false))
                    } else if rest.starts_with("null") {
                        ("null", ScalarKind::Null)
                    } else {
                        return r.err(start, "expected a value");
                    };
                    r.pos += word.len();
                    let n = r.scalar(start, word.to_owned(), Style::JsonBare, kind);
                    attach(&mut stack, &mut root, n);
                }
                _ => {
                    let what = r.describe_here();
                    return r.err(start, format!("expected a value, found {what}"));
                }
            }
            expect_value = false;
            just_opened = false;
            continue;
        }
        // After a value.
        if stack.is_empty() {
            r.skip_ws();
            if r.peek().is_some() {
                let what = r.describe_here();
                return r.err(
                    r.pos,
                    format!("unexpected {what} after the top-level value"),
                );
            }
            return Ok(root);
        }
        match (r.peek(), stack.last()) {
            (Some(b','), _) => {
                r.pos += 1;
                expect_value = true;
            }
            (Some(b']'), Some(Frame::Array { .. })) | (Some(b'}'), Some(Frame::Object { .. })) => {
                r.pos += 1;
                let node = match stack.pop() {
                    Some(Frame::Array { start, items }) => Node {
                        span: r.span(start),
                        value: Value::Seq(items),
                    },
                    Some(Frame::Object { start, entries, .. }) => Node {
                        span: r.span(start),
                        value: Value::Map(entries),
                    },
                    None => return r.err(r.pos, "unbalanced brackets"),
                };
                attach(&mut stack, &mut root, node);
            }
            (_, Some(frame)) => {
                let want = match frame {
                    Frame::Array { .. } => "`,` or `]`",
                    Frame::Object { .. } => "`,` or `}`",
                };
                let what = r.describe_here();
                return r.err(r.pos, format!("expected {want}, found {what}"));
            }
            (_, None) => return r.err(r.pos, "unbalanced brackets"),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Format, LoadErrorKind, LoadOptions, ScalarKind, load};

    fn j(s: &str) -> crate::LoadedFile {
        load(s.as_bytes(), Format::Json, LoadOptions::default())
    }

    #[test]
    fn objects_arrays_spans_and_duplicates() {
        let src = r#"{"a": [1, 2.5, "x\ny"], "a": {"b": null}, "c": true}"#;
        let f = j(src);
        assert!(f.error.is_none(), "{:?}", f.error);
        let root = f.documents[0].root.as_ref().unwrap();
        let m = root.as_map().unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(&src[m[0].key.span.clone()], "\"a\"");
        let items = m[0].value.as_seq().unwrap();
        assert_eq!(items[0].as_scalar().unwrap().kind, ScalarKind::Int);
        assert_eq!(items[1].as_scalar().unwrap().kind, ScalarKind::Float);
        assert_eq!(items[2].as_scalar().unwrap().text, "x\ny");
        assert_eq!(&src[items[2].span.clone()], r#""x\ny""#);
        assert_eq!(&src[m[1].value.span.clone()], r#"{"b": null}"#);
        assert_eq!(root.span, 0..src.len());
    }

    #[test]
    fn empty_containers() {
        let f = j("[{}, []]");
        assert!(f.error.is_none(), "{:?}", f.error);
    }

    #[test]
    fn strictness() {
        for (src, at) in [
            ("{\"a\": 1,}", 8),
            ("[1 2]", 3),
            ("{'a': 1}", 1),
            ("{\"a\": 01}", 7),
            ("{\"a\": \"\t\"}", 7),
            ("[1] x", 4),
            ("{\"a\" 1}", 5),
            ("\"\\ud800\"", 1),
            ("[tru]", 1),
        ] {
            let e = j(src).error.unwrap_or_else(|| panic!("{src} should fail"));
            assert_eq!(e.kind, LoadErrorKind::Syntax);
            assert_eq!(e.span.start, at, "{src}: {}", e.message);
        }
    }

    #[test]
    fn surrogate_pairs_decode() {
        let f = j(r#""\ud83d\ude00""#);
        let root = f.documents[0].root.as_ref().unwrap();
        assert_eq!(root.as_scalar().unwrap().text, "😀");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let e = j(&"[".repeat(100_000)).error.unwrap();
        assert!(e.message.contains("nesting"));
        let e = j(&"{\"a\":".repeat(100_000)).error.unwrap();
        assert!(e.message.contains("nesting"));
    }

    #[test]
    fn empty_file_has_no_root() {
        let f = j("  \n");
        assert!(f.error.is_none());
        assert!(f.documents[0].root.is_none());
    }
}
