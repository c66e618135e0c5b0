#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What `cmake --install` gives, checked as a user of the installed tree would: into a fresh prefix,
# then the installed runner and librunner.so used from there alone (their plugins found beside
# them), the man page read by man(1), and the bash completion sourced.
#   scripts/check_install.sh BUILD_DIR
set -euo pipefail
build=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(mktemp -d /tmp/runner-install.XXXXXX)
work=$(mktemp -d /tmp/runner-install-work.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$prefix" "$work"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "check_install: $*" >&2; exit 1; }
for f in bin/runner lib/librunner.so include/runner/runner.h include/runner/migrator.hpp \
         include/runner/base/errors.hpp share/man/man1/runner.1 share/bash-completion/completions/runner \
         share/doc/runner/README.md share/doc/runner/LICENSE lib/runner/dialects/runner_dialect_sqlite.so \
         lib/runner/dialects/runner_dialect_postgresql.so include/runner/plugins/dialect_abi.h \
         include/runner/plugins/sdk/dialect_sdk.hpp lib/librunner_soci_driver.a lib/cmake/runner/RunnerDialect.cmake; do
  [ -e "$prefix/$f" ] || fail "$f is not installed"
done
# The installed runner, from another folder, with nothing in the environment pointing at the build.
cp -r "$repo/sql" "$work/sql"
(cd "$work" && env -u RUNNER_PLUGIN_PATH "$prefix/bin/runner" upgrade -q -d sqlite:app.db) || fail "installed runner upgrade"
[ "$(cd "$work" && "$prefix/bin/runner" current -d sqlite:app.db | cut -d' ' -f1)" = 12 ] || fail "installed runner current"
# The installed library, from Python, finds the installed plugins beside itself.
/usr/bin/python3 - "$prefix/lib/librunner.so" "$work" <<'PY' || fail "installed librunner.so from ctypes"
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
h, err, v = ctypes.c_void_p(), ctypes.create_string_buffer(512), ctypes.c_int64(-1)
assert lib.runner_open(("sqlite:%s/lib.db" % sys.argv[2]).encode(), ("%s/sql" % sys.argv[2]).encode(),
                       ctypes.byref(h), err, 512) == 0, err.value
assert lib.runner_upgrade(h, None, err, 512) == 0, err.value
assert lib.runner_current(h, ctypes.byref(v), err, 512) == 0 and v.value == 12, (v.value, err.value)
lib.runner_close(h)
PY
# An application's build finds the library with find_package(runner) and links runner::runner.
mkdir -p "$work/app"
cp "$(dirname "$0")/../tests/c/c_api_smoke.c" "$work/app/main.c"
cat >"$work/app/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(app LANGUAGES C)
find_package(runner 0.1 REQUIRED)
add_executable(app main.c)
target_link_libraries(app PRIVATE runner::runner)
CMAKE
cmake -S "$work/app" -B "$work/app/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null || fail "find_package(runner) failed"
cmake --build "$work/app/build" >/dev/null || fail "an application linking runner::runner does not build"
"$work/app/build/app" "sqlite:$work/app.db" "$work/sql" 12 >/dev/null || fail "the application did not bring its database to head"

# Two sets in one binary, each under its own name (runner_embed_migrations ... VARIABLE NAME).
mkdir -p "$work/two" "$work/two/other"
cat >"$work/two/other/0001_other.up.sql" <<'SQL'
CREATE TABLE other (id integer PRIMARY KEY);
SQL
cat >"$work/two/main.cpp" <<'CPP'
#include <runner/migrator.hpp>
#include <cstdio>
RUNNER_EMBEDDED_MIGRATIONS(app_sql);
RUNNER_EMBEDDED_MIGRATIONS(other_sql);
int main(int, char** argv) {
  runner::MigratorOptions a, b;
  a.url = std::string("sqlite:") + argv[1];
  a.embedded = &app_sql;
  b.url = std::string("sqlite:") + argv[2];
  b.sql_dir = "other";
  b.embedded = &other_sql;
  std::printf("%lld %lld\n", static_cast<long long>(runner::Migrator(a).upgrade().to),
              static_cast<long long>(runner::Migrator(b).upgrade().to));
}
CPP
cat >"$work/two/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(two LANGUAGES CXX)
find_package(runner 0.1 REQUIRED)
add_executable(two main.cpp)
target_link_libraries(two PRIVATE runner::runner)
runner_embed_migrations(two "$repo/sql" VARIABLE app_sql)
runner_embed_migrations(two other VARIABLE other_sql)
CMAKE
cmake -S "$work/two" -B "$work/two/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null || fail "two embedded sets do not configure"
cmake --build "$work/two/build" >/dev/null || fail "two embedded sets do not build"
[ "$("$work/two/build/two" "$work/two-a.db" "$work/two-b.db")" = "12 1" ] || fail "two embedded sets in one binary"

# examples/embed: the sample migrations compiled in, on SQLite and PostgreSQL; the runner command
# then finds the same checksums (an embedded build and the CLI agree on one database).
cmake -S "$repo/examples/embed" -B "$work/embed" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null ||
  fail "examples/embed does not configure against the installed prefix"
cmake --build "$work/embed" >/dev/null || fail "examples/embed does not build"
rm -rf "$work/sql-gone" && mv "$work/sql" "$work/sql-gone"  # no sql/ folder at run time
(cd "$work" && "$work/embed/embed_example" "sqlite:$work/embedded.db") | grep -q "database at 12" ||
  fail "examples/embed did not bring SQLite to head"
mv "$work/sql-gone" "$work/sql"
(cd "$work" && "$prefix/bin/runner" validate -d "sqlite:$work/embedded.db" | grep -q "every applied file is unchanged") ||
  fail "the runner command disagrees with the embedded build's checksums"
# Eight replicas of the application starting at once on one database: all succeed, and each
# migration is applied once (the history has 12 rows; the runs' "applied now" add up to 12).
replicas() {  # URL, count_rows_command
  local i pids=() total=0 n
  for i in 1 2 3 4 5 6 7 8; do "$work/embed/embed_example" "$1" >"$work/replica.$i" 2>&1 & pids+=($!); done
  for i in 1 2 3 4 5 6 7 8; do wait "${pids[$((i - 1))]}" || fail "replica $i of 8 failed on $1: $(cat "$work/replica.$i")"; done
  for i in 1 2 3 4 5 6 7 8; do
    n=$(sed -n 's/^database at 12 (\([0-9]*\) applied now)$/\1/p' "$work/replica.$i")
    [ -n "$n" ] || fail "replica $i of 8 did not reach 12: $(cat "$work/replica.$i")"
    total=$((total + n))
  done
  [ "$total" = 12 ] || fail "8 replicas applied $total migrations between them on $1 (expected 12)"
  [ "$(eval "$2")" = 12 ] || fail "8 replicas left $(eval "$2") history rows on $1"
}
replicas "sqlite:$work/replicas.db" "sqlite3 '$work/replicas.db' 'SELECT count(*) FROM runner_history'"
if [ -n "${RUNNER_TEST_PG_URL:-}" ]; then
  schema="embed_check_$$"
  sep='?'; [[ $RUNNER_TEST_PG_URL == *\?* ]] && sep='&'
  "$work/embed/embed_example" "$RUNNER_TEST_PG_URL${sep}schema=$schema" | grep -q "database at 12" ||
    fail "examples/embed did not bring PostgreSQL to head"
  psql -X -q -d "$RUNNER_TEST_PG_URL" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true
  replicas "$RUNNER_TEST_PG_URL${sep}schema=${schema}_r" \
    "psql -X -At -d '$RUNNER_TEST_PG_URL' -c 'SELECT count(*) FROM ${schema}_r.runner_history'"
  psql -X -q -d "$RUNNER_TEST_PG_URL" -c "DROP SCHEMA ${schema}_r CASCADE" >/dev/null 2>&1 || true
else
  fail "RUNNER_TEST_PG_URL is not set (scripts/test.sh starts PostgreSQL)"
fi

# The man page: man(1) renders it, and it carries every command of runner --help.
page=$(MANWIDTH=100 man -l "$prefix/share/man/man1/runner.1" 2>/dev/null) || fail "man cannot render runner.1"
for c in $("$prefix/bin/runner" --help | awk '/^Commands:/ {on=1; next} on && /^$/ {exit} on {print $1}'); do
  grep -q "^   $c" <<<"$page" || fail "the man page lacks the command $c"
done
# The completion: completes a command and a command's option.
out=$(bash -c 'source "$1"; PATH=$2:$PATH; COMP_WORDS=(runner upg); COMP_CWORD=1; _runner; echo "${COMPREPLY[*]}";
               COMP_WORDS=(runner renumber --dr); COMP_CWORD=2; _runner; echo "${COMPREPLY[*]}"' _ \
      "$prefix/share/bash-completion/completions/runner" "$prefix/bin")
[ "$out" = $'upgrade\n--dry-run' ] || fail "completion gave: $out"
echo "check_install: the installed tree works from $prefix alone (runner, librunner.so from Python and from applications built with find_package(runner), examples/embed on SQLite and PostgreSQL, eight of its replicas at once on each, man page, completion)"
