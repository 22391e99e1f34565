package org.kreplay.analyze;

/**
 * Readable names for the mangled symbols kernel stacks show for Rust and C++ code, without
 * parameter types, as syzkaller names the frames it blames: Rust v0 ({@code _RNvMs3_NtCs…_11rust_binder7processNtB5_7Process10update_ref}
 * → {@code <rust_binder::process::Process>::update_ref}), Rust legacy and Itanium C++
 * ({@code _ZN4core9panicking9panic_fmt17h…E} → {@code core::panicking::panic_fmt}, {@code _Z8fakeNameiii}
 * → {@code fakeName}). A name that is not mangled, or not understood, is returned as it is.
 */
final class Demangler {
  private Demangler() {}

  static String demangle(String s) {
    if (s == null || s.length() < 3 || s.charAt(0) != '_') return s;
    try {
      if (s.charAt(1) == 'R') {
        String r = new RustV0(s).symbol();
        return r == null ? s : r;
      }
      if (s.charAt(1) == 'Z') {
        String r = itanium(s);
        return r == null ? s : r;
      }
    } catch (RuntimeException e) {
      return s; // malformed: not a mangled name after all
    }
    return s;
  }

  // ---- Itanium (C++, Rust legacy): nested and plain source names; anything else is left alone

  private static String itanium(String s) {
    int[] at = {2};
    StringBuilder out = new StringBuilder();
    if (s.startsWith("N", 2)) {
      at[0]++;
      while (at[0] < s.length() && "rVK".indexOf(s.charAt(at[0])) >= 0) at[0]++;
      boolean first = true;
      while (at[0] < s.length() && s.charAt(at[0]) != 'E') {
        String part = sourceName(s, at);
        if (part == null) return null;
        boolean rustHash = part.length() == 17 && part.charAt(0) == 'h' && isHex(part, 1)
            && at[0] < s.length() && s.charAt(at[0]) == 'E';
        if (rustHash) continue;
        if (!first) out.append("::");
        out.append(part);
        first = false;
      }
      return first ? null : out.toString();
    }
    String name = sourceName(s, at);
    return name;
  }

