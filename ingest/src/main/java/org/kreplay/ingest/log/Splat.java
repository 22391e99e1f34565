package org.kreplay.ingest.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kernel report ("splat") read from a log: what kind it is, where it is in the input, who and
 * where it happened (task, CPU, kernel, taint), the facts it prints (preempt_count, in_atomic(),
 * irqs_disabled(), RCU nesting, "Preemption disabled at:"), the locks it names, and its call trace with
 * the stack section of every frame. Immutable; build one with {@link Builder}.
 *
 * <p>Values the report does not print are -1 (numbers), null (objects) or empty (lists, maps).
 */
public final class Splat {
  private final SplatKind kind;
  private final String header;
  private final String source;
  private final long firstLine;
  private final long lastLine;
  private final double timestamp;
  private final String wallTime;
  private final int cpu;
  private final int pid;
  private final String comm;
  private final String callerTag;
  private final String kernelRelease;
  private final String taint;
  private final String hardware;
  private final String location;
  private final Map<String, String> facts;
  private final int preemptCount;
  private final int expectedPreemptCount;
  private final Boolean inAtomic;
  private final Boolean irqsDisabled;
  private final int rcuNestDepth;
  private final int expectedRcuNestDepth;
  private final String preemptionDisabledAt;
  private final List<LockLine> heldLocks;
  private final int heldLocksDeclared;
  private final LockLine acquiring;
  private final LockLine holding;
  private final LockLine lock;
  private final LockLine safeLock;
  private final LockLine unsafeLock;
  private final List<ChainLink> chain;
  private final String usageTransition;
  private final Map<String, String> irqEventStamps;
  private final List<Frame> frames;
  private final List<LabeledStack> otherStacks;
  private final boolean truncated;
  private final boolean corrupted;
  private final List<String> problems;
  /** The report's lines as printed, log prefix removed (bounded); what syzkaller's parser reads. */
  private final List<String> text;
  private final boolean textCut;

  private Splat(Builder b) {
    kind = b.kind;
    header = b.header;
    source = b.source;
    firstLine = b.firstLine;
    lastLine = b.lastLine;
    timestamp = b.timestamp;
    wallTime = b.wallTime;
    cpu = b.cpu;
    pid = b.pid;
    comm = b.comm;
    callerTag = b.callerTag;
    kernelRelease = b.kernelRelease;
    taint = b.taint;
    hardware = b.hardware;
    location = b.location;
    facts = Collections.unmodifiableMap(new LinkedHashMap<>(b.facts));
    preemptCount = b.preemptCount;
    expectedPreemptCount = b.expectedPreemptCount;
    inAtomic = b.inAtomic;
    irqsDisabled = b.irqsDisabled;
    rcuNestDepth = b.rcuNestDepth;
    expectedRcuNestDepth = b.expectedRcuNestDepth;
    preemptionDisabledAt = b.preemptionDisabledAt;
    heldLocks = List.copyOf(b.heldLocks);
    heldLocksDeclared = b.heldLocksDeclared;
    acquiring = b.acquiring;
    holding = b.holding;
    lock = b.lock;
    safeLock = b.safeLock;
    unsafeLock = b.unsafeLock;
    chain = List.copyOf(b.chain);
    usageTransition = b.usageTransition;
    irqEventStamps = Collections.unmodifiableMap(new LinkedHashMap<>(b.irqEventStamps));
    frames = List.copyOf(b.frames);
    otherStacks = List.copyOf(b.otherStacks);
    truncated = b.truncated;
    corrupted = b.corrupted;
    problems = List.copyOf(b.problems);
    text = List.of();
    textCut = false;
  }

  /** The same report with this text (empty: without its text, to keep once the text has been read). */
  private Splat(Splat s, List<String> text, boolean textCut) {
    kind = s.kind;
    header = s.header;
    source = s.source;
    firstLine = s.firstLine;
    lastLine = s.lastLine;
    timestamp = s.timestamp;
    wallTime = s.wallTime;
    cpu = s.cpu;
    pid = s.pid;
    comm = s.comm;
    callerTag = s.callerTag;
    kernelRelease = s.kernelRelease;
    taint = s.taint;
    hardware = s.hardware;
    location = s.location;
    facts = s.facts;
    preemptCount = s.preemptCount;
    expectedPreemptCount = s.expectedPreemptCount;
    inAtomic = s.inAtomic;
    irqsDisabled = s.irqsDisabled;
    rcuNestDepth = s.rcuNestDepth;
    expectedRcuNestDepth = s.expectedRcuNestDepth;
    preemptionDisabledAt = s.preemptionDisabledAt;
    heldLocks = s.heldLocks;
    heldLocksDeclared = s.heldLocksDeclared;
    acquiring = s.acquiring;
    holding = s.holding;
    lock = s.lock;
    safeLock = s.safeLock;
    unsafeLock = s.unsafeLock;
    chain = s.chain;
    usageTransition = s.usageTransition;
    irqEventStamps = s.irqEventStamps;
    frames = s.frames;
    otherStacks = s.otherStacks;
    truncated = s.truncated;
    corrupted = s.corrupted;
    problems = s.problems;
    this.text = List.copyOf(text);
    this.textCut = textCut;
  }

