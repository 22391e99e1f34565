package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.XZInputStream;

/**
 * Wakeups on the real recordings (traces/*): every sched_waking and sched_wakeup_new is a sample,
 * pending at the end, across a gap, or a wakeup of a task that was already running, and the
 * already-running ones are those an independent pass over the kernel text finds; the cyclictest
 * threads' pairs are the ones traces/analyse.awk counted (traces/cyclictest-loaded/README.md).
 */
class WakeupAccountingTest {
  private static final Pattern LINE =
      Pattern.compile("^\\s*(.+?)-(\\d+)\\s+\\[(\\d+)\\]\\s+\\S+\\s+\\d+\\.\\d{6}: (\\w+): (.*)$");

  /** What a plain reading of the text says about wakings. */
  static final class Oracle {
    long wakings;
    long newTasks;
    long alreadyRunning;

    Oracle(Path traceTxtXz) throws IOException {
      Map<Integer, Integer> current = new HashMap<>(); // cpu -> pid on it
      Set<Integer> wokenRunning = new HashSet<>(); // sched_waking found it on a CPU
      Set<Integer> sleptSince = new HashSet<>(); // ... and it then switched out asleep
      Set<Integer> waiting = new HashSet<>(); // woken while not running, not yet on a CPU
      try (BufferedReader in = new BufferedReader(new InputStreamReader(
          new XZInputStream(Files.newInputStream(traceTxtXz)), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          Matcher m = LINE.matcher(line);
          if (!m.matches()) continue;
          int pid = Integer.parseInt(m.group(2));
          int cpu = Integer.parseInt(m.group(3));
          String ev = m.group(4);
          String body = m.group(5);
          Integer before = current.put(cpu, pid);
          if (before != null && before != pid) running(pid, wokenRunning, sleptSince, waiting); // untraced switch-in
          switch (ev) {
            case "sched_waking" -> {
              wakings++;
              int p = Integer.parseInt(RealTraceTest.Oracle.field(body, "pid"));
              if (current.containsValue(p)) { // on a CPU: settled at its next switch-in
                if (!wokenRunning.add(p)) alreadyRunning++; // woken twice while it runs
                sleptSince.remove(p);
              } else if (waiting.contains(p)) {
                alreadyRunning++; // woken again before it ran
              } else {
                if (wokenRunning.remove(p)) alreadyRunning++; // the earlier waking found it running
                sleptSince.remove(p);
                waiting.add(p);
              }
            }
            case "sched_wakeup" -> {
              int p = Integer.parseInt(RealTraceTest.Oracle.field(body, "pid"));
              if (!current.containsValue(p) && sleptSince.remove(p) && wokenRunning.remove(p)) waiting.add(p);
            }
            case "sched_wakeup_new" -> newTasks++;
            case "sched_switch" -> {
              int prev = Integer.parseInt(RealTraceTest.Oracle.field(body, "prev_pid"));
              String state = RealTraceTest.Oracle.field(body, "prev_state");
              if (!state.startsWith("R") && wokenRunning.contains(prev)) sleptSince.add(prev);
              if (!state.startsWith("R")) waiting.remove(prev);
              int next = Integer.parseInt(RealTraceTest.Oracle.field(body, "next_pid"));
              current.put(cpu, next);
              running(next, wokenRunning, sleptSince, waiting);
            }
            default -> {}
          }
        }
      }
      alreadyRunning += wokenRunning.size();
    }

    private void running(int pid, Set<Integer> wokenRunning, Set<Integer> sleptSince, Set<Integer> waiting) {
      if (wokenRunning.remove(pid)) alreadyRunning++;
      sleptSince.remove(pid);
      waiting.remove(pid);
    }
  }

  private static DeferralRow all(AnalysisResult r) {
    return r.deferrals().find(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, DeferralRow.ALL);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"cyclictest", "cyclictest-loaded", "stress-ng-deadline"})
  void everyWakingIsASampleOrPendingOrAcrossAGapOrAlreadyRunning(String recording) throws IOException {
    Path dir = RealTraceTest.TRACES.resolve(recording);
    Oracle oracle = new Oracle(dir.resolve("trace.txt.xz"));
    for (String form : new String[] {"trace.txt.xz", "trace.dat"}) {
      DeferralRow all = all(RealTraceTest.analyze(dir.resolve(form)));
      assertThat(all.count() + all.unmatchedEnqueue() + all.acrossGap() + all.alreadyRunning()).as(form)
          .isEqualTo(oracle.wakings + oracle.newTasks);
      assertThat(all.alreadyRunning()).as(form).isEqualTo(oracle.alreadyRunning);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"stress-ng-deadline"})
  void theForkStormWakesTasksThatAreStillRunning(String recording) throws IOException {
    // 23 of its 1,251 wakings find the task on a CPU (mostly its own timer interrupt waking it)
    AnalysisResult r = RealTraceTest.analyze(RealTraceTest.TRACES.resolve(recording).resolve("trace.txt.xz"));
    assertThat(all(r).alreadyRunning()).isEqualTo(23);
    assertThat(r.deferrals().find(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, "stress-ng-mmapf").alreadyRunning())
        .isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"trace.txt.xz", "trace.dat"})
  void theCyclictestThreadsPairsAreTheAwks(String form) throws IOException {
    // traces/cyclictest-loaded/README.md: 1479 waking -> switch pairs of the two SCHED_FIFO threads
    AnalysisResult r = RealTraceTest.analyze(RealTraceTest.TRACES.resolve("cyclictest-loaded").resolve(form));
    DeferralRow rt = r.deferrals().find(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, "all rt");
    long migration = r.deferrals().find(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, "migration/0").count()
        + r.deferrals().find(Mechanism.WAKEUP, DeferralRow.Metric.LATENCY, "migration/1").count();
    assertThat(rt.count() - migration).isEqualTo(1479);
    assertThat(rt.alreadyRunning()).isZero();
    assertThat(rt.maxNs()).isEqualTo(form.equals("trace.dat") ? 71_434 : 71_000);
  }
}
