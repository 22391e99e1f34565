package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;
import org.tukaani.xz.XZInputStream;

/**
 * The blame of two worst samples of the loaded cyclictest recording, recomputed by a small
 * independent reader of the tracefs text: it knows nothing of kreplay's readers or replay, only
 * the rules the blame is documented by (docs/cli.md): the time between two events of the CPU goes
 * to the innermost context (hardirq, vector, softirq, else the task the earlier event showed
 * running, or the one it switched to),
 * and, in a task, to its wait for a lock between its contention_begin and contention_end (idle
 * meanwhile says which task waits), else (unless the earlier event is a sched_switch, whose flags are
 * the scheduler's) to "irqs off" when both events show irqs off and the second is not an interrupt
 * arriving, else to "preempt off" when both show a preempt depth above 0 (this kernel's tracepoints
 * do not count their own). The two must agree to the nanosecond.
 */
class BlameOracleTest {
  static final Path TRACE = Path.of("..", "traces", "cyclictest-loaded", "trace.txt.xz");
  private static final Pattern LINE = Pattern.compile(
      "^\\s*(.+?)-(\\d+)\\s+\\[(\\d+)\\]\\s+(\\S{5})\\s+(\\d+)\\.(\\d{6}): (\\w+): ?(.*)$");
  private static final Pattern NEXT = Pattern.compile("next_comm=(.+?) next_pid=(\\d+) ");
  private static final Pattern IRQ = Pattern.compile("irq=(\\d+) name=(\\S+)");
  private static final String[] SOFTIRQS = {"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED",
      "HRTIMER", "RCU"};

