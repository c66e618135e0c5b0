#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job on the embedded default: upgrades data/project_1.db (runner.ini) with sql/ and
# prints the resulting status. Extra arguments go to `runner upgrade`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >&2
./build/bin/runner upgrade "$@"
./build/bin/runner history
