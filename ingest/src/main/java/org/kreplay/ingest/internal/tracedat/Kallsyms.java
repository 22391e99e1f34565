package org.kreplay.ingest.internal.tracedat;

import java.nio.charset.StandardCharsets;
import org.kreplay.ingest.internal.Symbols;

/**
 * The {@code /proc/kallsyms} copy in a trace.dat, for {@code %ps}/{@code %pS} fields and stack
 * frames. Names stay in the file's bytes until looked up, then are interned. Lookup follows
 * libtraceevent: an address resolves to the symbol at or below it, except past the last symbol;
 * {@code $}-symbols and absolute ({@code A}/{@code a}) symbols are left out.
 */
final class Kallsyms {
  static final Kallsyms EMPTY = new Kallsyms(new byte[0], new long[0], new int[0], new Symbols());

  private final byte[] text;
  /** Sorted (unsigned) symbol addresses. */
  private final long[] addrs;
  /** Name start in {@link #text} for each address; the name ends at the next space, tab or newline. */
  private final int[] names;
  private final Symbols symbols;
  private final String[] cache;

  private Kallsyms(byte[] text, long[] addrs, int[] names, Symbols symbols) {
    this.text = text;
    this.addrs = addrs;
    this.names = names;
    this.symbols = symbols;
    this.cache = new String[addrs.length];
  }

  int size() {
    return addrs.length;
  }

  /** Parses the text; lines it cannot read are left out, as libtraceevent stops at them. */
  static Kallsyms parse(byte[] text, Symbols symbols) {
    int n = 0;
    for (byte c : text) {
      if (c == '\n') n++;
    }
    long[] addrs = new long[n + 1];
    int[] names = new int[n + 1];
    int count = 0;
    int i = 0;
    int len = text.length;
    while (i < len) {
      int lineEnd = i;
      while (lineEnd < len && text[lineEnd] != '\n') lineEnd++;
      // "%16llx %c %s[\t[mod]]"
      long addr = 0;
      int j = i;
      int digits = 0;
      while (j < lineEnd && digits < 16) {
        int d = hex(text[j]);
        if (d < 0) break;
        addr = (addr << 4) | d;
        j++;
        digits++;
      }
      if (digits == 0 || j + 3 > lineEnd || text[j] != ' ' || text[j + 2] != ' ') break;
      byte type = text[j + 1];
      int name = j + 3;
      if (name < lineEnd && text[name] != '$' && type != 'A' && type != 'a' && !isEnd(text[name])) {
        addrs[count] = addr;
        names[count] = name;
        count++;
      }
      i = lineEnd + 1;
    }
    sortByAddress(addrs, names, count);
    return new Kallsyms(text, java.util.Arrays.copyOf(addrs, count), java.util.Arrays.copyOf(names, count), symbols);
  }

  private static boolean isEnd(byte c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Recent lookups: a trace names the same few functions again and again.
  private static final int CACHED = 1024;
  private final long[] cachedAddr = new long[CACHED];
  private final int[] cachedIndex = new int[CACHED];

  /** Index of the symbol holding {@code addr}, or -1. */
  int find(long addr) {
    int slot = (int) ((addr * 0x9E3779B97F4A7C15L) >>> 54);
    int c = cachedIndex[slot];
    if (c != 0 && cachedAddr[slot] == addr) return c - 1;
    int i = search(addr);
    cachedAddr[slot] = addr;
    cachedIndex[slot] = i + 1;
    return i;
  }

  private int search(long addr) {
    int lo = 0;
    int hi = addrs.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(addrs[mid], addr) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return -1;
    // Past the last symbol only an exact match counts (libtraceevent's sentinel).
    if (found == addrs.length - 1 && addrs[found] != addr) return -1;
    return found;
  }

  long address(int index) {
    return addrs[index];
  }

  String name(int index) {
    String s = cache[index];
    if (s == null) {
      int start = names[index];
      int end = start;
      while (end < text.length && !isEnd(text[end])) end++;
      s = symbols.intern(text, start, end - start);
      cache[index] = s;
    }
    return s;
  }

  /** The function name for {@code addr}, or null. */
  String function(long addr) {
    int i = find(addr);
    return i < 0 ? null : name(i);
  }

  /** Start address of the symbol named {@code name}, or null; for tests and aliases. */
  Long addressOf(String name) {
    byte[] want = name.getBytes(StandardCharsets.UTF_8);
    for (int k = 0; k < names.length; k++) {
      int s = names[k];
      int e = s;
      while (e < text.length && !isEnd(text[e])) e++;
      if (e - s == want.length && java.util.Arrays.equals(text, s, e, want, 0, want.length)) return addrs[k];
    }
    return null;
  }

  /** Stable merge sort of the parallel arrays by unsigned address; kallsyms is mostly sorted already. */
  private static void sortByAddress(long[] a, int[] b, int n) {
    boolean sorted = true;
    for (int i = 1; i < n && sorted; i++) sorted = Long.compareUnsigned(a[i - 1], a[i]) <= 0;
    if (sorted) return;
    long[] ta = new long[n];
    int[] tb = new int[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          if (Long.compareUnsigned(a[i], a[j]) <= 0) {
            ta[k] = a[i];
            tb[k++] = b[i++];
          } else {
            ta[k] = a[j];
            tb[k++] = b[j++];
          }
        }
        while (i < mid) {
          ta[k] = a[i];
          tb[k++] = b[i++];
        }
        while (j < hi) {
          ta[k] = a[j];
          tb[k++] = b[j++];
        }
      }
      System.arraycopy(ta, 0, a, 0, n);
      System.arraycopy(tb, 0, b, 0, n);
    }
  }
}
