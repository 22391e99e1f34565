package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kreplay explain}: one sample's wait, event by event, with context and locks after each. */
class ExplainCommandTest {
  private static final String LOADED = "../traces/cyclictest-loaded/trace.dat";

  /** stress (pid 300) takes rq->__lock, wakes cyclictest, takes irq 28 for 30 µs and switches to it. */
  private static final String HAND_BUILT = String.join("\n",
      "# tracer: nop",
      "#",
      "          <idle>-0     [000] d..1.   100.000010: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120"
          + " prev_state=R ==> next_comm=stress next_pid=300 next_prio=120",
      "          stress-300   [000] d..1.   100.000090: lock_acquire: 000000002e8f1a40 &rq->__lock",
      "          stress-300   [000] d..2.   100.000100: sched_waking: comm=cyclictest pid=200 prio=19 target_cpu=000",
      "          stress-300   [000] d..1.   100.000105: lock_release: 000000002e8f1a40 &rq->__lock",
      "          stress-300   [000] d.h1.   100.000110: irq_handler_entry: irq=28 name=eth0",
      "          stress-300   [000] d.h1.   100.000140: irq_handler_exit: irq=28 ret=handled",
      "          stress-300   [000] d..2.   100.000160: sched_switch: prev_comm=stress prev_pid=300 prev_prio=120"
          + " prev_state=R ==> next_comm=cyclictest next_pid=200 next_prio=19",
      "");

  /** The event table's rows, split on the two-space column gaps. */
  private static List<List<String>> rows(String out) {
    List<String> lines = Arrays.asList(out.split("\n"));
    int header = lines.indexOf(lines.stream().filter(l -> l.stripLeading().startsWith("time ")).findFirst().orElseThrow());
    List<List<String>> rows = new ArrayList<>();
    for (String l : lines.subList(header + 1, lines.size())) {
      if (l.contains(" left out by ")) break; // the note under the table
      rows.add(Arrays.stream(l.strip().split(" {2,}")).toList());
    }
    return rows;
  }

  @Test
  void aWakeupIsShownEventByEventWithContextAndLocks(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("hand.txt");
    Files.writeString(trace, HAND_BUILT);
    String out = Cli.ok("explain", trace.toString(), "--at", "100.000160");
    assertThat(out).startsWith("wakeup cyclictest: waited 60.0µs on CPU 0\n");
    // the events between 100.000100 and 100.000105, and 140 and 160, show irqs off; at 110 the irq
    // arrives, so irqs were on before it
    assertThat(out).containsPattern("50%\\s+30.0µs\\s+irq 28 \\(eth0\\)\n")
        .containsPattern("42%\\s+25.0µs\\s+task stress/300, irqs off\n").containsPattern("8%\\s+5.00µs\\s+task stress/300, preempt off\n");
    assertThat(rows(out)).containsExactly(
        List.of("100.000100", "0", "0", "queued", "sched_waking: comm=cyclictest pid=200 prio=19 target_cpu=000",
            "task stress/300", "&rq->__lock (raw_spinlock_t)"),
        List.of("100.000105", "+5.00µs", "0", "lock_release: 000000002e8f1a40 &rq->__lock", "task stress/300"),
        List.of("100.000110", "+10.0µs", "0", "irq_handler_entry: irq=28 name=eth0", "task stress/300 > irq 28 (eth0)"),
        List.of("100.000140", "+40.0µs", "0", "irq_handler_exit: irq=28 ret=handled", "task stress/300"),
        List.of("100.000160", "+60.0µs", "0", "ran", "sched_switch: prev_comm=stress prev_pid=300 prev_prio=120"
            + " prev_state=R ==> next_comm=cyclictest next_pid=200 next_prio=19", "task cyclictest/200"));
  }

  /** The K-th worst of a row is the one analyze lists, and its split is analyze's blame of it. */
  @Test
  void aWorstSampleOfARealRecordingSplitsAsAnalyzeBlamesIt() throws Exception {
    JsonNode row = null;
    for (JsonNode r : new ObjectMapper().readTree(Cli.ok("analyze", "-f", "json", LOADED)).get("deferrals")) {
      if (r.get("mechanism").asText().equals("wakeup") && r.get("key").asText().equals("stress-ng-io")) row = r;
    }
    assertThat(row).isNotNull();
    JsonNode second = row.get("worst").get(1);
    String out = Cli.ok("explain", LOADED, "--sample", "wakeup/stress-ng-io#2");
    List<List<String>> rows = rows(out);
    assertThat(rows.get(0)).contains("queued").anySatisfy(c -> assertThat(c).startsWith("sched_waking: comm=stress-ng-io"));
    assertThat(rows.get(rows.size() - 1)).contains("ran")
        .anySatisfy(c -> assertThat(c).startsWith("sched_switch:").contains("next_comm=stress-ng-io"));
    assertThat(out).contains("ran       " + ExplainedInterval.seconds(second.get("execute").get("ts_ns").asLong()) + " on CPU 1");
    for (JsonNode part : second.get("blame")) assertThat(out).contains(part.get("what").asText());
  }

