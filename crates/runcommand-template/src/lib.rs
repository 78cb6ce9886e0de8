//! Scanner for `{{ ... }}` parameter placeholders in ECS Cloud Assistant `RunCommand` text
//! (`CommandContent`, `Launcher`).
//!
//! This crate knows nothing of the linter engine: [`scan`] takes a `&str` and returns
//! [`Placeholder`]s and [`Problem`]s whose spans are [`Range<usize>`] **byte** offsets into that
//! string, always on `char` boundaries. For every name it reports, `&text[name_span] == name`.
//!
//! # Finding placeholders
//!
//! - A placeholder opens at `{{` and closes at the first `}}` after it; the text between is its
//!   *inner* text and may span lines.
//! - In a run of three or more `{`, the placeholder opens at the **last two**: `{{{a}}}` is a literal
//!   `{`, the placeholder `{{a}}` and a literal `}` (as the agent's regular expressions match it,
//!   and as JSON such as `{"k":{{v}}}` needs).
//! - If another `{{` comes before any `}}`, the earlier `{{` is left as text and reported as
//!   [`ProblemKind::Unterminated`]; scanning continues from the later one (innermost wins:
//!   `{{a {{b}}` holds one placeholder, `{{b}}`).
//! - A `{{` never closed is [`ProblemKind::Unterminated`] (span = the two braces). The API treats
//!   such text as plain text, so this is **not** an API error: the engine should report it as a
//!   warning at most.
//! - `}}` without an opening `{{`, and single braces, are plain text.
//!
//! # Classifying a placeholder
//!
//! The inner text is trimmed of ASCII whitespace (space, tab, `\n`, `\r`, form feed: Go's `\s`,
//! as in the agent) to give the *name*. Then, in this order:
//!
//! 1. Empty name (`{{}}`, `{{ \n }}`) → [`ProblemKind::EmptyKey`] (`CmdParam.EmptyKey`).
//! 2. `oos` or `oos-secret` (case-sensitive, like the agent), optional whitespace, `:` →
//!    [`PlaceholderKind::OosParam`]. The name after the colon (whitespace around it trimmed) is
//!    `[A-Za-z0-9_.-]+` segments separated by single `/`, with an optional leading `/`
//!    (`{{oos:/prod/db/password}}`). Empty, an empty segment (`a//b`, `a/`) or any other character
//!    → [`ProblemKind::InvalidOosName`] (`ParameterStore.InvalidParameters`).
//! 3. `acs` in any case, optional whitespace, `::` → the reserved prefix. Exactly `ACS` introduces
//!    a built-in: `ACS::Name` followed by optional filters `|Filter("arg", ...)`. Whitespace is
//!    allowed around `::`, `|`, `(`, `,` and `)`, as the agent allows it around `::`.
//!    - Another spelling of the prefix (`acs::`, `Acs::`) → [`ProblemKind::InvalidName`] with
//!      [`NameIssue::ReservedPrefix`] (`CmdParam.InvalidParamName`).
//!    - A name that is not one of [`BuiltIn::ALL`] (case-sensitive) → [`ProblemKind::InvalidName`]
//!      with [`NameIssue::UnknownBuiltIn`] (`CmdParam.InvalidParamName`).
//!    - Filters: `Name` is `[A-Za-z_][A-Za-z0-9_]*`; arguments are double-quoted strings without
//!      escapes (the only published example is `Ext(".py")`). Only `Ext`, with exactly one argument,
//!      on `ACS::ScriptFileName` is known. Problems are [`ProblemKind::InvalidFilter`] with a
//!      [`FilterIssue`]; no API code is documented for them, so the engine picks one.
//! 4. Anything else is a custom parameter: `[A-Za-z0-9_-]+`. Another character (Go templates such
//!    as `{{.State.Running}}`, `{{a b}}`) → [`ProblemKind::InvalidName`] with
//!    [`NameIssue::BadCharacter`] (`CmdParam.InvalidParamName`). A valid name over
//!    [`MAX_CUSTOM_NAME_BYTES`] bytes stays a [`PlaceholderKind::Custom`] and also gets
//!    [`ProblemKind::NameTooLong`] (`CmdParamName.ExceedLimit`).
//!
//! A placeholder with any problem other than `NameTooLong` or a filter problem has the kind
//! [`PlaceholderKind::Invalid`]. Custom names are case-insensitive: [`Scan::distinct_custom_names`]
//! groups them by [`name_key`]; built-ins and `oos` references are not custom names.
//!
//! Where each built-in may be used (`CommandContent` or `Launcher`) is answered by
//! [`BuiltIn::allowed_in`]; the scanner itself does not know which field it reads.
//!
//! # Masking
//!
//! [`mask_placeholders`] replaces every placeholder (valid or not) with filler of the same byte
//! length, keeping line breaks, so that offsets in the masked text are offsets in the original
//! (for scanning a script for literal secrets without matching `{{oos-secret:...}}`).

