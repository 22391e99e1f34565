package org.kreplay.ingest.internal.tracedat;

import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.internal.EventRecord;
import org.kreplay.ingest.internal.Symbols;

/**
 * Fills the typed slots of the events the analysis uses straight from the record's fields,
 * without going through body text — the same values {@link org.kreplay.ingest.internal.BodyDecoder}
 * reads from the body {@link EventRenderer} writes (a test holds the two equal for every event of
 * the test files), at a fraction of the cost. Field lookups are resolved once per event format.
 */
final class TypedFields {
  private final EventRenderer renderer;
  private final Symbols symbols;
  private final Endian endian;
  private final TextOut scratch = new TextOut();

  TypedFields(EventRenderer renderer, Symbols symbols, Endian endian) {
    this.renderer = renderer;
    this.symbols = symbols;
    this.endian = endian;
  }

  /** The fields each kind reads, by the names the kernel gives them; marks address fields. */
  static FieldFormat[] plan(EventFormat f) {
    String[] names;
    switch (f.kind) {
      case IRQ_HANDLER_ENTRY: case IRQ_HANDLER_EXIT: names = new String[] {"irq", "name", "ret"}; break;
      case SOFTIRQ_RAISE: case SOFTIRQ_ENTRY: case SOFTIRQ_EXIT: names = new String[] {"vec"}; break;
      case VECTOR_ENTRY: case VECTOR_EXIT: case IRQ_WORK_ENTRY: case IRQ_WORK_EXIT:
        names = new String[] {"vector"};
        break;
      case NMI_HANDLER: names = new String[] {"handler", "delta_ns"}; break;
      case WORKQUEUE_QUEUE_WORK: names = new String[] {"work", "function", "workqueue", "req_cpu", "cpu"}; break;
      case WORKQUEUE_ACTIVATE_WORK: case WORKQUEUE_EXECUTE_START: case WORKQUEUE_EXECUTE_END:
        names = new String[] {"work", "function"};
        break;
      case HRTIMER_INIT: case HRTIMER_START: case HRTIMER_EXPIRE_ENTRY: case HRTIMER_EXPIRE_EXIT:
      case HRTIMER_CANCEL:
        names = new String[] {"hrtimer", "function", "expires", "softexpires", "mode", "now", "clockid"};
        break;
      case TIMER_INIT: case TIMER_START: case TIMER_EXPIRE_ENTRY: case TIMER_EXPIRE_EXIT: case TIMER_CANCEL:
        names = new String[] {"timer", "function", "expires", "now", "timeout", "cpu", "flags"};
        break;
      case SCHED_SWITCH:
        names = new String[] {"prev_comm", "prev_pid", "prev_prio", "prev_state", "next_comm", "next_pid", "next_prio"};
        break;
      case SCHED_WAKING: case SCHED_WAKEUP: case SCHED_WAKEUP_NEW: case SCHED_MIGRATE_TASK:
        names = new String[] {"comm", "pid", "prio", "target_cpu", "orig_cpu", "dest_cpu"};
        break;
      case KMALLOC: case KMEM_CACHE_ALLOC: case KFREE: case KMEM_CACHE_FREE:
        names = new String[] {"call_site", "ptr", "bytes_req", "bytes_alloc", "gfp_flags", "name"};
        break;
      case MM_PAGE_ALLOC: case MM_PAGE_FREE: names = new String[] {"order", "gfp_flags"}; break;
      case CONTENTION_BEGIN: case CONTENTION_END: names = new String[] {"lock_addr", "flags", "ret"}; break;
      default: return null;
    }
    FieldFormat[] out = new FieldFormat[names.length];
    for (int i = 0; i < names.length; i++) {
      FieldFormat x = f.field(names[i]);
      out[i] = x != null && !x.name.startsWith("common_") ? x : null;
    }
    // The first field of these kinds is an address: always shown in hex, as the decoder reads it.
    switch (f.kind) {
      case WORKQUEUE_QUEUE_WORK: case WORKQUEUE_ACTIVATE_WORK: case WORKQUEUE_EXECUTE_START:
      case WORKQUEUE_EXECUTE_END: case HRTIMER_INIT: case HRTIMER_START: case HRTIMER_EXPIRE_ENTRY:
      case HRTIMER_EXPIRE_EXIT: case HRTIMER_CANCEL: case TIMER_INIT: case TIMER_START: case TIMER_EXPIRE_ENTRY:
      case TIMER_EXPIRE_EXIT: case TIMER_CANCEL: case CONTENTION_BEGIN: case CONTENTION_END:
        if (out[0] != null) out[0].address = true;
        break;
      case KMALLOC: case KMEM_CACHE_ALLOC: case KFREE: case KMEM_CACHE_FREE:
        if (out[1] != null) out[1].address = true;
        break;
      default:
        break;
    }
    return out;
  }