  public SplatKind kind() {
    return kind;
  }

  /** The header line exactly as printed (without the log prefix). */
  public String header() {
    return header;
  }

  /** The input's name as given ("dmesg.txt", "-" for stdin). */
  public String source() {
    return source;
  }

  /** 1-based line of the report's first line (its "cut here" or "=====" banner if it has one). */
  public long firstLine() {
    return firstLine;
  }

  /** 1-based line of the report's last line. */
  public long lastLine() {
    return lastLine;
  }

  /** Seconds since boot from the header's {@code [ 123.456789]} (or /dev/kmsg) timestamp, or -1. */
  public double timestamp() {
    return timestamp;
  }

  /** The header line's wall-clock prefix as printed (dmesg -T, syslog, journal), or null. */
  public String wallTime() {
    return wallTime;
  }

  public int cpu() {
    return cpu;
  }

  public int pid() {
    return pid;
  }

  public String comm() {
    return comm;
  }

  /** The printk caller tag of the header line ("T123", "C1"), or null. */
  public String callerTag() {
    return callerTag;
  }

  /** Kernel release from the "CPU:" line or lockdep's ident line ("6.8.0-rc4-rt4"), or null. */
  public String kernelRelease() {
    return kernelRelease;
  }

  /** Taint flags as printed ("G W", "G IOE"); "" for "Not tainted"; null when not printed. */
  public String taint() {
    return taint;
  }

  /** "Hardware name:" line, or null. */
  public String hardware() {
    return hardware;
  }

  /**
   * The source location the header names ("kernel/locking/spinlock_rt.c:48" of a sleeping-function
   * report, "mm/slub.c:294" of "kernel BUG at", the file:line of a WARNING), or null.
   */
  public String location() {
    return location;
  }

  /** Every {@code key: value} the report prints, raw, first occurrence of each key, in order. */
  public Map<String, String> facts() {
    return facts;
  }

  /** preempt_count() as printed ("preempt_count: 10001", "scheduling while atomic: c/1/0x00000002"), or -1. */
  public int preemptCount() {
    return preemptCount;
  }

  /** The decoded {@link #preemptCount()}, or null when unknown. */
  public PreemptCount decodedPreemptCount() {
    return preemptCount < 0 ? null : PreemptCount.of(preemptCount);
  }

  /** The count __might_resched() expected ("expected: 0"), or -1. */
  public int expectedPreemptCount() {
    return expectedPreemptCount;
  }

  /** "in_atomic(): 1" as a boolean, or null. */
  public Boolean inAtomic() {
    return inAtomic;
  }

  /** "irqs_disabled(): 1" (arm64 prints 128) as a boolean, or null. */
  public Boolean irqsDisabled() {
    return irqsDisabled;
  }

  /** "RCU nest depth: N", or -1. */
  public int rcuNestDepth() {
    return rcuNestDepth;
  }

  /** The RCU nest depth __might_resched() expected, or -1. */
  public int expectedRcuNestDepth() {
    return expectedRcuNestDepth;
  }

  /** The function after "Preemption disabled at:", or null. */
  public String preemptionDisabledAt() {
    return preemptionDisabledAt;
  }

  /**
   * The report's task's "N locks held by comm/pid:" list (one entry per {@code #N}), empty for "no locks
   * held" or when the report prints none.
   */
  public List<LockLine> heldLocks() {
    return heldLocks;
  }

  /** The N of "N locks held by", 0 for "no locks held", -1 when the report has no held-lock list. */
  public int heldLocksDeclared() {
    return heldLocksDeclared;
  }

  /** The lock being taken: "is trying to acquire lock:", "is trying to lock:", "is trying to acquire:". */
  public LockLine acquiring() {
    return acquiring;
  }

