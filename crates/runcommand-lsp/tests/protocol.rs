//! In-process protocol tests: the server runs on a thread over in-memory pipes and is driven by a
//! small JSON-RPC client, byte for byte as an editor would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::VecDeque;
use std::io::{BufReader, PipeWriter, Write};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use runcommand_document::{Format, LineIndex};
use runcommand_lsp::transport::{Frame, FrameReader};
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Client {
    to_server: Option<PipeWriter>,
    from_server: mpsc::Receiver<Value>,
    server: Option<JoinHandle<std::io::Result<i32>>>,
    next_id: i64,
    queue: VecDeque<Value>,
}

impl Client {
    fn start() -> Client {
        let (in_r, in_w) = std::io::pipe().unwrap();
        let (out_r, out_w) = std::io::pipe().unwrap();
        let server = std::thread::spawn(move || runcommand_lsp::run(in_r, out_w));
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = FrameReader::new(BufReader::new(out_r));
            while let Ok(Some(frame)) = r.next_frame() {
                let Frame::Body(b) = frame else {
                    panic!("the server wrote a malformed frame")
                };
                let v: Value = serde_json::from_slice(&b).expect("the server wrote JSON");
                assert_eq!(v["jsonrpc"], "2.0");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            to_server: Some(in_w),
            from_server: rx,
            server: Some(server),
            next_id: 0,
            queue: VecDeque::new(),
        }
    }

    /// Starts and initializes (UTF-16 unless `utf8`), with these initialization options (and
    /// `shellcheck: false`: these tests follow the engine's own findings publish by publish; the
    /// deferred ShellCheck pass has its end-to-end test in tests/e2e/test_lsp.py).
    fn initialized(utf8: bool, options: Value) -> Client {
        let mut c = Client::start();
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let r = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": {"general": {"positionEncodings": encodings}},
                "initializationOptions": with_fast_path_only(options),
            }),
        );
        let caps = &r["result"]["capabilities"];
        assert_eq!(
            caps["positionEncoding"],
            if utf8 { "utf-8" } else { "utf-16" }
        );
        assert_eq!(caps["textDocumentSync"]["change"], 2);
        assert_eq!(r["result"]["serverInfo"]["name"], "runcommand-lint");
        c.notify("initialized", json!({}));
        c
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        let w = self.to_server.as_mut().unwrap();
        w.write_all(bytes).unwrap();
        w.flush().unwrap();
    }

    fn send(&mut self, v: &Value) {
        let body = v.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn recv(&mut self) -> Value {
        self.from_server
            .recv_timeout(TIMEOUT)
            .expect("a message from the server in time")
    }

    /// Sends a request and returns its response (notifications meanwhile are queued).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(&json!(id))
    }

    fn response(&mut self, id: &Value) -> Value {
        loop {
            let v = self.recv();
            if v.get("method").is_none() && &v["id"] == id {
                return v;
            }
            self.queue.push_back(v);
        }
    }

    /// The next publishDiagnostics for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        if let Some(i) = self.queue.iter().position(|v| is_publish(v, uri)) {
            return self.queue.remove(i).unwrap()["params"].clone();
        }
        loop {
            let v = self.recv();
            if is_publish(&v, uri) {
                return v["params"].clone();
            }
            self.queue.push_back(v);
        }
    }

    fn open(&mut self, uri: &str, language: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn change(&mut self, uri: &str, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    /// Closes the input and waits for the server's exit status.
    fn finish(mut self) -> i32 {
        drop(self.to_server.take());
        self.server.take().unwrap().join().unwrap().unwrap()
    }
}

/// Initialization options with ShellCheck off.
fn with_fast_path_only(mut options: Value) -> Value {
    if let Some(o) = options.as_object_mut() {
        o.insert("shellcheck".into(), json!(false));
    }
    options
}

fn is_publish(v: &Value, uri: &str) -> bool {
    v["method"] == "textDocument/publishDiagnostics" && v["params"]["uri"] == uri
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// The LSP position of a byte offset, the way the client counts (UTF-16 or UTF-8).
fn lsp_pos(text: &str, offset: usize, utf8: bool) -> Value {
    let ix = LineIndex::new(text);
    let (line, col16) = ix.line_utf16(text, offset);
    let col = if utf8 {
        (offset - ix.line_range(text, line as usize).unwrap().start) as u32
    } else {
        col16
    };
    pos(line, col)
}

/// What `check` reports for a text, as the server should publish it.
fn expected(path: &str, text: &str, utf8: bool) -> Vec<Value> {
    let report = runcommand_rules::check_bytes(path, text.as_bytes(), Format::from_path(path));
    report
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "code": d.code.as_str(),
                "message": d.message,
                "severity": match d.severity {
                    runcommand_rules::Severity::Error => 1,
                    runcommand_rules::Severity::Warning => 2,
                    runcommand_rules::Severity::Info => 3,
                },
                "range": {"start": lsp_pos(text, d.span.start, utf8), "end": lsp_pos(text, d.span.end, utf8)},
            })
        })
        .collect()
}

