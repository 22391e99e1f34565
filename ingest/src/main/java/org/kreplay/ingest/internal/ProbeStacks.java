package org.kreplay.ingest.internal;

import java.util.function.Predicate;
import org.kreplay.ingest.StackTrace;

/**
 * Stacks recorded by a probe's stacktrace trigger ({@code p:rtlock rt_spin_lock} with {@code
 * stacktrace}): the handler's frames ({@code kprobe_trace_func <- kprobe_dispatcher <-
 * kprobe_ftrace_handler}) and the ftrace trampoline, a bare address, sit on top of the probed
 * function. Which frames are a handler's is the catalog's to say ({@code ReadOptions.probeFrames}).
 */
public final class ProbeStacks {
  private ProbeStacks() {}

  /**
   * How many innermost frames of {@code s} are the probe handler's and its trampoline's; 0 when
   * the stack is not a probe's (or nothing would be left of it).
   */
  public static int handlerFrames(StackTrace s, Predicate<String> probeFrames) {
    int n = 0;
    while (n < s.depth() && probeFrames.test(s.frame(n))) n++;
    if (n == 0) return 0;
    while (n < s.depth() && isAddress(s.frame(n))) n++;
    return n < s.depth() ? n : 0;
  }

  private static boolean isAddress(String frame) {
    return frame.startsWith("0x");
  }
}
