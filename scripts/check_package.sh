#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian package, checked on this machine (the clean-root check the README describes): built
# with cpack, installed with apt-get from the file (its dependencies are the packages the build needed,
# so nothing is downloaded), then runner upgrade on SQLite and PostgreSQL from /usr/bin, man runner
# and the completion, then the package removed again.
#   scripts/check_package.sh BUILD_DIR   (PostgreSQL from RUNNER_TEST_PG_URL; as root)
set -euo pipefail
build=$(cd "$1" && pwd)
repo=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "check_package: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "installing the package needs root"
[ -n "${RUNNER_TEST_PG_URL:-}" ] || fail "RUNNER_TEST_PG_URL is not set (scripts/test.sh starts PostgreSQL)"
if dpkg-query -W -f='${Status}' runner 2>/dev/null | grep -q 'install ok installed'; then
  fail "a runner package is installed already; this check installs and removes its own"
fi
out=$(mktemp -d /tmp/runner-package.XXXXXX)
work=$(mktemp -d /tmp/runner-package-work.XXXXXX)
trap 'dpkg -P runner >/dev/null 2>&1 || true; rm -rf "$out" "$work"' EXIT
(cd "$out" && cpack -G DEB --config "$build/CPackConfig.cmake" >"$out/cpack.log" 2>&1) || {
  cat "$out/cpack.log" >&2
  fail "cpack failed"
}
deb=$(ls "$out"/runner_*.deb)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/runner ./usr/lib/librunner.so ./usr/lib/runner/dialects/runner_dialect_sqlite.so \
         ./usr/lib/runner/dialects/runner_dialect_postgresql.so ./usr/include/runner/runner.h \
         ./usr/share/man/man1/runner.1 ./usr/share/bash-completion/completions/runner \
         ./usr/lib/cmake/runner/runnerConfig.cmake; do
  grep -q " $f" <<<"$contents" || fail "the package lacks $f"
done
depends=$(dpkg-deb -f "$deb" Depends)
for d in libsoci-core libpq5 libspdlog; do grep -q "$d" <<<"$depends" || fail "Depends lacks $d: $depends"; done
apt-get install -y -qq "$deb" >/dev/null 2>&1 || fail "apt-get install $deb failed"
cp -r "$repo/sql" "$work/sql"
cd "$work"
/usr/bin/runner upgrade -q -d sqlite:app.db || fail "runner upgrade on SQLite"
[ "$(/usr/bin/runner current -d sqlite:app.db | cut -d' ' -f1)" = 12 ] || fail "runner current on SQLite"
schema="package_check_$$"
sep='?'; [[ $RUNNER_TEST_PG_URL == *\?* ]] && sep='&'
/usr/bin/runner upgrade -q -d "$RUNNER_TEST_PG_URL${sep}schema=$schema" || fail "runner upgrade on PostgreSQL"
[ "$(/usr/bin/runner current -d "$RUNNER_TEST_PG_URL${sep}schema=$schema" | cut -d' ' -f1)" = 12 ] ||
  fail "runner current on PostgreSQL"
psql -X -q -d "$RUNNER_TEST_PG_URL" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true
man -w runner >/dev/null 2>&1 || fail "man runner finds no page"
[ -f /usr/share/bash-completion/completions/runner ] || fail "no completion installed"
echo "check_package: $(basename "$deb") installs with apt-get, runs on SQLite and PostgreSQL, has man runner and completion"
