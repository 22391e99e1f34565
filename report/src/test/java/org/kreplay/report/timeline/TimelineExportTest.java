package org.kreplay.report.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.CpuTimes;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.Mechanism;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.kreplay.report.timeline.PerfettoFile.Slice;

/**
 * The replayed timeline as Perfetto and Chrome JSON: decoded with Perfetto's own message
 * definitions, checked for what a viewer needs (declared tracks, nested slices, paired flows,
 * sorted), and for what it shows: on a hand-built trace exactly, on a real recording against the
 * analysis of the same replay.
 */
class TimelineExportTest {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  /**
   * CPU 0: stress runs, wakes cyclictest, takes irq 28 for 30 µs, then switches to cyclictest.
   * CPU 1: a TIMER softirq with the timer irq inside it.
   */
  static final String HAND_BUILT = String.join("\n",
      "# tracer: nop",
      "#",
      "          <idle>-0     [000] d..1.   100.000010: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120"
          + " prev_state=R ==> next_comm=stress next_pid=300 next_prio=120",
      "          <idle>-0     [001] ..s1.   100.000020: softirq_entry: vec=1 [action=TIMER]",
      "          <idle>-0     [001] d.H1.   100.000030: irq_handler_entry: irq=5 name=timer",
      "          <idle>-0     [001] d.H1.   100.000035: irq_handler_exit: irq=5 ret=handled",
      "          stress-300   [000] .....   100.000050: kmem_cache_free: call_site=__fput+0x141/0x2a0"
          + " ptr=00000000e1d2c3b4 name=filp",
      "          <idle>-0     [001] ..s1.   100.000050: softirq_exit: vec=1 [action=TIMER]",
      "          stress-300   [000] d..2.   100.000100: sched_waking: comm=cyclictest pid=200 prio=19 target_cpu=000",
      "          stress-300   [000] d.h1.   100.000110: irq_handler_entry: irq=28 name=eth0",
      "          stress-300   [000] d.h1.   100.000140: irq_handler_exit: irq=28 ret=handled",
      "          stress-300   [000] d..2.   100.000160: sched_switch: prev_comm=stress prev_pid=300 prev_prio=120"
          + " prev_state=R ==> next_comm=cyclictest next_pid=200 next_prio=19",
      "");

  @TempDir Path dir;

  record Export(byte[] bytes, AnalysisResult result, long outOfOrder) {}

  static Export export(Path trace, TimelineExport.Format format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AnalysisResult result;
    TimelineExport export = TimelineExport.open(format, out);
    try (TraceReader reader = Traces.open(trace.toString(), ReadOptions.defaults().bodies(false))) {
      result = Analyzer.analyze(reader, AnalysisOptions.defaults(), Analyzer.Progress.NONE, export);
    }
    export.close();
    return new Export(out.toByteArray(), result, export.outOfOrder());
  }

  private Path handBuilt() throws IOException {
    Path p = dir.resolve("hand.txt");
    Files.writeString(p, HAND_BUILT);
    return p;
  }

  private static long us(double micros) {
    return Math.round(100_000_000_000L + micros * 1000); // 100.000000 s + µs
  }

  private static Slice slice(String track, String name, double fromUs, double toUs, int depth) {
    return new Slice(track, name, null, us(fromUs), us(toUs), depth, Map.of());
  }

  /** Slices compared by where, what, when and depth (categories and args are checked apart). */
  private static List<Slice> shape(List<Slice> slices) {
    return slices.stream().map(s -> new Slice(s.track(), s.name(), null, s.begin(), s.end(), s.depth(), Map.of())).toList();
  }

  @Test
  void eachCpuShowsItsNestedContextsAndEachTaskItsStates() throws IOException {
    PerfettoFile f = PerfettoFile.decode(export(handBuilt(), TimelineExport.Format.PERFETTO).bytes());
    assertThat(shape(f.slicesOn("CPU 0"))).containsExactly(
        slice("CPU 0", "stress 300", 10, 160, 0),
        slice("CPU 0", "irq 28 (eth0)", 110, 140, 1),
        slice("CPU 0", "cyclictest 200", 160, 160, 0));
    assertThat(f.slicesOn("CPU 0")).extracting(Slice::category).containsExactly("task", "hardirq", "task");
    assertThat(f.slicesOn("CPU 0").get(0).args()).containsEntry("pid", 300L);
    // the timer irq runs inside the softirq it interrupted
    assertThat(shape(f.slicesOn("CPU 1"))).containsExactly(
        slice("CPU 1", "softirq TIMER", 20, 50, 0),
        slice("CPU 1", "irq 5 (timer)", 30, 35, 1));
    assertThat(shape(f.slicesOn("stress 300"))).containsExactly(
        slice("stress 300", "Running on CPU 0", 10, 160, 0),
        slice("stress 300", "Runnable", 160, 160, 0)); // preempted (prev_state=R)
    assertThat(shape(f.slicesOn("cyclictest 200"))).containsExactly(
        slice("cyclictest 200", "Runnable", 100, 160, 0),
        slice("cyclictest 200", "Running on CPU 0", 160, 160, 0));
    assertThat(f.tracks.values()).filteredOn(d -> d.getName().startsWith("CPU 0") || d.getName().startsWith("stress"))
        .allSatisfy(d -> assertThat(d.hasParentUuid()).as(d.getName() + " is in a group").isTrue());
  }

