package org.kreplay.analyze.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.LockType;

/**
 * The locks each task holds, innermost last (lockdep's held_locks[] of current; interrupt
 * handlers push onto the interrupted task's stack, tagged with their irq context). Tasks with
 * nothing held take no memory.
 */
final class HeldLocks {
  /** lockdep's per-task limit (MAX_LOCK_DEPTH). */
  static final int MAX_DEPTH = 48;

  /** One held lock. */
  static final class Held {
    final LockGraph.LockClass lockClass;
    final LockType type;
    final long address;
    final int read;
    final boolean trylock;
    /** 0 task, 1 softirq, 2 hardirq, 3 hardirq in softirq (lockdep's task_irq_context()). */
    final int irqContext;
    final boolean hardirqsOff;
    /** This acquisition turned interrupts off (irqs were on just before, off at the acquire). */
    final boolean disabledIrqs;
    final String where;
    /** Input line of the acquisition (0 when not line-based). */
    final long line;
    final long timestamp;
    /** The code that took it (culprit from the acquisition's stack, else that of the lock it nests in), or null. */
    final String site;

    Held(LockGraph.LockClass lockClass, LockType type, long address, int read, boolean trylock, int irqContext,
        boolean hardirqsOff, boolean disabledIrqs, String where, long line, long timestamp, String site) {
      this.lockClass = lockClass;
      this.type = type;
      this.address = address;
      this.read = read;
      this.trylock = trylock;
      this.irqContext = irqContext;
      this.hardirqsOff = hardirqsOff;
      this.disabledIrqs = disabledIrqs;
      this.where = where;
      this.line = line;
      this.timestamp = timestamp;
      this.site = site;
    }

    String describe() {
      return lockClass.name() + " (" + type.label() + (read == 0 ? "" : read == 2 ? ", recursive read" : ", read")
          + (trylock ? ", trylock" : "") + ")";
    }
  }

  /** A task's stack plus the classes it released recently (for bad-unlock detection). */
  static final class Task {
    final List<Held> stack = new ArrayList<>(4);
    final List<LockGraph.LockClass> released = new ArrayList<>(4);
  }

  /** Tasks tracked at once; beyond that the least recently active is forgotten (tasks exit). */
  static final int MAX_TASKS = 16_384;

  private long overflows;
  /** Tasks holding locks or having released some lately, least recently used first. */
  private final Map<Integer, Task> tasks = new java.util.LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, Task> eldest) {
      if (size() <= MAX_TASKS) return false;
      if (!eldest.getValue().stack.isEmpty()) overflows++;
      return true;
    }
  };

  Task task(int pid) {
    return tasks.computeIfAbsent(pid, p -> new Task());
  }

  Task peek(int pid) {
    return tasks.get(pid);
  }

  List<Held> held(int pid) {
    Task t = tasks.get(pid);
    return t == null ? List.of() : t.stack;
  }

  void push(int pid, Held h) {
    Task t = task(pid);
    if (t.stack.size() >= MAX_DEPTH) {
      overflows++;
      t.stack.remove(0);
    }
    t.stack.add(h);
    t.released.remove(h.lockClass);
  }

  /** Removes the innermost held lock of this class (and address when both are known); null if none. */
  Held release(int pid, LockGraph.LockClass c, long address) {
    Task t = tasks.get(pid);
    if (t == null) return null;
    for (int i = t.stack.size() - 1; i >= 0; i--) {
      Held h = t.stack.get(i);
      if (h.lockClass == c && (address == 0 || h.address == 0 || h.address == address)) {
        t.stack.remove(i);
        if (t.released.size() == 8) t.released.remove(0);
        t.released.add(c);
        if (t.stack.isEmpty() && t.released.isEmpty()) tasks.remove(pid);
        return h;
      }
    }
    return null;
  }

  /** The task holding the lock at {@code address} and the lock's class, as "pid N (class)", or null when no one is known to. */
  String holder(long address) {
    if (address == 0) return null;
    for (Map.Entry<Integer, Task> t : tasks.entrySet()) { // iteration does not touch the access order
      for (Held h : t.getValue().stack) {
        if (h.address == address) return "pid " + t.getKey() + " (" + h.lockClass.name() + ")";
      }
    }
    return null;
  }

  boolean recentlyReleased(int pid, LockGraph.LockClass c) {
    Task t = tasks.get(pid);
    return t != null && t.released.contains(c);
  }

  /** Drops the locks taken in an irq context that has ended (its handler returned). */
  void dropIrqContext(int pid, int irqContext) {
    Task t = tasks.get(pid);
    if (t == null) return;
    t.stack.removeIf(h -> h.irqContext >= irqContext && irqContext > 0);
  }

  /** Lost events: what anyone holds is no longer known. */
  void clear() {
    tasks.clear();
  }

  long overflows() {
    return overflows;
  }
}
