#!/usr/bin/env bash
# Batch-audit benchmark: runcommand-lint over 10,000 request files and a 1,000,000-line request log,
# next to its own parse-only floor and to two JSON Schema validators run with a hand-written schema
# (bench/runcommand.schema.json). See bench/README.md.
#
#   bench/audit.sh             # builds the release binary first
#   bench/audit.sh --no-build  # uses target/release/runcommand-lint as it is
#   bench/audit.sh --mix M     # another mix of requests (default: the corpus above):
#                              #   scripts  10,000 script-heavy requests (1-4 KB scripts, 20-40
#                              #            placeholders, JSON and YAML halves, a tenth Base64)
#                              #   oos      10,000 OOS templates with RunCommand steps
#                              #   trail    a 1,000,000-record audit trail over 100 files (a
#                              #            tenth other APIs' records, ClientTokens on a seventh)
#
# Everything it makes goes under target/bench/: the corpus (regenerated only when
# bench/gen_corpus.py changes), a venv with check-jsonschema, node_modules with ajv-cli, the raw
# timings and audit-results.md (the Markdown table it also prints).
#
# Environment: RUNS (interleaved rounds of the fast commands, default 15), SLOW_RUNS
# (check-jsonschema and the request log, default 3), RUNCOMMAND_LINT_BIN (the binary to measure).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

CHECK_JSONSCHEMA_VERSION=0.39.0
AJV_CLI_VERSION=5.0.0
AJV_VERSION=8.20.0
EXPECTED_FILES=10000
EXPECTED_LINES=1000000

build=1
mix=default
want_mix=0
for arg in "$@"; do
  if [[ $want_mix == 1 ]]; then
    mix=$arg
    want_mix=0
    continue
  fi
  case "$arg" in
    --no-build) build=0 ;;
    --mix) want_mix=1 ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "audit.sh: unknown argument '$arg' (usage: bench/audit.sh [--no-build] [--mix default|scripts|oos|trail])" >&2; exit 2 ;;
  esac
done
case "$mix" in
  default | scripts | oos | trail) ;;
  *) echo "audit.sh: unknown mix '$mix' (default, scripts, oos, trail)" >&2; exit 2 ;;
esac

die() { echo "audit.sh: $*" >&2; exit 2; }
need() { command -v "$1" > /dev/null 2>&1 || die "$1 is missing: $2"; }
need python3 "install Python 3 with its venv module (apt-get install python3 python3-venv)"
need node "install Node.js 18 or later (apt-get install nodejs npm)"
need npm "install npm (apt-get install npm)"
need sha256sum "install coreutils"

bench="$root/target/bench"
corpus="$bench/corpus"
[[ $mix == default ]] || corpus="$bench/corpus-$mix"
venv="$bench/venv"
nodedir="$bench/node"
results="$bench/audit-results.md"
[[ $mix == default ]] || results="$bench/audit-results-$mix.md"
runs="${RUNS:-15}"
slow_runs="${SLOW_RUNS:-3}"
mkdir -p "$bench"

# --- runcommand-lint ---
if [[ $build == 1 ]]; then
  need cargo "install the Rust toolchain (rustup), or pass --no-build with a built binary"
  echo "== cargo build --release -p runcommand-lint" >&2
  cargo build --release -p runcommand-lint
fi
bin="${RUNCOMMAND_LINT_BIN:-$root/target/release/runcommand-lint}"
[[ -x $bin ]] || die "no runcommand-lint binary at $bin (run without --no-build, or set RUNCOMMAND_LINT_BIN)"

# --- corpus ---
stamp="$(sha256sum bench/gen_corpus.py | cut -d' ' -f1)"
if [[ "$(cat "$corpus/.stamp" 2> /dev/null || true)" != "$stamp" ]]; then
  echo "== generating the $mix corpus in $corpus (about a minute)" >&2
  rm -rf "$corpus"
  case "$mix" in
    default) python3 bench/gen_corpus.py "$corpus" ;;
    scripts | oos) python3 bench/gen_corpus.py "$corpus" --mix "$mix" ;;
    trail) python3 bench/gen_corpus.py "$corpus" --trail "$EXPECTED_LINES" --trail-files 100 ;;
  esac
  echo "$stamp" > "$corpus/.stamp"
