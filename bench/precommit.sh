#!/usr/bin/env bash
# Start-to-exit time of one pre-commit hook run on one 2 KB request, next to /bin/true measured in
# the same run (the cost of starting any process on this machine).
#
#   bench/precommit.sh            # builds the release binary first
#   bench/precommit.sh --no-build # uses target/release/runcommand-lint as it is
#
# Uses hyperfine (`apt-get install hyperfine`) when present, else a Python loop (whose own
# fork/exec cost is in both figures). Prints the median of each and their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--no-build" ]]; then
  cargo build --release -p runcommand-lint
fi
bin="${RUNCOMMAND_LINT_BIN:-$PWD/target/release/runcommand-lint}"
runs="${RUNS:-500}"

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# A valid 2 KB request (a multi-line script), as a hook would see a staged file.
{
  printf 'RegionId: cn-hangzhou\nType: RunShellScript\nName: nightly-cleanup\n'
  printf 'InstanceId: [i-bp185dy2o3o6neg1234, i-bp185dy2o3o6neg1235]\nTimeout: 600\n'
  printf 'CommandContent: |\n  #!/bin/bash\n  set -euo pipefail\n'
  for i in $(seq 1 34); do printf '  find /var/log/app%02d -name "*.gz" -mtime +14 -delete\n' "$i"; done
} > "$dir/request.yaml"
size=$(wc -c < "$dir/request.yaml")
"$bin" check --only-requests --force-exclude "$dir/request.yaml" > /dev/null

# The hook's command line (.pre-commit-hooks.yaml), run from the file's directory.
cmd="$bin check --only-requests --force-exclude request.yaml"
echo "request: $size bytes; $runs runs each"
cd "$dir"
if command -v hyperfine > /dev/null; then
  hyperfine -N --warmup 50 --runs "$runs" --export-json "$dir/h.json" '/bin/true' "$cmd" > /dev/null 2>&1
  python3 - "$dir/h.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
t, l = r[0]["median"] * 1e3, r[1]["median"] * 1e3
print(f"/bin/true        median {t:.2f} ms (mean {r[0]['mean']*1e3:.2f} ms)")
print(f"runcommand-lint  median {l:.2f} ms (mean {r[1]['mean']*1e3:.2f} ms)")
print(f"ratio            {l / t:.1f}x /bin/true; runcommand-lint's own work: {l - t:.2f} ms")
PY
else
  python3 - "$runs" $cmd <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
def median(argv):
    times = []
    for i in range(runs + 20):
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=False)
        if i >= 20:
            times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3
t, l = median(["/bin/true"]), median(cmd)
print(f"/bin/true        median {t:.2f} ms (python loop)")
print(f"runcommand-lint  median {l:.2f} ms")
print(f"ratio            {l / t:.1f}x /bin/true")
PY
fi
