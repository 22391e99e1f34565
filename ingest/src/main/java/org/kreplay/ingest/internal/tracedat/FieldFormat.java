package org.kreplay.ingest.internal.tracedat;

/**
 * One field of an event format file: {@code field:<C declaration>; offset:N; size:N; signed:N;},
 * plus how the event's {@code print fmt} shows it when it prints the field as such.
 */
final class FieldFormat {
  /** How the print format renders a field it names directly ({@code REC->field}). */
  enum Hint {
    /** Not printed as a plain field: shown by its type (pointers hex, integers decimal). */
    NONE,
    /** {@code %ps}/{@code %pf}: function name. */
    SYMBOL,
    /** {@code %pS}/{@code %pF}: function name + offset. */
    SYMBOL_OFFSET,
    /** {@code %p} and other pointer conversions. */
    POINTER,
    /** {@code %x}, {@code %lx}, … */
    HEX,
    /** {@code %d}, {@code %u}, … */
    DECIMAL,
    /** {@code %s} of a field that holds a pointer to a kernel string (resolved via printk formats). */
    STRING,
    /** {@code %c}. */
    CHAR
  }

  final String name;
  final String type;
  final int offset;
  final int size;
  final boolean signed;
  /** {@code type name[N]} or {@code __data_loc type[] name}. */
  final boolean array;
  /** Elements of a fixed array, 0 for a flexible ({@code []}) or dynamic one. */
  final int arrayLength;
  /** {@code __data_loc}: a u32 with offset (low 16 bits) and length (high 16 bits) from the record start. */
  final boolean dataLoc;
  /** {@code __rel_loc}: like __data_loc, the offset counted from the end of this field. */
  final boolean relLoc;
  /** The type contains {@code *}. */
  final boolean pointer;
  /** An array of {@code char}/{@code u8}: printed as a C string. */
  final boolean string;
  /** Bytes per array element (the field size for scalars). */
  final int elementSize;
  Hint hint = Hint.NONE;
  /** The typed decoding reads this field as an address: rendered in hex whatever its type. */
  boolean address;
  /** {@code name=} as bytes, for rendering. */
  final byte[] key;

  FieldFormat(String name, String type, int offset, int size, boolean signed, boolean array, int arrayLength,
      boolean dataLoc, boolean relLoc, int longSize) {
    this.name = name;
    this.key = (name + "=").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    this.type = type;
    this.offset = offset;
    this.size = size;
    this.signed = signed;
    this.array = array || dataLoc || relLoc;
    this.arrayLength = arrayLength;
    this.dataLoc = dataLoc;
    this.relLoc = relLoc;
    this.pointer = type.indexOf('*') >= 0;
    this.string = this.array && (type.contains("char") || type.contains("u8"));
    if (this.array) {
      this.elementSize = arrayLength > 0 && size > 0 ? Math.max(1, size / arrayLength) : elementSizeOf(type, longSize);
    } else {
      this.elementSize = size;
    }
  }

  /** A dynamic array: its bytes are found through a u32 location word. */
  boolean dynamic() {
    return dataLoc || relLoc;
  }

  private static int elementSizeOf(String type, int longSize) {
    String t = type.replace("__data_loc", "").replace("__rel_loc", "").replace("[]", "").strip();
    if (t.indexOf('*') >= 0) return longSize;
    if (t.contains("char") || t.contains("u8") || t.contains("s8") || t.equals("bool")) return 1;
    if (t.contains("short") || t.contains("16")) return 2;
    if (t.contains("long long") || t.contains("64")) return 8;
    if (t.contains("long")) return longSize;
    return 4;
  }

  @Override
  public String toString() {
    return type + " " + name + " @" + offset + "+" + size;
  }
}
