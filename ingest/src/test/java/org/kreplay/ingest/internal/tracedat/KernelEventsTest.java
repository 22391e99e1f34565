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
 * Events the kernel of this machine cannot record — lockdep ({@code lock_acquire}/{@code
 * lock_release}), RCU callbacks, preemptirq ({@code irq_disable}) and function-tracer entries — whose bodies kreplay
 * shapes like the kernel's text for its decoder. {@link DatWriter} adds their formats (as Linux
 * 6.x writes them) and a page of records to {@code sched-irq-v7-zstd.dat}; the oracle is {@code
 * trace-cmd report -t} of exactly that file ({@code kernel-events-v7-zstd.report.txt.xz}).
 */
class KernelEventsTest {
  static final String COMMON = "format:\n"
      + "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
      + "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
      + "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
      + "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n";

  static final String LOCK_ACQUIRE = "name: lock_acquire\nID: 2001\n" + COMMON
      + "\tfield:unsigned int flags;\toffset:8;\tsize:4;\tsigned:0;\n"
      + "\tfield:__data_loc char[] name;\toffset:12;\tsize:4;\tsigned:0;\n"
      + "\tfield:void * lockdep_addr;\toffset:16;\tsize:8;\tsigned:0;\n\n"
      + "print fmt: \"%p %s%s%s\", REC->lockdep_addr, (REC->flags & 1) ? \"try \" : \"\", (REC->flags & 2) ? \"read \" : \"\", __get_str(name)\n";
  static final String LOCK_RELEASE = "name: lock_release\nID: 2002\n" + COMMON
      + "\tfield:__data_loc char[] name;\toffset:8;\tsize:4;\tsigned:0;\n"
      + "\tfield:void * lockdep_addr;\toffset:16;\tsize:8;\tsigned:0;\n\n"
      + "print fmt: \"%p %s\", REC->lockdep_addr, __get_str(name)\n";
  static final String RCU_CALLBACK = "name: rcu_callback\nID: 2003\n" + COMMON
      + "\tfield:const char * rcuname;\toffset:8;\tsize:8;\tsigned:0;\n"
      + "\tfield:void * rhp;\toffset:16;\tsize:8;\tsigned:0;\n"
      + "\tfield:void * func;\toffset:24;\tsize:8;\tsigned:0;\n"
      + "\tfield:long qlen;\toffset:32;\tsize:8;\tsigned:1;\n\n"
      + "print fmt: \"%s rhp=%p func=%ps %ld\", REC->rcuname, REC->rhp, REC->func, REC->qlen\n";
  static final String RCU_INVOKE = "name: rcu_invoke_callback\nID: 2004\n" + COMMON
      + "\tfield:const char * rcuname;\toffset:8;\tsize:8;\tsigned:0;\n"
      + "\tfield:void * rhp;\toffset:16;\tsize:8;\tsigned:0;\n"
      + "\tfield:void * func;\toffset:24;\tsize:8;\tsigned:0;\n\n"
      + "print fmt: \"%s rhp=%p func=%ps\", REC->rcuname, REC->rhp, REC->func\n";

  static final String IRQ_DISABLE = "name: irq_disable\nID: 2005\n" + COMMON
      + "\tfield:s32 caller_offs;\toffset:8;\tsize:4;\tsigned:1;\n"
      + "\tfield:s32 parent_offs;\toffset:12;\tsize:4;\tsigned:1;\n\n"
      + "print fmt: \"caller=%pS parent=%pS\", (void *)((unsigned long)(_stext) + REC->caller_offs), "
      + "(void *)((unsigned long)(_stext) + REC->parent_offs)\n";

  static byte[] make() throws IOException {
    DatWriter w = DatWriter.read(SyntheticTraceDatTest.recorded("sched-irq-v7-zstd"));
    DatFile src = w.src;
    Endian e = src.endian;
    w.addFormat(FormatParser.header("lock", LOCK_ACQUIRE, 0));
    w.addFormat(FormatParser.header("lock", LOCK_RELEASE, 0));
    w.addFormat(FormatParser.header("rcu", RCU_CALLBACK, 0));
    w.addFormat(FormatParser.header("rcu", RCU_INVOKE, 0));
    w.addFormat(FormatParser.header("preemptirq", IRQ_DISABLE, 0));
    long fn = src.kallsyms.address(src.kallsyms.size() / 3);
    long parent = src.kallsyms.address(src.kallsyms.size() / 2);
    long rcuName = 0xffffffffc0de3000L;
    src.printkText = (new String(src.printkText, StandardCharsets.UTF_8)
        + String.format("0x%x : \"rcu_preempt\"\n", rcuName)).getBytes(StandardCharsets.UTF_8);
    List<DatWriter.Page> cpu1 = w.cpus.get(1);
    DatWriter.Page last = cpu1.get(cpu1.size() - 1);
    DatWriter.Rec lastRec = last.recs.get(last.recs.size() - 1);
    int pid = e.s32(lastRec.payload, 4);
    DatWriter.Page page = new DatWriter.Page();
    page.ts = lastRec.ts + 2000;
    long ts = page.ts;
    long lockAddr = 0xffff888100123450L;
    for (int flags = 0; flags < 4; flags++) {
      byte[] r = new byte[40];
      header(r, e, 2001, pid, 0x01, 0x01);
      e.put32(r, 8, flags);
      byte[] name = "&rq->__lock\0".getBytes(StandardCharsets.UTF_8);
      e.put32(r, 12, (name.length << 16) | 24);
      e.put64(r, 16, lockAddr + flags);
      System.arraycopy(name, 0, r, 24, name.length);
      page.recs.add(DatWriter.Rec.of(r, ts += 700));
      byte[] rel = new byte[40];
      header(rel, e, 2002, pid, 0x01, 0x01);
      e.put32(rel, 8, (name.length << 16) | 24);
      e.put64(rel, 16, lockAddr + flags);
      System.arraycopy(name, 0, rel, 24, name.length);
      page.recs.add(DatWriter.Rec.of(rel, ts += 700));
    }
    long rhp = 0xffff888100abc000L;
    byte[] cb = new byte[40];
    header(cb, e, 2003, pid, 0x00, 0x00);
    e.put64(cb, 8, rcuName);
    e.put64(cb, 16, rhp);
    e.put64(cb, 24, fn + 0x20);
    e.put64(cb, 32, 7);
    page.recs.add(DatWriter.Rec.of(cb, ts += 900));
    byte[] inv = new byte[32];
    header(inv, e, 2004, pid, 0x10, 0x01);
    e.put64(inv, 8, rcuName);
    e.put64(inv, 16, rhp);
    e.put64(inv, 24, fn + 0x20);
    page.recs.add(DatWriter.Rec.of(inv, ts += 900));
    long stext = src.kallsyms.addressOf("_stext");
    byte[] irq = new byte[16];
    header(irq, e, 2005, pid, 0x01, 0x00);
    e.put32(irq, 8, (int) (fn + 0x10 - stext));
    e.put32(irq, 12, (int) (parent + 0x30 - stext));
    page.recs.add(DatWriter.Rec.of(irq, ts += 900));
    // ftrace's own function-tracer entry (format id 1 in every trace.dat)
    byte[] f = new byte[24];
    header(f, e, 1, pid, 0x00, 0x00);
    e.put64(f, 8, fn + 4);
    e.put64(f, 16, parent + 8);
    page.recs.add(DatWriter.Rec.of(f, ts + 900));
    cpu1.add(page);
    return w.write(new DatWriter.Target());
  }

