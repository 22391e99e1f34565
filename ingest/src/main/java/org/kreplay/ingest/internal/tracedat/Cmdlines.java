package org.kreplay.ingest.internal.tracedat;

import org.kreplay.ingest.internal.Symbols;

/**
 * The {@code saved_cmdlines} copy: pid to comm, as {@code trace-cmd report} names tasks ("<idle>"
 * for pid 0, "<...>" for a pid the kernel did not save). Open addressing on int keys.
 */
final class Cmdlines {
  static final String IDLE = "<idle>";
  static final String UNKNOWN = "<...>";

  private int[] keys = new int[256];
  private String[] values = new String[256];
  private boolean[] used = new boolean[256];
  private int size;

  static Cmdlines parse(byte[] text, Symbols symbols) {
    Cmdlines c = new Cmdlines();
    int i = 0;
    int n = text.length;
    while (i < n) {
      int end = i;
      while (end < n && text[end] != '\n') end++;
      int j = i;
      boolean neg = false;
      if (j < end && text[j] == '-') {
        neg = true;
        j++;
      }
      long pid = 0;
      int digits = 0;
      while (j < end && text[j] >= '0' && text[j] <= '9' && digits < 10) {
        pid = pid * 10 + (text[j++] - '0');
        digits++;
      }
      if (digits > 0 && j < end && text[j] == ' ' && pid <= Integer.MAX_VALUE) {
        int s = j + 1;
        int e = end;
        if (e > s && text[e - 1] == '\r') e--;
        // libtraceevent keeps the first comm registered for a pid
        int p = (int) (neg ? -pid : pid);
        if (c.get(p) == null) c.put(p, symbols.intern(text, s, e - s));
      }
      i = end + 1;
    }
    return c;
  }

  /** The comm for {@code pid}, or null. */
  String get(int pid) {
    int mask = keys.length - 1;
    int i = mix(pid) & mask;
    while (used[i]) {
      if (keys[i] == pid) return values[i];
      i = (i + 1) & mask;
    }
    return null;
  }

  /** The comm trace-cmd shows for {@code pid}. */
  String comm(int pid) {
    if (pid == 0) return IDLE;
    String s = get(pid);
    return s == null ? UNKNOWN : s;
  }

  int size() {
    return size;
  }

  private void put(int pid, String comm) {
    if ((size + 1) * 2 > keys.length) grow();
    int mask = keys.length - 1;
    int i = mix(pid) & mask;
    while (used[i] && keys[i] != pid) i = (i + 1) & mask;
    if (!used[i]) size++;
    used[i] = true;
    keys[i] = pid;
    values[i] = comm;
  }

  private void grow() {
    int[] k = keys;
    String[] v = values;
    boolean[] u = used;
    keys = new int[k.length * 2];
    values = new String[k.length * 2];
    used = new boolean[k.length * 2];
    size = 0;
    for (int i = 0; i < k.length; i++) {
      if (u[i]) put(k[i], v[i]);
    }
  }

  private static int mix(int x) {
    x *= 0x9E3779B9;
    return x ^ (x >>> 16);
  }
}
