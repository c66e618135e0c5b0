#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every test: builds with warnings as errors, starts a throwaway PostgreSQL server, a streaming
# replica of it, a PgBouncer in front of it and a MariaDB server on 127.0.0.1 (all stopped on exit,
# also on failure), and runs the whole suite with ctest, then again under ASan and UBSan, then the
# fuzzers. Fails, never skips, when any of them cannot be started.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNNER_WERROR=ON bash scripts/build.sh

pg_dir=$(mktemp -d /tmp/runner-pg.XXXXXX)
bouncer_dir=$(mktemp -d /tmp/runner-pgbouncer.XXXXXX)
replica_dir=$(mktemp -d /tmp/runner-pgreplica.XXXXXX)
rmdir "$replica_dir"  # pg_basebackup makes it
mariadb_dir=$(mktemp -d /tmp/runner-mariadb.XXXXXX)
trap 'bash scripts/mariadb_server.sh stop "$mariadb_dir"; bash scripts/pgbouncer.sh stop "$bouncer_dir"; bash scripts/pg_replica.sh stop "$replica_dir"; bash scripts/pg_server.sh stop "$pg_dir"' EXIT
if ! RUNNER_TEST_PG_URL=$(bash scripts/pg_server.sh start "$pg_dir"); then
  echo "test: cannot start PostgreSQL; the PostgreSQL tests cannot run" >&2
  exit 1
fi
export RUNNER_TEST_PG_URL
echo "test: PostgreSQL at $RUNNER_TEST_PG_URL" >&2
if ! RUNNER_TEST_PGBOUNCER_URL=$(bash scripts/pgbouncer.sh start "$bouncer_dir" "$RUNNER_TEST_PG_URL"); then
  echo "test: cannot start PgBouncer; the connection-pool tests cannot run" >&2
  exit 1
fi
export RUNNER_TEST_PGBOUNCER_URL
echo "test: PgBouncer at $RUNNER_TEST_PGBOUNCER_URL" >&2
if ! RUNNER_TEST_PG_REPLICA_URL=$(bash scripts/pg_replica.sh start "$replica_dir" "$RUNNER_TEST_PG_URL"); then
  echo "test: cannot start a streaming replica; the standby and --wait-replicas tests cannot run" >&2
  exit 1
fi
export RUNNER_TEST_PG_REPLICA_URL
echo "test: PostgreSQL replica at $RUNNER_TEST_PG_REPLICA_URL" >&2
if ! RUNNER_TEST_MYSQL_URL=$(bash scripts/mariadb_server.sh start "$mariadb_dir"); then
  echo "test: cannot start MariaDB; the MySQL/MariaDB tests cannot run" >&2
  exit 1
fi
export RUNNER_TEST_MYSQL_URL
echo "test: MariaDB at $RUNNER_TEST_MYSQL_URL" >&2

ctest --test-dir "${RUNNER_BUILD_DIR:-build}" --output-on-failure -j2 "$@"

# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer, then each fuzzer for a
# minute (RUNNER_FUZZ_SECONDS): clang builds everything again into build-san/.
bash scripts/test_sanitized.sh
bash scripts/fuzz.sh "${RUNNER_FUZZ_SECONDS:-60}"
