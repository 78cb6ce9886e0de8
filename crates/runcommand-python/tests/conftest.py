"""Shared set-up of the package's tests: the CLI to compare with, the repository's fixtures,
a local Spark session and a generated audit trail.

The CLI is $RUNCOMMAND_LINT (scripts/test sets it), else target/debug/runcommand-lint.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CLI = os.environ.get("RUNCOMMAND_LINT") or str(ROOT / "target" / "debug" / "runcommand-lint")


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """`runcommand-lint ARGS` (exit status 0 or 1: findings are not failures here)."""
    p = subprocess.run([CLI, *args], cwd=cwd, capture_output=True, text=True)
    assert p.returncode in (0, 1), f"{args}: exit {p.returncode}\n{p.stderr}"
    return p


@pytest.fixture(scope="session")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated audit trail of 100,000 records over 40 files (bench/gen_corpus.py --trail),
    with planted problems: tokens reused across files, names saved twice, broken lines."""
    out = tmp_path_factory.mktemp("trail")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(out), "--trail", "100000", "--trail-files", "40"],
        check=True,
        capture_output=True,
    )
    return out / "trail"


@pytest.fixture(scope="session")
def spark():
    """A local Spark session on two cores (the real pyspark, a real JVM)."""
    from pyspark.sql import SparkSession

    s = (
        SparkSession.builder.master("local[2]")
        .appName("runcommand-lint tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()