else
  echo "== corpus up to date (target/bench/corpus, generator $(cut -c1-12 <<< "$stamp"))" >&2
fi

# --- check-jsonschema (PyPI) and ajv-cli (npm), pinned ---
if [[ "$("$venv/bin/check-jsonschema" --version 2> /dev/null || true)" != *" $CHECK_JSONSCHEMA_VERSION" ]]; then
  echo "== installing check-jsonschema $CHECK_JSONSCHEMA_VERSION into target/bench/venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv" || die "python3 -m venv failed (apt-get install python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" \
    || die "pip could not install check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
fi
node_version() { node -p "require('$nodedir/node_modules/$1/package.json').version" 2> /dev/null || true; }
if [[ "$(node_version ajv-cli)" != "$AJV_CLI_VERSION" || "$(node_version ajv)" != "$AJV_VERSION" ]]; then
  echo "== installing ajv-cli $AJV_CLI_VERSION (ajv $AJV_VERSION) into target/bench/node" >&2
  mkdir -p "$nodedir"
  npm install --prefix "$nodedir" --no-audit --no-fund --loglevel=error \
    "ajv-cli@$AJV_CLI_VERSION" "ajv@$AJV_VERSION" > /dev/null \
    || die "npm could not install ajv-cli@$AJV_CLI_VERSION"
fi
cjs="$venv/bin/check-jsonschema"
ajv="$nodedir/node_modules/.bin/ajv"
schema="$root/bench/runcommand.schema.json"
[[ -x $cjs ]] || die "check-jsonschema is missing from $venv"
[[ -x $ajv ]] || die "ajv is missing from $nodedir"

timebin=/usr/bin/time
[[ -x $timebin ]] || { timebin=""; echo "audit.sh: /usr/bin/time not found (apt-get install time); measuring peak memory with Python's getrusage instead" >&2; }

# All commands run from the corpus folder, on relative paths (files/..., requests.jsonl).
cd "$corpus"
q() { printf '%q' "$1"; }
# What each mix has: request files (files/), a request log (requests.jsonl, or the trail's
# folder), and which schema validators apply (the schema describes a request: not an OOS
# template; check-jsonschema, minutes per run, only on the default mix).
has_files=0; [[ -d files ]] && has_files=1
log=""
[[ -f requests.jsonl ]] && log=requests.jsonl
[[ -d trail ]] && log=trail
do_cjs=0; [[ $mix == default ]] && do_cjs=1
do_ajv=0; [[ $mix == default || $mix == scripts ]] && do_ajv=1
files_list="$bench/files-$mix.txt"
: > "$files_list"
[[ $has_files == 0 ]] || find files -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | LC_ALL=C sort > "$files_list"
nfiles=$(wc -l < "$files_list")
files_bytes=0
[[ $has_files == 0 ]] || files_bytes=$(xargs -a "$files_list" cat | wc -c)
nlines=0
jsonl_bytes=0
if [[ -n $log ]]; then
  nlines=$(find "$log" -type f -name '*.jsonl' -exec cat {} + | wc -l)
  jsonl_bytes=$(find "$log" -type f -name '*.jsonl' -exec cat {} + | wc -c)
fi
# check-jsonschema takes every file on one command line, in one process (as people run it). The
# list is ~360 KB, within ARG_MAX but above the 128 KB limit on one argument, so it cannot be a
# shell command string (`sh -c` passes it as one argument): this wrapper reads the list and execs check-jsonschema.
cjs_wrapper="$bench/check-jsonschema-all.sh"
cat > "$cjs_wrapper" << EOF
#!/usr/bin/env bash
# check-jsonschema on every file of the corpus, in one process (written by bench/audit.sh).
mapfile -t files < $(q "$files_list")
exec $(q "$cjs") "\$@" --schemafile $(q "$schema") "\${files[@]}"
EOF
chmod +x "$cjs_wrapper"

