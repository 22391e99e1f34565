package org.kreplay.ingest.internal;

import static org.kreplay.ingest.internal.Bytes.NONE;

import org.kreplay.ingest.EventKind;

/**
 * Decodes the text body of the events the analysis uses into {@link org.kreplay.ingest.TraceEvent}'s typed slots.
 * Accepts the kernel's own {@code TP_printk} rendering, libtraceevent's plugin renderings ({@code
 * trace-cmd report}) and {@code report -R} raw fields, across kernel versions. A body it cannot
 * read leaves the slots cleared and returns false, so the reader can count it.
 */
public final class BodyDecoder {
  private final Symbols symbols;

  // One scanner per body shape: each finds all its keys in a single pass.
  private final KeyScanner irqKeys = new KeyScanner("irq", "name", "ret");
  private final KeyScanner vecKeys = new KeyScanner("vec");
  private final KeyScanner vectorKeys = new KeyScanner("vector");
  private final KeyScanner queueWorkKeys = new KeyScanner("struct", "work", "function", "workqueue", "req_cpu", "cpu");
  private final KeyScanner workKeys = new KeyScanner("work", "function");
  private final KeyScanner hrtimerKeys = new KeyScanner("hrtimer", "function", "expires", "softexpires", "mode", "now", "clockid");
  private final KeyScanner timerKeys = new KeyScanner("timer", "function", "expires", "now", "timeout", "cpu", "flags");
  private final KeyScanner switchKeys = new KeyScanner("prev_comm", "prev_pid", "prev_prio", "prev_state", "next_comm", "next_pid", "next_prio");
  private final KeyScanner wakeKeys = new KeyScanner("comm", "pid", "prio", "target_cpu", "orig_cpu", "dest_cpu");
  private final KeyScanner kmemKeys = new KeyScanner("call_site", "ptr", "bytes_req", "bytes_alloc", "gfp_flags", "name");
  private final KeyScanner pageKeys = new KeyScanner("order", "gfp_flags");
  private final KeyScanner lockKeys = new KeyScanner("lock_addr", "flags", "ret");
  private final KeyScanner callerKeys = new KeyScanner("caller", "parent");
  private final KeyScanner rcuKeys = new KeyScanner("rhp", "func");
  private final KeyScanner nmiKeys = new KeyScanner("handler", "delta_ns");

  public BodyDecoder(Symbols symbols) {
    this.symbols = symbols;
  }

  /** The skip reason for an event whose body {@link #decode} rejected. */
  public static String failure(EventRecord e) {
    return "undecodable " + e.name() + " body";
  }

  private static long num(byte[] b, int end, int v) {
    return v < 0 ? NONE : Bytes.parseNumber(b, v, end);
  }

  private static long hex(byte[] b, int end, int v) {
    return v < 0 ? NONE : Bytes.parseHex(b, v, end);
  }

  private static int intOrUnknown(long v) {
    return v == NONE ? EventRecord.UNKNOWN : (int) v;
  }

  /** An optional number: absent is {@link org.kreplay.ingest.TraceEvent#UNKNOWN}, as for every unused slot. */
  private static long orUnknown(long v) {
    return v == NONE ? EventRecord.UNKNOWN : v;
  }

