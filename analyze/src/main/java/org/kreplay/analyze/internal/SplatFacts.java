package org.kreplay.analyze.internal;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.CatalogTypes;
import org.kreplay.analyze.LockType;
import org.kreplay.analyze.internal.context.ContextUpdates;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.log.ChainLink;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.LockLine;
import org.kreplay.ingest.log.Splat;

/**
 * What a kernel report says about itself before it is replayed: whether the kernel was
 * PREEMPT_RT or had PROVE_RAW_LOCK_NESTING, which frames are worth replaying, and afterwards what
 * context the replay saw.
 */
public final class SplatFacts {
  private SplatFacts() {}

  /**
   * Whether the reporting kernel had CONFIG_PROVE_RAW_LOCK_NESTING, as its lock lines show: a lock
   * the catalog knows as spinlock_t, rwlock_t or local_lock printed with inner wait type 2 means it
   * did not (CONFIG then collapses to SPIN); printed with 3, it did. Null when no line tells.
   */
  public static Boolean rawLockNesting(Splat s, Catalog catalog) {
    List<LockLine> lines = new ArrayList<>(s.lockdep().heldLocks());
    for (LockLine l : new LockLine[] {s.lockdep().acquiring(), s.lockdep().holding(), s.lockdep().lock(), s.lockdep().safeLock(), s.lockdep().unsafeLock()}) {
      if (l != null) lines.add(l);
    }
    for (ChainLink c : s.lockdep().chain()) lines.add(c.lock());
    for (LockLine l : lines) {
      LockType t = catalog.lockType(l.baseName());
      if (t == LockType.SPINLOCK || t == LockType.RWLOCK || t == LockType.LOCAL_LOCK) {
        if (l.innerWait() == 2) return false;
        if (l.innerWait() == 3) return true;
      }
    }
    return null;
  }

  /** Whether the report comes from a PREEMPT_RT kernel: its release, or RT-only functions in the trace. */
  public static boolean fromRtKernel(Splat s, Catalog catalog) {
    String release = s.kernel().release() == null ? "" : s.kernel().release();
    if (release.contains("-rt") || release.contains("PREEMPT_RT") || s.header().contains("PREEMPT_RT")) return true;
    for (Frame f : s.stacks().frames()) {
      CatalogTypes.FunctionEntry e = catalog.function(f.baseFunction());
      if (e != null && e.rtOnly()) return true;
    }
    return false;
  }

  /** The frames worth replaying, innermost first: reliable ones, the report's own machinery dropped. */
  public static List<Frame> meaningful(Splat s, Catalog catalog) {
    List<Frame> out = new ArrayList<>();
    boolean leading = true;
    for (Frame f : s.stacks().frames()) {
      if (f.unreliable() || f.function().startsWith("0x")) continue;
      // The report's own machinery (dump_stack, lockdep's printing, printk), not the code it reports on.
      CatalogTypes.SkipReason why = catalog.skipReason(f.baseFunction());
      if (leading && why != null && why.reporting()) continue;
      leading = false;
      out.add(f);
    }
    return out;
  }

  /** What the replay saw of the context, outermost first ("local_timer vector > hrtimer callback x"). */
  public static String contextOf(List<TraceEvent> events) {
    StringBuilder sb = new StringBuilder();
    for (TraceEvent e : events) {
      String label = null;
      switch (e.kind()) {
        case VECTOR_ENTRY:
        case IRQ_WORK_ENTRY:
          label = e.handlerName() + " vector";
          break;
        case IRQ_HANDLER_ENTRY:
          label = "irq handler " + e.handlerName();
          break;
        case SOFTIRQ_ENTRY:
          label = "softirq " + ContextUpdates.softirqName(e.vector());
          break;
        case HRTIMER_EXPIRE_ENTRY:
          label = "hrtimer callback " + e.function();
          break;
        default:
          break;
      }
      if (label != null && e.pid() < 900_000) sb.append(sb.length() == 0 ? "" : " > ").append(label);
    }
    return sb.length() == 0 ? "task" : sb.toString();
  }
}
