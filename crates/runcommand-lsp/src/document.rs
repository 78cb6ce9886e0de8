//! An open document: its text, incremental edits, and its lint (cached per edit generation).

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    TextDocumentContentChangeEvent, Uri,
};
use runcommand_config::Config;
use runcommand_document::{Format, LineIndex};
use runcommand_rules::{Diagnostic, Engine, Severity, Source};

use crate::glob::{Glob, uri_path};
use crate::text::{self, Encoding};

/// The `source` of every published diagnostic.
pub const SOURCE: &str = "runcommand-lint";

pub use runcommand_catalog::{CODES_URL, code_url};

/// The result of linting one generation of a document.
#[derive(Debug)]
pub struct Lint {
    /// The edit generation it was computed for.
    pub generation: u64,
    /// Whether the document is linted at all: it looks like a request, or an `include` glob
    /// matches its path.
    pub active: bool,
    /// The engine's findings (empty when not active).
    pub diagnostics: Vec<Diagnostic>,
}

/// An open text document.
#[derive(Debug)]
pub struct Document {
    /// Its URI, as the client sent it.
    pub uri: Uri,
    /// The path used for the format, the globs and the engine's report.
    pub path: String,
    /// YAML or JSON: by the `languageId` (`json`, `jsonc`, `yaml`), else by the extension.
    pub format: Format,
    /// The client's version of the text.
    pub version: i32,
    /// Incremented on every change.
    pub generation: u64,
    text: String,
    index: LineIndex,
    lint: Option<Lint>,
}

impl Document {
    /// A document as opened.
    pub fn new(uri: Uri, language_id: &str, version: i32, text: String) -> Document {
        let path = uri_path(uri.as_str());
        let format = match language_id {
            "json" | "jsonc" => Format::Json,
            "yaml" | "yml" => Format::Yaml,
            _ => Format::from_path(&path),
        };
        let index = LineIndex::new(&text);
        Document {
            uri,
            path,
            format,
            version,
            generation: 0,
            text,
            index,
            lint: None,
        }
    }

    /// The current text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line index of the current text.
    pub fn index(&self) -> &LineIndex {
        &self.index
    }