  @Test
  void theWakeupIsAnArrowFromWakingToRunningWithItsLatency() throws IOException {
    PerfettoFile f = PerfettoFile.decode(export(handBuilt(), TimelineExport.Format.PERFETTO).bytes());
    assertThat(f.flows.values()).containsExactly(new PerfettoFile.Flow(1, "CPU 0", us(100), "CPU 0", us(160)));
    PerfettoFile.Instant runs = f.instants.stream().filter(i -> !i.flowIn().isEmpty()).findFirst().orElseThrow();
    assertThat(runs.name()).isEqualTo("wakeup runs: cyclictest");
    assertThat(runs.args()).containsEntry("latency_ns", 60_000L);
  }

  /**
   * The irqs-off counter is off where analyze counts irqs off: between two events that both show
   * it, not after a switch (the scheduler's flags) nor up to an interrupt's arrival. CPU 0: on from
   * the switch at 10 (not off for the 40 µs to the next event), off in irq 28 and after it to the
   * switch; CPU 1: off only inside the timer irq.
   */
  @Test
  void countersShowIrqsOffWhereAnalyzeCountsIt() throws IOException {
    Export e = export(handBuilt(), TimelineExport.Format.PERFETTO);
    PerfettoFile f = PerfettoFile.decode(e.bytes());
    assertThat(f.counters.get("CPU 0 irqs off")).containsExactly(new long[] {us(10), 0}, new long[] {us(110), 1});
    assertThat(f.counters.get("CPU 1 irqs off")).containsExactly(
        new long[] {us(20), 0}, new long[] {us(30), 1}, new long[] {us(35), 0});
    // the same 50 µs on CPU 0 that analyze counts (110-160), 5 µs on CPU 1 (30-35)
    assertThat(e.result().cpu(0).irqsOffNs()).isEqualTo(50_000);
    assertThat(e.result().cpu(1).irqsOffNs()).isEqualTo(5_000);
  }

  /** Chrome JSON holds the same slices, on process/thread rows, in µs with the ns kept. */
  @Test
  void chromeJsonHoldsTheSameTimeline() throws IOException {
    // exact decimals: the ns must survive as the three digits after the µs point
    JsonNode doc = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(export(handBuilt(), TimelineExport.Format.CHROME_JSON).bytes());
    Map<String, String> threadNames = new HashMap<>();
    Map<String, Deque<JsonNode>> open = new HashMap<>();
    List<String> cpu0 = new ArrayList<>();
    Map<Long, String> flowStart = new HashMap<>();
    List<String> flows = new ArrayList<>();
    double last = Double.NEGATIVE_INFINITY;
    for (JsonNode e : doc.get("traceEvents")) {
      String row = e.path("pid").asText() + "/" + e.path("tid").asText();
      String ph = e.get("ph").asText();
      if (ph.equals("M")) {
        if (e.get("name").asText().equals("thread_name")) threadNames.put(row, e.get("args").get("name").asText());
        continue;
      }
      double ts = e.get("ts").decimalValue().doubleValue();
      assertThat(ts).as("sorted").isGreaterThanOrEqualTo(last);
      last = ts;
      switch (ph) {
        case "B" -> open.computeIfAbsent(row, k -> new ArrayDeque<>()).push(e);
        case "E" -> {
          JsonNode b = open.get(row).pop();
          if ("CPU 0".equals(threadNames.get(row))) {
            cpu0.add(b.get("name").asText() + " " + micros(b) + "-"
                + micros(e));
          }
        }
        case "s" -> flowStart.put(e.get("id").asLong(), micros(e));
        case "f" -> flows.add(flowStart.get(e.get("id").asLong()) + " -> " + micros(e)
            + " " + e.get("bp").asText());
        default -> { }
      }
    }
    assertThat(open.values()).allSatisfy(s -> assertThat(s).isEmpty());
    assertThat(cpu0).containsExactlyInAnyOrder("stress 300 100000010.000-100000160.000",
        "irq 28 (eth0) 100000110.000-100000140.000", "cyclictest 200 100000160.000-100000160.000");
    assertThat(flows).containsExactly("100000100.000 -> 100000160.000 e");
  }

