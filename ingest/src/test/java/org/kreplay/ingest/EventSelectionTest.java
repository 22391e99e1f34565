package org.kreplay.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * --pid/--comm/--event inside each reader: exactly the asked-for events are selected; for analysis
 * the rest still arrive marked context-only, for convert they are dropped; selected and not
 * selected add up to every event of the input.
 */
class EventSelectionTest {
  /** Two tasks, a (pid 10) and b (pid 20), on two CPUs; 10 events and one lost-events marker. */
  static final String TEXT = String.join("\n",
      "# tracer: nop",
      "  a-10 [000] d..2. 1.000000: sched_switch: prev_comm=a prev_pid=10 prev_prio=120 prev_state=S ==> next_comm=b next_pid=20 next_prio=120",
      "  b-20 [000] d..2. 1.000100: sched_waking: comm=a pid=10 prio=120 target_cpu=001",
      "  b-20 [000] ..... 1.000200: kmem_cache_free: call_site=f+0x1/0x2 ptr=000000000000beef name=x",
      "  b-20 [000] d.h1. 1.000300: irq_handler_entry: irq=42 name=eth0",
      "  b-20 [000] d.h1. 1.000400: irq_handler_exit: irq=42 ret=handled",
      "  c-30 [001] d..2. 1.000500: sched_switch: prev_comm=c prev_pid=30 prev_prio=120 prev_state=R ==> next_comm=a next_pid=10 next_prio=120",
      "  a-10 [001] ..... 1.000600: kmem_cache_free: call_site=g+0x1/0x2 ptr=000000000000cafe name=y",
      "  c-30 [000] d..2. 1.000700: sched_wakeup: comm=c pid=30 prio=120 target_cpu=000",
      "CPU:1 [LOST 3 EVENTS]",
      "  a-10 [001] d.s1. 1.000800: softirq_entry: vec=1 [action=TIMER]",
      "  a-10 [001] d.s1. 1.000900: softirq_exit: vec=1 [action=TIMER]",
      "");
  static final int EVENTS = 10;

  private static ReadOptions comm(String glob) {
    return ReadOptions.defaults().select(EventSelection.of(null, List.of(glob), null));
  }

  private static ReadOptions pid(int pid) {
    BitSet p = new BitSet();
    p.set(pid);
    return ReadOptions.defaults().select(EventSelection.of(p, null, null));
  }

  private static ReadOptions event(String glob) {
    return ReadOptions.defaults().select(EventSelection.of(null, null, List.of(glob)));
  }

  private record Read(List<String> selected, List<String> contextOnly, InputStats stats) {}

  /** "name@ts-in-us" of each event delivered, selected and context-only apart. */
  private static Read read(byte[] input, ReadOptions options) throws IOException {
    List<String> sel = new ArrayList<>();
    List<String> ctx = new ArrayList<>();
    try (TraceReader r = Traces.open("in", new ByteArrayInputStream(input), options)) {
      for (TraceEvent e = r.next(); e != null; e = r.next()) {
        String s = e.name() + "@" + (e.timestamp() - 1_000_000_000L) / 1000;
        (e.contextOnly() ? ctx : sel).add(s);
      }
      return new Read(sel, ctx, r.stats());
    }
  }

