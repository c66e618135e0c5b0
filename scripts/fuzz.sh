#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every libFuzzer target (tests/fuzz) for SECONDS each (default 60), built with ASan and UBSan
# (scripts/sanitized_build.sh), starting from tests/fuzz/seeds and tests/fuzz/regressions. A crash
# stops it with exit 1 and leaves the input in build-san/fuzz/crashes/TARGET/: fix the bug, then
# add that input to tests/fuzz/regressions/TARGET/, which ctest replays in every build.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
bash scripts/sanitized_build.sh
build=${RUNNER_SAN_BUILD_DIR:-build-san}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(split_sqlite split_postgresql split_mysql url migration_name config); fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  corpus="$build/fuzz/corpus/$t"
  crashes="$build/fuzz/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  seeds=(tests/fuzz/seeds/"$t")
  [ -d tests/fuzz/regressions/"$t" ] && seeds+=(tests/fuzz/regressions/"$t")
  echo "fuzz: $t for ${seconds}s" >&2
  if ! "$build/bin/fuzz_$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" "${seeds[@]}" 2>"$build/fuzz/$t.log"; then
    echo "fuzz: $t FAILED: see $build/fuzz/$t.log and $crashes/" >&2
    tail -40 "$build/fuzz/$t.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/fuzz/$t.log" | tail -2 >&2 || true
  fi
done
exit $status
