#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A throwaway PgBouncer in front of the test PostgreSQL server, for the tests that prove runner
# refuses a pool that would move its statements between server sessions.
#   pgbouncer.sh start DIR PG_URL   start on 127.0.0.1 and a free port, print its base URL
#                                   (databases: tx = pool_mode transaction, session = pool_mode session,
#                                   statement = pool_mode statement, all on PG_URL's postgres database)
#   pgbouncer.sh stop DIR           stop it and remove DIR
# Exits non-zero, with PgBouncer's log on stderr, when it cannot be started.
set -euo pipefail

# as_owner (PgBouncer refuses to run as root)
. "$(dirname "${BASH_SOURCE[0]}")/pg_common.sh"

start() {
  local dir=$1 pg_url=$2 pg_port port tries=0
  command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] ||
    { echo "pgbouncer.sh: pgbouncer is not installed (run scripts/setup_deps.sh)" >&2; return 1; }
  pg_port=$(echo "$pg_url" | sed -n 's|^postgresql://[^@]*@[^:/]*:\([0-9]*\)/.*|\1|p')
  [ -n "$pg_port" ] || { echo "pgbouncer.sh: no port in $pg_url" >&2; return 1; }
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  echo '"postgres" ""' >"$dir/users.txt"
  while [ $tries -lt 20 ]; do
    port=$(( 20000 + (RANDOM * 7 + $$ + tries * 991) % 40000 ))
    tries=$((tries + 1))
    cat >"$dir/pgbouncer.ini" <<INI
[databases]
tx = host=127.0.0.1 port=$pg_port dbname=postgres pool_mode=transaction
statement = host=127.0.0.1 port=$pg_port dbname=postgres pool_mode=statement
session = host=127.0.0.1 port=$pg_port dbname=postgres pool_mode=session

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
admin_users = postgres
pool_mode = session
# In session mode each runner holds two server sessions while it connects (its own, and the one
# that proves it owns it): 20 serve the tests' eight runners at once on one schema.
default_pool_size = 20
max_client_conn = 100
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"/*
    if as_owner /usr/sbin/pgbouncer -d "$dir/pgbouncer.ini" >/dev/null 2>&1; then
      for _ in $(seq 50); do
        if psql -X -q -At "postgresql://postgres@127.0.0.1:$port/session" -c 'SELECT 1' >/dev/null 2>&1; then
          echo "postgresql://postgres@127.0.0.1:$port/"
          return 0
        fi
        sleep 0.1
      done
    fi
    grep -q "Address already in use" "$dir/pgbouncer.log" 2>/dev/null || break
    stop_server "$dir"
  done
  echo "pgbouncer.sh: PgBouncer did not start; its log:" >&2
  cat "$dir/pgbouncer.log" >&2 2>/dev/null || true
  return 1
}

stop_server() {
  local dir=$1
  if [ -f "$dir/pgbouncer.pid" ]; then
    kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$dir/pgbouncer.pid" ] && kill -0 "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || break; sleep 0.1; done
  fi
}

case "${1:-}" in
  start) start "${2:?usage: pgbouncer.sh start DIR PG_URL}" "${3:?usage: pgbouncer.sh start DIR PG_URL}" ;;
  stop) stop_server "${2:?usage: pgbouncer.sh stop DIR}"; rm -rf "$2" ;;
  *) echo "usage: pgbouncer.sh start DIR PG_URL | stop DIR" >&2; exit 2 ;;
esac
