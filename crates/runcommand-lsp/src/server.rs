//! The message loop: lifecycle, document sync, debounced diagnostics, hover, completion, code
//! actions.
//!
//! Threads: a reader (frames from the input), an optional debounce timer, and the loop itself,
//! which owns every document and is the only writer. The loop never sleeps: a change schedules a
//! lint on the timer thread, which sends it back as an event once the document has been quiet
//! for the debounce delay; a lint for an older generation of a document is dropped.

use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use lsp_server::{ErrorCode, Message, Notification, RequestId, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CompletionItem, CompletionItemKind, CompletionItemTag,
    CompletionList, CompletionOptions, CompletionParams, CompletionResponse, CompletionTextEdit,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    Documentation, Hover, HoverContents, HoverParams, HoverProviderCapability, InitializeResult,
    MarkupContent, MarkupKind, PositionEncodingKind, PublishDiagnosticsParams, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextEdit, Uri, WorkspaceEdit,
};
use serde_json::Value;

use crate::completion::{self, Kind};
use crate::document::{Document, to_lsp};
use crate::glob::Glob;
use crate::text::{Encoding, line_key, lines};
use crate::transport::{Frame, FrameReader, Incoming, classify, write_error, write_message};
use crate::{actions, hover};
use runcommand_config::{Config, Configs};
use runcommand_rules::Engine;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// The debounce delay when `initializationOptions.debounceMs` is not given.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(75);
/// The largest debounce delay accepted.
const MAX_DEBOUNCE_MS: u64 = 10_000;

enum Event {
    Frame(Frame),
    Eof,
    Lint {
        uri: String,
        generation: u64,
    },
    /// The complete lint (with ShellCheck) of a generation, from a worker thread.
    Complete {
        uri: String,
        generation: u64,
        diagnostics: Vec<runcommand_rules::Diagnostic>,
    },
}

