package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * {@code kreplay whatif} on seed 1: the HARD hrtimer callback that frees a task_struct in hardirq
 * on PREEMPT_RT, deferred by each of the mechanisms its fix weighed; the prediction from the trace
 * before the fix against the call_rcu latency measured in the trace after it.
 */
class WhatIfCommandTest {
  private static final String BEFORE = "../traces/seeds/1-put-task-struct/before.txt";
  private static final String AFTER = "../traces/seeds/1-put-task-struct/after.txt";
  private static final String VIAS = "call_rcu,workqueue,irq_work-lazy,irq_work";

  private static JsonNode prediction(JsonNode doc, String via) {
    for (JsonNode p : doc.get("predictions")) if (p.get("via").asText().equals(via)) return p;
    throw new AssertionError("no prediction for " + via);
  }

  @Test
  void theSeedsFixIsPredictedFromTheTraceBeforeIt() throws Exception {
    String out = Cli.ok("whatif", BEFORE, "--defer", "inactive_task_timer", "--via", VIAS);
    assertThat(out).startsWith("whatif: defer inactive_task_timer in " + BEFORE + " (PREEMPT_RT rules)\n")
        .contains("occurrences  1 occurrence on CPU 1")
        .containsPattern("workqueue +task +1 +489µs")
        .containsPattern("irq_work-lazy +task +1 +1.02ms")
        .containsPattern("call_rcu +task +1 +3.84ms")
        .containsPattern("irq_work +hardirq +1 +5.00µs .*still hardirq context: .*sleep-in-atomic")
        .contains("trade-off: workqueue runs it soonest in a context that fixes the findings: p99 489µs")
        .contains("irq_work would keep them");
  }

