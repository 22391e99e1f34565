package org.kreplay.ingest.log;

/**
 * One line of a call trace.
 *
 * @param function the symbol ("rt_spin_lock", "mark_lock_irq.cold"), or the address ("0x7f...") when the
 *     line has no symbol
 * @param offset offset into the function ({@code +0x27}), -1 when the line shows none (arm64 bare
 *     frames, decoded traces)
 * @param size the function's size ({@code /0xe0}), -1 when absent
 * @param module the module in {@code [brackets]} after the offset, or null for built-in code
 * @param unreliable the kernel marked the frame with {@code ?}: found on the stack, not proven to be a
 *     return address
 * @param section the stack the frame was printed from
 * @param sectionMarked whether the log had a section marker for it ({@code section != UNKNOWN})
 * @param raw the line as printed, without the log prefix
 */
public record Frame(String function, long offset, long size, String module, boolean unreliable,
    Section section, boolean sectionMarked, String raw) implements java.io.Serializable {

  /**
   * The source location a symbolizer added ("kernel/fork.c:1605", "mm/migrate.c:921 mm/migrate.c:960"),
   * or null. Syzbot prints {@code func+0x1/0x2 file.c:12}, decode_stacktrace.sh {@code func (file.c:12)}.
   */
  public String location() {
    int at = raw.indexOf(function);
    String rest = raw.substring(at < 0 ? 0 : at + function.length());
    int open = rest.indexOf(" (");
    int close = rest.lastIndexOf(')');
    if (open >= 0 && close > open) {
      String in = rest.substring(open + 2, close).strip();
      int sp = in.indexOf(' ');
      if (isLocation(sp < 0 ? in : in.substring(0, sp))) return in;
    }
    for (String token : rest.strip().split(" ")) {
      if (isLocation(token)) return token;
    }
    return null;
  }

  /** "dir/file.c:123": a name with a dot, a colon, then only digits. */
  private static boolean isLocation(String t) {
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon + 1 >= t.length() || t.indexOf('.') <= 0 || t.indexOf('.') > colon) return false;
    for (int i = colon + 1; i < t.length(); i++) {
      if (!Character.isDigit(t.charAt(i))) return false;
    }
    return true;
  }

  /** Whether a symbolizer marked the frame {@code [inline]}: a function inlined into the next frame. */
  public boolean inlined() {
    return raw.endsWith("[inline]");
  }

  /** {@code function} without the compiler's suffixes ({@code .cold}, {@code .part.0}, {@code .isra.0}, {@code .constprop.0}). */
  public String baseFunction() {
    int dot = function.indexOf('.', 1);
    return dot > 0 ? function.substring(0, dot) : function;
  }
}
