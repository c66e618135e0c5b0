#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dialect SDK is real: runner's own dialects/ folder, copied away from the source tree, is built
# on its own against an installed prefix alone (find_package(runner), runner_add_dialect()); the
# installed runner, with its bundled plugins removed, loads those builds from --plugin-dir; and the
# dialect and integration suites pass with them.
#   scripts/check_sdk.sh BUILD_DIR
set -euo pipefail
build=$1
repo=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(mktemp -d /tmp/runner-sdk.XXXXXX)
work=$(mktemp -d /tmp/runner-sdk-work.XXXXXX)
trap 'rm -rf "$prefix" "$work"' EXIT
fail() { echo "check_sdk: $*" >&2; exit 1; }
[ -n "${RUNNER_TEST_PG_URL:-}" ] || fail "RUNNER_TEST_PG_URL is not set (scripts/test.sh starts PostgreSQL)"

cmake --install "$build" --prefix "$prefix" >/dev/null
rm -f "$prefix"/lib/runner/dialects/*.so
cp -r "$repo/dialects" "$work/dialects"
cmake -S "$work/dialects" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; fail "dialects/ does not configure against the installed prefix"; }
cmake --build "$work/build" -j2 >"$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log" >&2; fail "dialects/ does not build against the installed prefix"; }
plugins="$work/build/dialects"
for d in sqlite postgresql postgres mysql mariadb; do
  [ -e "$plugins/runner_dialect_$d.so" ] || fail "the out-of-tree build made no runner_dialect_$d.so"
done
bash "$repo/scripts/check_plugin_exports.sh" "$plugins/runner_dialect_sqlite.so" "$plugins/runner_dialect_postgresql.so" \
  "$plugins/runner_dialect_mysql.so" >/dev/null ||
  fail "the out-of-tree plugins export more than runner_dialect_entry"

# The installed runner has no plugin of its own now; it uses the out-of-tree ones it is pointed at.
cp -r "$repo/sql" "$work/sql"
cd "$work"
if env -u RUNNER_PLUGIN_PATH "$prefix/bin/runner" current -d sqlite:none.db >/dev/null 2>&1; then
  fail "the installed runner still finds a bundled plugin"
fi
"$prefix/bin/runner" --plugin-dir "$plugins" dialects | grep -q "^sqlite .*$plugins/runner_dialect_sqlite.so" ||
  fail "runner --plugin-dir does not list the out-of-tree sqlite plugin"
"$prefix/bin/runner" upgrade -q --plugin-dir "$plugins" -d sqlite:app.db || fail "upgrade on SQLite with the out-of-tree plugin"
[ "$("$prefix/bin/runner" current --plugin-dir "$plugins" -d sqlite:app.db | cut -d' ' -f1)" = 12 ] || fail "current on SQLite"
schema="sdk_check_$$"
sep='?'; [[ $RUNNER_TEST_PG_URL == *\?* ]] && sep='&'
"$prefix/bin/runner" upgrade -q --plugin-dir "$plugins" -d "$RUNNER_TEST_PG_URL${sep}schema=$schema" ||
  fail "upgrade on PostgreSQL with the out-of-tree plugin"
[ "$("$prefix/bin/runner" current --plugin-dir "$plugins" -d "$RUNNER_TEST_PG_URL${sep}schema=$schema" | cut -d' ' -f1)" = 12 ] ||
  fail "current on PostgreSQL"
psql -X -q -d "$RUNNER_TEST_PG_URL" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true
[ -n "${RUNNER_TEST_MYSQL_URL:-}" ] || fail "RUNNER_TEST_MYSQL_URL is not set (scripts/test.sh starts MariaDB)"
mkdir -p "$work/mysql_sql"
echo "CREATE TABLE sdk_check_$$ (id INT PRIMARY KEY);" >"$work/mysql_sql/0001_t.up.sql"
echo "DROP TABLE sdk_check_$$;" >"$work/mysql_sql/0001_t.down.sql"
"$prefix/bin/runner" upgrade -q --plugin-dir "$plugins" -d "$RUNNER_TEST_MYSQL_URL" -s "$work/mysql_sql" ||
  fail "upgrade on MariaDB with the out-of-tree plugin"
[ "$("$prefix/bin/runner" current --plugin-dir "$plugins" -d "$RUNNER_TEST_MYSQL_URL" -s "$work/mysql_sql" | cut -d' ' -f1)" = 1 ] ||
  fail "current on MariaDB"
"$prefix/bin/runner" downgrade base -q --plugin-dir "$plugins" -d "$RUNNER_TEST_MYSQL_URL" -s "$work/mysql_sql" ||
  fail "downgrade on MariaDB with the out-of-tree plugin"
"$prefix/bin/runner" --plugin-dir "$plugins" dialects | grep -q "^mysql .*$plugins/runner_dialect_mysql.so" ||
  fail "runner --plugin-dir does not list the out-of-tree mysql plugin"

# The suites, with the out-of-tree plugins and the installed runner.
export RUNNER_TEST_DIALECT_DIR="$plugins" RUNNER_PLUGIN_PATH="$plugins" RUNNER_TEST_RUNNER_BIN="$prefix/bin/runner"
"$build/bin/runner_dialect_tests" >"$work/dialect.log" 2>&1 || { tail -40 "$work/dialect.log" >&2; fail "the dialect tests fail with the out-of-tree plugins"; }
"$build/bin/runner_integration_tests" >"$work/integration.log" 2>&1 ||
  { grep -E "error|failure" "$work/integration.log" | head -40 >&2; fail "the integration tests fail with the installed runner and the out-of-tree plugins"; }

# Installed into the prefix, they are found without --plugin-dir, as the bundled ones were.
cmake --install "$work/build" >/dev/null || fail "cmake --install of the out-of-tree dialects"
[ -L "$prefix/lib/runner/dialects/runner_dialect_postgres.so" ] || fail "the postgres alias link was not installed"
[ -L "$prefix/lib/runner/dialects/runner_dialect_mariadb.so" ] || fail "the mariadb alias link was not installed"
[ "$(env -u RUNNER_PLUGIN_PATH "$prefix/bin/runner" current -d sqlite:app.db | cut -d' ' -f1)" = 12 ] ||
  fail "the installed out-of-tree plugin is not found from the prefix"
echo "check_sdk: dialects/ built against $prefix alone; the installed runner passed the dialect and integration suites with those plugins"
