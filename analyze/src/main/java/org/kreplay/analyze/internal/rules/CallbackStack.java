package org.kreplay.analyze.internal.rules;

import static org.kreplay.analyze.DeferralRow.CLASS_HARD;
import static org.kreplay.analyze.DeferralRow.CLASS_PLAIN;
import static org.kreplay.analyze.DeferralRow.CLASS_SOFT;

import org.kreplay.analyze.internal.context.CpuContext;

/**
 * The callbacks one CPU runs inside its context frames, innermost last: hrtimer callbacks,
 * irq_work callbacks and RCU callbacks, each with the frame depth it started at (it ends with that
 * frame), its class (hrtimer mode; irq_work 1 HARD_IRQ, 2 not, 0 unknown) and where it began.
 */
final class CallbackStack {
  static final byte HRTIMER = 1;
  static final byte IRQ_WORK = 2;
  static final byte RCU_CB = 3;
  static final int MAX_CALLBACKS = 8;

  private final byte[] kind = new byte[MAX_CALLBACKS];
  private final String[] name = new String[MAX_CALLBACKS];
  private final int[] cls = new int[MAX_CALLBACKS];
  private final long[] address = new long[MAX_CALLBACKS];
  private final int[] frameDepth = new int[MAX_CALLBACKS];
  private final long[] line = new long[MAX_CALLBACKS];
  /** Where an hrtimer callback's mode came from when not from the trace (catalog, RT rule), or null. */
  private final String[] modeNote = new String[MAX_CALLBACKS];
  private int size;

  int size() {
    return size;
  }

  boolean full() {
    return size == MAX_CALLBACKS;
  }

  byte kind(int i) {
    return kind[i];
  }

  String name(int i) {
    return name[i];
  }

  int cls(int i) {
    return cls[i];
  }

  long line(int i) {
    return line[i];
  }

  String modeNote(int i) {
    return modeNote[i];
  }

  /** Returns the callback's index, or -1 when too many are open. */
  int push(CpuContext c, byte kind, String name, int cls, long address, long line, String modeNote) {
    if (size == MAX_CALLBACKS) return -1;
    int i = size++;
    this.kind[i] = kind;
    this.name[i] = name;
    this.cls[i] = cls;
    this.address[i] = address;
    this.frameDepth[i] = c.depth();
    this.line[i] = line;
    this.modeNote[i] = modeNote;
    return i;
  }

  /** A callback of {@code kind} follows the previous one of that kind in the same frame (RCU batches, irq_work lists). */
  void replace(CpuContext c, byte kind, String name, int cls, long line) {
    if (size > 0 && this.kind[size - 1] == kind && frameDepth[size - 1] == c.depth()) size--;
    push(c, kind, name, cls, 0, line, null);
  }

  void pop(byte kind, long address) {
    for (int i = size - 1; i >= 0; i--) {
      if (this.kind[i] == kind && this.address[i] == address) {
        size = i;
        return;
      }
    }
  }

  /** Forgets callbacks from {@code n} on. */
  void truncate(int n) {
    size = Math.min(size, n);
  }

  void clear() {
    size = 0;
  }

  /** Callbacks started inside a context frame that has since ended are over. */
  void dropFinished(CpuContext c) {
    while (size > 0 && frameDepth[size - 1] > c.depth()) size--;
  }

  /** The innermost callback running inside hardirq frame {@code frame} (or above), or -1; RCU callbacks do not count. */
  int innermostIn(int frame) {
    for (int i = size - 1; i >= 0; i--) {
      if (frameDepth[i] >= frame + 1 && kind[i] != RCU_CB) return i;
    }
    return -1;
  }

  boolean isHrtimer(int i) {
    return i >= 0 && kind[i] == HRTIMER;
  }

  boolean isIrqWork(int i) {
    return i >= 0 && kind[i] == IRQ_WORK;
  }

  String describe(int i) {
    switch (kind[i]) {
      case HRTIMER: {
        int c = cls[i];
        String mode = c == CLASS_HARD ? "HARD " : c == CLASS_SOFT ? "SOFT " : c == CLASS_PLAIN ? "non-HARD " : "";
        return mode + "hrtimer callback " + name[i];
      }
      case IRQ_WORK:
        return (cls[i] == 1 ? "HARD_IRQ " : cls[i] == 2 ? "non-HARD " : "") + "irq_work callback " + name[i];
      default:
        return "RCU callback " + name[i];
    }
  }
}
