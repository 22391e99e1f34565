package org.kreplay.ingest.internal;

import static org.kreplay.ingest.internal.Bytes.NONE;

import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * Decodes the text body of the events the analysis uses into {@link TraceEvent}'s typed slots.
 * Accepts the kernel's own {@code TP_printk} rendering, libtraceevent's plugin renderings ({@code
 * trace-cmd report}) and {@code report -R} raw fields, across kernel versions. A body it cannot
 * read leaves the slots cleared and returns false, so the reader can count it.
 */
public final class BodyDecoder {
  private final Symbols symbols;

  public BodyDecoder(Symbols symbols) {
    this.symbols = symbols;
  }

  /** Decodes {@code e.body()} according to {@code e.kind()}; false if a required field is missing. */
  public boolean decode(TraceEvent e) {
    byte[] b = e.bodyBytes();
    int end = e.bodyLength();
    switch (e.kind()) {
      case IRQ_HANDLER_ENTRY:
        return irqEntry(e, b, end);
      case IRQ_HANDLER_EXIT:
        return irqExit(e, b, end);
      case SOFTIRQ_RAISE:
      case SOFTIRQ_ENTRY:
      case SOFTIRQ_EXIT:
        return number(e, b, end, "vec");
      case VECTOR_ENTRY:
      case VECTOR_EXIT:
      case IRQ_WORK_ENTRY:
      case IRQ_WORK_EXIT:
        e.setText(symbols.intern(EventKind.vectorName(e.name())));
        return number(e, b, end, "vector");
      case NMI_HANDLER:
        e.setFunction(function(b, Bytes.valueOf(b, 0, end, "handler"), end));
        e.setValue1(num(b, end, "delta_ns"));
        return e.function() != null;
      case WORKQUEUE_QUEUE_WORK:
        return queueWork(e, b, end);
      case WORKQUEUE_ACTIVATE_WORK:
      case WORKQUEUE_EXECUTE_START:
      case WORKQUEUE_EXECUTE_END:
        return workItem(e, b, end);
      case HRTIMER_INIT:
        return hrtimerInit(e, b, end);
      case HRTIMER_START:
        return hrtimerStart(e, b, end);
      case HRTIMER_EXPIRE_ENTRY:
        return hrtimerExpire(e, b, end);
      case HRTIMER_EXPIRE_EXIT:
      case HRTIMER_CANCEL:
        return pointer(e, b, end, "hrtimer");
      case TIMER_INIT:
      case TIMER_EXPIRE_EXIT:
      case TIMER_CANCEL:
        return pointer(e, b, end, "timer");
      case TIMER_START:
        return timerStart(e, b, end);
      case TIMER_EXPIRE_ENTRY:
        return timerExpire(e, b, end);
      case SCHED_SWITCH:
        return schedSwitch(e, b, end);
      case SCHED_WAKING:
      case SCHED_WAKEUP:
      case SCHED_WAKEUP_NEW:
        return wakeup(e, b, end);
      case SCHED_MIGRATE_TASK:
        return migrate(e, b, end);
      case KMALLOC:
      case KMEM_CACHE_ALLOC:
      case KFREE:
      case KMEM_CACHE_FREE:
        return kmem(e, b, end);
      case MM_PAGE_ALLOC:
      case MM_PAGE_FREE:
        e.setValue1(num(b, end, "order"));
        e.setText(word(b, Bytes.valueOf(b, 0, end, "gfp_flags"), end));
        return e.value1() != NONE;
      case CONTENTION_BEGIN:
        return contentionBegin(e, b, end);
      case CONTENTION_END:
        return contentionEnd(e, b, end);
      case LOCK_ACQUIRE:
      case LOCK_RELEASE:
      case LOCK_CONTENDED:
      case LOCK_ACQUIRED:
        return lockdep(e, b, end);
      case IRQ_DISABLE:
      case IRQ_ENABLE:
      case PREEMPT_DISABLE:
      case PREEMPT_ENABLE:
        e.setFunction(function(b, Bytes.valueOf(b, 0, end, "caller"), end));
        e.setText(function(b, Bytes.valueOf(b, 0, end, "parent"), end));
        return e.function() != null;
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

  // ---- helpers over "key=value" bodies

  private static long num(byte[] b, int end, String key) {
    int v = Bytes.valueOf(b, 0, end, key);
    return v < 0 ? NONE : Bytes.parseNumber(b, v, end);
  }

  private static long ptr(byte[] b, int end, String key) {
    int v = Bytes.valueOf(b, 0, end, key);
    return v < 0 ? NONE : Bytes.parseHex(b, v, end);
  }

  private boolean number(TraceEvent e, byte[] b, int end, String key) {
    long v = num(b, end, key);
    if (v == NONE) return false;
    e.setNumber((int) v);
    return true;
  }

  private boolean pointer(TraceEvent e, byte[] b, int end, String key) {
    long p = ptr(b, end, key);
    if (p == NONE) return false;
    e.setAddress(p);
    return true;
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
  private boolean functionEntry(TraceEvent e, byte[] b, int end) {
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

  private boolean irqEntry(TraceEvent e, byte[] b, int end) {
    if (!number(e, b, end, "irq")) return false;
    int v = Bytes.valueOf(b, 0, end, "name");
    if (v >= 0) e.setText(symbols.intern(b, v, end - v));
    return true;
  }

  private boolean irqExit(TraceEvent e, byte[] b, int end) {
    if (!number(e, b, end, "irq")) return false;
    int v = Bytes.valueOf(b, 0, end, "ret");
    if (v >= 0) {
      e.setValue1(Bytes.startsWith(b, v, end, "handled") || Bytes.startsWith(b, v, end, "1") ? 1 : 0);
    }
    return true;
  }

  private boolean queueWork(TraceEvent e, byte[] b, int end) {
    long work = ptr(b, end, "struct");
    if (work == NONE) work = ptr(b, end, "work");
    if (work == NONE) return false;
    e.setAddress(work);
    e.setFunction(function(b, Bytes.valueOf(b, 0, end, "function"), end));
    e.setText(word(b, Bytes.valueOf(b, 0, end, "workqueue"), end));
    long cpu = num(b, end, "cpu");
    e.setNumber(cpu == NONE ? TraceEvent.UNKNOWN : (int) cpu);
    long req = num(b, end, "req_cpu");
    e.setValue1(req == NONE ? TraceEvent.UNKNOWN : req);
    return true;
  }

  /** {@code work struct %p[:] function[= ]%ps}, or {@code work=%p function=%p} from report -R. */
  private boolean workItem(TraceEvent e, byte[] b, int end) {
    long work;
    int i = Bytes.indexOf(b, 0, end, "work struct ");
    if (i >= 0) {
      work = Bytes.parseHex(b, i + 12, end);
    } else {
      work = ptr(b, end, "work");
    }
    if (work == NONE) return false;
    e.setAddress(work);
    int f = Bytes.valueOf(b, 0, end, "function");
    if (f < 0) {
      int k = Bytes.indexOf(b, 0, end, "function ");
      if (k >= 0) f = k + 9;
    }
    e.setFunction(function(b, f, end));
    return true;
  }

  private boolean hrtimerInit(TraceEvent e, byte[] b, int end) {
    if (!pointer(e, b, end, "hrtimer")) return false;
    e.setText(word(b, Bytes.valueOf(b, 0, end, "clockid"), end));
    e.setMode(hrtimerMode(b, Bytes.valueOf(b, 0, end, "mode"), end));
    return true;
  }

  private boolean hrtimerStart(TraceEvent e, byte[] b, int end) {
    if (!pointer(e, b, end, "hrtimer")) return false;
    e.setFunction(function(b, Bytes.valueOf(b, 0, end, "function"), end));
    long expires = num(b, end, "expires");
    long soft = num(b, end, "softexpires");
    if (expires == NONE || soft == NONE) return false;
    e.setValue1(expires);
    e.setValue2(soft);
    e.setMode(hrtimerMode(b, Bytes.valueOf(b, 0, end, "mode"), end));
    return true;
  }

  private boolean hrtimerExpire(TraceEvent e, byte[] b, int end) {
    if (!pointer(e, b, end, "hrtimer")) return false;
    e.setFunction(function(b, Bytes.valueOf(b, 0, end, "function"), end));
    long now = num(b, end, "now");
    if (now == NONE) return false;
    e.setValue3(now);
    return true;
  }

  /**
   * HRTIMER_MODE_* bits from {@code ABS|PINNED|HARD} or a number; -1 when absent (trace-cmd's
   * hrtimer plugin drops the mode).
   */
  static int hrtimerMode(byte[] b, int v, int end) {
    if (v < 0) return TraceEvent.UNKNOWN;
    if (v < end && Bytes.isDigit(b[v])) {
      long n = Bytes.parseNumber(b, v, end);
      return n == NONE ? TraceEvent.UNKNOWN : (int) n;
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
      else if (!Bytes.startsWith(b, i, j, "ABS")) return TraceEvent.UNKNOWN;
      i = j + 1;
    }
    return mode;
  }

  private boolean timerStart(TraceEvent e, byte[] b, int end) {
    if (!pointer(e, b, end, "timer")) return false;
    e.setFunction(function(b, Bytes.valueOf(b, 0, end, "function"), end));
    long expires = num(b, end, "expires");
    if (expires == NONE) return false;
    e.setValue1(expires);
    long now = num(b, end, "now");
    if (now == NONE) {
      long timeout = num(b, end, "timeout");
      if (timeout != NONE) now = expires - timeout;
    }
    e.setValue3(now == NONE ? TraceEvent.UNKNOWN : now);
    long cpu = num(b, end, "cpu");
    e.setNumber(cpu == NONE ? TraceEvent.UNKNOWN : (int) cpu);
    return true;
  }

  private boolean timerExpire(TraceEvent e, byte[] b, int end) {
    if (!pointer(e, b, end, "timer")) return false;
    e.setFunction(function(b, Bytes.valueOf(b, 0, end, "function"), end));
    long now = num(b, end, "now");
    if (now == NONE) return false;
    e.setValue3(now);
    return true;
  }

  /**
   * Kernel: {@code prev_comm=a b prev_pid=1 prev_prio=120 prev_state=S ==> next_comm=c next_pid=2
   * next_prio=120}; report -R: numeric prev_state and no arrow; trace-cmd's sched plugin: {@code
   * a b:1 [120] S ==> c:2 [120]}.
   */
  private boolean schedSwitch(TraceEvent e, byte[] b, int end) {
    int pc = Bytes.valueOf(b, 0, end, "prev_comm");
    if (pc >= 0) {
      int pp = Bytes.indexOf(b, pc, end, " prev_pid=");
      int nc = Bytes.valueOf(b, 0, end, "next_comm");
      int np = nc < 0 ? -1 : Bytes.indexOf(b, nc, end, " next_pid=");
      if (pp < 0 || np < 0) return false;
      long prevPid = num(b, end, "prev_pid");
      long prevPrio = num(b, end, "prev_prio");
      long nextPid = num(b, end, "next_pid");
      long nextPrio = num(b, end, "next_prio");
      int st = Bytes.valueOf(b, 0, end, "prev_state");
      if (prevPid == NONE || nextPid == NONE || st < 0) return false;
      e.setPrev(symbols.intern(b, pc, pp - pc), (int) prevPid, (int) prevPrio, taskState(b, st, end));
      e.setNext(symbols.intern(b, nc, np - nc), (int) nextPid, (int) nextPrio);
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
    e.setPrev(symbols.intern(b, 0, prevColon), (int) prevPid, (int) prevPrio, state);
    e.setNext(symbols.intern(b, nStart, nextColon - nStart), (int) nextPid, (int) nextPrio);
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
    if (v >= end) return TraceEvent.UNKNOWN;
    if (Bytes.isDigit(b[v])) {
      long n = Bytes.parseNumber(b, v, end);
      // TASK_REPORT_MAX (preempted) and above mean runnable; keep the reportable sleep bits.
      return n == NONE ? TraceEvent.UNKNOWN : n & 0xff;
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
        default: return TraceEvent.UNKNOWN;
      }
    }
    return state;
  }

  /**
   * Kernel: {@code comm=a b pid=1 prio=120 [success=1] target_cpu=000}; trace-cmd plugin: {@code
   * a b:1 [120] [success=1] CPU:000}.
   */
  private boolean wakeup(TraceEvent e, byte[] b, int end) {
    int c = Bytes.valueOf(b, 0, end, "comm");
    if (c >= 0) {
      int p = Bytes.indexOf(b, c, end, " pid=");
      if (p < 0) return false;
      long pid = num(b, end, "pid");
      long prio = num(b, end, "prio");
      if (pid == NONE) return false;
      e.setNext(symbols.intern(b, c, p - c), (int) pid, prio == NONE ? TraceEvent.UNKNOWN : (int) prio);
      long cpu = num(b, end, "target_cpu");
      e.setNumber(cpu == NONE ? TraceEvent.UNKNOWN : (int) cpu);
      return true;
    }
    int bracket = Bytes.indexOf(b, 0, end, " [");
    if (bracket < 0) return false;
    int colon = lastIndexOf(b, 0, bracket, (byte) ':');
    if (colon < 0) return false;
    long pid = Bytes.parseDecimal(b, colon + 1, bracket);
    long prio = Bytes.parseDecimal(b, bracket + 2, end);
    if (pid == NONE) return false;
    e.setNext(symbols.intern(b, 0, colon), (int) pid, prio == NONE ? TraceEvent.UNKNOWN : (int) prio);
    int cpu = Bytes.indexOf(b, bracket, end, "CPU:");
    e.setNumber(cpu < 0 ? TraceEvent.UNKNOWN : (int) Bytes.parseDecimal(b, cpu + 4, end));
    return true;
  }

  private boolean migrate(TraceEvent e, byte[] b, int end) {
    int c = Bytes.valueOf(b, 0, end, "comm");
    if (c < 0) return false;
    int p = Bytes.indexOf(b, c, end, " pid=");
    long pid = num(b, end, "pid");
    if (p < 0 || pid == NONE) return false;
    long prio = num(b, end, "prio");
    e.setNext(symbols.intern(b, c, p - c), (int) pid, prio == NONE ? TraceEvent.UNKNOWN : (int) prio);
    e.setValue1(num(b, end, "orig_cpu"));
    long dest = num(b, end, "dest_cpu");
    e.setNumber(dest == NONE ? TraceEvent.UNKNOWN : (int) dest);
    return true;
  }

  private boolean kmem(TraceEvent e, byte[] b, int end) {
    long p = ptr(b, end, "ptr");
    if (p == NONE) return false;
    e.setAddress(p);
    e.setFunction(function(b, Bytes.valueOf(b, 0, end, "call_site"), end));
    e.setValue1(num(b, end, "bytes_req"));
    e.setValue2(num(b, end, "bytes_alloc"));
    if (e.kind() == EventKind.KMEM_CACHE_FREE) {
      e.setText(word(b, Bytes.valueOf(b, 0, end, "name"), end));
    } else {
      e.setText(word(b, Bytes.valueOf(b, 0, end, "gfp_flags"), end));
    }
    return true;
  }

  /** {@code %p (flags=SPIN|READ)} or report -R {@code lock_addr=0x… flags=1}. */
  private boolean contentionBegin(TraceEvent e, byte[] b, int end) {
    long addr = ptr(b, end, "lock_addr");
    if (addr == NONE) addr = Bytes.parseHex(b, 0, end);
    if (addr == NONE) return false;
    e.setAddress(addr);
    int v = Bytes.valueOf(b, 0, end, "flags");
    if (v < 0) return true;
    if (Bytes.isDigit(b[v])) {
      e.setMode((int) Bytes.parseNumber(b, v, end));
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

  private boolean contentionEnd(TraceEvent e, byte[] b, int end) {
    long addr = ptr(b, end, "lock_addr");
    if (addr == NONE) addr = Bytes.parseHex(b, 0, end);
    if (addr == NONE) return false;
    e.setAddress(addr);
    e.setValue1(num(b, end, "ret"));
    return true;
  }

  /** lockdep events: {@code %p [try ][read ]<class name>}. */
  private boolean lockdep(TraceEvent e, byte[] b, int end) {
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
  private boolean rcu(TraceEvent e, byte[] b, int end, boolean named) {
    long rhp = ptr(b, end, "rhp");
    if (rhp == NONE) return false;
    e.setAddress(rhp);
    int i = Bytes.skipSpaces(b, 0, end);
    int t = Bytes.tokenEnd(b, i, end);
    if (!Bytes.startsWith(b, i, t, "rhp=")) e.setText(symbols.intern(b, i, t - i));
    if (named) {
      e.setFunction(function(b, Bytes.valueOf(b, 0, end, "func"), end));
    } else {
      e.setValue1(num(b, end, "func"));
    }
    return true;
  }
}
