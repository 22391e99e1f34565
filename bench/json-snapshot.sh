#!/bin/sh
# Writes kreplay's JSON for every bundled trace and kernel log into DIR, one file per input, so two
# builds can be compared with `diff -r` (refactors and speed work must not change a byte).
#   bench/json-snapshot.sh DIR        (uses ./kreplay; build it first: ./mvnw -q package -DskipTests)
#   bench/json-snapshot.sh --compare BEFORE AFTER
#                                     differences, less what depends on the clock (batch's per-file
#                                     "millis", progress lines and timing summaries on stderr)
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--compare" ]; then
  exec diff -r -I '"millis"' -I '^kreplay: .*[0-9] s$' -I '^kreplay: splat: ' "$2" "$3"
fi
out=${1:?usage: bench/json-snapshot.sh DIR}
mkdir -p "$out"
k=./kreplay
name() { echo "$1" | sed 's|/|__|g'; }
# Traces: every trace.dat and text trace under traces/ (seeds, recordings, bundled captures).
find traces -type f \( -name '*.dat' -o -name 'trace*.txt.xz' -o -name 'report*.txt.xz' \
    -o -name 'before.txt' -o -name 'after.txt' -o -name 'console.log.xz' -o -name 'dmesg.txt.xz' \) \
    | sort | while read -r f; do
  $k analyze -f json "$f" > "$out/$(name "$f").json" 2> "$out/$(name "$f").err" || echo "exit $?" >> "$out/$(name "$f").err"
done
# Kernel logs: syzkaller's corpus in one batch run and one splat run.
$k batch -f json corpora/syzkaller-linux-report > "$out/corpus-batch.json" 2> "$out/corpus-batch.err" || echo "exit $?" >> "$out/corpus-batch.err"
$k splat -f json corpora/syzkaller-linux-report > "$out/corpus-splat.json" 2> "$out/corpus-splat.err" || echo "exit $?" >> "$out/corpus-splat.err"
# Seeds: compare before/after as a user proves a fix.
for d in traces/seeds/*/; do
  $k compare -f json "$d/before.txt" "$d/after.txt" > "$out/$(name "$d")compare.json" 2>&1 || true
done
ls "$out" | wc -l
