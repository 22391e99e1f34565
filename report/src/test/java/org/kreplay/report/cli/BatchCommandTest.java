package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kreplay batch}: a corpus on all cores, merged exactly as the files one by one, bad files named. */
class BatchCommandTest {
  private static final Path SEEDS = Path.of("..", "traces", "seeds");
  @TempDir static Path corpus;
  private static final List<String> TRACES = new ArrayList<>();

  @BeforeAll
  static void buildCorpus() throws IOException {
    // the eight seed traces, a real recording, a README and a file that is not text at all
    for (String seed : List.of("1-put-task-struct", "2-kvfree-rcu", "3-irq-work-rt", "4-srcu-rq-abba")) {
      for (String side : List.of("before", "after")) {
        Path dir = Files.createDirectories(corpus.resolve(seed));
        Path f = dir.resolve(side + ".txt");
        Files.copy(SEEDS.resolve(seed).resolve(side + ".txt"), f);
        TRACES.add(f.toString());
      }
    }
    Path real = corpus.resolve("zz-cyclictest.txt.xz");
    Files.copy(Path.of(AnalyzeCommandTest.TRACE), real);
    TRACES.add(real.toString());
    Files.writeString(corpus.resolve("README.md"), "# notes\nnot a trace\n");
    Files.write(corpus.resolve("broken.txt.xz"), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2, 3});
    java.util.Collections.sort(TRACES);
  }

  private static JsonNode json(String... args) throws IOException {
    Cli.Run r = Cli.run(args);
    assertThat(r.exit()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  /** The analysis part, without what says which command made it. */
  private static JsonNode analysis(JsonNode root) {
    ObjectNode copy = root.deepCopy();
    copy.remove(List.of("schema_version", "kind", "tool"));
    return copy;
  }

  @Test
  void aBatchEqualsTheFilesAnalysedOneByOneAndMerged() throws IOException {
    JsonNode batch = json("batch", "-q", "-f", "json", "--jobs", "3", corpus.toString());
    List<String> args = new ArrayList<>(List.of("analyze", "-q", "-f", "json"));
    args.addAll(TRACES);
    JsonNode oneByOne = json(args.toArray(new String[0]));
    assertThat(batch.get("kind").asText()).isEqualTo("batch");
    assertThat(batch.get("result")).isEqualTo(analysis(oneByOne));
    assertThat(batch.at("/result/findings")).isNotEmpty();
  }

  @Test
  void theNumberOfJobsDoesNotChangeTheResult() throws IOException {
    JsonNode one = json("batch", "-q", "-f", "json", "--jobs", "1", corpus.toString());
    JsonNode four = json("batch", "-q", "-f", "json", "--jobs", "4", corpus.toString());
    for (JsonNode f : one.get("files")) ((ObjectNode) f).remove("millis");
    for (JsonNode f : four.get("files")) ((ObjectNode) f).remove("millis");
    assertThat(four).isEqualTo(one);
  }

  @Test
  void unreadableFilesAreNamedWithTheReasonAndTheBatchGoesOn() throws IOException {
    Cli.Run r = Cli.run("batch", corpus.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("kreplay: batch: 11 files, 2 unreadable")
        .contains(corpus.resolve("README.md") + ": not a trace or kernel log (2 lines of text without a trace event")
        .contains(corpus.resolve("broken.txt.xz") + ": ");
    assertThat(r.out()).startsWith("Files\n  11 files, 9 analysed, 2 unreadable;")
        .contains("Findings").contains("Deferral latency");
    List<String> csv = Cli.ok("batch", "-q", "-f", "csv", corpus.toString()).lines().toList();
    assertThat(csv.get(0)).isEqualTo("file,status,format,events,findings,kernel_reports,skipped_lines,millis,problem");
    assertThat(csv).hasSize(12).anySatisfy(l -> assertThat(l).startsWith(corpus.resolve("README.md") + ",unreadable,,"));
    assertThat(csv).anySatisfy(l -> assertThat(l).startsWith(
        corpus.resolve("1-put-task-struct/before.txt") + ",ok,ftrace text,35,4,0,"));
  }

  /** A trace.dat cut short is named with the byte offset where it broke, as analyze words it. */
  @Test
  void aTruncatedTraceDatIsNamedByItsByteOffset(@TempDir Path dir) throws IOException {
    byte[] dat = Files.readAllBytes(Path.of("../traces/cyclictest/trace.dat"));
    Path cut = dir.resolve("cut.dat");
    Files.write(cut, java.util.Arrays.copyOf(dat, 100_000));
    Files.copy(Path.of("../traces/seeds/1-put-task-struct/before.txt"), dir.resolve("seed.txt"));
    Cli.Run r = Cli.run("batch", "-q", dir.toString());
    assertThat(r.err()).contains(cut + ": byte offset ").doesNotContain("line  ").doesNotContain("line byte");
    String csv = Cli.ok("batch", "-q", "-f", "csv", dir.toString());
    assertThat(csv).contains(",unreadable,").contains("byte offset ").doesNotContain("line  byte");
  }

  @Test
  void htmlListsTheFilesThenTheMergedAnalysis() {
    String html = Cli.run("batch", "-q", "-f", "html", corpus.toString()).out();
    assertThat(html).startsWith("<!DOCTYPE html>").contains("kreplay batch").contains("not a trace or kernel log (2 lines of text")
        .contains("id=\"findings\"").contains("id=\"latency\"");
    assertThat(html.indexOf("id=\"files\"")).isLessThan(html.indexOf("id=\"findings\""));
  }

  @Test
  void failOnGatesTheMergedFindings() {
    Cli.Run r = Cli.run("batch", "-q", "--fail-on", "circular-dependency", corpus.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.GATE_FAILED);
    assertThat(r.err()).contains("kreplay: --fail-on: 1 finding: circular-dependency 1\n");
    assertThat(Cli.run("batch", "-q", "--jobs", "0", corpus.toString()).exit()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void kernelLogsInTheCorpusAreGroupedAsSplatGroupsThem(@TempDir Path mixed) throws IOException {
    Path logs = SplatCommandTest.LOGS;
    List<String> names = List.of("hung-task-syslog-2.6.38.log", "seed-put-task-struct.txt", "boot-normal-2.6.32.log",
        "recursive-locking-syslog-prio.log");
    List<String> copies = new ArrayList<>();
    for (String n : names) {
      Files.copy(logs.resolve(n), mixed.resolve(n));
      copies.add(mixed.resolve(n).toString());
    }
    Files.copy(SEEDS.resolve("2-kvfree-rcu").resolve("before.txt"), mixed.resolve("trace.txt"));
    java.util.Collections.sort(copies);

    JsonNode batch = json("batch", "-q", "-f", "json", "--jobs", "2", mixed.toString());
    List<String> splatArgs = new ArrayList<>(List.of("splat", "-q", "-f", "json"));
    splatArgs.addAll(copies);
    JsonNode splat = json(splatArgs.toArray(new String[0]));
    // the logs' part of the batch is splat's result over the same logs (merge = one run over all)
    assertThat(batch.get("kernel_reports")).isEqualTo(analysis(splat));
    assertThat(batch.at("/kernel_reports/reports").asLong()).isEqualTo(3 + 1 + 0 + 1);
    // and the trace still gets its analysis
    assertThat(batch.at("/result/findings")).isNotEmpty();
    assertThat(batch.get("files")).anySatisfy(f -> {
      assertThat(f.get("path").asText()).endsWith("seed-put-task-struct.txt");
      assertThat(f.get("format").asText()).isEqualTo("kernel log");
      assertThat(f.get("kernel_reports").asLong()).isEqualTo(1);
    });

    Cli.Run text = Cli.run("batch", "-q", mixed.toString());
    assertThat(text.out()).contains("kernel log").contains("inactive_task_timer").contains("Findings");
    String html = Cli.run("batch", "-q", "-f", "html", mixed.toString()).out();
    assertThat(html).contains("id=\"reports\"").contains("inactive_task_timer").contains("HARD hrtimer callback");

    Cli.Run gate = Cli.run("batch", "-q", "--fail-on", "sleep-in-atomic", mixed.toString());
    assertThat(gate.exit()).isEqualTo(ExitCodes.GATE_FAILED);
    assertThat(gate.err()).isEqualTo("kreplay: --fail-on: 1 kernel-report problem: sleep-in-atomic in inactive_task_timer\n");
    // "any" counts every kernel report, not only the kinds the trace model detects (hung tasks too)
    assertThat(Cli.run("batch", "-q", "--fail-on", "any", mixed.toString()).err()).contains("hung-task in ");
  }
}