use std::fmt;
use std::ops::Range;

/// Maximum length of a custom parameter name, in bytes.
pub const MAX_CUSTOM_NAME_BYTES: usize =
    runcommand_catalog::limits::CUSTOM_PARAM_NAME_MAX_BYTES as usize;

/// The byte `mask_placeholders` fills placeholders with.
pub const MASK_FILLER: u8 = b'_';

/// The field a placeholder is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `CommandContent`.
    CommandContent,
    /// `Launcher`.
    Launcher,
}

/// A built-in environment parameter, `{{ACS::Name}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BuiltIn {
    /// `ACS::RegionId`
    RegionId,
    /// `ACS::AccountId`
    AccountId,
    /// `ACS::InstanceId`
    InstanceId,
    /// `ACS::InstanceName`
    InstanceName,
    /// `ACS::InvokeId`
    InvokeId,
    /// `ACS::CommandId`
    CommandId,
    /// `ACS::ScriptFileName`, in `Launcher`, with an optional `|Ext("...")` filter.
    ScriptFileName,
}

impl BuiltIn {
    /// Every built-in, in the order of the decisions table.
    pub const ALL: [BuiltIn; 7] = [
        BuiltIn::RegionId,
        BuiltIn::AccountId,
        BuiltIn::InstanceId,
        BuiltIn::InstanceName,
        BuiltIn::InvokeId,
        BuiltIn::CommandId,
        BuiltIn::ScriptFileName,
    ];

    /// The name after `ACS::`.
    pub fn name(self) -> &'static str {
        match self {
            BuiltIn::RegionId => "RegionId",
            BuiltIn::AccountId => "AccountId",
            BuiltIn::InstanceId => "InstanceId",
            BuiltIn::InstanceName => "InstanceName",
            BuiltIn::InvokeId => "InvokeId",
            BuiltIn::CommandId => "CommandId",
            BuiltIn::ScriptFileName => "ScriptFileName",
        }
    }

    /// The built-in with this exact (case-sensitive) name, without the `ACS::` prefix.
    pub fn from_name(name: &str) -> Option<BuiltIn> {
        BuiltIn::ALL.into_iter().find(|b| b.name() == name)
    }

    /// Where the built-in may be used (decisions §3 "Built-ins"): `ACS::ScriptFileName` in
    /// `Launcher` only, the others in `CommandContent` only.
    pub fn allowed_in(self, field: Field) -> bool {
        match field {
            Field::CommandContent => self != BuiltIn::ScriptFileName,
            Field::Launcher => self == BuiltIn::ScriptFileName,
        }
    }

    /// Whether the filter named `filter` applies to this built-in (only `Ext` on `ScriptFileName`).
    pub fn accepts_filter(self, filter: &str) -> bool {
        self == BuiltIn::ScriptFileName && filter == "Ext"
    }
}

impl fmt::Display for BuiltIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ACS::{}", self.name())
    }
}

/// A quoted filter argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterArg {
    /// The text between the quotes.
    pub value: String,
    /// Span of the text between the quotes.
    pub value_span: Range<usize>,
    /// Span including the quotes.
    pub span: Range<usize>,
}

/// A filter after a built-in: `|Ext(".py")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The filter name (`Ext`).
    pub name: String,
    /// Span of the name.
    pub name_span: Range<usize>,
    /// The arguments, in order.
    pub args: Vec<FilterArg>,
    /// Span from the `|` to the closing `)`.
    pub span: Range<usize>,
}