  /** Decodes {@code e.body()} according to {@code e.kind()}; false if a required field is missing. */
  public boolean decode(EventRecord e) {
    byte[] b = e.bodyBytes();
    int end = e.bodyLength();
    switch (e.kind()) {
      case IRQ_HANDLER_ENTRY:
      case IRQ_HANDLER_EXIT: {
        KeyScanner k = irqKeys.scan(b, end);
        long irq = num(b, end, k.value(0));
        if (irq == NONE) return false;
        e.setNumber((int) irq);
        if (k.value(1) >= 0) e.setText(symbols.intern(b, k.value(1), end - k.value(1)));
        int ret = k.value(2);
        // "handled"/"unhandled" (kernel text) or the irqreturn_t number (report -R, trace.dat): 0 is IRQ_NONE
        if (ret >= 0) {
          boolean handled = Bytes.isDigit(b[ret]) ? Bytes.parseNumber(b, ret, end) > 0 : Bytes.startsWith(b, ret, end, "handled");
          e.setValue1(handled ? 1 : 0);
        }
        return true;
      }
      case SOFTIRQ_RAISE:
      case SOFTIRQ_ENTRY:
      case SOFTIRQ_EXIT: {
        long vec = num(b, end, vecKeys.scan(b, end).value(0));
        if (vec == NONE) return false;
        e.setNumber((int) vec);
        return true;
      }
      case VECTOR_ENTRY:
      case VECTOR_EXIT:
      case IRQ_WORK_ENTRY:
      case IRQ_WORK_EXIT: {
        long vector = num(b, end, vectorKeys.scan(b, end).value(0));
        if (vector == NONE) return false;
        e.setNumber((int) vector);
        e.setText(symbols.intern(EventKind.vectorName(e.name())));
        return true;
      }
      case NMI_HANDLER: {
        KeyScanner k = nmiKeys.scan(b, end);
        e.setFunction(function(b, k.value(0), end));
        e.setValue1(orUnknown(num(b, end, k.value(1))));
        return e.function() != null;
      }
      case WORKQUEUE_QUEUE_WORK:
        return queueWork(e, b, end);
      case WORKQUEUE_ACTIVATE_WORK:
      case WORKQUEUE_EXECUTE_START:
      case WORKQUEUE_EXECUTE_END:
        return workItem(e, b, end);
      case HRTIMER_INIT:
      case HRTIMER_START:
      case HRTIMER_EXPIRE_ENTRY:
      case HRTIMER_EXPIRE_EXIT:
      case HRTIMER_CANCEL:
        return hrtimer(e, b, end);
      case TIMER_INIT:
      case TIMER_START:
      case TIMER_EXPIRE_ENTRY:
      case TIMER_EXPIRE_EXIT:
      case TIMER_CANCEL:
        return timer(e, b, end);
      case SCHED_SWITCH:
        return schedSwitch(e, b, end);
      case SCHED_WAKING:
      case SCHED_WAKEUP:
      case SCHED_WAKEUP_NEW:
      case SCHED_MIGRATE_TASK:
        return wakeup(e, b, end);
      case KMALLOC:
      case KMEM_CACHE_ALLOC:
      case KFREE:
      case KMEM_CACHE_FREE:
        return kmem(e, b, end);
      case MM_PAGE_ALLOC:
      case MM_PAGE_FREE: {
        KeyScanner k = pageKeys.scan(b, end);
        e.setValue1(num(b, end, k.value(0)));
        e.setText(word(b, k.value(1), end));
        return e.value1() != NONE;
      }
      case CONTENTION_BEGIN:
      case CONTENTION_END:
        return contention(e, b, end);
      case LOCK_ACQUIRE:
      case LOCK_RELEASE:
      case LOCK_CONTENDED:
      case LOCK_ACQUIRED:
        return lockdep(e, b, end);
      case IRQ_DISABLE:
      case IRQ_ENABLE:
      case PREEMPT_DISABLE:
      case PREEMPT_ENABLE: {
        KeyScanner k = callerKeys.scan(b, end);
        e.setFunction(function(b, k.value(0), end));
        e.setText(function(b, k.value(1), end));
        return e.function() != null;
      }
      case RCU_CALLBACK:
      case RCU_INVOKE_CALLBACK:
        return rcu(e, b, end, true);
      case RCU_KVFREE_CALLBACK:
      case RCU_INVOKE_KVFREE_CALLBACK:
        return rcu(e, b, end, false);
      case PRINT:
        e.setText(e.body());
        return true;
      case FUNCTION:
        return functionEntry(e, b, end);
      default:
        return true;
    }
  }

  /** A word value (up to the next space), interned; null when absent. */
  private String word(byte[] b, int v, int end) {
    if (v < 0) return null;
    int e = Bytes.tokenEnd(b, v, end);
    return e > v ? symbols.intern(b, v, e - v) : null;
  }

  /**
   * A {@code %ps}/{@code %pS} symbol at {@code v}: the name without {@code +off/size}, without the
   * {@code /0x0} that trace-cmd's plugins print, up to the next space. A raw address (report -R)
   * stays as written.
   */
  String function(byte[] b, int v, int end) {
    if (v < 0) return null;
    int e = Bytes.tokenEnd(b, v, end);
    int cut = e;
    boolean hex = e - v > 2 && b[v] == '0' && b[v + 1] == 'x';
    for (int i = v + 1; i < e && !hex; i++) {
      if (b[i] == '+' || b[i] == '/') {
        cut = i;
        break;
      }
    }
    return cut > v ? symbols.intern(b, v, cut - v) : null;
  }

