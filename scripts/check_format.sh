#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fails when a C or C++ file of the repository is not laid out as .clang-format says, naming it.
# Fix with: clang-format -i FILE
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "check_format: clang-format is missing (scripts/setup_deps.sh installs it)" >&2; exit 1; }
bad=()
while IFS= read -r f; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null || find runner plugins dialects tests -name '*.[ch]pp' -o -name '*.h')
if [ ${#bad[@]} -gt 0 ]; then
  echo "check_format: not laid out as .clang-format says (clang-format -i FILE):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
echo "check_format: every C and C++ file follows .clang-format"
