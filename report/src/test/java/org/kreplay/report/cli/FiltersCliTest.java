package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * --pid/--comm/--event as a user sees them: analysis keeps the per-CPU context table as without the
 * filter while its deferrals come from the selected task's events; convert writes only what was
 * asked for; bad values are usage errors naming the option.
 */
class FiltersCliTest {
  private static final String LOADED = Path.of("..", "traces", "cyclictest-loaded", "trace.dat").toString();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode analyze(String... args) throws IOException {
    String[] all = new String[args.length + 4];
    all[0] = "analyze";
    all[1] = "-q";
    all[2] = "-f";
    all[3] = "json";
    System.arraycopy(args, 0, all, 4, args.length);
    return JSON.readTree(Cli.ok(all));
  }

  private static JsonNode row(JsonNode json, String mechanism, String key) {
    for (JsonNode r : json.get("deferrals")) {
      if (r.get("mechanism").asText().equals(mechanism) && r.get("key").asText().equals(key)
          && r.get("metric").asText().equals("latency")) {
        return r;
      }
    }
    return null;
  }

  @Test
  void commKeepsTheCpuContextAndMeasuresTheTasksOwnDeferrals() throws IOException {
    JsonNode all = analyze(LOADED);
    JsonNode some = analyze("--comm", "cyclictest*", LOADED);
    // What ran on the CPUs is still all charged: the context table is the one without the filter.
    assertThat(some.get("cpus")).isEqualTo(all.get("cpus"));
    // Its own wakeups are all measured, exactly as without the filter (its wakeups and switches are its events).
    assertThat(row(some, "wakeup", "cyclictest")).isEqualTo(row(all, "wakeup", "cyclictest"));
    // The other tasks' own deferrals are gone: a disk irq's work is not cyclictest's.
    assertThat(row(all, "workqueue", "blk_mq_requeue_work").get("count").asLong()).isGreaterThan(10_000);
    assertThat(row(some, "workqueue", "blk_mq_requeue_work")).isNull();
    // Every kept sample lies between events of cyclictest: it enqueued it or it ran it.
    for (JsonNode r : some.get("deferrals")) {
      for (JsonNode w : r.get("worst")) {
        assertThat(w.at("/enqueue/comm").asText() + " " + w.at("/execute/comm").asText()).as(r.toString())
            .contains("cyclictest");
      }
    }
    // Counted, never lost: selected and not selected are every event.
    JsonNode sel = some.at("/summary/selection");
    assertThat(sel.get("options").asText()).isEqualTo("--comm cyclictest*");
    assertThat(sel.get("of").asLong()).isEqualTo(all.at("/summary/events").asLong());
    assertThat(sel.get("selected").asLong()).isEqualTo(some.at("/summary/events").asLong()).isBetween(1L, sel.get("of").asLong() - 1);
    assertThat(Cli.ok("analyze", "-q", "--comm", "cyclictest*", "--event", "sched_*", "--pid", "8299,8300", LOADED))
        .containsPattern("selected +[0-9,]+ of 298,734 events \\(--pid 8299,8300 --comm cyclictest\\* --event sched_\\*\\)");
  }

  @Test
  void convertWritesOnlyTheEventsAskedFor(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path out = dir.resolve("sched.csv");
    Cli.ok("convert", "-q", "-f", "csv", "--event", "sched_*", "-o", out.toString(), LOADED);
    long lines = 0;
    for (String line : Files.readAllLines(out)) {
      if (line.startsWith("#") || line.startsWith("ts_ns,")) continue;
      assertThat(line.split(",", -1)[13]).startsWith("sched_");
      lines++;
    }
    JsonNode all = analyze(LOADED).get("events_by_name");
    long sched = 0;
    for (var it = all.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().startsWith("sched_")) sched += e.getValue().asLong();
    }
    assertThat(lines).isEqualTo(sched).isPositive();

    Path task = dir.resolve("task.jsonl");
    Cli.ok("convert", "-q", "-f", "jsonl", "--pid", "8299", "-o", task.toString(), LOADED);
    for (String line : Files.readAllLines(task)) {
      JsonNode e = JSON.readTree(line);
      if (e.has("kreplay")) continue;
      assertThat(e.toString()).contains("8299");
    }
  }

  @Test
  void badValuesAreUsageErrorsNamingTheOption() {
    String[][] cases = {
      {"--pid", "x", "kreplay: --pid: 'x' is not a pid (a number, e.g. 1234 or 1234,1240)"},
      {"--comm", "", "kreplay: --comm: an empty pattern matches nothing"},
      {"--event", " ", "kreplay: --event: an empty pattern matches nothing"},
      {"--until", "-2x", "kreplay: --until: '-2x' is not a time (e.g. 411.0, +1.5s, -2s, 25%)"},
      {"--from", "150%", "kreplay: --from: '150%' is not a time"},
    };
    for (String cmd : new String[] {"analyze", "convert", "batch"}) {
      for (String[] c : cases) {
        String[] args = cmd.equals("convert") ? new String[] {cmd, "-f", "csv", c[0], c[1], LOADED}
            : new String[] {cmd, c[0], c[1], LOADED};
        Cli.Run r = Cli.run(args);
        assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
        assertThat(r.err()).as(String.join(" ", args)).startsWith(c[2]).doesNotContain("Exception");
      }
    }
    Cli.Run stdin = Cli.runWithStdin(new byte[0], "analyze", "--until", "-2s", "-");
    assertThat(stdin.exit()).isEqualTo(2);
    assertThat(stdin.err()).startsWith("kreplay: --until -2s: the end of standard input is not known before it is read");
  }

  @Test
  void helpSaysWhatAFilterDropsAndWhatItKeeps() {
    for (String cmd : new String[] {"analyze", "compare", "batch", "convert"}) {
      String help = Cli.ok(cmd, "--help").replaceAll("\\s+", " ");
      assertThat(help).as(cmd).contains("--pid", "--comm", "--event", "+1.5s", "25%")
          .contains("convert -f csv|jsonl drops it; analyze, compare, batch, explain and the timeline formats still charge it in the per-CPU context");
    }
  }
}
