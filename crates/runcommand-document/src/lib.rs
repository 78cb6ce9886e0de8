//! The document loader of runcommand-lint: file bytes to spanned trees.
//!
//! - [`load`] decodes the bytes (UTF-8, an optional BOM; anything else is an
//!   [`LoadErrorKind::Encoding`] error at the first bad byte), picks YAML or JSON, and builds one
//!   [`Node`] tree per YAML document (or one for the JSON value).
//! - Every key and value has a byte span into the file text. Duplicate keys are kept in order, not
//!   merged. Aliases to scalars are resolved (cheap); aliases to collections are never expanded
//!   (an alias bomb stays small) and appear as [`Value::Alias`].
//! - Nesting is limited (default 256 levels): deeper input is a syntax error, found without
//!   recursion, so no input overflows the stack.
//! - [`source_map::map_range`] maps a byte range inside a scalar's decoded text back to the file,
//!   for plain, quoted (with escapes), literal and folded scalars and JSON strings.
//! - [`LineIndex`] turns byte offsets into 1-based lines and columns in characters (and UTF-16
//!   code units for editors).
//!
//! This crate knows nothing about RunCommand, rules or diagnostics.

#![forbid(unsafe_code)]

mod json;
mod line_index;
pub mod source_map;
mod tree;
mod yaml;

pub use line_index::{LineCol, LineIndex};
pub use tree::{Comment, Entry, Node, Scalar, ScalarKind, Style, Value};

use std::ops::Range;

/// The syntax a file is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2 (also reads JSON, but JSON files get the strict JSON reader).
    Yaml,
    /// Strict JSON (RFC 8259).
    Json,
}

impl Format {
    /// The format for a path, by its extension: `.json` is JSON, everything else YAML.
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// Limits applied while loading.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// Deepest nesting of collections allowed.
    pub max_depth: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { max_depth: 256 }
    }
}

/// Why a file (or the rest of it) could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The bytes are not UTF-8 text.
    Encoding,
    /// The text is not valid YAML or JSON, or nests too deep.
    Syntax,
}

/// A problem that stopped the loader, with its position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Encoding or syntax.
    pub kind: LoadErrorKind,
    /// Where, as a byte range in the file text (empty at the point of failure).
    pub span: Range<usize>,
    /// What went wrong, in words.
    pub message: String,
}

/// One YAML document (or the JSON value).
#[derive(Clone, Debug)]
pub struct Document {
    /// Its root node; `None` for an empty document (`---` with nothing after it).
    pub root: Option<Node>,
    /// The span of the whole document.
    pub span: Range<usize>,
}

/// The result of loading one file.
#[derive(Debug)]
pub struct LoadedFile {
    /// The file as text (lossy where the bytes were not UTF-8; then `error` says so).
    pub text: String,
    /// The format it was read as.
    pub format: Format,
    /// The documents read completely, in order.
    pub documents: Vec<Document>,
    /// YAML comments, in order (for suppression comments).
    pub comments: Vec<Comment>,
    /// The error that stopped reading, if any; documents before it are kept.
    pub error: Option<LoadError>,
    /// Byte-offset to line/column conversion for `text`.
    pub line_index: LineIndex,
}

/// Loads a file's bytes. Never panics, never recurses on input depth.
pub fn load(bytes: &[u8], format: Format, options: LoadOptions) -> LoadedFile {
    let (text, base, error) = decode(bytes);
    let line_index = LineIndex::new(&text);
    if let Some(error) = error {
        return LoadedFile {
            text,
            format,
            documents: Vec::new(),
            comments: Vec::new(),
            error: Some(error),
            line_index,
        };
    }
    let body = text.get(base..).unwrap_or("");
    let (documents, comments, error) = match format {
        Format::Json => {
            let (doc, err) = json::parse(body, base, options.max_depth);
            (doc.into_iter().collect(), Vec::new(), err)
        }
        Format::Yaml => yaml::parse(body, base, options.max_depth),
    };
    LoadedFile {
        text,
        format,
        documents,
        comments,
        error,
        line_index,
    }
}

/// Decodes bytes as UTF-8 text. Returns the text, the length of a UTF-8 BOM to skip, and an
/// encoding error (UTF-16/32 BOMs, invalid UTF-8) positioned at the first bad byte.
fn decode(bytes: &[u8]) -> (String, usize, Option<LoadError>) {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if utf16 {
        let name = if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
            "UTF-32"
        } else {
            "UTF-16"
        };
        return (
            String::new(),
            0,
            Some(LoadError {
                kind: LoadErrorKind::Encoding,
                span: 0..0,
                message: format!(
                    "the file is {name} (it starts with a {name} byte order mark); save it as UTF-8"
                ),
            }),
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            let bom = if s.starts_with('\u{feff}') { 3 } else { 0 };
            (s.to_owned(), bom, None)
        }
        Err(e) => {
            let at = e.valid_up_to();
            // Keep the valid prefix as text so the position can be shown with its line.
            let text = String::from_utf8_lossy(bytes).into_owned();
            let bad = bytes.get(at).copied().unwrap_or(0);
            (
                text,
                0,
                Some(LoadError {
                    kind: LoadErrorKind::Encoding,
                    span: at..at,
                    message: format!(
                        "the file is not valid UTF-8: byte 0x{bad:02X} at offset {at} does not start or continue a UTF-8 character"
                    ),
                }),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> LoadedFile {
        load(s.as_bytes(), Format::Yaml, LoadOptions::default())
    }

    #[test]
    fn invalid_utf8_is_an_encoding_error_at_the_bad_byte() {
        let f = load(b"a: b\nc: \xff\n", Format::Yaml, LoadOptions::default());
        let e = f.error.unwrap();
        assert_eq!(e.kind, LoadErrorKind::Encoding);
        assert_eq!(e.span, 8..8);
        assert!(f.documents.is_empty());
    }

    #[test]
    fn utf16_bom_is_an_encoding_error() {
        let f = load(&[0xFF, 0xFE, b'a', 0], Format::Yaml, LoadOptions::default());
        assert!(f.error.unwrap().message.contains("UTF-16"));
    }

    #[test]
    fn utf8_bom_is_skipped_and_offsets_stay_in_file_coordinates() {
        let f = yaml("\u{feff}a: b\n");
        assert!(f.error.is_none(), "{:?}", f.error);
        let root = f.documents[0].root.as_ref().unwrap();
        let Value::Map(entries) = &root.value else {
            panic!()
        };
        assert_eq!(&f.text[entries[0].key.span.clone()], "a");
        assert_eq!(&f.text[entries[0].value.span.clone()], "b");
    }

    #[test]
    fn format_from_path() {
        assert_eq!(Format::from_path("a/B.JSON"), Format::Json);
        assert_eq!(Format::from_path("a.yml"), Format::Yaml);
    }
}
