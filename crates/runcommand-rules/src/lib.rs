//! The rule engine of runcommand-lint.
//!
//! Data flow: file bytes → [`runcommand_document::load`] → one request per YAML document or JSON
//! array element → [`request::build`] (the typed request view, which reports shape problems) →
//! every rule in [`rules::RULES`] → diagnostics, sorted by position then code.
//!
//! The one entry point is [`Engine`] (see `engine`): [`Engine::check`] for one source,
//! [`Engine::check_source`] (any thread) then [`Engine::finish`] (in path order, with the run's
//! [`CrossIndex`]) for a streaming run. A panic inside a file's check is caught and becomes a
//! `Lint.InternalError` diagnostic for that file, so the other files' results are never lost.
//! The engine knows nothing about command lines, terminals or editors.
//!
//! Secrets: findings about a credential carry its byte range ([`Diagnostic::secret`]); the engine
//! collects them into [`FileReport::redactions`] for reporters to mask in snippets, and masks any
//! message, help, note or fix title that would quote such a text.

#![forbid(unsafe_code)]

mod carried;
mod cross;
pub mod detect;
pub mod diagnostic;
mod distributed;
mod engine;
pub mod fix;
mod idempotency;
pub mod oos;
pub mod records;
pub mod request;
pub mod ros;
pub mod rules;
mod saved_command;
pub mod schedules;
mod suggest;
pub mod suppression;

use runcommand_catalog::code;
use std::ops::Range;

use runcommand_document::{Format, LineIndex, LoadErrorKind, LoadOptions, Node, Value};

pub use cross::CrossIndex;
pub use diagnostic::{Code, Diagnostic, Fix, Related, Severity};
pub use distributed::{Conflict, CrossKind, CrossUse};
pub use engine::{Context, Engine, Settings, Source};
pub use idempotency::TokenUse;
pub use saved_command::SavedUse;
pub use schedules::ScheduleFact;
pub use suggest::did_you_mean;

/// The findings for one file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given (or the `--stdin-filename`).
    pub path: String,
    /// The file's text (empty if it could not be read).
    pub text: String,
    /// Line index of `text`.
    pub line_index: LineIndex,
    /// Findings, sorted by position then code.
    pub diagnostics: Vec<Diagnostic>,
    /// How many requests the file held.
    pub requests: usize,
    /// Whether the file looks like a request file (see [`detect`]); callers that meet files
    /// nobody chose (hooks, editors, audits) drop the reports of files that do not.
    pub looks_like_request: bool,
    /// Byte ranges of every credential found in `text`, sorted and merged: reporters must mask
    /// them wherever they print source text.
    pub redactions: Vec<Range<usize>>,
    /// The `ClientToken` uses awaiting the cross-request pass ([`CrossIndex`] consumes them).
    pub client_tokens: Vec<TokenUse>,
    /// The saved commands (`KeepCommand: true` with a `Name`) awaiting the cross-request pass.
    pub saved_commands: Vec<SavedUse>,
    /// Lines before `text` in the file it comes from: 0 for a whole file, `n - 1` for line `n`
    /// of a JSON Lines file. [`FileReport::position`] adds it.
    pub line_offset: u32,
    /// The file's suppression comments awaiting [`apply_suppressions`] (which empties this).
    pub suppressions: Vec<suppression::Suppression>,
    /// Scripts awaiting ShellCheck ([`Engine::resolve_scripts`] empties this).
    pub scripts: Vec<rules::ScriptJob>,
    /// The scheduled requests, in order, when the engine collects them
    /// ([`Engine::collecting_schedules`]); empty otherwise.
    pub schedules: Vec<ScheduleFact>,
}

impl FileReport {
    /// A report holding nothing: no text, no request, no finding (a blank log line).
    pub fn empty(path: &str) -> FileReport {
        FileReport {
            path: path.to_owned(),
            text: String::new(),
            line_index: LineIndex::default(),
            diagnostics: Vec::new(),
            requests: 0,
            looks_like_request: false,
            redactions: Vec::new(),
            client_tokens: Vec::new(),
            saved_commands: Vec::new(),
            line_offset: 0,
            suppressions: Vec::new(),
            scripts: Vec::new(),
            schedules: Vec::new(),
        }
    }

    /// A report for a file that could not be read or checked at all.
    pub fn failed(path: &str, code: Code, message: String) -> FileReport {
        FileReport {
            diagnostics: vec![Diagnostic::new(code, 0..0, message)],
            looks_like_request: true,
            ..FileReport::empty(path)
        }
    }