  private static void header(byte[] rec, Endian e, int id, int pid, int flags, int pc) {
    rec[0] = (byte) (e.big ? id >> 8 : id);
    rec[1] = (byte) (e.big ? id : id >> 8);
    rec[2] = (byte) flags;
    rec[3] = (byte) pc;
    e.put32(rec, 4, pid);
  }

  @Test
  void bodiesReadLikeTraceCmdsAndDecode() throws IOException {
    byte[] data = make();
    String dir = System.getProperty("kreplay.tracedat.write");
    if (dir != null) Files.write(Path.of(dir).resolve("kernel-events-v7-zstd.dat"), data);
    List<String> theirs = new ArrayList<>();
    try (InputStream in = OracleReport.open(TraceDatOracleTest.RES.resolve("kernel-events-v7-zstd.report.txt.xz"));
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        for (String name : new String[] {"lock_acquire", "lock_release", "rcu_callback", "rcu_invoke_callback",
            "irq_disable", "function"}) {
          int at = line.indexOf(": " + name + ": ");
          if (at >= 0) theirs.add(name + ": " + line.substring(at + name.length() + 4).strip());
        }
      }
    }
    List<String> mine = new ArrayList<>();
    List<TraceEvent> events = new ArrayList<>();
    try (TraceDatReader r = SyntheticTraceDatTest.reader("kernel-events", data)) {
      for (TraceEvent ev; (ev = r.next()) != null; ) {
        if (ev.kind() == EventKind.OTHER || ev.kind().isHardirqEntry() || ev.kind().isHardirqExit()) continue;
        switch (ev.kind()) {
          case LOCK_ACQUIRE: case LOCK_RELEASE: case RCU_CALLBACK: case RCU_INVOKE_CALLBACK: case IRQ_DISABLE:
          case FUNCTION:
            // trace-cmd's function plugin shows the function only (its parent option is off).
            mine.add(ev.name() + ": " + (ev.kind() == EventKind.FUNCTION ? ev.function() : ev.body()));
            events.add(ev.copy());
            break;
          default:
            break;
        }
      }
      assertThat(r.stats().skippedTotal()).isZero();
    }
    assertThat(theirs).hasSize(12);
    assertThat(mine).isEqualTo(theirs);
    // The decoder's reading of those bodies (the slots the analysis uses).
    TraceEvent acquire = events.get(6);
    assertThat(acquire.kind()).isEqualTo(EventKind.LOCK_ACQUIRE);
    assertThat(acquire.lockClass()).isEqualTo("&rq->__lock");
    assertThat(acquire.lockTry()).isTrue();
    assertThat(acquire.lockRead()).isEqualTo(1);
    assertThat(acquire.address()).isEqualTo(0xffff888100123453L);
    TraceEvent cb = events.get(8);
    assertThat(cb.kind()).isEqualTo(EventKind.RCU_CALLBACK);
    assertThat(cb.rcuFlavour()).isEqualTo("rcu_preempt");
    assertThat(cb.address()).isEqualTo(0xffff888100abc000L);
    assertThat(cb.function()).isNotNull().doesNotStartWith("0x");
    assertThat(events.get(9).function()).isEqualTo(cb.function());
    TraceEvent irq = events.get(10);
    assertThat(irq.kind()).isEqualTo(EventKind.IRQ_DISABLE);
    assertThat(irq.function()).as("caller = _stext + caller_offs").isEqualTo(cb.function());
    TraceEvent f = events.get(11);
    assertThat(f.kind()).isEqualTo(EventKind.FUNCTION);
    assertThat(f.function()).isEqualTo(cb.function());
    assertThat(f.parent()).as("the parent").isEqualTo(irq.parent());
  }
}
