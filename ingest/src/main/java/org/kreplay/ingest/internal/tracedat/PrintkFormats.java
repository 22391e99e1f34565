package org.kreplay.ingest.internal.tracedat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code printk_formats} copy: kernel addresses of constant strings, used by {@code bprint}
 * (its format), {@code bputs} and fields printed with {@code %s} that hold a string pointer.
 * Entries are stored as libtraceevent stores them: quotes and a trailing {@code \n} removed.
 */
final class PrintkFormats {
  static final PrintkFormats EMPTY = new PrintkFormats(new HashMap<>());

  private final Map<Long, String> byAddress;

  private PrintkFormats(Map<Long, String> byAddress) {
    this.byAddress = byAddress;
  }

  static PrintkFormats parse(byte[] text) {
    Map<Long, String> map = new HashMap<>();
    String s = new String(text, StandardCharsets.UTF_8);
    for (String line : s.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String addr = line.substring(0, colon).strip();
      if (addr.startsWith("0x") || addr.startsWith("0X")) addr = addr.substring(2);
      long a;
      try {
        a = Long.parseUnsignedLong(addr, 16);
      } catch (NumberFormatException e) {
        continue;
      }
      String fmt = line.substring(colon + 1);
      if (fmt.startsWith(" ")) fmt = fmt.substring(1);
      if (fmt.startsWith("\"")) fmt = fmt.substring(1);
      if (fmt.endsWith("\"")) fmt = fmt.substring(0, fmt.length() - 1);
      if (fmt.endsWith("\\n")) fmt = fmt.substring(0, fmt.length() - 2);
      map.put(a, fmt);
    }
    return new PrintkFormats(map);
  }

  String get(long address) {
    return byAddress.get(address);
  }

  int size() {
    return byAddress.size();
  }
}
