#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job on the embedded default: upgrades data/project_1.db (runner.ini) with sql/ and
# prints the resulting status. Extra arguments go to `runner upgrade`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >&2
runner="${RUNNER_BUILD_DIR:-build}/bin/runner"
# The embedded default from runner.ini, whatever DATABASE_URL this shell happens to carry.
env -u RUNNER_DATABASE_URL -u DATABASE_URL "$runner" upgrade "$@"
env -u RUNNER_DATABASE_URL -u DATABASE_URL "$runner" history
