package org.kreplay.ingest.internal.tracedat;

/**
 * Formats a {@code bprint} record: the printk format string (from the file's printk formats) with
 * the binary arguments the kernel packed into the record, laid out as libtraceevent reads them —
 * every number 4-byte aligned and as wide as its length modifier says (int 4, long and pointers
 * the kernel's long, long long 8), strings inline and NUL-terminated.
 */
final class Printf {
  private final Endian endian;
  private final int longSize;
  private final Kallsyms kallsyms;
  private final StringBuilder num = new StringBuilder(32);

  Printf(Endian endian, int longSize, Kallsyms kallsyms) {
    this.endian = endian;
    this.longSize = longSize;
    this.kallsyms = kallsyms;
  }

  /**
   * @param rec start of the record (alignment is counted from it)
   * @param p start of the argument buffer
   * @param end end of the record
   */
  void format(String fmt, byte[] b, int rec, int p, int end, TextOut out) {
    int n = fmt.length();
    for (int i = 0; i < n; i++) {
      char c = fmt.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char e = fmt.charAt(++i);
        switch (e) {
          case 'n': out.put('\n'); break;
          case 't': out.put('\t'); break;
          case 'r': out.put('\r'); break;
          default: out.put(e); break;
        }
        continue;
      }
      if (c != '%') {
        if (c < 0x80) out.put(c);
        else out.put(String.valueOf(c));
        continue;
      }
      if (i + 1 < n && fmt.charAt(i + 1) == '%') {
        out.put('%');
        i++;
        continue;
      }
      // %[flags][width][.prec][length]conv
      int j = i + 1;
      boolean left = false;
      boolean zero = false;
      boolean plus = false;
      boolean space = false;
      boolean alt = false;
      for (; j < n; j++) {
        char f = fmt.charAt(j);
        if (f == '-') left = true;
        else if (f == '0') zero = true;
        else if (f == '+') plus = true;
        else if (f == ' ') space = true;
        else if (f == '#') alt = true;
        else break;
      }
      int width = -1;
      if (j < n && fmt.charAt(j) == '*') {
        p = align(rec, p);
        width = p + 4 <= end ? endian.s32(b, p) : 0;
        p += 4;
        if (width < 0) {
          left = true;
          width = -width;
        }
        j++;
      } else {
        int w = 0;
        boolean any = false;
        while (j < n && Character.isDigit(fmt.charAt(j))) {
          w = Math.min(4096, w * 10 + fmt.charAt(j++) - '0');
          any = true;
        }
        if (any) width = w;
      }
      int prec = -1;
      if (j < n && fmt.charAt(j) == '.') {
        j++;
        if (j < n && fmt.charAt(j) == '*') {
          p = align(rec, p);
          prec = p + 4 <= end ? endian.s32(b, p) : 0;
          p += 4;
          j++;
        } else {
          int w = 0;
          while (j < n && Character.isDigit(fmt.charAt(j))) w = Math.min(4096, w * 10 + fmt.charAt(j++) - '0');
          prec = w;
        }
      }
      int ls = 0;
      while (j < n) {
        char l = fmt.charAt(j);
        if (l == 'l') ls++;
        else if (l == 'L' || l == 'q') ls = 2;
        else if (l == 'z' || l == 'Z' || l == 't' || l == 'j') ls = 1;
        else if (l != 'h') break;
        j++;
      }
      if (j >= n) break;
      char conv = fmt.charAt(j);
      i = j;
      num.setLength(0);
      switch (conv) {
        case 'd':
        case 'i':
        case 'u':
        case 'x':
        case 'X':
        case 'o':
        case 'c': {
          int size = conv == 'c' ? 4 : ls == 0 ? 4 : ls == 1 ? longSize : 8;
          p = align(rec, p);
          if (p + size > end) return;
          long v = size == 8 ? endian.s64(b, p) : size == 4 ? endian.s32(b, p) : endian.u16(b, p);
          p += size;
          if (conv == 'c') {
            num.append((char) (v & 0xff));
          } else if (conv == 'd' || conv == 'i') {
            if (size == 4) v = (int) v;
            if (v >= 0 && plus) num.append('+');
            else if (v >= 0 && space) num.append(' ');
            num.append(v);
          } else {
            if (size == 4) v &= 0xffff_ffffL;
            if (conv == 'u') {
              num.append(Long.toUnsignedString(v));
            } else if (conv == 'o') {
              if (alt && v != 0) num.append('0');
              num.append(Long.toOctalString(v));
            } else {
              if (alt && v != 0) num.append(conv == 'x' ? "0x" : "0X");
              String h = Long.toHexString(v);
              num.append(conv == 'X' ? h.toUpperCase(java.util.Locale.ROOT) : h);
            }
          }
          if (prec >= 0 && conv != 'c') {
            int digitsAt = num.length() > 0 && (num.charAt(0) == '-' || num.charAt(0) == '+' || num.charAt(0) == ' ') ? 1 : 0;
            while (num.length() - digitsAt < prec) num.insert(digitsAt, '0');
          }
          pad(out, width, left, zero && prec < 0 && !left);
          break;
        }
        case 'p': {
          int k = j + 1;
          char ext = k < n ? fmt.charAt(k) : 0;
          p = align(rec, p);
          if (p + longSize > end) return;
          long v = longSize == 8 ? endian.s64(b, p) : endian.u32(b, p);
          p += longSize;
          if (ext == 's' || ext == 'f') {
            String s = kallsyms.function(v);
            num.append(s != null ? s : "0x" + Long.toHexString(v));
            i = k;
          } else if (ext == 'S' || ext == 'F') {
            int idx = kallsyms.find(v);
            if (idx >= 0) num.append(kallsyms.name(idx)).append("+0x").append(Long.toHexString(v - kallsyms.address(idx)));
            else num.append("0x").append(Long.toHexString(v));
            i = k;
          } else {
            num.append(v == 0 ? "(nil)" : "0x" + Long.toHexString(v));
            if (Character.isLetterOrDigit(ext)) i = k; // %px and friends
          }
          pad(out, width, left, false);
          break;
        }
        case 's': {
          int e = p;
          while (e < end && b[e] != 0) e++;
          String s = new String(b, p, e - p, java.nio.charset.StandardCharsets.UTF_8);
          p = Math.min(end, e + 1);
          num.append(prec >= 0 && prec < s.length() ? s.substring(0, prec) : s);
          pad(out, width, left, false);
          break;
        }
        default:
          out.put('%').put(conv);
          break;
      }
    }
  }

  private static int align(int rec, int p) {
    return rec + ((p - rec + 3) & ~3);
  }

  private void pad(TextOut out, int width, boolean left, boolean zero) {
    int fill = width - num.length();
    if (fill > 0 && !left) {
      if (zero) {
        int at = num.length() > 0 && (num.charAt(0) == '-' || num.charAt(0) == '+') ? 1 : 0;
        for (int k = 0; k < fill; k++) num.insert(at, '0');
      } else {
        for (int k = 0; k < fill; k++) out.put(' ');
      }
    }
    out.put(num.toString());
    if (fill > 0 && left) {
      for (int k = 0; k < fill; k++) out.put(' ');
    }
  }
}