cmd_floor="$(q "$bin") check --parse-only --format concise files > /dev/null"
# ShellCheck is left out (--no-shellcheck): it is another program's analysis, measured on its own
# by bench/shellcheck.sh; these compare the engine with the schema validators.
cmd_check="$(q "$bin") check --no-shellcheck --format concise files > /dev/null"
cmd_cjs="$(q "$cjs_wrapper")"
cmd_ajv="$(q "$ajv") validate --spec=draft7 -s $(q "$schema") -d 'files/**/*.{yaml,yml,json}' > /dev/null 2>&1"
cmd_log_floor="$(q "$bin") check --parse-only --format concise $log > /dev/null"
cmd_log_check="$(q "$bin") check --no-shellcheck --format concise $log > /dev/null"

# --- the binary must have --parse-only and read .jsonl request logs ---
probe="$bench/probe"
rm -rf "$probe" && mkdir -p "$probe"
printf '%s\n' '{"RegionId": "cn-hangzhou"}' > "$probe/probe.jsonl"
for args in "--parse-only $probe/probe.jsonl" "$probe/probe.jsonl"; do
  rc=0
  # shellcheck disable=SC2086
  "$bin" check --format concise $args > "$probe/out" 2>&1 || rc=$?
  if [[ $rc -gt 1 ]]; then
    sed 's/^/  /' "$probe/out" | head -n 5 >&2
    die "'runcommand-lint check $args' exited $rc: this binary lacks --parse-only or .jsonl input; rebuild it"
  fi
done

# --- coverage, outside the timings: did each tool look at every file / line? ---
echo "== checking that every tool validates the whole corpus" >&2
cov="$bench/coverage.txt"
: > "$cov"
lint_count() { # $1: path, then extra flags; prints "files documents"
  local p=$1; shift
  "$bin" check --no-shellcheck --format json "$@" "$p" 2> /dev/null \
    | python3 -c 'import json,sys; s=json.load(sys.stdin)["summary"]; print(s["files"], s["documents"])' \
    || echo "? ?"
}
if [[ $has_files == 1 ]]; then
  read -r lf ld <<< "$(lint_count files)"
  read -r lpf lpd <<< "$(lint_count files --parse-only)"
  echo "runcommand-lint check: $lf files, $ld requests checked ($nfiles files)" >> "$cov"
  echo "runcommand-lint --parse-only: $lpf files, $lpd requests read ($nfiles files)" >> "$cov"
fi
if [[ -n $log ]]; then
  read -r llf lld <<< "$(lint_count "$log")"
  read -r llpf llpd <<< "$(lint_count "$log" --parse-only)"
  echo "runcommand-lint check $log: $lld requests checked ($nlines lines)" >> "$cov"
  echo "runcommand-lint --parse-only $log: $llpd requests read ($nlines lines)" >> "$cov"
fi
if [[ $do_cjs == 1 ]]; then
"$cjs_wrapper" -o json -v > "$bench/check-jsonschema.json" 2> /dev/null || true
python3 - "$bench/check-jsonschema.json" "$nfiles" >> "$cov" << 'PY'
import json, sys
r = json.load(open(sys.argv[1]))
ok = set(r.get("successes", r.get("checked_paths", [])))
bad = {e["filename"] for e in r.get("errors", [])}
unparsed = {e["filename"] for e in r.get("parse_errors", [])}
print(f"check-jsonschema: {len(ok | bad | unparsed)} files validated in one process: {len(ok)} valid, "
      f"{len(bad)} invalid, {len(unparsed)} unparsable (expected {sys.argv[2]})")
PY
fi
if [[ $do_ajv == 1 ]]; then
ajv_rc=0
"$ajv" validate --spec=draft7 -s "$schema" -d 'files/**/*.{yaml,yml,json}' > "$bench/ajv.out" 2> "$bench/ajv.err" || ajv_rc=$?
av=$(grep -c ' valid$' "$bench/ajv.out" || true)
ai=$(grep -c ' invalid$' "$bench/ajv.err" || true)
echo "ajv: $((av + ai)) files validated: $av valid, $ai invalid (expected $nfiles; exit $ajv_rc)" >> "$cov"
fi
cat "$cov" >&2

