#!/bin/sh
# Times the walk for a cut against a plain check of the same mixed range of 200 commits, on
# a generated repository: 300 released migrations (CREATE TABLE and ALTERs), then 100
# commits that each add an expanding migration, then 100 that each drop a column.
#
#   scripts/bench-cut.sh [WORK_DIR]
#
# Needs hyperfine (apt-get install -y hyperfine). Figures go to BENCHMARKS.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
cd "$root"
cargo build --release --locked -p balrog-schema-lint-cli
bin="$root/target/release/balrog-schema-lint"

repo="$work/cut-repo"
if [ ! -d "$repo" ]; then
    mkdir -p "$repo/migrations"
    git -C "$repo" init -q
    commit() {
        git -C "$repo" add -A
        GIT_AUTHOR_DATE="2024-01-01T00:00:00Z" GIT_COMMITTER_DATE="2024-01-01T00:00:00Z" \
            git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m "$1"
    }
    n=0
    while [ $n -lt 300 ]; do
        n=$((n + 1))
        printf 'CREATE TABLE t%d (id INT NOT NULL PRIMARY KEY, a%d VARCHAR(50), b%d INT);\nALTER TABLE t%d ADD COLUMN c%d INT NULL;\nCREATE INDEX i%d ON t%d (b%d);\n' \
            $n $n $n $n $n $n $n $n > "$repo/migrations/$(printf %04d $n)_t$n.sql"
        [ $((n % 10)) -eq 0 ] && commit "Released migrations up to $n"
    done
    git -C "$repo" tag v1.0
    while [ $n -lt 400 ]; do
        n=$((n + 1))
        printf 'CREATE TABLE t%d (id INT NOT NULL PRIMARY KEY, note VARCHAR(50));\nALTER TABLE t%d ADD COLUMN d%d INT NULL;\n' \
            $n $((n - 300)) $n > "$repo/migrations/$(printf %04d $n)_expand_$n.sql"
        commit "Expand $n (#$n)"
    done
    while [ $n -lt 500 ]; do
        n=$((n + 1))
        printf 'ALTER TABLE t%d DROP COLUMN c%d;\n' $((n - 400)) $((n - 400)) \
            > "$repo/migrations/$(printf %04d $n)_contract_$n.sql"
        commit "Contract $n (#$n)"
    done
    git -C "$repo" gc -q
fi
echo "== range v1.0..HEAD: $(git -C "$repo" rev-list --count v1.0..HEAD) commits, $(ls "$repo/migrations" | wc -l) migrations in all"
hyperfine -N -i --warmup 5 --runs 50 \
    -n "check --no-cut" "$bin check --repo $repo --from v1.0 --to HEAD --format json --no-cut" \
    -n "check (with the walk)" "$bin check --repo $repo --from v1.0 --to HEAD --format json" \
    -n "check --bisect" "$bin check --repo $repo --from v1.0 --to HEAD --format json --bisect --no-cut"