  /**
   * Fills {@code e}'s typed slots for the record {@code b[off, off+len)}; false when a field the
   * kind needs is missing (as the text decoder refuses such a body).
   */
  boolean fill(EventFormat f, byte[] b, int off, int len, EventRecord e) throws EventRenderer.BadRecord {
    FieldFormat[] p = f.typed;
    switch (f.kind) {
      case IRQ_HANDLER_ENTRY:
      case IRQ_HANDLER_EXIT: {
        if (p[0] == null) return false;
        e.setNumber((int) num(p[0], b, off));
        if (p[1] != null) e.setText(whole(p[1], b, off, len));
        if (p[2] != null) e.setValue1(num(p[2], b, off) > 0 ? 1 : 0);
        return true;
      }
      case SOFTIRQ_RAISE:
      case SOFTIRQ_ENTRY:
      case SOFTIRQ_EXIT:
        if (p[0] == null) return false;
        e.setNumber((int) num(p[0], b, off));
        return true;
      case VECTOR_ENTRY:
      case VECTOR_EXIT:
      case IRQ_WORK_ENTRY:
      case IRQ_WORK_EXIT:
        if (p[0] == null) return false;
        e.setNumber((int) num(p[0], b, off));
        e.setText(symbols.intern(EventKind.vectorName(e.name())));
        return true;
      case NMI_HANDLER:
        e.setFunction(function(p[0], b, off, len));
        e.setValue1(optional(p[1], b, off));
        return e.function() != null;
      case WORKQUEUE_QUEUE_WORK:
        if (p[0] == null) return false;
        e.setAddress(address(p[0], b, off));
        e.setFunction(function(p[1], b, off, len));
        e.setText(word(p[2], b, off, len));
        e.setValue1(optional(p[3], b, off));
        e.setNumber((int) optional(p[4], b, off));
        return true;
      case WORKQUEUE_ACTIVATE_WORK:
      case WORKQUEUE_EXECUTE_START:
      case WORKQUEUE_EXECUTE_END:
        if (p[0] == null) return false;
        e.setAddress(address(p[0], b, off));
        e.setFunction(function(p[1], b, off, len));
        return true;
      case HRTIMER_INIT:
      case HRTIMER_START:
      case HRTIMER_EXPIRE_ENTRY:
      case HRTIMER_EXPIRE_EXIT:
      case HRTIMER_CANCEL:
        return hrtimer(f.kind, p, b, off, len, e);
      case TIMER_INIT:
      case TIMER_START:
      case TIMER_EXPIRE_ENTRY:
      case TIMER_EXPIRE_EXIT:
      case TIMER_CANCEL:
        return timer(f.kind, p, b, off, len, e);
      case SCHED_SWITCH: {
        if (p[0] == null || p[1] == null || p[3] == null || p[4] == null || p[5] == null) return false;
        e.setPrev(whole(p[0], b, off, len), (int) num(p[1], b, off), (int) optional(p[2], b, off),
            num(p[3], b, off) & 0xff);
        e.setNext(whole(p[4], b, off, len), (int) num(p[5], b, off), (int) optional(p[6], b, off));
        return true;
      }
      case SCHED_WAKING:
      case SCHED_WAKEUP:
      case SCHED_WAKEUP_NEW:
      case SCHED_MIGRATE_TASK: {
        if (p[0] == null || p[1] == null) return false;
        e.setNext(whole(p[0], b, off, len), (int) num(p[1], b, off), (int) optional(p[2], b, off));
        if (f.kind == EventKind.SCHED_MIGRATE_TASK) {
          e.setValue1(optional(p[4], b, off));
          e.setNumber((int) optional(p[5], b, off));
        } else {
          e.setNumber((int) optional(p[3], b, off));
        }
        return true;
      }
      case KMALLOC:
      case KMEM_CACHE_ALLOC:
      case KFREE:
      case KMEM_CACHE_FREE:
        if (p[1] == null) return false;
        e.setAddress(address(p[1], b, off));
        e.setFunction(function(p[0], b, off, len));
        e.setValue1(optional(p[2], b, off));
        e.setValue2(optional(p[3], b, off));
        e.setText(word(f.kind == EventKind.KMEM_CACHE_FREE ? p[5] : p[4], b, off, len));
        return true;
      case MM_PAGE_ALLOC:
      case MM_PAGE_FREE:
        if (p[0] == null) return false;
        e.setValue1(num(p[0], b, off));
        e.setText(word(p[1], b, off, len));
        return true;
      case CONTENTION_BEGIN:
      case CONTENTION_END:
        if (p[0] == null) return false;
        e.setAddress(address(p[0], b, off));
        if (f.kind == EventKind.CONTENTION_END) e.setValue1(optional(p[2], b, off));
        else if (p[1] != null) e.setMode((int) num(p[1], b, off));
        return true;
      default:
        return true;
    }
  }