# --- timings ---
timing() { # $1: JSON out, $2: rounds, then name/command pairs
  # Interleaved: every round runs each command once (in turn; the order alternates from one round
  # to the next), after one warm-up run of each. On a noisy machine the load drifts over seconds:
  # timing all runs of one command, then all of the other (as hyperfine does), lets the drift fall
  # on one of them. Round by round, both see the same machine, and the per-round ratio is steady.
  python3 - "$@" << 'PY'
import json, resource, statistics, subprocess, sys, time
out, rounds, pairs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
names, cmds = pairs[0::2], pairs[1::2]
def run(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime
for cmd in cmds:
    run(cmd)  # warm-up
runs = [[] for _ in cmds]
for k in range(rounds):
    order = range(len(cmds)) if k % 2 == 0 else reversed(range(len(cmds)))
    for i in order:
        runs[i].append(run(cmds[i]))
results = []
for name, rs in zip(names, runs):
    times = [w for w, _, _ in rs]
    results.append({"command": name, "mean": statistics.mean(times), "median": statistics.median(times),
                    "stddev": statistics.stdev(times) if len(times) > 1 else 0.0,
                    "user": statistics.mean(u for _, u, _ in rs), "system": statistics.mean(s for _, _, s in rs),
                    "min": min(times), "max": max(times), "times": times})
    print(f"{name}: median {results[-1]['median']:.3f} s over {rounds} interleaved rounds", file=sys.stderr)
json.dump({"results": results, "interleaved": True}, open(out, "w"), indent=1)
PY
}
maxrss_kb() { # the command's peak RSS in KB
  if [[ -n $timebin ]]; then
    "$timebin" -f %M -o "$bench/maxrss" sh -c "$1" || true
    tail -n 1 "$bench/maxrss"
  else
    python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1], shell=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$1"
  fi
}

load_start="$(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo unknown)"
if awk -v l="${load_start%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }' 2> /dev/null; then
  echo "audit.sh: warning: load average $load_start on $(nproc) cores: other processes compete with the timings" >&2
fi
t="$bench/t-$mix"
rm -f "$t"-*.json
rss_check=0
rss_floor=0
if [[ $has_files == 1 ]]; then
  echo "== files: parse-only floor vs check" >&2
  timing "$t-floor.json" "$runs" "runcommand-lint --parse-only" "$cmd_floor" "runcommand-lint check" "$cmd_check"
fi
if [[ $do_cjs == 1 ]]; then
  echo "== files: check-jsonschema vs runcommand-lint" >&2
  timing "$t-cjs.json" "$slow_runs" "check-jsonschema" "$cmd_cjs" "runcommand-lint check" "$cmd_check"
fi
if [[ $do_ajv == 1 ]]; then
  echo "== files: ajv vs runcommand-lint" >&2
  timing "$t-ajv.json" "$runs" "ajv" "$cmd_ajv" "runcommand-lint check" "$cmd_check"
fi
if [[ -n $log ]]; then
  echo "== $log: parse-only floor vs check" >&2
  timing "$t-log.json" "$slow_runs" "runcommand-lint --parse-only" "$cmd_log_floor" "runcommand-lint check" "$cmd_log_check"
  echo "== $log: peak memory" >&2
  rss_check=$(maxrss_kb "$cmd_log_check")
  rss_floor=$(maxrss_kb "$cmd_log_floor")
fi
load_end="$(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo unknown)"

# --- report ---
lint_version="$("$bin" --version 2> /dev/null || echo "runcommand-lint (version unknown)")"
cjs_version="$("$cjs" --version | sed 's/.*version //')"
export MIX="$mix" T_PREFIX="t-$mix" LOG_NAME="${log:-none}"
jsonschema_version="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("jsonschema"))')"
ajv_cli_version="$(node_version ajv-cli)"
ajv_lib_version="$(node_version ajv)"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2> /dev/null | sed 's/.*: //' || echo unknown)"

export BENCH="$bench" RESULTS="$results" NFILES="$nfiles" NLINES="$nlines" FILES_BYTES="$files_bytes" \
  JSONL_BYTES="$jsonl_bytes" RSS_CHECK="$rss_check" RSS_FLOOR="$rss_floor" NPROC="$(nproc)" CPU="$cpu" \
  LOAD_START="$load_start" LOAD_END="$load_end" RUNS_FAST="$runs" RUNS_SLOW="$slow_runs" LINT_VERSION="$lint_version" \
  CJS_VERSION="$cjs_version" JSONSCHEMA_VERSION="$jsonschema_version" AJV_CLI_VERSION_USED="$ajv_cli_version" \
  AJV_VERSION_USED="$ajv_lib_version" NODE_VERSION="$(node --version)" STAMP="$stamp" \
  CMD_FLOOR="$cmd_floor" CMD_CHECK="$cmd_check" CMD_CJS="$cmd_cjs" CMD_AJV="$cmd_ajv" \
  CMD_LOG_FLOOR="$cmd_log_floor" CMD_LOG_CHECK="$cmd_log_check" HOME_DIR="$root"