  /** The prediction is only worth what it is checked against: the fix's own call_rcu, measured after it. */
  @Test
  void thePredictedCallRcuLatencyIsWithinAQuarterOfTheMeasuredOne() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode predicted = prediction(json.readTree(Cli.ok("whatif", BEFORE, "--defer", "inactive_task_timer", "--via",
        "call_rcu", "-f", "json")), "call_rcu");
    long p50 = predicted.get("replayed").get("p50_ns").asLong();
    long measured = -1;
    for (JsonNode row : json.readTree(Cli.ok("analyze", "-f", "json", AFTER)).get("deferrals")) {
      if (row.get("mechanism").asText().equals("rcu") && row.get("key").asText().equals("__put_task_struct_rcu_cb")) {
        measured = row.get("p50_ns").asLong();
      }
    }
    assertThat(measured).as("after.txt's rcu row").isPositive();
    assertThat((double) Math.abs(p50 - measured) / measured).as("predicted %d ns, measured %d ns", p50, measured)
        .isLessThan(0.25);
  }

  /** compare --predicted-from: the prediction beside the row the fix added, with each percentile's error. */
  @Test
  void compareShowsThePredictionBesideWhatTheFixMeasured() throws Exception {
    String text = Cli.ok("compare", BEFORE, AFTER, "--predicted-from", BEFORE, "--defer", "inactive_task_timer",
        "--via", "call_rcu,workqueue");
    assertThat(text).contains("Prediction (whatif from " + BEFORE + ": defer inactive_task_timer)")
        .containsPattern("call_rcu +rcu __put_task_struct_rcu_cb +1 +3.84ms +3.99ms +-4%")
        .containsPattern("workqueue +\\(no new row\\) +489µs");
    JsonNode doc = new ObjectMapper().readTree(Cli.ok("compare", BEFORE, AFTER, "-f", "json", "--predicted-from", BEFORE,
        "--defer", "inactive_task_timer", "--via", "call_rcu"));
    JsonNode row = doc.get("prediction").get("rows").get(0);
    assertThat(row.get("measured").get("key").asText()).isEqualTo("__put_task_struct_rcu_cb");
    assertThat(row.get("error_p50").asDouble()).isBetween(-0.25, 0.25);
    assertThat(doc.get("findings")).as("the comparison itself is unchanged").isNotEmpty();
    Cli.Run half = Cli.run("compare", BEFORE, AFTER, "--predicted-from", BEFORE, "--defer", "inactive_task_timer");
    assertThat(half.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(half.err()).contains("--predicted-from, --defer and --via go together");
  }

  /**
   * Seed 2: its fix hands the refill to an hrtimer started at 0, whose callback queues the work on
   * the highpri pool; after.txt measures that as one chain (73 µs). From before.txt (non-RT): the
   * interrupts come back on at 812.000112, and no highpri kworker runs, so the work item ends at the
   * CPU's next switch (812.000170): 64 µs, within a quarter.
   */
  @Test
  void seed2sHrtimerThenWorkIsPredictedAgainstTheChainItsFixMeasures() throws Exception {
    String before = "../traces/seeds/2-kvfree-rcu/before.txt";
    String after = "../traces/seeds/2-kvfree-rcu/after.txt";
    JsonNode doc = new ObjectMapper().readTree(Cli.ok("compare", before, after, "-f", "json", "--predicted-from", before,
        "--defer", "kvfree_call_rcu_add_ptr_to_bulk", "--via", "hrtimer+workqueue"));
    JsonNode row = doc.get("prediction").get("rows").get(0);
    assertThat(row.get("measured").get("mechanism").asText()).isEqualTo("chain");
    assertThat(row.get("measured").get("key").asText()).isEqualTo("hrtimer:schedule_page_work_fn → workqueue:fill_page_cache_func");
    assertThat(row.get("error_p50").asDouble()).as(row.toString()).isBetween(-0.25, 0.25);
  }

  /**
   * Seed 2's code runs inside krc.lock with interrupts off (812.000106, 'd..2'): a hard irq_work
   * raised there runs once they are back on, just after the last event logged with them off
   * (812.000112, the lock's release), 6 µs later, not at once.
   */
  @Test
  void anIrqWorkRaisedWithInterruptsOffWaitsForThemToComeBackOn() {
    String out = Cli.ok("whatif", "../traces/seeds/2-kvfree-rcu/before.txt", "--defer", "kvfree_call_rcu_add_ptr_to_bulk",
        "--via", "irq_work");
    assertThat(out).containsPattern("irq_work +hardirq +1 +6.00µs");
  }

  /**
   * Seed 3: irq_work/2 does not exist before the split, so the RT runner ends at trace-cmd's first
   * preemptible moment (700.000140, preemption back on), 34 µs after the first occurrence, 15 µs
   * after the second.
   */
  @Test
  void anRtRunnerTheTraceLacksEndsAtTheFirstPreemptibleMoment() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(Cli.ok("whatif", "../traces/seeds/3-irq-work-rt/before.txt", "--defer",
        "rb_wake_up_waiters", "--via", "irq_work:plain", "-f", "json"));
    JsonNode p = prediction(doc, "irq_work:plain");
    assertThat(p.get("modeled").asLong()).isEqualTo(2);
    assertThat(p.get("replayed").get("count").asLong()).isEqualTo(2);
    assertThat(p.get("replayed").get("max_ns").asLong() / 1000).isEqualTo(34);
    assertThat(p.get("runs_in").asText()).isEqualTo("task");
  }

  @Test
  void jsonAndCsvCarryTheSamePredictions() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(Cli.ok("whatif", BEFORE, "--defer", "inactive_task_timer", "--via", VIAS,
        "-f", "json"));
    assertThat(doc.get("kind").asText()).isEqualTo("whatif");
    assertThat(doc.get("occurrences").asLong()).isEqualTo(1);
    assertThat(prediction(doc, "workqueue").get("replayed").get("p99_ns").asLong() / 1000).isEqualTo(489);
    assertThat(prediction(doc, "irq_work").get("verdict").get("fixes").asBoolean()).isFalse();
    assertThat(prediction(doc, "call_rcu").get("steps").toString()).isEqualTo("[\"grace_period\",\"tick\",\"rt-thread rcuc/{cpu}\"]");
    String csv = Cli.ok("whatif", BEFORE, "--defer", "inactive_task_timer", "--via", VIAS, "-f", "csv");
    assertThat(csv.split("\n")).hasSize(5);
    assertThat(csv).contains("inactive_task_timer,workqueue,task,1,,1,");
  }

  /** finding:1 is analyze's first, the stock_lock taken in hardirq at 5000.000112: one µs after the free. */
  /** The HTML page: the predictions table and their CDFs overlaid, one line per mechanism replayed. */
  @Test
  void theHtmlPageOverlaysThePredictedCdfs() {
    String html = Cli.ok("whatif", BEFORE, "--defer", "inactive_task_timer", "--via", VIAS, "-f", "html");
    assertThat(html).startsWith("<!DOCTYPE html>").contains("id=\"predictions-table\"").contains("<svg")
        .contains("predicted latency, by mechanism").contains("still hardirq context")
        .contains("workqueue runs it soonest in a context that fixes the findings");
    for (String via : VIAS.split(",")) assertThat(html).contains(">" + via + "<");
  }

  /** Two traces of the same workload: their occurrences and predictions add up. */
  @Test
  void severalTracesArePredictedTogether() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode one = json.readTree(Cli.ok("whatif", BEFORE, "--defer", "inactive_task_timer", "--via", "workqueue", "-f", "json"));
    JsonNode two = json.readTree(Cli.ok("whatif", BEFORE, BEFORE, "--defer", "inactive_task_timer", "--via", "workqueue",
        "-f", "json"));
    assertThat(two.get("occurrences").asLong()).isEqualTo(2 * one.get("occurrences").asLong());
    assertThat(prediction(two, "workqueue").get("replayed").get("count").asLong()).isEqualTo(2);
    assertThat(prediction(two, "workqueue").get("replayed").get("p50_ns").asLong())
        .isEqualTo(prediction(one, "workqueue").get("replayed").get("p50_ns").asLong());
    assertThat(two.get("input").asText()).isEqualTo(BEFORE + ", " + BEFORE);
  }

  @Test
  void findingNIsTheNthFindingAnalyzeLists() {
    String byNumber = Cli.ok("whatif", BEFORE, "--defer", "finding:1", "--via", "workqueue");
    assertThat(byNumber).startsWith("whatif: defer sleep-in-atomic:inactive_task_timer:stock_lock in ")
        .contains("found as     the code of its findings (sleep-in-atomic)\n")
        .containsPattern("workqueue +task +1 +488µs");
  }

  @Test
  void whatCannotBePredictedSaysWhy() {
    Cli.Run r = Cli.run("whatif", BEFORE, "--defer", "inactive_task_timer", "--via", "tasklet");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--via 'tasklet' is not a deferral mechanism (known: workqueue,");
    assertThat(Cli.run("whatif", BEFORE, "--defer", "finding:9", "--via", "workqueue").err())
        .contains("--defer finding:9: " + BEFORE + " has 4 findings");
    Cli.Run none = Cli.run("whatif", BEFORE, "--defer", "no_such_function", "--via", "workqueue");
    assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.err()).contains("--defer no_such_function: no finding's culprit, signature or call chain and no deferral"
        + " callback in " + BEFORE + " is that; its findings' culprits: inactive_task_timer");
    assertThat(Cli.run("whatif", BEFORE, "--defer", "finding:0", "--via", "workqueue").err()).contains("numbered from 1");
    assertThat(Cli.run("whatif", BEFORE, "--defer", "inactive_task_timer", "--via", "workqueue,workqueue").err())
        .contains("--via workqueue is given twice");
  }
}
