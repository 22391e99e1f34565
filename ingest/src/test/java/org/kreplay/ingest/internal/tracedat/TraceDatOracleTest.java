package org.kreplay.ingest.internal.tracedat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceFormat;
import org.kreplay.ingest.TraceInfo;
import org.tukaani.xz.XZInputStream;

/**
 * Event for event, kreplay's reading of real trace.dat files equals trace-cmd's: timestamp, CPU,
 * pid, comm, event name, every field value (against {@code report -R}), the flags byte (against
 * {@code report -l}'s libtraceevent letters), stack frames and lost-events markers. The oracles
 * are trace-cmd 3.1.6's reports of the same files, stored next to them.
 */
class TraceDatOracleTest {
  static final Path RES = Path.of("src/test/resources/tracedat");
  static final Path TRACES = Path.of("../traces");

  /** A trace.dat and the reports trace-cmd printed for it. */
  record Case(String name, Path dat, Path raw, Path lat, String instance, String prefix) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case recorded(String name) {
    Path dat = Files.exists(RES.resolve(name + ".dat")) ? RES.resolve(name + ".dat") : RES.resolve(name + ".dat.xz");
    return new Case(name, dat, RES.resolve(name + ".report-R.txt.xz"), RES.resolve(name + ".report-l.txt.xz"), null, "");
  }

  static Stream<Case> cases() {
    Path cyc = TRACES.resolve("cyclictest");
    Path loaded = TRACES.resolve("cyclictest-loaded");
    Path dl = TRACES.resolve("stress-ng-deadline");
    return Stream.of(
        recorded("sched-irq-v7-zstd"),
        recorded("timer-wq-v7-none-global"),
        recorded("kmem-stacks-v7-zstd"),
        recorded("mixed-v6"),
        recorded("fork-sched-v7-zstd"),
        recorded("instance-v7-zstd"),
        new Case("instance-v7-zstd --instance kreplay", RES.resolve("instance-v7-zstd.dat"),
            RES.resolve("instance-v7-zstd.report-R.txt.xz"), RES.resolve("instance-v7-zstd.report-l.txt.xz"),
            "kreplay", OracleReport.INSTANCE_PREFIX),
        recorded("date-v7-zstd"),
        new Case("traces/cyclictest v7", cyc.resolve("trace.dat"), cyc.resolve("report-R.txt.xz"),
            cyc.resolve("report-l.txt.xz"), null, ""),
        new Case("traces/cyclictest v6", cyc.resolve("trace-v6.dat.xz"), cyc.resolve("report-R.txt.xz"),
            cyc.resolve("report-l.txt.xz"), null, ""),
        new Case("traces/cyclictest-loaded", loaded.resolve("trace.dat"), loaded.resolve("report-R.txt.xz"),
            loaded.resolve("report-l.txt.xz"), null, ""),
        new Case("traces/stress-ng-deadline", dl.resolve("trace.dat"), dl.resolve("report-R.txt.xz"),
            dl.resolve("report-l.txt.xz"), null, ""),
        new Case("traces/stress-ng-deadline/stacks", dl.resolve("stacks/trace.dat"),
            dl.resolve("stacks/report.txt.xz"), null, null, ""));
  }

  /** One event as kreplay read it, with the record it came from. */
  static final class Mine {
    TraceEvent event;
    EventFormat format;
    byte[] record;
  }

  static TraceDatReader open(Case c) throws IOException {
    ReadOptions o = ReadOptions.defaults().readAhead(false).instance(c.instance());
    TraceInfo info = new TraceInfo(c.name(), TraceFormat.TRACE_DAT);
    TraceDatReader r = c.dat().toString().endsWith(".xz")
        ? TraceDatReader.open(c.name(), new XZInputStream(Files.newInputStream(c.dat())), o, info)
        : TraceDatReader.open(c.name(), c.dat(), o, info);
    r.keepRecords = true;
    return r;
  }