/// What a placeholder refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceholderKind {
    /// A custom parameter `{{name}}`, to be filled from `Parameters`.
    Custom {
        /// The name as written (trimmed).
        name: String,
        /// Span of the name.
        name_span: Range<usize>,
    },
    /// A built-in parameter `{{ACS::Name}}`.
    BuiltIn {
        /// Which built-in.
        builtin: BuiltIn,
        /// The name after `ACS::` as written (e.g. `InstanceId`).
        name: String,
        /// Span of that name.
        name_span: Range<usize>,
        /// Well-formed filters, in order (unknown ones included; see the problems).
        filters: Vec<Filter>,
    },
    /// A Parameter Store reference `{{oos:NAME}}` or `{{oos-secret:NAME}}` with a valid NAME.
    OosParam {
        /// `oos-secret` (encrypted parameter) rather than `oos`.
        secret: bool,
        /// The parameter name.
        name: String,
        /// Span of the parameter name.
        name_span: Range<usize>,
    },
    /// Not a valid reference; the [`Problem`]s say why.
    Invalid,
}

/// One `{{ ... }}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// From `{{` to after `}}`.
    pub span: Range<usize>,
    /// Between the braces (untrimmed).
    pub inner: Range<usize>,
    /// What it refers to.
    pub kind: PlaceholderKind,
}

impl Placeholder {
    /// The custom parameter name, if this is a custom parameter.
    pub fn custom_name(&self) -> Option<(&str, &Range<usize>)> {
        match &self.kind {
            PlaceholderKind::Custom { name, name_span } => Some((name.as_str(), name_span)),
            _ => None,
        }
    }
}

/// Why a name is invalid (`CmdParam.InvalidParamName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameIssue {
    /// A character outside `[A-Za-z0-9_-]` in a custom name.
    BadCharacter {
        /// The first such character.
        ch: char,
        /// Its span.
        span: Range<usize>,
    },
    /// `acs::` in a spelling other than `ACS::` (reserved).
    ReservedPrefix,
    /// `ACS::Name` with a name that is not a known built-in.
    UnknownBuiltIn,
}

/// Why a filter is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterIssue {
    /// Not `|Name("arg", ...)`.
    Syntax,
    /// A filter name other than `Ext`.
    Unknown,
    /// A known filter on a built-in it does not apply to (`{{ACS::InstanceId|Ext(".py")}}`).
    NotApplicable,
    /// `Ext` without exactly one argument.
    WrongArguments,
}

/// What is wrong. Each kind maps to one code (see the crate docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// `{{}}` or whitespace only: `CmdParam.EmptyKey`.
    EmptyKey,
    /// `CmdParam.InvalidParamName`.
    InvalidName(NameIssue),
    /// Custom name over 64 bytes: `CmdParamName.ExceedLimit`.
    NameTooLong {
        /// Length in bytes.
        bytes: usize,
    },
    /// Empty or malformed Parameter Store name: `ParameterStore.InvalidParameters`.
    InvalidOosName,
    /// A filter problem (no documented API code).
    InvalidFilter(FilterIssue),
    /// `{{` without a closing `}}`: plain text to the API, a warning at most.
    Unterminated,
}

/// A problem with a span inside the scanned text and a precise message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub kind: ProblemKind,
    /// Byte span in the scanned text.
    pub span: Range<usize>,
    /// Human-readable explanation.
    pub message: String,
    /// Index into [`Scan::placeholders`] of the placeholder concerned (`None` for `Unterminated`).
    pub placeholder: Option<usize>,
}

/// A custom parameter name with every place it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomName {
    /// The comparison key ([`name_key`]).
    pub key: String,
    /// The name as first written.
    pub name: String,
    /// Name spans of every use, in order.
    pub spans: Vec<Range<usize>>,
}

/// The result of [`scan`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// Every placeholder, in order.
    pub placeholders: Vec<Placeholder>,
    /// Every problem, in order of position.
    pub problems: Vec<Problem>,
}

