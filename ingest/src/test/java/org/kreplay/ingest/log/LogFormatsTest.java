package org.kreplay.ingest.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceFormatException;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * One report, written the way each log source writes it (dmesg, dmesg -T, journalctl, syslog,
 * /dev/kmsg, a serial console, caller tags, compressed), reads to the same splat: the prefixes are
 * the only difference, and the reader says which style it saw.
 */
class LogFormatsTest {
  /** A sleep-in-atomic report from an IRQ, in the kernel's own words (kernel/sched/core.c, lockdep.c). */
  static final List<String> REPORT = List.of(
      "BUG: sleeping function called from invalid context at kernel/locking/spinlock_rt.c:48",
      "in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 0, name: swapper/1",
      "preempt_count: 10001, expected: 0",
      "RCU nest depth: 0, expected: 0",
      "1 lock held by swapper/1/0:",
      " #0: ffff88807e3c1a18 (&base->lock){+.+.}-{2:2}, at: __run_timers+0x54/0x2f0",
      "irq event stamp: 1234",
      "hardirqs last  enabled at (1233): [<ffffffff81234567>] default_idle+0x1a/0x20",
      "hardirqs last disabled at (1234): [<ffffffff81234789>] sysvec_apic_timer_interrupt+0xe/0x80",
      "softirqs last  enabled at (0): [<ffffffff81100000>] copy_process+0x86c/0x1c10",
      "softirqs last disabled at (0): [<0000000000000000>] 0x0",
      "Preemption disabled at:",
      "[<ffffffff81100000>] irq_enter_rcu+0x12/0x70",
      "CPU: 1 PID: 0 Comm: swapper/1 Tainted: G        W          6.5.0-rt5 #1",
      "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
      "Call Trace:",
      " <IRQ>",
      " dump_stack_lvl+0x37/0x50",
      " __might_resched+0x1a2/0x1c0",
      " rt_spin_lock+0x2d/0xa0",
      " __run_timers+0x54/0x2f0",
      " run_timer_softirq+0x1d/0x40",
      " __do_softirq+0xcc/0x2b3",
      " irq_exit_rcu+0x8d/0xb0",
      " sysvec_apic_timer_interrupt+0x6d/0x80",
      " </IRQ>",
      " <TASK>",
      " asm_sysvec_apic_timer_interrupt+0x1a/0x20",
      " default_idle+0x1a/0x20",
      " do_idle+0x1e6/0x240",
      " cpu_startup_entry+0x1d/0x20",
      " start_secondary+0x116/0x140",
      " </TASK>");

  /** Ordinary lines around the report, so it has to be found rather than being the whole input. */
  static final List<String> BEFORE = List.of("e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex", "random: crng init done");
  static final List<String> AFTER = List.of("EXT4-fs (sda1): re-mounted. Quota mode: none.");

  /** A log style: how it prefixes a line (n counts lines, for distinct timestamps). */
  enum Style {
    PLAIN(LogFormat.PLAIN, (n, m) -> m),
    DMESG(LogFormat.DMESG, (n, m) -> String.format("[%5d.%06d] %s", 163, 910989 + n, m)),
    DMESG_TAGGED(LogFormat.DMESG, (n, m) -> String.format("[%5d.%06d][    C1] %s", 163, 910989 + n, m)),
    DMESG_WALL_CLOCK(LogFormat.DMESG_WALL_CLOCK, (n, m) -> "[Tue Mar 19 07:34:31 2026] " + m),
    JOURNAL(LogFormat.JOURNAL, (n, m) -> "Mar 19 07:34:31 buildhost kernel: " + m),
    JOURNAL_MONOTONIC(LogFormat.JOURNAL, (n, m) -> String.format("[%5d.%06d] kernel: %s", 163, 910989 + n, m)),
    SYSLOG(LogFormat.SYSLOG, (n, m) -> String.format("Mar 19 07:34:31 buildhost kernel: [%5d.%06d] %s", 163, 910989 + n, m)),
    SYSLOG_PRIORITY(LogFormat.SYSLOG, (n, m) -> String.format("<4>[%5d.%06d] %s", 163, 910989 + n, m)),
    KMSG(LogFormat.KMSG, (n, m) -> String.format("4,%d,163%06d,-;%s", 600 + n, 910989 + n, m)),
    SERIAL_CONSOLE(LogFormat.SERIAL_CONSOLE, (n, m) -> String.format("\u001b[0m[%5d.%06d] %s\r", 163, 910989 + n, m));