  /** "but task is already holding lock:" / "and this task is already holding:". */
  public LockLine holding() {
    return holding;
  }

  /**
   * The report's subject lock: "takes:" of an inconsistent-lock-state report, "just changed the state of
   * lock:" of an irq-lock-inversion, the lock a bad-unlock-balance report "is trying to release".
   */
  public LockLine lock() {
    return lock;
  }

  /** The irq-safe lock of an irq-safe-to-unsafe or irq-lock-inversion report, or null. */
  public LockLine safeLock() {
    return safeLock;
  }

  /** The irq-unsafe lock of an irq-safe-to-unsafe or irq-lock-inversion report, or null. */
  public LockLine unsafeLock() {
    return unsafeLock;
  }

  /** A circular-dependency report's chain, as printed (from the held lock down to #0). */
  public List<ChainLink> chain() {
    return chain;
  }

  /** "{HARDIRQ-ON-W} -> {IN-HARDIRQ-W}" of an inconsistent-lock-state report, or null. */
  public String usageTransition() {
    return usageTransition;
  }

  /** "irq event stamp" and the "hardirqs/softirqs last enabled/disabled at" lines, values raw. */
  public Map<String, String> irqEventStamps() {
    return irqEventStamps;
  }

  /**
   * The call trace, innermost frame first, as printed ("Call Trace:", "Call trace:", "stack backtrace:",
   * an x86 "RIP: 0010:" line where it stands).
   */
  public List<Frame> frames() {
    return frames;
  }

  /** Every other stack the report prints, in order. */
  public List<LabeledStack> otherStacks() {
    return otherStacks;
  }

  /** The report is incomplete: the input ended, or the next report began, before its end. */
  public boolean truncated() {
    return truncated;
  }

  /** Parts of the report are damaged (unparseable lines, timestamps going backwards, stray bytes). */
  public boolean corrupted() {
    return corrupted;
  }

  /** Why the report is truncated or corrupted, each as "source:line: reason[: excerpt]". */
  public List<String> problems() {
    return problems;
  }

  /**
   * The report's lines as the kernel printed them, log prefix removed (at most
   * {@link Builder#MAX_TEXT_LINES} lines, {@link Builder#MAX_TEXT_CHARS} characters); empty once
   * {@link #withoutText()} dropped it.
   */
  public List<String> text() {
    return text;
  }

  /** Whether {@link #text()} is shorter than the report (cut at its bound, or dropped). */
  public boolean textCut() {
    return textCut;
  }

  /** This report without its text (kept results need not hold every line of every report). */
  public Splat withoutText() {
    return text.isEmpty() ? this : new Splat(this, List.of(), true);
  }

  /** This report with its console text (the log reader adds it once the report's text is complete). */
  public Splat withText(List<String> lines, boolean cut) {
    return new Splat(this, lines, cut);
  }

  @Override
  public String toString() {
    return kind.label() + " at " + source + ":" + firstLine + "-" + lastLine + ": " + header;
  }

  /** Assembles a {@link Splat}; setters return the builder. Not thread-safe. */
  public static final class Builder {
    /** Bounds of a report's kept text: syzkaller reads far less; a runaway report keeps the heap small. */
    public static final int MAX_TEXT_LINES = 2000;
    public static final long MAX_TEXT_CHARS = 256 * 1024;
    private SplatKind kind;
    private String header = "";
    private String source = "";
    private long firstLine;
    private long lastLine;
    private double timestamp = -1;
    private String wallTime;
    private int cpu = -1;
    private int pid = -1;
    private String comm;
    private String callerTag;
    private String kernelRelease;
    private String taint;
    private String hardware;
    private String location;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private int preemptCount = -1;
    private int expectedPreemptCount = -1;
    private Boolean inAtomic;
    private Boolean irqsDisabled;
    private int rcuNestDepth = -1;
    private int expectedRcuNestDepth = -1;
    private String preemptionDisabledAt;
    private final List<LockLine> heldLocks = new ArrayList<>();
    private int heldLocksDeclared = -1;
    private LockLine acquiring;
    private LockLine holding;
    private LockLine lock;
    private LockLine safeLock;
    private LockLine unsafeLock;
    private final List<ChainLink> chain = new ArrayList<>();
    private String usageTransition;
    private final Map<String, String> irqEventStamps = new LinkedHashMap<>();
    private final List<Frame> frames = new ArrayList<>();
    private final List<LabeledStack> otherStacks = new ArrayList<>();
    private boolean truncated;
    private boolean corrupted;
    private final List<String> problems = new ArrayList<>();

