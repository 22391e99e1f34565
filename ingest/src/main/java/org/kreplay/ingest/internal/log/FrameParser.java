package org.kreplay.ingest.internal.log;

import java.nio.charset.StandardCharsets;
import org.kreplay.ingest.internal.Bytes;
import org.kreplay.ingest.internal.Symbols;

/**
 * Parses one call-trace line. Forms: x86 {@code  func+0x1a/0x30 [module]}, {@code ? func+...},
 * {@code [<ffffffff8109a2b1>] func+0x../0x..}, arm64 {@code  func+0x14/0x1c (C)} and bare {@code  func},
 * symbolized {@code func+0x1/0x2 file.c:12 [inline]} and {@code func (file.c:12)}, address-only
 * {@code [<00002b2d76ab98a9>]} / {@code 0x8e83a6dc}, ARM's {@code callee from caller+0x10/0x14} and
 * {@code [<c0013b28>] (unwind_backtrace+0x0/0xf8) from [<c00118d8>] (show_stack+0x10/0x14)}; a leading
 * section marker ({@code <IRQ>}, {@code <EOI>}, ...) is split off first. The result fields are reused.
 */
final class FrameParser {
  /** Section markers. */
  static final int NO_MARKER = 0;
  static final int OPEN_IRQ = 1;
  static final int CLOSE_IRQ = 2;
  static final int EOI = 3;
  static final int OPEN_NMI = 4;
  static final int CLOSE_NMI = 5;
  static final int OPEN_TASK = 6;
  static final int CLOSE_TASK = 7;
  static final int OPEN_SOFTIRQ = 8;
  static final int CLOSE_SOFTIRQ = 9;
  /** {@code <#DF>}, {@code <#MC>}, {@code <ENTRY_TRAMPOLINE>}...: an exception stack we do not map. */
  static final int OPEN_OTHER = 10;
  static final int CLOSE_OTHER = 11;

  private final Symbols symbols;

  // ---- result of the last parse
  int marker;
  /** Where the text after a marker starts (== end for a marker alone). */
  int afterMarker;
  boolean frame;
  /** An offset, an address or a symbolizer location makes it a frame anywhere; a bare name only in a trace. */
  boolean strong;
  /** Frame-shaped but unreadable; {@link #reason} says why. */
  boolean malformed;
  String reason;
  String function;
  long offset;
  long size;
  String module;
  boolean unreliable;
  /** ARM's "callee from caller+off/size": the caller part. */
  String fromFunction;
  long fromOffset;
  long fromSize;

  FrameParser(Symbols symbols) {
    this.symbols = symbols;
  }

  /** Splits a leading section marker off [s, e); sets {@link #marker} and {@link #afterMarker}. */
  void marker(byte[] b, int s, int e) {
    marker = NO_MARKER;
    afterMarker = s;
    if (s >= e || b[s] != '<') return;
    if (Bytes.startsWith(b, s, e, "<<EOE>>")) {
      marker = CLOSE_NMI;
      afterMarker = PrefixParser.skipBlanks(b, s + 7, e);
      return;
    }
    int i = s + 1;
    boolean close = i < e && b[i] == '/';
    if (close) i++;
    int n = i;
    while (n < e && n - i < 24 && (isUpper(b[n]) || b[n] == '#' || b[n] == '_' || Bytes.isDigit(b[n]))) n++;
    if (n == i || n >= e || b[n] != '>') return;
    int len = n - i;
    int m;
    if (len == 3 && b[i] == 'I' && b[i + 1] == 'R' && b[i + 2] == 'Q') m = close ? CLOSE_IRQ : OPEN_IRQ;
    else if (len == 3 && b[i] == 'E' && b[i + 1] == 'O' && b[i + 2] == 'I') m = EOI;
    else if (len == 3 && b[i] == 'N' && b[i + 1] == 'M' && b[i + 2] == 'I') m = close ? CLOSE_NMI : OPEN_NMI;
    else if (len == 4 && Bytes.startsWith(b, i, n, "TASK")) m = close ? CLOSE_TASK : OPEN_TASK;
    else if (len == 7 && Bytes.startsWith(b, i, n, "SOFTIRQ")) m = close ? CLOSE_SOFTIRQ : OPEN_SOFTIRQ;
    else m = close ? CLOSE_OTHER : OPEN_OTHER;
    marker = m;
    afterMarker = PrefixParser.skipBlanks(b, n + 1, e);
  }

