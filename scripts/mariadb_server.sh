#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A throwaway MariaDB server for the tests and the benchmark.
#   mariadb_server.sh start DIR   a data directory in DIR, the server on 127.0.0.1 and a free port,
#                                 print the URL (user root, password runner: TCP needs one)
#   mariadb_server.sh stop DIR    stop it and remove DIR
# As root the server runs as the mysql user. Exits non-zero, with the server's log on stderr, when
# the server cannot be started.
set -euo pipefail

as_mysql() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u mysql -- "$@"; else "$@"; fi
}

start() {
  local dir=$1 port tries=0 i
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] ||
    { echo "mariadb_server: no MariaDB server installed (run scripts/setup_deps.sh)" >&2; return 1; }
  mkdir -p "$dir/data"
  [ "$(id -u)" -eq 0 ] && chown -R mysql:mysql "$dir"
  cd "$dir"
  as_mysql mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
    --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; return 1; }
  while [ $tries -lt 20 ]; do
    port=$(( 20000 + (RANDOM * 7 + $$ + tries * 991) % 40000 ))
    tries=$((tries + 1))
    # Tests want speed: no fsync per commit, no binary log. --no-defaults: the machine's my.cnf
    # (Debian's, for its own server) is not ours.
    as_mysql /usr/sbin/mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" \
      --pid-file="$dir/mysqld.pid" --bind-address=127.0.0.1 --port="$port" --log-error="$dir/server.log" \
      --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-buffer-pool-size=128M \
      --max-connections=300 --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
      >/dev/null 2>&1 &
    for i in $(seq 1 120); do
      if mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" -e "SELECT 1" >/dev/null 2>&1; then
        mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" -e \
          "ALTER USER 'root'@'localhost' IDENTIFIED BY 'runner'; CREATE OR REPLACE USER 'root'@'127.0.0.1' IDENTIFIED BY 'runner'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; CREATE DATABASE runner_test;" \
          >/dev/null || { echo "mariadb_server: the server started but could not be set up" >&2; return 1; }
        echo "mysql://root:runner@127.0.0.1:$port/runner_test"
        return 0
      fi
      [ -f "$dir/mysqld.pid" ] || ! grep -q "Do you already have another\|Address already in use" "$dir/server.log" 2>/dev/null || break
      sleep 0.25
    done
    grep -q "Address already in use\|Do you already have another" "$dir/server.log" 2>/dev/null || break
    stop_server "$dir"
  done
  echo "mariadb_server: MariaDB did not start; its log:" >&2
  cat "$dir/server.log" >&2 2>/dev/null || true
  return 1
}

stop_server() {
  local dir=$1 pid i
  [ -f "$dir/mysqld.pid" ] || return 0
  pid=$(cat "$dir/mysqld.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

stop() {
  local dir=$1
  stop_server "$dir"
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: mariadb_server.sh start DIR}" ;;
  stop) stop "${2:?usage: mariadb_server.sh stop DIR}" ;;
  *) echo "usage: mariadb_server.sh start|stop DIR" >&2; exit 2 ;;
esac
