package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kreplay analyze` as a user runs it, on the bundled real traces. */
class AnalyzeCommandTest {
  static final String TRACE = Path.of("..", "traces", "cyclictest", "trace.txt.xz").toString();
  static final String LOADED = Path.of("..", "traces", "cyclictest-loaded", "report-l.txt.xz").toString();
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void textReportOnABundledTrace() {
    Cli.Run r = Cli.run("analyze", "-q", TRACE);
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("Trace", "ftrace text (xz)", "kernel, 5 columns", "73,840",
        "Context time per CPU", "Deferral latency", "hrtimer_wakeup", "Run time");
  }

  @Test
  void jsonHasTheDocumentedStableFields() throws IOException {
    Cli.Run r = Cli.run("analyze", "-q", "--format", "json", TRACE);
    assertThat(r.exit()).isZero();
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.get("schema_version").asInt()).isEqualTo(1);
    assertThat(root.get("kind").asText()).isEqualTo("analysis");
    assertThat(root.get("summary").get("events").asLong()).isEqualTo(73_840);
    assertThat(root.get("input").get("lines").asLong()).isEqualTo(73_852);
    Set<String> mechanismsWithAll = new HashSet<>();
    for (JsonNode row : root.get("deferrals")) {
      for (String f : List.of("mechanism", "metric", "key", "class", "unit", "count", "min_ns", "p50_ns", "p90_ns",
          "p99_ns", "p999_ns", "max_ns", "mean_ns", "unmatched_enqueue", "unmatched_execute", "across_gap",
          "already_running")) {
        assertThat(row.has(f)).as(f + " in " + row).isTrue();
      }
      assertThat(row.get("mechanism").asText()).isIn("workqueue", "hrtimer", "timer", "softirq", "irq_work", "rcu", "wakeup", "chain");
      if (row.get("key").asText().equals("all")) mechanismsWithAll.add(row.get("mechanism").asText() + "/" + row.get("metric").asText());
      assertThat(row.get("min_ns").asLong()).isLessThanOrEqualTo(row.get("p50_ns").asLong());
      assertThat(row.get("p50_ns").asLong()).isLessThanOrEqualTo(row.get("p99_ns").asLong());
      assertThat(row.get("p99_ns").asLong()).isLessThanOrEqualTo(row.get("max_ns").asLong());
    }
    assertThat(mechanismsWithAll).contains("workqueue/latency", "hrtimer/latency", "timer/latency",
        "softirq/latency", "wakeup/latency", "workqueue/runtime", "softirq/runtime");
    JsonNode cpu0 = root.get("cpus").get(0);
    long parts = 0;
    for (String c : List.of("task_ns", "idle_ns", "softirq_ns", "hardirq_ns", "nmi_ns", "unknown_ns")) parts += cpu0.get(c).asLong();
    assertThat(parts).isEqualTo(cpu0.get("span_ns").asLong());
  }

  @Test
  void csvHasTheSameColumnsAndRowsAsTheJson() throws IOException {
    Cli.Run json = Cli.run("analyze", "-q", "-f", "json", TRACE);
    Cli.Run csv = Cli.run("analyze", "-q", "-f", "csv", TRACE);
    List<String> lines = csv.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("mechanism,metric,key,class,unit,count,min_ns,p50_ns,p90_ns,p99_ns,p999_ns,"
        + "max_ns,mean_ns,unmatched_enqueue,unmatched_execute,across_gap,already_running,resolution_ns");
    JsonNode rows = JSON.readTree(json.out()).get("deferrals");
    assertThat(lines).hasSize(rows.size() + 1);
    assertThat(lines.get(1)).startsWith(rows.get(0).get("mechanism").asText() + ",");
    assertThat(Cli.ok("analyze", "-q", "-f", "csv", "--csv-table", "cpus", TRACE))
        .startsWith("cpu,span_ns,task_ns,idle_ns,softirq_ns,hardirq_ns,nmi_ns,unknown_ns,irqs_off_ns,irqs_known_ns,events\n0,");
  }

  @Test
  void latenciesFromMicrosecondTimestampsAreShownToTheMicrosecondAndSaySo() throws IOException {
    String text = Cli.ok("analyze", "-q", TRACE);
    assertThat(text).contains("timestamps    µs resolution: latencies between timestamps are shown to 1µs"
        + " (hrtimer lateness comes from ns fields)");
    // five works: 11, 12, 13, 14, 14 µs after their enqueue (traces/cyclictest/trace.txt)
    assertThat(text).containsPattern("workqueue  vmstat_update +5 +11µs +13µs +14µs +14µs +14µs +14µs +12.4µs ");
    // hrtimer lateness is now - softexpires, both in ns: nanoseconds stay
    assertThat(text).containsPattern("hrtimer    hrtimer_wakeup +plain +5,356 +649ns +10.4µs ");
    JsonNode root = JSON.readTree(Cli.ok("analyze", "-q", "-f", "json", TRACE));
    assertThat(root.at("/summary/timestamp_resolution_ns").asLong()).isEqualTo(1000);
    for (JsonNode row : root.get("deferrals")) {
      if (row.get("key").asText().equals("vmstat_update") && row.get("metric").asText().equals("latency")) {
        assertThat(row.get("p50_ns").asLong()).as("not the bucket edge 13,055").isEqualTo(13_000);
        assertThat(row.get("resolution_ns").asLong()).isEqualTo(1000);
      }
      if (row.get("mechanism").asText().equals("hrtimer")) assertThat(row.get("resolution_ns").asLong()).isEqualTo(1);
    }
    String dat = Cli.ok("analyze", "-q", Path.of("..", "traces", "cyclictest", "trace.dat").toString());
    assertThat(dat).contains("timestamps    ns resolution").containsPattern("workqueue  vmstat_update +5 +1[0-9.]+µs");
  }

  @Test
  void markdownIsPlainTables() {
    Cli.Run r = Cli.run("analyze", "-q", "-f", "md", TRACE);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("## kreplay analysis", "| mechanism | key | class |", "| --- | --- | --- | ---: |");
    assertThat(r.out()).doesNotContain("<table", "<div");
  }

  @Test
  void outputFilesAppearWholeAndLeaveNoTemporaries(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("result.json");
    Cli.Run r = Cli.run("analyze", "-q", "-f", "json", "-o", out.toString(), TRACE);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(JSON.readTree(out.toFile()).get("schema_version").asInt()).isEqualTo(1);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("result.json");
    }
  }

  @Test
  void outputToADeviceOrPipeIsWrittenInPlaceNotReplaced(@TempDir Path dir) throws Exception {
    // "-o /dev/null" once renamed a temporary file onto the device; a named pipe stands in for it
    // here (replacing it would turn it into a regular file, and the reader below would never finish)
    Path fifo = dir.resolve("report.fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo not available");
    var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readString(fifo);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Cli.Run viaFifo = Cli.run("analyze", "-q", "-f", "json", "-o", fifo.toString(), TRACE);
    assertThat(viaFifo.exit()).isZero();
    assertThat(JSON.readTree(reader.get(30, java.util.concurrent.TimeUnit.SECONDS)).get("schema_version").asInt())
        .isEqualTo(1);
    assertThat(Files.isRegularFile(fifo)).isFalse();
  }

  @Test
  void aFailedRunLeavesTheOldOutputUntouched(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("result.json");
    Files.writeString(out, "previous");
    Cli.Run r = Cli.run("analyze", "-q", "-o", out.toString(), dir.resolve("missing.txt").toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(Files.readString(out)).isEqualTo("previous");
    try (var files = Files.list(dir)) {
      assertThat(files.count()).isEqualTo(1);
    }
  }

  @Test
  void malformedLinesAreReportedAndTheAnalysisCarriesOn(@TempDir Path dir) throws IOException {
    Path t = dir.resolve("bad.txt");
    Files.writeString(t, String.join("\n",
        "# tracer: nop",
        "  a-1 [000] d..1. 1.000001: softirq_raise: vec=1 [action=TIMER]",
        "garbage in the middle of a trace",
        "  a-1 [000] ..s1. 1.000009: softirq_entry: vec=1 [action=TIMER]",
        ""));
    Cli.Run lenient = Cli.run("analyze", "-f", "json", t.toString());
    assertThat(lenient.exit()).isZero();
    assertThat(lenient.err()).contains("1 input lines skipped").contains(t + ":3: not an event line");
    JsonNode root = JSON.readTree(lenient.out());
    assertThat(root.get("input").get("skipped_by_reason").get("not an event line").asInt()).isEqualTo(1);
    assertThat(root.get("input").get("problems").get(0).get("line").asInt()).isEqualTo(3);
    assertThat(root.get("deferrals").get(0).get("count").asInt()).isEqualTo(1);

    Cli.Run strict = Cli.run("analyze", "--strict", t.toString());
    assertThat(strict.exit()).isEqualTo(3);
    assertThat(strict.err()).isEqualTo("kreplay: " + t + ":3: not an event line: garbage in the middle of a trace\n");
    assertThat(strict.out()).isEmpty();
  }

  @Test
  void usageErrorsExitWithTwoAndSayWhy() {
    Cli.Run unknown = Cli.run("analyze", "--frobnicate", TRACE);
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--frobnicate'").doesNotContain("at org.");
    assertThat(Cli.run("analyze", "--cpu", "x-1", TRACE).err()).contains("--cpu: 'x-1' is not a CPU number");
    assertThat(Cli.run("analyze", "--cpu", "x-1", TRACE).exit()).isEqualTo(2);
    assertThat(Cli.run("analyze", "--from", "5", "--to", "4", TRACE).exit()).isEqualTo(2);
    assertThat(Cli.run("analyze").exit()).isEqualTo(2);
    assertThat(Cli.run("analyze", "-f", "pdf", TRACE).exit()).isEqualTo(2);
  }

  @Test
  void cpuAndTimeFiltersSelectEvents() throws IOException {
    JsonNode all = JSON.readTree(Cli.run("analyze", "-q", "-f", "json", TRACE).out());
    JsonNode cpu1 = JSON.readTree(Cli.run("analyze", "-q", "-f", "json", "--cpu", "1", TRACE).out());
    assertThat(cpu1.get("summary").get("cpus").toString()).isEqualTo("[1]");
    long filtered = cpu1.get("input").get("filtered").asLong();
    assertThat(cpu1.get("summary").get("events").asLong() + filtered).isEqualTo(all.get("summary").get("events").asLong());
    JsonNode window = JSON.readTree(Cli.run("analyze", "-q", "-f", "json", "--from", "411", "--until", "412", TRACE).out());
    assertThat(window.get("summary").get("first_timestamp_ns").asLong()).isGreaterThanOrEqualTo(411_000_000_000L);
    assertThat(window.get("summary").get("last_timestamp_ns").asLong()).isLessThanOrEqualTo(412_000_000_000L);
  }

  @Test
  void standardInputIsATrace() throws IOException {
    byte[] data = Files.readAllBytes(Path.of(TRACE));
    Cli.Run r = Cli.runWithStdin(data, "analyze", "-q", "-f", "json", "-");
    assertThat(r.exit()).isZero();
    JsonNode root = JSON.readTree(r.out());
    assertThat(root.get("summary").get("sources").get(0).asText()).isEqualTo("-");
    assertThat(root.get("summary").get("events").asLong()).isEqualTo(73_840);
  }

  @Test
  void severalTracesMergeInAnyOrder() throws IOException {
    JsonNode ab = JSON.readTree(Cli.run("analyze", "-q", "-f", "json", TRACE, LOADED).out());
    JsonNode ba = JSON.readTree(Cli.run("analyze", "-q", "-f", "json", LOADED, TRACE).out());
    assertThat(ab).isEqualTo(ba);
    JsonNode a = JSON.readTree(Cli.run("analyze", "-q", "-f", "json", TRACE).out());
    JsonNode b = JSON.readTree(Cli.run("analyze", "-q", "-f", "json", LOADED).out());
    assertThat(ab.get("summary").get("events").asLong())
        .isEqualTo(a.get("summary").get("events").asLong() + b.get("summary").get("events").asLong());
    assertThat(allRow(ab, "wakeup").get("count").asLong())
        .isEqualTo(allRow(a, "wakeup").get("count").asLong() + allRow(b, "wakeup").get("count").asLong());
    assertThat(allRow(ab, "wakeup").get("max_ns").asLong())
        .isEqualTo(Math.max(allRow(a, "wakeup").get("max_ns").asLong(), allRow(b, "wakeup").get("max_ns").asLong()));
  }

  private static JsonNode allRow(JsonNode root, String mechanism) {
    for (JsonNode row : root.get("deferrals")) {
      if (row.get("mechanism").asText().equals(mechanism) && row.get("key").asText().equals("all")
          && row.get("metric").asText().equals("latency")) {
        return row;
      }
    }
    throw new AssertionError("no all row for " + mechanism);
  }
}
