#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after the other, with seed corpora
# from fixtures/. Uses the stable toolchain with RUSTC_BOOTSTRAP=1 (cargo-fuzz needs nightly
# flags). Installs cargo-fuzz if missing. A crash stops the run with a non-zero status and leaves
# the input under fuzz/artifacts/<target>/.
#   fuzz/run.sh 600            # ten minutes per target
#   fuzz/run.sh 30 frequency   # one target
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  case "$t" in
    loader_yaml) cp ../fixtures/*/*.yaml "corpus/$t/" 2>/dev/null || true ;;
    pipeline) cp ../fixtures/*/*.yaml ../examples/*.jsonl "corpus/$t/" 2>/dev/null || true ;;
    loader_json) cp ../fixtures/*/*.json "corpus/$t/" 2>/dev/null || true ;;
    frequency) printf '%s' '0 15 10 ? * 6#3 Asia/Shanghai' > "corpus/$t/a"; printf '%s' 'rate(5m)' > "corpus/$t/b"; printf '%s' 'at(2030-01-01 00:00:00 GMT+8:00)' > "corpus/$t/c" ;;
    template) printf '%s' 'echo {{name}} {{ACS::InstanceId}} {{oos-secret:pw}} {{.Go}}' > "corpus/$t/a" ;;
    oss) printf '%s' 'oss://bucket-1/prefix/x' > "corpus/$t/a" ;;
    container) printf '%s' 'docker://ab141ddfbacfe02d9dbc25966ed971536124527097398d419a6746873fea1234' > "corpus/$t/a" ;;
  esac
  extra=()
  # The server's reader thread may still be draining its input when `exit` ends `run`; its
  # thread-local registrations then look like leaks to LeakSanitizer (no memory is lost).
  [ "$t" = lsp ] && extra=(-detect_leaks=0)
  echo "== fuzz $t for ${seconds}s"
  cargo fuzz run "$t" "corpus/$t" -- -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 "${extra[@]}"
done
