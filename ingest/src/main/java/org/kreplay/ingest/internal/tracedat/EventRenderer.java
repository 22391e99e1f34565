package org.kreplay.ingest.internal.tracedat;

import org.kreplay.ingest.EventKind;

/**
 * Renders the payload of a ring-buffer record as event body text, from the event's format: every
 * field as {@code name=value} in format order (as {@code trace-cmd report -R} does, with the print
 * format deciding where a field is a symbol or a pointer), and the kernel's own text shape for the
 * few events whose text {@link org.kreplay.ingest.internal.BodyDecoder} expects in another shape
 * (lockdep, preemptirq, RCU callbacks, function entries, printk buffers). The same decoder then
 * fills the typed fields, so a trace.dat and its text give the analysis the same events, and the
 * canonical formats (which keep the body) read back to the same events.
 */
final class EventRenderer {
  /** How an event's body is rendered. */
  enum Shape {
    GENERIC, LOCKDEP_ACQUIRE, LOCKDEP, PREEMPTIRQ, RCU, RCU_KVFREE, FUNCTION, PRINT, BPRINT, BPUTS,
    KERNEL_STACK, USER_STACK
  }

  /** Thrown for a record whose content contradicts its format (a location outside the record). */
  static final class BadRecord extends Exception {
    private static final long serialVersionUID = 1L;

    BadRecord(String message) {
      super(message, null, false, false);
    }
  }

  private final DatFile file;
  private final Endian endian;
  private final int longSize;
  private final Kallsyms kallsyms;
  private final PrintkFormats printk;
  private final long stext;
  private final Printf printf;

  EventRenderer(DatFile file) {
    this.file = file;
    this.endian = file.endian;
    this.longSize = file.kernelLongSize();
    this.kallsyms = file.kallsyms;
    this.printk = file.printk;
    Long s = kallsyms.size() > 0 ? kallsyms.addressOf("_stext") : null;
    this.stext = s == null ? 0 : s;
    this.printf = new Printf(endian, longSize, kallsyms);
  }

  /** Chooses the shape for an event type once; falls back to GENERIC when expected fields are missing. */
  Shape shapeOf(EventFormat f) {
    if (f.system.equals("ftrace")) {
      switch (f.name) {
        case "function": return has(f, "ip", "parent_ip") ? Shape.FUNCTION : Shape.GENERIC;
        case "print": return has(f, "ip", "buf") ? Shape.PRINT : Shape.GENERIC;
        case "bprint": return has(f, "ip", "fmt", "buf") ? Shape.BPRINT : Shape.GENERIC;
        case "bputs": return has(f, "ip", "str") ? Shape.BPUTS : Shape.GENERIC;
        case "kernel_stack": return has(f, "caller") ? Shape.KERNEL_STACK : Shape.GENERIC;
        case "user_stack": return has(f, "caller") ? Shape.USER_STACK : Shape.GENERIC;
        default: return Shape.GENERIC;
      }
    }
    EventKind k = f.kind;
    switch (k) {
      case LOCK_ACQUIRE:
        return has(f, "flags", "name", "lockdep_addr") ? Shape.LOCKDEP_ACQUIRE : Shape.GENERIC;
      case LOCK_RELEASE:
      case LOCK_CONTENDED:
      case LOCK_ACQUIRED:
        return has(f, "name", "lockdep_addr") ? Shape.LOCKDEP : Shape.GENERIC;
      case IRQ_DISABLE:
      case IRQ_ENABLE:
      case PREEMPT_DISABLE:
      case PREEMPT_ENABLE:
        return stext != 0 && has(f, "caller_offs", "parent_offs") ? Shape.PREEMPTIRQ : Shape.GENERIC;
      case RCU_CALLBACK:
      case RCU_INVOKE_CALLBACK:
        return has(f, "rcuname", "rhp", "func") ? Shape.RCU : Shape.GENERIC;
      case RCU_KVFREE_CALLBACK:
      case RCU_INVOKE_KVFREE_CALLBACK:
        return has(f, "rcuname", "rhp", "offset") ? Shape.RCU_KVFREE : Shape.GENERIC;
      default:
        return Shape.GENERIC;
    }
  }

  private static boolean has(EventFormat f, String... names) {
    for (String n : names) {
      if (f.field(n) == null) return false;
    }
    return true;
  }

