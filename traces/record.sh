#!/bin/bash
# usage: [WINDOW=seconds] record.sh OUTDIR EVENTFILE STACKTRACE(0|1) -- workload command...
set -u
T=/sys/kernel/tracing
OUT=$1; EV=$2; ST=$3; shift 4
rm -rf "$OUT"; mkdir -p "$OUT"
echo 0 > $T/tracing_on
echo 20000 > $T/buffer_size_kb
echo > $T/set_event
while read -r e; do echo "$e" >> $T/set_event || echo "FAILED $e"; done < "$EV"
echo $ST > $T/options/stacktrace
echo > $T/trace
echo 1 > $T/tracing_on
if [ -n "${WINDOW:-}" ]; then bash -c "$*" > "$OUT/workload.out" 2>&1 & WPID=$!; sleep $WINDOW; echo 0 > $T/tracing_on; wait $WPID; else bash -c "$*" > "$OUT/workload.out" 2>&1; fi
echo 0 > $T/tracing_on
echo 0 > $T/options/stacktrace
cat $T/trace > "$OUT/trace.txt"
cat $T/set_event > "$OUT/set_event.actual"
for c in 0 1; do echo "cpu$c"; cat $T/per_cpu/cpu$c/stats; done > "$OUT/per_cpu_stats.txt"
cat $T/trace_options > "$OUT/trace_options.txt"
cd "$OUT" && trace-cmd extract -o trace.dat > extract.log 2>&1; echo "extract rc=$?"
echo > $T/set_event
