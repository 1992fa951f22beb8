#!/usr/bin/env bash
# Runs the whole test suite, with the real databases the oracle tests compare the replay with:
# installs what is missing from the Debian packages (as root), starts PostgreSQL and MariaDB on
# loopback in a fresh folder, runs `cargo test --workspace --locked` (any arguments are passed
# on), and stops the servers. The tool itself never needs a database; only its tests do.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
packages=(gcc g++ libc6-dev cmake make postgresql postgresql-client mariadb-server mariadb-client sqlite3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test: missing Debian packages: ${missing[*]} (install them, or run as root)" >&2
    exit 1
  fi
  apt-get update
  # The packages' own servers are not wanted (the tests start their own): keep
  # invoke-rc.d from starting them.
  policy=/usr/sbin/policy-rc.d
  own_policy=false
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod +x "$policy"
    own_policy=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  if $own_policy; then rm -f "$policy"; fi
fi
echo "test: packages ready in $(($(date +%s) - started)) s"
if [ -z "${BSL_DB_DIR:-}" ]; then
  # mktemp makes a 0700 folder; the servers run as the postgres and mysql users.
  db_root=$(mktemp -d)
  chmod 755 "$db_root"
  export BSL_DB_DIR=$db_root/databases
fi
trap 'scripts/test-databases.sh stop || true' EXIT
eval "$(scripts/test-databases.sh start)"
echo "test: databases ready in $(($(date +%s) - started)) s"
cargo test --workspace --locked "$@"