  private static String sourceName(String s, int[] at) {
    int i = at[0];
    int n = 0;
    int start = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) n = n * 10 + (s.charAt(i++) - '0');
    if (i == start || n <= 0 || i + n > s.length()) return null;
    at[0] = i + n;
    return s.substring(i, i + n);
  }

  private static boolean isHex(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) return false;
    }
    return true;
  }

  // ---- Rust v0 (RFC 2603): paths, impls, generic arguments and the common types

  private static final class RustV0 {
    private final String s;
    /** Offsets of backrefs count from here (just after "_R"). */
    private final int base = 2;
    private int pos = 2;
    private int depth;

    RustV0(String s) {
      this.s = s;
    }

    String symbol() {
      while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++; // encoding version
      String p = path();
      return p;
    }

    private char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private char next() {
      if (pos >= s.length()) throw new IllegalArgumentException("end of symbol");
      return s.charAt(pos++);
    }

    private String path() {
      if (++depth > 64) throw new IllegalArgumentException("too deep");
      try {
        char c = next();
        switch (c) {
          case 'C': {
            Ident id = identifier();
            return id.name;
          }
          case 'M': {
            disambiguator();
            path(); // the impl's crate and module, not printed
            return "<" + type() + ">";
          }
          case 'X': {
            disambiguator();
            path();
            String t = type();
            return "<" + t + " as " + path() + ">";
          }
          case 'Y': {
            String t = type();
            return "<" + t + " as " + path() + ">";
          }
          case 'N': {
            char ns = next();
            String prefix = path();
            Ident id = identifier();
            if (Character.isUpperCase(ns)) {
              String kind = ns == 'C' ? "closure" : ns == 'S' ? "shim" : String.valueOf(ns);
              return prefix + "::{" + kind + (id.name.isEmpty() ? "" : ":" + id.name) + "#" + id.dis + "}";
            }
            return prefix + "::" + id.name;
          }
          case 'I': {
            String p = path();
            StringBuilder args = new StringBuilder();
            while (peek() != 'E') {
              if (args.length() > 0) args.append(", ");
              args.append(genericArg());
            }
            next();
            return p + "::<" + args + ">";
          }
          case 'B':
            return backref(this::path);
          default:
            throw new IllegalArgumentException("unknown path tag " + c);
        }
      } finally {
        depth--;
      }
    }

    private String genericArg() {
      if (peek() == 'L') {
        next();
        base62();
        return "'_";
      }
      if (peek() == 'K') {
        next();
        return constant();
      }
      return type();
    }

    private String constant() {
      if (peek() == 'B') {
        next();
        return backref(this::constant);
      }
      if (peek() == 'p') {
        next();
        return "_";
      }
      next(); // the const's type
      boolean neg = peek() == 'n';
      if (neg) next();
      StringBuilder hex = new StringBuilder();
      while (peek() != '_') hex.append(next());
      next();
      return (neg ? "-" : "") + (hex.length() == 0 ? "0" : Long.toString(Long.parseUnsignedLong(hex.toString(), 16)));
    }

    private static final String BASIC = "abcdefhijlmnostuvxyzp";
    private static final String[] BASIC_NAMES = {"i8", "bool", "char", "f64", "str", "f32", "u8", "isize", "usize",
        "i32", "u32", "i128", "u128", "i16", "u16", "()", "...", "i64", "u64", "!", "_"};

    private String type() {
      if (++depth > 64) throw new IllegalArgumentException("too deep");
      try {
        char c = peek();
        int basic = BASIC.indexOf(c);
        if (basic >= 0) {
          next();
          return BASIC_NAMES[basic];
        }
        switch (c) {
          case 'A': {
            next();
            String t = type();
            return "[" + t + "; " + constant() + "]";
          }
          case 'S':
            next();
            return "[" + type() + "]";
          case 'T': {
            next();
            StringBuilder b = new StringBuilder("(");
            int n = 0;
            while (peek() != 'E') {
              if (n++ > 0) b.append(", ");
              b.append(type());
            }
            next();
            return b.append(n == 1 ? ",)" : ")").toString();
          }
          case 'R':
          case 'Q': {
            next();
            if (peek() == 'L') {
              next();
              base62();
            }
            return (c == 'R' ? "&" : "&mut ") + type();
          }
          case 'P':
            next();
            return "*const " + type();
          case 'O':
            next();
            return "*mut " + type();
          case 'B':
            next();
            return backref(this::type);
          default:
            return path();
        }
      } finally {
        depth--;
      }
    }

    private interface Part {
      String read();
    }

    /** A "B<base-62>" backref, its "B" already read: the part at that offset, read again. */
    private String backref(Part part) {
      long at = base62();
      if (at >= pos - base) throw new IllegalArgumentException("forward backref");
      int saved = pos;
      pos = base + (int) at;
      try {
        return part.read();
      } finally {
        pos = saved;
      }
    }

    private record Ident(String name, long dis) {}

    private Ident identifier() {
      long dis = disambiguator();
      boolean puny = peek() == 'u';
      if (puny) next();
      int start = pos;
      long n = 0;
      while (Character.isDigit(peek())) n = n * 10 + (next() - '0');
      if (pos == start) throw new IllegalArgumentException("identifier length");
      if (peek() == '_') next();
      if (pos + n > s.length()) throw new IllegalArgumentException("identifier past the end");
      String name = s.substring(pos, pos + (int) n);
      pos += (int) n;
      return new Ident(puny ? "punycode{" + name + "}" : name, dis);
    }

    private long disambiguator() {
      if (peek() != 's') return 0;
      next();
      return base62() + 1;
    }

    private long base62() {
      if (peek() == '_') {
        next();
        return 0;
      }
      long v = 0;
      while (peek() != '_') {
        char c = next();
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'a' && c <= 'z') d = 10 + c - 'a';
        else if (c >= 'A' && c <= 'Z') d = 36 + c - 'A';
        else throw new IllegalArgumentException("base-62 digit " + c);
        v = v * 62 + d;
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException("base-62 overflow");
      }
      next();
      return v + 1;
    }
  }
}
