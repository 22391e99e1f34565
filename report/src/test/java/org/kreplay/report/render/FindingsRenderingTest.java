package org.kreplay.report.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding.Certainty;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.Findings;
import org.kreplay.analyze.KernelConfig;

/**
 * How the renderers show a finding, on findings built by hand: the shapes the model can produce
 * (deep stack chains, long evidence lists, frames without time or CPU, odd characters) without
 * depending on which traces produce them today.
 */
class FindingsRenderingTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String RULES = "non-RT kernel judged as PREEMPT_RT";
  /** The put_task_struct() chain of the seed fix: a HARD hrtimer callback frees a task_struct. */
  static final List<String> CHAIN = List.of("asm_sysvec_apic_timer_interrupt", "sysvec_apic_timer_interrupt",
      "__sysvec_apic_timer_interrupt", "hrtimer_interrupt", "__hrtimer_run_queues", "__run_hrtimer",
      "inactive_task_timer", "put_task_struct", "__put_task_struct", "kmem_cache_free");

  static Finding finding(FindingKind kind, Certainty certainty, String culprit, List<String> chain, List<String> locks,
      List<Evidence> evidence, long timestamp) {
    return new Finding(kind, Finding.signature(kind, culprit, locks), culprit, chain, locks,
        "hardirq: local_timer vector > HARD hrtimer callback inactive_task_timer; irqs off; preempt_count 1",
        "kmem_cache_free (task_struct) takes sleeping locks on PREEMPT_RT, called in hardirq context on PREEMPT_RT",
        "defer to process context (call_rcu / workqueue)", certainty, RULES, evidence, "splat.txt", timestamp);
  }

  static Evidence event(int line, String what) {
    return new Evidence("splat.txt", line, 1_500_000_000L + line * 1000L, 1, "dl-task/77", what);
  }

  static AnalysisResult result(Finding... findings) {
    return result(0, findings);
  }

  static AnalysisResult result(int lostMarkers, Finding... findings) {
    AnalysisResult r = Described.result("splat.txt", lostMarkers, new KernelConfig(false, true, true));
    for (Finding f : findings) r.findings().report(f, "splat.txt");
    return r;
  }

  static String text(AnalysisResult r) {
    String all = AnalysisText.text(r);
    return all.substring(all.indexOf("Findings\n"), all.indexOf("Input lines\n"));
  }

  static String jsonText(AnalysisResult r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AnalysisJson.write(r, "test", out);
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  static JsonNode json(AnalysisResult r) throws IOException {
    return JSON.readTree(jsonText(r));
  }

  static List<String> csv(AnalysisResult r) throws IOException {
    StringWriter w = new StringWriter();
    AnalysisCsv.write(r, AnalysisCsv.CsvTable.FINDINGS, w);
    return w.toString().lines().toList();
  }

  @Test
  void aDeepChainIsShownOnOneLineFromTheEntryToTheOperation() throws IOException {
    Finding f = finding(FindingKind.RT_ALLOC_IN_ATOMIC, Certainty.CERTAIN, "__put_task_struct", CHAIN, List.of(),
        List.of(event(10, "kmem_cache_free: name=task_struct")), 1_500_010_000L);
    String text = text(result(f));
    // 85 columns after the label: the entry and the two innermost frames fit
    assertThat(text).contains("     chain     asm_sysvec_apic_timer_interrupt > … > __put_task_struct > kmem_cache_free\n");
    // with room for more, as many innermost frames as fit
    assertThat(FindingsView.chain(CHAIN, 130)).isEqualTo("asm_sysvec_apic_timer_interrupt > … > __run_hrtimer"
        + " > inactive_task_timer > put_task_struct > __put_task_struct > kmem_cache_free");
    assertThat(text.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
    // a chain that fits is shown whole
    assertThat(FindingsView.chain(List.of("softirq RCU", "rcu_do_batch", "kmem_cache_free"), 85))
        .isEqualTo("softirq RCU > rcu_do_batch > kmem_cache_free");
    // JSON has every frame, outermost first
    JsonNode chain = json(result(f)).get("findings").get(0).get("chain");
    assertThat(chain).hasSize(CHAIN.size());
    assertThat(chain.get(0).asText()).isEqualTo("asm_sysvec_apic_timer_interrupt");
    assertThat(chain.get(CHAIN.size() - 1).asText()).isEqualTo("kmem_cache_free");
  }

  @Test
  void evidenceIsCappedInTextAndMarkdownButCompleteInJson() throws IOException {
    List<Evidence> ev = new ArrayList<>();
    for (int i = 1; i <= 11; i++) ev.add(event(i, "step " + i));
    AnalysisResult r = result(finding(FindingKind.SLEEP_IN_ATOMIC, Certainty.CERTAIN, "f", List.of("f"), List.of(),
        ev, 1_500_001_000L));
    String text = text(r);
    assertThat(text).contains("     evidence  splat.txt:1 [001] dl-task/77: step 1\n",
        "               splat.txt:8 [001] dl-task/77: step 8\n",
        "               … 3 more (all in --format json)\n");
    assertThat(text).doesNotContain("step 9");
    assertThat(AnalysisText.markdown(r)).contains("  - `splat.txt:8 [001] dl-task/77: step 8`\n"
        + "  - … 3 more (all in `--format json`)\n");
    assertThat(json(r).get("findings").get(0).get("evidence")).hasSize(11);
  }

  @Test
  void repeatedFindingsShowHowOftenAndWhenFirstAndLastSeen() throws IOException {
    Finding f = finding(FindingKind.SLEEP_IN_ATOMIC, Certainty.CERTAIN, "f", List.of("f"), List.of("&a->lock"),
        List.of(event(1, "x")), 2_000_000_000L);
    AnalysisResult r = result(f);
    r.findings().report(finding(FindingKind.SLEEP_IN_ATOMIC, Certainty.CERTAIN, "f", List.of("f"), List.of("&a->lock"),
        List.of(event(2, "x")), 1_000_001_000L), "splat.txt");
    r.findings().report(finding(FindingKind.SLEEP_IN_ATOMIC, Certainty.CERTAIN, "f", List.of("f"), List.of("&a->lock"),
        List.of(event(3, "x")), 2_500_000_999L), "splat.txt");
    assertThat(text(r)).contains("     seen      3 times, 1.000001 to 2.500000\n",
        "  findings  1 (1 certain, 0 possible), 3 occurrences\n");
    JsonNode j = json(r).get("findings").get(0);
    assertThat(j.get("count").asLong()).isEqualTo(3);
    assertThat(j.get("first_timestamp_ns").asLong()).isEqualTo(1_000_001_000L);
    assertThat(j.get("last_timestamp_ns").asLong()).isEqualTo(2_500_000_999L);
    assertThat(j.get("last_s").decimalValue()).isEqualByComparingTo("2.5");
    assertThat(jsonText(r)).contains("\"first_s\" : 1.000001,", "\"last_s\" : 2.500000,");
    assertThat(csv(r).get(1)).contains(",3,1.000001,2.500000,&a->lock,");
  }

  @Test
  void framesWithoutTimeCpuOrTaskLeaveThoseOut() throws IOException {
    Evidence frame = new Evidence("dmesg.txt", 42, -1, -1, "", "frame inactive_task_timer");
    AnalysisResult r = result(finding(FindingKind.RT_ALLOC_IN_ATOMIC, Certainty.CERTAIN, "inactive_task_timer",
        List.of("inactive_task_timer"), List.of(), List.of(frame), -1));
    assertThat(text(r)).contains("     seen      once\n", "     evidence  dmesg.txt:42: frame inactive_task_timer\n");
    JsonNode f = json(r).get("findings").get(0);
    assertThat(f.has("first_timestamp_ns")).isFalse();
    assertThat(f.has("first_s")).isFalse();
    JsonNode ev = f.get("evidence").get(0);
    assertThat(ev.has("timestamp_ns")).isFalse();
    assertThat(ev.has("cpu")).isFalse();
    assertThat(ev.has("task")).isFalse();
    assertThat(ev.get("line").asLong()).isEqualTo(42);
    assertThat(csv(r).get(1)).contains(",inactive_task_timer,1,,,,");
  }

  @Test
  void csvQuotesTextAndJoinsLocksWithSemicolons() throws IOException {
    AnalysisResult r = result(finding(FindingKind.INVALID_WAIT_CONTEXT, Certainty.POSSIBLE, "mydev_irq",
        List.of("mydev_irq"), List.of("&dev->hw_lock", "&dev->queue_lock"), List.of(event(5, "x")), 1_500_005_000L));
    List<String> rows = csv(r);
    assertThat(rows.get(0)).isEqualTo("kind,certainty,signature,culprit,count,first_s,last_s,locks,context,message,remedy");
    assertThat(rows.get(1)).isEqualTo("invalid-wait-context,possible,"
        + "invalid-wait-context:mydev_irq:&dev->hw_lock+&dev->queue_lock,mydev_irq,1,1.500005,1.500005,"
        + "&dev->hw_lock;&dev->queue_lock,"
        + "hardirq: local_timer vector > HARD hrtimer callback inactive_task_timer; irqs off; preempt_count 1,"
        + "\"kmem_cache_free (task_struct) takes sleeping locks on PREEMPT_RT, called in hardirq context on PREEMPT_RT\","
        + "defer to process context (call_rcu / workqueue)");
  }

  @Test
  void markdownKeepsNamesInCodeSpansAndEscapesProse() {
    AnalysisResult r = result(finding(FindingKind.RECURSIVE_LOCKING, Certainty.CERTAIN, "odd`name",
        List.of("outer_fn", "odd`name"), List.of("&x->lock"), List.of(event(7, "acquires &x->lock")), 1_500_007_000L));
    String md = AnalysisText.markdown(r);
    assertThat(md).contains("#### 1. recursive-locking, certain\n\n"
            + "`WARNING: possible recursive locking detected`: kmem\\_cache\\_free (task\\_struct)",
        "- culprit: `` odd`name ``\n", "- locks: `&x->lock`\n", "- chain: `` outer_fn > odd`name ``\n",
        "- context: hardirq: local\\_timer vector \\> HARD hrtimer callback");
  }

  @Test
  void manyFindingsAreCountedBeyondWhatTheTextLists() throws IOException {
    AnalysisResult r = result();
    for (int i = 0; i < Findings.MAX_SIGNATURES + 2; i++) {
      r.findings().report(finding(FindingKind.SLEEP_IN_ATOMIC, Certainty.CERTAIN, "f" + i, List.of("f" + i), List.of(),
          List.of(event(1, "x")), 1_000_000_000L + i), "splat.txt");
    }
    assertThat(r.findings().dropped()).isEqualTo(2);
    String text = text(r);
    assertThat(text).contains("  50. sleep-in-atomic, certain", "  … 9,950 more findings: all are in --format json and",
        "  2 more occurrences of problems beyond the 10,000 distinct findings kept were counted but not\n"
            + "  recorded.\n");
    assertThat(text).doesNotContain("  51. ");
    JsonNode root = json(r);
    assertThat(root.get("findings")).hasSize(Findings.MAX_SIGNATURES);
    assertThat(root.get("findings_dropped").asLong()).isEqualTo(2);
  }

  @Test
  void heldLocksForgottenAreMentioned() {
    AnalysisResult r = result(3);
    assertThat(text(r)).isEqualTo("Findings\n  No findings under " + RULES + ".\n\n"
        + "  Held locks were forgotten 3 times (at lost events, or for tasks beyond the held-lock table):\n"
        + "  problems involving a lock held across that are not seen.\n\n");
  }
}
