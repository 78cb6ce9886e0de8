//! Byte offsets to lines and columns.

/// A 1-based line and a 1-based column counted in Unicode characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// The start offsets of every line of a text.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
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
        let column = text
            .get(start..)
            .unwrap_or("")
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
            .count();
        LineCol {
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }

    /// 0-based line and 0-based column in UTF-16 code units (for LSP).
    pub fn line_utf16(&self, text: &str, offset: usize) -> (u32, u32) {
        let (line, start) = self.line_of(offset);
        let offset = offset.min(text.len());
        let col: usize = text
            .get(start..)
            .unwrap_or("")
            .char_indices()
            .take_while(|(i, _)| start + i < offset)
            .map(|(_, c)| c.len_utf16())
            .sum();
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

#[cfg(test)]
mod tests {
    use super::*;

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
