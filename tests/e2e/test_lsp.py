"""End-to-end tests of `runcommand-lint lsp` under a real LSP client (pytest-lsp / pygls).

The binary is $RUNCOMMAND_LINT (set by scripts/test). The published diagnostics are compared with
what `runcommand-lint check --format json` reports for the same text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

BIN = os.environ.get("RUNCOMMAND_LINT", "runcommand-lint")

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")

URI = "file:///work/requests/deploy.yaml"
# A control character after non-ASCII text (positions differ between UTF-8 and UTF-16), a
# misspelt Type, the deprecated Timed and a misspelt key.
DOC = (
    "RegionId: cn-hangzhou\n"
    'Name: "é😀\\u0007x"\n'
    "Type: RunShellscript  # é\n"
    "CommandContent: echo hi\n"
    "InstanceId: [i-bp185dy2o3o6neg1234]\n"
    "Timed: true\n"
    "Timout: 30\n"
    "Frequency: 0 15 10 ? * 6#3 Asia/Shanghai\n"
)


def check(text: str) -> list[dict]:
    """`runcommand-lint check --format json` on the text."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "deploy.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return check_path(path)


def units(line: str, chars: int, encoding: str) -> int:
    """The LSP character offset of `chars` characters into `line`."""
    prefix = line[:chars]
    if encoding == "utf-8":
        return len(prefix.encode("utf-8"))
    return len(prefix.encode("utf-16-le")) // 2


def as_published(diagnostics: list[dict], text: str, encoding: str) -> list[tuple]:
    """`check --format json` diagnostics as the tuples `published` makes of LSP ones."""
    lines = text.split("\n")

    def pos(p: dict) -> tuple[int, int]:
        line = p["line"] - 1
        return (line, units(lines[line], p["column"] - 1, encoding))

    return [
        (
            d["code"],
            d["message"],
            {"error": 1, "warning": 2, "info": 3}[d["severity"]],
            pos(d["range"]["start"]),
            pos(d["range"]["end"]),
        )
        for d in diagnostics
    ]


def expected(text: str, encoding: str) -> list[tuple]:
    return as_published(check(text), text, encoding)


def published(diagnostics) -> list[tuple]:
    out = []
    for d in diagnostics:
        assert d.source == "runcommand-lint"
        if d.code.startswith("ShellCheck."):
            assert d.code_description.href == "https://www.shellcheck.net/wiki/" + d.code[11:]
        else:
            assert d.code_description.href.endswith("#" + d.code.replace(".", "").lower())
        out.append(
            (
                d.code,
                d.message,
                d.severity.value,
                (d.range.start.line, d.range.start.character),
                (d.range.end.line, d.range.end.character),
            )
        )
    return out


def apply_edits(text: str, edits, encoding: str) -> str:
    """Applies LSP text edits (positions in `encoding`) to a text."""
    lines = text.split("\n")

    def offset(p) -> int:
        before = sum(len(l) + 1 for l in lines[: p.line])
        line = lines[p.line] if p.line < len(lines) else ""
        raw = line.encode("utf-8" if encoding == "utf-8" else "utf-16-le")
        width = 1 if encoding == "utf-8" else 2
        chars = len(raw[: p.character * width].decode("utf-8" if encoding == "utf-8" else "utf-16-le"))
        return before + chars

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        a, b = offset(e.range.start), offset(e.range.end)
        text = text[:a] + e.new_text + text[b:]
    return text


async def diagnostics_for(client: LanguageClient, uri: str, version: int | None):
    """Waits for the publishDiagnostics of `uri` (at `version`)."""
    while True:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if uri in client.diagnostics and (
            version is None or client.diagnostic_versions.get(uri) == version
        ):
            return client.diagnostics[uri]


def publish_diagnostics(client: LanguageClient, params: types.PublishDiagnosticsParams):
    """Keeps the version of each published list too (the default handler keeps the list), and
    how many lists each document got."""
    client.diagnostics[params.uri] = params.diagnostics
    client.diagnostic_versions[params.uri] = params.version
    client.publish_count[params.uri] = client.publish_count.get(params.uri, 0) + 1


