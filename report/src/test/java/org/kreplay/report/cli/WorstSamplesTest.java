package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceEvent;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.tukaani.xz.XZInputStream;

/**
 * {@code --worst N}: every deferral row keeps its N largest samples with the two events each lies
 * between, and each one is looked up in the input it names and found there — at its line of the
 * text, at its byte offset of the trace.dat — with the timestamps, CPUs and tasks reported.
 */
class WorstSamplesTest {
  private static final Path DIR = Path.of("..", "traces", "cyclictest");
  private static final String TEXT = DIR.resolve("trace.txt.xz").toString();
  private static final String DAT = DIR.resolve("trace.dat").toString();
  private static final String LOADED = Path.of("..", "traces", "cyclictest-loaded", "trace.txt.xz").toString();

  /** The events each mechanism's samples lie between (latency rows; run-time rows in RUNTIME_EVENTS). */
  private static final Map<String, List<String>> LATENCY_EVENTS = Map.of(
      "workqueue", List.of("workqueue_queue_work", "workqueue_execute_start"),
      "hrtimer", List.of("hrtimer_start", "hrtimer_expire_entry"),
      "timer", List.of("timer_start", "timer_expire_entry"),
      "softirq", List.of("softirq_raise", "softirq_entry"),
      "wakeup", List.of("sched_waking", "sched_switch"));
  private static final Map<String, List<String>> RUNTIME_EVENTS = Map.of(
      "workqueue", List.of("workqueue_execute_start", "workqueue_execute_end"),
      "softirq", List.of("softirq_entry", "softirq_exit"));

  private static JsonNode json(String... args) throws IOException {
    return new ObjectMapper().readTree(Cli.ok(args));
  }

