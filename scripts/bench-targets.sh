#!/bin/sh
# The `history` time and memory targets, measured against a yardstick of the machine itself.
#
#   scripts/bench-targets.sh SYNAPSE_CLONE BALROG_CLONE [ROUNDS]
#
# Machines of the same kind differ in speed by nearly 2x, and one machine's speed changes
# within minutes, so a wall time alone says little. Each round runs, back to back:
# `history` over Synapse's v1.x releases, then git's own walk of the same commits
# (`git rev-list --count`, which reads every commit of the range and nothing else), then
# the same two for Balrog's whole history. Each round's ratio compares runs made seconds
# apart, at the same speed; the median over the rounds is the figure to trust. Synapse's
# walk (11,595 commits, about 0.1 s on the machine where the targets were first met) is
# the yardstick for both histories.
# Set BIN to time a binary already built. Needs GNU time (/usr/bin/time). Figures go to
# BENCHMARKS.md.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
synapse=${1:?usage: scripts/bench-targets.sh SYNAPSE_CLONE BALROG_CLONE [ROUNDS]}
balrog=${2:?usage: scripts/bench-targets.sh SYNAPSE_CLONE BALROG_CLONE [ROUNDS]}
rounds=${3:-15}
if [ -z "${BIN:-}" ]; then
    (cd "$root" && cargo build --release --locked -p balrog-schema-lint-cli)
    BIN="$root/target/release/balrog-schema-lint"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The release tags `history` reads first and last: Synapse's v1.x, Balrog's v*.
versions() { git -C "$1" tag -l "$2" --sort=v:refname | grep -Ev 'rc|-'; }
synapse_last=$(versions "$synapse" 'v1.*' | tail -n 1)
balrog_first=$(versions "$balrog" 'v*' | head -n 1)
balrog_last=$(versions "$balrog" 'v*' | tail -n 1)

# Appends "milliseconds KiB" of one run of the command to the file named first.
run() {
    out=$1
    shift
    start=$(date +%s%N)
    kib=$(/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1)
    end=$(date +%s%N)
    echo "$(((end - start) / 1000000)) $kib" >>"$work/$out"
}

i=0
while [ "$i" -lt "$rounds" ]; do
    i=$((i + 1))
    run synapse "$BIN" history --repo "$synapse" --from v1.0.0 --format json
    run synapse-git git -C "$synapse" rev-list --count "v1.0.0..$synapse_last"
    run balrog "$BIN" history --repo "$balrog" --format json
    run balrog-git git -C "$balrog" rev-list --count "$balrog_first..$balrog_last"
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
summary() {
    printf '%-12s median %5s ms, %5s-%5s ms, peak %s KiB\n' "$1" \
        "$(cut -d' ' -f1 "$work/$1" | median)" \
        "$(cut -d' ' -f1 "$work/$1" | sort -n | head -n 1)" \
        "$(cut -d' ' -f1 "$work/$1" | sort -n | tail -n 1)" \
        "$(cut -d' ' -f2 "$work/$1" | sort -n | tail -n 1)"
}
# The median of the rounds' ratios of two of the commands.
ratio() {
    paste -d' ' "$work/$1" "$work/$2" | awk '{ printf "%.2f\n", $1 / $3 }' | median
}
echo "$rounds rounds; Synapse v1.0.0..$synapse_last, Balrog $balrog_first..$balrog_last"
for what in synapse synapse-git balrog balrog-git; do summary "$what"; done
echo "Synapse history / Synapse rev-list: $(ratio synapse synapse-git)"
echo "Balrog history / Balrog rev-list: $(ratio balrog balrog-git)"
# Balrog's walk takes a few tens of milliseconds, too short to measure the machine by.
echo "Balrog history / Synapse rev-list: $(ratio balrog synapse-git)"
