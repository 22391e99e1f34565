package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kreplay.analyze.FindingKind;

/**
 * `kreplay analyze` findings and the options that choose the rules, on small hand-written traces
 * in the kernel's lockdep tracepoint format (src/test/resources/org/kreplay/report/findings/, each
 * saying in its header what it shows).
 */
class AnalyzeFindingsTest {
  static final Path DIR = Path.of("src", "test", "resources", "org", "kreplay", "report", "findings");
  /** cfg-worker nests B in A, stats-worker takes B then A: ABBA between two mutexes. */
  static final String ABBA = DIR.resolve("abba.txt").toString();
  /** A spinlock_t taken inside a raw_spinlock_t, twice; the types come only from the test catalog. */
  static final String RAW_NESTING = DIR.resolve("raw-nesting.txt").toString();
  /** The same nesting once, recorded with the seven flag columns of a PREEMPT_RT kernel. */
  static final String RAW_NESTING_RT = DIR.resolve("raw-nesting-rt.txt").toString();
  /** A slab free with preemption disabled and no lock events: possible under PREEMPT_RT rules. */
  static final String FREE = DIR.resolve("free-in-preempt-off.txt").toString();
  static final String CATALOG = DIR.resolve("dev-locks.yaml").toString();
  static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("analyze", "-q", "-f", "json"));
    all.addAll(List.of(args));
    Cli.Run r = Cli.run(all.toArray(new String[0]));
    assertThat(r.exit()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  private static List<String> kinds(JsonNode root) {
    List<String> kinds = new ArrayList<>();
    for (JsonNode f : root.get("findings")) kinds.add(f.get("kind").asText() + "/" + f.get("certainty").asText());
    return kinds;
  }

  // ---- the findings as each format shows them

  @Test
  void anAbbaIsACircularDependencyInTheTextReportBeforeTheDeferralTables() {
    Cli.Run r = Cli.run("analyze", "-q", ABBA);
    assertThat(r.exit()).isZero();
    String out = r.out();
    assertThat(out.indexOf("Findings\n")).isPositive()
        .isLessThan(out.indexOf("Input lines"))
        .isLessThan(out.indexOf("Deferral latency"));
    assertThat(out).contains(
        "  rules     non-RT kernel\n",
        "  findings  1 (1 certain, 0 possible), 1 occurrences\n",
        "  1. circular-dependency, certain: WARNING: possible circular locking dependency detected\n",
        "possible circular locking dependency (ABBA): &dev->stats_mutex -> &dev->cfg_mutex ->",
        "     locks     &dev->stats_mutex, &dev->cfg_mutex\n",
        "     seen      once at 100.001100\n",
        "     evidence  " + ABBA + ":19 [001] stats-worker/202:\n"
            + "                 &dev->cfg_mutex taken while holding &dev->stats_mutex (held since\n",
        "               " + ABBA + ":15 [000] cfg-worker/101:\n"
            + "                 &dev->stats_mutex taken while holding &dev->cfg_mutex (held since\n");
    assertThat(out).doesNotContain("No findings");
  }

  @Test
  void aTraceWithoutProblemsSaysSoUnderWhichRules() {
    Cli.Run r = Cli.run("analyze", "-q", AnalyzeCommandTest.TRACE);
    assertThat(r.out()).contains("Findings\n  No findings under non-RT kernel.\n",
        "Findings\n  No findings under non-RT kernel.\n\n"
            + "  The input has no lock_acquire events (lockdep tracepoints), so lock order, recursion, wait context\n"
            + "  and irq lock state were not checked.\n\nInput lines\n");
    Cli.Run md = Cli.run("analyze", "-q", "-f", "md", AnalyzeCommandTest.TRACE);
    assertThat(md.out()).contains("### Findings\n\nNo findings under non-RT kernel.\n");
    // the lock events of the ABBA trace were checked: no such note there
    assertThat(Cli.run("analyze", "-q", ABBA).out()).doesNotContain("no lock_acquire events");
  }

  @Test
  void markdownListsEachFindingWithCodeSpansForNames() {
    Cli.Run r = Cli.run("analyze", "-q", "-f", "md", ABBA);
    assertThat(r.exit()).isZero();
    String out = r.out();
    assertThat(out.indexOf("### Findings")).isPositive().isLessThan(out.indexOf("### Deferral latency"));
    assertThat(out).contains(
        "| rules | non-RT kernel |",
        "| kind | findings | certain | possible | occurrences |",
        "| circular-dependency | 1 | 1 | 0 | 1 |",
        "#### 1. circular-dependency, certain\n\n`WARNING: possible circular locking dependency detected`: possible"
            + " circular locking dependency (ABBA): &dev-\\>stats\\_mutex",
        "- locks: `&dev->stats_mutex`, `&dev->cfg_mutex`\n",
        "- seen: once at 100.001100\n",
        "  - `" + ABBA + ":19 [001] stats-worker/202: &dev->cfg_mutex taken while holding &dev->stats_mutex");
  }

  @Test
  void jsonHasEveryFieldOfAFindingAndTheRules() throws IOException {
    JsonNode root = json(ABBA);
    assertThat(root.get("schema_version").asInt()).isEqualTo(1);
    assertThat(root.get("rules").toString()).isEqualTo("[\"non-RT kernel\"]");
    assertThat(root.get("findings_dropped").asLong()).isZero();
    assertThat(root.get("summary").get("held_lock_resets").asLong()).isZero();
    assertThat(root.get("findings")).hasSize(1);
    JsonNode f = root.get("findings").get(0);
    assertThat(f.get("kind").asText()).isEqualTo("circular-dependency");
    assertThat(f.get("kernel_header").asText()).isEqualTo("WARNING: possible circular locking dependency detected");
    assertThat(f.get("certainty").asText()).isEqualTo("certain");
    assertThat(f.get("signature").asText()).isEqualTo("circular-dependency:&dev->cfg_mutex->&dev->stats_mutex");
    assertThat(f.get("message").asText()).startsWith("possible circular locking dependency (ABBA)");
    assertThat(f.get("context").asText()).startsWith("task stats-worker/202;");
    assertThat(f.get("remedy").asText()).contains("one order");
    assertThat(f.get("rules").asText()).isEqualTo("non-RT kernel");
    assertThat(f.get("locks").toString()).isEqualTo("[\"&dev->stats_mutex\",\"&dev->cfg_mutex\"]");
    assertThat(f.get("chain").isArray()).isTrue();
    assertThat(f.get("culprit").isTextual()).isTrue();
    assertThat(f.get("count").asLong()).isEqualTo(1);
    assertThat(f.get("first_timestamp_ns").asLong()).isEqualTo(100_001_100_000L);
    assertThat(f.get("last_timestamp_ns").asLong()).isEqualTo(100_001_100_000L);
    assertThat(f.get("first_s").decimalValue()).isEqualByComparingTo("100.001100");
    assertThat(f.get("sources").toString()).isEqualTo("[\"" + ABBA + "\"]");
    JsonNode ev = f.get("evidence").get(0);
    assertThat(ev.get("source").asText()).isEqualTo(ABBA);
    assertThat(ev.get("line").asLong()).isEqualTo(19);
    assertThat(ev.get("timestamp_ns").asLong()).isEqualTo(100_001_100_000L);
    assertThat(ev.get("timestamp_s").decimalValue()).isEqualByComparingTo("100.0011");
    assertThat(ev.get("cpu").asInt()).isEqualTo(1);
    assertThat(ev.get("task").asText()).isEqualTo("stats-worker/202");
    assertThat(ev.get("what").asText()).startsWith("&dev->cfg_mutex taken while holding &dev->stats_mutex");
    // the other half of the ABBA, recorded earlier by the other task
    assertThat(f.get("evidence").get(1).get("line").asLong()).isEqualTo(15);
    assertThat(f.get("evidence").get(1).get("task").asText()).isEqualTo("cfg-worker/101");
  }

  @Test
  void csvFindingsTableHasOneRowPerFinding() throws IOException {
    Cli.Run r = Cli.run("analyze", "-q", "-f", "csv", "--csv-table", "findings", "--catalog", CATALOG, RAW_NESTING);
    assertThat(r.exit()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("kind,certainty,signature,culprit,count,first_s,last_s,locks,context,message,remedy");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .startsWith("invalid-wait-context,certain,invalid-wait-context:")
        .contains(",2,200.000200,200.010200,&dev->hw_lock;&dev->queue_lock,task irq/42-mydev/300;",
            ",\"invalid wait context: &dev->queue_lock (spinlock_t, wait type 3) taken while holding &dev->hw_lock");
    // no findings: just the header
    assertThat(Cli.ok("analyze", "-q", "-f", "csv", "--csv-table", "findings", RAW_NESTING))
        .isEqualTo("kind,certainty,signature,culprit,count,first_s,last_s,locks,context,message,remedy\n");
  }

  @Test
  void certainFindingsComeBeforePossibleOnesInEveryFormat() throws IOException {
    // rt-alloc-in-atomic (possible) sorts before circular-dependency by kind; certainty goes first
    String[] args = {"--judge-as", "rt", FREE, ABBA};
    assertThat(kinds(json(args))).containsExactly("circular-dependency/certain", "rt-alloc-in-atomic/possible");
    String text = Cli.run("analyze", "-q", "--judge-as", "rt", FREE, ABBA).out();
    assertThat(text.indexOf("1. circular-dependency, certain")).isPositive()
        .isLessThan(text.indexOf("2. rt-alloc-in-atomic, possible"));
    List<String> csv = Cli.run("analyze", "-q", "-f", "csv", "--csv-table", "findings", "--judge-as", "rt", FREE, ABBA)
        .out().lines().toList();
    assertThat(csv.get(1)).startsWith("circular-dependency,certain,");
    assertThat(csv.get(2)).startsWith("rt-alloc-in-atomic,possible,rt-alloc-in-atomic:mydev_release:kmem_cache_free,"
        + "mydev_release,1,300.000100,300.000100,,");
    // several inputs: each finding says where it was seen
    assertThat(text).contains("     seen      once at 100.001100 in " + ABBA + "\n");
  }

  @Test
  void theTextReportKeepsToOneHundredColumns() {
    String out = Cli.run("analyze", "-q", "--judge-as", "rt", AnalyzeCommandTest.TRACE).out();
    String findings = out.substring(out.indexOf("Findings\n"), out.indexOf("Input lines"));
    assertThat(findings).contains("rt-alloc-in-atomic, possible", "     chain     ", "     evidence  ");
    assertThat(findings.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(100));
  }

  // ---- --catalog

  @Test
  void catalogFilesGiveLockClassesTheirTypes() throws IOException {
    // Without the catalog the classes are of unknown type: nothing to judge.
    JsonNode without = json(RAW_NESTING);
    assertThat(kinds(without)).isEmpty();
    assertThat(Cli.run("analyze", "-q", RAW_NESTING).out()).contains("No findings under non-RT kernel.");
    JsonNode with = json("--catalog", CATALOG, RAW_NESTING);
    assertThat(kinds(with)).containsExactly("invalid-wait-context/certain");
    JsonNode f = with.get("findings").get(0);
    assertThat(f.get("count").asLong()).isEqualTo(2);
    assertThat(f.get("locks").toString()).isEqualTo("[\"&dev->hw_lock\",\"&dev->queue_lock\"]");
    assertThat(f.get("evidence").get(0).get("what").asText()).isEqualTo("acquires &dev->queue_lock (spinlock_t)");
  }

  @Test
  void laterCatalogFilesOverrideEarlierOnes(@TempDir Path dir) throws IOException {
    Path mutexes = dir.resolve("queue-lock-is-a-mutex.yaml");
    Files.writeString(mutexes, String.join("\n",
        "schema_version: 1",
        "lock_classes:",
        "  - {name: \"&dev->queue_lock\", type: mutex, source: \"what-if: a mutex\"}",
        ""));
    JsonNode root = json("--catalog", CATALOG, "--catalog", mutexes.toString(), RAW_NESTING);
    // a mutex (wait type 4 of lockdep) inside a raw spinlock is still invalid, and now says so
    assertThat(root.get("findings").get(0).get("evidence").get(0).get("what").asText())
        .isEqualTo("acquires &dev->queue_lock (mutex)");
  }

  @Test
  void aBadCatalogIsAOneLineInputErrorNamingFileAndLine(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, String.join("\n",
        "schema_version: 1",
        "lock_classes:",
        "  - name: \"&dev->hw_lock\"",
        "    type: raw_spinlock_t",
        "   - name: \"&dev->queue_lock\"",
        ""));
    Path out = dir.resolve("report.txt");
    Cli.Run r = Cli.run("analyze", "-o", out.toString(), "--catalog", bad.toString(), ABBA);
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT).isEqualTo(3);
    assertThat(r.err()).startsWith("kreplay: " + bad + ":5:4: ").endsWith("\n").doesNotContain("at org.");
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.out()).isEmpty();
    assertThat(out).doesNotExist();

    Cli.Run missing = Cli.run("analyze", "--catalog", dir.resolve("nope.yaml").toString(), ABBA);
    assertThat(missing.exit()).isEqualTo(3);
    assertThat(missing.err()).isEqualTo("kreplay: " + dir.resolve("nope.yaml") + ": no such catalog file\n");

    Path unknownType = dir.resolve("unknown-type.yaml");
    Files.writeString(unknownType, "schema_version: 1\nlock_classes:\n  - {name: x, type: spinlock_tt}\n");
    Cli.Run type = Cli.run("analyze", "--catalog", unknownType.toString(), ABBA);
    assertThat(type.exit()).isEqualTo(3);
    assertThat(type.err()).startsWith("kreplay: " + unknownType + ":3: lock_classes[0]: ")
        .contains("unknown type 'spinlock_tt'");
  }

  // ---- --prove-raw-lock-nesting, --judge-as, --kernel

  @Test
  void rawLockNestingIsProvenUnlessSwitchedOff() throws IOException {
    assertThat(kinds(json("--catalog", CATALOG, RAW_NESTING))).containsExactly("invalid-wait-context/certain");
    assertThat(kinds(json("--catalog", CATALOG, "--prove-raw-lock-nesting", RAW_NESTING)))
        .containsExactly("invalid-wait-context/certain");
    // without it a spinlock_t inside a raw_spinlock_t is legal on a non-RT kernel
    JsonNode off = json("--catalog", CATALOG, "--no-prove-raw-lock-nesting", RAW_NESTING);
    assertThat(kinds(off)).isEmpty();
    assertThat(off.get("rules").toString()).isEqualTo("[\"non-RT kernel\"]");
  }

  @Test
  void judgeAsRtAppliesPreemptRtRulesToANonRtTrace() throws IOException {
    assertThat(kinds(json(FREE))).isEmpty();
    JsonNode free = json("--judge-as", "rt", FREE);
    assertThat(free.get("rules").toString()).isEqualTo("[\"non-RT kernel judged as PREEMPT_RT\"]");
    assertThat(kinds(free)).containsExactly("rt-alloc-in-atomic/possible");
    assertThat(free.get("findings").get(0).get("culprit").asText()).isEqualTo("mydev_release");
    // under RT rules the spinlock_t sleeps: inside a raw_spinlock_t that is a sleep in atomic context,
    // whatever PROVE_RAW_LOCK_NESTING says
    JsonNode nesting = json("--judge-as", "rt", "--no-prove-raw-lock-nesting", "--catalog", CATALOG, RAW_NESTING);
    assertThat(kinds(nesting)).containsExactly("sleep-in-atomic/certain", "invalid-wait-context/certain");
    assertThat(nesting.get("findings").get(0).get("message").asText())
        .startsWith("sleeping lock (spinlock_t on PREEMPT_RT) &dev->queue_lock");
    assertThat(Cli.run("analyze", "-q", "--judge-as", "rt", FREE).out())
        .contains("  rules     non-RT kernel judged as PREEMPT_RT\n");
  }

  @Test
  void judgeAsAcceptsOnlyRt() {
    Cli.Run r = Cli.run("analyze", "--judge-as", "nonrt", ABBA);
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE).isEqualTo(2);
    assertThat(r.err()).contains("--judge-as", "'nonrt'", "[rt]").doesNotContain("at org.");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void theKernelIsDetectedFromTheFlagsUnlessGiven() throws IOException {
    // seven flag columns: recorded on PREEMPT_RT, so RT rules apply without being asked
    JsonNode detected = json("--no-prove-raw-lock-nesting", "--catalog", CATALOG, RAW_NESTING_RT);
    assertThat(detected.get("rules").toString()).isEqualTo("[\"PREEMPT_RT kernel\"]");
    assertThat(kinds(detected)).containsExactly("sleep-in-atomic/certain", "invalid-wait-context/certain");
    // --kernel nonrt overrides what the flags say
    JsonNode nonRt = json("--kernel", "nonrt", "--no-prove-raw-lock-nesting", "--catalog", CATALOG, RAW_NESTING_RT);
    assertThat(nonRt.get("rules").toString()).isEqualTo("[\"non-RT kernel\"]");
    assertThat(kinds(nonRt)).isEmpty();
    // and --kernel rt says so of a trace whose flags do not show it
    JsonNode rt = json("--kernel", "rt", "--catalog", CATALOG, RAW_NESTING);
    assertThat(rt.get("rules").toString()).isEqualTo("[\"PREEMPT_RT kernel\"]");
    assertThat(kinds(rt)).containsExactly("sleep-in-atomic/certain", "invalid-wait-context/certain");
    Cli.Run bad = Cli.run("analyze", "--kernel", "preempt-rt", ABBA);
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--kernel", "'preempt-rt'", "[rt, nonrt]");
  }

  @Test
  void tracesJudgedByDifferentRulesSayWhichRulesEachFindingFollows() {
    Cli.Run r = Cli.run("analyze", "-q", "--catalog", CATALOG, RAW_NESTING_RT, ABBA);
    assertThat(r.out()).contains("  rules     PREEMPT_RT kernel; non-RT kernel\n",
        "     rules     PREEMPT_RT kernel\n", "     rules     non-RT kernel\n");
  }

  // ---- --fail-on

  @Test
  void failOnAKindThatIsFoundExitsWithOneAfterWritingTheReport(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("report.json");
    Cli.Run r = Cli.run("analyze", "-q", "-f", "json", "-o", out.toString(), "--fail-on", "circular-dependency", ABBA);
    assertThat(r.exit()).isEqualTo(ExitCodes.GATE_FAILED).isEqualTo(1);
    assertThat(r.err()).isEqualTo("kreplay: --fail-on: 1 finding: circular-dependency 1\n");
    assertThat(JSON.readTree(out.toFile()).get("findings")).hasSize(1);

    Cli.Run any = Cli.run("analyze", "-q", "--fail-on", "any", ABBA);
    assertThat(any.exit()).isEqualTo(1);
    assertThat(any.out()).contains("1. circular-dependency, certain");
  }

  @Test
  void failOnKindsThatAreNotFoundSucceeds() {
    Cli.Run r = Cli.run("analyze", "-q", "--fail-on", "invalid-wait-context,sleep-in-atomic", ABBA);
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    Cli.Run listed = Cli.run("analyze", "-q", "--fail-on", "sleep-in-atomic", "--fail-on", "circular-dependency", ABBA);
    assertThat(listed.exit()).isEqualTo(1);
    assertThat(Cli.run("analyze", "-q", "--fail-on", "any", AnalyzeCommandTest.TRACE).exit()).isZero();
  }

  @Test
  void possibleFindingsFailOnlyWithFailOnPossible() {
    Cli.Run certainOnly = Cli.run("analyze", "--judge-as", "rt", "--fail-on", "any", FREE);
    assertThat(certainOnly.exit()).isZero();
    assertThat(certainOnly.err()).isEqualTo("kreplay: --fail-on: no certain findings (1 possible finding not counted;"
        + " --fail-on-possible counts them)\n");
    Cli.Run possible = Cli.run("analyze", "-q", "--judge-as", "rt", "--fail-on", "rt-alloc-in-atomic",
        "--fail-on-possible", FREE);
    assertThat(possible.exit()).isEqualTo(1);
    assertThat(possible.err()).isEqualTo("kreplay: --fail-on: 1 finding: rt-alloc-in-atomic 1\n");
  }

  @Test
  void failOnUsageErrors() {
    Cli.Run kind = Cli.run("analyze", "--fail-on", "deadlock", ABBA);
    assertThat(kind.exit()).isEqualTo(2);
    assertThat(kind.err()).contains("'deadlock' is not a finding kind; use sleep-in-atomic, invalid-wait-context,",
        "bad-unlock-balance or any");
    Cli.Run alone = Cli.run("analyze", "--fail-on-possible", ABBA);
    assertThat(alone.exit()).isEqualTo(2);
    assertThat(alone.err()).isEqualTo("kreplay: --fail-on-possible needs --fail-on KIND[,KIND...]|any\n");
  }

  @Test
  void helpDescribesTheRuleAndGateOptions() {
    Cli.Run h = Cli.run("analyze", "--help");
    assertThat(h.out()).contains("--kernel=rt|nonrt", "--judge-as=rt", "--[no-]prove-raw-lock-nesting",
        "--catalog=FILE", "--fail-on=KIND[,KIND...]|any", "--fail-on-possible", "findings");
    // the --fail-on description names every kind the analysis has (it is written out by hand)
    String flat = h.out().replaceAll("\\s+", " ");
    for (FindingKind k : FindingKind.values()) assertThat(flat).contains(" " + k.label() + ",");
    assertThat(Cli.run("--help").out()).contains("1  a gate condition held: --fail-on found findings or kernel reports");
  }
}