def register_capability(client: LanguageClient, params: types.RegistrationParams):
    """Records what the server asks the client to do for it (as an editor would, it accepts)."""
    client.registrations.extend(params.registrations)


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    client.diagnostic_versions = {}
    client.publish_count = {}
    client.registrations = []
    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish_diagnostics
    features[types.CLIENT_REGISTER_CAPABILITY] = register_capability
    register_lsp_features(client, features)
    return client


@pytest_lsp.fixture(
    params=["visual-studio-code", "neovim@v0.11.0"],
    config=ClientServerConfig(server_command=[BIN, "lsp"], client_factory=make_client),
)
async def client(request, lsp_client: LanguageClient):
    params = types.InitializeParams(
        capabilities=client_capabilities(request.param),
        initialization_options={"debounceMs": 20},
    )
    result = await lsp_client.initialize_session(params)
    lsp_client.encoding = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()
    assert lsp_client._server.returncode == 0


@pytest.mark.asyncio
async def test_a_session(client: LanguageClient):
    enc = client.encoding
    assert enc in ("utf-8", "utf-16")
    offered = client.capabilities.general and client.capabilities.general.position_encodings
    assert enc == ("utf-8" if offered and "utf-8" in offered else "utf-16")

    # Open: the same findings as `check`.
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI, language_id="yaml", version=1, text=DOC)
        )
    )
    diags = await diagnostics_for(client, URI, 1)
    assert published(diags) == expected(DOC, enc)
    codes = [d.code for d in diags]
    assert "InvalidParameterCharacter.CommandName" in codes
    assert "InvalidCmdType.NotFound" in codes

    # Hover on the `Type` key: the catalogue's documentation.
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=2, character=1),
        )
    )
    assert "RunShellScript" in hover.contents.value
    assert hover.contents.kind == types.MarkupKind.Markdown

    # Hover on the Frequency value: its meaning and its next firings.
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=7, character=14),
        )
    )
    assert "third Saturday of every month" in hover.contents.value
    assert "Next 5 firings" in hover.contents.value
    assert hover.contents.value.count("\n- ") >= 5

    # Completion of the values of Type.
    items = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=2, character=9),
        )
    )
    labels = [i.label for i in (items.items if hasattr(items, "items") else items)]
    assert labels == ["RunBatScript", "RunPowerShellScript", "RunShellScript"]

    # A quick fix for the misspelt Type, applied as the client would, sent back as a change.
    type_diag = next(d for d in diags if d.code == "InvalidCmdType.NotFound")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=type_diag.range,
            context=types.CodeActionContext(diagnostics=[type_diag]),
        )
    )
    fix = next(a for a in actions if a.title == "Replace with `RunShellScript`")
    assert fix.kind == types.CodeActionKind.QuickFix
    text = apply_edits(DOC, fix.edit.changes[URI], enc)
    assert "Type: RunShellScript  # é\n" in text
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
                for e in fix.edit.changes[URI]
            ],
        )
    )
    diags = await diagnostics_for(client, URI, 2)
    assert published(diags) == expected(text, enc)
    assert "InvalidCmdType.NotFound" not in [d.code for d in diags]

    # Remove Timed: its whole line goes.
    timed = next(d for d in diags if d.code == "Lint.DeprecatedParameter")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=timed.range,
            context=types.CodeActionContext(diagnostics=[timed]),
        )
    )
    fix = next(a for a in actions if a.title == "Remove `Timed`")
    text = apply_edits(text, fix.edit.changes[URI], enc)
    assert "Timed" not in text and "\n\n" not in text
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=3),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    diags = await diagnostics_for(client, URI, 3)
    assert published(diags) == expected(text, enc)

    # Close: an empty list.
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    assert list(await diagnostics_for(client, URI, None)) == []


