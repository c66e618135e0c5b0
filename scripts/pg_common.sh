# SPDX-License-Identifier: MIT
# What the scripts that start throwaway servers share (sourced by pg_server.sh, pg_replica.sh and
# pgbouncer.sh).

# The newest installed PostgreSQL server's bin folder; says so on stderr when there is none.
pg_bin() {
  local initdb
  initdb=$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)
  [ -n "$initdb" ] || { echo "$(basename "$0"): no PostgreSQL server installed (run scripts/setup_deps.sh)" >&2; return 1; }
  dirname "$initdb"
}

# Runs a command as the postgres user when root (initdb, the server and PgBouncer refuse root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
