#!/usr/bin/env bash
# Runs `balrog-schema-lint check` on a real git repository.
#   scripts/demo.sh                 # builds testdata/scenarios/demo into a temporary git
#                                   # repository (four tagged releases) and checks it
#   scripts/demo.sh PATH [ARGS...]  # checks the repository at PATH, passing ARGS to `check`
# Needs no network: everything comes from this checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
# The build compiles libgit2 with the C compiler and zlib-ng with cmake.
missing=()
command -v cc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v cmake >/dev/null 2>&1 || missing+=(cmake make)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "demo: the build needs a C compiler and cmake; missing: ${missing[*]}" >&2
    exit 1
  fi
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
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
