#!/bin/sh
# Times whole processes side by side on a generated repository (and on a Balrog clone when
# one is given), and records peak memory. Figures go to BENCHMARKS.md.
#
#   scripts/bench.sh [BALROG_CLONE]
#
# Needs hyperfine (apt-get install -y hyperfine) and installs squawk-cli with pip for the
# comparison; tests never do either. Set BENCH_DIR to keep the generated repository.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
balrog=${1:-}
work=${BENCH_DIR:-$(mktemp -d)}
cd "$root"

cargo build --release --locked -p balrog-schema-lint-cli -p balrog-schema-lint-tests
bin="$root/target/release/balrog-schema-lint"

repo="$work/bench-repo"
if [ ! -d "$repo" ]; then
    "$root/target/release/gen-repo" "$repo" --migrations 350 --tags 250 --sql-bytes 1000000
    # A real clone is packed; loose objects would time the file system instead.
    git -C "$repo" gc -q
fi
first=$(git -C "$repo" tag --sort=v:refname | head -n 1)
last=$(git -C "$repo" tag --sort=v:refname | tail -n 1)

# squawk lints the same SQL files: every migration at the last tag.
sqldir="$work/sql"
rm -rf "$sqldir" && mkdir -p "$sqldir"
git -C "$repo" archive "$last" db/migrations | tar -x -C "$sqldir"
command -v squawk >/dev/null 2>&1 || pip install --quiet squawk-cli
squawk=$(command -v pyenv >/dev/null 2>&1 && pyenv which squawk 2>/dev/null || command -v squawk)
printf '%s\n' "$sqldir"/db/migrations/*.sql > "$work/sql-files"

echo "== generated repository: $(git -C "$repo" tag | wc -l) tags, $(wc -l < "$work/sql-files") migrations, $(cat "$sqldir"/db/migrations/*.sql | wc -c) bytes of SQL"
echo "== check over every migration vs squawk on the same files (side by side)"
hyperfine -N --warmup 2 --runs 15 -i \
    -n check "$bin check --repo $repo --from $first --to $last --format json" \
    -n squawk "$squawk $(tr '\n' ' ' < "$work/sql-files")" \
    --export-markdown "$work/check-vs-squawk.md"

echo "== history over every pair"
hyperfine -N --warmup 1 --runs 5 -i \
    -n history "$bin history --repo $repo" \
    --export-markdown "$work/history.md"

echo "== peak memory (maximum resident set size)"
for args in "check --repo $repo --from $first --to $last" "history --repo $repo"; do
    kb=$(/usr/bin/time -f '%M' $bin $args 2>&1 >/dev/null | tail -n 1)
    echo "$args: $kb KiB"
done

if [ -n "$balrog" ]; then
    echo "== Balrog clone at $balrog"
    hyperfine -N --warmup 3 --runs 30 -i \
        -n check-v3.110-v3.111 "$bin check --repo $balrog --from v3.110 --to v3.111" \
        -n history "$bin history --repo $balrog" \
        --export-markdown "$work/balrog.md"
    for args in "check --repo $balrog --from v3.110 --to v3.111" "history --repo $balrog"; do
        echo "$args: $(/usr/bin/time -f '%M' $bin $args 2>&1 >/dev/null | tail -n 1) KiB"
    done
fi
echo "== results in $work"