    /// Applies the changes of one `didChange`, in order (ranges in `enc`; a change without a
    /// range replaces the whole text), and moves to a new generation.
    pub fn apply_changes(&mut self, changes: &[TextDocumentContentChangeEvent], enc: Encoding) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let a = text::offset_at(&self.text, &self.index, range.start, enc);
                    let b = text::offset_at(&self.text, &self.index, range.end, enc);
                    let (a, b) = (a.min(b), a.max(b));
                    if self.text.get(a..b).is_some() {
                        self.text.replace_range(a..b, &change.text);
                    }
                }
                None => self.text.clone_from(&change.text),
            }
            self.index = LineIndex::new(&self.text);
        }
        self.generation = self.generation.wrapping_add(1);
    }

    /// Forgets the lint (the configuration that applies has changed).
    pub fn invalidate(&mut self) {
        self.lint = None;
    }

    /// Lints the current generation with the engine and the configuration that applies to the
    /// document, exactly as `check` does (cached: a second call without a change costs nothing).
    pub fn lint(&mut self, include: &[Glob], engine: &Engine, config: Option<&Config>) -> &Lint {
        let generation = self.generation;
        if self
            .lint
            .as_ref()
            .is_none_or(|l| l.generation != generation)
        {
            let report = engine.check(
                Source::Bytes {
                    path: &self.path,
                    format: self.format,
                    bytes: self.text.as_bytes(),
                },
                config,
            );
            let path = &self.path;
            let active = report.looks_like_request || include.iter().any(|g| g.matches(path));
            self.lint = Some(Lint {
                generation,
                active,
                diagnostics: if active {
                    report.diagnostics
                } else {
                    Vec::new()
                },
            });
        }
        // Set just above when missing or stale.
        self.lint.get_or_insert_with(|| Lint {
            generation,
            active: false,
            diagnostics: Vec::new(),
        })
    }

    /// The generation of the current text.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The document's path and format (what a lint of it on another thread needs).
    pub fn source(&self) -> (&str, runcommand_document::Format) {
        (&self.path, self.format)
    }

    /// Replaces the lint of `generation` by a complete one (with ShellCheck's findings), when
    /// the text is still that generation's; returns whether the findings changed (ShellCheck
    /// found something), that is, whether they are worth publishing again.
    pub fn complete(&mut self, generation: u64, diagnostics: Vec<Diagnostic>) -> bool {
        match &mut self.lint {
            Some(l) if l.generation == generation && self.generation == generation && l.active => {
                let same = l.diagnostics.len() == diagnostics.len()
                    && l.diagnostics
                        .iter()
                        .zip(&diagnostics)
                        .all(|(a, b)| a.code == b.code && a.span == b.span);
                l.diagnostics = diagnostics;
                !same
            }
            _ => false,
        }
    }

    /// Whether the current lint is of an active document (a request file, or included).
    pub fn active(&self) -> bool {
        self.lint
            .as_ref()
            .is_some_and(|l| l.active && l.generation == self.generation)
    }

    /// The last lint computed (possibly for an older generation; call [`Document::lint`] first).
    pub fn last_lint(&self) -> Option<&Lint> {
        self.lint.as_ref()
    }

    /// The LSP diagnostics of the current generation.
    pub fn lsp_diagnostics(
        &mut self,
        include: &[Glob],
        engine: &Engine,
        config: Option<&Config>,
        enc: Encoding,
    ) -> Vec<lsp_types::Diagnostic> {
        self.lint(include, engine, config);
        let Some(lint) = &self.lint else {
            return Vec::new();
        };
        lint.diagnostics
            .iter()
            .map(|d| to_lsp(&self.uri, &self.path, &self.text, &self.index, d, enc))
            .collect()
    }

    /// The LSP range of a byte span of the current text.
    pub fn range(&self, span: &std::ops::Range<usize>, enc: Encoding) -> lsp_types::Range {
        text::range_at(&self.text, &self.index, span, enc)
    }

    /// The byte offset of an LSP position in the current text.
    pub fn offset(&self, pos: lsp_types::Position, enc: Encoding) -> usize {
        text::offset_at(&self.text, &self.index, pos, enc)
    }
}

/// Converts one engine finding: same code, message, severity and range as `check`.
pub fn to_lsp(
    uri: &Uri,
    path: &str,
    text: &str,
    index: &LineIndex,
    d: &Diagnostic,
    enc: Encoding,
) -> lsp_types::Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.path {
                None => Location::new(uri.clone(), text::range_at(text, index, &r.span, enc)),
                Some(p) => {
                    let other = related_uri(path, p)?;
                    let (line, col) = r.position.unwrap_or((1, 1));
                    let pos =
                        lsp_types::Position::new(line.saturating_sub(1), col.saturating_sub(1));
                    Location::new(other, lsp_types::Range::new(pos, pos))
                }
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect();
    let href = code_url(d.code.as_str()).parse::<Uri>().ok();
    lsp_types::Diagnostic {
        range: text::range_at(text, index, &d.span, enc),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.code.as_str().to_owned())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: d.message.clone(),
        related_information: if related.is_empty() {
            None
        } else {
            Some(related)
        },
        tags: None,
        data: Some(serde_json::json!({
            "help": d.help,
            "httpStatus": d.http_status(),
            "parameter": d.parameter,
            "document": d.document,
        })),
    }
}

/// The URI of a related place in another file: absolute paths as they are, relative ones next to
/// this document.
fn related_uri(doc_path: &str, other: &str) -> Option<Uri> {
    let full = if other.starts_with('/') {
        other.to_owned()
    } else {
        let dir = doc_path.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/{other}")
    };
    let mut encoded = String::from("file://");
    for b in full.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    encoded.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_urls_use_github_anchors() {
        assert_eq!(
            code_url("InvalidParam.Frequency"),
            format!("{CODES_URL}#invalidparamfrequency")
        );
        assert!(code_url("Lint.DuplicateKey").parse::<Uri>().is_ok());
    }

    #[test]
    fn related_uris() {
        let u = related_uri("/a/b/c.yaml", "d e.yaml").map(|u| u.as_str().to_owned());
        assert_eq!(u.as_deref(), Some("file:///a/b/d%20e.yaml"));
    }
}