  // ---- per event

  /** Function tracer: {@code func <-parent} (kernel) or {@code func <-- parent} (trace-cmd). */
  private boolean functionEntry(EventRecord e, byte[] b, int end) {
    int fEnd = Bytes.tokenEnd(b, 0, end);
    e.setFunction(function(b, 0, fEnd));
    int arrow = Bytes.indexOf(b, fEnd, end, "<-");
    if (arrow >= 0) {
      int p = arrow + 2;
      if (p < end && b[p] == '-') p++;
      p = Bytes.skipSpaces(b, p, end);
      e.setText(function(b, p, end));
    }
    return e.function() != null;
  }

  /** {@code work struct=%p function=%ps workqueue=%s req_cpu=%d cpu=%d}; report -R has {@code work=}. */
  private boolean queueWork(EventRecord e, byte[] b, int end) {
    KeyScanner k = queueWorkKeys.scan(b, end);
    long work = hex(b, end, k.value(0));
    if (work == NONE) work = hex(b, end, k.value(1));
    if (work == NONE) return false;
    e.setAddress(work);
    e.setFunction(function(b, k.value(2), end));
    e.setText(word(b, k.value(3), end));
    e.setValue1(num(b, end, k.value(4)) == NONE ? EventRecord.UNKNOWN : num(b, end, k.value(4)));
    e.setNumber(intOrUnknown(num(b, end, k.value(5))));
    return true;
  }

  /** {@code work struct %p[:] function[= ]%ps}, or {@code work=%p function=%p} from report -R. */
  private boolean workItem(EventRecord e, byte[] b, int end) {
    long work;
    int f;
    if (Bytes.startsWith(b, 0, end, "work struct ")) {
      work = Bytes.parseHex(b, 12, end);
      int k = Bytes.indexOf(b, 12, end, "function");
      f = k < 0 ? -1 : k + 9;
    } else {
      KeyScanner k = workKeys.scan(b, end);
      work = hex(b, end, k.value(0));
      f = k.value(1);
    }
    if (work == NONE) return false;
    e.setAddress(work);
    e.setFunction(function(b, f, end));
    return true;
  }

  /** All hrtimer events; which fields are required depends on the event. */
  private boolean hrtimer(EventRecord e, byte[] b, int end) {
    KeyScanner k = hrtimerKeys.scan(b, end);
    long addr = hex(b, end, k.value(0));
    if (addr == NONE) return false;
    e.setAddress(addr);
    switch (e.kind()) {
      case HRTIMER_INIT:
        e.setText(word(b, k.value(6), end));
        e.setMode(hrtimerMode(b, k.value(4), end));
        return true;
      case HRTIMER_START: {
        e.setFunction(function(b, k.value(1), end));
        long expires = num(b, end, k.value(2));
        long soft = num(b, end, k.value(3));
        if (expires == NONE || soft == NONE) return false;
        e.setValue1(expires);
        e.setValue2(soft);
        e.setMode(hrtimerMode(b, k.value(4), end));
        return true;
      }
      case HRTIMER_EXPIRE_ENTRY: {
        e.setFunction(function(b, k.value(1), end));
        long now = num(b, end, k.value(5));
        if (now == NONE) return false;
        e.setValue3(now);
        return true;
      }
      default:
        return true;
    }
  }

