"""Audits of audit trails on Apache Spark: the runcommand-lint engine on the executors.

    python -m runcommand_lint.spark [--master local[2]] [options] INPUT... OUTPUT
    spark-submit --py-files ... -m runcommand_lint.spark INPUT... OUTPUT   (or the module's path)

INPUT: files or directories (any file system Spark reads: local paths, ``hdfs://``, ``s3a://``,
``oss://`` with their connectors on the class path) of JSON Lines request logs: one request or
audit record (ActionTrail's, ``requestParameters`` of ``eventName: RunCommand``) per line.
A directory is read recursively for ``*.jsonl``/``*.ndjson`` files (any case). OUTPUT: a directory
of findings, one JSON object per line with the JSON contract's fields (the lines
``runcommand-lint check --format json-lines`` prints for the same files, in the same order: part
files in name order), or Parquet with ``--format parquet``; ``OUTPUT/_summary.json`` holds the
counts by code. Exit status as the CLI's: 0 no error found, 1 errors found, 2 the job could not
run as asked (a bad configuration, a missing INPUT).

How it runs:

1. Every file is one task row (Spark's ``binaryFile`` source: a file's lines are numbered as the
   CLI numbers them, whatever its size). On the executors, one engine per partition checks each
   line completely except for the cross-request checks, and hands out each request's
   cross-request uses (a 64-bit key and value, and where it is).
2. The cross-request checks run as Spark aggregations: ``IdempotentParameterMismatch`` keyed by
   ``ClientToken``, then ``Lint.DuplicateSavedCommand`` keyed by (``RegionId``, ``Name``), with
   the CLI's "first one wins" order (path, then line, then request): audit-trail files are named
   and written in time order.
3. The few lines with a conflict are checked again with it (their files read again), so that
   suppressions, configuration and the per-file cap apply to the new finding as in the CLI.

The findings are then those of one ``runcommand-lint check`` over the same files, record for
record (tested on a 100,000-record trail). Paths in the findings are shown as the CLI shows them:
an INPUT as given, joined with the path below it.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["AuditOptions", "audit", "main", "FINDING_SCHEMA_DDL"]

#: The Parquet schema of a finding (the JSON contract's fields).
FINDING_SCHEMA_DDL = (
    "path STRING, document BIGINT, code STRING, severity STRING, http_status INT, "
    "parameter STRING, message STRING, help STRING, "
    "range STRUCT<start: STRUCT<line: INT, column: INT>, end: STRUCT<line: INT, column: INT>>, "
    "fix STRUCT<applicability: STRING, message: STRING, edits: ARRAY<STRUCT<"
    "range: STRUCT<start: STRUCT<line: INT, column: INT>, end: STRUCT<line: INT, column: INT>>, "
    "content: STRING>>>"
)

_LOG_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class AuditOptions:
    """What the executors' engines are built with (the same for every partition)."""

    #: The configuration (``runcommand-lint.toml``) as (text, path), read on the driver.
    config: tuple[str, str] | None = None
    #: ``None``: as the CLI (ShellCheck when found, unless the configuration says otherwise);
    #: ``False``: never.
    shellcheck: bool | None = None
    #: "Now" for every check (RFC 3339); the driver's start time by default, as the CLI pins one
    #: time for a run.
    now: str | None = None
    select: Sequence[str] = field(default_factory=tuple)
    ignore: Sequence[str] = field(default_factory=tuple)

    def engine(self) -> Any:
        from runcommand_lint import _native

        kwargs: dict[str, Any] = {
            "now": self.now,
            "select": list(self.select),
            "ignore": list(self.ignore),
            "shellcheck": "off" if self.shellcheck is False else "auto",
        }
        if self.config is not None:
            kwargs["config_toml"] = self.config
        return _native.Engine(**kwargs)


@dataclass(frozen=True)
class _Input:
    """An INPUT as given and as Spark names it."""

    given: str
    #: What Spark reads: the INPUT, or its absolute path on a local file system.
    target: str
    qualified: str
    is_dir: bool