    public Builder(SplatKind kind) {
      this.kind = kind;
    }

    public Splat build() {
      if (kind == null) throw new IllegalStateException("a splat needs a kind");
      return new Splat(this);
    }

    public SplatKind kind() {
      return kind;
    }

    public Builder kind(SplatKind v) {
      kind = v;
      return this;
    }

    public Builder header(String v) {
      header = v;
      return this;
    }

    public Builder source(String v) {
      source = v;
      return this;
    }

    public Builder firstLine(long v) {
      firstLine = v;
      return this;
    }

    public Builder lastLine(long v) {
      lastLine = v;
      return this;
    }

    public long lastLine() {
      return lastLine;
    }

    public Builder timestamp(double v) {
      timestamp = v;
      return this;
    }

    public Builder wallTime(String v) {
      wallTime = v;
      return this;
    }

    public Builder cpu(int v) {
      cpu = v;
      return this;
    }

    public int cpu() {
      return cpu;
    }

    public Builder pid(int v) {
      pid = v;
      return this;
    }

    public int pid() {
      return pid;
    }

    public Builder comm(String v) {
      comm = v;
      return this;
    }

    public String comm() {
      return comm;
    }

    public Builder callerTag(String v) {
      callerTag = v;
      return this;
    }

    public Builder kernelRelease(String v) {
      kernelRelease = v;
      return this;
    }

    public String kernelRelease() {
      return kernelRelease;
    }

    public Builder taint(String v) {
      taint = v;
      return this;
    }

    public String taint() {
      return taint;
    }

    public Builder hardware(String v) {
      hardware = v;
      return this;
    }

    public String hardware() {
      return hardware;
    }

    public Builder location(String v) {
      location = v;
      return this;
    }

    public String location() {
      return location;
    }

    public Builder fact(String key, String value) {
      facts.putIfAbsent(key, value);
      return this;
    }

    public Map<String, String> facts() {
      return facts;
    }

    public Builder preemptCount(int v) {
      preemptCount = v;
      return this;
    }

    public int preemptCount() {
      return preemptCount;
    }

    public Builder expectedPreemptCount(int v) {
      expectedPreemptCount = v;
      return this;
    }

    public Builder inAtomic(Boolean v) {
      inAtomic = v;
      return this;
    }

    public Boolean inAtomic() {
      return inAtomic;
    }

    public Builder irqsDisabled(Boolean v) {
      irqsDisabled = v;
      return this;
    }

    public Builder rcuNestDepth(int v) {
      rcuNestDepth = v;
      return this;
    }

    public Builder expectedRcuNestDepth(int v) {
      expectedRcuNestDepth = v;
      return this;
    }

    public Builder preemptionDisabledAt(String v) {
      preemptionDisabledAt = v;
      return this;
    }

    public String preemptionDisabledAt() {
      return preemptionDisabledAt;
    }

    public List<LockLine> heldLocks() {
      return heldLocks;
    }

    public Builder heldLocksDeclared(int v) {
      heldLocksDeclared = v;
      return this;
    }

    public int heldLocksDeclared() {
      return heldLocksDeclared;
    }

    public Builder acquiring(LockLine v) {
      acquiring = v;
      return this;
    }

    public Builder holding(LockLine v) {
      holding = v;
      return this;
    }

    public Builder lock(LockLine v) {
      lock = v;
      return this;
    }

    public LockLine lock() {
      return lock;
    }

    public Builder safeLock(LockLine v) {
      safeLock = v;
      return this;
    }

    public Builder unsafeLock(LockLine v) {
      unsafeLock = v;
      return this;
    }

    public List<ChainLink> chain() {
      return chain;
    }

    public Builder usageTransition(String v) {
      usageTransition = v;
      return this;
    }

    public Map<String, String> irqEventStamps() {
      return irqEventStamps;
    }

    public List<Frame> frames() {
      return frames;
    }

    public List<LabeledStack> otherStacks() {
      return otherStacks;
    }

    public Builder truncated(boolean v) {
      truncated = v;
      return this;
    }

    public boolean truncated() {
      return truncated;
    }

    public Builder corrupted(boolean v) {
      corrupted = v;
      return this;
    }

    public boolean corrupted() {
      return corrupted;
    }

    public List<String> problems() {
      return problems;
    }

    public Builder problem(String v) {
      problems.add(v);
      return this;
    }

  }
}