  /**
   * HRTIMER_MODE_* bits from {@code ABS|PINNED|HARD} or a number; -1 when absent (trace-cmd's
   * hrtimer plugin drops the mode).
   */
  static int hrtimerMode(byte[] b, int v, int end) {
    if (v < 0) return EventRecord.UNKNOWN;
    if (v < end && Bytes.isDigit(b[v])) {
      long n = Bytes.parseNumber(b, v, end);
      return n == NONE ? EventRecord.UNKNOWN : (int) n;
    }
    int mode = 0;
    int e = Bytes.tokenEnd(b, v, end);
    int i = v;
    while (i < e) {
      int j = i;
      while (j < e && b[j] != '|') j++;
      if (Bytes.startsWith(b, i, j, "REL")) mode |= 0x1;
      else if (Bytes.startsWith(b, i, j, "PINNED")) mode |= 0x2;
      else if (Bytes.startsWith(b, i, j, "SOFT")) mode |= 0x4;
      else if (Bytes.startsWith(b, i, j, "HARD")) mode |= 0x8;
      else if (Bytes.startsWith(b, i, j, "LAZY_REARM")) mode |= 0x10;
      else if (!Bytes.startsWith(b, i, j, "ABS")) return EventRecord.UNKNOWN;
      i = j + 1;
    }
    return mode;
  }

  /** timer_list events; timer_start's {@code now} is {@code expires - timeout} on newer kernels. */
  private boolean timer(EventRecord e, byte[] b, int end) {
    KeyScanner k = timerKeys.scan(b, end);
    long addr = hex(b, end, k.value(0));
    if (addr == NONE) return false;
    e.setAddress(addr);
    switch (e.kind()) {
      case TIMER_START: {
        e.setFunction(function(b, k.value(1), end));
        long expires = num(b, end, k.value(2));
        if (expires == NONE) return false;
        e.setValue1(expires);
        long now = num(b, end, k.value(3));
        if (now == NONE) {
          long timeout = num(b, end, k.value(4));
          if (timeout != NONE) now = expires - timeout;
        }
        e.setValue3(now == NONE ? EventRecord.UNKNOWN : now);
        long cpu = num(b, end, k.value(5));
        if (cpu == NONE && k.value(6) >= 0 && Bytes.isDigit(b[k.value(6)])) {
          // report -R prints the raw flags word, whose low 18 bits are the CPU (TIMER_CPUMASK)
          long flags = num(b, end, k.value(6));
          if (flags != NONE) cpu = flags & 0x3ffff;
        }
        e.setNumber(intOrUnknown(cpu));
        return true;
      }
      case TIMER_EXPIRE_ENTRY: {
        e.setFunction(function(b, k.value(1), end));
        long now = num(b, end, k.value(3));
        if (now == NONE) return false;
        e.setValue3(now);
        return true;
      }
      default:
        return true;
    }
  }

  /**
   * Kernel: {@code prev_comm=a b prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=c next_pid=2
   * next_prio=120}; report -R: numeric prev_state and no arrow; trace-cmd's sched plugin: {@code
   * a b:1 [120] S ==> c:2 [120]}.
   */
  private boolean schedSwitch(EventRecord e, byte[] b, int end) {
    // Both key=value forms start with prev_comm=; anything else is the plugin form.
    if (Bytes.startsWith(b, 0, end, "prev_comm=")) {
      KeyScanner k = switchKeys.scan(b, end);
      int pc = k.value(0);
      int pp = k.value(1);
      int nc = k.value(4);
      int np = k.value(5);
      long prevPid = num(b, end, pp);
      long nextPid = num(b, end, np);
      int st = k.value(3);
      if (prevPid == NONE || nextPid == NONE || st < 0 || nc < 0) return false;
      // comm values may contain spaces: they end where the next key begins (keys out of order: no comm)
      if (pp - 10 < pc || np - 10 < nc) return false;
      e.setPrev(symbols.intern(b, pc, pp - 10 - pc), (int) prevPid, intOrUnknown(num(b, end, k.value(2))),
          taskState(b, st, end));
      e.setNext(symbols.intern(b, nc, np - 10 - nc), (int) nextPid, intOrUnknown(num(b, end, k.value(6))));
      return true;
    }
    int arrow = Bytes.indexOf(b, 0, end, " ==> ");
    if (arrow < 0) return false;
    // plugin form: "comm:pid [prio] STATE ==> comm:pid [prio]"
    int prevBracket = lastIndexOf(b, 0, arrow, (byte) '[');
    if (prevBracket < 0) return false;
    int prevColon = lastIndexOf(b, 0, prevBracket, (byte) ':');
    if (prevColon < 0) return false;
    long prevPid = Bytes.parseDecimal(b, prevColon + 1, prevBracket);
    long prevPrio = Bytes.parseDecimal(b, prevBracket + 1, arrow);
    int close = Bytes.indexOf(b, prevBracket, arrow, (byte) ']');
    if (close < 0) return false;
    int stateStart = Bytes.skipSpaces(b, close + 1, arrow);
    long state = taskState(b, stateStart, arrow);
    int nStart = arrow + 5;
    int nextBracket = lastIndexOf(b, nStart, end, (byte) '[');
    if (nextBracket < 0) return false;
    int nextColon = lastIndexOf(b, nStart, nextBracket, (byte) ':');
    if (nextColon < 0) return false;
    long nextPid = Bytes.parseDecimal(b, nextColon + 1, nextBracket);
    long nextPrio = Bytes.parseDecimal(b, nextBracket + 1, end);
    if (prevPid == NONE || nextPid == NONE) return false;
    e.setPrev(symbols.intern(b, 0, prevColon), (int) prevPid, intOrUnknown(prevPrio), state);
    e.setNext(symbols.intern(b, nStart, nextColon - nStart), (int) nextPid, intOrUnknown(nextPrio));
    return true;
  }

