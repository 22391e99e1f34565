#!/bin/bash
# Benchmark: `kreplay analyze big.dat` against `trace-cmd report big.dat > /dev/null` on the same
# trace.dat, side by side. Records the file first (root, trace-cmd, tracefs, stress-ng needed)
# unless one is given; the file is made at bench time, never committed.
#
#   bench/tracedat-bench.sh [BIG.dat]
#   SECONDS_TO_RECORD=15 BUFFER_KB=200000 bench/tracedat-bench.sh     (recording knobs)
#
# Prints events, file size, wall time, events/s, MB/s and peak RSS of each tool, and the ratio.
# kreplay runs through ./kreplay (java -Xmx256m -XX:+UseSerialGC); build it first with
# ./mvnw -q package -DskipTests.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out=$here/bench/out
mkdir -p "$out"
big=${1:-}
T=/sys/kernel/tracing

record() {
  big=$out/big.dat
  local mounted=
  if [ ! -e $T/tracing_on ]; then mount -t tracefs nodev $T && mounted=1; fi
  local secs=${SECONDS_TO_RECORD:-15}
  local bufkb
  bufkb=$(cat $T/buffer_size_kb)
  # trace-cmd record exits 1 at the end where the function tracer is refused (-d); the file is complete.
  trace-cmd record -d --no-filter -b "${BUFFER_KB:-200000}" -o "$big" \
    -e sched:sched_switch -e sched:sched_waking -e sched:sched_wakeup -e sched:sched_migrate_task \
    -e irq -e irq_vectors -e timer -e workqueue \
    -- stress-ng --cpu 2 --switch 2 --timer 1 -t "$secs" > "$out/record.log" 2>&1 || true
  echo 0 > $T/tracing_on
  echo > $T/set_event
  echo "$bufkb" > $T/buffer_size_kb
  for i in $T/instances/*; do [ -d "$i" ] && rmdir "$i"; done
  if [ -n "$mounted" ]; then umount $T; fi
  [ -s "$big" ] || { echo "recording failed, see $out/record.log" >&2; exit 1; }
}

[ -n "$big" ] || record
[ -x "$here/kreplay" ] && [ -f "$here/report/target/kreplay.jar" ] || { echo "build kreplay first: ./mvnw -q package -DskipTests" >&2; exit 1; }

bytes=$(stat -c %s "$big")
events=$(trace-cmd report "$big" 2>/dev/null | grep -vc '^cpus=\|^CPU:' || true)

# Each tool runs RUNS times (default 3), interleaved, so that load from elsewhere hits them alike;
# the median run is reported.
runs=${RUNS:-3}
measure() { # KEY NAME command...
  local key=$1 name=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$out/$key.time" "$@" > /dev/null 2> "$out/$key.err"
  cat "$out/$key.time" >> "$out/$key.all"
}
report() { # KEY NAME
  local key=$1 name=$2 wall rss
  read -r wall rss < <(sort -n "$out/$key.all" | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-30s %7.2f s (runs: %s)  %10.0f events/s  %6.1f MB/s  peak RSS %4d MB\n' "$name" "$wall" \
    "$(cut -d' ' -f1 "$out/$key.all" | tr '\n' ' ' | sed 's/ $//')" \
    "$(echo "$events / $wall" | bc -l)" "$(echo "$bytes / 1000000 / $wall" | bc -l)" $((rss / 1024))
  eval "${key}_wall=$wall"
}

echo "file: $big ($((bytes / 1000000)) MB, $events events, $(trace-cmd dump --summary "$big" 2>/dev/null | grep -m1 -o 'zstd\|zlib' || echo uncompressed))"
echo "machine: $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1)"
rm -f "$out"/*.all
for i in $(seq "$runs"); do
  measure tracecmd "trace-cmd report > /dev/null" trace-cmd report "$big"
  measure analyze "kreplay analyze" "$here/kreplay" analyze -q "$big"
  measure convert "kreplay convert --format csv" "$here/kreplay" convert -q --format csv "$big"
done
report tracecmd "trace-cmd report > /dev/null"
report analyze "kreplay analyze"
report convert "kreplay convert --format csv"
printf 'ratio trace-cmd report / kreplay analyze: %.1fx\n' "$(echo "$tracecmd_wall / $analyze_wall" | bc -l)"
