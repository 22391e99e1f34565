#!/bin/sh
# Runs one scenario inside the VM while recording it twice from the same moments:
#   trace-cmd record (top-level buffer)     -> /out/trace.dat
#   tracefs instance "text", read at the end -> /out/trace.txt
# plus /proc/kallsyms, per-cpu buffer stats and the module's messages (dmesg, by /init).
set -u
SC=$1
# progress goes to the kernel log too, so that a wedged guest still shows how far it got
say() { echo "rtvm: $*"; echo "rtvm: $*" >/dev/kmsg; }
T=/sys/kernel/tracing
I=$T/instances/text
M=/lib/rtvm
OUT=/out
mod=${SC%%-*}
variant=${SC#*-}

RT=0
case "$(uname -v)" in *PREEMPT_RT*) RT=1 ;; esac
LOCKDEP=0
[ -d $T/events/lock/lock_acquire ] && LOCKDEP=1
say "scenario=$SC module=$mod variant=$variant preempt_rt=$RT lockdep=$LOCKDEP"
uname -a >$OUT/uname.txt
cat /proc/cmdline >$OUT/cmdline.txt

EVENTS="sched:sched_switch sched:sched_waking sched:sched_wakeup sched:sched_wakeup_new
sched:sched_migrate_task irq:* irq_vectors:* timer:* workqueue:* rcu:* kmem:kmem_cache_alloc
kmem:kmem_cache_free kmem:kmalloc kmem:kfree kmem:mm_page_alloc kmem:mm_page_free
kmem:mm_page_alloc_zone_locked lock:contention_begin lock:contention_end"

# ---- the module (loaded before recording: its symbols are then in trace-cmd's kallsyms) ----
MODNAME=
case $mod in
s[1-4])
	MODNAME=rtvm_$mod
	MODARGS=
	[ $mod = s2 ] && MODARGS="iters=4"	# 4 x 1024 pages: enough, and keeps the trace small
	# lockdep reports once per boot; fewer rounds of a real bug, fewer chances that the
	# hardirq side interrupts a holder of the same per-CPU lock (which wedges the guest)
	[ $LOCKDEP = 1 ] && [ $mod != s2 ] && MODARGS="iters=4"
	# lockdep needs only the order; overlapping critical sections hang the lockdep kernels
	[ $LOCKDEP = 1 ] && [ $mod = s4 ] && MODARGS="$MODARGS overlap=0"
	insmod $M/$MODNAME.ko variant="$variant" $MODARGS || { say "insmod failed"; exit 1; }
	;;
esac

# lock addresses of the module: every data symbol ending in _lock or _waiters
LOCKS=
if [ -n "$MODNAME" ]; then
	LOCKS=$(awk -v m="[$MODNAME]" '$4 == m && ($3 ~ /_lock$/ || $3 ~ /_waiters$/) { print "0x" $1 }' /proc/kallsyms)
	awk -v m="[$MODNAME]" '$4 == m && ($3 ~ /_lock$/ || $3 ~ /_waiters$/)' /proc/kallsyms
fi
lockfilter() { # lockfilter FIELD: "FIELD == A || FIELD == B"
	f=
	for a in $LOCKS; do f="${f:+$f || }$1 == $a"; done
	echo "$f"
}
MODF=$(lockfilter lock)

# ---- kprobes on the lock functions: name func filter trigger ----
PROBES=$OUT/probes.txt
: >$PROBES
# rtvm.light=1 on the kernel command line: lockdep's events only, no kprobes and no function
# tracer (their text patching is what the lockdep kernels do not survive under TCG)
LIGHT=0
case " $(cat /proc/cmdline) " in *" rtvm.light=1 "*) LIGHT=1 ;; esac
probe() { # probe NAME FUNCTION FILTER [stacktrace]
	[ $LIGHT = 1 ] && return 0
	grep -q " $2\$" /proc/kallsyms || return 0
	[ -n "$3" ] || return 0
	echo "p:$1 $2 lock=%di:x64" >>$T/kprobe_events || { say "kprobe $1 on $2 refused"; return 0; }
	# a trigger fires whatever the event filter says: it needs its own "if"
	echo "$1@$3@${4:+$4 if $3}" >>$PROBES
}
if [ $RT = 1 ]; then
	# spinlock_t is an rtmutex on PREEMPT_RT: rt_spin_lock in hardirq (flag 0x8) or with
	# interrupts off (0x1) is always wrong, so those are kept whatever the lock; the other
	# probes only for the module's locks
	probe rtlock rt_spin_lock "${MODF:+$MODF || }common_flags & 9" stacktrace
	probe rtunlock rt_spin_unlock "$MODF"