impl Scan {
    /// Distinct custom names (case-insensitive), in order of first use. Built-ins and `oos`
    /// references are not included; over-long names are.
    pub fn distinct_custom_names(&self) -> Vec<CustomName> {
        let mut out: Vec<CustomName> = Vec::new();
        for (name, span) in self
            .placeholders
            .iter()
            .filter_map(Placeholder::custom_name)
        {
            let key = name_key(name);
            match out.iter_mut().find(|c| c.key == key) {
                Some(c) => c.spans.push(span.clone()),
                None => out.push(CustomName {
                    key,
                    name: name.to_string(),
                    spans: vec![span.clone()],
                }),
            }
        }
        out
    }

    /// Number of distinct custom names (case-insensitive).
    pub fn distinct_custom_count(&self) -> usize {
        self.distinct_custom_names().len()
    }

    /// Whether `key` (e.g. a key of `Parameters`) names a custom parameter used in the text.
    pub fn uses_custom_name(&self, key: &str) -> bool {
        let key = name_key(key);
        self.placeholders
            .iter()
            .filter_map(Placeholder::custom_name)
            .any(|(n, _)| name_key(n) == key)
    }
}

/// The case-insensitive comparison key of a parameter name (its lowercase form).
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

fn byte(text: &str, i: usize) -> u8 {
    text.as_bytes().get(i).copied().unwrap_or(0)
}

fn sub<'a>(text: &'a str, r: &Range<usize>) -> &'a str {
    text.get(r.clone()).unwrap_or_default()
}

fn skip_ws(text: &str, mut pos: usize, end: usize) -> usize {
    while pos < end && is_ws(byte(text, pos)) {
        pos += 1;
    }
    pos
}

fn trim(text: &str, r: Range<usize>) -> Range<usize> {
    let start = skip_ws(text, r.start, r.end);
    let mut end = r.end;
    while end > start && is_ws(byte(text, end - 1)) {
        end -= 1;
    }
    start..end
}

/// If `text[pos..end]` starts with `word` (exact or ASCII case-insensitive), then optional
/// whitespace and `sep`, returns (word matched exactly, position after `sep`).
fn keyword_then(
    text: &str,
    pos: usize,
    end: usize,
    word: &str,
    sep: &str,
    ignore_case: bool,
) -> Option<(bool, usize)> {
    let w_end = pos + word.len();
    if w_end > end {
        return None;
    }
    let written = text.get(pos..w_end)?;
    let exact = written == word;
    if !(exact || (ignore_case && written.eq_ignore_ascii_case(word))) {
        return None;
    }
    let s = skip_ws(text, w_end, end);
    let s_end = s + sep.len();
    if s_end <= end && text.get(s..s_end) == Some(sep) {
        Some((exact, s_end))
    } else {
        None
    }
}

fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("`{c}`")
    }
}

fn known_builtins() -> String {
    BuiltIn::ALL
        .iter()
        .map(|b| b.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

struct Ctx<'a> {
    text: &'a str,
    problems: &'a mut Vec<Problem>,
    index: usize,
}

impl Ctx<'_> {
    fn push(&mut self, kind: ProblemKind, span: Range<usize>, message: String) {
        self.problems.push(Problem {
            kind,
            span,
            message,
            placeholder: Some(self.index),
        });
    }
}