    /// Places the report at line `number` (1-based) of a JSON Lines file: positions and
    /// `document` indices count the lines before it.
    pub fn at_line(&mut self, number: usize) {
        let before = number.saturating_sub(1);
        self.line_offset = u32::try_from(before).unwrap_or(u32::MAX);
        for d in &mut self.diagnostics {
            d.document = d.document.saturating_add(before);
        }
        for u in &mut self.client_tokens {
            u.document = u.document.saturating_add(before);
        }
        for u in &mut self.saved_commands {
            u.document = u.document.saturating_add(before);
        }
        for s in &mut self.schedules {
            s.document = s.document.saturating_add(before);
        }
    }

    /// 1-based line (in the whole file, see [`FileReport::line_offset`]) and column
    /// (characters) of a byte offset of `text`.
    pub fn position(&self, offset: usize) -> runcommand_document::LineCol {
        let mut p = self.line_index.line_col(&self.text, offset);
        p.line = p.line.saturating_add(self.line_offset);
        p
    }
}

/// A file's content as its reader found it.
pub enum Content {
    /// The file's bytes.
    Bytes(Vec<u8>),
    /// The file could not be read.
    Unreadable(String),
    /// The file is larger than the cap (its size in bytes).
    TooLarge(u64),
}

/// Checks one file's bytes completely with a default [`Engine`] (the wall clock, no
/// configuration) showing every finding (no per-file cap): a shorthand of [`Engine::check`] for
/// tests and tools. Never panics.
pub fn check_bytes(path: &str, bytes: &[u8], format: Format) -> FileReport {
    Engine::new(Settings {
        max_findings: None,
        ..Settings::default()
    })
    .check(
        Source::Bytes {
            path,
            format,
            bytes,
        },
        None,
    )
}

/// Loads bytes with the engine's nesting cap.
pub(crate) fn load_bytes(bytes: &[u8], format: Format) -> runcommand_document::LoadedFile {
    let max_depth = usize::try_from(runcommand_catalog::limits::NESTING_MAX).unwrap_or(256);
    runcommand_document::load(bytes, format, LoadOptions { max_depth })
}

/// Reads and parses a file without running any rule: the report holds only what loading found
/// (`Lint.Syntax`, `Lint.Encoding`) and the content test. The floor that the benchmarks compare
/// a full check with.
pub fn parse_only(path: &str, bytes: &[u8], format: Format) -> FileReport {
    let loaded = load_bytes(bytes, format);
    let roots = loaded.documents.iter().filter_map(|d| d.root.as_ref());
    FileReport {
        diagnostics: load_error(&loaded).into_iter().collect(),
        looks_like_request: looks_like_request(&loaded, roots),
        requests: loaded.documents.len(),
        line_index: loaded.line_index,
        text: loaded.text,
        ..FileReport::empty(path)
    }
}

/// The finding for what stopped loading, if anything did (`Lint.Encoding`, `Lint.Syntax`).
fn load_error(loaded: &runcommand_document::LoadedFile) -> Option<Diagnostic> {
    let e = loaded.error.as_ref()?;
    let code = match e.kind {
        LoadErrorKind::Encoding => code::LINT_ENCODING,
        LoadErrorKind::Syntax => code::LINT_SYNTAX,
    };
    Some(Diagnostic::new(
        code,
        clamp(e.span.clone(), loaded.text.len()),
        e.message.clone(),
    ))
}

/// The content test ([`detect`]) of a loaded text whose requests are `nodes`: they look like
/// requests, or the text does when it could not be read whole.
fn looks_like_request<'a>(
    loaded: &runcommand_document::LoadedFile,
    nodes: impl IntoIterator<Item = &'a Node>,
) -> bool {
    detect::roots_look_like_requests(nodes)
        || (loaded.error.is_some() && detect::text_looks_like_request(&loaded.text))
}

/// What the top nodes of a loaded text are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// A request file: requests, arrays of requests, OOS templates.
    File,
    /// One record of a request log ([`records`]): a request or an audit event.
    Record,
}

