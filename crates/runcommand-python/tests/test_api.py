"""The Python API gives the CLI's findings (the JSON contract) for the same text and
configuration, through the same engine."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

import runcommand_lint
from runcommand_lint import ConfigError, Engine, _native

from conftest import ROOT, run_cli

FIXTURES = sorted(
    p.relative_to(ROOT).as_posix()
    for p in (ROOT / "fixtures").rglob("*")
    if p.suffix in {".yaml", ".yml", ".json", ".jsonl"}
)

GOOD = {
    "RegionId": "cn-hangzhou",
    "Type": "RunShellScript",
    "CommandContent": "echo hello",
    "InstanceId": ["i-bp185dy2o3o6neg1234"],
}


def cli_json(*args: str) -> list[dict]:
    return json.loads(run_cli("check", "--format", "json", "--no-config", *args).stdout)["diagnostics"]


def test_every_fixture_gives_the_cli_findings() -> None:
    assert len(FIXTURES) > 100
    engine = Engine()
    # ShellCheck runs in both (scripts/test puts it on PATH): its findings are compared too.
    assert engine.shellcheck is not None
    for path in FIXTURES:
        got = engine.check((ROOT / path).read_bytes(), path)
        assert got == cli_json(path), path


def test_check_reads_the_format_from_the_path() -> None:
    yaml = "RegionId: cn-hangzhou\nType: RunShell\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n"
    (d,) = runcommand_lint.check(yaml)
    assert (d["code"], d["path"], d["range"]["start"]) == ("InvalidCmdType.NotFound", "request.yaml", {"line": 2, "column": 7})
    assert d["http_status"] == 404 and d["parameter"] == "Type" and d["severity"] == "error"
    # The same text named .json is not JSON.
    assert [d["code"] for d in runcommand_lint.check(yaml, "r.json")] == ["Lint.Syntax"]
    # Bytes too, and a broken encoding is a finding, not an exception.
    assert [d["code"] for d in runcommand_lint.check(b"\xff\xfe\x00", "r.yaml")] == ["Lint.Encoding"]


def test_check_request_nested_flattened_and_models() -> None:
    assert runcommand_lint.check_request(GOOD) == []
    flat = {"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo hi",
            "InstanceId.1": "i-bp185dy2o3o6neg1234", "Timeout": "3"}
    (d,) = runcommand_lint.check_request(flat)
    assert d["code"] == "Lint.TimeoutTooShort" and d["path"] == "request.json"
    text = json.dumps(flat, indent=2)
    line = text.splitlines()[d["range"]["start"]["line"] - 1]
    assert '"Timeout"' in line

    class Model:  # the shape of the SDK's request models
        def to_map(self) -> dict:
            return dict(GOOD, Frequency="rate(30s)", RepeatMode="Period")

    codes = [d["code"] for d in runcommand_lint.check_request(Model())]
    assert "InvalidParam.Frequency" in codes
    # A tuple and a set are lists; anything else is refused clearly.
    assert runcommand_lint.check_request(dict(GOOD, InstanceId=("i-bp185dy2o3o6neg1234",))) == []
    with pytest.raises(TypeError, match="cannot be checked"):
        runcommand_lint.check_request(dict(GOOD, Timeout=object()))
    with pytest.raises(TypeError, match="mapping"):
        runcommand_lint.check_request(42)


def test_check_records_equals_the_cli_on_a_log(tmp_path: Path) -> None:
    # More lines than one chunk, with a token first used in the first chunk and reused with
    # other parameters in the second: the cross-request check sees across chunks.
    lines = []
    for i in range(5000):
        req = dict(GOOD, CommandContent=f"echo {i}")
        if i in (10, 4500):
            req["ClientToken"] = "token-a"
        if i in (20, 4600):
            req.update(Name="saved", KeepCommand=True)
        lines.append(json.dumps({"eventName": "RunCommand", "requestParameters": req}))
    lines[3000] = '{"eventName": "DescribeInstances", "requestParameters": {"RegionId": "cn-hangzhou"}}'
    lines[3001] = "{broken"
    lines[3002] = ""
    log = tmp_path / "trail.jsonl"
    log.write_text("\n".join(lines) + "\n")
    expected = json.loads(run_cli("check", "--format", "json", "--no-config", str(log)).stdout)["diagnostics"]
    assert {d["code"] for d in expected} >= {"IdempotentParameterMismatch", "Lint.DuplicateSavedCommand", "Lint.Syntax"}
    with open(log) as f:
        assert runcommand_lint.check_records(f, str(log)) == expected
    # Mappings are lines too; check() on the whole text is the same run.
    assert runcommand_lint.check_records([json.loads(l) if l.startswith("{\"e") else l for l in lines], str(log)) == expected
    assert runcommand_lint.check(log.read_text(), str(log)) == expected


def test_the_example_audit_trail() -> None:
    path = "examples/audit-trail.jsonl"
    with open(ROOT / path) as f:
        got = runcommand_lint.check_records(f, path)
    assert got == cli_json(path)
    assert "Lint.DuplicateSavedCommand" in {d["code"] for d in got}


def test_configuration_as_a_mapping_and_as_a_file(tmp_path: Path) -> None:
    text = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\nTimeout: 3\n"
    assert [d["code"] for d in runcommand_lint.check(text)] == ["Lint.TimeoutTooShort"]
    engine = Engine({"severity": {"Lint.TimeoutTooShort": "error"}})
    assert [d["severity"] for d in engine.check(text)] == ["error"]
    assert Engine({"ignore": ["Lint.TimeoutTooShort"]}).check(text) == []
    assert Engine(ignore=["Lint"]).check(text) == []
    assert Engine(select=["InvalidParam"]).check(text) == []
    toml = tmp_path / "runcommand-lint.toml"
    toml.write_text('[per-path-ignores]\n"legacy/*.yaml" = ["Lint.TimeoutTooShort"]\n')
    engine = Engine(toml)
    assert engine.check(text, str(tmp_path / "legacy" / "a.yaml")) == []
    assert len(engine.check(text, str(tmp_path / "new" / "a.yaml"))) == 1
    # The CLI with the same file agrees.
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "a.yaml").write_text(text)
    got = json.loads(run_cli("check", "--format", "json", "--config", str(toml), str(tmp_path / "legacy" / "a.yaml")).stdout)
    assert got["diagnostics"] == []


def test_bad_configurations_raise_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Nope.Code"):
        Engine({"ignore": ["Nope.Code"]})
    with pytest.raises(ConfigError, match="configuration mapping"):
        Engine({"severity": 3})
    bad = tmp_path / "runcommand-lint.toml"
    bad.write_text("ignore = [\n")
    with pytest.raises(ConfigError, match="runcommand-lint.toml:"):
        Engine(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        Engine(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="ShellCheck is required"):
        Engine(shellcheck=str(tmp_path / "no-shellcheck-here"))
    with pytest.raises(ConfigError):
        Engine(select=["Lint.NoSuchThing"])
    with pytest.raises(ValueError, match="RFC 3339"):
        Engine(now="yesterday")
    assert issubclass(ConfigError, ValueError)
    assert Engine(shellcheck=False).shellcheck is None


def test_now_is_pinned() -> None:
    req = dict(GOOD, RepeatMode="Period", Frequency="at(2026-06-01 00:00:00 Asia/Shanghai)")
    codes = lambda now: [d["code"] for d in Engine(now=now, ignore=["Lint.AgentVersion"]).check_request(req)]  # noqa: E731
    assert codes("2026-01-01T00:00:00Z") == []
    assert codes("2027-01-01T00:00:00Z") == ["Lint.ScheduleExpired"]


def test_secrets_are_never_returned() -> None:
    secret = "Sup3r-S3cret-Value"
    req = dict(GOOD, EnableParameter=True, CommandContent="mysql -p{{password}}", Parameters={"password": secret})
    found = runcommand_lint.check_request(req)
    assert found, "a password in plaintext parameters is reported"
    assert secret not in json.dumps(found)


def test_the_gil_is_released_while_checking() -> None:
    # A request log big enough to take a while; while the engine checks it in one thread, the
    # main thread keeps running Python code (it could not if the GIL were held).
    line = json.dumps(dict(GOOD, CommandContent="echo " + "x" * 2000)) + "\n"
    text = line * 40000
    engine = Engine(shellcheck=False)
    inside = threading.Event()
    done = threading.Event()

    def work() -> None:
        inside.set()
        engine.check(text, "big.jsonl")
        done.set()

    t = threading.Thread(target=work)
    t.start()
    inside.wait()
    spins = 0
    while not done.is_set():
        spins += 1
    t.join()
    assert spins > 1000, spins


def test_the_type_stubs_name_what_the_module_has() -> None:
    stub = (Path(_native.__file__).parent / "_native.pyi").read_text()
    for name in ("Engine", "Records", "ConfigError", "version"):
        assert hasattr(_native, name) and (f"class {name}" in stub or f"def {name}" in stub)
    for method in ("check", "records", "check_log_apart", "check_log_with_conflicts"):
        assert hasattr(_native.Engine, method) and f"def {method}(" in stub
    assert (Path(runcommand_lint.__file__).parent / "py.typed").exists()
    assert runcommand_lint.__version__ == _native.version()
    for f in (runcommand_lint.check, runcommand_lint.check_request, runcommand_lint.check_records, Engine):
        assert f.__doc__
