#!/bin/sh
# Seeds each fuzz target's corpus from testdata/: fuzz/corpus/<target>/.
# Usage: fuzz/seed.sh   (then: cargo +nightly fuzz run <target> corpus/<target>)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus="$here/corpus"
mkdir -p "$corpus/sql" "$corpus/python" "$corpus/config" "$corpus/version"
n=0
# SQL: the first byte picks the dialect (0 mysql, 1 postgres, 2 sqlite, 3 generic).
find "$root/testdata" -name '*.sql' | while read -r f; do
    n=$((n + 1))
    for d in 0 1 2 3; do
        { printf "\\$(printf '%03o' "$d")"; cat "$f"; } > "$corpus/sql/$n-$d"
    done
done
# Python: the first byte picks the dialect (bit 0) and the reader (bit 1).
find "$root/testdata" -name '*.py' | while read -r f; do
    n=$((n + 1))
    for d in 0 2; do
        { printf "\\$(printf '%03o' "$d")"; cat "$f"; } > "$corpus/python/$n-$d"
    done
done
find "$root/testdata" -name '*.toml' | while read -r f; do
    cp "$f" "$corpus/config/$(echo "$f" | cksum | cut -d' ' -f1).toml"
done
cat > "$corpus/config/readme.toml" <<'TOML'
dialect = "mysql"
fail_on = "warning"
code_paths = ["src/**/*.py"]

[[migrations]]
path = "db/migrations"
format = "sql"
dialect = "mysql"

[services.migrator]
name = "balrog-admin-production"
[[services.dependents]]
name = "balrog-production"
canary = true
[[services.independent]]
name = "balrog-agent-production"

[rules]
drop-column = "error"

[placeholders]
"${schema}" = "balrog"
TOML
for v in v3.40 v3.9v3.10 v3.10.1 v2.41-real v1.0.0v1.0 0012_name.sql V12__name.sql \
         12_name.up.sql 12_name.down.sql U12__x.sql 2024_01_01_000000_x 001_x.py; do
    printf '%s' "$v" > "$corpus/version/$(printf '%s' "$v" | cksum | cut -d' ' -f1)"
done
echo "seeded: $(ls "$corpus/sql" | wc -l) sql, $(ls "$corpus/python" | wc -l) python, $(ls "$corpus/config" | wc -l) config, $(ls "$corpus/version" | wc -l) version"
