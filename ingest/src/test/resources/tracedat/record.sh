#!/bin/bash
# Re-creates the recorded trace.dat test files of this folder (see README.md).
# Needs root, trace-cmd 3.1.x and tracefs at /sys/kernel/tracing. Usage: record.sh OUTDIR
#
# Two passes: the first records every file with the full /proc/kallsyms and collects the kernel
# symbols the reports name; the second bind-mounts a /proc/kallsyms cut down to those symbols
# (each with the symbol after it, so lookups resolve exactly as with the full table) and records
# again, so that the files stay small. trace-cmd record exits 1 at the end on this machine (the
# function tracer is refused: -d); the files are complete all the same.
set -u
OUT=$(realpath "${1:?usage: record.sh OUTDIR}")
T=/sys/kernel/tracing
WORK=$(mktemp -d)
MOUNTED=
if [ ! -e $T/tracing_on ]; then mount -t tracefs nodev $T && MOUNTED=1; fi
BUFKB=$(cat $T/buffer_size_kb)
cleanup() {
  echo 0 > $T/tracing_on
  echo > $T/set_event
  echo "$BUFKB" > $T/buffer_size_kb
  for i in $T/instances/*; do [ -d "$i" ] && rmdir "$i"; done
  umount /proc/kallsyms 2>/dev/null
  if [ -n "$MOUNTED" ]; then umount $T; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

rec() { # NAME trace-cmd-record-args... -- workload
  local name=$1; shift
  rm -f "$WORK/$name.dat"
  trace-cmd record -d --no-filter -o "$WORK/$name.dat" "$@" > "$WORK/$name.log" 2>&1
  for i in $T/instances/*; do [ -d "$i" ] && rmdir "$i"; done
}

record_all() {
  rec sched-irq-v7-zstd --compression zstd \
    -e sched:sched_switch -e sched:sched_waking -e sched:sched_wakeup -e sched:sched_wakeup_new \
    -e sched:sched_migrate_task -e sched:sched_process_exec -e irq -e irq_vectors \
    -- sh -c 'echo kreplay-marker > /sys/kernel/tracing/trace_marker; ls -lR /usr/lib/jvm > /dev/null 2>&1; sleep 0.05'
  rec timer-wq-v7-none-global --compression none -C global \
    -e timer -e workqueue -e irq:softirq_raise -e irq:softirq_entry -e irq:softirq_exit \
    -- sleep 0.2
  rec kmem-stacks-v7-zstd --compression zstd -T \
    -e kmem:kmalloc -e kmem:kfree -e kmem:kmem_cache_alloc -e kmem:kmem_cache_free \
    -- sh -c 'ls /proc > /dev/null'
  rec mixed-v6 --file-version 6 \
    -e sched:sched_switch -e sched:sched_waking -e irq -e timer:hrtimer_start \
    -e timer:hrtimer_expire_entry -e timer:hrtimer_expire_exit -e workqueue \
    -- sleep 0.2
  rec fork-sched-v7-zstd --compression zstd -b 8 -s 1000000 \
    -e sched -e irq -e timer \
    -- sh -c 'for i in $(seq 300); do /bin/true; done'
  rec instance-v7-zstd --compression zstd -e irq -B kreplay -e sched:sched_switch -e sched:sched_waking \
    -- sleep 0.1
  rec date-v7-zstd --compression zstd --date -e sched:sched_switch -- sleep 0.1
}

# Pass 1: full kallsyms, collect the symbol names the reports show.
record_all
for f in "$WORK"/*.dat; do
  trace-cmd report "$f" 2>/dev/null
  trace-cmd report -R "$f" 2>/dev/null
done | grep -oE '[A-Za-z_][A-Za-z0-9_.]*' | sort -u > "$WORK/words"
sort /proc/kallsyms > "$WORK/kallsyms.sorted"
awk 'NR == FNR { want[$1] = 1; next }
     { line[FNR] = $0; name[FNR] = $3 }
     END { for (i = 1; i <= FNR; i++) if (want[name[i]] || name[i] == "_stext" || name[i] == "_text") { keep[i] = 1; keep[i + 1] = 1 }
           for (i = 1; i <= FNR; i++) if (keep[i]) print line[i] }' \
  "$WORK/words" "$WORK/kallsyms.sorted" > "$WORK/kallsyms.small"
echo "kallsyms cut to $(wc -l < "$WORK/kallsyms.small") of $(wc -l < /proc/kallsyms) lines"

# Pass 2: the same recordings with the small table, then the oracles.
mount --bind "$WORK/kallsyms.small" /proc/kallsyms
record_all
umount /proc/kallsyms
mkdir -p "$OUT"
for f in "$WORK"/*.dat; do
  n=$(basename "$f" .dat)
  trace-cmd report -R -t "$f" 2>/dev/null | xz -9 > "$OUT/$n.report-R.txt.xz"
  trace-cmd report -l -t "$f" 2>/dev/null | xz -9 > "$OUT/$n.report-l.txt.xz"
  if [ "$n" = mixed-v6 ]; then xz -9 -c "$f" > "$OUT/$n.dat.xz"; else cp "$f" "$OUT/$n.dat"; fi
  echo "$n: $(trace-cmd report "$f" 2>/dev/null | grep -vc '^cpus=') lines; $(grep -h 'CPU' "$WORK/$n.log" | tail -1)"
done