@pytest.mark.asyncio
async def test_unrelated_files_get_nothing(client: LanguageClient):
    uri = "file:///work/.github/workflows/ci.yaml"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="yaml", version=1, text="name: ci\non: push\njobs: {}\n"
            )
        )
    )
    assert list(await diagnostics_for(client, uri, 1)) == []


ROS_TEMPLATE = """ROSTemplateFormatVersion: '2015-09-01'
Parameters:
  AppDir:
    Type: String
    Default: /opt/app
Resources:
  Deploy:
    Type: ALIYUN::ECS::RunCommand
    Properties:
      Type: RunShellScript
      InstanceIds: [i-bp1a2b3c4d5e6f7g8h9i]
      CommandContent:
        Fn::Sub: cd ${Appdir} && ./start.sh
"""


@pytest.mark.asyncio
async def test_a_ros_template_gets_the_findings_of_check(client: LanguageClient, tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_text(ROS_TEMPLATE)
    uri = file_uri(str(path))
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="yaml", version=1, text=ROS_TEMPLATE
            )
        )
    )
    diags = list(await diagnostics_for(client, uri, 1))
    assert [d.code for d in diags] == ["Lint.RosUnknownReference"]
    # At `Appdir` inside the Fn::Sub string (line 13, 0-based 12).
    assert diags[0].range.start.line == 12
    line = ROS_TEMPLATE.splitlines()[12]
    assert line[diags[0].range.start.character :].startswith("Appdir")
    assert published(diags) == expected_at(str(path), ROS_TEMPLATE, client.encoding)


SHELL_REQUEST = """RegionId: cn-hangzhou
Type: RunShellScript
InstanceId: [i-bp1a2b3c4d5e6f7g8h9i]
Timeout: 5
CommandContent: |
  cd $1
  rm $(ls /tmp/*.old)
"""


@pytest.mark.asyncio
async def test_shellcheck_findings_arrive_after_the_fast_ones(client: LanguageClient):
    uri = "file:///work/requests/cleanup.yaml"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="yaml", version=1, text=SHELL_REQUEST
            )
        )
    )
    fast = list(await diagnostics_for(client, uri, 1))
    # At once: the engine's own findings, no ShellCheck yet.
    assert [d.code for d in fast] == ["Lint.TimeoutTooShort"]
    # Then the same version again, with ShellCheck's findings: what `check` reports.
    complete = list(await next_diagnostics(client, uri, 1))
    assert client.diagnostic_versions[uri] == 1
    codes = {d.code for d in complete}
    assert {"Lint.TimeoutTooShort", "ShellCheck.SC2164", "ShellCheck.SC2046"} <= codes, codes
    assert published(complete) == expected(SHELL_REQUEST, client.encoding)


def check_path(path: str) -> list[dict]:
    """`runcommand-lint check --format json` on a file where it lies (its configuration applies)."""
    out = subprocess.run(
        [BIN, "check", "--format", "json", path],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)["diagnostics"]


def expected_at(path: str, text: str, encoding: str) -> list[tuple]:
    return as_published(check_path(path), text, encoding)


def file_uri(path: str) -> str:
    return "file://" + path


async def next_diagnostics(client: LanguageClient, uri: str, before: int):
    """Waits for a publishDiagnostics of `uri` after `before` were received."""
    while client.publish_count.get(uri, 0) <= before:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[uri]


