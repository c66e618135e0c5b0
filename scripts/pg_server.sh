#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A throwaway PostgreSQL server for the tests and the benchmark.
#   pg_server.sh start DIR   initdb in DIR, start on 127.0.0.1 and a free port, print the URL
#   pg_server.sh stop DIR    stop it and remove DIR
# As root the server runs as the postgres user (initdb refuses root). Exits non-zero, with the
# server's log on stderr, when the server cannot be started.
set -euo pipefail

# pg_bin, as_owner
. "$(dirname "${BASH_SOURCE[0]}")/pg_common.sh"

start() {
  local dir=$1 bin port tries=0 durability
  # Tests want speed; the benchmark sets PG_DURABLE=1 to measure with fsync as in production.
  if [ "${PG_DURABLE:-0}" = 1 ]; then durability=""; else
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  bin=$(pg_bin)
  mkdir -p "$dir/data"
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$dir"
  chmod 700 "$dir/data"
  # initdb and postgres chdir-check the working directory; it must be readable by postgres.
  cd "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  while [ $tries -lt 20 ]; do
    port=$(( 20000 + (RANDOM * 7 + $$ + tries * 997) % 40000 ))
    tries=$((tries + 1))
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=200" \
        start >/dev/null 2>&1; then
      echo "postgresql://postgres@127.0.0.1:$port/postgres"
      return 0
    fi
    grep -q "could not bind\|already in use" "$dir/server.log" 2>/dev/null || break
  done
  echo "pg_server: PostgreSQL did not start; its log:" >&2
  cat "$dir/server.log" >&2 2>/dev/null || true
  return 1
}

stop() {
  local dir=$1 bin
  bin=$(pg_bin) || true
  if [ -n "${bin:-}" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: pg_server.sh start DIR}" ;;
  stop) stop "${2:?usage: pg_server.sh stop DIR}" ;;
  *) echo "usage: pg_server.sh start|stop DIR" >&2; exit 2 ;;
esac
