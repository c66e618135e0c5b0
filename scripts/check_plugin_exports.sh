#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails when a dialect plugin exports anything but runner_dialect_entry: PostgreSQL's internals
# from libpg_query or libstdc++ templates leaking out would interpose on the host's symbols.
set -euo pipefail
status=0
for so in "$@"; do
  extra=$(nm -D --defined-only "$so" | awk '$2 != "A" && $3 != "runner_dialect_entry" {print $3}')
  if ! nm -D --defined-only "$so" | awk '{print $3}' | grep -qx runner_dialect_entry; then
    echo "$so: does not export runner_dialect_entry" >&2; status=1
  fi
  if [ -n "$extra" ]; then
    echo "$so: exports more than runner_dialect_entry:" >&2; echo "$extra" | head -20 >&2; status=1
  fi
done
[ $status -eq 0 ] && echo "plugin exports: $# plugins export only runner_dialect_entry"
exit $status