@pytest.mark.asyncio
async def test_the_configuration_applies_in_the_editor_as_in_check(client: LanguageClient):
    enc = client.encoding
    with tempfile.TemporaryDirectory() as d:
        d = os.path.realpath(d)
        config = os.path.join(d, "runcommand-lint.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write('ignore = ["Lint.UnknownParameter"]\n\n[severity]\n"InvalidCmdType" = "warning"\n')
        os.makedirs(os.path.join(d, "requests"))
        path = os.path.join(d, "requests", "deploy.yaml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(DOC)
        uri = file_uri(path)
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=DOC)
            )
        )
        diags = await diagnostics_for(client, uri, 1)
        # A client that can watch files for the server was asked to watch configuration files.
        watches = client.capabilities.workspace.did_change_watched_files
        if watches and watches.dynamic_registration:
            [reg] = [r for r in client.registrations if r.method == "workspace/didChangeWatchedFiles"]
            assert reg.register_options["watchers"][0]["globPattern"] == "**/runcommand-lint.toml"
        # Exactly what `check` prints for the file, under the same configuration.
        assert published(diags) == expected_at(path, DOC, enc)
        codes = {d.code: d.severity for d in diags}
        assert "Lint.UnknownParameter" not in codes
        assert codes["InvalidCmdType.NotFound"] == types.DiagnosticSeverity.Warning

        # The configuration changes on disk; the client's watcher says so: the findings follow.
        with open(config, "w", encoding="utf-8") as f:
            f.write('[severity]\n"Lint" = "info"\n')
        before = client.publish_count.get(uri, 0)
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=file_uri(config), type=types.FileChangeType.Changed)]
            )
        )
        diags = await next_diagnostics(client, uri, before)
        assert published(diags) == expected_at(path, DOC, enc)
        codes = {d.code: d.severity for d in diags}
        assert codes["Lint.UnknownParameter"] == types.DiagnosticSeverity.Information
        assert codes["InvalidCmdType.NotFound"] == types.DiagnosticSeverity.Error

        # Saving the configuration in the editor reloads it too.
        with open(config, "w", encoding="utf-8") as f:
            f.write('select = ["InvalidCmdType"]\n')
        before = client.publish_count.get(uri, 0)
        client.text_document_did_save(
            types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=file_uri(config)))
        )
        diags = await next_diagnostics(client, uri, before)
        assert [d.code for d in diags] == ["InvalidCmdType.NotFound"]
        assert published(diags) == expected_at(path, DOC, enc)

        # An invalid configuration is shown to the user, not silently ignored.
        with open(config, "w", encoding="utf-8") as f:
            f.write('ignore = ["Lint.NoSuchCode"]\n')
        before = client.publish_count.get(uri, 0)
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=file_uri(config), type=types.FileChangeType.Changed)]
            )
        )
        await next_diagnostics(client, uri, before)
        shown = [m for m in client.messages if "runcommand-lint.toml" in m.message]
        assert shown, client.messages
        assert shown[-1].type == types.MessageType.Error
        assert "`Lint.NoSuchCode` is not a code" in shown[-1].message
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )


def frame(obj) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_frames(data: bytes) -> list[dict]:
    out = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        n = int(head.split(b":")[1])
        out.append(json.loads(rest[:n]))
        data = rest[n:]
    return out


def test_exit_status_and_malformed_messages():
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}
    exit_ = {"jsonrpc": "2.0", "method": "exit"}
    # exit without shutdown: status 1; malformed JSON gets a ParseError and the server goes on.
    stream = (
        frame(init)
        + b"Content-Length: 5\r\n\r\n{oops"
        + frame({"jsonrpc": "2.0", "id": 2, "method": "no/such/method"})
        + frame(exit_)
    )
    p = subprocess.run([BIN, "lsp"], input=stream, capture_output=True, timeout=30, check=False)
    assert p.returncode == 1, p.stderr
    msgs = read_frames(p.stdout)
    assert msgs[0]["id"] == 1 and "capabilities" in msgs[0]["result"]
    assert msgs[1] == {"jsonrpc": "2.0", "id": None, "error": msgs[1]["error"]}
    assert msgs[1]["error"]["code"] == -32700
    assert msgs[2]["id"] == 2 and msgs[2]["error"]["code"] == -32601
    # shutdown, a request after it (InvalidRequest), exit: status 0.
    stream = (
        frame(init)
        + frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        + frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
        + frame(exit_)
    )
    p = subprocess.run([BIN, "lsp"], input=stream, capture_output=True, timeout=30, check=False)
    assert p.returncode == 0, p.stderr
    msgs = read_frames(p.stdout)
    assert msgs[1] == {"jsonrpc": "2.0", "id": 2, "result": None}
    assert msgs[2]["error"]["code"] == -32600


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