/// The published diagnostics reduced to what `expected` gives.
fn published(params: &Value) -> Vec<Value> {
    params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["source"], "runcommand-lint");
            let code = d["code"].as_str().unwrap();
            let href = d["codeDescription"]["href"].as_str().unwrap();
            assert!(href.ends_with(&code.replace('.', "").to_lowercase()), "{href}");
            json!({"code": d["code"], "message": d["message"], "severity": d["severity"], "range": d["range"]})
        })
        .collect()
}

/// Applies LSP text edits (one document, UTF-16 positions) to a text.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut text = text.to_owned();
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|e| {
        (
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        )
    });
    for e in edits.into_iter().rev() {
        let ix = LineIndex::new(&text);
        let at = |p: &Value| {
            ix.offset_utf16(
                &text,
                p["line"].as_u64().unwrap() as u32,
                p["character"].as_u64().unwrap() as u32,
            )
        };
        let (a, b) = (at(&e["range"]["start"]), at(&e["range"]["end"]));
        text.replace_range(a..b, e["newText"].as_str().unwrap());
    }
    text
}

const URI: &str = "file:///work/requests/deploy.yaml";
const DOC: &str = "# Deploy. See InvalidCmdType.NotFound.\nRegionId: cn-hangzhou\nType: RunShellscript\nCommandContent: echo 😀 {{name}}\nInstanceId: [i-bp185dy2o3o6neg1234]\nTimed: true\nTimout: 30\n";