  /** The same events as canonical CSV or JSONL, written by convert's writers. */
  private static byte[] canonical(boolean csv) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TraceReader r = Traces.open("in", new ByteArrayInputStream(TEXT.getBytes(StandardCharsets.UTF_8)),
        ReadOptions.defaults())) {
      EventWriter w = csv ? EventWriter.csv(out) : EventWriter.jsonl(out);
      for (TraceEvent e = r.next(); e != null; e = r.next()) w.write(e);
      w.close();
    }
    return out.toByteArray();
  }

  private static List<byte[]> inputs() throws IOException {
    return List.of(TEXT.getBytes(StandardCharsets.UTF_8), canonical(true), canonical(false));
  }

  private static void eachReader(Function<Boolean, ReadOptions> options, List<String> selected,
      List<String> contextOnly) throws IOException {
    for (byte[] in : inputs()) {
      for (boolean readAhead : new boolean[] {true, false}) {
        String as = new String(in, 0, 12, StandardCharsets.UTF_8) + (readAhead ? " read ahead" : "");
        Read analysis = read(in, options.apply(true).readAhead(readAhead));
        assertThat(analysis.selected()).as(as).containsExactlyElementsOf(selected);
        assertThat(analysis.contextOnly()).as(as).containsExactlyElementsOf(contextOnly);
        assertThat(analysis.stats().events()).as(as).isEqualTo(selected.stream().filter(s -> !s.startsWith("lost")).count());
        assertThat(analysis.stats().eventsBeforeSelection()).as(as).isEqualTo(EVENTS);
        assertThat(analysis.stats().accountedLines()).as(as).isEqualTo(analysis.stats().lines());

        Read convert = read(in, options.apply(false).keepContext(false).readAhead(readAhead));
        // Convert is exact: a marker belongs to no task, and is kept only where --event names it.
        List<String> exact = selected.stream().filter(s -> !s.startsWith("lost")).toList();
        assertThat(convert.selected()).as(as + " convert").containsExactlyElementsOf(exact);
        assertThat(convert.contextOnly()).as(as + " convert").isEmpty();
        assertThat(convert.stats().eventsBeforeSelection()).as(as).isEqualTo(EVENTS);
        assertThat(convert.stats().accountedLines()).as(as).isEqualTo(convert.stats().lines());
      }
    }
  }

  @Test
  void commSelectsTheTasksEventsAndTheSwitchesAndWakeupsOfIt() throws IOException {
    eachReader(analysis -> comm("a"),
        List.of("sched_switch@0", "sched_waking@100", "sched_switch@500", "kmem_cache_free@600", "lost_events@700",
            "softirq_entry@800", "softirq_exit@900"),
        List.of("kmem_cache_free@200", "irq_handler_entry@300", "irq_handler_exit@400", "sched_wakeup@700"));
  }

  @Test
  void pidSelectsLikeComm() throws IOException {
    eachReader(analysis -> pid(20),
        List.of("sched_switch@0", "sched_waking@100", "kmem_cache_free@200", "irq_handler_entry@300",
            "irq_handler_exit@400", "lost_events@700"),
        List.of("sched_switch@500", "kmem_cache_free@600", "sched_wakeup@700", "softirq_entry@800",
            "softirq_exit@900"));
  }

  @Test
  void eventGlobSelectsByName() throws IOException {
    eachReader(analysis -> event("sched_*"),
        List.of("sched_switch@0", "sched_waking@100", "sched_switch@500", "sched_wakeup@700", "lost_events@700"),
        List.of("kmem_cache_free@200", "irq_handler_entry@300", "irq_handler_exit@400", "kmem_cache_free@600",
            "softirq_entry@800", "softirq_exit@900"));
  }

  @Test
  void aTraceDatSelectsInsideTheReader() throws IOException {
    String dat = Path.of("..", "traces", "cyclictest", "trace.dat").toString();
    ReadOptions all = ReadOptions.defaults();
    long total;
    long cyclictest = 0;
    try (TraceReader r = Traces.open(dat, all)) {
      for (TraceEvent e = r.next(); e != null; e = r.next()) {
        if (e.kind().isMarker()) continue;
        boolean task = "cyclictest".equals(e.comm()) || "cyclictest".equals(e.nextComm())
            || (e.kind() == EventKind.SCHED_SWITCH && "cyclictest".equals(e.prevComm()));
        if (task) cyclictest++;
      }
      total = r.stats().events();
    }
    assertThat(cyclictest).isPositive().isLessThan(total);
    for (boolean keep : new boolean[] {true, false}) {
      long selected = 0;
      long context = 0;
      try (TraceReader r = Traces.open(dat, comm("cyclic*").keepContext(keep))) {
        for (TraceEvent e = r.next(); e != null; e = r.next()) {
          if (e.kind().isMarker()) continue;
          if (e.contextOnly()) {
            context++;
          } else {
            selected++;
            assertThat(e.comm() + "/" + e.prevComm() + "/" + e.nextComm()).contains("cyclictest");
          }
        }
        assertThat(selected).as("keep context " + keep).isEqualTo(cyclictest).isEqualTo(r.stats().events());
        assertThat(r.stats().eventsBeforeSelection()).isEqualTo(total);
      }
      assertThat(context).isEqualTo(keep ? total - cyclictest : 0);
    }
  }

  @Test
  void convertKeepsMarkersThatEventNames() throws IOException {
    Read r = read(TEXT.getBytes(StandardCharsets.UTF_8), event("lost_*").keepContext(false));
    assertThat(r.selected()).containsExactly("lost_events@700");
    assertThat(r.stats().events()).isZero();
    assertThat(r.stats().eventsBeforeSelection()).isEqualTo(EVENTS);
  }

  @Test
  void globsAreShellGlobs() {
    EventSelection s = EventSelection.of(null, List.of("kworker/[0-1]:?H", "cyclic*"), null);
    assertThat(s.atHeader(1, "kworker/1:1H", "x", EventKind.OTHER)).isEqualTo(EventSelection.Verdict.SELECTED);
    assertThat(s.atHeader(1, "kworker/2:1H", "x", EventKind.OTHER)).isEqualTo(EventSelection.Verdict.NOT_SELECTED);
    assertThat(s.atHeader(1, "cyclictest", "x", EventKind.OTHER)).isEqualTo(EventSelection.Verdict.SELECTED);
    assertThat(s.atHeader(1, "a.b", "x", EventKind.OTHER)).isEqualTo(EventSelection.Verdict.NOT_SELECTED);
    assertThat(EventSelection.of(null, List.of("a.b"), null).atHeader(1, "axb", "x", EventKind.OTHER))
        .as("a dot is a dot").isEqualTo(EventSelection.Verdict.NOT_SELECTED);
    assertThat(s.atHeader(1, "bash", "sched_switch", EventKind.SCHED_SWITCH)).isEqualTo(EventSelection.Verdict.BY_BODY);
  }
}
