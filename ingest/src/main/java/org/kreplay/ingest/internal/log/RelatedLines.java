package org.kreplay.ingest.internal.log;

import org.kreplay.ingest.internal.Bytes;

/**
 * Tells the lines that belong inside a report from ordinary log lines. Reports end at their end marker,
 * the next header, or the first ordinary line after their call trace; this list is what keeps lockdep's
 * prose, register dumps and the like inside. Lines not on it that arrive in the middle of a marked call
 * trace are treated as output of another CPU, not as the report's end.
 */
final class RelatedLines {
  private RelatedLines() {}

  /** Report-internal line starts, by first byte. */
  private static final String[][] PREFIXES = new String[128][];

  private static void add(String... prefixes) {
    for (String p : prefixes) {
      int c = p.charAt(0);
      String[] old = PREFIXES[c];
      String[] n = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
      n[n.length - 1] = p;
      PREFIXES[c] = n;
    }
  }

  static {
    add("Call Trace:", "Call trace:", "CPU: ", "Code: ", "Chain exists of:", "CPU0", "CPU1");
    add("Backtrace:", "BUG: ");
    add("Dumping ftrace buffer:", "Data abort info:", "Disabling lock debugging");
    add("Exception stack(");
    add("Freed by task", "Fixing recursive fault");
    add("Hardware name: ");
    add("INFO: ", "IN-", "INITIAL ", "Internal error");
    add("Kernel panic", "Kernel Offset:", "Kernel BUG");
    add("Last potentially related", "Lock ");
    add("Modules linked in:", "Mem abort info:", "Memory state around", "May be due to missing lock");
    add("NMI backtrace for cpu", "Not tainted");
    add("Oops", "ORIG_RAX");
    add("Preemption disabled at:", "PGD ", "P4D ", "PUD ", "PMD ", "PTE ", "Pid: ", "Possible ", "PKRU: ");
    add("RCU nest depth:", "Read of size", "Rebooting in", "RCU used illegally", "RIP: ");
    add("Stack:", "Stack : ", "Showing ", "Sending NMI", "Second to last potentially");
    add("Tainted: ", "Task dump for CPU", "The buggy address", "The code is fine but needs");
    add("Workqueue: ", "Write of size", "WARNING: ");
    add("Allocated by task", "After ");
    add("HARDIRQ-", "SOFTIRQ-");
    add("and this task is already holding", "and interrupts could create");
    add("but task is already holding", "but there are no more locks", "but this lock", "but this new dependency");
    add("caller is ", "context-{");
    add("hardirqs last");
    add("in_atomic(", "inconsistent {", "irq event stamp:");
    add("lock(", "lock: ", "lockdep: ", "lr : ", "local_irq_disable()", "local_bh_disable()");
    add("no locks held by", "note: ");
    add("other info that might help");
    add("pc : ", "pstate: ", "preempt_count: ", "pool ", "pwq ");
    add("rcu: ", "rcu_scheduler_active", "read_lock(");
    add("stack backtrace:", "softirqs last", "sp : ", "spin_lock(");
    add("task: ", "task:", "the existing dependency", "the dependencies between", "the shortest dependencies", "to a ",
        "turning off the locking");
    add("user pgtable:");
    add("which lock already depends", "which would create a new lock", "workqueue ");
    add("*** DEADLOCK ***", "... ", "-> ", "---", "(detected by", "(t=", "(ftrace buffer", "{", "<Interrupt>", "\"echo 0 >",
        "#PF: ", "[<");
  }