  static List<Mine> readAll(TraceDatReader r) throws IOException {
    List<Mine> out = new ArrayList<>();
    for (TraceEvent e; (e = r.next()) != null; ) {
      Mine m = new Mine();
      m.event = e.copy();
      if (!e.kind().isMarker() && e.kind() != EventKind.KERNEL_STACK) {
        m.format = r.lastFormat();
        m.record = Arrays.copyOf(r.lastRecord(), r.lastLength());
      }
      out.add(m);
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyEventEqualsTraceCmds(Case c) throws IOException {
    OracleReport oracle = OracleReport.read(c.raw(), c.lat(), c.prefix());
    try (TraceDatReader r = open(c)) {
      assertMatches(c.toString(), r, oracle);
    }
  }

  /** Reads everything from {@code r} and compares it with trace-cmd's reports. */
  static void assertMatches(String c, TraceDatReader r, OracleReport oracle) throws IOException {
    r.keepRecords = true;
    List<Mine> mine = readAll(r);
    DatFile file = r.file();
    assertThat(r.stats().skippedTotal()).as("%s: records skipped: %s", c, r.stats().examples()).isZero();
    assertThat(r.stats().accountedLines()).as("every record accounted").isEqualTo(r.stats().lines());
    List<OracleReport.Item> theirs = new ArrayList<>();
    for (OracleReport.Item it : oracle.items) {
      if (!it.attached) theirs.add(it);
    }
    List<Mine> myEvents = new ArrayList<>();
    List<OracleReport.Item> theirEvents = new ArrayList<>();
    for (Mine m : mine) {
      if (!m.event.kind().isMarker()) myEvents.add(m);
    }
    for (OracleReport.Item it : theirs) {
      if (!it.lost) theirEvents.add(it);
    }
    assertThat(myEvents.size()).as("%s: event count", c).isEqualTo(theirEvents.size());
    KernelFlags kernel = KernelFlags.fromUname(file.uname);
    Checked checked = new Checked();
    for (int i = 0; i < myEvents.size(); i++) {
      compare(c, i, myEvents.get(i), theirEvents.get(i), oracle, file, kernel, checked);
    }
    assertThat(checked.events).as("%s: events compared", c).isPositive();
    if (!oracle.plain) assertThat(checked.fields).as("%s: fields compared", c).isPositive();
    assertThat(perCpu(mine, null)).as("%s: lost-events markers per CPU", c).isEqualTo(perCpu(null, theirs));
  }

  /** How much was compared, so that a vacuous pass shows. */
  static final class Checked {
    long events;
    long fields;
    long frames;
  }

  private static void compare(String c, int i, Mine m, OracleReport.Item t, OracleReport oracle, DatFile file,
      KernelFlags kernel, Checked checked) {
    TraceEvent e = m.event;
    checked.events++;
    checked.frames += t.frames.size();
    String where = c + " event #" + i + " (report line " + t.line + ": " + t + ")";
    long ts = oracle.nanoseconds ? e.timestamp() : (e.timestamp() + 500) / 1000 * 1000;
    assertThat(ts).as("%s: timestamp", where).isEqualTo(t.ts);
    assertThat(e.cpu()).as("%s: cpu", where).isEqualTo(t.cpu);
    assertThat(e.pid()).as("%s: pid", where).isEqualTo(t.pid);
    assertThat(e.comm()).as("%s: comm", where).isEqualTo(t.comm);
    assertThat(e.name()).as("%s: name", where).isEqualTo(t.name);
    assertThat(frames(e, file)).as("%s: stack", where).isEqualTo(canonical(t.frames, file));
    if (m.format == null || oracle.plain) return;
    Endian en = file.endian;
    int flags = m.record[m.format.flagsOffset] & 0xff;
    int pc = m.record[m.format.preemptOffset] & 0xff;
    assertThat(libtraceeventFlags(flags, pc)).as("%s: -l flags", where).isEqualTo(t.flags);
    assertThat(e.flags()).as("%s: context flags from common_flags %x/%x", where, flags, pc)
        .isEqualTo(kernelSemantics(flags, pc, kernel));
    Map<String, String> theirFields = split(t.rawBody, m.format);
    Map<String, String> myFields = m.event.body().equals("") ? Map.of() : split(m.event.body(), m.format);
    boolean generic = m.format.shape == EventRenderer.Shape.GENERIC;
    for (FieldFormat f : m.format.fields) {
      String text = theirFields.get(f.name);
      assertThat(text).as("%s: field %s missing from the report", where, f.name).isNotNull();
      checked.fields++;
      String why = FieldCheck.mismatch(f, m.record, text, file, en);
      if (why != null) fail(where + ": field " + f.name + ": kreplay's record has " + why + ", trace-cmd shows '" + text + "'");
      if (generic) {
        String mineText = myFields.get(f.name);
        assertThat(mineText).as("%s: field %s missing from kreplay's body '%s'", where, f.name, e.body()).isNotNull();
        why = FieldCheck.mismatch(f, m.record, mineText, file, en);
        if (why != null) fail(where + ": body field " + f.name + " '" + mineText + "' does not show " + why);
      }
    }
  }

  /** The flags column libtraceevent prints for these bits (report -l). */
  static String libtraceeventFlags(int flags, int pc) {
    StringBuilder sb = new StringBuilder();
    sb.append((flags & 0x01) != 0 ? 'd' : (flags & 0x02) != 0 ? 'X' : '.');
    sb.append((flags & 0x04) != 0 ? 'N' : '.');
    boolean hard = (flags & 0x08) != 0;
    boolean soft = (flags & 0x10) != 0;
    sb.append(hard && soft ? 'H' : hard ? 'h' : soft ? 's' : '.');
    sb.append((pc & 0xf) != 0 ? Integer.toHexString(pc & 0xf) : ".");
    sb.append((pc & 0xf0) != 0 ? Integer.toHexString(pc >> 4) : ".");
    return sb.toString();
  }

  /**
   * The kernel's meaning of the bits (trace.h TRACE_FLAG_*, trace-formats.md §1.3) for a kernel of
   * this release: what kreplay must report.
   */
  static int kernelSemantics(int flags, int pc, KernelFlags k) {
    int f = ContextFlags.NEED_RESCHED_KNOWN | ContextFlags.IRQ_CONTEXT_KNOWN | ContextFlags.NMI_KNOWN;
    boolean irqsUnknown = !k.lazyBit && (flags & 0x02) != 0 && (flags & 0x01) == 0;
    if (!irqsUnknown) f |= ContextFlags.IRQS_KNOWN | ((flags & 0x01) != 0 ? ContextFlags.IRQS_OFF : 0);
    if (k.bhBit) f |= ContextFlags.BH_KNOWN | ((flags & 0x80) != 0 ? ContextFlags.BH_OFF : 0);
    if ((flags & 0x24) != 0) f |= ContextFlags.NEED_RESCHED;
    if ((flags & 0x08) != 0) f |= ContextFlags.HARDIRQ;
    if ((flags & 0x10) != 0) f |= ContextFlags.SOFTIRQ;
    if ((flags & 0x40) != 0) f |= ContextFlags.NMI;
    if (k.migrateNibble) {
      f = ContextFlags.withPreemptDepth(f, pc & 0xf);
      return ContextFlags.withMigrateDisable(f, pc >> 4);
    }
    return ContextFlags.withPreemptDepth(f, Math.min(15, k.known() ? pc : pc & 0xf));
  }

  /** {@code name=value name=value…} split at the format's field names, in order. */
  static Map<String, String> split(String body, EventFormat f) {
    Map<String, String> out = new HashMap<>();
    int[] starts = new int[f.fields.length];
    int from = 0;
    for (int k = 0; k < f.fields.length; k++) {
      String key = f.fields[k].name + "=";
      int at = k == 0 && body.startsWith(key) ? 0 : body.indexOf(" " + key, from);
      if (at < 0) return out;
      starts[k] = at == 0 && k == 0 ? key.length() : at + 1 + key.length();
      from = starts[k];
    }
    for (int k = 0; k < f.fields.length; k++) {
      int end = k + 1 < f.fields.length ? starts[k + 1] - f.fields[k + 1].name.length() - 2 : body.length();
      out.put(f.fields[k].name, body.substring(starts[k], Math.max(starts[k], end)));
    }
    return out;
  }

  private static List<String> frames(TraceEvent e, DatFile file) {
    return canonical(e.stack().frames(), file);
  }

  /** Frame names with aliases (several names at one address) replaced by one of them. */
  private static List<String> canonical(List<String> names, DatFile file) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      Long a = n.startsWith("0x") ? null : FieldCheck.address(file, n);
      out.add(a == null ? n : "@" + Long.toHexString(a));
    }
    return out;
  }

