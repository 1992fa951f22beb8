#!/usr/bin/env bash
# Starts and stops the real databases the oracle tests compare the replayed schema with:
# PostgreSQL and MariaDB servers on the loopback interface, each with its own data folder and
# port, and the SQLite command-line shell.
#
#   eval "$(scripts/test-databases.sh start)"   # start both servers, print the settings
#   cargo test --workspace --locked              # the oracle tests read the settings
#   scripts/test-databases.sh stop               # stop both servers, remove their data
#
# Settings (environment, all optional):
#   BSL_DB_DIR          data folders, sockets and logs   (default /tmp/bsl-test-databases)
#   BSL_POSTGRES_PORT   PostgreSQL port                  (default 55432)
#   BSL_MARIADB_PORT    MariaDB port                     (default 33306)
# `start` prints `export` lines for BSL_POSTGRES_*, BSL_MARIADB_* and BSL_SQLITE, and writes
# them to $BSL_DB_DIR/env too. PostgreSQL refuses to run as root, so as root the servers run
# as the `postgres` and `mysql` users the Debian packages create.
set -euo pipefail

dir=${BSL_DB_DIR:-/tmp/bsl-test-databases}
pg_port=${BSL_POSTGRES_PORT:-55432}
maria_port=${BSL_MARIADB_PORT:-33306}

say() { echo "test-databases: $*" >&2; }
die() {
  say "$*"
  exit 1
}

# Runs a command as USER when this script runs as root, else as the caller.
as_user() {
  local user=$1
  shift
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$found" ]; then
    echo "$found"
  elif command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
  else
    die "PostgreSQL server binaries not found (Debian: apt-get install postgresql)"
  fi
}

start_postgres() {
  local bin data=$dir/postgres
  bin=$(pg_bin)
  rm -rf "$data"
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres: "$data"
  as_user postgres "$bin/initdb" --no-sync -A trust -U postgres -E UTF8 --locale=C \
    -D "$data" >"$dir/postgres-initdb.log" 2>&1 ||
    die "initdb failed: see $dir/postgres-initdb.log"
  # fsync off: the data is thrown away after the tests.
  as_user postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-p $pg_port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || die "PostgreSQL did not start: see $data/server.log"
  "$bin/pg_isready" -h 127.0.0.1 -p "$pg_port" -t 30 >/dev/null ||
    die "PostgreSQL is not accepting connections on 127.0.0.1:$pg_port"
}

stop_postgres() {
  local data=$dir/postgres
  [ -f "$data/postmaster.pid" ] || return 0
  as_user postgres "$(pg_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
}

mariadb_server() {
  local candidate
  for candidate in mariadbd /usr/sbin/mariadbd mysqld /usr/sbin/mysqld; do
    if command -v "$candidate" >/dev/null 2>&1; then
      command -v "$candidate"
      return
    fi
  done
  die "MariaDB server not found (Debian: apt-get install mariadb-server)"
}

start_mariadb() {
  local server data=$dir/mariadb user_opt=()
  server=$(mariadb_server)
  rm -rf "$data"
  mkdir -p "$data"
  if [ "$(id -u)" = 0 ]; then
    chown mysql: "$data"
    user_opt=(--user=mysql)
  fi
  mariadb-install-db --no-defaults "${user_opt[@]}" --datadir="$data/data" \
    --auth-root-authentication-method=normal --skip-test-db \
    >"$dir/mariadb-install.log" 2>&1 || die "mariadb-install-db failed: see $dir/mariadb-install.log"
  # --no-defaults: nothing from /etc/mysql (the system server's socket, port, data folder).
  "$server" --no-defaults "${user_opt[@]}" --datadir="$data/data" --port="$maria_port" \
    --bind-address=127.0.0.1 --socket="$data/mariadb.sock" --pid-file="$data/mariadb.pid" \
    --log-error="$data/server.log" --skip-name-resolve --innodb-flush-log-at-trx-commit=0 \
    --innodb-buffer-pool-size=64M --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_general_ci >/dev/null 2>&1 &
  local i
  for i in $(seq 1 60); do
    if mariadb-admin --no-defaults --socket="$data/mariadb.sock" -uroot ping >/dev/null 2>&1; then
      break
    fi
    sleep 0.5
  done
  mariadb-admin --no-defaults --socket="$data/mariadb.sock" -uroot ping >/dev/null 2>&1 ||
    die "MariaDB did not start: see $data/server.log"
  # A TCP user: root@localhost matches the socket only.
  mariadb --no-defaults --socket="$data/mariadb.sock" -uroot -e \
    "CREATE USER 'bsl'@'127.0.0.1'; GRANT ALL ON *.* TO 'bsl'@'127.0.0.1' WITH GRANT OPTION;" ||
    die "could not create the MariaDB test user"
}

stop_mariadb() {
  local data=$dir/mariadb
  [ -S "$data/mariadb.sock" ] || return 0
  mariadb-admin --no-defaults --socket="$data/mariadb.sock" -uroot shutdown >/dev/null 2>&1 || true
}

settings() {
  cat <<EOF
export BSL_POSTGRES_HOST=127.0.0.1
export BSL_POSTGRES_PORT=$pg_port
export BSL_POSTGRES_USER=postgres
export BSL_MARIADB_HOST=127.0.0.1
export BSL_MARIADB_PORT=$maria_port
export BSL_MARIADB_USER=bsl
export BSL_SQLITE=$(command -v sqlite3 || echo sqlite3)
EOF
}

case ${1:-} in
start)
  command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 not found (Debian: apt-get install sqlite3)"
  command -v psql >/dev/null 2>&1 || die "psql not found (Debian: apt-get install postgresql-client)"
  command -v mariadb >/dev/null 2>&1 || die "mariadb client not found (Debian: apt-get install mariadb-client)"
  mkdir -p "$dir"
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$dir"; then
    die "the postgres user cannot reach $dir: every folder above it must be searchable (chmod 755)"
  fi
  stop_postgres
  stop_mariadb
  start_postgres
  say "PostgreSQL ready on 127.0.0.1:$pg_port"
  start_mariadb
  say "MariaDB ready on 127.0.0.1:$maria_port"
  settings | tee "$dir/env"
  ;;
stop)
  stop_postgres
  stop_mariadb
  rm -rf "$dir"
  say "stopped"
  ;;
env)
  settings
  ;;
*)
  die "usage: $0 start|stop|env"
  ;;
esac
