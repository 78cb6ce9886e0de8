//! Maps positions inside a scalar's decoded text back to the file.
//!
//! A finding inside a string (a bad cron field, a bad `{{name}}`) is found on the decoded text;
//! the user needs it underlined in the file, where the string may be quoted with escapes, folded
//! over several lines, or indented in a block scalar. [`map_range`] aligns the decoded text with
//! the raw token: every decoded character is matched to the source characters it came from (an
//! escape such as `\n` or `\u00e9`, a doubled `''`, a line break folded to a space), skipping only
//! the whitespace the style removes (indentation, folded breaks, block headers). Where the
//! alignment fails (it should not), the whole token is returned, never a wrong place.

use std::ops::Range;

use crate::tree::{Node, Style, Value};

/// Maps a byte range of `node`'s decoded text to a byte range of the file `text`.
/// For non-scalar nodes, or if alignment fails, returns the node's whole span.
///
/// Each call aligns the whole scalar; to map many ranges of one scalar, build a [`ScalarMap`]
/// once.
pub fn map_range(text: &str, node: &Node, range: Range<usize>) -> Range<usize> {
    ScalarMap::new(text, node).map(range)
}

/// A scalar's alignment with the file, built once ([`ScalarMap::new`], linear in the token's
/// length) to map any number of ranges ([`ScalarMap::map`], logarithmic).
///
/// A map can also describe a text composed of several pieces of the file
/// ([`ScalarMap::composed`]): a script a template function builds from strings and references.
#[derive(Clone, Debug)]
pub struct ScalarMap {
    /// The node's span in the file.
    span: Range<usize>,
    /// For each decoded character, in order, the file range it came from; `None` when the node
    /// is no scalar or the alignment failed.
    map: Option<Vec<(usize, Range<usize>)>>,
}

impl ScalarMap {
    /// Aligns `node`'s decoded text with its token in the file `text`.
    pub fn new(text: &str, node: &Node) -> ScalarMap {
        ScalarMap {
            span: node.span.clone(),
            map: char_ranges(text, node),
        }
    }

    /// A map given by its pieces: for each character of a composed text (by its byte offset,
    /// ascending), the file range it comes from. `span` is where the whole text is (returned for
    /// a range no character covers).
    pub fn composed(span: Range<usize>, chars: Vec<(usize, Range<usize>)>) -> ScalarMap {
        ScalarMap {
            span,
            map: Some(chars),
        }
    }

    /// Maps a byte range of the decoded text to a byte range of the file (the whole token when
    /// the node is no scalar or the alignment failed).
    pub fn map(&self, range: Range<usize>) -> Range<usize> {
        let Some(map) = &self.map else {
            return self.span.clone();
        };
        let first = map.partition_point(|(v, _)| *v < range.start);
        let start = map.get(first).map_or(self.span.end, |(_, r)| r.start);
        if range.end <= range.start {
            return start..start;
        }
        let last = map.partition_point(|(v, _)| *v < range.end);
        let end = last
            .checked_sub(1)
            .and_then(|i| map.get(i))
            .map_or(start, |(_, r)| r.end);
        start..end.max(start)
    }
}

/// For each character of `node`'s decoded text (by its byte offset in the text), the byte range
/// of the file `text` it came from; `None` for a node that is no scalar, or when the alignment
/// fails.
pub fn char_ranges(text: &str, node: &Node) -> Option<Vec<(usize, Range<usize>)>> {
    let (Value::Scalar(s), Some(raw)) = (&node.value, text.get(node.span.clone())) else {
        return None;
    };
    let base = node.span.start;
    let mut map = align(raw, s.style, &s.text)?;
    for (_, r) in &mut map {
        *r = base + r.start..base + r.end;
    }
    Some(map)
}

/// For each decoded character (by its byte offset in `value`), the raw byte range it came from.
fn align(raw: &str, style: Style, value: &str) -> Option<Vec<(usize, Range<usize>)>> {
    let escapes = matches!(style, Style::DoubleQuoted | Style::JsonString);
    let json = style == Style::JsonString;
    let single = style == Style::SingleQuoted;
    let mut sp = match style {
        Style::DoubleQuoted | Style::JsonString | Style::SingleQuoted => 1,
        // The span may or may not include the `|`/`>` header line; skip it when it does.
        Style::Literal | Style::Folded if raw.starts_with(['|', '>']) => {
            raw.find('\n').map_or(raw.len(), |i| i + 1)
        }
        Style::Literal | Style::Folded => 0,
        Style::Plain | Style::JsonBare => 0,
    };
    let block = matches!(style, Style::Literal | Style::Folded);
    // A block scalar's span starts at its first non-empty line: the line breaks of leading empty
    // lines are in the value but not in the span; they map to the span's start.
    let mut leading = true;
    let mut out = Vec::with_capacity(value.len());
    for (vi, c) in value.char_indices() {
        leading &= c == '\n';
        loop {
            let rest = raw.get(sp..)?;
            let sc = rest.chars().next()?;
            if escapes && sc == '\\' {
                let (decoded, len) = decode_escape(rest, json)?;
                match decoded {
                    Some(d) if d == c => {
                        out.push((vi, sp..sp + len));
                        sp += len;
                        break;
                    }
                    None => {
                        sp += len;
                        continue;
                    }
                    Some(_) => return None,
                }
            }
            if single && sc == '\'' && c == '\'' && rest.as_bytes().get(1) == Some(&b'\'') {
                out.push((vi, sp..sp + 2));
                sp += 2;
                break;
            }
            if sc == c {
                out.push((vi, sp..sp + sc.len_utf8()));
                sp += sc.len_utf8();
                break;
            }
            if c == ' ' && sc == '\n' && !json {
                out.push((vi, sp..sp + 1));
                sp += 1;
                break;
            }
            if matches!(sc, ' ' | '\t' | '\r' | '\n') && !json {
                sp += 1;
                continue;
            }
            if block && leading && c == '\n' {
                out.push((vi, sp..sp));
                break;
            }
            return None;
        }
    }
    Some(out)
}