enum TimerMsg {
    Schedule { uri: String, generation: u64 },
    Cancel(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShutDown,
}

type Reply = Result<Value, (ErrorCode, String)>;

/// Runs the server over a byte stream pair until `exit` (or the end of the input). Returns the
/// process exit status: 0 after `shutdown` then `exit`, 1 otherwise.
pub fn run<R, W>(input: R, output: W) -> io::Result<i32>
where
    R: Read + Send + 'static,
    W: Write,
{
    let (events_tx, events) = mpsc::channel::<Event>();
    let reader_tx = events_tx.clone();
    let reader = thread::Builder::new()
        .name("runcommand-lsp-reader".into())
        .spawn(move || {
            let mut reader = FrameReader::new(BufReader::new(input));
            loop {
                match reader.next_frame() {
                    Ok(Some(frame)) => {
                        if reader_tx.send(Event::Frame(frame)).is_err() {
                            return;
                        }
                    }
                    Ok(None) | Err(_) => {
                        let _ = reader_tx.send(Event::Eof);
                        return;
                    }
                }
            }
        })?;
    let mut server = Server {
        out: output,
        state: State::Uninitialized,
        enc: Encoding::Utf16,
        include: Vec::new(),
        engine: Engine::default(),
        complete: None,
        slow: HashMap::new(),
        configs: Configs::new(None, false).unwrap_or_else(|_| Configs::disabled()),
        config_errors: HashSet::new(),
        watch_configs: false,
        debounce: DEFAULT_DEBOUNCE,
        docs: HashMap::new(),
        timer: None,
        timer_thread: None,
        events: events_tx,
    };
    while let Ok(event) = events.recv() {
        let exit = match event {
            Event::Frame(frame) => server.frame(frame)?,
            Event::Lint { uri, generation } => {
                if server
                    .docs
                    .get(&uri)
                    .is_some_and(|d| d.generation == generation)
                {
                    server.publish(&uri)?;
                }
                None
            }
            Event::Complete {
                uri,
                generation,
                diagnostics,
            } => {
                server.completed(&uri, generation, diagnostics)?;
                None
            }
            Event::Eof => {
                // The reader has ended: wait for it, so no thread outlives the server.
                let code = server.exit_status();
                server.stop_timer();
                let _ = reader.join();
                return Ok(code);
            }
        };
        if let Some(code) = exit {
            // `exit`: the reader may still be blocked on the input, which the process's end
            // closes; the timer is stopped and waited for.
            server.stop_timer();
            return Ok(code);
        }
    }
    server.stop_timer();
    Ok(server.exit_status())
}

struct Server<W> {
    out: W,
    state: State,
    enc: Encoding,
    include: Vec<Glob>,
    /// The engine every document is checked with (the wall clock at each check), without
    /// ShellCheck: what is published at once.
    engine: Engine,
    /// The same engine with ShellCheck, when it is found: run on a worker thread after the
    /// fast findings are published, its complete findings published when ready (and dropped
    /// when the text has changed meanwhile). Never in the typing path.
    complete: Option<Arc<Engine>>,
    /// Documents with a complete lint running: the generation it runs for, and whether a newer
    /// one waits for it to end.
    slow: HashMap<String, (u64, bool)>,
    /// The `runcommand-lint.toml` files found so far, by directory (the nearest one upwards, as
    /// `check` finds them); dropped and read again when one changes.
    configs: Configs,
    /// Configuration errors already shown (each is shown once until the files change).
    config_errors: HashSet<String>,
    /// Whether the client watches `runcommand-lint.toml` files for the server (registered at
    /// `initialized`).
    watch_configs: bool,
    debounce: Duration,
    docs: HashMap<String, Document>,
    timer: Option<mpsc::Sender<TimerMsg>>,
    timer_thread: Option<thread::JoinHandle<()>>,
    events: mpsc::Sender<Event>,
}

impl<W: Write> Server<W> {
    /// Stops the debounce timer (dropping its sender ends it) and waits for its thread.
    fn stop_timer(&mut self) {
        self.timer = None;
        if let Some(handle) = self.timer_thread.take() {
            let _ = handle.join();
        }
    }

    fn exit_status(&self) -> i32 {
        if self.state == State::ShutDown { 0 } else { 1 }
    }

    /// Handles one frame; `Some(status)` to stop.
    fn frame(&mut self, frame: Frame) -> io::Result<Option<i32>> {
        let body = match frame {
            Frame::Malformed(why) => {
                write_error(&mut self.out, &Value::Null, ErrorCode::ParseError, &why)?;
                return Ok(None);
            }
            Frame::Body(b) => b,
        };
        match classify(&body) {
            Incoming::Invalid { id, code, message } => {
                write_error(&mut self.out, &id, code, &message)?;
            }
            Incoming::Response => {}
            Incoming::Request { id, method, params } => {
                let reply = catch_unwind(AssertUnwindSafe(|| self.request(&method, params)))
                    .unwrap_or_else(|_| {
                        Err((
                            ErrorCode::InternalError,
                            format!("internal error while handling {method}"),
                        ))
                    });
                self.reply(id, reply)?;
            }
            Incoming::Notification { method, params } => {
                if method == "exit" {
                    return Ok(Some(self.exit_status()));
                }
                if self.state == State::Running {
                    // A failing notification has nobody to answer; the server goes on.
                    if let Ok(r) =
                        catch_unwind(AssertUnwindSafe(|| self.notification(&method, params)))
                    {
                        r?;
                    }
                }
            }
        }
        Ok(None)
    }

