#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A throwaway streaming replica of a server pg_server.sh started, for the tests of standby refusal,
# multi-host URLs and --wait-replicas.
#   pg_replica.sh start DIR PRIMARY_URL   pg_basebackup -R from the primary into DIR, start it on
#                                         127.0.0.1 and a free port, wait until it streams, print its URL
#   pg_replica.sh stop DIR                stop it and remove DIR
# Exits non-zero, with the replica's log on stderr, when it cannot be started.
set -euo pipefail

# pg_bin, as_owner
. "$(dirname "${BASH_SOURCE[0]}")/pg_common.sh"

start() {
  local dir=$1 primary=$2 bin host port primary_port tries=0
  bin=$(pg_bin)
  host=$(echo "$primary" | sed -n 's|^postgresql://[^@]*@\([^:/]*\):\([0-9]*\)/.*|\1|p')
  primary_port=$(echo "$primary" | sed -n 's|^postgresql://[^@]*@\([^:/]*\):\([0-9]*\)/.*|\2|p')
  [ -n "$primary_port" ] || { echo "pg_replica: no host and port in $primary" >&2; return 1; }
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  cd "$dir"
  # What stop needs to drop the slot, which would otherwise keep the primary's WAL for ever.
  echo "$primary" >"$dir/primary_url"
  echo "replica_$$" >"$dir/slot"
  # -R writes standby.signal and primary_conninfo: the copy starts as a standby of the primary. A
  # slot of its own keeps the WAL it still needs while the primary is busy.
  as_owner "$bin/pg_basebackup" -h "$host" -p "$primary_port" -U postgres -D "$dir/data" -R -X stream -C -S "replica_$$" \
    --no-sync >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; stop "$dir"; return 1; }
  chmod 700 "$dir/data"
  while [ $tries -lt 20 ]; do
    port=$(( 20000 + (RANDOM * 7 + $$ + tries * 983) % 40000 ))
    tries=$((tries + 1))
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=200" \
        start >/dev/null 2>&1; then
      # Streaming: the primary lists it.
      for _ in $(seq 100); do
        if [ "$(psql -X -At "$primary" -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'" 2>/dev/null)" -ge 1 ]; then
          echo "postgresql://postgres@$host:$port/postgres"
          return 0
        fi
        sleep 0.1
      done
      break
    fi
    grep -q "could not bind\|already in use" "$dir/server.log" 2>/dev/null || break
  done
  echo "pg_replica: the replica did not start streaming; its log:" >&2
  cat "$dir/server.log" >&2 2>/dev/null || true
  stop "$dir"
  return 1
}

stop() {
  local dir=$1 bin
  bin=$(pg_bin) || true
  if [ -n "${bin:-}" ] && [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/slot" ] && [ -f "$dir/primary_url" ]; then
    psql -X -q -At "$(cat "$dir/primary_url")" \
      -c "SELECT pg_drop_replication_slot('$(cat "$dir/slot")') FROM pg_replication_slots WHERE slot_name = '$(cat "$dir/slot")'" \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: pg_replica.sh start DIR PRIMARY_URL}" "${3:?usage: pg_replica.sh start DIR PRIMARY_URL}" ;;
  stop) stop "${2:?usage: pg_replica.sh stop DIR}" ;;
  *) echo "usage: pg_replica.sh start DIR PRIMARY_URL | stop DIR" >&2; exit 2 ;;
esac
