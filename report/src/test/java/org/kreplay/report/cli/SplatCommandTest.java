package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kreplay splat} on real kernel reports (ingest's test logs, sources cited in each file):
 * every report's kind, culprit, context, locks and decoded preempt count, as golden files, plus
 * what a user relies on: the seed's verdict, no false report in a normal boot log, clean results
 * for cut and damaged reports, grouping across logs.
 */
class SplatCommandTest {
  static final Path LOGS = Path.of("..", "ingest", "src", "test", "resources", "org", "kreplay", "ingest", "log");
  private static final Path GOLDEN = Path.of("src", "test", "resources", "org", "kreplay", "report", "splat");

  static Stream<String> logs() throws IOException {
    try (Stream<Path> s = Files.list(LOGS)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log") || n.endsWith(".txt")).sorted()
          .toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("logs")
  void everyReportsVerdictMatchesItsGoldenFile(String log) throws IOException {
    Cli.Run r = Cli.run("splat", "-q", "--details", LOGS.resolve(log).toString());
    assertThat(r.exit()).as(r.err()).isZero();
    String out = r.out().replace(LOGS + "/", "");
    Path golden = GOLDEN.resolve(log.replaceAll("\\.(log|txt)$", "") + ".golden");
    if (Boolean.getBoolean("kreplay.updateGolden")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, out, StandardCharsets.UTF_8);
    }
    assertThat(out).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  /**
   * One long log holding every test log's reports: judged on several threads (-j 3, one log) it
   * gives the very document it gives on one (-j 1), every report in the log's order.
   */
  @Test
  void oneLogJudgedOnSeveralThreadsGivesTheSameDocument(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Path all = dir.resolve("all.log");
    StringBuilder text = new StringBuilder();
    for (String log : logs().toList()) {
      if (!log.endsWith(".log")) continue;
      text.append(Files.readString(LOGS.resolve(log), StandardCharsets.ISO_8859_1));
      if (text.charAt(text.length() - 1) != '\n') text.append('\n');
    }
    Files.writeString(all, text, StandardCharsets.ISO_8859_1);
    Cli.Run one = Cli.run("splat", "-q", "-f", "json", "--details", "-j", "1", all.toString());
    Cli.Run three = Cli.run("splat", "-q", "-f", "json", "--details", "-j", "3", all.toString());
    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(new ObjectMapper().readTree(one.out()).get("reports").asInt()).isGreaterThan(30);
    assertThat(three.out()).isEqualTo(one.out());
    assertThat(three.exit()).isEqualTo(one.exit());
  }

  @Test
  void eachProblemSaysHowSyzkallerReadsItAndWhyTheCulpritDiffers() throws IOException {
    // a lockdep cycle: syzkaller blames the function on the "is trying to acquire lock ... at:" line,
    // the replay the innermost frame that broke the rule
    JsonNode p = json("splat", "-q", "-f", "json", LOGS.resolve("circular-dependency-4.1.log").toString())
        .get("problems").get(0);
    assertThat(p.get("syz_title").asText()).isEqualTo("possible deadlock in kernfs_remove_by_name_ns");
    assertThat(p.get("syz_type").asText()).isEqualTo("LOCKDEP");
    assertThat(p.get("syz_corrupted").asBoolean()).isFalse();
    assertThat(p.get("frame").asText()).isEqualTo("kernfs_remove_by_name_ns");
    assertThat(p.get("signature").asText()).isEqualTo("possible deadlock in kernfs_remove_by_name_ns");
    assertThat(p.get("culprit").asText()).isEqualTo("__kernfs_remove");
    assertThat(p.get("culprit_differs").asText()).contains("blames __kernfs_remove")
        .contains("syzkaller blames kernfs_remove_by_name_ns");
    // a call trace with no header: syzkaller titles nothing, kreplay keeps its own signature
    JsonNode seed = json("splat", "-q", "-f", "json", LOGS.resolve("seed-put-task-struct.txt").toString())
        .get("problems").get(0);
    assertThat(seed.get("syz_title").isNull()).isTrue();
    assertThat(seed.get("signature").asText()).isEqualTo("sleep-in-atomic:inactive_task_timer");
    assertThat(seed.get("culprit").asText()).isEqualTo("inactive_task_timer");
    assertThat(seed.get("culprit_differs").asText()).contains("would not report a call trace without a header");
  }

  private static JsonNode json(String... args) throws IOException {
    Cli.Run r = Cli.run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void theSeedSplatIsASleepingLockInAHardHrtimerCallbackOnRt() throws IOException {
    JsonNode p = json("splat", "-q", "-f", "json", LOGS.resolve("seed-put-task-struct.txt").toString())
        .get("problems").get(0);
    assertThat(p.get("kind").asText()).isEqualTo("sleep-in-atomic");
    assertThat(p.get("culprit").asText()).isEqualTo("inactive_task_timer");
    assertThat(p.get("message").asText()).isEqualTo("sleeping lock (rt_spin_lock) taken in hardirq context"
        + " (local_timer vector, HARD hrtimer callback inactive_task_timer)");
    assertThat(p.get("rules").asText()).isEqualTo("PREEMPT_RT kernel");
    assertThat(p.get("remedy").asText()).isEqualTo("defer to process context (call_rcu / workqueue)");
    assertThat(p.get("reproduced").asBoolean()).isTrue();
    assertThat(p.get("chain").toString()).contains("\"inactive_task_timer\",\"kmem_cache_free\"")
        .doesNotContain("mark_lock").doesNotContain("dump_stack");
    // the example is the report as read: no section markers, so every frame's section is inferred
    assertThat(p.at("/example/frames/0/section_marked").asBoolean()).isFalse();
  }

  @Test
  void aNormalBootLogHasNoReportAtAll() {
    Cli.Run r = Cli.run("splat", LOGS.resolve("boot-normal-2.6.32.log").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("0 reports in 1 log, 0 distinct problems").contains("No kernel reports: a clean log (224 lines read, 220 recognised as the kernel's).");
  }

  @Test
  void cutAndDamagedReportsAreKeptAndFlagged() throws IOException {
    JsonNode truncated = json("splat", "-q", "-f", "json", LOGS.resolve("truncated-lockdep.log").toString());
    assertThat(truncated.get("reports").asInt()).isEqualTo(1);
    assertThat(truncated.get("truncated").asInt()).isEqualTo(1);
    assertThat(truncated.at("/problems/0/example/truncated").asBoolean()).isTrue();
    assertThat(truncated.at("/problems/0/example/problems/0").asText()).startsWith(LOGS.resolve("truncated-lockdep.log")
        + ":");
    JsonNode corrupted = json("splat", "-q", "-f", "json", LOGS.resolve("corrupted-recursive.log").toString());
    assertThat(corrupted.get("corrupted").asInt()).isEqualTo(1);
    assertThat(corrupted.at("/problems/0/kind").asText()).isEqualTo("recursive-locking");
  }

  @Test
  void theSameProblemInTwoLogsIsOneProblemSeenInBoth() throws IOException {
    JsonNode j = json("splat", "-q", "-f", "json", LOGS.resolve("invalid-wait-context-arm64.log").toString(),
        LOGS.resolve("serial-console-arm64.log").toString());
    assertThat(j.get("reports").asInt()).isEqualTo(2);
    assertThat(j.get("problems")).hasSize(1);
    JsonNode p = j.get("problems").get(0);
    assertThat(p.get("count").asInt()).isEqualTo(2);
    assertThat(p.get("logs")).hasSize(2);
    assertThat(p.get("signature").asText()).isEqualTo("WARNING: locking bug in ufshcd_sl_intr"); // syzbot's title, its bucket
    // lockdep's "context-{2:2}": the handler is not force-threadable, so spinlock_t is invalid there
    assertThat(p.get("reproduced").asBoolean()).isTrue();
  }

  @Test
  void aDirectoryOfLogsGivesTheSameResultWithAnyNumberOfJobs() throws IOException {
    JsonNode one = json("splat", "-q", "-f", "json", "--jobs", "1", LOGS.toString());
    JsonNode four = json("splat", "-q", "-f", "json", "--jobs", "4", LOGS.toString());
    assertThat(four).isEqualTo(one);
    assertThat(one.get("reports").asInt()).isGreaterThan(30);
    assertThat(one.get("reports_by_kind").size()).isGreaterThanOrEqualTo(19);
  }

  @Test
  void analyzeReadsKernelLogsToo() {
    String log = LOGS.resolve("recursive-locking-syslog-prio.log").toString();
    Cli.Run viaAnalyze = Cli.run("analyze", "-q", log);
    assertThat(viaAnalyze.exit()).isZero();
    assertThat(viaAnalyze.out()).isEqualTo(Cli.run("splat", "-q", log).out());
    Cli.Run mixed = Cli.run("analyze", "-q", "-f", "json", log, AnalyzeCommandTest.TRACE);
    assertThat(mixed.exit()).isEqualTo(ExitCodes.USAGE);
    Cli.Run both = Cli.run("analyze", "-q", log, AnalyzeCommandTest.TRACE);
    assertThat(both.out()).contains("Deferral latency").contains("Problems").contains("recursive-locking");
    Cli.Run gate = Cli.run("analyze", "-q", "--fail-on", "recursive-locking", log);
    assertThat(gate.exit()).isEqualTo(ExitCodes.GATE_FAILED);
  }

  @Test
  void aConsoleLogWithAnFtraceDumpIsAnalysedAsItsTraceAndItsReports() {
    // ftrace_dump_on_oops: the VM printed its trace buffer before panicking on the real splat
    String log = Path.of("..", "traces", "rt-vm", "rec", "rt", "s1-contended", "console.log.xz").toString();
    Cli.Run text = Cli.run("analyze", "-q", log);
    assertThat(text.exit()).isZero();
    assertThat(text.out()).contains("format        ftrace dump in a kernel log").contains("rules     PREEMPT_RT kernel")
        .contains("culprit   rtvm_s1_put_obj").contains("Problems").contains("schedule-while-atomic  rtvm_s1_put_obj");
    Cli.Run json = Cli.run("analyze", "-f", "json", log);
    assertThat(json.exit()).isZero();
    assertThat(json.err()).contains("holds an ftrace dump (ftrace_dump_on_oops)");
    assertThat(Cli.run("splat", "-q", log).out()).as("splat reads the reports only").doesNotContain("ftrace dump");
  }

  @Test
  void failOnGatesOnReportKinds() {
    String log = LOGS.resolve("soft-lockup-syslog.log").toString();
    Cli.Run r = Cli.run("splat", "-q", "--fail-on", "soft-lockup", log);
    assertThat(r.exit()).isEqualTo(ExitCodes.GATE_FAILED);
    assertThat(r.err()).startsWith("kreplay: --fail-on: 1 problem: soft-lockup in ");
    assertThat(Cli.run("splat", "-q", "--fail-on", "circular-dependency", log).exit()).isZero();
    assertThat(Cli.run("splat", "-q", "--fail-on", "nonsense", log).exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void htmlListsTheProblemsWithTheirReports() {
    String html = Cli.run("splat", "-q", "-f", "html", LOGS.resolve("seed-put-task-struct.txt").toString()).out();
    assertThat(html).startsWith("<!DOCTYPE html>").contains("kreplay splat").contains("inactive_task_timer")
        .contains("HARD hrtimer callback");
  }

  @Test
  void csvHasOneRowPerProblem() {
    List<String> csv = Cli.ok("splat", "-q", "-f", "csv", LOGS.resolve("hung-task-syslog-2.6.38.log").toString())
       .lines().toList();
    assertThat(csv.get(0)).isEqualTo("kind,signature,culprit,count,first_seen,last_seen,context,locks,reproduced,message,logs,syz_title,frame");
    assertThat(csv).hasSize(3);
    assertThat(csv.get(1)).startsWith("hung-task,INFO: task hung in do_get_write_access,do_get_write_access,2,");
    assertThat(csv.get(1)).endsWith(",INFO: task hung in do_get_write_access,do_get_write_access");
    // analyze, given the same log, writes the same table
    assertThat(Cli.ok("analyze", "-q", "-f", "csv", LOGS.resolve("hung-task-syslog-2.6.38.log").toString()).lines())
        .containsExactlyElementsOf(csv);
  }
}
