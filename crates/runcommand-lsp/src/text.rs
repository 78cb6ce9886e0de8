//! Positions (LSP line/character in the negotiated encoding) to byte offsets and back, and the
//! line helpers the text-based features (hover, completion) use.

use lsp_types::{Position, Range};
use runcommand_document::LineIndex;

/// How LSP `character` offsets are counted (negotiated at `initialize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16 code units: the protocol's default.
    Utf16,
    /// UTF-8 bytes, when the client offers `utf-8` in `general.positionEncodings`.
    Utf8,
}

/// The largest char boundary of `text` at or below `offset` (clamped to the text).
pub fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// The byte offset of an LSP position; clamped to the line's end (and to the text's end).
pub fn offset_at(text: &str, index: &LineIndex, pos: Position, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf16 => index.offset_utf16(text, pos.line, pos.character),
        Encoding::Utf8 => {
            let Some(range) = index.line_range(text, pos.line as usize) else {
                return text.len();
            };
            let col = usize::try_from(pos.character).unwrap_or(usize::MAX);
            floor_boundary(text, range.start.saturating_add(col).min(range.end))
        }
    }
}

/// The LSP position of a byte offset.
pub fn position_at(text: &str, index: &LineIndex, offset: usize, enc: Encoding) -> Position {
    let offset = floor_boundary(text, offset);
    let (line, col16) = index.line_utf16(text, offset);
    let character = match enc {
        Encoding::Utf16 => col16,
        Encoding::Utf8 => {
            let start = index.line_range(text, line as usize).map_or(0, |r| r.start);
            u32::try_from(offset.saturating_sub(start)).unwrap_or(u32::MAX)
        }
    };
    Position { line, character }
}

/// The LSP range of a byte range.
pub fn range_at(
    text: &str,
    index: &LineIndex,
    span: &std::ops::Range<usize>,
    enc: Encoding,
) -> Range {
    Range {
        start: position_at(text, index, span.start, enc),
        end: position_at(text, index, span.end.max(span.start), enc),
    }
}

/// The byte range of the line holding `offset`, without its line break (`\n` or `\r\n`).
pub fn line_around(text: &str, offset: usize) -> std::ops::Range<usize> {
    let offset = floor_boundary(text, offset);
    let bytes = text.as_bytes();
    let start = bytes
        .get(..offset)
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |i| i + 1);
    let mut end = bytes
        .get(offset..)
        .and_then(|b| b.iter().position(|&c| c == b'\n'))
        .map_or(text.len(), |i| offset + i);
    if end > start && bytes.get(end - 1) == Some(&b'\r') {
        end -= 1;
    }
    start..end.max(start)
}

/// The lines of `text` as `(start offset, line text)`, line breaks excluded.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0usize;
    text.split('\n').map(move |l| {
        let s = start;
        start += l.len() + 1;
        (s, l.strip_suffix('\r').unwrap_or(l))
    })
}

/// Whether a character can be part of a parameter name or a code (`InvalidParam.Frequency`,
/// `Tag.1.Key`, `ACS::RegionId` is split at `::` by the callers that care).
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// The word (see [`is_word_char`]) around `offset`, as a byte range, trailing dots dropped.
pub fn word_at(text: &str, offset: usize) -> Option<std::ops::Range<usize>> {
    let offset = floor_boundary(text, offset);
    let before = text.get(..offset)?;
    let after = text.get(offset..)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + after
            .char_indices()
            .find(|(_, c)| !is_word_char(*c))
            .map_or(after.len(), |(i, _)| i);
    let word = text.get(start..end)?;
    let trimmed = word.trim_end_matches('.').trim_start_matches('.');
    if trimmed.is_empty() {
        return None;
    }
    let lead = word.len() - word.trim_start_matches('.').len();
    Some(start + lead..start + lead + trimmed.len())
}

/// The indentation (leading spaces and tabs) of a line, in bytes.
pub fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// A mapping key written at the start of a line (after indentation, an optional `- ` list marker,
/// `{`, `,` and quotes): `(key, byte offset of the key in the line, byte offset just past the
/// colon)`. Line-based, so it works on half-typed documents.
pub fn line_key(line: &str) -> Option<(&str, usize, usize)> {
    let mut i = indent_of(line);
    let rest = line.get(i..)?;
    let stripped = rest.trim_start_matches(['-', '{', ',', ' ', '\t']);
    i += rest.len() - stripped.len();
    let quote = stripped.chars().next().filter(|c| *c == '"' || *c == '\'');
    if quote.is_some() {
        i += 1;
    }
    let body = line.get(i..)?;
    let len = body
        .char_indices()
        .find(|(_, c)| !(is_word_char(*c) || *c == '-'))
        .map_or(body.len(), |(j, _)| j);
    if len == 0 {
        return None;
    }
    let key = body.get(..len)?;
    let mut j = i + len;
    if let Some(q) = quote {
        if !line.get(j..)?.starts_with(q) {
            return None;
        }
        j += 1;
    }
    let after = line.get(j..)?;
    let trimmed = after.trim_start_matches([' ', '\t']);
    let colon = j + after.len() - trimmed.len();
    if !trimmed.starts_with(':') {
        return None;
    }
    // `a:b` is a plain scalar in YAML, not a key (but `"a":b` is JSON).
    let next = trimmed.get(1..).and_then(|s| s.chars().next());
    if quote.is_none() && next.is_some_and(|c| !c.is_whitespace()) {
        return None;
    }
    Some((key, i, colon + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_utf16_positions_round_trip() {
        let t = "a😀b\r\nc é\n";
        let ix = LineIndex::new(t);
        let b = t.find('b').unwrap_or(0);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let p = position_at(t, &ix, b, enc);
            assert_eq!(offset_at(t, &ix, p, enc), b);
        }
        assert_eq!(position_at(t, &ix, b, Encoding::Utf8).character, 5);
        assert_eq!(position_at(t, &ix, b, Encoding::Utf16).character, 3);
        // Past the end of a line: clamped before `\r\n`.
        let p = Position::new(0, 99);
        assert_eq!(offset_at(t, &ix, p, Encoding::Utf8), b + 1);
        // Inside a character: floor.
        assert_eq!(offset_at(t, &ix, Position::new(0, 2), Encoding::Utf8), 1);
        assert_eq!(
            offset_at(t, &ix, Position::new(9, 0), Encoding::Utf8),
            t.len()
        );
    }

    #[test]
    fn words_and_keys() {
        let t = "# see InvalidParam.Frequency.\n";
        let o = t.find("Freq").unwrap_or(0);
        let w = word_at(t, o).unwrap_or(0..0);
        assert_eq!(t.get(w), Some("InvalidParam.Frequency"));
        assert_eq!(line_key("  - Key: team").map(|k| k.0), Some("Key"));
        assert_eq!(line_key("  \"Type\": \"x\"").map(|k| k.0), Some("Type"));
        assert_eq!(line_key("Type:"), Some(("Type", 0, 5)));
        assert_eq!(line_key("http://x"), None);
        assert_eq!(line_key("Typ"), None);
        assert_eq!(
            t.get(line_around(t, 3)),
            Some("# see InvalidParam.Frequency.")
        );
    }
}
