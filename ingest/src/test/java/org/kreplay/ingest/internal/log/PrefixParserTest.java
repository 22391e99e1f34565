package org.kreplay.ingest.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.log.LogFormat;

/** Every log prefix style is split off, and the message starts where the kernel's text starts. */
class PrefixParserTest {
  private static LogLine parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    LogLine l = new LogLine();
    l.reset(b, 0, b.length, 1);
    new PrefixParser().parse(l);
    return l;
  }

  private static String message(LogLine l) {
    return new String(l.b, l.text, l.end - l.text, StandardCharsets.UTF_8);
  }

  @Test
  void dmesg() {
    LogLine l = parse("[  163.910989] BUG: sleeping function");
    assertThat(l.prefixed).isTrue();
    assertThat(l.format).isEqualTo(LogFormat.DMESG);
    assertThat(l.timestamp()).isEqualTo(163.910989);
    assertThat(message(l)).isEqualTo("BUG: sleeping function");
    assertThat(l.indented).isFalse();
    assertThat(l.hasTag()).isFalse();
  }

  @Test
  void dmesgWithCallerTagsInBothSpacings() {
    LogLine c = parse("[  163.910989][    C1]  <IRQ>");
    assertThat(c.tagKind).isEqualTo('C');
    assertThat(c.tagValue).isEqualTo(1);
    assertThat(c.tagText()).isEqualTo("C1");
    assertThat(message(c)).isEqualTo("<IRQ>");
    assertThat(c.indented).isTrue();
    LogLine t = parse("[ 19.416406][ T1] #0: ffff88813b9c8320 (&dev->clientlist_mutex)");
    assertThat(t.tagText()).isEqualTo("T1");
    assertThat(t.tagKey()).isNotEqualTo(c.tagKey());
    assertThat(message(t)).startsWith("#0: ");
  }

  @Test
  void dmesgWallClock() {
    LogLine l = parse("[Thu Nov  6 22:36:44 2025] Oops: Oops: 0000 [#1] SMP NOPTI");
    assertThat(l.format).isEqualTo(LogFormat.DMESG_WALL_CLOCK);
    assertThat(l.wallTime()).isEqualTo("Thu Nov  6 22:36:44 2025");
    assertThat(l.wallSeconds).isEqualTo(22 * 3600 + 36 * 60 + 44);
    assertThat(l.timestamp()).isEqualTo(-1);
    assertThat(message(l)).isEqualTo("Oops: Oops: 0000 [#1] SMP NOPTI");
  }

  @Test
  void syslogAndJournalStamps() {
    LogLine s = parse("Nov  8 19:38:07 MSI-CR61-3M kernel: [  424.479443] watchdog: BUG: soft lockup");
    assertThat(s.format).isEqualTo(LogFormat.SYSLOG);
    assertThat(s.wallTime()).isEqualTo("Nov  8 19:38:07");
    assertThat(s.timestamp()).isEqualTo(424.479443);
    assertThat(message(s)).isEqualTo("watchdog: BUG: soft lockup");
    LogLine j = parse("Jul  3 04:08:44 nfsvmf24 kernel: in_atomic(): 1");
    assertThat(j.format).isEqualTo(LogFormat.JOURNAL);
    assertThat(message(j)).isEqualTo("in_atomic(): 1");
    LogLine precise = parse("Dec 14 06:35:48.545439 kernel: WARNING: possible circular locking dependency detected");
    assertThat(precise.format).isEqualTo(LogFormat.JOURNAL);
    assertThat(precise.wallSeconds).isEqualTo(6 * 3600 + 35 * 60 + 48 + 0.545439);
    assertThat(message(precise)).startsWith("WARNING: possible circular");
    LogLine busybox = parse("May 13 15:16:32 kern.warn kernel: [ 1880.242429] [ BUG: Invalid wait context ]");
    assertThat(message(busybox)).isEqualTo("[ BUG: Invalid wait context ]");
    LogLine unix = parse("1707255557.134068 kernel: in_atomic(): 1, irqs_disabled(): 1");
    assertThat(unix.format).isEqualTo(LogFormat.JOURNAL);
    assertThat(message(unix)).isEqualTo("in_atomic(): 1, irqs_disabled(): 1");
    LogLine iso = parse("2016-03-26T20:52:22.526357+00:00 mira108 kernel: #012but task is already holding lock:");
    assertThat(iso.format).isEqualTo(LogFormat.SYSLOG);
    assertThat(message(iso)).isEqualTo("but task is already holding lock:");
    LogLine monotonic = parse("[   72.111934] kernel: BUG: sleeping function called");
    assertThat(monotonic.format).isEqualTo(LogFormat.JOURNAL);
    assertThat(message(monotonic)).isEqualTo("BUG: sleeping function called");
  }

  @Test
  void otherProgramsSyslogLinesAreNotKernelLines() {
    LogLine l = parse("Mar  5 08:30:52 puma pulseaudio[2302]: q overrun, queuing locally");
    assertThat(l.kernel).isFalse();
  }

  @Test
  void priorityAndKmsgRecords() {
    LogLine p = parse("<4>[   13.815380] ============================================");
    assertThat(p.format).isEqualTo(LogFormat.SYSLOG);
    assertThat(p.timestamp()).isEqualTo(13.815380);
    assertThat(message(p)).startsWith("=====");
    LogLine k = parse("4,622,406528882,-; [<ffffffffa017df8c>] normal_sdu_write+0x6c/0xd0 [normal_ipcp]");
    assertThat(k.format).isEqualTo(LogFormat.KMSG);
    assertThat(k.timestamp()).isEqualTo(406.528882);
    assertThat(k.indented).isTrue();
    assertThat(message(k)).startsWith("[<ffffffffa017df8c>]");
  }

  @Test
  void rsyslogTabEscapeIndents() {
    LogLine l = parse("Apr 24 21:02:09 host kernel: #011(t=21002 jiffies g=1234 q=5)");
    assertThat(l.indented).isTrue();
    assertThat(message(l)).isEqualTo("(t=21002 jiffies g=1234 q=5)");
  }

  @Test
  void linesWithoutPrefix() {
    LogLine plain = parse("Call Trace:");
    assertThat(plain.prefixed).isFalse();
    assertThat(message(plain)).isEqualTo("Call Trace:");
    LogLine continuation = parse("                  but task is already holding lock:");
    assertThat(continuation.prefixed).isFalse();
    assertThat(continuation.indented).isTrue();
    LogLine marker = parse(" <IRQ>");
    assertThat(marker.format).isNull();
    assertThat(message(marker)).isEqualTo("<IRQ>");
    LogLine drm = parse("[drm] Initialized i915 1.6.0");
    assertThat(drm.prefixed).isFalse();
    assertThat(message(drm)).isEqualTo("[drm] Initialized i915 1.6.0");
  }
}
