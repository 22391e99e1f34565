#!/usr/bin/env bash
# kreplay's performance beside the tools it must beat, on the same files in one run: one table
# (and bench/out/perf.json). Not a test: run it on demand, on a quiet machine if you have one.
#
#   bench/perf.sh [RUNS]            (default 3; every row's median over RUNS interleaved runs)
#
# Inputs (made under bench/out/ when missing, never committed):
#   perf.dat      a real recording of this machine's kernel: stress-ng (cpu, switch, timer, malloc,
#                 mutex, futex, hrtimers) under trace-cmd record with sched, irq, irq_vectors, timer,
#                 workqueue, kmem, lock contention and rcu_utilization events (root, tracefs,
#                 trace-cmd, stress-ng; SECONDS_TO_RECORD=7 gives about 5.7 M events, 40 MB as v7 zstd)
#   perf-1x.txt   the same recording as `trace-cmd report -l` text (about 625 MB)
#   perf-2x.txt, perf-4x.txt   it twice and four times over, timestamps shifted (bench/repeat-trace.sh)
#   perf-log.log  a report-dense kernel log (bench/gen-big-log.sh, 600 MB, a report every 250 lines)
# Give your own recording with BIG_DAT=FILE.dat.
#
# kreplay runs through ./kreplay as a user runs it (build first: ./mvnw -q package -DskipTests).
# Pinned rows run under `taskset -c 0` (kreplay and awk alike on one core). Peak RSS is
# /usr/bin/time's maximum resident set size.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${1:-3}
out=$here/out
mkdir -p "$out"
kreplay=$root/kreplay
[ -f "$root/report/target/kreplay.jar" ] || { echo "build first: ./mvnw -q package -DskipTests" >&2; exit 2; }
for tool in trace-cmd awk taskset /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "perf.sh needs $tool" >&2; exit 2; }
done

record() { # FILE
  local T=/sys/kernel/tracing mounted=
  command -v stress-ng > /dev/null || { echo "recording needs stress-ng (apt-get install stress-ng)" >&2; exit 2; }
  if [ ! -e $T/tracing_on ]; then mount -t tracefs nodev $T && mounted=1; fi
  # trace-cmd record exits 1 at the end where the function tracer is refused (-d); the file is complete.
  trace-cmd record -d --no-filter -b 150000 --file-version 7 --compression zstd -o "$1" \
    -e sched:sched_switch -e sched:sched_waking -e sched:sched_wakeup -e sched:sched_wakeup_new \
    -e sched:sched_migrate_task -e irq -e irq_vectors -e timer -e workqueue \
    -e kmem:kmalloc -e kmem:kfree -e kmem:kmem_cache_alloc -e kmem:kmem_cache_free -e kmem:mm_page_alloc \
    -e lock:contention_begin -e lock:contention_end -e rcu:rcu_utilization \
    -- stress-ng --cpu 1 --switch 1 --timer 1 --malloc 1 --mutex 1 --futex 1 --hrtimers 1 \
       -t "${SECONDS_TO_RECORD:-7}" > "$out/record.log" 2>&1 || true
  echo 0 > $T/tracing_on
  echo > $T/set_event
  if [ -n "$mounted" ]; then umount $T; fi
  [ -s "$1" ] || { echo "recording failed, see $out/record.log" >&2; exit 1; }
}

dat=${BIG_DAT:-$out/perf.dat}
[ -f "$dat" ] || { echo "recording $dat ..." >&2; record "$dat"; }
txt=$out/perf-1x.txt
if [ ! -f "$txt" ] || [ "$txt" -ot "$dat" ]; then
  echo "writing $txt ..." >&2
  trace-cmd report -l "$dat" > "$txt.tmp" 2> /dev/null && mv "$txt.tmp" "$txt"
fi
for k in 2 4; do
  [ -f "$out/perf-${k}x.txt" ] && [ "$out/perf-${k}x.txt" -nt "$txt" ] || "$here/repeat-trace.sh" "$txt" "$out/perf-${k}x.txt" $k