    fn reply(&mut self, id: RequestId, reply: Reply) -> io::Result<()> {
        let response = match reply {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        write_message(&mut self.out, Message::Response(response))
    }

    fn request(&mut self, method: &str, params: Value) -> Reply {
        match (self.state, method) {
            (State::Uninitialized, "initialize") => Ok(self.initialize(&params)),
            (State::Uninitialized, _) => Err((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet".into(),
            )),
            (State::ShutDown, _) => Err((
                ErrorCode::InvalidRequest,
                "the server is shut down: only `exit` is accepted".into(),
            )),
            (State::Running, "initialize") => Err((
                ErrorCode::InvalidRequest,
                "the server is already initialized".into(),
            )),
            (State::Running, "shutdown") => {
                self.state = State::ShutDown;
                self.timer = None;
                Ok(Value::Null)
            }
            (State::Running, "textDocument/hover") => {
                let p: HoverParams = parse(params)?;
                Ok(self.hover(&p))
            }
            (State::Running, "textDocument/completion") => {
                let p: CompletionParams = parse(params)?;
                Ok(self.completion(&p))
            }
            (State::Running, "textDocument/codeAction") => {
                let p: CodeActionParams = parse(params)?;
                Ok(self.code_actions(&p))
            }
            (State::Running, m) => {
                Err((ErrorCode::MethodNotFound, format!("method not found: {m}")))
            }
        }
    }

    fn initialize(&mut self, params: &Value) -> Value {
        let offers_utf8 = params
            .pointer("/capabilities/general/positionEncodings")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|e| e.as_str() == Some("utf-8")));
        self.enc = if offers_utf8 {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        self.watch_configs = params
            .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if let Some(opts) = params.get("initializationOptions") {
            let mut invalid = Vec::new();
            self.include = opts
                .get("include")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .filter_map(|p| Glob::new(p).map_err(|e| invalid.push(e)).ok())
                        .collect()
                })
                .unwrap_or_default();
            for why in invalid {
                // Shown once the client is listening (after `initialized`).
                self.config_errors
                    .insert(format!("initializationOptions.include: {why}"));
            }
            if let Some(ms) = opts.get("debounceMs").and_then(Value::as_u64) {
                self.debounce = Duration::from_millis(ms.min(MAX_DEBOUNCE_MS));
            }
        }
        let shellcheck = params
            .pointer("/initializationOptions/shellcheck")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        self.complete = find_shellcheck(&mut self.configs)
            .filter(|_| shellcheck)
            .map(|sc| {
                Arc::new(Engine::new(runcommand_rules::Settings {
                    shellcheck: Some(sc),
                    ..runcommand_rules::Settings::default()
                }))
            });
        if !self.debounce.is_zero()
            && let Some((tx, handle)) = spawn_timer(self.events.clone(), self.debounce)
        {
            self.timer = Some(tx);
            self.timer_thread = Some(handle);
        }
        self.state = State::Running;
        let result = InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(match self.enc {
                    Encoding::Utf8 => PositionEncodingKind::UTF8,
                    Encoding::Utf16 => PositionEncodingKind::UTF16,
                }),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        // A saved runcommand-lint.toml is read again.
                        save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec!["{".into(), ":".into()]),
                    ..CompletionOptions::default()
                }),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..CodeActionOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "runcommand-lint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        };
        serde_json::to_value(result).unwrap_or(Value::Null)
    }

    fn notification(&mut self, method: &str, params: Value) -> io::Result<()> {
        match method {
            "initialized" => {
                if self.watch_configs {
                    self.register_config_watcher()?;
                }
                // Problems found before the client listened (an invalid `include` glob).
                let pending: Vec<String> = self.config_errors.iter().cloned().collect();
                for message in pending {
                    self.show_error(&message)?;
                }
                Ok(())
            }
            "workspace/didChangeWatchedFiles" => {
                let changed = params
                    .get("changes")
                    .and_then(Value::as_array)
                    .is_some_and(|c| {
                        c.iter().any(|ch| {
                            ch.get("uri")
                                .and_then(Value::as_str)
                                .is_some_and(is_config_uri)
                        })
                    });
                if changed {
                    self.reload_configs()?;
                }
                Ok(())
            }
            "textDocument/didSave" => {
                let saved_config = params
                    .pointer("/textDocument/uri")
                    .and_then(Value::as_str)
                    .is_some_and(is_config_uri);
                if saved_config {
                    self.reload_configs()?;
                }
                Ok(())
            }
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(params) else {
                    return Ok(());
                };
                let d = p.text_document;
                let key = d.uri.as_str().to_owned();
                self.cancel(&key);
                self.docs.insert(
                    key.clone(),
                    Document::new(d.uri, &d.language_id, d.version, d.text),
                );
                self.publish(&key)
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params) else {
                    return Ok(());
                };
                let key = p.text_document.uri.as_str().to_owned();
                let enc = self.enc;
                let Some(doc) = self.docs.get_mut(&key) else {
                    return Ok(());
                };
                doc.apply_changes(&p.content_changes, enc);
                doc.version = p.text_document.version;
                let generation = doc.generation;
                match &self.timer {
                    Some(timer)
                        if timer
                            .send(TimerMsg::Schedule {
                                uri: key.clone(),
                                generation,
                            })
                            .is_ok() =>
                    {
                        Ok(())
                    }
                    _ => self.publish(&key),
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params) else {
                    return Ok(());
                };
                let key = p.text_document.uri.as_str().to_owned();
                self.cancel(&key);
                self.docs.remove(&key);
                self.send_diagnostics(p.text_document.uri, Vec::new(), None)
            }
            // initialized, $/cancelRequest, $/setTrace, didSave, didChangeConfiguration, ...
            _ => Ok(()),
        }
    }

    fn cancel(&self, key: &str) {
        if let Some(t) = &self.timer {
            let _ = t.send(TimerMsg::Cancel(key.to_owned()));
        }
    }

    /// Asks the client to watch `runcommand-lint.toml` files (`client/registerCapability`);
    /// its answer needs no handling.
    fn register_config_watcher(&mut self) -> io::Result<()> {
        let request = lsp_server::Request::new(
            lsp_server::RequestId::from("runcommand-lint/watch-config".to_owned()),
            "client/registerCapability".into(),
            serde_json::json!({"registrations": [{
                "id": "runcommand-lint-config",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": {"watchers": [{"globPattern": format!("**/{CONFIG_FILE}")}]},
            }]}),
        );
        write_message(&mut self.out, Message::Request(request))
    }

    /// Shows an error to the user (`window/showMessage`).
    fn show_error(&mut self, message: &str) -> io::Result<()> {
        let n = Notification::new(
            "window/showMessage".into(),
            serde_json::json!({"type": 1, "message": format!("runcommand-lint: {message}")}),
        );
        write_message(&mut self.out, Message::Notification(n))
    }

    /// The configuration that applies to a document: the nearest `runcommand-lint.toml` upwards
    /// from a `file:` document, as `check` finds it. An invalid one is shown to the user (once)
    /// and the document is checked without configuration.
    fn config_for(&mut self, key: &str) -> io::Result<Option<Arc<Config>>> {
        let Some(path) = self.docs.get(key).map(|d| d.path.clone()) else {
            return Ok(None);
        };
        if !key.starts_with("file:") {
            return Ok(None);
        }
        match self.configs.for_file(Path::new(&path)) {
            Ok(c) => Ok(c),
            Err(e) => {
                let message = e.to_string();
                if self.config_errors.insert(message.clone()) {
                    self.show_error(&message)?;
                }
                Ok(None)
            }
        }
    }

    /// A configuration file changed: forget every configuration read, lint every open document
    /// again and publish.
    fn reload_configs(&mut self) -> io::Result<()> {
        self.configs = Configs::new(None, false).unwrap_or_else(|_| Configs::disabled());
        self.config_errors.clear();
        let keys: Vec<String> = self.docs.keys().cloned().collect();
        for key in keys {
            if let Some(doc) = self.docs.get_mut(&key) {
                doc.invalidate();
            }
            self.publish(&key)?;
        }
        Ok(())
    }

    /// Lints a document (if needed) with its configuration; the document and the configuration.
    fn linted(&mut self, key: &str) -> io::Result<Option<Arc<Config>>> {
        let config = self.config_for(key)?;
        let include = &self.include;
        if let Some(doc) = self.docs.get_mut(key) {
            doc.lint(include, &self.engine, config.as_deref());
        }
        Ok(config)
    }

    /// Lints a document (if needed) and publishes its diagnostics; then starts its complete lint
    /// (with ShellCheck) when the document holds a shell script.
    fn publish(&mut self, key: &str) -> io::Result<()> {
        let config = self.config_for(key)?;
        let (enc, include) = (self.enc, &self.include);
        let Some(doc) = self.docs.get_mut(key) else {
            return Ok(());
        };
        let diagnostics = doc.lsp_diagnostics(include, &self.engine, config.as_deref(), enc);
        let (uri, version) = (doc.uri.clone(), doc.version);
        self.send_diagnostics(uri, diagnostics, Some(version))?;
        self.start_complete(key, config);
        Ok(())
    }

    /// Starts the complete lint of a document's current generation on a worker thread, unless
    /// one runs for it already (then the newer generation waits for it to end).
    fn start_complete(&mut self, key: &str, config: Option<Arc<Config>>) {
        let Some(engine) = self.complete.clone() else {
            return;
        };
        let Some(doc) = self.docs.get(key) else {
            return;
        };
        if !doc.active() || !doc.text().contains("RunShellScript") {
            return;
        }
        let generation = doc.generation();
        if let Some((running, waiting)) = self.slow.get_mut(key) {
            *waiting = *running != generation;
            return;
        }
        self.slow.insert(key.to_owned(), (generation, false));
        let (path, format) = doc.source();
        let (path, text) = (path.to_owned(), doc.text().to_owned());
        let (uri, events) = (key.to_owned(), self.events.clone());
        let spawned = thread::Builder::new()
            .name("runcommand-lsp-shellcheck".into())
            .spawn(move || {
                let report = engine.check(
                    runcommand_rules::Source::Bytes {
                        path: &path,
                        format,
                        bytes: text.as_bytes(),
                    },
                    config.as_deref(),
                );
                let _ = events.send(Event::Complete {
                    uri,
                    generation,
                    diagnostics: report.diagnostics,
                });
            });
        if spawned.is_err() {
            self.slow.remove(key);
        }
    }

    /// A complete lint ended: published when the text is still its generation's and ShellCheck
    /// found something; a newer generation that waited gets its own.
    fn completed(
        &mut self,
        key: &str,
        generation: u64,
        diagnostics: Vec<runcommand_rules::Diagnostic>,
    ) -> io::Result<()> {
        let waiting = self.slow.remove(key).is_some_and(|(_, w)| w);
        let enc = self.enc;
        let Some(doc) = self.docs.get_mut(key) else {
            return Ok(());
        };
        if doc.complete(generation, diagnostics) {
            let published = doc.lsp_diagnostics(&[], &self.engine, None, enc);
            let (uri, version) = (doc.uri.clone(), doc.version);
            self.send_diagnostics(uri, published, Some(version))?;
        } else if waiting || doc.generation() != generation {
            // The text changed: its fast lint publishes when due, which starts the complete one.
            if doc.last_lint().is_some_and(|_| doc.active()) {
                let config = self.config_for(key)?;
                self.start_complete(key, config);
            }
        }
        Ok(())
    }

    fn send_diagnostics(
        &mut self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) -> io::Result<()> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let n = Notification::new("textDocument/publishDiagnostics".into(), params);
        write_message(&mut self.out, Message::Notification(n))
    }

    fn hover(&mut self, p: &HoverParams) -> Value {
        let pos = &p.text_document_position_params;
        let key = pos.text_document.uri.as_str();
        if self.linted(key).is_err() {
            return Value::Null;
        }
        let enc = self.enc;
        let Some(doc) = self.docs.get_mut(key) else {
            return Value::Null;
        };
        let Some(lint) = doc.last_lint().filter(|l| l.active) else {
            return Value::Null;
        };
        let offset = doc.offset(pos.position, enc);
        let Some(h) = hover::hover(doc.text(), offset, &lint.diagnostics) else {
            return Value::Null;
        };
        let result = Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: h.markdown,
            }),
            range: h.span.map(|s| doc.range(&s, enc)),
        };
        serde_json::to_value(result).unwrap_or(Value::Null)
    }

    fn completion(&mut self, p: &CompletionParams) -> Value {
        let pos = &p.text_document_position;
        let key = pos.text_document.uri.as_str();
        if self.linted(key).is_err() {
            return Value::Null;
        }
        let enc = self.enc;
        let Some(doc) = self.docs.get_mut(key) else {
            return Value::Null;
        };
        let active = doc.last_lint().is_some_and(|l| l.active);
        if !active && !may_become_request(doc.text()) {
            return Value::Null;
        }
        let offset = doc.offset(pos.position, enc);
        let items: Vec<CompletionItem> = completion::complete(doc.text(), offset, doc.format)
            .into_iter()
            .map(|c| CompletionItem {
                kind: Some(match c.kind {
                    Kind::Parameter => CompletionItemKind::PROPERTY,
                    Kind::Value => CompletionItemKind::ENUM_MEMBER,
                    Kind::Placeholder => CompletionItemKind::VARIABLE,
                }),
                detail: c.detail,
                documentation: c.documentation.map(|d| {
                    Documentation::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: d,
                    })
                }),
                tags: c.deprecated.then(|| vec![CompletionItemTag::DEPRECATED]),
                sort_text: Some(c.sort),
                filter_text: Some(c.label.clone()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range: doc.range(&c.replace, enc),
                    new_text: c.insert,
                })),
                label: c.label,
                ..CompletionItem::default()
            })
            .collect();
        let list = CompletionResponse::List(CompletionList {
            is_incomplete: false,
            items,
        });
        serde_json::to_value(list).unwrap_or(Value::Null)
    }

    fn code_actions(&mut self, p: &CodeActionParams) -> Value {
        let wants_quickfix = p.context.only.as_ref().is_none_or(|only| {
            only.iter()
                .any(|k| k.as_str().is_empty() || k.as_str() == CodeActionKind::QUICKFIX.as_str())
        });
        let key = p.text_document.uri.as_str();
        if self.linted(key).is_err() {
            return Value::Array(Vec::new());
        }
        let enc = self.enc;
        let Some(doc) = self.docs.get_mut(key) else {
            return Value::Array(Vec::new());
        };
        let Some(lint) = doc.last_lint().filter(|l| l.active && wants_quickfix) else {
            return Value::Array(Vec::new());
        };
        let a = doc.offset(p.range.start, enc);
        let b = doc.offset(p.range.end, enc);
        let fixes = actions::quick_fixes(doc.text(), &lint.diagnostics, a.min(b)..a.max(b));
        let actions: Vec<CodeActionOrCommand> = fixes
            .into_iter()
            .map(|f| {
                let diagnostic = lint
                    .diagnostics
                    .get(f.diagnostic)
                    .map(|d| to_lsp(&doc.uri, &doc.path, doc.text(), doc.index(), d, enc));
                let edit = TextEdit {
                    range: doc.range(&f.span, enc),
                    new_text: f.new_text,
                };
                CodeActionOrCommand::CodeAction(CodeAction {
                    title: f.title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: diagnostic.map(|d| vec![d]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(doc.uri.clone(), vec![edit])])),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: Some(f.preferred),
                    ..CodeAction::default()
                })
            })
            .collect();
        serde_json::to_value(actions).unwrap_or(Value::Null)
    }
}

