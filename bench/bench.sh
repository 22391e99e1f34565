#!/usr/bin/env bash
# Throughput and memory of `kreplay analyze` on a large trace-cmd report -l text trace, beside
# awk counting events per type on the same file. Not a test: run it on demand.
#
#   bench/bench.sh [MB] [RUNS]      (defaults: 600 MB, 5 runs; needs a built jar: ./mvnw -q package -DskipTests)
#
# The trace is generated from a real recording (bench/gen-big-trace.sh) into bench/out/, so nothing
# large is committed. Reports the median of RUNS runs and the peak RSS of the slowest.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
mb=${1:-600}
runs=${2:-5}
out="$here/out"
mkdir -p "$out"
trace="$out/big-report-l-${mb}mb.txt"
[ -f "$root/report/target/kreplay.jar" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 2; }
if [ ! -f "$trace" ]; then
  echo "generating $trace ..." >&2
  "$here/gen-big-trace.sh" "$trace" "$mb"
fi
bytes=$(stat -c %s "$trace")
lines=$(wc -l < "$trace")

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

measure() { # label, command...
  local label=$1; shift
  local times=() rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > /dev/null
    read -r t m < "$out/time.txt"
    times+=("$t")
    [ "$m" -gt "$rss" ] && rss=$m
  done
  local t
  t=$(printf '%s\n' "${times[@]}" | median)
  awk -v l="$label" -v t="$t" -v b="$bytes" -v n="$lines" -v r="$rss" -v all="${times[*]}" 'BEGIN {
    printf "%-28s %6.2f s  %7.1f MB/s  %6.2f M lines/s  peak RSS %4.0f MB   (runs: %s)\n", l, t, b / 1e6 / t, n / 1e6 / t, r / 1024, all }'
}

echo "trace: $trace, $(awk -v b="$bytes" 'BEGIN{printf "%.0f MB", b/1e6}'), $lines lines; $(nproc) CPUs; $(java -version 2>&1 | head -1)"
measure "kreplay analyze (json)" "$root/kreplay" analyze -q -f json "$trace"
measure "kreplay analyze (text)" "$root/kreplay" analyze -q "$trace"
measure "awk: count events per type" awk '{ c[$4]++ } END { for (k in c) n++; print n }' "$trace"