done
log=$out/perf-log.log
[ -f "$log" ] || "$here/gen-big-log.sh" "$log" 600 250
small=$root/traces/cyclictest/trace.txt.xz

# ---- runs: every row once per round, rounds interleaved so that load from elsewhere hits all alike
rows=()
declare -A cmd file unit
row() { # KEY FILE UNIT(MB|events) command...
  local key=$1; rows+=("$key"); file[$key]=$2; unit[$key]=$3; shift 3; cmd[$key]="$*"
}
awk_count='{ c[$4]++ } END { for (k in c) n++; print n }'
row text.kreplay "$txt" MB "$kreplay" analyze -q -f json "$txt"
# (each cost row runs right after the run it is a multiple of: the machine's speed drifts within a round)
row convtext.kreplay "$txt" MB "$kreplay" convert -q -f perfetto -o "$out/perf.pftrace" "$txt"
row text.awk "$txt" MB awk "'$awk_count'" "$txt"
row text.wc "$txt" MB wc -l "$txt"
# (into a pipe: GNU grep stops at the first match when its output is /dev/null)
row text.grep "$txt" MB grep -c sched_switch "$txt" "| cat"
row text1.kreplay "$txt" MB taskset -c 0 "$kreplay" analyze -q -f json "$txt"
row text1.awk "$txt" MB taskset -c 0 awk "'$awk_count'" "$txt"
row dat.kreplay "$dat" events "$kreplay" analyze -q -f json "$dat"
row convdat.kreplay "$dat" events "$kreplay" convert -q -f perfetto -o "$out/perf.pftrace" "$dat"
row exportdat.kreplay "$dat" events "$kreplay" analyze -q -f json --export timeline="$out/perf-export.pftrace" "$dat"
row dat.tracecmd "$dat" events trace-cmd report "$dat"
row log.kreplay "$log" MB "$kreplay" splat -q -f json "$log"
row log.grep "$log" MB grep -c -e "BUG:" -e "WARNING:" "$log" "| cat"
row scale2.kreplay "$out/perf-2x.txt" MB "$kreplay" analyze -q -f json "$out/perf-2x.txt"
row scale4.kreplay "$out/perf-4x.txt" MB "$kreplay" analyze -q -f json "$out/perf-4x.txt"
row heap64.kreplay "$txt" MB env KREPLAY_JAVA_OPTS="'-Xmx64m -XX:+UseSerialGC -XX:InlineSmallCode=500 -XX:FreqInlineSize=150'" "$kreplay" analyze -q -f json "$txt"
row start.kreplay "$small" MB "$kreplay" analyze "$small"

declare -A walls rss rc
for round in $(seq "$runs"); do
  echo "round $round of $runs ..." >&2
  for key in "${rows[@]}"; do
    code=0
    /usr/bin/time -f "%e %M" -o "$out/perf.time" bash -c "${cmd[$key]}" > /dev/null 2> "$out/perf.err" || code=$?
    if [ "$code" -ne 0 ]; then
      echo "failed ($code): ${cmd[$key]}" >&2; cat "$out/perf.err" >&2; exit 1
    fi
    read -r w m < <(tail -1 "$out/perf.time")
    walls[$key]+="$w "
    [ "${rss[$key]:-0}" -ge "$m" ] || rss[$key]=$m
  done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
events=$(trace-cmd report "$dat" 2> /dev/null | grep -vc '^cpus=\|^CPU:' || true)
declare -A med
for key in "${rows[@]}"; do med[$key]=$(echo "${walls[$key]}" | median); done
rate() { # KEY
  local f=${file[$1]} w=${med[$1]}
  if [ "${unit[$1]}" = events ]; then awk -v n="$events" -v w="$w" 'BEGIN { printf "%.2f M events/s", n / w / 1e6 }'
  else awk -v b="$(stat -c %s "$f")" -v w="$w" 'BEGIN { printf "%.0f MB/s", b / w / 1e6 }'; fi
}
ratio() { awk -v a="${med[$1]}" -v b="${med[$2]}" 'BEGIN { printf "%.2f", a / b }'; }

mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f MB", b / 1e6 }'; }
echo
echo "machine: $(nproc) CPUs, $(uname -r), $(java -version 2>&1 | head -1); load before the last round: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "inputs: $(basename "$dat") ($(mb "$dat"), $events events), perf-1x.txt ($(mb "$txt"), $(wc -l < "$txt") lines), perf-log.log ($(mb "$log"))"
echo "median of $runs interleaved runs (all runs in brackets); ratio = anchor time / kreplay time (> 1: kreplay is faster),"
echo "except the -Xmx64m, 2x/4x and convert rows: their time as a multiple of the 1x run's or analyze's (linear: at most 2.1x and 4.2x)"
echo
printf '| %-40s | %-28s | %-14s | %-9s | %-34s | %s |\n' work "kreplay" rate "peak RSS" anchor ratio
printf '|%s|%s|%s|%s|%s|%s|\n' ------------------------------------------ ------------------------------ ---------------- ----------- ------------------------------------ -------
line() { # LABEL KEY ANCHOR_KEY ANCHOR_LABEL [cost]
  local a="" r="" v
  if [ -n "$3" ]; then a="$4 ${med[$3]} s"; r="$(ratio "$3" "$2")x"; fi
  # a cost row compares kreplay with itself: its time as a multiple of the reference run's
  if [ "${5:-}" = cost ]; then r="$(ratio "$2" "$3")x the time"; fi
  v=$(rate "$2"); [ "$2" = start.kreplay ] && v="-"
  printf '| %-40s | %-28s | %-14s | %-9s | %-34s | %s |\n' "$1" "${med[$2]} s [${walls[$2]% }]" "$v" \
    "$((rss[$2] / 1024)) MB" "$a" "$r"
}
line "analyze text, both cores" text.kreplay text.awk "awk count per type"
line "analyze text, one core (taskset -c 0)" text1.kreplay text1.awk "awk, one core"
line "  (wc -l on the text)" text.wc "" ""
line "  (grep -c sched_switch on the text)" text.grep "" ""
line "analyze trace.dat" dat.kreplay dat.tracecmd "trace-cmd report >/dev/null"
line "splat, report-dense log" log.kreplay log.grep "grep -c BUG:/WARNING:"
line "analyze text, -Xmx64m" heap64.kreplay text.kreplay "same, -Xmx256m" cost
line "analyze text 2x ($(mb "$out/perf-2x.txt"))" scale2.kreplay text.kreplay "1x" cost
line "analyze text 4x ($(mb "$out/perf-4x.txt"))" scale4.kreplay text.kreplay "1x" cost
line "start-up: traces/cyclictest/trace.txt.xz" start.kreplay "" ""
line "convert text to Perfetto ($(mb "$out/perf.pftrace"))" convtext.kreplay text.kreplay "analyze text" cost
line "convert trace.dat to Perfetto" convdat.kreplay dat.kreplay "analyze trace.dat" cost
line "analyze trace.dat --export timeline=" exportdat.kreplay dat.kreplay "analyze trace.dat" cost

# the same as JSON, for tracking over time
{
  echo "{"
  echo "  \"machine\": {\"cpus\": $(nproc), \"kernel\": \"$(uname -r)\", \"java\": \"$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')\"},"
  echo "  \"runs\": $runs, \"events\": $events,"
  echo "  \"rows\": {"
  n=0
  for key in "${rows[@]}"; do
    n=$((n + 1)); sep=,; [ "$n" -eq "${#rows[@]}" ] && sep=
    echo "    \"$key\": {\"file\": \"$(basename "${file[$key]}")\", \"bytes\": $(stat -c %s "${file[$key]}"), \"median_s\": ${med[$key]}, \"runs_s\": [$(echo "${walls[$key]% }" | tr ' ' ',')], \"peak_rss_kb\": ${rss[$key]}}$sep"
  done
  echo "  }"
  echo "}"
} > "$out/perf.json.tmp" && mv "$out/perf.json.tmp" "$out/perf.json"
echo
echo "written: $out/perf.json"
