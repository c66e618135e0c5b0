#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds everything with clang, AddressSanitizer and UndefinedBehaviorSanitizer, and the libFuzzer
# targets, into build-san/ (or $RUNNER_SAN_BUILD_DIR). Used by test_sanitized.sh and fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_deps.sh
build=${RUNNER_SAN_BUILD_DIR:-build-san}
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRUNNER_SANITIZE=ON \
  -DRUNNER_FUZZ=ON -DRUNNER_WERROR=OFF >/dev/null
cmake --build "$build" -j2
