#!/bin/sh
# Runs `history` on one real repository as a new user would (no configuration) and prints one
# row of the table in BENCHMARKS.md ("Every file accounted for on real repositories"):
# releases checked, files read / ignored / unrecognised, the releases reported `none` that
# change a migration file, the wall time and the peak memory of `history`.
#
#   scripts/ledger-table.sh NAME REPO [history options...]
#   scripts/ledger-table.sh synapse /path/to/synapse --from v1.0.0
#
# Needs a release build (cargo build --release -p balrog-schema-lint-cli), jq and GNU time.
# Each `none` release that changes a migration file is listed after the row, with what the
# release changed, to be read by hand.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/balrog-schema-lint"
name=$1
repo=$2
shift 2
out=$(mktemp)
timing=$(mktemp)
trap 'rm -f "$out" "$timing"' EXIT

nice /usr/bin/time -v "$bin" history --repo "$repo" --format json "$@" >"$out" 2>"$timing" || true
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$timing")
peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$timing")

jq -r --arg name "$name" --arg wall "$wall" --arg peak "$peak" '
  def sum(f): map(f) | add // 0;
  .pairs as $p
  | ($p | map(select(.verdict == "none" and .counts.migrations > 0))) as $none
  | "| \($name) | \($p | length) | \($p | sum(.counts.migrations)) / \($p | sum(.counts.ignored)) / \($p | sum(.counts.unrecognised)) | \($none | length) | \($wall) | \(($peak | tonumber) / 1024 | floor) MB |",
    ($none[] | "  none: \(.from) -> \(.to): \(.counts.migrations) file(s), \(.counts.operations) operation(s), \(.counts.errors) error(s), \(.counts.warnings) warning(s)")
' "$out"