#[test]
fn a_whole_session() {
    let mut c = Client::initialized(false, json!({"debounceMs": 0}));
    // Open: the same findings as `check`.
    let d = c.open(URI, "yaml", DOC);
    assert_eq!(d["version"], 1);
    assert_eq!(published(&d), expected("deploy.yaml", DOC, false));
    let codes: Vec<&str> = d["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"InvalidCmdType.NotFound"), "{codes:?}");
    assert!(codes.contains(&"Lint.DeprecatedParameter"), "{codes:?}");
    assert!(codes.contains(&"Lint.UnknownParameter"), "{codes:?}");

    // Incremental change: `RunShellscript` → `RunShellScript` (the `s` on line 2, column 14).
    c.change(
        URI,
        2,
        json!([{"range": {"start": pos(2, 14), "end": pos(2, 15)}, "text": "S"}]),
    );
    let text = DOC.replace("RunShellscript", "RunShellScript");
    let d = c.diagnostics(URI);
    assert_eq!(d["version"], 2);
    assert_eq!(published(&d), expected("deploy.yaml", &text, false));
    assert!(
        !published(&d)
            .iter()
            .any(|d| d["code"] == "InvalidCmdType.NotFound")
    );

    // Hover on a parameter name, on a code in a comment, on a finding's range.
    let hover = |c: &mut Client, line, ch| {
        c.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": pos(line, ch)}),
        )["result"]
            .clone()
    };
    let h = hover(&mut c, 2, 1);
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.starts_with("**Type**"), "{md}");
    assert!(md.contains("`RunShellScript`"), "{md}");
    assert_eq!(h["range"], json!({"start": pos(2, 0), "end": pos(2, 4)}));
    let h = hover(&mut c, 0, 25);
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("**InvalidCmdType.NotFound**: HTTP 404"), "{md}");
    let h = hover(&mut c, 5, 2);
    let md = h["contents"]["value"].as_str().unwrap();
    assert!(md.contains("Lint.DeprecatedParameter"), "{md}");
    assert!(hover(&mut c, 1, 20).is_null());

    // Completion: values after `Type:`, keys, placeholders (the emoji counts 2 UTF-16 units).
    let complete = |c: &mut Client, line, ch| {
        c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": URI}, "position": pos(line, ch)}),
        )["result"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        complete(&mut c, 2, 9),
        vec!["RunBatScript", "RunPowerShellScript", "RunShellScript"]
    );
    let keys = complete(&mut c, 6, 3);
    assert!(keys.contains(&"Timeout".to_owned()) && keys.contains(&"CommandContent".to_owned()));
    let placeholders = complete(&mut c, 3, 26);
    assert!(
        placeholders.contains(&"ACS::InstanceId".to_owned()),
        "{placeholders:?}"
    );

    // Code actions: the rename of `Timout`, and the removal of `Timed` (its whole line).
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": pos(5, 0), "end": pos(6, 2)},
               "context": {"diagnostics": []}}),
    )["result"]
        .clone();
    let actions = actions.as_array().unwrap();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Remove `Timed`", "Rename to `Timeout`"]);
    let mut all_edits = Vec::new();
    for a in actions {
        assert_eq!(a["kind"], "quickfix");
        let edits = a["edit"]["changes"][URI].as_array().unwrap();
        let code = a["diagnostics"][0]["code"].as_str().unwrap();
        let once = apply_edits(&text, edits);
        assert!(
            !expected("deploy.yaml", &once, false)
                .iter()
                .any(|d| d["code"] == code),
            "{code} still there in {once:?}"
        );
        all_edits.extend(edits.iter().cloned());
        if code == "Lint.DeprecatedParameter" {
            assert!(!once.contains("Timed") && !once.contains("\n\n"));
        }
    }
    // Both fixes at once (separate lines), sent as a full-text change.
    let fixed = apply_edits(&text, &all_edits);
    assert!(
        fixed.ends_with("InstanceId: [i-bp185dy2o3o6neg1234]\nTimeout: 30\n"),
        "{fixed}"
    );
    c.change(URI, 3, json!([{"text": fixed}]));
    let d = c.diagnostics(URI);
    assert_eq!(published(&d), expected("deploy.yaml", &fixed, false));
    // `only` without quickfix: nothing.
    let none = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": pos(0, 0), "end": pos(9, 0)},
               "context": {"diagnostics": [], "only": ["refactor"]}}),
    );
    assert_eq!(none["result"], json!([]));

    // Close: an empty list.
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let d = c.diagnostics(URI);
    assert_eq!(d["diagnostics"], json!([]));

    // Shutdown, a request after it, exit.
    assert_eq!(c.request("shutdown", Value::Null)["result"], Value::Null);
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos(0, 0)}),
    );
    assert_eq!(r["error"]["code"], -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.finish(), 0);
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let mut c = Client::initialized(false, json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.finish(), 1);
    // The end of the input without exit: 1 as well.
    let c = Client::initialized(false, json!({}));
    assert_eq!(c.finish(), 1);
}

