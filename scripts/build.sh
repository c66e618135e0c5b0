#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is missing, configures and builds into build/ (or $RUNNER_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_deps.sh
build=${RUNNER_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${RUNNER_BUILD_TYPE:-RelWithDebInfo}" \
  -DRUNNER_WERROR="${RUNNER_WERROR:-ON}" >/dev/null
cmake --build "$build" -j2