  /** Parses [s, e) (leading blanks skipped) as a frame; see the fields. */
  void parse(byte[] b, int s, int e) {
    frame = false;
    strong = false;
    malformed = false;
    reason = null;
    function = null;
    offset = -1;
    size = -1;
    module = null;
    unreliable = false;
    fromFunction = null;
    fromOffset = -1;
    fromSize = -1;
    while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) e--;
    int p = s;
    int addrStart = -1;
    int addrEnd = -1;
    while (p + 1 < e && b[p] == '[' && b[p + 1] == '<') {
      int close = Bytes.indexOf(b, p + 2, Math.min(e, p + 24), ">]");
      if (close < 0 || !allHex(b, p + 2, close)) {
        fail("malformed frame address");
        return;
      }
      if (addrStart < 0) {
        addrStart = p + 2;
        addrEnd = close;
      }
      p = PrefixParser.skipBlanks(b, close + 2, e);
    }
    if (p < e && b[p] == '?' && (p + 1 == e || b[p + 1] == ' ')) {
      unreliable = true;
      p = PrefixParser.skipBlanks(b, p + 1, e);
    }
    if (p >= e) {
      if (addrStart < 0) return;
      function = symbols.intern(hexName(b, addrStart, addrEnd));
      frame = strong = true;
      return;
    }
    if (b[p] == '(' && addrStart >= 0) {
      // old ARM: "[<c0013b28>] (unwind_backtrace+0x0/0xf8) from [<c00118d8>] (show_stack+0x10/0x14)"
      int close = Bytes.indexOf(b, p, e, (byte) ')');
      if (close < 0) {
        fail("malformed stack frame");
        return;
      }
      if (!symbol(b, p + 1, close)) return;
      frame = strong = true;
      return;
    }
    int t = p;
    while (t < e && isSymbolChar(b[t])) t++;
    if (t == p) return;
    boolean address = t - p > 2 && b[p] == '0' && b[p + 1] == 'x' && allHex(b, p + 2, t);
    if (Bytes.isDigit(b[p]) && !address) return;
    if (!address && t - p >= 8 && allHex(b, p, t)) return; // a lock instance or a stack word, not a symbol
    int rest = t;
    if (t < e && b[t] == '+') {
      if (!offsetAndSize(b, t + 1, e)) return;
      rest = restAfterOffset;
      strong = true;
    } else {
      strong = addrStart >= 0 || address;
    }
    if (!strong && t < e && b[t] != ' ' && b[t] != '\t') return; // "lock(&x);", "include/linux/x.h:5 ...": not frames
    function = symbols.intern(b, p, t - p);
    int r = PrefixParser.skipBlanks(b, rest, e);
    if (r < e && b[r] == '[') {
      int close = Bytes.indexOf(b, r, e, (byte) ']');
      if (close > r + 1 && !Bytes.startsWith(b, r, close, "[inline")) {
        int sp = r + 1;
        while (sp < close && b[sp] != ' ') sp++;
        module = symbols.intern(b, r + 1, sp - r - 1);
      }
      strong |= close > 0 && Bytes.startsWith(b, r, e, "[inline]");
    } else if (Bytes.startsWith(b, r, e, "from ")) {
      // new ARM unwinder: "callee from caller+0x10/0x14"
      int c = PrefixParser.skipBlanks(b, r + 5, e);
      int ct = c;
      while (ct < e && isSymbolChar(b[ct])) ct++;
      if (ct == c) {
        fail("malformed stack frame");
        return;
      }
      fromFunction = symbols.intern(b, c, ct - c);
      if (ct < e && b[ct] == '+') {
        long o = offset;
        long z = size;
        if (!offsetAndSize(b, ct + 1, e)) return;
        fromOffset = offset;
        fromSize = size;
        offset = o;
        size = z;
      }
      strong = true;
    } else if (r < e && b[r] == '(') {
      // decoded "func (file.c:12)", arm64's "(C)" / "(P)" markers, old "(12)" stack sizes
      strong |= Bytes.indexOf(b, r, e, (byte) ':') > 0 || (e - r == 3 && isUpper(b[r + 1]));
    } else if (r < e) {
      // syzbot: "func file.c:12 [inline]"; anything else after a bare word is prose, not a frame
      int te = r;
      while (te < e && b[te] != ' ') te++;
      boolean location = isLocation(b, r, te);
      if (!location && !strong) return;
      strong |= location;
    }
    frame = true;
  }

  private int restAfterOffset;

  /** "0x1a/0x30" (or "0x1a" alone) at i; sets offset, size and restAfterOffset. */
  private boolean offsetAndSize(byte[] b, int i, int e) {
    if (!(i + 1 < e && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X'))) {
      fail("malformed frame offset");
      return false;
    }
    int h = i + 2;
    int he = hexEnd(b, h, e);
    if (he == h || he - h > 16) {
      fail("malformed frame offset");
      return false;
    }
    offset = Bytes.parseHex(b, h, he);
    size = -1;
    int k = he;
    if (k < e && b[k] == '/') {
      if (!(k + 2 < e && b[k + 1] == '0' && (b[k + 2] == 'x' || b[k + 2] == 'X'))) {
        fail("malformed frame offset");
        return false;
      }
      int z = k + 3;
      int ze = hexEnd(b, z, e);
      if (ze == z || ze - z > 16) {
        fail("malformed frame offset");
        return false;
      }
      size = Bytes.parseHex(b, z, ze);
      k = ze;
    }
    if (k < e && b[k] != ' ' && b[k] != ')' && b[k] != ']') {
      fail("malformed frame offset");
      return false;
    }
    restAfterOffset = k;
    return true;
  }

  /** "name+0x0/0xf8" inside parentheses (old ARM). */
  private boolean symbol(byte[] b, int s, int e) {
    int t = s;
    while (t < e && isSymbolChar(b[t])) t++;
    if (t == s) {
      fail("malformed stack frame");
      return false;
    }
    function = symbols.intern(b, s, t - s);
    return t >= e || b[t] != '+' || offsetAndSize(b, t + 1, e);
  }

  private void fail(String why) {
    frame = false;
    malformed = true;
    reason = why;
  }

  private String hexName(byte[] b, int s, int e) {
    return "0x" + new String(b, s, e - s, StandardCharsets.US_ASCII);
  }

  static boolean isSymbolChar(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$';
  }

  private static boolean isUpper(byte c) {
    return c >= 'A' && c <= 'Z';
  }

  private static int hexEnd(byte[] b, int i, int e) {
    while (i < e && Bytes.hexValue(b[i]) >= 0) i++;
    return i;
  }

  private static boolean allHex(byte[] b, int s, int e) {
    if (e <= s) return false;
    for (int i = s; i < e; i++) {
      if (Bytes.hexValue(b[i]) < 0) return false;
    }
    return true;
  }

  /** "dir/file.c:123" (or "entry_64.S:255"): a dot before a colon that ends in digits. */
  static boolean isLocation(byte[] b, int s, int e) {
    int colon = -1;
    for (int i = e - 1; i > s; i--) {
      if (b[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon < 0 || colon + 1 >= e) return false;
    for (int i = colon + 1; i < e; i++) {
      if (!Bytes.isDigit(b[i])) return false;
    }
    for (int i = s; i < colon; i++) {
      if (b[i] == '.') return true;
    }
    return false;
  }
}
