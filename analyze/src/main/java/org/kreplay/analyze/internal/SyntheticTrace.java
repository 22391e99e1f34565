package org.kreplay.analyze.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.LockType;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceEventBuilder;
import org.kreplay.ingest.log.LockLine;
import org.kreplay.ingest.log.PreemptCount;
import org.kreplay.ingest.log.Splat;

/**
 * The trace a kernel report would have left, as it is built: the events so far, each with the
 * flags of the context entered (hardirq, softirq, NMI, interrupts and preemption off), the
 * report's task, CPU and time, and the locks it takes and releases. {@link SplatEvents} walks the
 * report's call trace onto it.
 */
abstract class SyntheticTrace {
  final Splat splat;
  final Catalog catalog;
  final boolean rt;
  /** The events so far, still open: a later step may add to the last one. */
  final List<TraceEventBuilder> events = new ArrayList<>();
  /** The latest hardirq entry added (device handler, vector or irq_work), which the next hardirq exit closes. */
  TraceEventBuilder lastIrqEntry;
  final List<String> stack = new ArrayList<>();
  long now;
  int hardirq;
  int softirq;
  boolean nmi;
  int preempt;
  boolean irqsOff;
  private int lockAddress = 0x1000;
  private final Map<String, Long> addresses = new HashMap<>();
  /** A pid other than the report's for events of an earlier usage lockdep printed (-1: the report's). */
  int pidOverride = -1;

  SyntheticTrace(Splat splat, Catalog catalog, boolean rt) {
    this.splat = splat;
    this.catalog = catalog;
    this.rt = rt;
    this.now = splat.where().timestamp() >= 0 ? (long) (splat.where().timestamp() * 1e9) : 1_000_000_000L;
  }

  void mark() {
    add("splat_context", EventKind.OTHER);
  }

  /** The events built so far, in order. */
  List<TraceEvent> events() {
    List<TraceEvent> out = new ArrayList<>(events.size());
    for (TraceEventBuilder b : events) out.add(b.build());
    return out;
  }

  TraceEventBuilder add(String name, EventKind kind) {
    int f = ContextFlags.IRQS_KNOWN | ContextFlags.IRQ_CONTEXT_KNOWN | ContextFlags.NMI_KNOWN;
    if (irqsOff || hardirq > 0 || nmi) f |= ContextFlags.IRQS_OFF;
    if (hardirq > 0) f |= ContextFlags.HARDIRQ;
    if (softirq > 0) f |= ContextFlags.SOFTIRQ;
    if (nmi) f |= ContextFlags.NMI;
    f = ContextFlags.withPreemptDepth(f, preemptDepth());
    now += 1000;
    int pid = pidOverride >= 0 ? pidOverride : Math.max(splat.task().pid(), 1);
    TraceEventBuilder e = TraceEvent.builder().timestamp(now).cpu(Math.max(splat.task().cpu(), 0)).pid(pid)
        .comm(pidOverride >= 0 ? "earlier" : splat.task().comm() == null ? "task" : splat.task().comm())
        .flags(f).name(name, kind).line(splat.where().firstLine());
    events.add(e);
    if (kind == EventKind.VECTOR_ENTRY || kind == EventKind.IRQ_WORK_ENTRY || kind == EventKind.IRQ_HANDLER_ENTRY) {
      lastIrqEntry = e;
    }
    return e;
  }

  /** The preempt depth to show: the report's own count where it printed one, else what the replay holds. */
  int preemptDepth() {
    if (pidOverride < 0 && splat.atomic().preemptCount() >= 0) {
      PreemptCount pc = splat.atomic().decodedPreemptCount();
      return Math.max(pc.preempt(), preempt);
    }
    return preempt;
  }

  void acquire(LockLine l, boolean trylock, List<String> frames) {
    LockType type = typeOf(l);
    boolean spins = type.isRaw() || (!rt && type.spinsOnNonRt());
    if (spins) preempt++;
    add("lock_acquire", EventKind.LOCK_ACQUIRE)
        .lock(l.className(), type == LockType.UNKNOWN ? null : type.label(), 0, trylock)
        .address(address(l)).stack(frames);
  }

  void release(LockLine l) {
    add("lock_release", EventKind.LOCK_RELEASE).lock(l.className(), null, 0, false).address(address(l));
    LockType type = typeOf(l);
    if ((type.isRaw() || (!rt && type.spinsOnNonRt())) && preempt > 0) preempt--;
  }

  long address(LockLine l) {
    String key = l.instance() != null ? l.instance() : l.className();
    return addresses.computeIfAbsent(key, k -> (long) (lockAddress += 0x40));
  }

  /** The catalog's type, else the one lockdep's {outer:inner} wait types imply, else unknown. */
  LockType typeOf(LockLine l) {
    LockType t = catalog.lockType(l.baseName());
    if (t != null) return t;
    int outer = l.outerWait();
    int inner = l.innerWait();
    if (inner == 2 && (outer == 2 || outer == -1)) return LockType.RAW_SPINLOCK;
    if (inner == 3 && outer == 1) return LockType.RCU;
    if (inner == 2 && outer == 1) return LockType.RCU_SCHED;
    if (inner == 3 && outer == 3) return rt ? LockType.SLEEPING_RT : LockType.SPINLOCK;
    if (inner == 4) return LockType.MUTEX;
    if (inner == 0 && outer == 0) return LockType.LOCKDEP_MAP; // lockdep_init_map() without a wait type
    return LockType.UNKNOWN;
  }
}
