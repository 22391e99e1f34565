package org.kreplay.ingest;

import java.util.Arrays;
import java.util.List;

/**
 * The kernel stack recorded with an event, innermost frame first, as function names without
 * offsets. Reused with its event: copy it if you keep it.
 */
public final class StackTrace {
  private String[] frames = new String[16];
  private int depth;

  /** Number of frames (0 when the event has no stack). */
  public int depth() {
    return depth;
  }

  /** Frame {@code i}, 0 = innermost. */
  public String frame(int i) {
    if (i < 0 || i >= depth) throw new IndexOutOfBoundsException("frame " + i + " of " + depth);
    return frames[i];
  }

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
    for (int i = 0; i < other.depth; i++) add(other.frames[i]);
  }

  @Override
  public String toString() {
    return String.join(" <- ", frames());
  }
}