  private boolean hrtimer(EventKind kind, FieldFormat[] p, byte[] b, int off, int len, EventRecord e)
      throws EventRenderer.BadRecord {
    if (p[0] == null) return false;
    e.setAddress(address(p[0], b, off));
    switch (kind) {
      case HRTIMER_INIT:
        e.setText(word(p[6], b, off, len));
        e.setMode(p[4] == null ? EventRecord.UNKNOWN : (int) num(p[4], b, off));
        return true;
      case HRTIMER_START:
        e.setFunction(function(p[1], b, off, len));
        if (p[2] == null || p[3] == null) return false;
        e.setValue1(num(p[2], b, off));
        e.setValue2(num(p[3], b, off));
        e.setMode(p[4] == null ? EventRecord.UNKNOWN : (int) num(p[4], b, off));
        return true;
      case HRTIMER_EXPIRE_ENTRY:
        e.setFunction(function(p[1], b, off, len));
        if (p[5] == null) return false;
        e.setValue3(num(p[5], b, off));
        return true;
      default:
        return true;
    }
  }

  private boolean timer(EventKind kind, FieldFormat[] p, byte[] b, int off, int len, EventRecord e)
      throws EventRenderer.BadRecord {
    if (p[0] == null) return false;
    e.setAddress(address(p[0], b, off));
    switch (kind) {
      case TIMER_START: {
        e.setFunction(function(p[1], b, off, len));
        if (p[2] == null) return false;
        long expires = num(p[2], b, off);
        e.setValue1(expires);
        long now = p[3] != null ? num(p[3], b, off) : p[4] != null ? expires - num(p[4], b, off) : EventRecord.UNKNOWN;
        e.setValue3(now);
        // the target CPU: a field of its own on some kernels, else the low 18 bits of the flags
        // word (TIMER_CPUMASK), as the text decoder reads it from report -R
        long cpu = optional(p[5], b, off);
        if (p[5] == null && p[6] != null) cpu = num(p[6], b, off) & 0x3ffff;
        e.setNumber((int) cpu);
        return true;
      }
      case TIMER_EXPIRE_ENTRY:
        e.setFunction(function(p[1], b, off, len));
        if (p[3] == null) return false;
        e.setValue3(num(p[3], b, off));
        return true;
      default:
        return true;
    }
  }

  // ---- values as the body shows them

  /** A number as rendered: the field's value, masked when shown in hex. */
  private long num(FieldFormat x, byte[] b, int off) {
    long v = x.signed ? endian.signed(b, off + x.offset, x.size) : endian.unsigned(b, off + x.offset, x.size);
    if (x.hint == FieldFormat.Hint.HEX && x.size < 8) v &= (1L << (x.size * 8)) - 1;
    return v;
  }

