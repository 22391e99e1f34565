package org.kreplay.ingest.log;

/** How a kernel log's lines are prefixed, as recognised from its first prefixed line. */
public enum LogFormat {
  /** {@code dmesg}: {@code [  123.456789] }, optionally a printk caller tag {@code [T123]}. */
  DMESG("dmesg"),
  /** {@code dmesg -T}: {@code [Tue Mar 19 07:34:31 2026] }. */
  DMESG_WALL_CLOCK("dmesg -T"),
  /** {@code journalctl -k}: {@code Mar 19 07:34:31 host kernel: } (also {@code -o short-unix/-iso}). */
  JOURNAL("journalctl -k"),
  /** Syslog files and consoles with priorities: {@code <4>}, {@code host kernel: [ 1.2] }, RFC 3339 stamps. */
  SYSLOG("syslog"),
  /** {@code /dev/kmsg} records: {@code 4,622,406528882,-;message}. */
  KMSG("/dev/kmsg"),
  /** A serial console capture: carriage returns or terminal escape sequences around the lines. */
  SERIAL_CONSOLE("serial console"),
  /** Lines without any prefix (a pasted report, printk.time=0). */
  PLAIN("plain text");

  private final String label;

  LogFormat(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
