package org.kreplay.ingest;

/**
 * How much of a hostile or broken input a reader keeps, as one validated value (as Jackson's
 * StreamReadConstraints): the longest line, the deepest stack of a trace event, and for kernel
 * reports their frames, held locks, extra stacks and lines. Beyond a limit the reader keeps what
 * fits and says so (a problem with file and line), never an out-of-memory error.
 */
public final class ReadLimits {
  private static final ReadLimits DEFAULTS = builder().build();

  private final int maxLineLength;
  private final int maxStackFrames;
  private final int maxReportFrames;
  private final int maxReportLocks;
  private final int maxReportStacks;
  private final int maxReportLines;

  private ReadLimits(Builder b) {
    this.maxLineLength = b.maxLineLength;
    this.maxStackFrames = b.maxStackFrames;
    this.maxReportFrames = b.maxReportFrames;
    this.maxReportLocks = b.maxReportLocks;
    this.maxReportStacks = b.maxReportStacks;
    this.maxReportLines = b.maxReportLines;
  }

  /** 1 MiB lines, 4,096 frames per stack and report, 64 held locks and stacks per report, 20,000 lines per report. */
  public static ReadLimits defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder rebuild() {
    Builder b = new Builder();
    b.maxLineLength = maxLineLength;
    b.maxStackFrames = maxStackFrames;
    b.maxReportFrames = maxReportFrames;
    b.maxReportLocks = maxReportLocks;
    b.maxReportStacks = maxReportStacks;
    b.maxReportLines = maxReportLines;
    return b;
  }

  /** Bytes of one input line; a longer line is cut there and counted as too long. */
  public int maxLineLength() {
    return maxLineLength;
  }

  /** Frames of one trace event's stack. */
  public int maxStackFrames() {
    return maxStackFrames;
  }

  /** Frames of all call traces of one kernel report. */
  public int maxReportFrames() {
    return maxReportFrames;
  }

  /** Held locks listed by one kernel report. */
  public int maxReportLocks() {
    return maxReportLocks;
  }

  /** Further stacks (lockdep's chain, other CPUs' traces) of one kernel report. */
  public int maxReportStacks() {
    return maxReportStacks;
  }

  /** Lines of one kernel report before it is closed as too long. */
  public int maxReportLines() {
    return maxReportLines;
  }

  @Override
  public String toString() {
    return "ReadLimits[line " + maxLineLength + " B, stack " + maxStackFrames + " frames, report " + maxReportFrames
        + " frames / " + maxReportLocks + " locks / " + maxReportStacks + " stacks / " + maxReportLines + " lines]";
  }

  /** Sets limits one by one; {@link #build()} checks each is within its range. */
  public static final class Builder {
    private int maxLineLength = 1 << 20;
    private int maxStackFrames = 4096;
    private int maxReportFrames = 4096;
    private int maxReportLocks = 64;
    private int maxReportStacks = 64;
    private int maxReportLines = 20_000;

    private Builder() {}

    public Builder maxLineLength(int bytes) {
      this.maxLineLength = bytes;
      return this;
    }

    public Builder maxStackFrames(int frames) {
      this.maxStackFrames = frames;
      return this;
    }

    public Builder maxReportFrames(int frames) {
      this.maxReportFrames = frames;
      return this;
    }

    public Builder maxReportLocks(int locks) {
      this.maxReportLocks = locks;
      return this;
    }

    public Builder maxReportStacks(int stacks) {
      this.maxReportStacks = stacks;
      return this;
    }

    public Builder maxReportLines(int lines) {
      this.maxReportLines = lines;
      return this;
    }

    /** The limits, or IllegalArgumentException naming the one out of its range. */
    public ReadLimits build() {
      check("maxLineLength", maxLineLength, 256, 1 << 30);
      check("maxStackFrames", maxStackFrames, 1, 1 << 20);
      check("maxReportFrames", maxReportFrames, 1, 1 << 20);
      check("maxReportLocks", maxReportLocks, 1, 1 << 16);
      check("maxReportStacks", maxReportStacks, 1, 1 << 16);
      check("maxReportLines", maxReportLines, 10, 1 << 24);
      return new ReadLimits(this);
    }

    private static void check(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
      }
    }
  }
}