  private long optional(FieldFormat x, byte[] b, int off) {
    return x == null ? EventRecord.UNKNOWN : num(x, b, off);
  }

  private long address(FieldFormat x, byte[] b, int off) {
    long v = endian.unsigned(b, off + x.offset, x.size);
    return x.size == 4 ? v & 0xffff_ffffL : v;
  }

  // Recently seen 16-byte comm arrays and their Strings: most events name a handful of tasks.
  private static final int COMMS = 64;
  private final long[] commLo = new long[COMMS];
  private final long[] commHi = new long[COMMS];
  private final String[] comms = new String[COMMS];

  /** The whole rendered value (comm strings may hold spaces). */
  private String whole(FieldFormat x, byte[] b, int off, int len) throws EventRenderer.BadRecord {
    if (x.string && !x.dynamic() && x.size == 16 && x.offset + 16 <= len) {
      long lo = endian.s64(b, off + x.offset);
      long hi = endian.s64(b, off + x.offset + 8);
      long h = (lo ^ (hi * 0x9E3779B97F4A7C15L)) * 0xBF58476D1CE4E5B9L;
      int slot = (int) (h >>> 58);
      String s = comms[slot];
      if (s != null && commLo[slot] == lo && commHi[slot] == hi) return s;
      s = wholeSlow(x, b, off, len);
      commLo[slot] = lo;
      commHi[slot] = hi;
      comms[slot] = s;
      return s;
    }
    return wholeSlow(x, b, off, len);
  }

  private String wholeSlow(FieldFormat x, byte[] b, int off, int len) throws EventRenderer.BadRecord {
    if (x.string && !x.dynamic() && x.size > 0 && x.offset + x.size <= len) {
      // A printable char array (a comm) is its own rendering: intern it straight from the record.
      int s = off + x.offset;
      int end = s + Math.min(x.size, EventRenderer.MAX_TEXT);
      int e = s;
      boolean printable = true;
      while (e < end && b[e] != 0) {
        int c = b[e] & 0xff;
        if (c < 0x20 || c >= 0x7f) printable = c >= 9 && c <= 13 && printable;
        e++;
      }
      if (printable) return symbols.intern(b, s, e - s);
    }
    scratch.reset();
    renderer.value(x, b, off, len, scratch);
    return symbols.intern(scratch.buf, 0, scratch.len);
  }

  /** The rendered value up to its first space, or null when the field is absent. */
  private String word(FieldFormat x, byte[] b, int off, int len) throws EventRenderer.BadRecord {
    if (x == null) return null;
    scratch.reset();
    renderer.value(x, b, off, len, scratch);
    int end = 0;
    while (end < scratch.len && scratch.buf[end] != ' ' && scratch.buf[end] != '\t') end++;
    return end > 0 ? symbols.intern(scratch.buf, 0, end) : null;
  }

  /** A function name as the decoder takes it from a symbol field: without +offset, or the raw address. */
  private String function(FieldFormat x, byte[] b, int off, int len) throws EventRenderer.BadRecord {
    if (x == null) return null;
    if ((x.hint == FieldFormat.Hint.SYMBOL || x.hint == FieldFormat.Hint.SYMBOL_OFFSET) && !x.address) {
      // Rendered as "name" or "name+0x…": the decoder keeps the name.
      String name = renderer.kallsyms().function(address(x, b, off));
      if (name != null) return name;
    }
    scratch.reset();
    renderer.value(x, b, off, len, scratch);
    byte[] t = scratch.buf;
    int end = 0;
    while (end < scratch.len && t[end] != ' ' && t[end] != '\t') end++;
    boolean hex = end > 2 && t[0] == '0' && t[1] == 'x';
    int cut = end;
    for (int i = 1; i < end && !hex; i++) {
      if (t[i] == '+' || t[i] == '/') {
        cut = i;
        break;
      }
    }
    return cut > 0 ? symbols.intern(t, 0, cut) : null;
  }
}