fi
probe rawlock _raw_spin_lock "$MODF" stacktrace
probe rawunlock _raw_spin_unlock "$MODF"
probe rawlock_irqsave _raw_spin_lock_irqsave "$MODF" stacktrace
probe rawunlock_irqrestore _raw_spin_unlock_irqrestore "$MODF"
say "kprobes"; cat $T/kprobe_events; cat $PROBES

# ---- lockdep events (only on the PROVE_LOCKING kernels), filtered to a few lock classes ----
LOCKDEP_FILTER='name ~ "rtvm_*" || name ~ "&zone->*" || name ~ "*cpu_slab*" || name ~ "*pcp*"'

# function tracer: the module's functions and the deferral entry points
FUNCS=
[ -n "$MODNAME" ] && [ $LIGHT = 0 ] && FUNCS="rtvm_* call_rcu queue_work_on"

# ---- the text instance, configured by hand like trace-cmd configures the top buffer ----
set -x
mkdir -p $I
echo 0 >$I/tracing_on
echo 20000 >$I/buffer_size_kb || say "buffer size refused"
for e in $EVENTS; do echo "$e" >>$I/set_event || say "no event $e"; done
if [ $LOCKDEP = 1 ]; then
	for e in lock_acquire lock_release; do
		echo 1 >$I/events/lock/$e/enable || say "cannot enable $e"
		echo "$LOCKDEP_FILTER" >$I/events/lock/$e/filter || say "filter refused: $LOCKDEP_FILTER"
	done
fi
while IFS='@' read -r name filter trig; do
	echo "$filter" >$I/events/kprobes/$name/filter || say "filter refused: $filter"
	if [ -n "$trig" ]; then echo "$trig" >$I/events/kprobes/$name/trigger || say "trigger refused: $trig"; fi
	echo 1 >$I/events/kprobes/$name/enable || say "cannot enable $name"
done <$PROBES
if [ -n "$FUNCS" ]; then
	for f in $FUNCS; do echo "$f" >>$I/set_ftrace_filter || say "function filter refused: $f"; done
	echo function >$I/current_tracer || say "no function tracer"
fi
echo > $I/trace
set +x

# ---- trace-cmd record arguments for the same configuration ----
set --
for e in $EVENTS; do set -- "$@" -e "$e"; done
if [ $LOCKDEP = 1 ]; then
	set -- "$@" -e lock:lock_acquire -f "$LOCKDEP_FILTER" -e lock:lock_release -f "$LOCKDEP_FILTER"
fi
while IFS='@' read -r name filter trig; do
	set -- "$@" -e "kprobes:$name" -f "$filter"
	[ -n "$trig" ] && set -- "$@" -R "$trig"
done <$PROBES
if [ -n "$FUNCS" ]; then
	set -- "$@" -p function
	for f in $FUNCS; do set -- "$@" -l "$f"; done
fi

# ---- the workload, run as trace-cmd's command ----
cat >/tmp/workload.sh <<WL
#!/bin/sh
echo 1 > $I/tracing_on
case "$SC" in
control-idle) sleep 1 ;;
control-cyclictest) cyclictest -q -m -t 2 -p 80 -i 1000 -D 2 ;;
*)
	echo 1 > /sys/module/$MODNAME/parameters/run
	n=0
	while [ "\$(cat /sys/module/$MODNAME/parameters/done)" != 1 ] && [ \$n -lt 400 ]; do
		sleep 0.05; n=\$((n + 1))
	done
	[ \$n -lt 400 ] || echo "rtvm: workload did not finish in 20 s"
	sleep 0.1 ;;
esac
echo 0 > $I/tracing_on
WL
chmod +x /tmp/workload.sh
say "trace-cmd record -o $OUT/trace.dat -b 20000 $* -- /tmp/workload.sh"
trace-cmd record -o $OUT/trace.dat -b 20000 "$@" -- /tmp/workload.sh
say "trace-cmd rc=$?"

echo 0 >$I/tracing_on
say "reading the text instance"
cat $I/trace >$OUT/trace.txt
for c in $(ls $I/per_cpu); do echo "== text $c"; cat $I/per_cpu/$c/stats; done >$OUT/per_cpu_stats.txt
cat /proc/kallsyms >$OUT/kallsyms.txt
cat /proc/modules >$OUT/modules.txt
say "trace.txt $(grep -vc '^#' $OUT/trace.txt) lines"
say "unloading $MODNAME"
[ -n "$MODNAME" ] && rmmod $MODNAME
say "scenario $SC done"