/// The configuration file's name.
const CONFIG_FILE: &str = runcommand_config::FILE_NAME;

/// Whether a URI names a configuration file.
/// ShellCheck for the complete lint, as `check` finds it: the `[shellcheck]` table of the
/// configuration of the server's working directory (`path`, `enabled = false`), else `PATH`.
/// Not found: the editor gets every finding but ShellCheck's.
fn find_shellcheck(configs: &mut Configs) -> Option<Arc<runcommand_shellcheck::ShellCheck>> {
    let cwd = std::env::current_dir().ok()?;
    let table = configs
        .for_dir(&cwd)
        .ok()
        .flatten()
        .map(|c| c.shellcheck.clone())
        .unwrap_or_default();
    if table.mode == runcommand_config::ShellCheckMode::Off {
        return None;
    }
    runcommand_shellcheck::ShellCheck::find(table.path.as_deref())
        .ok()
        .map(Arc::new)
}

fn is_config_uri(uri: &str) -> bool {
    uri.rsplit('/').next() == Some(CONFIG_FILE)
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(params)
        .map_err(|e| (ErrorCode::InvalidParams, format!("invalid params: {e}")))
}

/// Whether completion is offered in a document that does not (yet) look like a request: it is
/// blank (whitespace and comments), or one of its keys is a parameter name that other YAML/JSON
/// files rarely use.
fn may_become_request(text: &str) -> bool {
    const KEYS: &[&str] = &[
        "Action",
        "RegionId",
        "CommandContent",
        "InstanceId",
        "RepeatMode",
        "Frequency",
        "EnableParameter",
        "ContentEncoding",
        "WorkingDir",
        "KeepCommand",
        "WindowsPasswordName",
        "ContainerId",
        "ContainerName",
        "OssOutputDelivery",
        "TerminationMode",
        "Launcher",
        "ResourceGroupId",
        "ClientToken",
    ];
    let mut blank = true;
    for (_, l) in lines(text) {
        let body = l.trim();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        blank = false;
        if let Some((k, _, _)) = line_key(l)
            && KEYS.contains(&k.split('.').next().unwrap_or(k))
        {
            return true;
        }
    }
    blank
}