  private static int lastIndexOf(byte[] b, int from, int end, byte c) {
    for (int i = end - 1; i >= from; i--) {
      if (b[i] == c) return i;
    }
    return -1;
  }

  /**
   * Task state bits from {@code R}, {@code R+}, {@code S}, {@code D|K}, … or a number; 0 means
   * runnable (preempted). The letters are those of the kernel's {@code __print_flags} table.
   */
  static long taskState(byte[] b, int v, int end) {
    if (v >= end) return EventRecord.UNKNOWN;
    if (Bytes.isDigit(b[v])) {
      long n = Bytes.parseNumber(b, v, end);
      // TASK_REPORT_MAX (preempted) and above mean runnable; keep the reportable sleep bits.
      return n == NONE ? EventRecord.UNKNOWN : n & 0xff;
    }
    long state = 0;
    int e = Bytes.tokenEnd(b, v, end);
    for (int i = v; i < e; i++) {
      switch (b[i]) {
        case 'S': state |= 0x1; break;
        case 'D': state |= 0x2; break;
        case 'T': state |= 0x4; break;
        case 't': state |= 0x8; break;
        case 'X': state |= 0x10; break;
        case 'Z': state |= 0x20; break;
        case 'P': state |= 0x40; break;
        case 'I': state |= 0x80; break;
        case 'K': state |= 0x80; break;
        case 'W': state |= 0x80; break;
        case 'R': case '+': case '|': break;
        default: return EventRecord.UNKNOWN;
      }
    }
    return state;
  }

  /**
   * sched_waking/wakeup/wakeup_new and sched_migrate_task. Kernel: {@code comm=a b pid=1 prio=120
   * [success=1] target_cpu=000}; trace-cmd plugin: {@code a b:1 [120] [success=1] CPU:000}.
   */
  private boolean wakeup(EventRecord e, byte[] b, int end) {
    if (Bytes.startsWith(b, 0, end, "comm=")) {
      KeyScanner k = wakeKeys.scan(b, end);
      int c = k.value(0);
      int p = k.value(1);
      long pid = num(b, end, p);
      if (pid == NONE || p - 5 < c) return false;
      e.setNext(symbols.intern(b, c, p - 5 - c), (int) pid, intOrUnknown(num(b, end, k.value(2))));
      if (e.kind() == EventKind.SCHED_MIGRATE_TASK) {
        e.setValue1(orUnknown(num(b, end, k.value(4))));
        e.setNumber(intOrUnknown(num(b, end, k.value(5))));
      } else {
        e.setNumber(intOrUnknown(num(b, end, k.value(3))));
      }
      return true;
    }
    int bracket = Bytes.indexOf(b, 0, end, " [");
    if (bracket < 0) return false;
    int colon = lastIndexOf(b, 0, bracket, (byte) ':');
    if (colon < 0) return false;
    long pid = Bytes.parseDecimal(b, colon + 1, bracket);
    long prio = Bytes.parseDecimal(b, bracket + 2, end);
    if (pid == NONE) return false;
    e.setNext(symbols.intern(b, 0, colon), (int) pid, intOrUnknown(prio));
    int cpu = Bytes.indexOf(b, bracket, end, "CPU:");
    e.setNumber(cpu < 0 ? EventRecord.UNKNOWN : intOrUnknown(Bytes.parseDecimal(b, cpu + 4, end)));
    return true;
  }

