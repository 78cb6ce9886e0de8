#!/usr/bin/env python3
"""Records per second per core of the Spark audit job against the CLI on the same audit trail,
and how the job scales with partitions on this machine (a benchmark, not a test).

    python3 bench/spark.py [--records N] [--files K] [--rounds R] [--cli PATH]

Needs the package installed (scripts/test installs it; or `pip install ./crates/runcommand-python`)
and a release CLI (`cargo build --release`). Generates a trail with bench/gen_corpus.py --trail,
then, interleaved round by round so that both see the same machine:
  - the CLI: `runcommand-lint check --no-shellcheck --format json-lines TRAIL > /dev/null`;
  - the job in one JVM (`local[2]`, started once: JVM start-up is not counted), for each
    partition count: the executors' checks (first half), the cross-request aggregations (their
    shuffles), and the whole job to written JSON Lines; and `local[1]` for one core.
Prints medians, records/s/core, and the job's ratio to the CLI.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli_seconds(cli: str, trail: Path) -> float:
    t = time.perf_counter()
    with open(os.devnull, "wb") as null:
        p = subprocess.run([cli, "check", "--no-shellcheck", "--format", "json-lines", str(trail)], stdout=null)
    assert p.returncode in (0, 1)
    return time.perf_counter() - t


def job_seconds(spark, trail: Path, out: Path, partitions: int) -> dict[str, float]:
    from runcommand_lint.spark import AuditOptions, audit

    timings: dict[str, float] = {}
    t = time.perf_counter()
    findings, _ = audit(spark, [str(trail)], AuditOptions(shellcheck=False), partitions, timings)
    findings.select("json").write.mode("overwrite").text(str(out))
    timings["total"] = time.perf_counter() - t
    return timings


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=400_000)
    ap.add_argument("--files", type=int, default=80)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cli", default=str(ROOT / "target" / "release" / "runcommand-lint"))
    ap.add_argument("--partitions", default="2,4,8,16")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="spark-bench-"))
    try:
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(work), "--trail", str(args.records),
             "--trail-files", str(args.files)],
            check=True,
        )
        trail = work / "trail"
        from pyspark.sql import SparkSession

        sessions = {}
        counts = [int(p) for p in args.partitions.split(",")]
        cli: list[float] = []
        job: dict[tuple[int, int], list[dict[str, float]]] = {}
        for cores in (2, 1):
            spark = (
                SparkSession.builder.master(f"local[{cores}]")
                .appName("runcommand-lint bench")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", str(2 * cores))
                .getOrCreate()
            )
            spark.sparkContext.setLogLevel("ERROR")
            job_seconds(spark, trail, work / "warm", counts[0])  # warm-up: Python workers, JIT
            for _ in range(args.rounds):
                cli.append(cli_seconds(args.cli, trail))
                for n in counts if cores == 2 else [counts[0]]:
                    job.setdefault((cores, n), []).append(job_seconds(spark, trail, work / "out", n))
            spark.stop()
            sessions[cores] = True
        c = statistics.median(cli)
        print(f"trail: {args.records} records in {args.files} files; {args.rounds} rounds, medians")
        print(f"CLI (2 threads):            {c:7.2f} s  {args.records / c / 2:10.0f} records/s/core")
        for (cores, n), runs in sorted(job.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            rate = args.records / med["total"] / cores
            print(
                f"Spark local[{cores}], {n:2d} partitions: {med['total']:7.2f} s  {rate:10.0f} records/s/core"
                f"  (checks {med['check']:.2f} s, cross-request aggregations {med['cross']:.2f} s)"
                f"  = {rate / (args.records / c / 2):.2f} of the CLI per core"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