/// Checks a loaded text: every request in it with every per-request rule.
pub(crate) fn check_loaded(
    path: &str,
    loaded: runcommand_document::LoadedFile,
    ctx: &Context<'_>,
    mode: Mode,
) -> FileReport {
    let mut diagnostics = Vec::new();
    let mut uses = CrossUses::default();
    let mut requests = 0usize;
    // An OOS template without RunCommand steps holds nothing to check and is no empty file.
    let mut saw_template = false;
    // The request nodes of a record (for the content test).
    let mut chosen: Vec<&Node> = Vec::new();
    let text = loaded.text.as_str();
    for doc in &loaded.documents {
        let Some(root) = &doc.root else {
            continue;
        };
        // A JSON array (or a YAML sequence) at the top holds one request per element.
        let items = match &root.value {
            Value::Seq(items) => items.as_slice(),
            _ => std::slice::from_ref(root),
        };
        for node in items {
            let node = match mode {
                Mode::File => node,
                Mode::Record => match records::request_of(node) {
                    Some(n) => {
                        chosen.push(n);
                        n
                    }
                    None => continue,
                },
            };
            if mode == Mode::File && ros::is_template(node) {
                saw_template = true;
                requests += ros::check_template(text, node, requests, ctx, &mut diagnostics);
                continue;
            }
            if mode == Mode::File && oos::is_template(node) {
                saw_template = true;
                requests += oos::check_template(text, node, requests, ctx, &mut diagnostics);
                continue;
            }
            let index = requests;
            requests += 1;
            let start = diagnostics.len();
            check_request_indexed(text, node, index, ctx, &mut diagnostics, &mut uses);
            for d in diagnostics.get_mut(start..).into_iter().flatten() {
                d.document = index;
            }
        }
    }
    if let Some(mut d) = load_error(&loaded) {
        d.document = requests;
        diagnostics.push(d);
    } else if requests == 0 && !saw_template && mode == Mode::File {
        diagnostics.push(
            Diagnostic::new(code::LINT_EMPTY_DOCUMENT, 0..0, "the file holds no request").help(
                "a request is a mapping of RunCommand parameters, e.g. `RegionId: cn-hangzhou`",
            ),
        );
    }
    fix::finalize(&loaded.text, loaded.format, &mut diagnostics);
    sort(&mut diagnostics);
    let redactions = redactions(&diagnostics);
    scrub(text, &redactions, &mut diagnostics);
    let looks_like_request = match mode {
        Mode::File => looks_like_request(
            &loaded,
            loaded.documents.iter().filter_map(|d| d.root.as_ref()),
        ),
        Mode::Record => looks_like_request(&loaded, chosen),
    };
    let suppressions = suppression::read(&loaded);
    FileReport {
        path: path.to_owned(),
        looks_like_request,
        line_index: loaded.line_index,
        text: loaded.text,
        diagnostics,
        requests,
        redactions,
        client_tokens: uses.tokens,
        saved_commands: uses.saved,
        line_offset: 0,
        suppressions,
        scripts: Vec::new(),
        schedules: Vec::new(),
    }
}

/// What the requests of a text leave for the cross-request pass.
#[derive(Default)]
struct CrossUses {
    tokens: Vec<TokenUse>,
    saved: Vec<SavedUse>,
}

/// Applies each report's suppression comments ([`suppression`]) to its findings, once every
/// finding is known (after the cross-request checks, see [`Engine::finish`]): drops the suppressed findings and adds
/// `Lint.InvalidSuppression` / `Lint.UnusedSuppression`. Idempotent.
pub fn apply_suppressions(reports: &mut [FileReport]) {
    for r in reports {
        let mut suppressions = std::mem::take(&mut r.suppressions);
        if suppressions.is_empty() {
            continue;
        }
        suppression::apply(&mut suppressions, &mut r.diagnostics);
        sort(&mut r.diagnostics);
    }
}

/// The secret ranges of `diagnostics`, sorted and merged.
fn redactions(diagnostics: &[Diagnostic]) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = diagnostics
        .iter()
        .filter_map(|d| d.secret.clone())
        .filter(|r| !r.is_empty())
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Masks, in every message, help, note and fix title, any text of at least 4 characters that is
/// a secret (a line of a redacted range, trimmed); a fix whose replacement would write a secret
/// is dropped. A safety net: rules never quote secrets, but other findings may quote a value.
fn scrub(text: &str, redactions: &[Range<usize>], diagnostics: &mut [Diagnostic]) {
    let secrets = Secrets::new(
        redactions
            .iter()
            .filter_map(|r| text.get(r.clone()))
            .flat_map(str::lines)
            .map(str::trim),
    );
    if secrets.by_prefix.is_empty() {
        return;
    }
    for d in diagnostics {
        secrets.mask(&mut d.message);
        if let Some(h) = &mut d.help {
            secrets.mask(h);
        }
        for r in &mut d.related {
            secrets.mask(&mut r.message);
        }
        if let Some(f) = &mut d.fix {
            secrets.mask(&mut f.title);
        }
        if d.fix
            .as_ref()
            .is_some_and(|f| !secrets.find(&f.replacement).is_empty())
        {
            d.fix = None;
        }
        for f in &mut d.alternatives {
            secrets.mask(&mut f.title);
        }
        d.alternatives
            .retain(|f| secrets.find(&f.replacement).is_empty());
    }
}

