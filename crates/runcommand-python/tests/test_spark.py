"""The Spark job (a real local Spark, two cores) gives, record for record, the findings of
`runcommand-lint check` on the same files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from runcommand_lint.spark import AuditOptions, audit

from conftest import run_cli


def spark_job(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runcommand_lint.spark", "--master", "local[2]", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
    )


def parts(out: Path) -> list[str]:
    """The findings of a JSON Lines output directory, part files in name order."""
    lines: list[str] = []
    for p in sorted(out.glob("part-*")):
        lines.extend(p.read_text().splitlines())
    return lines


def test_the_job_equals_the_cli_on_a_100000_record_trail(trail: Path) -> None:
    root = trail.parent
    cli = run_cli("check", "--no-shellcheck", "--format", "json-lines", "trail", cwd=root).stdout.splitlines()
    # Files spread over 7 partitions (tokens are reused across files, so across partitions).
    p = spark_job("--no-shellcheck", "--partitions", "7", "trail", "out", cwd=root)
    assert p.returncode == 1, p.stderr[-3000:]
    got = parts(root / "out")
    assert len(got) == len(cli) > 10000
    assert got == cli
    codes = Counter(json.loads(line)["code"] for line in got)
    # The planted problems are all there.
    assert codes["IdempotentParameterMismatch"] > 300
    assert codes["Lint.DuplicateSavedCommand"] > 250
    assert codes["Lint.Syntax"] > 50 and codes["Lint.Encoding"] == 1
    summary = json.loads((root / "out" / "_summary.json").read_text())
    assert summary["findings"] == len(cli)
    assert {r["code"]: r["count"] for r in summary["by_code"]} == dict(codes)
    # The summary on standard output too.
    assert "IdempotentParameterMismatch" in p.stdout


def small_trail(root: Path) -> None:
    """Two logs in a directory and one named file, with a token reused across them."""
    req = {"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo hi",
           "InstanceId": ["i-bp185dy2o3o6neg1234"], "Timeout": 3}
    ev = lambda r: json.dumps({"eventName": "RunCommand", "requestParameters": r})  # noqa: E731
    (root / "logs" / "b").mkdir(parents=True)
    (root / "logs" / "a.jsonl").write_text(ev(dict(req, ClientToken="tok")) + "\n" + ev(dict(req, Name="n", KeepCommand=True)) + "\n")
    (root / "logs" / "b" / "c.NDJSON").write_text(ev(dict(req, ClientToken="tok", CommandContent="echo other")) + "\n" + ev(req)[:-12] + "\n")
    (root / "named.log").write_text(ev(dict(req, Name="n", KeepCommand=True, Type="RunShell")) + "\n\n")
    (root / "cfg.toml").write_text('ignore = ["Lint.TimeoutTooShort"]\n[severity]\n"Lint.DuplicateSavedCommand" = "error"\n')


def test_audit_in_process_with_a_configuration_and_named_files(spark, tmp_path: Path, monkeypatch) -> None:
    small_trail(tmp_path)
    monkeypatch.chdir(tmp_path)
    # A directory given with a trailing slash, and a named file with any extension (read as
    # JSON Lines by the job, as by the CLI with --input-format jsonl).
    cli = run_cli(
        "check", "--no-shellcheck", "--format", "json-lines", "--config", "cfg.toml",
        "--input-format", "jsonl", "logs/", "named.log", cwd=tmp_path,
    ).stdout.splitlines()
    options = AuditOptions(config=((tmp_path / "cfg.toml").read_text(), str(tmp_path / "cfg.toml")), shellcheck=False)
    findings, summary = audit(spark, ["logs/", "named.log"], options, partitions=3)
    got = [r.json for r in findings.collect()]
    assert got == cli
    codes = [json.loads(line)["code"] for line in got]
    assert "Lint.TimeoutTooShort" not in codes
    assert "IdempotentParameterMismatch" in codes and "Lint.Syntax" in codes
    dup = [json.loads(line) for line in got if '"Lint.DuplicateSavedCommand"' in line]
    assert [d["severity"] for d in dup] == ["error"] and dup[0]["path"] == "named.log"
    assert {r["code"] for r in summary.collect()} == set(codes)


def test_parquet_output_has_the_contract_columns(spark, tmp_path: Path) -> None:
    small_trail(tmp_path)
    p = spark_job("--no-shellcheck", "--format", "parquet", "logs", "out", cwd=tmp_path)
    assert p.returncode == 1, p.stderr[-3000:]
    df = spark.read.parquet(str(tmp_path / "out"))
    assert df.columns == ["path", "document", "code", "severity", "http_status", "parameter", "message", "help", "range", "fix"]
    cli = [json.loads(line) for line in run_cli("check", "--no-shellcheck", "--format", "json-lines", "logs", cwd=tmp_path).stdout.splitlines()]
    rows = sorted((r.path, r.document, r.code, r.range.start.line, r.range.start.column) for r in df.collect())
    assert rows == sorted((d["path"], d["document"], d["code"], d["range"]["start"]["line"], d["range"]["start"]["column"]) for d in cli)


def test_a_bad_configuration_or_input_exits_2(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('ignore = ["Not.A.Code"]\n')
    p = spark_job("--config", "bad.toml", "in", "out", cwd=tmp_path)
    assert p.returncode == 2 and "Not.A.Code" in p.stderr
    p = spark_job("--config", "missing.toml", "in", "out", cwd=tmp_path)
    assert p.returncode == 2 and "cannot read the configuration" in p.stderr
    p = spark_job("--no-shellcheck", "no-such-dir", "out", cwd=tmp_path)
    assert p.returncode == 2 and "no-such-dir" in p.stderr
    assert not (tmp_path / "out").exists()
