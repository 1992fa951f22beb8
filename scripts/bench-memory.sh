#!/bin/sh
# Peak memory of `history` and `check` against the length of the history: generated
# repositories with the same 350 migrations (1 MB of SQL) spread over 50, 100, 200 and 400
# release tags, so one release is the same size and only the history grows. Then the real
# histories when their clones are given.
#
#   scripts/bench-memory.sh [SYNAPSE_CLONE [BALROG_CLONE]]
#
# Set BENCH_DIR to keep the generated repositories. Figures go to BENCHMARKS.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-$(mktemp -d)}
cd "$root"
cargo build --release --locked -p balrog-schema-lint-cli -p balrog-schema-lint-tests
bin="$root/target/release/balrog-schema-lint"
peak() { /usr/bin/time -f '%M KiB, %e s' "$@" 2>&1 >/dev/null | tail -n 1; }

for tags in 50 100 200 400; do
    repo="$work/tags-$tags"
    if [ ! -d "$repo" ]; then
        "$root/target/release/gen-repo" "$repo" --migrations 350 --tags "$tags" --sql-bytes 1000000 >/dev/null
        git -C "$repo" gc -q
    fi
    last=$(git -C "$repo" tag --sort=v:refname | tail -n 1)
    echo "$tags tags: history $(peak "$bin" history --repo "$repo"); check v1.0..$last $(peak "$bin" check --repo "$repo" --from v1.0 --to "$last")"
done
if [ -n "${1:-}" ]; then
    echo "Synapse v1.x: history $(peak "$bin" history --repo "$1" --from v1.0.0)"
fi
if [ -n "${2:-}" ]; then
    echo "Balrog: history $(peak "$bin" history --repo "$2")"
fi