/// Secret texts (at least 4 characters) indexed by their first 4 bytes, so that finding them in
/// a text is linear in its length whatever their number.
struct Secrets<'a> {
    /// First 4 bytes → the secrets starting with them, longest first.
    by_prefix: std::collections::HashMap<&'a [u8], Vec<&'a str>>,
}

impl<'a> Secrets<'a> {
    fn new(texts: impl Iterator<Item = &'a str>) -> Secrets<'a> {
        let mut by_prefix: std::collections::HashMap<&'a [u8], Vec<&'a str>> =
            std::collections::HashMap::new();
        for t in texts.filter(|t| t.chars().count() >= 4) {
            if let Some(p) = t.as_bytes().get(..4) {
                by_prefix.entry(p).or_default().push(t);
            }
        }
        for v in by_prefix.values_mut() {
            v.sort_by_key(|s| std::cmp::Reverse(s.len()));
            v.dedup();
        }
        Secrets { by_prefix }
    }

    /// The byte ranges of the secrets in `s`, left to right, not overlapping.
    fn find(&self, s: &str) -> Vec<Range<usize>> {
        let b = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i + 4 <= b.len() {
            let hit = b
                .get(i..i + 4)
                .and_then(|w| self.by_prefix.get(w))
                .and_then(|c| {
                    c.iter()
                        .find(|sec| b.get(i..).is_some_and(|t| t.starts_with(sec.as_bytes())))
                });
            match hit {
                Some(sec) => {
                    out.push(i..i + sec.len());
                    i += sec.len();
                }
                None => i += 1,
            }
        }
        out
    }

    /// Replaces every secret in `s` by as many `*` as it has characters.
    fn mask(&self, s: &mut String) {
        let found = self.find(s);
        if found.is_empty() {
            return;
        }
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        for r in found {
            out.push_str(s.get(last..r.start).unwrap_or(""));
            let n = s.get(r.clone()).map_or(0, |t| t.chars().count());
            out.extend(std::iter::repeat_n('*', n));
            last = r.end;
        }
        out.push_str(s.get(last..).unwrap_or(""));
        *s = out;
    }
}

fn clamp(r: Range<usize>, len: usize) -> Range<usize> {
    let s = r.start.min(len);
    s..r.end.clamp(s, len)
}

/// Checks one request node with every rule (no cross-request pass, no suppression, no
/// configuration): what the rules bench times.
pub fn check_request(
    text: &str,
    node: &Node,
    index: usize,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let mut uses = CrossUses::default();
    check_request_indexed(text, node, index, ctx, out, &mut uses);
}

/// Checks one request node with every rule; keeps what the cross pass needs in `uses`.
fn check_request_indexed(
    text: &str,
    node: &Node,
    index: usize,
    ctx: &Context<'_>,
    out: &mut Vec<Diagnostic>,
    uses: &mut CrossUses,
) {
    let Some(req) = request::build(text, node, index, out).request else {
        return;
    };
    run_rules(&req, ctx, out);
    uses.tokens.extend(idempotency::token_use(&req));
    uses.saved.extend(saved_command::saved_use(&req));
}

/// Runs every per-request rule on a built request.
pub(crate) fn run_rules(req: &request::Request<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for rule in rules::RULES {
        (rule.check)(req, ctx, out);
    }
    if let Some(into) = ctx.schedules {
        schedules::collect(req, into);
    }
}

/// Sorts diagnostics by position, then code, then message (a total, deterministic order).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.code, a.span.end, &a.message).cmp(&(
            b.span.start,
            b.code,
            b.span.end,
            &b.message,
        ))
    });
}

