//! Byte offsets to lines and columns.
//!
//! A column is counted from the start of its line; on a very long line (a minified JSON object
//! of 200,000 keys) counting from the start for every finding would be quadratic, so lines longer
//! than [`CHECKPOINT_EVERY`] bytes keep checkpoints (every that many bytes: the characters and
//! UTF-16 units before it on the line), built at the first query (most texts, a request log's
//! lines among them, are never asked for a position: they have no finding), and a column is
//! counted from the nearest one. Every query is then O(log n + CHECKPOINT_EVERY).

/// A 1-based line and a 1-based column counted in Unicode characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// Bytes between two checkpoints of a long line.
pub const CHECKPOINT_EVERY: usize = 1024;

/// A point of a long line: its byte offset (a character boundary) and the characters and UTF-16
/// units between the line's start and it.
#[derive(Clone, Copy, Debug, Default)]
struct Checkpoint {
    offset: usize,
    chars: usize,
    utf16: usize,
}

/// The start offsets of every line of a text.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
    /// Checkpoints of the long lines, by offset; made at the first query.
    checkpoints: std::sync::OnceLock<Vec<Checkpoint>>,
}

impl LineIndex {
    /// Indexes a text. Lines end at `\n` (a `\r` before it belongs to the line). Every file is
    /// indexed, so the line breaks are found with a SIMD search, not byte by byte.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
            checkpoints: std::sync::OnceLock::new(),
        }
    }

    /// The checkpoints of the long lines of `text` (the indexed text): on each, the first
    /// character boundary at or after every [`CHECKPOINT_EVERY`] bytes from the last checkpoint
    /// (or the line's start), with what [`counts`] gives before it.
    fn checkpoints(&self, text: &str) -> &[Checkpoint] {
        self.checkpoints.get_or_init(|| {
            let b = text.as_bytes();
            let starts = &self.starts;
            let mut checkpoints = Vec::new();
            for (i, &start) in starts.iter().enumerate() {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                if end - start <= CHECKPOINT_EVERY {
                    continue;
                }
                let mut at = Checkpoint {
                    offset: start,
                    chars: 0,
                    utf16: 0,
                };
                loop {
                    let mut next = at.offset + CHECKPOINT_EVERY;
                    while next < end && b.get(next).is_some_and(|&c| is_continuation(c)) {
                        next += 1;
                    }
                    if next >= end {
                        break;
                    }
                    let (chars, utf16) = counts(b.get(at.offset..next).unwrap_or(&[]));
                    at = Checkpoint {
                        offset: next,
                        chars: at.chars + chars,
                        utf16: at.utf16 + utf16,
                    };
                    checkpoints.push(at);
                }
            }
            checkpoints
        })
    }

    /// Where to start counting columns for `offset` on the line starting at `start`: the last
    /// checkpoint of that line at or before `offset`, or the line's start.
    fn from(&self, text: &str, start: usize, offset: usize) -> Checkpoint {
        // A short line needs none: its end is within CHECKPOINT_EVERY of its start.
        if offset - start.min(offset) < CHECKPOINT_EVERY {
            return Checkpoint {
                offset: start,
                chars: 0,
                utf16: 0,
            };
        }
        let checkpoints = self.checkpoints(text);
        let i = checkpoints.partition_point(|c| c.offset <= offset);
        match i.checked_sub(1).and_then(|i| checkpoints.get(i)) {
            Some(c) if c.offset >= start => *c,
            _ => Checkpoint {
                offset: start,
                chars: 0,
                utf16: 0,
            },
        }
    }

    /// The 0-based line holding `offset` and that line's start offset.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        (line, self.starts.get(line).copied().unwrap_or(0))
    }

    /// Line and column (in characters) of a byte offset. Offsets inside a character count as
    /// that character; offsets past the end are clamped.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let (line, start) = self.line_of(offset);
        let offset = offset.min(text.len());
        let from = self.from(text, start, offset);
        let column = from.chars + counts(text.as_bytes().get(from.offset..offset).unwrap_or(&[])).0;
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// 0-based line and 0-based column in UTF-16 code units (for LSP).
    pub fn line_utf16(&self, text: &str, offset: usize) -> (u32, u32) {
        let (line, start) = self.line_of(offset);
        let offset = offset.min(text.len());
        let from = self.from(text, start, offset);
        let col: usize =
            from.utf16 + counts(text.as_bytes().get(from.offset..offset).unwrap_or(&[])).1;
        (
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }

    /// The byte range of a 0-based line, without its line break.
    pub fn line_range(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.starts.get(line)?;
        let mut end = self.starts.get(line + 1).map_or(text.len(), |n| n - 1);
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some(start..end.max(start))
    }

    /// The byte offset of a 0-based line and a 0-based column in UTF-16 code units (for LSP);
    /// clamped to the line's end.
    pub fn offset_utf16(&self, text: &str, line: u32, col: u32) -> usize {
        let Some(range) = self.line_range(text, line as usize) else {
            return text.len();
        };
        let mut units = 0u32;
        for (i, c) in text.get(range.clone()).unwrap_or("").char_indices() {
            if units >= col {
                return range.start + i;
            }
            units += c.len_utf16() as u32;
        }
        range.end
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Whether a byte continues a UTF-8 character (`10xxxxxx`).
fn is_continuation(c: u8) -> bool {
    c & 0xC0 == 0x80
}

/// The characters and UTF-16 units that start in `bytes` (UTF-8 from a character boundary; a
/// character cut at the end counts whole): the bytes that start a character, and one unit more
/// for each four-byte one (a surrogate pair). Byte counts with no decoding, which the compiler
/// turns into SIMD: a finding on a long line counts up to [`CHECKPOINT_EVERY`] bytes.
fn counts(bytes: &[u8]) -> (usize, usize) {
    let chars = count(bytes, |c| !is_continuation(c));
    let four = count(bytes, |c| c >= 0xF0);
    (chars, chars + four)
}

/// The bytes for which `f` holds, counted in chunks of 255 into a byte (which cannot overflow),
/// so that the loop is byte-wide SIMD rather than one 64-bit counter per byte.
fn count(bytes: &[u8], f: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &c| n + u8::from(f(c)))))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_count_from_checkpoints_exactly() {
        // A long line of mixed widths: every offset gives what counting from the start gives.
        let line: String = (0..3000)
            .map(|i| match i % 7 {
                0 => 'é',
                1 => '😀',
                2 => '中',
                _ => 'a',
            })
            .collect();
        let t = format!("x\n{line}\ny");
        let ix = LineIndex::new(&t);
        // Made at the first query, not before.
        assert!(ix.checkpoints.get().is_none());
        assert!(!ix.checkpoints(&t).is_empty());
        let start = 2;
        for (i, _) in t
            .char_indices()
            .filter(|(i, _)| *i >= start && *i % 37 == 0)
        {
            let chars = t.get(start..i).map_or(0, |s| s.chars().count());
            let units: usize = t
                .get(start..i)
                .map_or(0, |s| s.chars().map(char::len_utf16).sum());
            if i < start + line.len() {
                assert_eq!(ix.line_col(&t, i).column as usize, chars + 1, "{i}");
                assert_eq!(ix.line_utf16(&t, i).1 as usize, units, "{i}");
            }
        }
        assert_eq!(ix.line_col(&t, t.len()), LineCol { line: 3, column: 2 });
    }

    #[test]
    fn every_byte_offset_counts_as_decoding_does() {
        // Every byte offset, inside characters too, on short lines and on a long line whose
        // checkpoints fall inside characters: the counts equal counting decoded characters.
        let long: String = (0..2600)
            .map(|i| ['a', 'é', '中', '😀', '\r', 'b'][i % 5 + usize::from(i % 11 == 0)])
            .collect();
        let t = format!("é😀x\n{long}\n\nab😀\r\n{long}z");
        let ix = LineIndex::new(&t);
        for offset in 0..=t.len() + 2 {
            let (line, start) = ix.line_of(offset);
            let end = offset.min(t.len());
            let before = t.get(start..).unwrap_or("");
            let started = before.char_indices().take_while(|(i, _)| start + i < end);
            let chars = started.clone().count();
            let units: usize = started.map(|(_, c)| c.len_utf16()).sum();
            assert_eq!(
                ix.line_col(&t, offset),
                LineCol {
                    line: u32::try_from(line + 1).unwrap(),
                    column: u32::try_from(chars + 1).unwrap()
                },
                "{offset}"
            );
            assert_eq!(ix.line_utf16(&t, offset).1 as usize, units, "{offset}");
        }
    }

    #[test]
    fn lines_and_char_columns() {
        let t = "ab\néé x\r\nz";
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_col(t, 0), LineCol { line: 1, column: 1 });
        assert_eq!(ix.line_col(t, 3), LineCol { line: 2, column: 1 });
        // 'x' is after two 2-byte characters and a space.
        let x = t.find('x').unwrap();
        assert_eq!(ix.line_col(t, x), LineCol { line: 2, column: 4 });
        assert_eq!(ix.line_col(t, t.len()), LineCol { line: 3, column: 2 });
        assert_eq!(ix.line_col(t, 999), LineCol { line: 3, column: 2 });
        assert_eq!(&t[ix.line_range(t, 1).unwrap()], "éé x");
    }

    #[test]
    fn utf16_columns_round_trip() {
        let t = "a😀b\nc";
        let ix = LineIndex::new(t);
        let b = t.find('b').unwrap();
        assert_eq!(ix.line_utf16(t, b), (0, 3));
        assert_eq!(ix.offset_utf16(t, 0, 3), b);
        assert_eq!(ix.offset_utf16(t, 1, 0), t.find('c').unwrap());
        assert_eq!(ix.offset_utf16(t, 9, 0), t.len());
    }
}