  /** Whether the (non-blank, leading-blank-stripped) message [s, e) is known report text. */
  static boolean isRelated(byte[] b, int s, int e) {
    byte c = b[s];
    if (c >= 0) {
      String[] list = PREFIXES[c];
      if (list != null) {
        for (String p : list) {
          if (Bytes.startsWith(b, s, e, p)) return true;
        }
      }
    }
    if (isRegisterLine(b, s, e) || isHexDump(b, s, e)) return true;
    if (Bytes.isDigit(c)) {
      // "6 locks held by swapper/0/1:", "1 lock held by ..."
      int d = s;
      while (d < e && Bytes.isDigit(b[d])) d++;
      if (Bytes.startsWith(b, d, e, " lock held by ") || Bytes.startsWith(b, d, e, " locks held by ")) return true;
    }
    if (c == '#' && s + 1 < e && Bytes.isDigit(b[s + 1])) return true;
    if (c == '(' || c == '&') return LockLineParser.hasLockShape(b, s, e);
    // lockdep's "comm/pid is trying to acquire lock:" and friends: comm can be anything, the phrase cannot
    int limit = Math.min(e, s + 120);
    return Bytes.indexOf(b, s, limit, " is trying to ") > 0 || Bytes.indexOf(b, s, limit, " just changed the state of lock") > 0
        || Bytes.indexOf(b, s, limit, "] takes:") > 0 || Bytes.indexOf(b, s, limit, " is blocked on ") > 0;
  }

  /**
   * Register dumps and raw stack words, which stand between the frames of an x86 call trace (the
   * interrupted registers inside {@code <TASK>}) without ending it: "RSP: 0018:...", "R10: ...",
   * "CS:  0010 ...", arm64 "x29: ...", "Code: ...", "ffff8803241f9af0 0000000000000046 ...", "1f20: ...".
   */
  static boolean isNeutralInTrace(byte[] b, int s, int e) {
    return isRegisterLine(b, s, e) || isHexDump(b, s, e) || Bytes.startsWith(b, s, e, "Code: ")
        || Bytes.startsWith(b, s, e, "Stack:") || Bytes.startsWith(b, s, e, "Exception stack(")
        || Bytes.startsWith(b, s, e, "Stack : ");
  }

  private static final String[] REGISTERS = {
    "RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP", "RIP", "R08", "R09", "R10", "R11", "R12", "R13", "R14",
    "R15", "EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "ESP", "EIP", "CS", "DS", "ES", "FS", "GS", "SS", "CR0",
    "CR2", "CR3", "CR4", "DR0", "DR1", "DR2", "DR3", "DR6", "DR7", "EFLAGS", "ORIG_RAX", "PKRU", "IP"
  };

  /** "RAX: ...", "R08: ...", "CS:  0010", "CR2: ...", arm64 "x29: ..." / "x1 : ...". */
  static boolean isRegisterLine(byte[] b, int s, int e) {
    int i = s;
    if (i < e && b[i] == 'x') {
      int d = i + 1;
      while (d < e && Bytes.isDigit(b[d])) d++;
      if (d > i + 1 && d - i <= 3) {
        while (d < e && b[d] == ' ') d++;
        return d < e && b[d] == ':';
      }
      return false;
    }
    while (i < e && i - s < 9 && ((b[i] >= 'A' && b[i] <= 'Z') || Bytes.isDigit(b[i]) || b[i] == '_')) i++;
    if (i - s < 2 || i >= e || b[i] != ':') return false;
    int len = i - s;
    for (String r : REGISTERS) {
      if (r.length() == len && Bytes.startsWith(b, s, e, r)) return true;
    }
    return false;
  }

  /** A line of hex words only (raw stack contents, KASAN shadow and ARM "1f20:" dumps). */
  static boolean isHexDump(byte[] b, int s, int e) {
    int i = s;
    int words = 0;
    if (i < e && b[i] == '>') i++;
    while (i < e) {
      int w = i;
      while (i < e && Bytes.hexValue(b[i]) >= 0) i++;
      int len = i - w;
      if (i < e && b[i] == ':' && words == 0 && len >= 4) i++;
      else if (len != 8 && len != 16 && len != 2 && len != 4) return false;
      words++;
      if (i < e && b[i] != ' ') return false;
      while (i < e && b[i] == ' ') i++;
    }
    return words >= 2;
  }
}