  /**
   * A real recording: the file is what Perfetto reads, sorted, and shows each CPU's time in the
   * same contexts the analysis counted (the slices begin and end where the replay's context
   * changed), and one arrow per latency sample.
   */
  @Test
  void aRealRecordingShowsTheContextTimeTheAnalysisCounted() throws IOException {
    Export x = export(REPO.resolve("traces/cyclictest-loaded/trace.dat"), TimelineExport.Format.PERFETTO);
    PerfettoFile f = PerfettoFile.decode(x.bytes());
    assertThat(f.outOfOrder).as("events out of timestamp order").isEqualTo(x.outOfOrder());
    assertThat(x.outOfOrder()).as("arrows older than the writer holds").isLessThan(10);
    for (Map.Entry<Integer, CpuTimes> cpu : x.result().cpus().entrySet()) {
      Map<Category, Long> shown = innermostTime(f.slicesOn("CPU " + cpu.getKey()));
      for (Category c : List.of(Category.TASK, Category.IDLE, Category.SOFTIRQ, Category.HARDIRQ, Category.NMI)) {
        assertThat(shown.getOrDefault(c, 0L)).as("CPU %d %s time", cpu.getKey(), c.label())
            .isEqualTo(cpu.getValue().ns(c));
      }
    }
    long samples = 0;
    for (Mechanism m : Mechanism.values()) {
      DeferralRow all = x.result().deferrals().find(m, DeferralRow.Metric.LATENCY, DeferralRow.ALL);
      if (all != null) samples += all.stats().count();
    }
    assertThat(samples).isPositive();
    assertThat((long) f.flows.size()).as("one arrow per latency sample").isEqualTo(samples);
  }

  /** The event's timestamp in µs as written, three decimals (the viewer's unit, ns kept). */
  private static String micros(JsonNode e) {
    return e.get("ts").decimalValue().setScale(3).toPlainString();
  }

  /** Time per category of the innermost open slice, from the decoded slices of one CPU. */
  private static Map<Category, Long> innermostTime(List<Slice> slices) {
    List<long[]> edges = new ArrayList<>(); // ts, +1 begin / -1 end, index
    for (int i = 0; i < slices.size(); i++) {
      edges.add(new long[] {slices.get(i).begin(), 1, i});
      edges.add(new long[] {slices.get(i).end(), -1, i});
    }
    // at one timestamp: ends before begins, deeper ends first, shallower begins first
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
        : a[1] != b[1] ? Long.compare(a[1], b[1])
        : a[1] < 0 ? Integer.compare(slices.get((int) b[2]).depth(), slices.get((int) a[2]).depth())
        : Integer.compare(slices.get((int) a[2]).depth(), slices.get((int) b[2]).depth()));
    Map<Category, Long> time = new EnumMap<>(Category.class);
    Deque<Slice> stack = new ArrayDeque<>();
    long prev = 0;
    for (long[] e : edges) {
      if (!stack.isEmpty()) time.merge(category(stack.peek()), e[0] - prev, Long::sum);
      prev = e[0];
      if (e[1] > 0) stack.push(slices.get((int) e[2]));
      else stack.pop();
    }
    return time;
  }

  private static Category category(Slice s) {
    for (Category c : Category.values()) if (c.label().equals(s.category())) return c;
    throw new AssertionError("slice category " + s.category());
  }

  /**
   * Golden files for a small trace (seed 1, before the fix: a finding and a deferral): the
   * Perfetto file described line by line, and the Chrome JSON as written. After a deliberate
   * change, rewrite them with -Dkreplay.golden.update=true and read the diff.
   */
  @Test
  void seedOneBeforeMatchesItsGoldenFiles() throws IOException {
    Path trace = REPO.resolve("traces/seeds/1-put-task-struct/before.txt");
    PerfettoFile f = PerfettoFile.decode(export(trace, TimelineExport.Format.PERFETTO).bytes());
    assertThat(f.instants).as("the finding is an instant where it happened")
        .anySatisfy(i -> assertThat(i.category()).isEqualTo("finding"));
    golden("seed1-before.perfetto.txt", String.join("\n", f.describe()) + "\n");
    golden("seed1-before.chrome.json",
        new String(export(trace, TimelineExport.Format.CHROME_JSON).bytes(), StandardCharsets.UTF_8));
  }

  private static void golden(String name, String actual) throws IOException {
    Path file = REPO.resolve("report/src/test/resources/timeline").resolve(name);
    if (Boolean.getBoolean("kreplay.golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual);
    }
    assertThat(file).as("golden file (write it with -Dkreplay.golden.update=true)").exists();
    assertThat(actual).as(name).isEqualTo(Files.readString(file));
  }
}
