#!/usr/bin/env bash
# Throughput and memory of `kreplay splat` on a large kernel log (read every report, replay its call
# trace through the kernel model, group by signature), of reading alone, and of grep counting report
# headers on the same file. Not a test: run it on demand.
#
#   bench/splat-bench.sh [MB] [RUNS] [GAP]   (defaults: 600 MB, 5 runs, 250 ordinary lines between reports)
#
# The JVM runs with the kreplay launcher's options (-Xmx256m -XX:+UseSerialGC; override with
# KREPLAY_JAVA_OPTS as for the launcher), and once more in a 64 MB heap to show that memory does not
# grow with the log.
#
# Needs kreplay built with the ingest tests compiled: ./mvnw -q -o install -DskipTests (the reading-only
# driver is ingest's test-scope SplatBench). The log is generated from the ingest test logs
# (bench/gen-big-log.sh) into bench/out/, so nothing large is committed.
# Reports the median of RUNS runs, the peak RSS of all of them, and the load average before and after
# (the machine may be shared: a loaded machine gives lower numbers).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
mb=${1:-600}
runs=${2:-5}
gap=${3:-250}
opts=${KREPLAY_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}
out="$here/out"
mkdir -p "$out"
log="$out/big-log-${mb}mb-gap${gap}.log"
classes="$root/ingest/target/classes"
tests="$root/ingest/target/test-classes"
[ -f "$tests/org/kreplay/ingest/log/SplatBench.class" ] && [ -f "$root/report/target/kreplay.jar" ] || {
  echo "build first: ./mvnw -q -o install -DskipTests" >&2; exit 2; }
cpfile="$out/ingest-classpath.txt"
if [ ! -s "$cpfile" ]; then
  (cd "$root" && ./mvnw -q -o dependency:build-classpath -pl ingest -Dmdep.includeScope=compile \
      -Dmdep.outputFile="$cpfile") >&2
fi
cp="$classes:$tests:$(cat "$cpfile")"
if [ ! -f "$log" ]; then
  echo "generating $log ..." >&2
  "$here/gen-big-log.sh" "$log" "$mb" "$gap"
fi
bytes=$(stat -c %s "$log")
lines=$(wc -l < "$log")

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

measure() { # label, command...
  local label=$1; shift
  local times=() rss=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/last-run.txt"
    read -r t m < "$out/time.txt"
    times+=("$t")
    [ "$m" -gt "$rss" ] && rss=$m
  done
  local t
  t=$(printf '%s\n' "${times[@]}" | median)
  awk -v l="$label" -v t="$t" -v b="$bytes" -v n="$lines" -v r="$rss" -v all="${times[*]}" 'BEGIN {
    printf "%-40s %6.2f s  %7.1f MB/s  %6.2f M lines/s  peak RSS %4.0f MB   (runs: %s)\n", l, t, b / 1e6 / t, n / 1e6 / t, r / 1024, all }'
}

echo "log: $log, $(awk -v b="$bytes" 'BEGIN{printf "%.0f MB", b/1e6}'), $lines lines; $(nproc) CPUs; $(java -version 2>&1 | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "kreplay splat ($opts)" env KREPLAY_JAVA_OPTS="$opts" "$root/kreplay" splat -q -f json -o "$out/splat.json" "$log"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("    %d reports, %d distinct problems, %d reproduced" % (d["reports"], len(d["problems"]), d["reproduced"]))' "$out/splat.json" || true
measure "kreplay splat (-Xmx64m -XX:+UseSerialGC)" env KREPLAY_JAVA_OPTS="-Xmx64m -XX:+UseSerialGC" "$root/kreplay" splat -q -o /dev/null "$log"
# shellcheck disable=SC2086 # the options are words
measure "reading only ($opts)" java $opts -cp "$cp" org.kreplay.ingest.log.SplatBench "$log"
measure "grep: count report headers" grep -c -E '(BUG|WARNING|INFO): |Oops' "$log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
