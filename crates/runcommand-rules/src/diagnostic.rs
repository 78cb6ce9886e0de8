//! The diagnostics model: what a rule reports.

use std::ops::Range;

pub use runcommand_catalog::{Code, Severity};

/// A suggested edit that fixes a finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the edit does, e.g. "Replace with `RunShellScript`".
    pub title: String,
    /// The byte range in the file to replace.
    pub span: Range<usize>,
    /// The new text.
    pub replacement: String,
    /// Whether applying it cannot change what the request means beyond the fix itself.
    pub safe: bool,
}

/// Another place that explains a finding (e.g. the first use of a reused ClientToken).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The file, as given; `None` for the same file.
    pub path: Option<String>,
    /// The byte range in that file.
    pub span: Range<usize>,
    /// Line and column of the start (1-based, characters), filled in for other files.
    pub position: Option<(u32, u32)>,
    /// What it is.
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The catalogue code.
    pub code: Code,
    /// The severity (the code's default unless a rule or configuration says otherwise).
    pub severity: Severity,
    /// 0-based index of the request in its file.
    pub document: usize,
    /// The byte range in the file the finding is about.
    pub span: Range<usize>,
    /// The API parameter it concerns, if any.
    pub parameter: Option<String>,
    /// What is wrong, precisely.
    pub message: String,
    /// How to fix it, if known.
    pub help: Option<String>,
    /// A machine-applicable fix, if known.
    pub fix: Option<Fix>,
    /// Other edits a person may choose from when no single fix is right (e.g. one per valid
    /// value of an enumeration with no close match): offered by the editor, never applied by
    /// `check --fix`.
    pub alternatives: Vec<Fix>,
    /// Other places that explain it.
    pub related: Vec<Related>,
    /// The byte range of a credential this finding is about (`Lint.PlaintextSecret`): reporters
    /// must never print the text there (the engine collects these into
    /// [`crate::FileReport::redactions`]).
    pub secret: Option<Range<usize>>,
}

impl Diagnostic {
    /// A finding with the code's default severity.
    pub fn new(code: Code, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let severity = code.info().severity;
        Diagnostic {
            code,
            severity,
            document: 0,
            span,
            parameter: None,
            message: message.into(),
            help: None,
            fix: None,
            alternatives: Vec::new(),
            related: Vec::new(),
            secret: None,
        }
    }

    /// Sets the parameter.
    pub fn param(mut self, name: impl Into<String>) -> Self {
        self.parameter = Some(name.into());
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the fix.
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Adds an alternative edit (see [`Diagnostic::alternatives`]).
    pub fn alternative(mut self, fix: Fix) -> Self {
        self.alternatives.push(fix);
        self
    }

    /// Marks the byte range of a credential: reporters mask it in every snippet.
    pub fn secret(mut self, range: Range<usize>) -> Self {
        self.secret = Some(range);
        self
    }

    /// Adds a place in the same file that explains the finding ("first given here").
    pub fn related_here(mut self, span: Range<usize>, message: impl Into<String>) -> Self {
        self.related.push(Related {
            path: None,
            span,
            position: None,
            message: message.into(),
        });
        self
    }

    /// Marks a finding whose trigger is inferred rather than documented (decisions.md §2, the
    /// evidence rule; `rules/evidence.toml` records which): it keeps its code, at warning
    /// severity when the code is an error.
    pub fn inferred(mut self) -> Self {
        if self.severity == Severity::Error {
            self.severity = Severity::Warning;
        }
        self
    }

    /// Overrides the severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The HTTP status of the code, for documented codes.
    pub fn http_status(&self) -> Option<u16> {
        self.code.info().http_status
    }
}