def _inputs(spark: Any, paths: Iterable[str]) -> list[_Input]:
    """Each INPUT's qualified name and kind, through Hadoop's file system (Spark's connectors)."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    local = (conf.get("fs.defaultFS") or "file:///").startswith("file:")
    out = []
    for given in paths:
        target = given
        if local and "://" not in given and not given.startswith("file:"):
            # A relative local path is the driver's (Python's) working directory's, which may
            # not be the JVM's; on a cluster file system it stays relative to its home.
            target = os.path.abspath(given)
        p = jvm.org.apache.hadoop.fs.Path(target)
        fs = p.getFileSystem(conf)
        if not fs.exists(p):
            raise FileNotFoundError(f"{given}: no such file or directory")
        qualified = fs.makeQualified(p).toString().rstrip("/")
        out.append(_Input(given, target, qualified, fs.getFileStatus(p).isDirectory()))
    return out


def _shown(inputs: Sequence[_Input], uri: str) -> tuple[str, bool] | None:
    """The path the CLI shows for a file Spark lists, and whether it was named (an INPUT
    itself); ``None`` for a file the CLI would not read (not a log in a directory)."""
    for i in inputs:
        if not i.is_dir and uri == i.qualified:
            return i.given, True
    best = None
    for i in inputs:
        prefix = i.qualified + "/"
        if i.is_dir and uri.startswith(prefix) and (best is None or len(i.qualified) > len(best.qualified)):
            best = i
    if best is None or not uri.lower().endswith(_LOG_SUFFIXES):
        return None
    rest = uri[len(best.qualified) + 1 :]
    sep = "" if best.given.endswith("/") else "/"
    return best.given + sep + rest, False


def _rows_schema() -> Any:
    from pyspark.sql.types import (
        IntegerType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    finding = StructType(
        [
            StructField("path", StringType(), False),
            StructField("line", LongType(), False),
            StructField("seq", IntegerType(), False),
            StructField("code", StringType(), False),
            StructField("severity", StringType(), False),
            StructField("json", StringType(), False),
        ]
    )
    use = StructType(
        [
            StructField("path", StringType(), False),
            StructField("line", LongType(), False),
            StructField("uri", StringType(), False),
            StructField("kind", IntegerType(), False),
            StructField("key", LongType(), False),
            StructField("value", LongType(), False),
            StructField("document", LongType(), False),
            StructField("start", LongType(), False),
            StructField("uline", IntegerType(), False),
            StructField("ucol", IntegerType(), False),
        ]
    )
    return finding, use


def audit(
    spark: Any,
    paths: Sequence[str],
    options: AuditOptions | None = None,
    partitions: int | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[Any, Any]:
    """Checks the request logs under ``paths`` on the cluster. Returns ``(findings, summary)``:
    ``findings`` has the columns ``path``, ``line``, ``seq`` (the finding's index among its
    line's), ``code``, ``severity`` and ``json`` (the JSON contract's object), ordered as the CLI
    prints them; ``summary`` counts findings by ``code`` and ``severity``. ``partitions``: spread
    the files over this many partitions (default: Spark's split of the listing). ``timings``:
    when given, the first half runs at once and the seconds of each part are put there
    (``check``: the executors' checks; ``cross``: the aggregations keyed by token and by name,
    with their shuffles, and the collection of the conflicts), for benchmarks.
    """
    import time

    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    options = options or AuditOptions()
    if options.now is None:
        options.now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    inputs = _inputs(spark, paths)
    finding_schema, use_schema = _rows_schema()

    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load([i.target for i in inputs])
        .select("path", "content")
    )
    if partitions:
        files = files.repartition(partitions)

    def first_half(rows: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
        engine = None
        for row in rows:
            shown = _shown(inputs, row.path)
            if shown is None:
                continue
            if engine is None:
                engine = options.engine()
            path, named = shown
            found, uses = engine.check_log_apart(path, bytes(row.content), named)
            for line, seq, code, severity, text in found:
                yield ("f", path, line, seq, code, severity, text)
            for kind, key, value, line, document, start, uline, ucol in uses:
                yield ("u", path, line, row.path, kind, key, value, document, start, uline, ucol)

    tagged = files.rdd.mapPartitions(first_half).persist(StorageLevel.MEMORY_AND_DISK)
    if timings is not None:
        t = time.perf_counter()
        tagged.count()
        timings["check"] = time.perf_counter() - t
    # The rows come from the engine with the schema's types: no per-row verification.
    first = spark.createDataFrame(
        tagged.filter(lambda t: t[0] == "f").map(lambda t: t[1:]), finding_schema, verifySchema=False
    )
    uses = spark.createDataFrame(
        tagged.filter(lambda t: t[0] == "u").map(lambda t: t[1:]), use_schema, verifySchema=False
    )

    # The lines with a conflict are few (a conflict is an error the API would give): they are
    # collected, and only their files are read again.
    t = time.perf_counter()
    conflicts = _conflicts(uses, F).collect()
    if timings is not None:
        timings["cross"] = time.perf_counter() - t
    if conflicts:
        wanted: dict[str, list[Any]] = {}
        for c in conflicts:
            wanted.setdefault(c.uri, []).append(
                (c.line, (c.kind, c.document, c.first_path, c.same_report, c.first_start, c.first_line, c.first_column))
            )
        wanted_b = spark.sparkContext.broadcast(wanted)

        def second_half(rows: Iterator[Any]) -> Iterator[tuple[Any, ...]]:
            engine = None
            for row in rows:
                shown = _shown(inputs, row.path)
                pairs = wanted_b.value.get(row.path)
                if shown is None or not pairs:
                    continue
                if engine is None:
                    engine = options.engine()
                for found in engine.check_log_with_conflicts(shown[0], bytes(row.content), pairs):
                    yield (shown[0], *found)

        reread = spark.read.format("binaryFile").load(sorted(wanted)).select("path", "content")
        again = spark.createDataFrame(reread.rdd.mapPartitions(second_half), finding_schema, verifySchema=False)
        lines = spark.createDataFrame(
            sorted({(c.path, c.line) for c in conflicts}), "path STRING, line BIGINT"
        )
        findings = first.join(F.broadcast(lines), ["path", "line"], "left_anti").unionByName(again)
    else:
        findings = first
    # Kept once computed: the sort reads it twice (its range sample, then the sort itself), and
    # the output and the summary both read the sorted result.
    findings = findings.persist(StorageLevel.MEMORY_AND_DISK)
    findings = findings.orderBy("path", "line", "seq").persist(StorageLevel.MEMORY_AND_DISK)
    summary = findings.groupBy("code", "severity").count().orderBy(F.desc("count"), "code")
    return findings, summary


def _conflicts(uses: Any, F: Any) -> Any:
    """The conflicting uses, as ``runcommand_rules::distributed`` defines them: columns
    ``path``, ``line``, ``kind``, ``document`` and the first use's ``first_path``,
    ``same_report``, ``first_start``, ``first_line``, ``first_column`` (and ``uri``, the file as
    Spark names it)."""
    order = ["path", "line", "document"]

    def firsts(df: Any) -> Any:
        # The first use of each key: the smallest (path, line, document), with what it holds.
        return df.groupBy("key").agg(
            F.min(F.struct(*order, "value", "start", "uline", "ucol")).alias("f")
        )

    def later(df: Any) -> Any:
        # Every use but the first of its key, next to the first.
        return df.join(firsts(df), "key").filter(
            ~((F.col("path") == F.col("f.path")) & (F.col("line") == F.col("f.line")) & (F.col("document") == F.col("f.document")))
        )

    def shape(df: Any) -> Any:
        return df.select(
            "path",
            "line",
            "uri",
            "kind",
            "document",
            F.col("f.path").alias("first_path"),
            ((F.col("f.path") == F.col("path")) & (F.col("f.line") == F.col("line"))).alias("same_report"),
            F.col("f.start").alias("first_start"),
            F.col("f.uline").alias("first_line"),
            F.col("f.ucol").alias("first_column"),
        )

    tokens = uses.filter(F.col("kind") == 0)
    token_conflicts = later(tokens).filter(F.col("value") != F.col("f.value"))
    rejected = token_conflicts.select(*order)
    saved = uses.filter(F.col("kind") == 1).join(rejected, order, "left_anti")
    saved_conflicts = later(saved).filter(
        ~((F.col("f.value") != 0) & (F.col("value") == F.col("f.value")))
    )
    return shape(token_conflicts).unionByName(shape(saved_conflicts))


def _write_summary(spark: Any, output: str, summary_rows: list[Any]) -> None:
    """``OUTPUT/_summary.json`` through Hadoop's file system (any store Spark writes to)."""
    text = json.dumps(
        {
            "by_code": [
                {"code": r["code"], "severity": r["severity"], "count": r["count"]} for r in summary_rows
            ],
            "findings": sum(r["count"] for r in summary_rows),
        },
        indent=2,
    )
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    p = jvm.org.apache.hadoop.fs.Path(output.rstrip("/") + "/_summary.json")
    out = p.getFileSystem(conf).create(p, True)
    try:
        out.write(bytearray(text.encode("utf-8")))
    finally:
        out.close()


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m runcommand_lint.spark",
        description="Check RunCommand requests in JSON Lines audit trails on Apache Spark.",
    )
    ap.add_argument("paths", nargs="+", metavar="INPUT... OUTPUT")
    ap.add_argument("--master", help="Spark master (e.g. local[2]); default: spark-submit's or local[*]")
    ap.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl", help="output format")
    ap.add_argument("--config", help="a runcommand-lint.toml for every file (read on the driver)")
    ap.add_argument("--no-shellcheck", action="store_true", help="do not run ShellCheck on scripts")
    ap.add_argument("--select", default="", help="report only these codes or prefixes (comma-separated)")
    ap.add_argument("--ignore", default="", help="never report these codes or prefixes (comma-separated)")
    ap.add_argument("--now", help="the time taken as now (RFC 3339); default: the start of the job")
    ap.add_argument("--partitions", type=int, help="repartition the files into this many partitions")
    args = ap.parse_args(argv)
    if len(args.paths) < 2:
        ap.error("give at least one INPUT and the OUTPUT directory")
    *inputs, output = args.paths

    config = None
    if args.config:
        try:
            with open(args.config, encoding="utf-8") as f:
                config = (f.read(), os.path.abspath(args.config))
        except OSError as e:
            print(f"runcommand-lint: error: cannot read the configuration {args.config}: {e}", file=sys.stderr)
            return 2
    split = lambda s: [c.strip() for c in s.split(",") if c.strip()]  # noqa: E731
    options = AuditOptions(
        config=config,
        shellcheck=False if args.no_shellcheck else None,
        now=args.now,
        select=split(args.select),
        ignore=split(args.ignore),
    )
    # Options are checked on the driver first: a bad configuration fails here, clearly.
    from runcommand_lint._native import ConfigError

    try:
        options.engine()
    except ConfigError as e:
        print(f"runcommand-lint: error: invalid configuration: {e}", file=sys.stderr)
        return 2
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("runcommand-lint audit").config("spark.ui.showConsoleProgress", "false")
    if args.master:
        builder = builder.master(args.master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Not under spark-submit (which gives the master): a local run on every core.
        builder = builder.master("local[*]")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try:
        findings, summary = audit(spark, inputs, options, args.partitions)
    except FileNotFoundError as e:
        print(f"runcommand-lint: error: {e}", file=sys.stderr)
        return 2
    if args.format == "jsonl":
        findings.select("json").write.mode("overwrite").text(output)
    else:
        from pyspark.sql import functions as F

        findings.select(F.from_json("json", FINDING_SCHEMA_DDL).alias("f")).select("f.*").write.mode(
            "overwrite"
        ).parquet(output)
    rows = summary.collect()
    _write_summary(spark, output, [r.asDict() for r in rows])
    width = max([len(r["code"]) for r in rows] + [4])
    for r in rows:
        print(f"{r['count']:>9}  {r['code']:<{width}}  {r['severity']}")
    print(f"{sum(r['count'] for r in rows):>9}  findings in {output}", file=sys.stderr)
    spark.stop()
    # As the CLI: 1 when an error was found.
    return 1 if any(r["severity"] == "error" for r in rows) else 0


if __name__ == "__main__":
    # Run as the importable module, not as __main__: the functions shipped to the executors are
    # then pickled by reference to runcommand_lint.spark, which every worker imports.
    from runcommand_lint.spark import main as _main

    sys.exit(_main())
