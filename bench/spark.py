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
Prints medians, records/s/core, and the job's ratio to the CLI. With --scale K, the same is
measured on a K times larger trail too, and the marginal rate between the two sizes (the extra
records over the extra time) is printed: the rate of a long job, without the fixed costs of
starting each stage (which a cluster pays once per job, not per record).
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


def measure(trail: Path, work: Path, records: int, rounds: int, cli_path: str, counts: list[int]):
    """Medians of the CLI and of the job (by cores and partitions) on one trail."""
    from pyspark.sql import SparkSession

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
        for _ in range(rounds):
            cli.append(cli_seconds(cli_path, trail))
            for n in counts if cores == 2 else [counts[0]]:
                job.setdefault((cores, n), []).append(job_seconds(spark, trail, work / "out", n))
        spark.stop()
    med = {k: {m: statistics.median(r[m] for r in runs) for m in runs[0]} for k, runs in job.items()}
    return statistics.median(cli), med


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=400_000)
    ap.add_argument("--files", type=int, default=80)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scale", type=int, default=1, help="also measure a trail this many times larger")
    ap.add_argument("--cli", default=str(ROOT / "target" / "release" / "runcommand-lint"))
    ap.add_argument("--partitions", default="2,4,8,16")
    args = ap.parse_args()
    counts = [int(p) for p in args.partitions.split(",")]
    sizes = [(args.records, args.files)]
    if args.scale > 1:
        sizes.append((args.records * args.scale, args.files * args.scale))
    results = []
    for records, files in sizes:
        work = Path(tempfile.mkdtemp(prefix="spark-bench-"))
        try:
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(work), "--trail", str(records),
                 "--trail-files", str(files)],
                check=True,
            )
            results.append((records, files, *measure(work / "trail", work, records, args.rounds, args.cli, counts)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    for records, files, c, med in results:
        cli_rate = records / c / 2
        print(f"trail: {records} records in {files} files; {args.rounds} rounds, medians")
        print(f"  CLI (2 threads):              {c:7.2f} s  {cli_rate:10.0f} records/s/core")
        for (cores, n), m in sorted(med.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
            rate = records / m["total"] / cores
            print(
                f"  Spark local[{cores}], {n:2d} partitions: {m['total']:7.2f} s  {rate:10.0f} records/s/core"
                f"  (checks {m['check']:.2f} s, cross-request aggregations {m['cross']:.2f} s)"
                f"  = {rate / cli_rate:.2f} of the CLI per core"
            )
    if len(results) == 2:
        (r1, _, c1, m1), (r2, _, c2, m2) = results
        extra = r2 - r1
        cli_rate = extra / (c2 - c1) / 2
        print(f"marginal rate from {r1} to {r2} records (fixed costs removed):")
        print(f"  CLI (2 threads):              {cli_rate:10.0f} records/s/core")
        for key in sorted(m1, key=lambda k: (-k[0], k[1])):
            cores, n = key
            rate = extra / (m2[key]["total"] - m1[key]["total"]) / cores
            check = extra / (m2[key]["check"] - m1[key]["check"]) / cores
            print(
                f"  Spark local[{cores}], {n:2d} partitions: {rate:10.0f} records/s/core"
                f" (checks alone {check:.0f})  = {rate / cli_rate:.2f} of the CLI per core"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
