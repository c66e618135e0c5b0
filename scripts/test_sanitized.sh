#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The unit, dialect and integration suites again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (scripts/sanitized_build.sh): any report fails the run. Needs the
# servers scripts/test.sh starts (RUNNER_TEST_PG_URL, RUNNER_TEST_PGBOUNCER_URL,
# RUNNER_TEST_PG_REPLICA_URL). Left out: the install, package and SDK checks (they rebuild and
# install the product itself, not sanitized), and the Python C API test (a Python interpreter cannot load an ASan library without LD_PRELOAD).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/sanitized_build.sh
build=${RUNNER_SAN_BUILD_DIR:-build-san}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j2 \
  -R '^(unit|dialect|dialect_postgresql|dialect_mysql|integration_sqlite|integration_postgresql|integration_mysql|c_api_smoke)$' "$@"