  /** Per CPU: the sequence of markers (with counts) and events (by global index). */
  private static Map<Integer, List<String>> perCpu(List<Mine> mine, List<OracleReport.Item> theirs) {
    Map<Integer, List<String>> out = new HashMap<>();
    int ev = 0;
    int n = mine != null ? mine.size() : theirs.size();
    for (int k = 0; k < n; k++) {
      boolean lost = mine != null ? mine.get(k).event.kind().isMarker() : theirs.get(k).lost;
      int cpu = mine != null ? mine.get(k).event.cpu() : theirs.get(k).cpu;
      long count = mine != null ? mine.get(k).event.lostEvents() : theirs.get(k).lostCount;
      out.computeIfAbsent(cpu, x -> new ArrayList<>()).add(lost ? "lost " + count : "event " + ev++);
    }
    return out;
  }

  /** Checks a field's text (trace-cmd's or kreplay's) against the field's bytes in the record. */
  static final class FieldCheck {
    private FieldCheck() {}

    /** Null when {@code text} shows the field's value, else what the record holds. */
    static String mismatch(FieldFormat f, byte[] rec, String text, DatFile file, Endian en) {
      String t = text.strip();
      if (f.array) {
        int start;
        int n;
        if (f.dynamic()) {
          long loc = en.u32(rec, f.offset);
          start = (int) (loc & 0xffff) + (f.relLoc ? f.offset + f.size : 0);
          n = (int) (loc >>> 16);
        } else {
          start = f.offset;
          n = f.size == 0 ? rec.length - f.offset : Math.min(f.size, rec.length - f.offset);
        }
        byte[] bytes = Arrays.copyOfRange(rec, start, start + n);
        if (t.startsWith("ARRAY[")) {
          String[] hex = t.substring(6, t.length() - 1).split(",\\s*");
          // trace-cmd shows a fixed array's declared size even past the record's end
          for (int k = 0; k < Math.min(hex.length, bytes.length); k++) {
            if (hex[k].isEmpty()) continue;
            if (Integer.parseInt(hex[k].strip(), 16) != (bytes[k] & 0xff)) return "bytes " + hexOf(bytes);
          }
          return hex.length >= bytes.length || t.equals("ARRAY[]") ? null : "bytes " + hexOf(bytes);
        }
        int z = 0;
        while (z < bytes.length && bytes[z] != 0) z++;
        String s = new String(bytes, 0, z, java.nio.charset.StandardCharsets.UTF_8).strip();
        return s.equals(t) ? null : "string '" + s + "'";
      }
      if (f.size != 1 && f.size != 2 && f.size != 4 && f.size != 8) return null;
      long v = en.unsigned(rec, f.offset, f.size);
      long mask = f.size == 8 ? -1L : (1L << (8 * f.size)) - 1;
      v &= mask;
      String hexV = "0x" + Long.toHexString(v);
      if (t.equals("(nil)")) return v == 0 ? null : hexV;
      if (t.matches("-?\\d+")) {
        long p = new BigInteger(t).longValue();
        return (p & mask) == v ? null : hexV + " = " + Long.toUnsignedString(v);
      }
      if (t.matches("0x[0-9a-fA-F]+")) {
        long p = new BigInteger(t.substring(2), 16).longValue();
        return (p & mask) == v ? null : hexV;
      }
      if (t.equals("true") || t.equals("false")) return (v != 0) == t.equals("true") ? null : hexV;
      // A symbol, maybe with +0xoffset, for the value as an address.
      String name = t;
      long off = -1;
      int plus = t.lastIndexOf("+0x");
      if (plus > 0) {
        name = t.substring(0, plus);
        off = Long.parseLong(t.substring(plus + 3), 16);
      }
      int idx = file.kallsyms.find(v);
      if (idx >= 0) {
        Long at = address(file, name);
        boolean sameSymbol = name.equals(file.kallsyms.name(idx)) || (at != null && at == file.kallsyms.address(idx));
        if (sameSymbol && (off < 0 || off == v - file.kallsyms.address(idx))) return null;
      }
      String s = file.printk.get(v);
      if (s != null && s.strip().equals(t)) return null;
      return hexV + (idx >= 0 ? " (" + file.kallsyms.name(idx) + "+0x" + Long.toHexString(v - file.kallsyms.address(idx)) + ")" : "");
    }

    private static final Map<Kallsyms, Map<String, Long>> BY_NAME = new java.util.IdentityHashMap<>();

    /** Start address of a symbol name (the first one in address order). */
    static synchronized Long address(DatFile file, String name) {
      Map<String, Long> m = BY_NAME.computeIfAbsent(file.kallsyms, k -> {
        Map<String, Long> map = new HashMap<>();
        for (int i = k.size() - 1; i >= 0; i--) map.put(k.name(i), k.address(i));
        return map;
      });
      return m.get(name);
    }

    private static String hexOf(byte[] b) {
      StringBuilder sb = new StringBuilder();
      for (byte x : b) sb.append(String.format("%02x ", x));
      return sb.toString().strip();
    }
  }
}
