package org.kreplay.ingest.internal;

import java.util.Arrays;
import java.util.List;
import org.kreplay.ingest.StackTrace;

/** The mutable stack behind an {@link EventRecord}'s {@link StackTrace} view; readers fill it. */
public final class FrameStack implements StackTrace {
  private String[] frames = new String[16];
  private int depth;

  @Override
  public int depth() {
    return depth;
  }

  @Override
  public String frame(int i) {
    if (i < 0 || i >= depth) throw new IndexOutOfBoundsException("frame " + i + " of " + depth);
    return frames[i];
  }

  @Override
  public List<String> frames() {
    return List.of(Arrays.copyOf(frames, depth));
  }

  public void add(String function) {
    if (depth == frames.length) frames = Arrays.copyOf(frames, depth * 2);
    frames[depth++] = function;
  }

  /** Drops the {@code n} innermost frames (a probe handler's own, for one). */
  public void dropInnermost(int n) {
    if (n < 0 || n > depth) throw new IndexOutOfBoundsException("drop " + n + " of " + depth);
    System.arraycopy(frames, n, frames, 0, depth - n);
    Arrays.fill(frames, depth - n, depth, null);
    depth -= n;
  }

  public void clear() {
    Arrays.fill(frames, 0, depth, null);
    depth = 0;
  }

  void copyFrom(StackTrace other) {
    clear();
    for (int i = 0; i < other.depth(); i++) add(other.frame(i));
  }

  @Override
  public String toString() {
    return String.join(" <- ", frames());
  }
}