#[test]
fn malformed_and_unknown_messages_get_errors_and_the_server_goes_on() {
    let mut c = Client::start();
    // Before initialize.
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32002);
    // Not JSON: ParseError with id null.
    c.send_raw(b"Content-Length: 9\r\n\r\n{\"jsonrp\"");
    let r = c.response(&Value::Null);
    assert_eq!(r["error"]["code"], -32700);
    // JSON but not a message: InvalidRequest, with the id when there is one.
    c.send(&json!({"jsonrpc": "2.0", "id": 41}));
    assert_eq!(c.response(&json!(41))["error"]["code"], -32600);
    c.send(&json!([1, 2]));
    assert_eq!(c.response(&Value::Null)["error"]["code"], -32600);
    c.send(&json!({"jsonrpc": "1.0", "id": "x", "method": "initialize"}));
    assert_eq!(c.response(&json!("x"))["error"]["code"], -32600);
    // Junk outside any frame, then a bad Content-Length: ParseError each, then back in sync.
    c.send_raw(b"hello there\r\n");
    assert_eq!(c.response(&Value::Null)["error"]["code"], -32700);
    c.send_raw(b"Content-Length: lots\r\n\r\n{}");
    assert_eq!(c.response(&Value::Null)["error"]["code"], -32700);
    // Still serving.
    let r = c.request(
        "initialize",
        json!({"capabilities": {}, "initializationOptions": {"debounceMs": 0}}),
    );
    assert_eq!(r["result"]["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(
        c.request("initialize", json!({"capabilities": {}}))["error"]["code"],
        -32600
    );
    // Unknown method: MethodNotFound; bad params: InvalidParams; unknown notification: ignored.
    assert_eq!(
        c.request("textDocument/definition", json!({}))["error"]["code"],
        -32601
    );
    assert_eq!(
        c.request("textDocument/hover", json!({"x": 1}))["error"]["code"],
        -32602
    );
    c.notify("workspace/unknownThing", json!({}));
    c.notify("textDocument/didOpen", json!({"textDocument": 3}));
    // Hover on a document never opened: null.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nope.yaml"}, "position": pos(0, 0)}),
    );
    assert_eq!(r["result"], Value::Null);
    let d = c.open(URI, "yaml", "RegionId: cn-hangzhou\nCommandContent: [\n");
    assert_eq!(published(&d)[0]["code"], "Lint.Syntax");
    assert_eq!(c.request("shutdown", Value::Null)["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.finish(), 0);
}

#[test]
fn unrelated_files_get_no_findings_unless_included() {
    let mut c = Client::initialized(
        false,
        json!({"include": ["**/requests/*.yaml"], "debounceMs": 0}),
    );
    let ci = "name: ci\non: push\njobs: {}\n";
    let d = c.open("file:///repo/.github/workflows/ci.yaml", "yaml", ci);
    assert_eq!(d["diagnostics"], json!([]));
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///repo/.github/workflows/ci.yaml"}, "position": pos(0, 1)}),
    );
    assert_eq!(r["result"], Value::Null);
    let d = c.open("file:///repo/requests/ci.yaml", "yaml", ci);
    assert!(!published(&d).is_empty());
    assert_eq!(published(&d), expected("ci.yaml", ci, false));
    // JSON by languageId; an unrelated object: nothing.
    let d = c.open(
        "file:///repo/tsconfig.json",
        "json",
        r#"{"compilerOptions": {}}"#,
    );
    assert_eq!(d["diagnostics"], json!([]));
    assert_eq!(c.request("shutdown", Value::Null)["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.finish(), 0);
}

#[test]
fn utf8_positions_when_offered() {
    let mut c = Client::initialized(true, json!({"debounceMs": 0}));
    let text = "Description: \"é😀\"\nRegionId: cn-hangzhou\nType: RunShellscript\nCommandContent: x\nInstanceId: [i-abc]\n";
    let d = c.open(URI, "yaml", text);
    assert_eq!(published(&d), expected("x.yaml", text, true));
    // Replace `é😀` (6 bytes from byte 14 on line 0) with `ab`.
    c.change(
        URI,
        2,
        json!([{"range": {"start": pos(0, 14), "end": pos(0, 20)}, "text": "ab"}]),
    );
    let after = text.replace("é😀", "ab");
    let d = c.diagnostics(URI);
    assert_eq!(published(&d), expected("x.yaml", &after, true));
    assert_eq!(c.request("shutdown", Value::Null)["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.finish(), 0);
}

#[test]
fn changes_are_debounced() {
    let mut c = Client::initialized(false, json!({"debounceMs": 300}));
    let base =
        "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo\nInstanceId: [i-abc]\n";
    let d = c.open(URI, "yaml", base);
    assert_eq!(published(&d), Vec::<Value>::new());
    // Six quick changes (well within 300 ms): one lint, for the last version.
    let mut text = base.to_owned();
    for (i, ch) in "Timed".chars().enumerate() {
        c.change(
            URI,
            2 + i as i32,
            json!([{"range": {"start": pos(4, i as u32), "end": pos(4, i as u32)}, "text": ch.to_string()}]),
        );
        text.push(ch);
    }
    c.change(
        URI,
        7,
        json!([{"range": {"start": pos(4, 5), "end": pos(4, 5)}, "text": ": true\n"}]),
    );
    text.push_str(": true\n");
    let d = c.diagnostics(URI);
    assert_eq!(d["version"], 7);
    assert_eq!(published(&d), expected("x.yaml", &text, false));
    assert_eq!(published(&d)[0]["code"], "Lint.DeprecatedParameter");
    // Nothing else comes for the earlier versions.
    assert!(
        c.from_server
            .recv_timeout(Duration::from_millis(500))
            .is_err()
    );
    // A close cancels a pending lint: only the empty list comes.
    c.change(URI, 8, json!([{"text": base}]));
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": URI}}),
    );
    let d = c.diagnostics(URI);
    assert_eq!(d["diagnostics"], json!([]));
    assert!(
        c.from_server
            .recv_timeout(Duration::from_millis(500))
            .is_err()
    );
    assert_eq!(c.request("shutdown", Value::Null)["result"], Value::Null);
    c.notify("exit", Value::Null);
    assert_eq!(c.finish(), 0);
}

/// `fixtures/valid/full-request.yaml`, typed one character at a time from an empty document,
/// with a completion and a hover request after every character: every half-typed state is
/// linted (debounce 0) without a crash, and the final diagnostics are `check`'s.
#[test]
fn typing_a_request_character_by_character() {
    let full = include_str!("../../../fixtures/valid/full-request.yaml");
    for (uri, path, text) in [
        (
            "file:///r/full-request.yaml",
            "full-request.yaml",
            full.to_owned(),
        ),
        (
            "file:///r/typed.yaml",
            "typed.yaml",
            format!(
                "{full}Timed: true\nTimout: 5\nParameters:\n  name: x\nDescription: \"é😀 {{{{name}}}}\"\n"
            ),
        ),
    ] {
        let mut c = Client::initialized(false, json!({"debounceMs": 0}));
        c.open(uri, "yaml", "");
        let (mut line, mut col) = (0u32, 0u32);
        for (i, ch) in text.chars().enumerate() {
            let version = i as i32 + 2;
            c.change(
                uri,
                version,
                json!([{"range": {"start": pos(line, col), "end": pos(line, col)}, "text": ch.to_string()}]),
            );
            if ch == '\n' {
                line += 1;
                col = 0;
            } else {
                col += ch.len_utf16() as u32;
            }
            let d = c.diagnostics(uri);
            assert_eq!(d["version"], version);
            let p = json!({"textDocument": {"uri": uri}, "position": pos(line, col)});
            let r = c.request("textDocument/completion", p.clone());
            assert!(r.get("result").is_some(), "{r}");
            let r = c.request("textDocument/hover", p.clone());
            assert!(r.get("result").is_some(), "{r}");
            let r = c.request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": {"start": pos(0, 0), "end": pos(line, col)}, "context": {"diagnostics": []}}),
            );
            assert!(r["result"].is_array(), "{r}");
            if i + 1 == text.chars().count() {
                assert_eq!(published(&d), expected(path, &text, false));
                // The valid fixture has no findings; the extended one has some.
                assert_eq!(published(&d).is_empty(), path == "full-request.yaml", "{d}");
            }
        }
        assert_eq!(c.request("shutdown", Value::Null)["result"], Value::Null);
        c.notify("exit", Value::Null);
        assert_eq!(c.finish(), 0);
    }
}

/// Found by the `lsp` fuzz target: input that is no LSP frame at all ends the server with status
/// 1, and `run` returns only after its reader thread has ended.
#[test]
fn garbage_input_ends_the_server_cleanly() {
    for input in [
        &b"9\t:"[..],
        b"",
        b"Content-Length: 5\r\n\r\n{}",
        b"\xff\xfe",
    ] {
        let mut out = Vec::new();
        let code = runcommand_lsp::run(std::io::Cursor::new(input.to_vec()), &mut out).unwrap();
        assert_eq!(code, 1, "{input:?}");
    }
}