/// Scans `text` for every `{{ ... }}`, in order.
pub fn scan(text: &str) -> Scan {
    let mut out = Scan::default();
    let len = text.len();
    let mut open: Option<usize> = None;
    let mut i = 0;
    while i + 1 < len {
        // Only braces matter: jump to the next one.
        match text
            .as_bytes()
            .get(i..)
            .and_then(|rest| memchr::memchr2(b'{', b'}', rest))
        {
            Some(k) => i += k,
            None => break,
        }
        if i + 1 >= len {
            break;
        }
        let (a, b) = (byte(text, i), byte(text, i + 1));
        if a == b'{' && b == b'{' {
            let mut j = i;
            while byte(text, j + 2) == b'{' {
                j += 1;
            }
            if let Some(prev) = open.replace(j) {
                out.problems.push(unterminated(prev, true));
            }
            i = j + 2;
        } else if a == b'}' && b == b'}' {
            if let Some(o) = open.take() {
                let span = o..i + 2;
                let inner = o + 2..i;
                let index = out.placeholders.len();
                let mut ctx = Ctx {
                    text,
                    problems: &mut out.problems,
                    index,
                };
                let kind = classify(&mut ctx, &span, &inner);
                out.placeholders.push(Placeholder { span, inner, kind });
                i += 2;
            } else {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    if let Some(prev) = open {
        out.problems.push(unterminated(prev, false));
    }
    out
}

fn unterminated(at: usize, reopened: bool) -> Problem {
    let message = if reopened {
        "`{{` is not closed before the next `{{`; it is plain text to the API"
    } else {
        "`{{` is never closed by `}}`; it is plain text to the API"
    };
    Problem {
        kind: ProblemKind::Unterminated,
        span: at..at + 2,
        message: message.to_string(),
        placeholder: None,
    }
}

fn classify(ctx: &mut Ctx<'_>, span: &Range<usize>, inner: &Range<usize>) -> PlaceholderKind {
    let text = ctx.text;
    let name_r = trim(text, inner.clone());
    if name_r.is_empty() {
        ctx.push(
            ProblemKind::EmptyKey,
            span.clone(),
            "empty parameter name in `{{ }}`".to_string(),
        );
        return PlaceholderKind::Invalid;
    }
    let (start, end) = (name_r.start, name_r.end);
    if let Some((_, after)) = keyword_then(text, start, end, "oos-secret", ":", false) {
        return oos(ctx, span, true, after, end);
    }
    if let Some((_, after)) = keyword_then(text, start, end, "oos", ":", false) {
        return oos(ctx, span, false, after, end);
    }
    if let Some((exact, after)) = keyword_then(text, start, end, "ACS", "::", true) {
        return acs(ctx, span, &name_r, exact, after);
    }
    custom(ctx, name_r)
}

fn oos(
    ctx: &mut Ctx<'_>,
    span: &Range<usize>,
    secret: bool,
    after: usize,
    end: usize,
) -> PlaceholderKind {
    let text = ctx.text;
    let r = trim(text, after..end);
    let name = sub(text, &r);
    let which = if secret { "oos-secret" } else { "oos" };
    if name.is_empty() {
        ctx.push(
            ProblemKind::InvalidOosName,
            span.clone(),
            format!("empty Parameter Store name in `{{{{{which}:}}}}`"),
        );
        return PlaceholderKind::Invalid;
    }
    let body = name.strip_prefix('/').unwrap_or(name);
    let mut why = None;
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')))
    {
        why = Some(format!(
            "invalid character {} (allowed: letters, digits, `_`, `.`, `-` and `/` between path segments)",
            describe_char(c)
        ));
    } else if body.split('/').any(str::is_empty) {
        why = Some("empty path segment (`/` separates non-empty segments)".to_string());
    }
    if let Some(why) = why {
        ctx.push(
            ProblemKind::InvalidOosName,
            r,
            format!("invalid Parameter Store name `{name}` in `{which}:`: {why}"),
        );
        return PlaceholderKind::Invalid;
    }
    PlaceholderKind::OosParam {
        secret,
        name: name.to_string(),
        name_span: r,
    }
}

fn acs(
    ctx: &mut Ctx<'_>,
    span: &Range<usize>,
    name_r: &Range<usize>,
    exact: bool,
    after: usize,
) -> PlaceholderKind {
    let text = ctx.text;
    let end = name_r.end;
    let rest = sub(text, &(after..end));
    let pipe = rest.find('|').map(|p| after + p);
    let bname_r = trim(text, after..pipe.unwrap_or(end));
    let bname = sub(text, &bname_r);
    let suggestion = BuiltIn::ALL
        .into_iter()
        .find(|b| b.name().eq_ignore_ascii_case(bname));
    if !exact {
        let prefix_r = name_r.start..name_r.start + 3;
        let mut message = format!(
            "`{}::` is a reserved prefix; built-in parameters are spelled `ACS::` (case-sensitive)",
            sub(text, &prefix_r)
        );
        if let Some(b) = suggestion {
            message.push_str(&format!("; did you mean `{{{{{b}}}}}`?"));
        }
        ctx.push(
            ProblemKind::InvalidName(NameIssue::ReservedPrefix),
            name_r.clone(),
            message,
        );
        return PlaceholderKind::Invalid;
    }
    let Some(builtin) = BuiltIn::from_name(bname) else {
        let mut message = if bname.is_empty() {
            "missing built-in parameter name after `ACS::`".to_string()
        } else {
            format!("unknown built-in parameter `ACS::{bname}`")
        };
        match suggestion {
            Some(b) => {
                message.push_str(&format!("; did you mean `{b}`? (names are case-sensitive)"))
            }
            None => message.push_str(&format!("; known: {}", known_builtins())),
        }
        let problem_span = if bname.is_empty() {
            span.clone()
        } else {
            bname_r
        };
        ctx.push(
            ProblemKind::InvalidName(NameIssue::UnknownBuiltIn),
            problem_span,
            message,
        );
        return PlaceholderKind::Invalid;
    };
    let filters = match pipe {
        Some(p) => filters(ctx, builtin, p, end),
        None => Vec::new(),
    };
    PlaceholderKind::BuiltIn {
        builtin,
        name: bname.to_string(),
        name_span: bname_r,
        filters,
    }
}

/// Parses `|Name("arg", ...)` filters in `text[pos..end]`; stops at the first syntax error.
fn filters(ctx: &mut Ctx<'_>, builtin: BuiltIn, mut pos: usize, end: usize) -> Vec<Filter> {
    let mut out = Vec::new();
    loop {
        pos = skip_ws(ctx.text, pos, end);
        if pos >= end {
            break;
        }
        match filter(ctx.text, pos, end) {
            Ok(f) => {
                pos = f.span.end;
                check_filter(ctx, builtin, &f);
                out.push(f);
            }
            Err((at, message)) => {
                ctx.push(
                    ProblemKind::InvalidFilter(FilterIssue::Syntax),
                    at..end,
                    message,
                );
                break;
            }
        }
    }
    out
}

fn check_filter(ctx: &mut Ctx<'_>, builtin: BuiltIn, f: &Filter) {
    if f.name != "Ext" {
        ctx.push(
            ProblemKind::InvalidFilter(FilterIssue::Unknown),
            f.name_span.clone(),
            format!(
                "unknown filter `{}`; the only known filter is `Ext(\".ext\")`",
                f.name
            ),
        );
    } else if !builtin.accepts_filter(&f.name) {
        ctx.push(
            ProblemKind::InvalidFilter(FilterIssue::NotApplicable),
            f.span.clone(),
            format!(
                "filter `{}` applies only to `ACS::ScriptFileName`, not to `{builtin}`",
                f.name
            ),
        );
    } else if f.args.len() != 1 {
        ctx.push(
            ProblemKind::InvalidFilter(FilterIssue::WrongArguments),
            f.span.clone(),
            format!(
                "filter `Ext` takes exactly one quoted argument such as `Ext(\".py\")`, found {}",
                f.args.len()
            ),
        );
    }
}

/// Parses one filter starting at the `|` at `start`. On error returns the position the error
/// span starts at (the `|`) and a message.
fn filter(text: &str, start: usize, end: usize) -> Result<Filter, (usize, String)> {
    let fail = |m: &str| Err((start, m.to_string()));
    if byte(text, start) != b'|' {
        return fail("expected `|` before a filter");
    }
    let name_start = skip_ws(text, start + 1, end);
    let mut pos = name_start;
    while pos < end {
        let b = byte(text, pos);
        let ok = b.is_ascii_alphabetic() || b == b'_' || (pos > name_start && b.is_ascii_digit());
        if !ok {
            break;
        }
        pos += 1;
    }
    if pos == name_start {
        return fail("expected a filter name after `|`, such as `Ext(\".py\")`");
    }
    let name_span = name_start..pos;
    let name = sub(text, &name_span).to_string();
    pos = skip_ws(text, pos, end);
    if pos >= end || byte(text, pos) != b'(' {
        return Err((
            start,
            format!("expected `(` after filter name `{name}`, as in `{name}(\".py\")`"),
        ));
    }
    pos = skip_ws(text, pos + 1, end);
    let mut args = Vec::new();
    if byte(text, pos) == b')' && pos < end {
        pos += 1;
    } else {
        loop {
            if pos >= end || byte(text, pos) != b'"' {
                return Err((
                    start,
                    format!("filter `{name}` arguments must be double-quoted strings"),
                ));
            }
            let value_start = pos + 1;
            let close = sub(text, &(value_start..end))
                .find('"')
                .map(|q| value_start + q);
            let Some(close) = close else {
                return Err((start, format!("unterminated string in filter `{name}`")));
            };
            let value_span = value_start..close;
            args.push(FilterArg {
                value: sub(text, &value_span).to_string(),
                value_span,
                span: pos..close + 1,
            });
            pos = skip_ws(text, close + 1, end);
            match byte(text, pos) {
                b',' if pos < end => pos = skip_ws(text, pos + 1, end),
                b')' if pos < end => {
                    pos += 1;
                    break;
                }
                _ => {
                    return Err((
                        start,
                        format!("expected `,` or `)` in the arguments of filter `{name}`"),
                    ));
                }
            }
        }
    }
    Ok(Filter {
        name,
        name_span,
        args,
        span: start..pos,
    })
}

fn custom(ctx: &mut Ctx<'_>, name_r: Range<usize>) -> PlaceholderKind {
    let name = sub(ctx.text, &name_r);
    let bad = name
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-')));
    if let Some((i, ch)) = bad {
        let at = name_r.start + i..name_r.start + i + ch.len_utf8();
        let mut message = format!(
            "invalid character {} in parameter name `{name}`: names may contain only letters, digits, `_` and `-`",
            describe_char(ch)
        );
        if name.starts_with('.') || name.starts_with('$') {
            message.push_str(
                " (this looks like a Go template; with parameters enabled the API reads every `{{...}}` as a parameter)",
            );
        }
        ctx.push(
            ProblemKind::InvalidName(NameIssue::BadCharacter { ch, span: at }),
            name_r,
            message,
        );
        return PlaceholderKind::Invalid;
    }
    if name.len() > MAX_CUSTOM_NAME_BYTES {
        ctx.push(
            ProblemKind::NameTooLong { bytes: name.len() },
            name_r.clone(),
            format!(
                "parameter name is {} bytes long; at most {MAX_CUSTOM_NAME_BYTES} are allowed",
                name.len()
            ),
        );
    }
    PlaceholderKind::Custom {
        name: name.to_string(),
        name_span: name_r,
    }
}

/// Replaces every placeholder with [`MASK_FILLER`] bytes of the same total length, keeping `\n`
/// and `\r`, so that byte offsets and line numbers in the result are those of `text`.
pub fn mask_placeholders(text: &str) -> String {
    mask_placeholders_with(text, MASK_FILLER)
}

/// Like [`mask_placeholders`] with another filler byte; a filler that is not printable ASCII
/// (or a brace) is replaced by [`MASK_FILLER`].
pub fn mask_placeholders_with(text: &str, filler: u8) -> String {
    mask_scanned(text, &scan(text).placeholders, filler)
}

/// [`mask_placeholders_with`] for placeholders already found by [`scan`] on `text` (so that a
/// caller that needs both scans once).
pub fn mask_scanned(text: &str, placeholders: &[Placeholder], filler: u8) -> String {
    let filler =
        if (filler.is_ascii_graphic() || filler == b' ') && filler != b'{' && filler != b'}' {
            filler
        } else {
            MASK_FILLER
        };
    // Byte by byte: a character of n bytes becomes n fillers (ASCII), so the result is UTF-8
    // (the spans are on character boundaries: `sub` gives "" otherwise).
    let mut out = Vec::with_capacity(text.len());
    let mut last = 0;
    for p in placeholders {
        out.extend_from_slice(sub(text, &(last..p.span.start)).as_bytes());
        out.extend(
            sub(text, &p.span)
                .bytes()
                .map(|c| if c == b'\n' || c == b'\r' { c } else { filler }),
        );
        last = p.span.end;
    }
    out.extend_from_slice(sub(text, &(last..text.len())).as_bytes());
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests;