  /** Renders the body of the record {@code b[off, off+len)} of event {@code f} into {@code out}. */
  void render(EventFormat f, byte[] b, int off, int len, TextOut out) throws BadRecord {
    out.reset();
    switch (f.shape) {
      case LOCKDEP_ACQUIRE: {
        // "%p %s%s%s": address, "try ", "read ", lock name
        out.hex(pointer(f.field("lockdep_addr"), b, off)).put(' ');
        long flags = value(f.field("flags"), b, off);
        if ((flags & 1) != 0) out.put("try ");
        if ((flags & 2) != 0) out.put("read ");
        string(f.field("name"), b, off, len, out);
        return;
      }
      case LOCKDEP:
        out.hex(pointer(f.field("lockdep_addr"), b, off)).put(' ');
        string(f.field("name"), b, off, len, out);
        return;
      case PREEMPTIRQ:
        // caller=%pS parent=%pS of _stext + offset
        out.put("caller=");
        symbolOffset(stext + value(f.field("caller_offs"), b, off), out);
        out.put(" parent=");
        symbolOffset(stext + value(f.field("parent_offs"), b, off), out);
        return;
      case RCU:
      case RCU_KVFREE: {
        // "%s rhp=%p func=%ps %ld" (older kernels "%ld/%ld"; kvfree: func=%ld, the offset)
        stringPointer(value(f.field("rcuname"), b, off), out);
        out.put(" rhp=").hex(pointer(f.field("rhp"), b, off));
        out.put(" func=");
        if (f.shape == Shape.RCU) symbol(pointer(f.field("func"), b, off), out);
        else out.decimal(value(f.field("offset"), b, off));
        char sep = ' ';
        for (FieldFormat x : f.fields) {
          String n = x.name;
          if (n.equals("rcuname") || n.equals("rhp") || n.equals("func") || n.equals("offset")) continue;
          out.put(sep);
          value(x, b, off, len, out);
          sep = '/';
        }
        return;
      }
      case FUNCTION:
        symbol(pointer(f.field("ip"), b, off), out);
        out.put(" <-");
        symbol(pointer(f.field("parent_ip"), b, off), out);
        return;
      case PRINT: {
        symbol(pointer(f.field("ip"), b, off), out);
        out.put(": ");
        int start = out.len;
        string(f.field("buf"), b, off, len, out);
        trimNewline(out, start);
        return;
      }
      case BPUTS: {
        symbol(pointer(f.field("ip"), b, off), out);
        out.put(": ");
        int start = out.len;
        stringPointer(value(f.field("str"), b, off), out);
        trimNewline(out, start);
        return;
      }
      case BPRINT: {
        symbol(pointer(f.field("ip"), b, off), out);
        out.put(": ");
        long fmtAddr = value(f.field("fmt"), b, off);
        String fmt = printk.get(fmtAddr);
        int start = out.len;
        if (fmt == null) {
          out.put("(NO FORMAT FOUND at ").hexDigits(fmtAddr).put(')');
        } else {
          FieldFormat buf = f.field("buf");
          printf.format(fmt, b, off, off + buf.offset, off + len, out);
        }
        trimNewline(out, start);
        return;
      }
      case KERNEL_STACK:
        out.put("<stack trace>");
        return;
      case USER_STACK:
        out.put("<user stack trace>");
        return;
      default:
        for (int i = 0; i < f.fields.length; i++) {
          if (i > 0) out.put(' ');
          field(f.fields[i], b, off, len, out);
        }
    }
  }

  private static void trimNewline(TextOut out, int start) {
    while (out.len > start && (out.buf[out.len - 1] == '\n' || out.buf[out.len - 1] == 0)) out.len--;
  }

  /** {@code name=value}. */
  void field(FieldFormat x, byte[] b, int off, int len, TextOut out) throws BadRecord {
    out.put(x.key, 0, x.key.length);
    value(x, b, off, len, out);
  }

  /** A field's value as text. */
  void value(FieldFormat x, byte[] b, int off, int len, TextOut out) throws BadRecord {
    if (x.array) {
      int start;
      int n;
      if (x.dynamic()) {
        long loc = endian.u32(b, off + x.offset);
        start = (int) (loc & 0xffff);
        n = (int) (loc >>> 16);
        if (x.relLoc) start += x.offset + x.size;
        if (start + n > len) throw new BadRecord("field " + x.name + " points outside the record");
      } else {
        start = x.offset;
        // A flexible array runs to the record's end; a fixed one may be cut short by it.
        n = x.size == 0 ? len - x.offset : Math.min(x.size, len - x.offset);
      }
      if (x.string && printable(b, off + start, n)) {
        int e = off + start;
        int end = e + Math.min(n, MAX_TEXT);
        while (e < end && b[e] != 0) e++;
        out.put(b, off + start, e - off - start);
      } else {
        array(b, off + start, n, out);
      }
      return;
    }
    if (x.size != 1 && x.size != 2 && x.size != 4 && x.size != 8) {
      array(b, off + x.offset, x.size, out);
      return;
    }
    long v = x.signed ? endian.signed(b, off + x.offset, x.size) : endian.unsigned(b, off + x.offset, x.size);
    if (x.address) {
      out.hex(x.size == 8 ? v : v & ((1L << (x.size * 8)) - 1));
      return;
    }
    switch (x.hint) {
      case SYMBOL:
        symbol(v, out);
        return;
      case SYMBOL_OFFSET:
        symbolOffset(v, out);
        return;
      case HEX:
        out.hex(x.size == 8 ? v : v & ((1L << (x.size * 8)) - 1));
        return;
      case STRING:
        if (x.pointer || x.size == longSize) {
          stringPointer(v, out);
          return;
        }
        break;
      case CHAR:
        out.put((char) (v & 0xff));
        return;
      case POINTER:
        pointerText(v, out);
        return;
      default:
        break;
    }
    if (x.pointer) {
      pointerText(v, out);
    } else if (x.signed) {
      out.decimal(v);
    } else {
      out.unsignedDecimal(v);
    }
  }