/// Decodes the escape at the start of `s` (which starts with `\`). Returns the character (or
/// `None` for an escaped line break, which produces nothing) and the escape's length in bytes.
fn decode_escape(s: &str, json: bool) -> Option<(Option<char>, usize)> {
    let mut chars = s.chars();
    chars.next()?;
    let e = chars.next()?;
    let hex = |n: usize| -> Option<u32> {
        let h = s.get(2..2 + n)?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(h, 16).ok()
    };
    let simple = |c: char| Some((Some(c), 2));
    match e {
        '"' => simple('"'),
        '\\' => simple('\\'),
        '/' => simple('/'),
        'b' => simple('\u{8}'),
        'f' => simple('\u{c}'),
        'n' => simple('\n'),
        'r' => simple('\r'),
        't' => simple('\t'),
        'u' => {
            let hi = hex(4)?;
            if (0xD800..0xDC00).contains(&hi) && s.get(6..8) == Some("\\u") {
                let lo = u32::from_str_radix(s.get(8..12)?, 16).ok()?;
                let c =
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?))?;
                return Some((Some(c), 12));
            }
            Some((Some(char::from_u32(hi)?), 6))
        }
        _ if json => None,
        '0' => simple('\0'),
        'a' => simple('\u{7}'),
        'v' => simple('\u{b}'),
        'e' => simple('\u{1b}'),
        ' ' => simple(' '),
        '\t' => simple('\t'),
        'N' => simple('\u{85}'),
        '_' => simple('\u{a0}'),
        'L' => simple('\u{2028}'),
        'P' => simple('\u{2029}'),
        'x' => Some((Some(char::from_u32(hex(2)?)?), 4)),
        'U' => Some((Some(char::from_u32(hex(8)?)?), 10)),
        '\n' => Some((None, 2)),
        '\r' => Some((None, if s.get(2..3) == Some("\n") { 3 } else { 2 })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Format, LoadOptions, load};

    /// Loads `src`, takes the value of key `k`, and maps the range of `needle` in its decoded
    /// text back to the file; returns the file slice.
    fn mapped<'a>(src: &'a str, format: Format, needle: &str) -> &'a str {
        let f = load(src.as_bytes(), format, LoadOptions::default());
        assert!(f.error.is_none(), "{:?}", f.error);
        let root = f.documents[0].root.as_ref().unwrap();
        let node = &root.as_map().unwrap()[0].value;
        let text = &node.as_scalar().unwrap().text;
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in {text:?}"));
        let r = map_range(src, node, at..at + needle.len());
        &src[r]
    }

    #[test]
    fn plain() {
        assert_eq!(mapped("k: 0 15 25 * * ?\n", Format::Yaml, "25"), "25");
    }

    #[test]
    fn plain_folded_over_lines() {
        assert_eq!(mapped("k: echo\n  one two\n", Format::Yaml, "one"), "one");
        assert_eq!(
            mapped("k: echo\n  one two\n", Format::Yaml, "o o"),
            "o\n  o"
        );
    }

    #[test]
    fn double_quoted_with_escapes() {
        let src = "k: \"a\\tb \\u00e9 {{x}}\"\n";
        assert_eq!(mapped(src, Format::Yaml, "{{x}}"), "{{x}}");
        assert_eq!(mapped(src, Format::Yaml, "\t"), "\\t");
        assert_eq!(mapped(src, Format::Yaml, "é"), "\\u00e9");
        let src = "k: \"one \\\n  two\"\n";
        assert_eq!(mapped(src, Format::Yaml, "two"), "two");
    }

    #[test]
    fn single_quoted() {
        let src = "k: 'it''s {{y}}'\n";
        assert_eq!(mapped(src, Format::Yaml, "'"), "''");
        assert_eq!(mapped(src, Format::Yaml, "{{y}}"), "{{y}}");
    }

    #[test]
    fn literal_and_folded_blocks() {
        let src = "k: |\n  #!/bin/bash\n  echo {{name}}\n";
        assert_eq!(mapped(src, Format::Yaml, "{{name}}"), "{{name}}");
        let src = "k: |\n\n  \n  #!/bin/sh\n  x\n";
        assert_eq!(mapped(src, Format::Yaml, "#!/bin/sh"), "#!/bin/sh");
        let src = "k: >-\n  first\n  second {{z}}\n";
        assert_eq!(mapped(src, Format::Yaml, "t s"), "t\n  s");
        assert_eq!(mapped(src, Format::Yaml, "{{z}}"), "{{z}}");
    }

    #[test]
    fn json_strings() {
        let src = r#"{"k": "a\"b\n{{w}} \ud83d\ude00 x"}"#;
        assert_eq!(mapped(src, Format::Json, "{{w}}"), "{{w}}");
        assert_eq!(mapped(src, Format::Json, "\""), "\\\"");
        assert_eq!(mapped(src, Format::Json, "😀"), "\\ud83d\\ude00");
        assert_eq!(mapped(src, Format::Json, "x"), "x");
    }

    #[test]
    fn non_scalar_gives_the_whole_node() {
        let src = "k: [1]\n";
        let f = load(src.as_bytes(), Format::Yaml, LoadOptions::default());
        let root = f.documents[0].root.as_ref().unwrap();
        let node = &root.as_map().unwrap()[0].value;
        assert_eq!(&src[map_range(src, node, 0..1)], "[1]");
    }
}