  private static List<JsonNode> samples(JsonNode analysis) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode row : analysis.get("deferrals")) for (JsonNode w : row.get("worst")) out.add(w);
    return out;
  }

  private static String events(JsonNode row, int end) {
    Map<String, List<String>> names = row.get("metric").asText().equals("latency") ? LATENCY_EVENTS : RUNTIME_EVENTS;
    List<String> pair = names.get(row.get("mechanism").asText());
    return pair == null ? null : pair.get(end);
  }

  @Test
  void everyWorstSampleOfTheTextTraceIsAtTheLinesItNames() throws IOException {
    JsonNode analysis = json("analyze", "-q", "-f", "json", TEXT);
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new XZInputStream(Files.newInputStream(Path.of(TEXT))), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) lines.add(l);
    }
    int checked = 0;
    for (JsonNode row : analysis.get("deferrals")) {
      JsonNode worst = row.get("worst");
      assertThat(worst.size()).isLessThanOrEqualTo(5);
      if (row.get("count").asLong() >= 5) assertThat(worst.size()).as(row.toString()).isEqualTo(5);
      // The headline max is the first worst sample.
      if (worst.size() > 0) assertThat(worst.get(0).get("latency_ns").asLong()).isEqualTo(row.get("max_ns").asLong());
      long previous = Long.MAX_VALUE;
      for (JsonNode w : worst) {
        assertThat(w.get("latency_ns").asLong()).isLessThanOrEqualTo(previous);
        previous = w.get("latency_ns").asLong();
        assertThat(w.get("source").asText()).isEqualTo(TEXT);
        assertThat(w.get("position_kind").asText()).isEqualTo("line");
        boolean wakeup = row.get("mechanism").asText().equals("wakeup");
        for (String end : List.of("enqueue", "execute")) {
          JsonNode e = w.get(end);
          long line = e.get("position").asLong();
          assertThat(e.get("where").asText()).isEqualTo(TEXT + ":" + line);
          String text = lines.get((int) line - 1);
          long ts = e.get("ts_ns").asLong();
          String where = row.get("mechanism").asText() + " " + row.get("key").asText() + " " + end + " at line " + line;
          assertThat(text).as(where).contains(String.format(Locale.ROOT, " %d.%06d: ", ts / 1_000_000_000L,
              ts % 1_000_000_000L / 1000));
          assertThat(text).as(where).contains(String.format(Locale.ROOT, "[%03d]", e.get("cpu").asInt()));
          String task = e.get("comm").asText() + "-" + e.get("pid").asInt();
          if (wakeup && end.equals("execute")) {
            // the runner of a wakeup is the task switched in
            assertThat(text).as(where).contains("next_comm=" + e.get("comm").asText() + " next_pid=" + e.get("pid").asInt());
          } else {
            assertThat(text.strip()).as(where).startsWith(task + " ");
          }
          String name = events(row, end.equals("enqueue") ? 0 : 1);
          if (name != null && !(wakeup && end.equals("enqueue"))) assertThat(text).as(where).contains(" " + name + ": ");
          if (wakeup && end.equals("enqueue")) assertThat(text).as(where).containsPattern(" sched_wak(ing|eup|eup_new): ");
        }
        // Latencies between two timestamps are their difference (hrtimer and timer lateness come from event
        // fields; a chain that starts with a timer counts from when it was due).
        if (!List.of("hrtimer", "timer", "chain").contains(row.get("mechanism").asText())) {
          assertThat(w.get("latency_ns").asLong()).isEqualTo(w.get("execute").get("ts_ns").asLong()
              - w.get("enqueue").get("ts_ns").asLong());
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void everyWorstSampleOfTheTraceDatIsAtTheByteOffsetItNames() throws IOException {
    JsonNode analysis = json("analyze", "-q", "-f", "json", DAT);
    // (position, timestamp, cpu) of every event a sample names -> what it says about the event
    Map<String, JsonNode> wanted = new HashMap<>();
    for (JsonNode row : analysis.get("deferrals")) {
      for (JsonNode w : row.get("worst")) {
        assertThat(w.get("position_kind").asText()).isEqualTo("byte_offset");
        boolean wakeup = row.get("mechanism").asText().equals("wakeup");
        for (String end : List.of("enqueue", "execute")) {
          JsonNode e = w.get(end);
          assertThat(e.get("where").asText()).isEqualTo(DAT + "@" + e.get("position").asLong());
          ((com.fasterxml.jackson.databind.node.ObjectNode) e).put("runner", wakeup && end.equals("execute"));
          wanted.put(e.get("position").asLong() + "/" + e.get("ts_ns").asLong() + "/" + e.get("cpu").asInt(), e);
        }
      }
    }
    assertThat(wanted).hasSizeGreaterThan(100);
    Set<String> found = new HashSet<>();
    try (TraceReader reader = Traces.open(DAT, ReadOptions.defaults())) {
      for (TraceEvent ev = reader.next(); ev != null; ev = reader.next()) {
        String id = ev.line() + "/" + ev.timestamp() + "/" + ev.cpu();
        JsonNode e = wanted.get(id);
        if (e == null) continue;
        boolean runner = e.get("runner").asBoolean();
        int pid = runner ? ev.nextPid() : ev.pid();
        String comm = runner ? ev.nextComm() : ev.comm();
        if (runner && ev.kind() != EventKind.SCHED_SWITCH) continue;
        if (pid == e.get("pid").asInt() && comm != null && comm.equals(e.get("comm").asText())) found.add(id);
      }
    }
    assertThat(wanted.keySet()).as("events found at their offsets").isEqualTo(found);
  }

  @Test
  void mergedInputsKeepTheGlobalWorstWithTheirFileNames() throws IOException {
    List<JsonNode> both = new ArrayList<>();
    for (String f : List.of(TEXT, LOADED)) both.addAll(hrtimerAll(json("analyze", "-q", "-f", "json", f)));
    both.sort((a, b) -> Long.compare(b.get("latency_ns").asLong(), a.get("latency_ns").asLong()));
    List<String> expected = both.subList(0, 5).stream().map(WorstSamplesTest::id).toList();
    List<String> merged = hrtimerAll(json("analyze", "-q", "-f", "json", TEXT, LOADED)).stream().map(WorstSamplesTest::id).toList();
    assertThat(merged).isEqualTo(expected);
    // the loaded run's 28.6 ms lateness leads, named by its file
    assertThat(merged.get(0)).startsWith(LOADED + " ");
    // batch merges the same way, across its jobs
    JsonNode batch = json("batch", "-q", "-f", "json", "-j", "2", TEXT, LOADED);
    assertThat(hrtimerAll(batch.get("result")).stream().map(WorstSamplesTest::id).toList()).isEqualTo(expected);
  }

  private static List<JsonNode> hrtimerAll(JsonNode analysis) {
    for (JsonNode row : analysis.get("deferrals")) {
      if (row.get("mechanism").asText().equals("hrtimer") && row.get("metric").asText().equals("latency")
          && row.get("key").asText().equals("all")) {
        List<JsonNode> out = new ArrayList<>();
        row.get("worst").forEach(out::add);
        return out;
      }
    }
    throw new AssertionError("no hrtimer all row");
  }

  private static String id(JsonNode w) {
    return w.get("source").asText() + " " + w.get("latency_ns").asLong() + " " + w.get("execute").get("ts_ns").asLong();
  }

  @Test
  void worstNSetsHowManyAndTheCsvTableHasOneLinePerSample() throws IOException {
    JsonNode two = json("analyze", "-q", "-f", "json", "--worst", "2", TEXT);
    for (JsonNode row : two.get("deferrals")) {
      assertThat(row.get("worst").size()).isEqualTo((int) Math.min(2, row.get("count").asLong()));
    }
    assertThat(samples(json("analyze", "-q", "-f", "json", "--worst", "0", TEXT))).isEmpty();
    Cli.Run bad = Cli.run("analyze", "--worst", "-1", TEXT);
    assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("--worst -1: must be between 0 and 100");

    List<String> csv = Cli.ok("analyze", "-q", "-f", "csv", "--csv-table", "worst", TEXT).lines().toList();
    assertThat(csv.get(0)).isEqualTo("mechanism,metric,row_key,rank,key,unit,latency_ns,source,enqueue_ts_ns,"
        + "enqueue_cpu,enqueue_pid,enqueue_comm,enqueue_position,execute_ts_ns,execute_cpu,execute_pid,execute_comm,"
        + "execute_position,position_kind");
    JsonNode analysis = json("analyze", "-q", "-f", "json", TEXT);
    assertThat(csv).hasSize(1 + samples(analysis).size());
    JsonNode first = hrtimerAll(analysis).get(0);
    assertThat(csv).contains(String.join(",", "hrtimer", "latency", "all", "1", first.get("key").asText(), "ns",
        first.get("latency_ns").asText(), TEXT, first.get("enqueue").get("ts_ns").asText(),
        first.get("enqueue").get("cpu").asText(), first.get("enqueue").get("pid").asText(),
        first.get("enqueue").get("comm").asText(), first.get("enqueue").get("position").asText(),
        first.get("execute").get("ts_ns").asText(), first.get("execute").get("cpu").asText(),
        first.get("execute").get("pid").asText(), first.get("execute").get("comm").asText(),
        first.get("execute").get("position").asText(), "line"));
  }

  @Test
  void theTextAndHtmlReportsShowTheWorstUnderEachLatencyTable() {
    String text = Cli.ok("analyze", "-q", DAT);
    // hrtimer's worst: 3.08 ms, the max of the table above it, with both offsets
    // ... and what its CPU did meanwhile: idle (the timer interrupt came late), a little of the timer vector
    assertThat(text).containsPattern("\n  hrtimer +hrtimer_wakeup +3\\.08ms +413\\.48\\d+ +413\\.500181 +1 +cyclictest/3889"
        + " +<idle>/0 +\\.\\./traces/cyclictest/trace\\.dat@\\d+ → @\\d+ +100% idle, <1% local_timer vector\n");
    assertThat(text).contains("Worst samples of each mechanism, with the two events each lies between");
    String md = Cli.ok("analyze", "-q", "-f", "md", TEXT);
    assertThat(md).contains("| mechanism | key | latency | enqueued | ran | CPU | enqueued by | ran in | at | meanwhile on its CPU |");
    String html = Cli.ok("analyze", "-q", "-f", "html", TEXT);
    org.jsoup.nodes.Document page = org.jsoup.Jsoup.parse(html);
    org.jsoup.nodes.Element worst = page.getElementById("latency-hrtimer-worst");
    assertThat(worst).isNotNull();
    assertThat(worst.select("tbody tr")).hasSize(5);
    assertThat(worst.select("tbody tr").first().text()).contains("hrtimer_wakeup", "3.08ms", "cyclictest/3889",
        TEXT + ":", "100% idle");
    // each mechanism's p99 tail as stacked bars: the hrtimer tail of this idle machine is idle time
    assertThat(page.select("figure.chart")).anySatisfy(f -> assertThat(f.text())
        .contains("hrtimer: what the CPUs did in the p99 tail", "all (", "idle", "samples above p99"));
  }

  /**
   * Every kept sample's blame in the JSON adds up to its latency, largest part first (a timer's to
   * its wait since its due jiffy); the blame
   * CSV table has a line per part of the same samples.
   */
  @Test
  void eachWorstSampleSaysWhatItsCpuDidMeanwhile() throws IOException {
    JsonNode doc = json("analyze", "-q", "-f", "json", TEXT);
    int samples = 0;
    int csvLinesExpected = 0;
    int tails = 0;
    int timerBlames = 0;
    for (JsonNode row : doc.get("deferrals")) {
      JsonNode tail = row.get("tail_blame");
      if (!tail.isNull()) {
        tails++;
        csvLinesExpected += tail.get("blame").size();
        assertThat(tail.get("samples").asLong()).isPositive().isLessThanOrEqualTo(row.get("count").asLong());
        assertThat(tail.get("from_ns").asLong()).isGreaterThan(row.get("p99_ns").asLong() * 15 / 16);
      }
      for (JsonNode w : row.get("worst")) {
        JsonNode blame = w.get("blame");
        if (row.get("mechanism").asText().equals("timer")) {
          // lateness in whole jiffies; the blame covers the wait since the due jiffy was first seen:
          // at most one jiffy (10 ms at HZ 100) more
          long sum = 0;
          for (JsonNode part : blame) sum += part.get("ns").asLong();
          assertThat(sum).as(w.toString()).isLessThanOrEqualTo(w.get("latency_ns").asLong() + 10_000_000L);
          if (sum > 0) timerBlames++;
          csvLinesExpected += blame.size();
          continue;
        }
        if (row.get("mechanism").asText().equals("chain")) {
          // its stages may have run on several CPUs: each stage's own row has the blame
          assertThat(blame).as(w.toString()).isEmpty();
          continue;
        }
        if (w.get("latency_ns").asLong() == 0) {
          assertThat(blame).as("no wait has nothing to blame").isEmpty();
          continue;
        }
        assertThat(blame).as(w.toString()).isNotEmpty();
        long sum = 0;
        long previous = Long.MAX_VALUE;
        assertThat(blame.size()).isLessThanOrEqualTo(10);
        for (JsonNode part : blame) {
          sum += part.get("ns").asLong();
          if (part.get("what").asText().matches("\\(\\d+ more\\)")) continue; // the rest, summed: last
          assertThat(part.get("ns").asLong()).isLessThanOrEqualTo(previous);
          previous = part.get("ns").asLong();
        }
        assertThat(sum).as(w.toString()).isEqualTo(w.get("latency_ns").asLong());
        samples++;
        csvLinesExpected += blame.size();
      }
    }
    assertThat(samples).isGreaterThan(50);
    assertThat(tails).isGreaterThan(20);
    assertThat(timerBlames).as("timer-wheel samples blamed from their due jiffy").isPositive();
    String csv = Cli.ok("analyze", "-q", "-f", "csv", "--csv-table", "blame", TEXT);
    String[] lines = csv.split("\n");
    assertThat(lines[0]).isEqualTo("mechanism,metric,row_key,rank,key,latency_ns,execute_cpu,execute_ts_ns,what,ns,percent");
    assertThat(lines).hasSize(csvLinesExpected + 1);
    // the worst hrtimer (3.08 ms on CPU 1): mostly idle
    assertThat(csv).containsPattern("\nhrtimer,latency,all,1,hrtimer_wakeup,308\\d{4},1,\\d+,idle,30\\d{5},\\d+\\.\\d\n");
  }
}