  /** Bodies stay bounded however large a record's arrays and strings are. */
  static final int MAX_TEXT = 1 << 16;
  static final int MAX_ARRAY = 1024;

  /** {@code ARRAY[xx, yy, …]} as {@code report -R} shows binary data; long arrays end in "...". */
  private static void array(byte[] b, int start, int n, TextOut out) {
    out.put("ARRAY[");
    int shown = Math.min(n, MAX_ARRAY);
    for (int i = 0; i < shown; i++) {
      if (i > 0) out.put(", ");
      out.hexByte(b[start + i]);
    }
    if (shown < n) out.put(", ...");
    out.put(']');
  }

  /** libtraceevent's test: every byte up to the first NUL is printable or space. */
  private static boolean printable(byte[] b, int start, int n) {
    for (int i = start; i < start + n; i++) {
      int c = b[i] & 0xff;
      if (c == 0) return true;
      if (!(c >= 0x20 && c < 0x7f) && !(c >= 9 && c <= 13)) return false;
    }
    return true;
  }

  /** A string field's text (char arrays, __data_loc strings). */
  private void string(FieldFormat x, byte[] b, int off, int len, TextOut out) throws BadRecord {
    value(x, b, off, len, out);
  }

  long value(FieldFormat x, byte[] b, int off) {
    return x.signed ? endian.signed(b, off + x.offset, x.size) : endian.unsigned(b, off + x.offset, x.size);
  }

  long pointer(FieldFormat x, byte[] b, int off) {
    long v = endian.unsigned(b, off + x.offset, x.size);
    return x.size == 4 ? v & 0xffff_ffffL : v;
  }

  /** glibc's {@code %p}: "(nil)" for 0. */
  private static void pointerText(long v, TextOut out) {
    if (v == 0) out.put("(nil)");
    else out.hex(v);
  }

  /** {@code %ps}: the function name, or the address in hex. */
  void symbol(long addr, TextOut out) {
    String s = kallsyms.function(addr);
    if (s != null) out.put(s);
    else out.hex(addr);
  }

  /** {@code %pS}: name+0xoffset, or the address in hex. */
  void symbolOffset(long addr, TextOut out) {
    int i = kallsyms.find(addr);
    if (i < 0) {
      out.hex(addr);
      return;
    }
    out.put(kallsyms.name(i)).put('+').hex(addr - kallsyms.address(i));
  }

  /** A {@code const char *} into the kernel, via the printk formats table; the address if unknown. */
  private void stringPointer(long addr, TextOut out) {
    String s = printk.get(addr);
    if (s != null) out.put(s);
    else out.hex(addr);
  }

  Kallsyms kallsyms() {
    return kallsyms;
  }

  /** The frames of a kernel_stack record (up to the first -1 or the record's end), into {@code frames}. */
  int stackFrames(EventFormat f, byte[] b, int off, int len, long[] frames) {
    FieldFormat caller = f.field("caller");
    FieldFormat size = f.field("size");
    int max = frames.length;
    if (size != null && !size.array) max = (int) Math.max(0, Math.min(max, value(size, b, off)));
    int n = 0;
    int ls = longSize;
    for (int p = caller.offset; p + ls <= len && n < max; p += ls) {
      long addr = ls == 8 ? endian.s64(b, off + p) : endian.u32(b, off + p);
      if ((ls == 8 && addr == -1L) || (int) addr == -1) break;
      frames[n++] = addr;
    }
    return n;
  }

  /** The frame name kreplay keeps for an address: the function, or the address in hex. */
  String frameName(long addr) {
    String s = kallsyms.function(addr);
    return s != null ? s : "0x" + Long.toHexString(addr);
  }
}