  /** --event prints only the events it selects; the context and the split are as without it. */
  @Test
  void anEventFilterShortensTheListNotTheSplit(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("hand.txt");
    Files.writeString(trace, HAND_BUILT);
    String out = Cli.ok("explain", trace.toString(), "--at", "100.000160", "--event", "sched_*");
    assertThat(out).containsPattern("50%\\s+30.0µs\\s+irq 28 \\(eth0\\)\n")
        .containsPattern("42%\\s+25.0µs\\s+task stress/300, irqs off\n")
        .contains("  3 events left out by --event sched_* (the context column and the split count them)\n");
    assertThat(rows(out)).extracting(r -> r.get(3)).containsExactly("queued", "ran");
    // the context is the replay's from every event; the locks are what selected lock events took (none here)
    assertThat(rows(out).get(0)).endsWith("task stress/300");
  }

  /** --comm chooses the sample as analyze's --comm makes the rows, and prints that task's events only. */
  @Test
  void aCommFilterPicksTheWorstSampleOfThoseTasks() throws Exception {
    JsonNode all = null;
    for (JsonNode r : new ObjectMapper().readTree(Cli.ok("analyze", "-f", "json", "--comm", "cyclictest*", LOADED))
        .get("deferrals")) {
      if (r.get("mechanism").asText().equals("wakeup") && r.get("key").asText().equals("all")) all = r;
    }
    assertThat(all).isNotNull();
    long ran = all.get("worst").get(0).get("execute").get("ts_ns").asLong();
    int cpu = all.get("worst").get(0).get("execute").get("cpu").asInt();
    String out = Cli.ok("explain", LOADED, "--sample", "wakeup/all", "--comm", "cyclictest*", "--limit", "0");
    // --comm selects the events a cyclictest task shows or is named in: its wakeups of others too
    assertThat(out).startsWith("wakeup " + all.get("worst").get(0).get("key").asText() + ":").contains("ran       " + ExplainedInterval.seconds(ran) + " on CPU " + cpu);
    java.util.regex.Matcher leftOut = java.util.regex.Pattern
        .compile("\n  ([0-9,]+) events? left out by --comm cyclictest\\* \\(the context column and the split count them\\)\n")
        .matcher(out);
    assertThat(leftOut.find()).isTrue();
    // the same sample unfiltered: the same split, every event, of which the filtered ones are a part
    String unfiltered = Cli.ok("explain", LOADED, "--at", ExplainedInterval.seconds(ran), "--cpu", String.valueOf(cpu), "--limit", "0");
    assertThat(out.substring(0, out.indexOf("\n  time "))).isEqualTo(unfiltered.substring(0, unfiltered.indexOf("\n  time ")));
    assertThat(rows(unfiltered)).containsAll(rows(out))
        .hasSize(rows(out).size() + Integer.parseInt(leftOut.group(1).replace(",", "")));
  }

  @Test
  void aLongWaitShowsItsFirstAndLastEvents() {
    String out = Cli.ok("explain", LOADED, "--sample", "wakeup/stress-ng-io", "--limit", "4");
    List<List<String>> rows = rows(out);
    assertThat(rows).hasSize(5);
    assertThat(rows.get(0)).contains("queued");
    assertThat(rows.get(2).get(1)).matches("[0-9]+ more events \\(--limit 0 shows all [0-9]+\\)");
    assertThat(rows.get(4)).contains("ran");
  }

  @Test
  void whatCannotBeExplainedIsAUsageErrorThatSaysWhy() {
    Cli.Run none = Cli.run("explain", LOADED, "--at", "1.0");
    assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("--at 1.0: no deferral in ../traces/cyclictest-loaded/trace.dat ran then or was waiting then");
    assertThat(Cli.run("explain", LOADED, "--sample", "wakeup").err()).contains("write MECHANISM/KEY[#K]");
    assertThat(Cli.run("explain", LOADED, "--sample", "wakeup/nobody").err()).contains("no such row");
    assertThat(Cli.run("explain", LOADED, "--sample", "wakeup/stress-ng-io", "--cpu", "1").err()).contains("--cpu goes with --at");
    assertThat(Cli.run("explain", LOADED).exit()).isEqualTo(ExitCodes.USAGE); // --at or --sample
  }
}