  /**
   * The worst wakeup of stress-ng-io (a task, softirqs and the tick), the worst hrtimer_wakeup
   * (a task and the tick), the 4th worst (an irq handler took nearly all of it), the worst
   * workqueue wait (39 µs, nearly all of it stress-ng-io with irqs off) and the longest work item's
   * run (121 ms: many tasks, some with irqs off, beyond ten parts).
   */
  @ParameterizedTest(name = "{0} {1} {2} #{3}")
  @CsvSource({"WAKEUP, LATENCY, stress-ng-io, 1", "HRTIMER, LATENCY, hrtimer_wakeup, 1",
      "HRTIMER, LATENCY, hrtimer_wakeup, 4", "WORKQUEUE, LATENCY, all, 1", "WORKQUEUE, RUNTIME, all, 1"})
  void theWorstSampleSplitsAsAnIndependentReadingOfTheTraceSays(Mechanism m, DeferralRow.Metric metric, String key,
      int rank) throws IOException {
    AnalysisResult r;
    try (TraceReader reader = Traces.open(TRACE.toString(), ReadOptions.defaults())) {
      r = Analyzer.analyze(reader, Analyzer.Progress.NONE);
    }
    DeferralSample worst = r.deferrals().find(m, metric, key.equals("all") ? DeferralRow.ALL : key)
        .worst().get(rank - 1);
    long to = worst.execute().timestampNs();
    Map<String, Long> oracle = tenParts(split(worst.execute().cpu(), to - worst.latencyNs(), to));
    Map<String, Long> kreplay = new TreeMap<>();
    for (Blame.Share s : worst.blame().shares()) kreplay.put(s.what(), s.ns());
    assertThat(oracle.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(worst.latencyNs());
    assertThat(kreplay).as("kreplay's blame of %s %s (%d ns at %d)", m, key, worst.latencyNs(), to).isEqualTo(oracle);
  }

  /** As a report shows them: the nine largest parts (ties by name) and the rest as "(N more)". */
  static Map<String, Long> tenParts(Map<String, Long> parts) {
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(parts.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    if (sorted.size() <= 10) return parts;
    Map<String, Long> out = new TreeMap<>();
    sorted.subList(0, 9).forEach(e -> out.put(e.getKey(), e.getValue()));
    out.put("(" + (sorted.size() - 9) + " more)", sorted.subList(9, sorted.size()).stream().mapToLong(Map.Entry::getValue).sum());
    return out;
  }

  /** What {@code cpu} did in {@code [from, to)}, read straight from the text. */
  static Map<String, Long> split(int cpu, long from, long to) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    Deque<String> frames = new ArrayDeque<>();
    String task = null;
    long prevTs = -1;
    boolean prevIrqsOff = false;
    int prevPreempt = 0;
    boolean prevSwitch = false;
    String waiter = null; // the task of this CPU between its contention_begin and contention_end
    String waitLock = null;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new XZInputStream(Files.newInputStream(TRACE)), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        Matcher mt = LINE.matcher(line);
        if (!mt.matches() || Integer.parseInt(mt.group(3)) != cpu) continue;
        long ts = Long.parseLong(mt.group(5)) * 1_000_000_000L + Long.parseLong(mt.group(6)) * 1000;
        String flags = mt.group(4);
        String name = mt.group(7);
        String body = mt.group(8);
        boolean irqsOff = flags.charAt(0) == 'd';
        int preempt = flags.charAt(3) == '.' ? 0 : Character.digit(flags.charAt(3), 16);
        boolean hardirqFlag = flags.charAt(2) == 'h' || flags.charAt(2) == 'H';
        if (task == null) task = mt.group(2).equals("0") ? "idle" : "task " + mt.group(1).strip() + "/" + mt.group(2);
        if (prevTs >= 0 && ts > from && prevTs < to) {
          String what = frames.isEmpty() ? task : frames.peek();
          boolean inInterrupt = !frames.isEmpty() && !frames.peek().startsWith("softirq");
          if (frames.isEmpty() && waiter != null && what.equals(waiter)) {
            what += ", waiting for lock " + waitLock;
          } else if (frames.isEmpty() && waiter != null && what.equals("idle")) {
            what += ", " + waiter + " waiting for lock " + waitLock;
          } else if (prevSwitch) {
            // a switch's flags are the scheduler's: the task switched to turns irqs and preemption back on
          } else if (frames.isEmpty() && prevIrqsOff && irqsOff && !(hardirqFlag && !inInterrupt)) {
            what += ", irqs off";
          } else if (frames.isEmpty() && !what.equals("idle") && prevPreempt > 0 && preempt > 0) {
            what += ", preempt off";
          }
          long ns = Math.min(ts, to) - Math.max(prevTs, from);
          if (ns > 0) out.merge(what, ns, Long::sum); // two events in one µs: no time, no part
        }
        prevTs = ts;
        prevIrqsOff = irqsOff;
        prevPreempt = preempt;
        prevSwitch = name.equals("sched_switch");
        // From here on the task is the one the event shows running (a switch the trace missed
        // shows this way), and after a switch the one switched to.
        task = mt.group(2).equals("0") ? "idle" : "task " + mt.group(1).strip() + "/" + mt.group(2);
        String shown = mt.group(2).equals("0") ? "idle" : "task " + mt.group(1).strip() + "/" + mt.group(2);
        if (name.equals("contention_begin")) {
          waiter = shown;
          waitLock = "0x" + Long.toHexString(Long.parseUnsignedLong(body.substring(0, body.indexOf(' ')), 16));
        } else if (name.equals("contention_end") && shown.equals(waiter)) {
          waiter = null;
        }
        if (name.equals("sched_switch")) {
          Matcher n = NEXT.matcher(body + " ");
          if (n.find()) task = n.group(2).equals("0") ? "idle" : "task " + n.group(1) + "/" + n.group(2);
        } else if (name.equals("irq_handler_entry")) {
          Matcher i = IRQ.matcher(body);
          if (i.find()) frames.push("irq " + i.group(1) + " (" + i.group(2) + ")");
        } else if (name.equals("softirq_entry")) {
          frames.push("softirq " + SOFTIRQS[Integer.parseInt(body.replaceAll("vec=(\\d+).*", "$1"))]);
        } else if (name.endsWith("_entry") && !name.startsWith("hrtimer") && !name.startsWith("timer")
            && !name.startsWith("workqueue") && !name.startsWith("irq_work")) {
          frames.push(name.substring(0, name.length() - "_entry".length()) + " vector");
        } else if (name.equals("irq_handler_exit") || name.equals("softirq_exit")
            || (name.endsWith("_exit") && !name.startsWith("hrtimer") && !name.startsWith("timer")
                && !name.startsWith("workqueue") && !name.startsWith("irq_work"))) {
          if (!frames.isEmpty()) frames.pop();
        }
        if (prevTs >= to) break;
      }
    }
    return out;
  }
}
