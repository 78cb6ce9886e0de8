#!/usr/bin/env bash
# Growth exponents on adversarial shapes (issue 18): builds the release binary, then
# bench/scaling.py. Exit status 1 when an exponent is above 1.2. RUNS=5 for more runs per point.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = "--no-build" ] || cargo build --release -p runcommand-lint
python3 bench/scaling.py target/release/runcommand-lint