  private boolean kmem(EventRecord e, byte[] b, int end) {
    KeyScanner k = kmemKeys.scan(b, end);
    long p = hex(b, end, k.value(1));
    if (p == NONE) return false;
    e.setAddress(p);
    e.setFunction(function(b, k.value(0), end));
    e.setValue1(orUnknown(num(b, end, k.value(2))));
    e.setValue2(orUnknown(num(b, end, k.value(3))));
    e.setText(word(b, k.value(e.kind() == EventKind.KMEM_CACHE_FREE ? 5 : 4), end));
    return true;
  }

  /**
   * {@code contention_begin: %p (flags=SPIN|READ)}, {@code contention_end: %p (ret=%d)}, or report
   * -R {@code lock_addr=0x… flags=1}.
   */
  private boolean contention(EventRecord e, byte[] b, int end) {
    KeyScanner k = lockKeys.scan(b, end);
    long addr = hex(b, end, k.value(0));
    if (addr == NONE) addr = Bytes.parseHex(b, 0, end);
    if (addr == NONE) return false;
    e.setAddress(addr);
    if (e.kind() == EventKind.CONTENTION_END) {
      e.setValue1(orUnknown(num(b, end, k.value(2))));
      return true;
    }
    int v = k.value(1);
    if (v < 0) return true;
    if (Bytes.isDigit(b[v])) {
      e.setMode(intOrUnknown(Bytes.parseNumber(b, v, end)));
      return true;
    }
    int mode = 0;
    int i = v;
    while (i < end && b[i] != ')' && b[i] != ' ') {
      int j = i;
      while (j < end && b[j] != '|' && b[j] != ')' && b[j] != ' ') j++;
      if (Bytes.startsWith(b, i, j, "SPIN")) mode |= 1;
      else if (Bytes.startsWith(b, i, j, "READ")) mode |= 1 << 1;
      else if (Bytes.startsWith(b, i, j, "WRITE")) mode |= 1 << 2;
      else if (Bytes.startsWith(b, i, j, "RT")) mode |= 1 << 3;
      else if (Bytes.startsWith(b, i, j, "PERCPU")) mode |= 1 << 4;
      else if (Bytes.startsWith(b, i, j, "MUTEX")) mode |= 1 << 5;
      i = j < end && b[j] == '|' ? j + 1 : j;
    }
    e.setMode(mode);
    return true;
  }

  /** lockdep events: {@code %p [try ][read ]<class name>}. */
  private boolean lockdep(EventRecord e, byte[] b, int end) {
    int i = Bytes.skipSpaces(b, 0, end);
    int t = Bytes.tokenEnd(b, i, end);
    long addr = Bytes.parseHex(b, i, t);
    if (addr == NONE) return false;
    e.setAddress(addr);
    i = Bytes.skipSpaces(b, t, end);
    boolean trylock = false;
    int read = 0;
    if (e.kind() == EventKind.LOCK_ACQUIRE) {
      if (Bytes.startsWith(b, i, end, "try ")) {
        trylock = true;
        i += 4;
      }
      if (Bytes.startsWith(b, i, end, "read ")) {
        read = 1;
        i += 5;
      }
    }
    int stop = end;
    while (stop > i && Bytes.isSpace(b[stop - 1])) stop--;
    if (stop <= i) return false;
    e.setLock(symbols.intern(b, i, stop - i), null, read, trylock);
    return true;
  }

  /** {@code <flavour> rhp=%p func=%ps …}; kvfree variants carry an offset in {@code func}. */
  private boolean rcu(EventRecord e, byte[] b, int end, boolean named) {
    KeyScanner k = rcuKeys.scan(b, end);
    long rhp = hex(b, end, k.value(0));
    if (rhp == NONE) return false;
    e.setAddress(rhp);
    int t = Bytes.tokenEnd(b, 0, end);
    if (!Bytes.startsWith(b, 0, t, "rhp=")) e.setText(symbols.intern(b, 0, t));
    if (named) {
      e.setFunction(function(b, k.value(1), end));
    } else {
      e.setValue1(orUnknown(num(b, end, k.value(1))));
    }
    return true;
  }
}
