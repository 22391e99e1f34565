package org.kreplay.analyze.internal.rules;

/**
 * lockdep's irq usage bits of a lock class (kernel/locking/lockdep_states.h, lock_usage_bit):
 * per state (hardirq, softirq) whether the class was used in it and whether it was taken with it
 * enabled, each for writers and readers; and the masks lockdep computes from them to find
 * conflicting usage (exclusive_mask(), original_mask(), exclusive_bit()).
 */
final class LockUsage {
  private LockUsage() {}

  // Usage bits (lockdep lock_usage_bit): per state USED_IN, USED_IN_READ, ENABLED, ENABLED_READ.
  static final int USED_IN_HARDIRQ = 0;
  static final int USED_IN_HARDIRQ_READ = 1;
  static final int ENABLED_HARDIRQ = 2;
  static final int ENABLED_HARDIRQ_READ = 3;
  static final int USED_IN_SOFTIRQ = 4;
  static final int USED_IN_SOFTIRQ_READ = 5;
  static final int ENABLED_SOFTIRQ = 6;
  static final int ENABLED_SOFTIRQ_READ = 7;
  static final int READ_MASK = 1;
  static final int DIR_MASK = 2;
  /** All "used in irq" usage bits. */
  static final int USED_IN_ALL = 1 | 2 | 16 | 32;
  /** All "taken with irqs enabled" usage bits. */
  static final int ENABLED_ALL = 4 | 8 | 64 | 128;
  /** Write (non-read) usage bits. */
  static final int WRITE_BITS = flag(0) | flag(2) | flag(4) | flag(6);
  static final int READ_BITS = flag(1) | flag(3) | flag(5) | flag(7);

  private static final String[] USAGE_NAMES = {
    "IN-HARDIRQ-W", "IN-HARDIRQ-R", "HARDIRQ-ON-W", "HARDIRQ-ON-R",
    "IN-SOFTIRQ-W", "IN-SOFTIRQ-R", "SOFTIRQ-ON-W", "SOFTIRQ-ON-R"
  };

  static int flag(int bit) {
    return 1 << bit;
  }

  /** lockdep's usage_str[] name of a usage bit ("IN-HARDIRQ-W"). */
  static String usageName(int bit) {
    return USAGE_NAMES[bit];
  }

  /** "HARDIRQ" or "SOFTIRQ" (with "-READ" for read bits), as lockdep's state_name(). */
  static String stateName(int bit) {
    return (bit >= 4 ? "SOFTIRQ" : "HARDIRQ") + ((bit & READ_MASK) != 0 ? "-READ" : "");
  }

  static int invertDir(int mask) {
    return ((mask & ENABLED_ALL) >>> DIR_MASK) | ((mask & USED_IN_ALL) << DIR_MASK);
  }

  /** The usages that conflict with any in {@code mask}. */
  static int exclusiveMask(int mask) {
    int excl = invertDir(mask);
    excl |= (excl & READ_BITS) >>> READ_MASK;
    excl |= (excl & WRITE_BITS) << READ_MASK;
    return excl;
  }

  /** The usages that {@code mask} could be the exclusive of. */
  static int originalMask(int mask) {
    return exclusiveMask(mask);
  }

  /** exclusive_bit(): same state, direction flipped, read stripped. */
  static int exclusiveBit(int bit) {
    int state = bit & ~3;
    int dir = bit & DIR_MASK;
    return state | (dir ^ DIR_MASK);
  }

  /** find_exclusive_match(): the first (bit, exclusive bit) pair of two masks, or null. */
  static int[] exclusiveMatch(int mask, int exclMask) {
    for (int bit = 0; bit < 8; bit++) {
      if ((mask & flag(bit)) == 0) continue;
      int excl = exclusiveBit(bit);
      if ((exclMask & flag(excl)) != 0) return new int[] {bit, excl};
      if ((exclMask & flag(excl | READ_MASK)) != 0) return new int[] {bit, excl | READ_MASK};
    }
    return null;
  }
}
