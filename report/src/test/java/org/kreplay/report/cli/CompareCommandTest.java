package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kreplay compare}: the seed fixes come out fixed with their new deferral (golden files
 * next to the traces), a trace against itself shows nothing, a loaded run against an idle one
 * shows a significant shift, and --fail-on gates on what the report shows.
 */
class CompareCommandTest {
  private static final Path SEEDS = Path.of("..", "traces", "seeds");
  private static final String IDLE = AnalyzeCommandTest.TRACE;
  private static final String LOADED = Path.of("..", "traces", "cyclictest-loaded", "trace.txt.xz").toString();

  private static String[] seedArgs(String seed, String... extra) {
    Path dir = SEEDS.resolve(seed);
    List<String> args = new java.util.ArrayList<>(List.of("compare", "-q"));
    if (Files.exists(dir.resolve("catalog.yaml"))) args.addAll(List.of("--catalog", dir.resolve("catalog.yaml").toString()));
    args.addAll(List.of(extra));
    args.add(dir.resolve("before.txt").toString());
    args.add(dir.resolve("after.txt").toString());
    return args.toArray(new String[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1-put-task-struct", "2-kvfree-rcu", "3-irq-work-rt", "4-srcu-rq-abba"})
  void eachSeedFixComparesAsFixedWithItsNewDeferral(String seed) throws IOException {
    Cli.Run r = Cli.run(seedArgs(seed));
    assertThat(r.exit()).as(r.err()).isZero();
    Path golden = SEEDS.resolve(seed).resolve("expected-compare.txt");
    // the tests run in report/, hence the "../" in the golden files' paths
    String out = r.out();
    if (Boolean.getBoolean("kreplay.updateGolden")) Files.writeString(golden, out, StandardCharsets.UTF_8);
    assertThat(out).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    assertThat(r.out()).contains(" 0 new, ").doesNotContain("unchanged  ");
    JsonNode json = new ObjectMapper().readTree(Cli.run(seedArgs(seed, "-f", "json")).out());
    assertThat(json.get("kind").asText()).isEqualTo("comparison");
    assertThat(json.get("findings")).isNotEmpty().allSatisfy(f -> assertThat(f.get("change").asText()).isEqualTo("fixed"));
    assertThat(json.get("latency")).anySatisfy(l -> assertThat(l.get("verdict").asText()).isEqualTo("only after"));
  }

  @Test
  void theFirstSeedShowsTheCallRcuDeferralTheFixIntroduced() {
    String out = Cli.run(seedArgs("1-put-task-struct")).out();
    assertThat(out).contains("0 new, 4 fixed, 0 unchanged");
    assertThat(out).containsPattern("rcu +__put_task_struct_rcu_cb +- +0→1 +-→3\\.99ms .*only after");
  }

  @Test
  void aTraceAgainstItselfShowsNoChangeAnywhere() throws IOException {
    JsonNode json = new ObjectMapper().readTree(Cli.run("compare", "-q", "-f", "json", IDLE, IDLE).out());
    assertThat(json.get("findings")).allSatisfy(f -> assertThat(f.get("change").asText()).isEqualTo("unchanged"));
    assertThat(json.get("latency")).isNotEmpty().allSatisfy(l ->
        assertThat(l.get("verdict").asText()).isIn("no significant change", "not enough samples"));
    assertThat(json.get("latency")).anySatisfy(l -> assertThat(l.get("mann_whitney_p").asDouble()).isEqualTo(1.0));
  }

  @Test
  void aCompetingLoadShowsASignificantShiftInTimerLateness() throws IOException {
    JsonNode json = new ObjectMapper().readTree(Cli.run("compare", "-q", "-f", "json", IDLE, LOADED).out());
    JsonNode wakeup = null;
    for (JsonNode l : json.get("latency")) {
      if (l.get("mechanism").asText().equals("hrtimer") && l.get("key").asText().equals("hrtimer_wakeup")) wakeup = l;
    }
    assertThat(wakeup).isNotNull();
    assertThat(wakeup.get("mann_whitney_p").asDouble()).isLessThan(1e-6);
    assertThat(wakeup.get("kolmogorov_smirnov_p").asDouble()).isLessThan(1e-6);
    // the bulk got earlier (no idle exits to wait for) while the tail exploded: the tail decides
    assertThat(wakeup.get("verdict").asText()).isEqualTo("slower tail");
    assertThat(wakeup.get("tail_disagrees").asBoolean()).isTrue();
    assertThat(wakeup.get("p99_shift").asDouble()).isGreaterThan(10);
    assertThat(wakeup.get("tail_p").asDouble()).isLessThan(1e-6);
    assertThat(wakeup.get("tail")).hasSize(2);
    assertThat(wakeup.get("tail").get(0).get("percentile").asText()).isEqualTo("p99");
    // above before's p99.9 (115µs): 5 of 5,356 values before, 27 of 1,593 after
    JsonNode p999 = wakeup.get("tail").get(1);
    assertThat(p999.get("percentile").asText()).isEqualTo("p99.9");
    double shareBefore = p999.get("before_above_before_threshold").asDouble() / wakeup.get("before").get("count").asDouble();
    double shareAfter = p999.get("after_above_before_threshold").asDouble() / wakeup.get("after").get("count").asDouble();
    assertThat(shareAfter).isGreaterThan(10 * shareBefore);
    assertThat(p999.get("slower_p").asDouble()).isLessThan(1e-6);
    String text = Cli.run("compare", "-q", IDLE, LOADED).out();
    assertThat(text).containsPattern("hrtimer +hrtimer_wakeup .*<0\\.0001 +slower tail \\(bulk faster\\)");
  }

  @Test
  void aTailThatExplodedUnderLoadIsASlowerTailThatFailsTheSlowdownGate() throws IOException {
    String idle = Path.of("..", "traces", "cyclictest", "trace.dat").toString();
    String loaded = Path.of("..", "traces", "cyclictest-loaded", "trace.dat").toString();
    Cli.Run r = Cli.run("compare", "-q", "--fail-on", "latency:hrtimer:significant-slowdown", idle, loaded);
    // hrtimer p99 64.9µs → 8.86ms: today's main called it "faster" and let the gate pass
    assertThat(r.out()).containsPattern("\n  hrtimer +all +- +6,876→2,090 .* 64\\.9µs→8\\.86ms .* <0\\.0001 +slower tail"
        + " \\(bulk faster\\)\n");
    assertThat(r.exit()).isEqualTo(ExitCodes.GATE_FAILED);
    assertThat(r.err()).startsWith("kreplay: --fail-on latency:hrtimer:significant-slowdown: hrtimer all has a slower"
        + " tail: ").contains(" values after above before's p99").contains("(Fisher exact p=").endsWith(", one-sided)\n");
    // a legend: one line per verdict, in the text and the Markdown
    assertThat(r.out()).contains("  Verdicts:\n").containsPattern("\n    slower tail +the bulk is not slower, but");
    String md = Cli.ok("compare", "-q", "-f", "md", idle, loaded);
    for (var v : org.kreplay.analyze.Comparison.Verdict.values()) {
      assertThat(md).contains("- **" + v.label() + "**: " + v.meaning() + "\n");
    }
    // JSON and CSV carry the tail p-values and the verdict
    JsonNode json = new ObjectMapper().readTree(Cli.ok("compare", "-q", "-f", "json", idle, loaded));
    JsonNode all = null;
    for (JsonNode l : json.get("latency")) {
      if (l.get("mechanism").asText().equals("hrtimer") && l.get("key").asText().equals("all")) all = l;
    }
    assertThat(all.get("verdict").asText()).isEqualTo("slower tail");
    assertThat(all.get("tail").get(0).get("before_threshold_ns").asLong()).isEqualTo(all.get("before").get("p99_ns").asLong());
    assertThat(json.get("thresholds").get("tail_samples").asInt()).isEqualTo(100);
    // the tail can be looked up: each side's worst samples, the first being the side's max
    assertThat(all.get("after_worst")).hasSize(5);
    assertThat(all.get("after_worst").get(0).get("latency_ns").asLong()).isEqualTo(all.get("after").get("max_ns").asLong());
    assertThat(all.get("after_worst").get(0).get("source").asText()).isEqualTo(loaded);
    assertThat(all.get("before_worst").get(0).get("execute").get("where").asText()).startsWith(idle + "@");
    JsonNode one = new ObjectMapper().readTree(Cli.ok("compare", "-q", "-f", "json", "--worst", "1", idle, loaded));
    assertThat(one.get("latency")).allSatisfy(l -> assertThat(l.get("after_worst").size()).isLessThanOrEqualTo(1));
    List<String> csv = Cli.ok("compare", "-q", "-f", "csv", idle, loaded).lines().toList();
    assertThat(csv.get(0)).endsWith(",cliffs_delta,tail_p99_slower_p,tail_p99_faster_p,tail_p999_slower_p,"
        + "tail_p999_faster_p,verdict");
    assertThat(csv).anySatisfy(l -> assertThat(l).startsWith("hrtimer,latency,all,,6876,").endsWith(",slower tail"));
    // the same gate on the fix itself, idle against idle, passes
    assertThat(Cli.run("compare", "-q", "--fail-on", "latency:hrtimer:significant-slowdown", idle, idle).exit()).isZero();
  }

  /**
   * How the blame moved: the idle machine's hrtimer tail was idle time (the timer interrupt came
   * late into an idle CPU); under load it is the stress-ng tasks and the disk's interrupt.
   */
  @Test
  void theBlameOfATailThatChangedIsShownBeforeAndAfter() throws IOException {
    String idle = Path.of("..", "traces", "cyclictest", "trace.dat").toString();
    String loaded = Path.of("..", "traces", "cyclictest-loaded", "trace.dat").toString();
    String text = Cli.ok("compare", "-q", idle, loaded);
    assertThat(text).contains("How the blame of the tail moved, for the rows that changed");
    assertThat(text).containsPattern("\n  hrtimer +hrtimer_wakeup +slower tail \\(bulk faster\\) +100% idle, <1% local_timer"
        + " vector +\\d+% task stress-ng-cpu/829\\d, ");
    JsonNode json = new ObjectMapper().readTree(Cli.ok("compare", "-q", "-f", "json", idle, loaded));
    JsonNode all = null;
    for (JsonNode l : json.get("latency")) {
      if (l.get("mechanism").asText().equals("hrtimer") && l.get("key").asText().equals("all")) all = l;
    }
    assertThat(all.get("before_tail_blame").get("blame").get(0).get("what").asText()).isEqualTo("idle");
    assertThat(all.get("after_tail_blame").get("blame").get(0).get("what").asText()).startsWith("task stress-ng-cpu/");
    assertThat(all.get("after_tail_blame").get("samples").asLong()).isPositive();
  }

  @Test
  void failOnGatesOnNewFindingsAndLatencyAndSaysWhy() {
    // reversed: "after" is the buggy trace, so its findings are new
    Path dir = SEEDS.resolve("2-kvfree-rcu");
    Cli.Run reversed = Cli.run("compare", "-q", "--fail-on", "new-findings", dir.resolve("after.txt").toString(),
        dir.resolve("before.txt").toString());
    assertThat(reversed.exit()).isEqualTo(ExitCodes.GATE_FAILED);
    assertThat(reversed.err()).isEqualTo("kreplay: --fail-on new-findings: 1 finding: invalid-wait-context in"
        + " kvfree_call_rcu_add_ptr_to_bulk\n");
    assertThat(reversed.out()).contains("1 new, 0 fixed");
    assertThat(Cli.run(seedArgs("2-kvfree-rcu", "--fail-on", "new-findings")).exit()).isZero();

    Cli.Run p99 = Cli.run("compare", "-q", "--fail-on", "latency:hrtimer:p99>+20%,latency:softirq:significant-slowdown",
        IDLE, LOADED);
    assertThat(p99.exit()).isEqualTo(ExitCodes.GATE_FAILED);
    assertThat(p99.err()).contains("kreplay: --fail-on latency:hrtimer:p99>+20%: hrtimer all p99 ")
        .doesNotContain("softirq:significant-slowdown"); // softirq's overall row got faster
    assertThat(Cli.run("compare", "-q", "--fail-on", "latency:*:p99>1s", IDLE, LOADED).exit()).isZero();
    assertThat(Cli.run("compare", "-q", "--fail-on", "latency:TIMER:significant-slowdown", IDLE, LOADED).err())
        .startsWith("kreplay: --fail-on latency:TIMER:significant-slowdown: softirq TIMER is slower (Mann-Whitney p=");

    Cli.Run bad = Cli.run("compare", "--fail-on", "latency:hrtimer:p77>+5%", IDLE, IDLE);
    assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("--fail-on latency:hrtimer:p77>+5%: metric must be p50, p90, p99, max or mean");
  }

  @Test
  void markdownIsPlainTablesAndCsvHasOneRowPerDeferralRow() throws IOException {
    String md = Cli.run(seedArgs("2-kvfree-rcu", "-f", "md")).out();
    assertThat(md).startsWith("## kreplay compare\n\n### Sides\n\n").contains("| change | kind |")
        .doesNotContain("<table", "<br", "<div", "\n\n\n");
    List<String> csv = Cli.ok(seedArgs("2-kvfree-rcu", "-f", "csv")).lines().toList();
    assertThat(csv.get(0)).startsWith("mechanism,metric,key,class,before_count,");
    assertThat(csv).anySatisfy(l -> assertThat(l).startsWith("hrtimer,latency,schedule_page_work_fn,plain,0,,,,,1,"));
    List<String> findings = Cli.ok(seedArgs("2-kvfree-rcu", "-f", "csv", "--csv-table", "findings")).lines().toList();
    assertThat(findings).hasSize(2);
    assertThat(findings.get(1)).startsWith("fixed,invalid-wait-context,certain,");
  }

  @Test
  void htmlIsOneSelfContainedPageWithBothSides() {
    String html = Cli.run(seedArgs("1-put-task-struct", "-f", "html")).out();
    assertThat(html).startsWith("<!DOCTYPE html>").contains("__put_task_struct_rcu_cb").contains("only after")
        .contains("fixed").doesNotContain("src=\"http", "href=\"http", "<link");
    assertThat(html.split("<svg", -1).length - 1).as("charts").isPositive();
  }

  @Test
  void aDirectorySideIsEveryTraceInItMerged(@TempDir Path dir) throws IOException {
    Path before = Files.createDirectories(dir.resolve("before"));
    Files.copy(SEEDS.resolve("3-irq-work-rt/before.txt"), before.resolve("a.txt"));
    Files.copy(SEEDS.resolve("1-put-task-struct/before.txt"), before.resolve("b.txt"));
    Files.writeString(before.resolve(".hidden"), "not a trace");
    Path after = Files.createDirectories(dir.resolve("after"));
    Files.copy(SEEDS.resolve("3-irq-work-rt/after.txt"), after.resolve("a.txt"));
    Files.copy(SEEDS.resolve("1-put-task-struct/after.txt"), after.resolve("b.txt"));
    Cli.Run r = Cli.run("compare", "-q", before.toString(), after.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("0 new, 6 fixed, 0 unchanged").contains("__put_task_struct_rcu_cb")
        .contains("rb_wake_up_waiters");
  }

  private static final Path LOGS = SplatCommandTest.LOGS;

  @Test
  void kernelLogsCompareByProblemSignature() throws IOException {
    String seedLog = LOGS.resolve("seed-put-task-struct.txt").toString();
    String clean = LOGS.resolve("boot-normal-2.6.32.log").toString();
    Cli.Run r = Cli.run("compare", "-q", seedLog, clean);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("Kernel reports\n  0 new, 1 fixed, 0 unchanged distinct problems among 1 → 0 reports")
        .containsPattern("fixed +sleep-in-atomic +inactive_task_timer +- +1 +0 +seed-put-task-struct.txt:9");

    // the other way round, the report is new and the CI gate says so
    Cli.Run gate = Cli.run("compare", "-q", "--fail-on", "new-findings", clean, seedLog);
    assertThat(gate.exit()).isEqualTo(ExitCodes.GATE_FAILED);
    assertThat(gate.err()).isEqualTo(
        "kreplay: --fail-on new-findings: 1 kernel-report problem: sleep-in-atomic in inactive_task_timer\n");

    JsonNode json = new ObjectMapper().readTree(Cli.run("compare", "-q", "-f", "json", seedLog, clean).out());
    assertThat(json.at("/before/kernel_reports").asLong()).isEqualTo(1);
    assertThat(json.at("/after/logs/0").asText()).isEqualTo(clean);
    JsonNode p = json.at("/kernel_reports/0");
    assertThat(p.get("change").asText()).isEqualTo("fixed");
    assertThat(p.get("signature").asText()).startsWith("sleep-in-atomic:inactive_task_timer");
    assertThat(p.get("before_count").asLong()).isEqualTo(1);
    assertThat(p.get("after_count").asLong()).isZero();

    List<String> csv = Cli.ok("compare", "-q", "-f", "csv", "--csv-table", "reports", seedLog, clean).lines().toList();
    assertThat(csv).hasSize(2);
    assertThat(csv.get(0)).isEqualTo("change,kind,signature,culprit,locks,before_count,after_count,reproduced,message");
    assertThat(csv.get(1)).startsWith("fixed,sleep-in-atomic,");
  }

  @Test
  void aSideMayMixTracesAndLogs(@TempDir Path tmp) throws IOException {
    // before: the seed's trace and its kernel log; after: the fixed trace and a log with an unrelated report
    Path before = Files.createDirectories(tmp.resolve("before"));
    Path after = Files.createDirectories(tmp.resolve("after"));
    Files.copy(SEEDS.resolve("1-put-task-struct/before.txt"), before.resolve("trace.txt"));
    Files.copy(LOGS.resolve("seed-put-task-struct.txt"), before.resolve("dmesg.txt"));
    Files.copy(SEEDS.resolve("1-put-task-struct/after.txt"), after.resolve("trace.txt"));
    Files.copy(LOGS.resolve("hung-task-syslog-2.6.38.log"), after.resolve("dmesg.txt"));
    Cli.Run r = Cli.run("compare", "-q", before.toString(), after.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("0 new, 4 fixed, 0 unchanged (matched by signature")
        .contains("2 new, 1 fixed, 0 unchanged distinct problems among 1 → 3 reports")
        .containsPattern("new +hung-task +do_get_write_access")
        .containsPattern("rcu +__put_task_struct_rcu_cb +- +0→1");
    String html = Cli.run("compare", "-q", "-f", "html", before.toString(), after.toString()).out();
    assertThat(html).contains("id=\"reports\"").contains("2 new kernel-report problems").contains("do_get_write_access");
    String md = Cli.run("compare", "-q", "-f", "md", before.toString(), after.toString()).out();
    assertThat(md).contains("### Kernel reports").doesNotContain("<table").doesNotContain("<td");
  }

  /** Seed 4's fix is proved by its lock-order edge disappearing, not only by "no findings". */
  @Test
  void theLockDependencyTheFixRemovesIsListedAsGone() throws IOException {
    String before = SEEDS.resolve("4-srcu-rq-abba").resolve("before.txt").toString();
    String after = SEEDS.resolve("4-srcu-rq-abba").resolve("after.txt").toString();
    JsonNode deps = new ObjectMapper().readTree(Cli.ok("compare", "-f", "json", before, after)).get("lock_dependencies");
    assertThat(deps.get("before").asInt()).isEqualTo(6);
    assertThat(deps.get("after").asInt()).isEqualTo(5);
    assertThat(deps.get("new")).isEmpty();
    assertThat(deps.get("gone")).hasSize(1);
    assertThat(deps.get("gone").get(0).get("held").asText()).isEqualTo("&ACCESS_PRIVATE(ssp->srcu_sup, lock)");
    assertThat(deps.get("gone").get(0).get("taken").asText()).isEqualTo("&pool->lock");
    assertThat(deps.get("gone").get(0).get("first_seen").get("line").asInt()).isEqualTo(47);
    // a side compared with itself has no section at all
    assertThat(Cli.ok("compare", before, before)).doesNotContain("Lock dependencies");
  }
}
