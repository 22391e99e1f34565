package org.kreplay.ingest.log;

/**
 * A lock as lockdep prints it ({@code print_lock()}):
 * {@code <instance> (<class>[#ver][/subclass]){<usage>}-{<outer>:<inner>}, at: <ip>}.
 *
 * @param instance the lock's address as printed ("ffff88813b9c84d0", "(____ptrval____)"), or null when
 *     the line has none (chain headers, old kernels)
 * @param className the class name as printed inside the parentheses, with its {@code #version} and
 *     {@code /subclass} suffixes ("&type->i_mutex_dir_key#4"); see {@link #baseName()}
 * @param usage the usage string between the braces ("+.+.", "-.-.", "++++.+"), or null
 * @param outerWait lockdep's outer wait type (the A of {@code {A:B}}), -1 when not printed
 * @param innerWait the inner wait type (B), -1 when not printed
 * @param at what follows {@code , at:} as printed ("pci_walk_bus+0x24/0x90", "[<ffffffff...>] f+0x1/0x2",
 *     "inode_lock include/linux/fs.h:783 [inline]"), or null
 * @param index the {@code #N:} of a held-lock list or {@code -> #N} of a dependency chain, -1 otherwise
 */
public record LockLine(String instance, String className, String usage, int outerWait, int innerWait,
    String at, int index) implements java.io.Serializable {

  /** The class name without the {@code #version} and {@code /subclass} suffixes: the name to look up. */
  public String baseName() {
    String n = className;
    int slash = trailingNumber(n, '/');
    if (slash >= 0) n = n.substring(0, slash);
    int hash = trailingNumber(n, '#');
    return hash >= 0 ? n.substring(0, hash) : n;
  }

  /** The {@code #N} lockdep appends to tell apart classes of the same name, or -1. */
  public int version() {
    String n = className;
    int slash = trailingNumber(n, '/');
    if (slash >= 0) n = n.substring(0, slash);
    int hash = trailingNumber(n, '#');
    return hash >= 0 ? Integer.parseInt(n.substring(hash + 1)) : -1;
  }

  /** The {@code /N} lock subclass (nesting annotation), or -1. */
  public int subclass() {
    int slash = trailingNumber(className, '/');
    return slash >= 0 ? Integer.parseInt(className.substring(slash + 1)) : -1;
  }

  /** The function of {@code at}, without address, offset or location; null when there is no {@code at}. */
  public String atFunction() {
    if (at == null) return null;
    String a = at.strip();
    if (a.startsWith("[<")) {
      int close = a.indexOf(">]");
      a = close < 0 ? "" : a.substring(close + 2).strip();
    }
    int end = 0;
    while (end < a.length() && a.charAt(end) != '+' && a.charAt(end) != ' ') end++;
    return a.substring(0, end);
  }

  /** Index of {@code c} before a run of 1-9 digits ending the string, or -1. */
  private static int trailingNumber(String s, char c) {
    int i = s.length();
    while (i > 0 && Character.isDigit(s.charAt(i - 1))) i--;
    int digits = s.length() - i;
    if (digits == 0 || digits > 9 || i < 2 || s.charAt(i - 1) != c) return -1;
    return i - 1;
  }
}