python3 - << 'PY'
import json, os, statistics
e = os.environ
bench = e["BENCH"]
cpu = {}
def path_of(f):  # "t-floor.json" -> this mix's file
    return f"{bench}/{e['T_PREFIX']}{f[1:]}"
def have(f):
    return os.path.exists(path_of(f))
def med(f, name):
    for r in json.load(open(path_of(f)))["results"]:
        if r["command"] == name:
            cpu[(f, name)] = r["user"] + r["system"]
            return r["median"], r.get("stddev") or 0.0
    raise SystemExit(f"no result for {name} in {f}")
def paired(f, a, b):
    """The median over the interleaved rounds of a's time / b's time."""
    times = {r["command"]: r["times"] for r in json.load(open(path_of(f)))["results"]}
    return statistics.median(x / y for x, y in zip(times[a], times[b]))
nfiles, nlines = int(e["NFILES"]), int(e["NLINES"])
rss_check, rss_floor = int(e["RSS_CHECK"]) / 1024, int(e["RSS_FLOOR"]) / 1024

def t(s, sd):
    return f"{s * 1000:.0f} ms ± {sd * 1000:.0f}" if s < 10 else f"{s:.2f} s ± {sd:.2f}"
def rate(n, s, unit):
    return f"{n / s:,.0f} {unit}/s"
def met(ok):
    return "yes" if ok else "**no**"
def c(f, name):
    s = cpu[(f, name)]
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.2f} s"
def cr(f1, n1, f2, n2):  # the same ratio in CPU time
    return cpu[(f1, n1)] / cpu[(f2, n2)]
L, F = "runcommand-lint check", "runcommand-lint --parse-only"
# The targets are on the per-round ratios (each round times both commands back to back).
rows = []
if have("t-floor.json"):
    floor, floor_sd = med("t-floor.json", F)
    check, check_sd = med("t-floor.json", L)
    r_floor = paired("t-floor.json", F, L)
    rows += [
        ("files", "runcommand-lint --parse-only (floor)", t(floor, floor_sd), c("t-floor.json", F),
         rate(nfiles, floor, "files"), "", "", ""),
        ("files", "runcommand-lint check", t(check, check_sd), c("t-floor.json", L), rate(nfiles, check, "files"),
         f"{r_floor:.2f} throughput check/floor (of the medians: {floor / check:.2f}; CPU time: "
         f"{cr('t-floor.json', F, 't-floor.json', L):.2f})",
         "≥ 0.8", met(r_floor >= 0.8)),
    ]
if have("t-cjs.json"):
    cjs, cjs_sd = med("t-cjs.json", "check-jsonschema")
    check_c, check_c_sd = med("t-cjs.json", L)
    r_cjs = paired("t-cjs.json", "check-jsonschema", L)
    rows.append(("files", "check-jsonschema (1 process)", t(cjs, cjs_sd), c("t-cjs.json", "check-jsonschema"),
     rate(nfiles, cjs, "files"),
     f"{r_cjs:.1f}× runcommand-lint check ({t(check_c, check_c_sd)}; of the medians: {cjs / check_c:.1f}×; "
     f"CPU time: {cr('t-cjs.json', 'check-jsonschema', 't-cjs.json', L):.1f}×)", "≥ 20", met(r_cjs >= 20)))
if have("t-ajv.json"):
    ajv, ajv_sd = med("t-ajv.json", "ajv")
    check_a, check_a_sd = med("t-ajv.json", L)
    r_ajv = paired("t-ajv.json", "ajv", L)
    rows.append(("files", "ajv validate", t(ajv, ajv_sd), c("t-ajv.json", "ajv"), rate(nfiles, ajv, "files"),
     f"{r_ajv:.1f}× runcommand-lint check ({t(check_a, check_a_sd)}; of the medians: {ajv / check_a:.1f}×; "
     f"CPU time: {cr('t-ajv.json', 'ajv', 't-ajv.json', L):.1f}×)", "≥ 8", met(r_ajv >= 8)))
