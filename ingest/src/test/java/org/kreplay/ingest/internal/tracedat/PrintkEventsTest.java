package org.kreplay.ingest.internal.tracedat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.TraceEvent;

/**
 * {@code bprint} (trace_printk) and {@code bputs} records: the message is built from a format in
 * the file's printk formats and arguments packed into the record. No recording here has any, so
 * {@link DatWriter} adds a page of them to {@code sched-irq-v7-zstd.dat} (formats appended to its
 * printk formats); the oracle is {@code trace-cmd report -t} of exactly that file
 * ({@code printk-v7-zstd.report.txt.xz}, see README.md).
 */
class PrintkEventsTest {
  static final long FMT_BASE = 0xffffffffc0de0000L;

  /** A trace_printk() call: its format and its packed arguments. */
  record Call(String format, Object... args) {}

  /**
   * Conversions libtraceevent 1.7.1 unpacks: it has no '-', '+', ' ' and '#' flags and no %c in
   * trace_printk arguments (it then takes the wrong bytes, and marks every later bprint failed).
   */
  static final Call[] CALLS = {
    new Call("plain %d|%i|%u\\n", -5, -7, 0xee6b2800),
    new Call("%x %X %08x %o|", 0xbeef, 0xbeef, 0x2a, 8),
    new Call("%ld %lu %lx %lld %llu %llx", -9L, -1L, 0xdeadbeefcafeL, -1234567890123L, 42L, 0xfeedL),
    new Call("%s and '%s' then %d", "hello", "", 3),
    new Call("%5d|%05d|%3d|", 42, 42, 123456),
    new Call("%.3s|%10s|%s|", "abcdef", "right", "end"),
    new Call("%p %ps %pS", 0L, "sym:0", "sym:17"),
    new Call("%*d|%.*s|", 6, 9, 2, "xyz"),
    new Call("%zu %zd", 123456789012L, -5L),
    new Call("100%% done, %s", "ok"),
  };


  static byte[] make() throws IOException {
    DatWriter w = DatWriter.read(SyntheticTraceDatTest.recorded("sched-irq-v7-zstd"));
    DatFile src = w.src;
    EventFormat bprint = null;
    EventFormat bputs = null;
    for (EventFormat f : src.ftraceFormats) {
      if (f.name.equals("bprint")) bprint = f;
      if (f.name.equals("bputs")) bputs = f;
    }
    Endian e = src.endian;
    // A function address from the file's kallsyms for ip and %ps.
    long ip = src.kallsyms.address(src.kallsyms.size() / 2);
    StringBuilder printk = new StringBuilder(new String(src.printkText, StandardCharsets.UTF_8));
    List<DatWriter.Page> cpu0 = w.cpus.get(0);
    DatWriter.Page last = cpu0.get(cpu0.size() - 1);
    DatWriter.Rec lastRec = last.recs.get(last.recs.size() - 1);
    int pid = e.s32(lastRec.payload, 4);
    DatWriter.Page page = new DatWriter.Page();
    page.ts = lastRec.ts + 1000;
    long ts = page.ts;
    for (int i = 0; i < CALLS.length; i++) {
      long fmtAddr = FMT_BASE + 0x100L * i;
      printk.append(String.format("0x%x : \"%s\"\n", fmtAddr, CALLS[i].format()));
      byte[] rec = new byte[256];
      int n = header(rec, e, bprint.id, pid);
      e.put64(rec, 8, ip);
      e.put64(rec, 16, fmtAddr);
      n = 24;
      for (Object a : CALLS[i].args()) {
        if (a instanceof String s && s.startsWith("sym:")) {
          n = (n + 3) & ~3;
          e.put64(rec, n, ip + Long.parseLong(s.substring(4)));
          n += 8;
        } else if (a instanceof String s) {
          byte[] b = s.getBytes(StandardCharsets.UTF_8);
          System.arraycopy(b, 0, rec, n, b.length);
          n += b.length + 1;
        } else if (a instanceof Long l) {
          n = (n + 3) & ~3;
          e.put64(rec, n, l);
          n += 8;
        } else {
          n = (n + 3) & ~3;
          e.put32(rec, n, a instanceof Character c ? c : (Integer) a);
          n += 4;
        }
      }
      page.recs.add(DatWriter.Rec.of(java.util.Arrays.copyOf(rec, (n + 3) & ~3), ts += 1500));
    }
    long strAddr = FMT_BASE + 0x10000;
    printk.append(String.format("0x%x : \"%s\"\n", strAddr, "a constant message from bputs\\n"));
    byte[] rec = new byte[24];
    header(rec, e, bputs.id, pid);
    e.put64(rec, 8, ip);
    e.put64(rec, 16, strAddr);
    page.recs.add(DatWriter.Rec.of(rec, ts + 1500));
    cpu0.add(page);
    src.printkText = printk.toString().getBytes(StandardCharsets.UTF_8);
    return w.write(new DatWriter.Target());
  }

  private static int header(byte[] rec, Endian e, int id, int pid) {
    rec[0] = (byte) (e.big ? id >> 8 : id);
    rec[1] = (byte) (e.big ? id : id >> 8);
    e.put32(rec, 4, pid);
    return 8;
  }

  @Test
  void bprintAndBputsMessagesEqualTraceCmds() throws IOException {
    byte[] data = make();
    String dir = System.getProperty("kreplay.tracedat.write");
    if (dir != null) Files.write(Path.of(dir).resolve("printk-v7-zstd.dat"), data);
    List<String> theirs = new ArrayList<>();
    try (InputStream in = OracleReport.open(TraceDatOracleTest.RES.resolve("printk-v7-zstd.report.txt.xz"));
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        int at = line.indexOf(": bprint: ");
        if (at < 0) at = line.indexOf(": bputs: ");
        if (at >= 0) theirs.add(line.substring(line.indexOf(':', at + 2) + 1).strip());
      }
    }
    List<String> mine = new ArrayList<>();
    try (TraceDatReader r = SyntheticTraceDatTest.reader("printk", data)) {
      for (TraceEvent ev; (ev = r.next()) != null; ) {
        if (ev.name().equals("bprint") || ev.name().equals("bputs")) {
          assertThat(ev.kind()).isEqualTo(EventKind.PRINT);
          assertThat(ev.message()).isEqualTo(ev.body());
          mine.add(ev.body());
        }
      }
      assertThat(r.stats().skippedTotal()).isZero();
    }
    assertThat(theirs).hasSize(CALLS.length + 1);
    assertThat(mine).isEqualTo(theirs);
  }

  @Test
  void everyOtherEventStillEqualsTraceCmds() throws IOException {
    try (TraceDatReader r = SyntheticTraceDatTest.reader("printk", make())) {
      TraceDatOracleTest.assertMatches("printk", r,
          OracleReport.read(TraceDatOracleTest.RES.resolve("printk-v7-zstd.report.txt.xz"), null, ""));
    }
  }
}
