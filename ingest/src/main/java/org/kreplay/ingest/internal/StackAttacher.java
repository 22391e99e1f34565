package org.kreplay.ingest.internal;

import java.io.IOException;
import java.util.function.Predicate;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.TraceInfo;

/**
 * Gives kernel stacks that a reader delivered as {@code kernel_stack} events of their own to the
 * event they belong to. With {@code options/stacktrace} the kernel writes each event's stack as a
 * separate ring-buffer entry right after it, on the same CPU and in the same context; but the
 * text form merges the CPUs by time, so other CPUs' events come in between, and an interrupt on the
 * same CPU can come between an event and its stack in every form. A stack belongs to the newest
 * event of its CPU, in the same context (task, softirq, hardirq, NMI, as the flags say), that has
 * none yet. Events are held until no stack can come for them any more (a later event of that CPU
 * in the same or an outer context), at most {@link #WINDOW} events; a trace whose first
 * {@link #WINDOW} events show no stack passes straight through from then on (until one does).
 * A stack recorded by a probe (its innermost frames a probe handler's) is the probed call itself:
 * it stays an event of its own, without the handler's frames.
 */
public final class StackAttacher implements RecordReader {
  static final int WINDOW = 1024;

  private final RecordReader source;
  private final Predicate<String> probeFrames;
  private final EventRecord[] held = new EventRecord[WINDOW];
  private final boolean[] settled = new boolean[WINDOW];
  private final InputStats attached = new InputStats();
  private EventRecord out = new EventRecord();
  private int head;
  private int size;
  /** Whether events are held: at the start, and once a stack was seen. */
  private boolean holding = true;
  private boolean stacksSeen;
  private long probed;
  private boolean ended;

  public StackAttacher(RecordReader source) {
    this(source, frame -> false);
  }

  /** @param probeFrames the frames of probe handlers: stacks that start with them stand alone (see ReadOptions) */
  public StackAttacher(RecordReader source, Predicate<String> probeFrames) {
    this.source = source;
    this.probeFrames = probeFrames;
    for (int i = 0; i < WINDOW; i++) held[i] = new EventRecord();
  }

  @Override
  public EventRecord next() throws IOException {
    while (true) {
      if (size > 0 && (settled[head] || size == WINDOW || ended)) return release();
      if (ended) return null;
      EventRecord e = source.next();
      if (e == null) {
        ended = true;
        continue;
      }
      boolean stack = e.kind() == EventKind.KERNEL_STACK || e.stack().depth() > 0;
      if (stack) stacksSeen = true;
      if (!holding) {
        if (!stack) return e;
        holding = true;
      } else if (!stacksSeen && ++probed >= WINDOW) {
        holding = false; // no stacks in this trace: what is held goes out first, in order
        for (int k = 0; k < size; k++) settled[(head + k) % WINDOW] = true;
        if (size > 0) {
          hold(e, true);
          continue;
        }
        return e;
      }
      if (e.kind() == EventKind.KERNEL_STACK) {
        // A probe's stack is the probed call itself, in its own context: it belongs to no other event.
        int handler = ProbeStacks.handlerFrames(e.stack(), probeFrames);
        if (handler > 0) e.stack().dropInnermost(handler);
        else if (attach(e)) continue;
      }
      settleBefore(e);
      hold(e, e.kind().isMarker() || e.kind() == EventKind.KERNEL_STACK || e.stack().depth() > 0);
    }
  }

  private void hold(EventRecord e, boolean done) {
    int i = (head + size++) % WINDOW;
    held[i].copyFrom(e);
    settled[i] = done;
  }

  private EventRecord release() {
    EventRecord e = held[head];
    held[head] = out;
    out = e;
    head = (head + 1) % WINDOW;
    size--;
    return e;
  }

  /** 3 NMI, 2 hardirq, 1 softirq, 0 task; -1 when the flags do not show it. */
  private static int level(int flags) {
    if (ContextFlags.nmiKnown(flags) && ContextFlags.nmi(flags)) return 3;
    if (!ContextFlags.irqContextKnown(flags)) return -1;
    return ContextFlags.hardirq(flags) ? 2 : ContextFlags.softirq(flags) ? 1 : 0;
  }

  /**
   * The newest held event of the stack's CPU and context that has no stack takes its frames; events
   * of inner contexts passed on the way are over (their interrupt returned). False if none fits.
   */
  private boolean attach(EventRecord stack) {
    int level = level(stack.flags());
    for (int k = size - 1; k >= 0; k--) {
      int i = (head + k) % WINDOW;
      EventRecord h = held[i];
      if (h.cpu() != stack.cpu() || settled[i]) continue;
      int l = level(h.flags());
      if (level >= 0 && l > level) {
        settled[i] = true;
        continue;
      }
      if (level >= 0 && l >= 0 && l < level) return false; // an interrupted event: not this stack's
      for (int f = 0; f < stack.stack().depth(); f++) h.stack().add(stack.stack().frame(f));
      settled[i] = true;
      attached.countEventAsStack();
      return true;
    }
    return false;
  }

  /** An event of a CPU ends the wait of that CPU's events in the same or inner contexts. */
  private void settleBefore(EventRecord e) {
    int level = e.kind().isMarker() ? -1 : level(e.flags());
    for (int k = 0; k < size; k++) {
      int i = (head + k) % WINDOW;
      if (settled[i] || held[i].cpu() != e.cpu()) continue;
      int l = level(held[i].flags());
      if (level < 0 || l < 0 || l >= level) settled[i] = true;
    }
  }

  @Override
  public TraceInfo info() {
    return source.info();
  }

  /** The source's accounting, with the stack lines it counted as events moved to stack frames. */
  @Override
  public InputStats stats() {
    return new InputStats().add(source.stats()).add(attached);
  }

  @Override
  public long inputBytesRead() {
    return source.inputBytesRead();
  }

  @Override
  public long inputSize() {
    return source.inputSize();
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