/// Runs `f`; a panic becomes a report holding one `Lint.InternalError` for `path`.
pub fn guarded(path: &str, f: impl FnOnce() -> FileReport) -> FileReport {
    // A panic leaves nothing half-updated that the caller reads: the report is built inside.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        FileReport::failed(
            path,
            code::LINT_INTERNAL_ERROR,
            "runcommand-lint failed while checking this file (a bug: please report it with the file)".into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(src: &str) -> Vec<&'static str> {
        check_bytes("t.yaml", src.as_bytes(), Format::Yaml)
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    const BASE: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

    #[test]
    fn helps_in_json_files_write_json() {
        let json = r#"{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "InstanceId": ["i-bp185dy2o3o6neg1234"]}"#;
        let help = |src: &str, format| {
            check_bytes("t", src.as_bytes(), format)
                .diagnostics
                .iter()
                .find(|d| d.code == code::LINT_MISSING_PARAMETER)
                .and_then(|d| d.help.clone())
        };
        assert_eq!(
            help(json, Format::Json).as_deref(),
            Some("add `\"CommandContent\": \"echo 123\"`")
        );
        let yaml =
            "RegionId: cn-hangzhou\nType: RunShellScript\nInstanceId: [i-bp185dy2o3o6neg1234]\n";
        assert_eq!(
            help(yaml, Format::Yaml).as_deref(),
            Some("add `CommandContent: echo 123`")
        );
    }

    #[test]
    fn a_valid_request_has_no_findings() {
        assert!(codes(BASE).is_empty(), "{:?}", codes(BASE));
    }

    #[test]
    fn every_rule_code_is_in_the_catalogue() {
        for r in rules::RULES {
            for c in r.codes {
                assert!(
                    runcommand_catalog::code(c).is_some(),
                    "{c} of rule {}",
                    r.name
                );
            }
        }
        for c in rules::STRUCTURAL_CODES {
            assert!(runcommand_catalog::code(c).is_some(), "{c}");
        }
    }

    #[test]
    fn syntax_error_is_one_diagnostic() {
        let r = check_bytes("t.yaml", b"a: [1,\n", Format::Yaml);
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code, "Lint.Syntax");
    }

    #[test]
    fn empty_file() {
        assert_eq!(codes(""), vec!["Lint.EmptyDocument"]);
        assert_eq!(codes("# only a comment\n"), vec!["Lint.EmptyDocument"]);
    }

    #[test]
    fn json_array_holds_requests_numbered_in_order() {
        let src = r#"[{"RegionId": "cn-hangzhou"}, {"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "x", "InstanceId": ["i-abc"]}]"#;
        let r = check_bytes("t.json", src.as_bytes(), Format::Json);
        assert_eq!(r.requests, 2);
        assert!(r.diagnostics.iter().all(|d| d.document == 0));
        assert!(!r.diagnostics.is_empty());
    }

    #[test]
    fn panics_become_internal_errors() {
        let report = guarded("p.yaml", || panic!("boom"));
        assert_eq!(report.path, "p.yaml");
        assert_eq!(report.diagnostics.len(), 1);
        assert_eq!(report.diagnostics[0].code, "Lint.InternalError");
        let content = Content::Unreadable("permission denied".into());
        let report = Engine::default().check(
            Source::File {
                path: "x",
                format: Format::Yaml,
                content: &content,
            },
            None,
        );
        assert_eq!(report.diagnostics[0].code, "Lint.Io");
    }

    #[test]
    fn flattened_form_is_read_like_lists() {
        let src = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: x\nInstanceId.1: i-abc\nInstanceId.2: i-abc\nTag.1.Key: a\nTag.1.Value: http://x\n";
        assert_eq!(
            codes(src),
            vec!["Lint.DuplicateInstanceId", "InvalidTagValue.Malformed"]
        );
        let mixed = format!("{BASE}InstanceId.1: i-abd\n");
        assert_eq!(codes(&mixed), vec!["Lint.MixedParameterForms"]);
    }

    #[test]
    fn the_content_test_tells_requests_from_other_files() {
        let yes = |s: &str, f| check_bytes("x", s.as_bytes(), f).looks_like_request;
        assert!(yes(BASE, Format::Yaml));
        assert!(yes("commandContent: x\n", Format::Yaml));
        assert!(yes("Action: RunCommand\n", Format::Yaml));
        assert!(yes("RegionId: a\nInstanceId.1: i-x\n", Format::Yaml));
        assert!(yes(
            r#"[{"Type": "RunShellScript", "Timeout": 3}]"#,
            Format::Json
        ));
        assert!(yes("CommandContent: [broken\n", Format::Yaml));
        assert!(!yes("name: ci\non: push\njobs: {}\n", Format::Yaml));
        assert!(!yes("Type: x\nname: y\n", Format::Yaml));
        assert!(!yes(
            r#"{"compilerOptions": {"strict": true}}"#,
            Format::Json
        ));
        assert!(!yes("key: [broken\n", Format::Yaml));
        assert!(!yes("", Format::Yaml));
    }

    #[test]
    fn unknown_parameter_suggests() {
        let r = check_bytes(
            "t.yaml",
            format!("{BASE}Timout: 30\n").as_bytes(),
            Format::Yaml,
        );
        let d = &r.diagnostics[0];
        assert_eq!(d.code.as_str(), "Lint.UnknownParameter");
        assert_eq!(d.help.as_deref(), Some("did you mean `Timeout`?"));
        assert_eq!(
            d.fix.as_ref().map(|f| f.replacement.as_str()),
            Some("Timeout")
        );
    }
}