    final LogFormat format;
    final Prefixer prefixer;

    Style(LogFormat format, Prefixer prefixer) {
      this.format = format;
      this.prefixer = prefixer;
    }
  }

  interface Prefixer {
    String prefix(int n, String message);
  }

  static String log(Style style) {
    List<String> all = new ArrayList<>(BEFORE);
    all.addAll(REPORT);
    all.addAll(AFTER);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < all.size(); i++) out.append(style.prefixer.prefix(i, all.get(i))).append('\n');
    return out.toString();
  }

  @ParameterizedTest
  @EnumSource(Style.class)
  void everyStyleReadsToTheSameSplat(Style style) throws IOException {
    SplatText.Result r = TestLogs.readText(log(style));
    assertThat(r.info().format()).isEqualTo(style.format);
    assertThat(r.info().callerTags()).isEqualTo(style == Style.DMESG_TAGGED);
    Splat s = TestLogs.only(r);
    assertThat(s.kind()).isEqualTo(SplatKind.SLEEP_IN_ATOMIC);
    assertThat(s.where().firstLine()).isEqualTo(BEFORE.size() + 1);
    assertThat(s.where().lastLine()).isEqualTo(BEFORE.size() + REPORT.size());
    assertThat(s.damage().truncated()).isFalse();
    assertThat(s.damage().corrupted()).isFalse();
    assertThat(s.damage().problems()).isEmpty();
    assertThat(s.task().cpu()).isEqualTo(1);
    assertThat(s.task().pid()).isEqualTo(0);
    assertThat(s.task().comm()).isEqualTo("swapper/1");
    assertThat(s.kernel().release()).isEqualTo("6.5.0-rt5");
    assertThat(s.kernel().taint()).isEqualTo("G W");
    assertThat(s.atomic().preemptCount()).isEqualTo(0x10001);
    assertThat(s.atomic().decodedPreemptCount().hardirq()).isEqualTo(1);
    assertThat(s.atomic().preemptionDisabledAt()).isEqualTo("irq_enter_rcu");
    assertThat(s.lockdep().heldLocks()).singleElement().satisfies(l -> {
      assertThat(l.className()).isEqualTo("&base->lock");
      assertThat(l.outerWait()).isEqualTo(2);
      assertThat(l.innerWait()).isEqualTo(2);
    });
    assertThat(s.lockdep().irqEventStamps()).containsEntry("irq event stamp", "1234");
    assertThat(s.stacks().frames()).hasSize(13);
    assertThat(s.stacks().frames().stream().filter(f -> f.section() == Section.IRQ).count()).isEqualTo(8);
    assertThat(s.stacks().frames().get(12).section()).isEqualTo(Section.TASK);
    assertThat(s.stacks().frames()).allMatch(Frame::sectionMarked);
    switch (style) {
      case PLAIN, DMESG_WALL_CLOCK, JOURNAL -> assertThat(s.where().timestamp()).isEqualTo(-1);
      default -> assertThat(s.where().timestamp()).isEqualTo(163.910989 + BEFORE.size() / 1e6, org.assertj.core.data.Offset.offset(1e-9));
    }
    if (style == Style.DMESG_WALL_CLOCK) assertThat(s.where().wallTime()).isEqualTo("Tue Mar 19 07:34:31 2026");
    if (style == Style.DMESG_TAGGED) assertThat(s.task().callerTag()).isEqualTo("C1");
    var stats = r.stats();
    assertThat(stats.accountedLines()).isEqualTo(stats.lines());
    assertThat(stats.logLines()).isEqualTo(BEFORE.size() + AFTER.size());
  }

  @Test
  void crlfLinesAreASerialConsoleButReadTheSame() throws IOException {
    SplatText.Result r = TestLogs.readText(log(Style.DMESG).replace("\n", "\r\n"));
    assertThat(r.info().format()).isEqualTo(LogFormat.SERIAL_CONSOLE);
    assertThat(TestLogs.only(r).stacks().frames()).hasSize(13);
  }

  interface Compressor {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] compress(String text, Compressor c) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = c.wrap(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static String rendered(String source, InputStream in) throws IOException {
    return SplatText.render(SplatText.read(source, in, ReadOptions.defaults()));
  }

  @Test
  void compressedLogsReadLikePlainOnes() throws IOException {
    String text = log(Style.DMESG);
    String plain = rendered("x", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    UnaryOperator<String> sameButCompression = s -> s.replaceFirst("compression \\w+", "compression none");
    for (var c : List.<Object[]>of(new Object[] {"gzip", (Compressor) GZIPOutputStream::new},
        new Object[] {"xz", (Compressor) out -> new XZOutputStream(out, new LZMA2Options())},
        new Object[] {"zstd", (Compressor) io.airlift.compress.zstd.ZstdOutputStream::new})) {
      byte[] data = compress(text, (Compressor) c[1]);
      SplatText.Result r = SplatText.read("x", new ByteArrayInputStream(data), ReadOptions.defaults());
      assertThat(r.info().compression()).isEqualTo(c[0]);
      assertThat(sameButCompression.apply(SplatText.render(r))).as((String) c[0]).isEqualTo(plain);
    }
  }

  @Test
  void filesAreOpenedByPathWhateverTheirName(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("console.txt");
    Files.write(file, compress(log(Style.JOURNAL), GZIPOutputStream::new)); // gzip without .gz
    try (LogReader r = KernelLogs.open(file.toString(), ReadOptions.defaults())) {
      assertThat(r.next().kind()).isEqualTo(SplatKind.SLEEP_IN_ATOMIC);
      assertThat(r.next()).isNull();
      assertThat(r.info().source()).isEqualTo(file.toString());
      assertThat(r.info().compression()).isEqualTo("gzip");
      assertThat(r.inputSize()).isEqualTo(Files.size(file));
      assertThat(r.inputBytesRead()).isEqualTo(Files.size(file));
    }
    assertThat(KernelLogs.looksLikeKernelLog(file)).isTrue();
  }

  @Test
  void missingFilesAndDirectoriesAreReportedPlainly(@TempDir Path dir) {
    assertThatThrownBy(() -> KernelLogs.open(dir.resolve("nope.log").toString(), ReadOptions.defaults()))
        .isInstanceOf(IOException.class).hasMessageContaining("nope.log");
    assertThatThrownBy(() -> KernelLogs.open(dir.toString(), ReadOptions.defaults()))
        .isInstanceOf(IOException.class).hasMessageContaining("is a directory");
  }

  @Test
  void dashReadsStandardInput() throws IOException {
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(compress(log(Style.DMESG), GZIPOutputStream::new)));
      try (LogReader r = KernelLogs.open("-", ReadOptions.defaults())) {
        Splat s = r.next();
        assertThat(s.where().source()).isEqualTo("-");
        assertThat(s.kind()).isEqualTo(SplatKind.SLEEP_IN_ATOMIC);
        assertThat(r.info().compression()).isEqualTo("gzip");
      }
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void aBrokenCompressedStreamIsALocatedError() throws IOException {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 200; i++) big.append(log(Style.DMESG));
    byte[] gz = compress(big.toString(), GZIPOutputStream::new);
    byte[] cut = java.util.Arrays.copyOf(gz, gz.length * 3 / 4);
    assertThatThrownBy(() -> SplatText.read("cut.gz", new ByteArrayInputStream(cut), ReadOptions.defaults()))
        .isInstanceOf(TraceFormatException.class)
        .hasMessageMatching("cut\\.gz:[1-9][0-9]*: cannot read gzip data: .*");
  }

  @Test
  void sourceNamesTheSplats() throws IOException {
    SplatText.Result r = SplatText.read("host-17/dmesg.txt",
        new ByteArrayInputStream(log(Style.DMESG).getBytes(StandardCharsets.UTF_8)), ReadOptions.defaults());
    assertThat(r.splats().stream().map(s -> s.where().source()).collect(Collectors.toList())).containsExactly("host-17/dmesg.txt");
  }
}
