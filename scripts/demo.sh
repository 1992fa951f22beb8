#!/usr/bin/env bash
# Runs `balrog-schema-lint check` on a real git repository.
#   scripts/demo.sh                 # builds testdata/scenarios/demo into a temporary git
#                                   # repository (four tagged releases) and checks it
#   scripts/demo.sh PATH [ARGS...]  # checks the repository at PATH, passing ARGS to `check`
# Needs no network: everything comes from this checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p balrog-schema-lint-cli -p balrog-schema-lint-tests
bin=target/release/balrog-schema-lint
if [ $# -eq 0 ]; then
  repo=$(mktemp -d)/demo
  target/release/fixture-repo demo "$repo" >/dev/null
  echo "# fixture repository: $repo (tags: $(git -C "$repo" tag | tr '\n' ' '))" >&2
  set -- "$repo"
fi
repo=$1
shift
exec "$bin" check --repo "$repo" "$@"