if have("t-log.json"):
    lfloor, lfloor_sd = med("t-log.json", F)
    lcheck, lcheck_sd = med("t-log.json", L)
    r_log = paired("t-log.json", F, L)
    log = e["LOG_NAME"]
    rows += [
        (log, "runcommand-lint --parse-only (floor)", t(lfloor, lfloor_sd), c("t-log.json", F),
         rate(nlines, lfloor, "lines"), f"peak RSS {rss_floor:.1f} MB", "", ""),
        (log, "runcommand-lint check", t(lcheck, lcheck_sd), c("t-log.json", L),
         rate(nlines, lcheck, "lines"),
         f"peak RSS {rss_check:.1f} MB; throughput check/floor {r_log:.2f} (CPU time: "
         f"{cr('t-log.json', F, 't-log.json', L):.2f})", "≥ 0.7, < 100 MB",
         met(rss_check < 100 and r_log >= 0.7)),
    ]
root = e["HOME_DIR"]
def rel(cmd):
    return cmd.replace(root + "/", "")
lines = [
    f"# Batch-audit benchmark (bench/audit.sh --mix {e['MIX']})",
    "",
    f"Machine: {e['NPROC']} cores ({e['CPU']}); runcommand-lint uses all of them (rayon), "
    "check-jsonschema and ajv-cli one each. Each comparison is timed interleaved: "
    f"{e['RUNS_FAST']} rounds ({e['RUNS_SLOW']} for check-jsonschema and the request log), each "
    "running both commands back to back, after one warm-up run of each; times are medians ± "
    "standard deviation, and ratios (and the targets) are medians of the per-round ratios, so that "
    "the machine's drift falls on both commands alike (the ratio of the medians is given too). "
    f"Load average (1, 5, 15 min) at the start of the timings: {e['LOAD_START']}; at the end: "
    f"{e['LOAD_END']} (a load well above 1 at the start means other processes shared the cores: "
    "the figures are then noisy, and runcommand-lint, which uses every core, loses most; CPU time "
    "is the steadier figure, and its ratios are given too).",
    "",
    f"Tools: {e['LINT_VERSION']}; check-jsonschema {e['CJS_VERSION']} (jsonschema {e['JSONSCHEMA_VERSION']}); "
    f"ajv-cli {e['AJV_CLI_VERSION_USED']} (ajv {e['AJV_VERSION_USED']}, Node.js {e['NODE_VERSION']}).",
    "",
    f"Corpus ({e['MIX']} mix): {nfiles:,} files ({int(e['FILES_BYTES']) / max(nfiles, 1):,.0f} bytes on average) "
    f"and {e['LOG_NAME']} ({nlines:,} lines, {int(e['JSONL_BYTES']) / 2**20:,.0f} MiB); "
    f"generator stamp {e['STAMP'][:12]}.",
    "",
    "| corpus | tool | time (median) | CPU time (user+sys, mean) | throughput | ratio / memory | target | met? |",
    "|---|---|---|---|---|---|---|---|",
]
lines += ["| " + " | ".join(r) + " |" for r in rows]
lines += ["", "Coverage (checked once, outside the timings):", ""]
lines += ["- " + l.rstrip() for l in open(f"{bench}/coverage.txt")]
lines += ["", "Commands (run in target/bench/corpus):", "", "```"]
if have("t-floor.json"):
    lines += [rel(e["CMD_FLOOR"]), rel(e["CMD_CHECK"])]
if have("t-cjs.json"):
    lines.append(rel(e["CMD_CJS"]) + f"   # check-jsonschema --schemafile bench/runcommand.schema.json <the {nfiles} files>")
if have("t-ajv.json"):
    lines.append(rel(e["CMD_AJV"]))
if have("t-log.json"):
    lines += [rel(e["CMD_LOG_FLOOR"]), rel(e["CMD_LOG_CHECK"]),
              "/usr/bin/time -f %M sh -c '<each of the two request-log commands>'"]
lines.append("```")
text = "\n".join(lines) + "\n"
open(e["RESULTS"], "w").write(text)
print(text)
PY
echo "(written to ${results#"$root"/})" >&2
