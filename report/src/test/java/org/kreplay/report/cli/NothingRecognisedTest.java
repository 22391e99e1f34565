package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No verdict from nothing: an input in which nothing was recognised is an input error on every
 * command, while a clean kernel log and an empty trace stay what they are.
 */
class NothingRecognisedTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path LOGS = SplatCommandTest.LOGS;
  private static final String TRACE = Path.of("..", "traces", "seeds", "1-put-task-struct", "before.txt").toString();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SEED = 0x5eed10L;

  @TempDir static Path dir;

  /** Each input, and what the message must say was seen in it. */
  static Stream<Arguments> nothingRecognised() throws IOException {
    Path random = dir.resolve("random-seed-" + Long.toHexString(SEED) + ".bin"); // the seed in the test's name
    byte[] bytes = new byte[5000];
    new SplittableRandom(SEED).nextBytes(bytes);
    Files.write(random, bytes);
    Path empty = Files.write(dir.resolve("empty.txt"), new byte[0]);
    Path words = Files.writeString(dir.resolve("notes.txt"), "remember to record with -e sched\nand lock:*\n");
    // a log with no prefix, no report and no trace line: a text like any other
    Path bare = Files.writeString(dir.resolve("bare.log"), "Initializing cgroup subsys cpuset\nKERNEL supported cpus:\n");
    return Stream.of(
        Arguments.of(README.toString(), count(Files.readAllLines(README).size())
            + " lines of text without a trace event, a trace header, a kernel log line or a kernel report"),
        Arguments.of(random.toString(), "binary data, 5,000 bytes"),
        Arguments.of(empty.toString(), "empty"),
        Arguments.of(words.toString(), "2 lines of text without a trace event"),
        Arguments.of(bare.toString(), "2 lines of text without a trace event"));
  }

  private static String count(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }

  private static void assertRefused(Cli.Run r, String file, String seen, String what) {
    assertThat(r.exit()).as(what + ": " + r.err()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.out()).as(what).isEmpty();
    assertThat(r.err().lines()).as(what).hasSize(1);
    assertThat(r.err()).as(what).startsWith("kreplay: " + file + ": not a trace or kernel log (").contains(seen);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nothingRecognised")
  void isAnInputErrorOnEveryCommand(String file, String seen) {
    assertRefused(Cli.run("analyze", "--fail-on", "any", file), file, seen, "analyze");
    assertRefused(Cli.run("analyze", "-q", "-f", "json", file), file, seen, "analyze json");
    assertRefused(Cli.run("splat", "--fail-on", "any", file), file, seen, "splat");
    assertRefused(Cli.run("compare", file, TRACE), file, seen, "compare, before");
    assertRefused(Cli.run("compare", TRACE, file), file, seen, "compare, after");
    assertRefused(Cli.run("convert", "--format", "csv", file), file, seen, "convert");
  }

  @Test
  void convertWritesNoFileForIt() {
    Path out = dir.resolve("events.csv");
    Cli.Run r = Cli.run("convert", "--format", "jsonl", "-o", out.toString(), README.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT);
    assertThat(out).doesNotExist();
  }

  @Test
  void aCleanBootLogIsALogWithZeroReportsNotAnError() throws IOException {
    String log = LOGS.resolve("boot-normal-2.6.32.log").toString();
    for (String cmd : List.of("splat", "analyze")) {
      Cli.Run text = Cli.run(cmd, "--fail-on", "any", log);
      assertThat(text.exit()).as(cmd).isZero();
      assertThat(text.out()).as(cmd).contains("0 reports in 1 log")
          .contains("No kernel reports: a clean log (224 lines read, 220 recognised as the kernel's).");
      JsonNode json = JSON.readTree(Cli.ok(cmd, "-q", "-f", "json", log));
      assertThat(json.get("kind").asText()).isEqualTo("splats");
      assertThat(json.get("reports").asInt()).isZero();
      assertThat(json.at("/input/kernel_lines").asInt()).isEqualTo(220);
    }
    // in a batch it is a log that was read (0 reports), where the README beside it is not
    Path corpus = Files.createDirectories(dir.resolve("corpus"));
    Files.copy(Path.of(log), corpus.resolve("boot.log"));
    Files.copy(README, corpus.resolve("README.md"));
    JsonNode batch = JSON.readTree(Cli.run("batch", "-q", "-f", "json", corpus.toString()).out());
    assertThat(batch.get("files").get(0).get("path").asText()).endsWith("README.md");
    assertThat(batch.get("files").get(0).get("status").asText()).isEqualTo("unreadable");
    assertThat(batch.get("files").get(0).get("problem").asText()).startsWith("not a trace or kernel log (");
    assertThat(batch.get("files").get(1).get("status").asText()).isEqualTo("ok");
    assertThat(batch.get("files").get(1).get("kernel_reports").asInt()).isZero();
  }

  @Test
  void aTraceWithAHeaderAndNoEventIsAnEmptyTraceNotAnError() throws IOException {
    // tracefs' output of an empty ring buffer
    Path empty = Files.writeString(dir.resolve("empty-trace.txt"), String.join("\n",
        "# tracer: nop", "#", "# entries-in-buffer/entries-written: 0/0   #P:2", "#",
        "#                                _-----=> irqs-off/BH-disabled", "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
        "#              | |         |   |||||     |         |", ""));
    Cli.Run r = Cli.run("analyze", "--fail-on", "any", empty.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("events        0");
    // and a window that holds none of a real trace's events is a selection, not an unknown input
    Cli.Run window = Cli.run("analyze", "-q", "--from", "9000", TRACE);
    assertThat(window.exit()).isZero();
    assertThat(window.out()).contains("selected      0 of 35 events (--from 9000)");
  }

  @Test
  void junkAmongRealEventsIsStillATraceWithItsLinesCounted() throws IOException {
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of(TRACE)));
    lines.add(20, "this line was pasted by mistake");
    lines.add(0, "and so was this one");
    Path t = Files.write(dir.resolve("junk.txt"), lines, StandardCharsets.UTF_8);
    Cli.Run r = Cli.run("analyze", "-q", "-f", "json", t.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode in = JSON.readTree(r.out()).get("input");
    assertThat(in.get("events").asInt()).isEqualTo(35);
    assertThat(in.get("skipped").asInt()).isEqualTo(2);
    long accounted = 0;
    for (String f : List.of("events", "stack_frames", "header_lines", "blank_lines", "markers", "filtered", "skipped")) {
      accounted += in.get(f).asLong();
    }
    assertThat(accounted).isEqualTo(in.get("lines").asLong()).isEqualTo(lines.size());
    // the warning about them is about the data: -q does not hide it
    assertThat(r.err()).contains("2 input lines skipped");
  }

  @Test
  void aTraceGivenToSplatIsNamedAsATrace() {
    Cli.Run r = Cli.run("splat", TRACE);
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.err()).isEqualTo("kreplay: " + TRACE + ": a trace, not a kernel log: analyze it with `kreplay analyze`\n");
    Cli.Run dat = Cli.run("splat", Path.of("..", "traces", "cyclictest", "trace.dat").toString());
    assertThat(dat.err()).contains("a trace, not a kernel log");
  }
}