/// The debounce timer: waits until a document has been quiet for `delay`, then asks the loop to
/// lint that generation. Ends when the loop drops its sender (or is gone).
fn spawn_timer(
    events: mpsc::Sender<Event>,
    delay: Duration,
) -> Option<(mpsc::Sender<TimerMsg>, thread::JoinHandle<()>)> {
    let (tx, rx) = mpsc::channel::<TimerMsg>();
    let spawned = thread::Builder::new()
        .name("runcommand-lsp-debounce".into())
        .spawn(move || {
            let mut due: HashMap<String, (u64, Instant)> = HashMap::new();
            loop {
                let next = due.values().map(|(_, t)| *t).min();
                let msg = match next {
                    None => match rx.recv() {
                        Ok(m) => Some(m),
                        Err(_) => return,
                    },
                    Some(t) => match rx.recv_timeout(t.saturating_duration_since(Instant::now())) {
                        Ok(m) => Some(m),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => return,
                    },
                };
                match msg {
                    Some(TimerMsg::Schedule { uri, generation }) => {
                        due.insert(uri, (generation, Instant::now() + delay));
                    }
                    Some(TimerMsg::Cancel(uri)) => {
                        due.remove(&uri);
                    }
                    None => {}
                }
                let now = Instant::now();
                let fired: Vec<String> = due
                    .iter()
                    .filter(|(_, (_, t))| *t <= now)
                    .map(|(u, _)| u.clone())
                    .collect();
                for uri in fired {
                    if let Some((generation, _)) = due.remove(&uri)
                        && events.send(Event::Lint { uri, generation }).is_err()
                    {
                        return;
                    }
                }
            }
        });
    spawned.ok().map(|handle| (tx, handle))
}
