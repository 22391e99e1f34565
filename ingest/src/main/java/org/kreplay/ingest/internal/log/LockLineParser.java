package org.kreplay.ingest.internal.log;

import java.nio.charset.StandardCharsets;
import org.kreplay.ingest.internal.Bytes;
import org.kreplay.ingest.internal.Symbols;
import org.kreplay.ingest.log.LockLine;

/**
 * Parses lockdep's lock lines: {@code [#N:] [instance] (class){usage}[-{A:B}][, at: ip]}, chain headers
 * {@code -> #N (class){usage}-{A:B}:} and dependency-block heads {@code -> (class){usage}-{A:B} {}. Class
 * names may hold parentheses, spaces and "?:" ("((&ndev->rs_timer))", "dev->qdisc_tx_busylock ?:
 * &qdisc_tx_busylock"): the class ends at the first ")" followed by "{" and starts at its matching "(".
 */
final class LockLineParser {
  private final Symbols symbols;
  /** Why the last {@link #parse} returned null for a line that has a lock shape, or null. */
  String malformed;

  LockLineParser(Symbols symbols) {
    this.symbols = symbols;
  }

  /** Whether [s, e) has the "){" that every lock line has; cheap pre-check. */
  static boolean hasLockShape(byte[] b, int s, int e) {
    return Bytes.indexOf(b, s, e, "){") > 0;
  }

  /** The lock line in [s, e), or null (then {@link #malformed} tells whether it was a damaged one). */
  LockLine parse(byte[] b, int s, int e) {
    malformed = null;
    while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) e--;
    int usageOpen = Bytes.indexOf(b, s, e, "){");
    if (usageOpen < 0) return null;
    int classStart = -1;
    int depth = 0;
    for (int j = usageOpen; j >= s; j--) {
      if (b[j] == ')') depth++;
      else if (b[j] == '(' && --depth == 0) {
        classStart = j;
        break;
      }
    }
    if (classStart < 0) {
      malformed = "malformed lock line";
      return null;
    }
    int usageClose = Bytes.indexOf(b, usageOpen + 2, Math.min(e, usageOpen + 24), (byte) '}');
    if (usageClose < 0) {
      malformed = "malformed lock line";
      return null;
    }
    for (int u = usageOpen + 2; u < usageClose; u++) {
      byte c = b[u];
      if (c != '.' && c != '-' && c != '+' && c != '?') {
        malformed = "malformed lock usage";
        return null;
      }
    }
    int outer = -1;
    int inner = -1;
    int k = usageClose + 1;
    if (k + 1 < e && b[k] == '-' && b[k + 1] == '{') {
      int colon = Bytes.indexOf(b, k + 2, Math.min(e, k + 8), (byte) ':');
      int close = Bytes.indexOf(b, k + 2, Math.min(e, k + 10), (byte) '}');
      long a = colon < 0 ? Bytes.NONE : Bytes.parseExactDecimal(b, k + 2, colon);
      long z = colon < 0 || close < colon ? Bytes.NONE : Bytes.parseExactDecimal(b, colon + 1, close);
      if (a == Bytes.NONE || z == Bytes.NONE) {
        malformed = "malformed lock wait types";
        return null;
      }
      outer = (int) a;
      inner = (int) z;
      k = close + 1;
    }
    // before the class: "#N:", "-> #N", "->", and the instance
    int p = PrefixParser.skipBlanks(b, s, classStart);
    int index = -1;
    if (p + 1 < classStart && b[p] == '-' && b[p + 1] == '>') p = PrefixParser.skipBlanks(b, p + 2, classStart);
    if (p < classStart && b[p] == '#') {
      int d = p + 1;
      while (d < classStart && Bytes.isDigit(b[d])) d++;
      if (d > p + 1 && d - p < 8) {
        index = (int) Bytes.parseDecimal(b, p + 1, d);
        p = d < classStart && b[d] == ':' ? d + 1 : d;
      }
    }
    p = PrefixParser.skipBlanks(b, p, classStart);
    int ie = classStart;
    while (ie > p && b[ie - 1] == ' ') ie--;
    String instance = ie > p ? new String(b, p, ie - p, StandardCharsets.UTF_8) : null;
    String className = symbols.intern(b, classStart + 1, usageOpen - classStart - 1);
    String usage = symbols.intern(b, usageOpen + 2, usageClose - usageOpen - 2);
    String at = null;
    int atKey = Bytes.indexOf(b, k, e, ", at:");
    if (atKey >= 0) {
      int a = PrefixParser.skipBlanks(b, atKey + 5, e);
      at = a < e ? new String(b, a, e - a, StandardCharsets.UTF_8) : "";
    }
    return new LockLine(instance, className, usage, outer, inner, at, index);
  }
}
