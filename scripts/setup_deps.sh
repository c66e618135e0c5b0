#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian 12 package the build, the tests and the benchmark need.
# Idempotent: does nothing (and needs no network) when everything is present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libsoci-dev libboost-program-options-dev libboost-test-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev libssl-dev libpg-query-dev libprotobuf-c-dev
  libsqlite3-dev libpq-dev
  libmariadb-dev mariadb-server mariadb-client
  sqlite3 postgresql postgresql-client pgbouncer hyperfine time clang-format
  alembic python3-psycopg2 man-db
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "setup_deps: missing packages: ${missing[*]}; run as root or install them" >&2
  exit 1
fi
echo "setup_deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
