#!/usr/bin/env bash
# Compares the replayed schema of any repository with a real database, migration by
# migration: the SQL migrations at REV (default HEAD) are applied to the database of the
# dialect and the catalogs compared after each one.
#   scripts/oracle.sh REPO [--to REV] [--migrations GLOB]... [--dialect D] [--config FILE]
# Prints every disagreement and the match rate (objects equal / objects compared). Starts
# the test databases (scripts/test-databases.sh) when BSL_POSTGRES_HOST is not set, and
# stops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p balrog-schema-lint-tests --bin oracle-repo
if [ -z "${BSL_POSTGRES_HOST:-}" ]; then
  trap 'scripts/test-databases.sh stop' EXIT
  eval "$(scripts/test-databases.sh start)"
fi
target/debug/oracle-repo "$@"
