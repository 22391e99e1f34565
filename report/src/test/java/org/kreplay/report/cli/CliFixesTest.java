package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kreplay.report.render.AnalysisCsv;

/** The command-line rough edges found by trying kreplay, each as a user meets it. */
class CliFixesTest {
  private static final String TRACE = AnalyzeCommandTest.TRACE;
  private static final String SEED_BEFORE = Path.of("..", "traces", "seeds", "2-kvfree-rcu", "before.txt").toString();
  private static final String SEED_AFTER = Path.of("..", "traces", "seeds", "2-kvfree-rcu", "after.txt").toString();
  private static final String[] COMMANDS = {"analyze", "splat", "compare", "batch", "convert"};

  @Test
  void noCommandIsAUsageErrorWithTheUsageOnStderr() {
    Cli.Run r = Cli.run();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("Usage: kreplay", "analyze", "Exit codes:");
  }

  @Test
  void helpOfEveryCommandHasNoPicocliWarning() {
    for (String command : COMMANDS) {
      Captured c = captureStderr(() -> Cli.run(command, "--help"));
      assertThat(c.run().exit()).as(command).isZero();
      assertThat(c.stderr()).as(command).doesNotContain("picocli WARN").isEmpty();
      assertThat(c.run().out()).as(command).doesNotContain("%n", "%%");
    }
  }

  @Test
  void analyzeHelpNamesEveryCsvTable() {
    String help = Cli.ok("analyze", "--help").replaceAll("\\s+", " ");
    for (AnalysisCsv.CsvTable t : AnalysisCsv.CsvTable.values()) {
      assertThat(help).as(t.name()).contains(t.name().toLowerCase(java.util.Locale.ROOT));
    }
    assertThat(help).contains("deferrals, cpus, events, findings, worst (each row's kept worst samples with their two events),"
        + " blame (what each kept sample's CPU did while it waited, a line per part) or chains");
  }

  @Test
  void compareHelpShowsTheGateExampleShellQuotedAndThePercentSigns() {
    String help = Cli.ok("compare", "--help");
    assertThat(help).contains("  kreplay compare --fail-on 'new-findings,latency:workqueue:p99>+20%' before/ after/\n");
    assertThat(help).contains("latency:SEL:p99>+20% (p50|p90|p99|max|mean");
  }

  @Test
  void examplesAreNeverSplitAcrossLines() {
    // longer than the 80 columns help is wrapped to: printed whole, so it can be copied and run
    String example = "  trace-cmd report -l trace.dat | kreplay analyze --cpu 1 --from 98.70 --to 98.80 -";
    assertThat(example.length()).isGreaterThan(80);
    assertThat(Cli.ok("analyze", "--help").lines()).contains(example);
  }

  @Test
  void csvTableWithoutCsvFormatIsAUsageError() {
    Cli.Run a = Cli.run("analyze", "-q", "--csv-table", "cpus", TRACE);
    assertThat(a.exit()).isEqualTo(2);
    assertThat(a.out()).isEmpty();
    assertThat(a.err()).isEqualTo("kreplay: --csv-table chooses the table of --format csv; add -f csv\n");
    Cli.Run j = Cli.run("analyze", "-q", "-f", "json", "--csv-table", "cpus", TRACE);
    assertThat(j.exit()).isEqualTo(2);
    Cli.Run c = Cli.run("compare", "-q", "--csv-table", "findings", SEED_BEFORE, SEED_AFTER);
    assertThat(c.exit()).isEqualTo(2);
    assertThat(c.err()).contains("--csv-table");
    assertThat(Cli.ok("analyze", "-q", "-f", "csv", "--csv-table", "cpus", TRACE)).startsWith("cpu,");
  }

  @Test
  void analyzeOfADirectoryMergesEveryFileUnderIt(@TempDir Path dir) throws IOException {
    Path a = dir.resolve("a.txt.xz");
    Path b = dir.resolve("sub").resolve("b.txt.xz");
    Files.createDirectories(b.getParent());
    Files.copy(Path.of(TRACE), a);
    Files.copy(Path.of(TRACE), b);
    Files.writeString(dir.resolve(".hidden"), "not read");
    String fromDir = Cli.ok("analyze", "-q", "-f", "csv", dir.toString());
    String fromFiles = Cli.ok("analyze", "-q", "-f", "csv", a.toString(), b.toString());
    assertThat(fromDir).isEqualTo(fromFiles);
    String one = Cli.ok("analyze", "-q", "-f", "csv", a.toString());
    assertThat(fromDir).isNotEqualTo(one); // both files counted, not one
  }

  @Test
  void analyzeOfAnEmptyDirectorySaysSo(@TempDir Path dir) {
    Cli.Run r = Cli.run("analyze", dir.toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).isEqualTo("kreplay: " + dir + ": no files in this directory\n");
  }

  @Test
  void convertTakesFormatAndStillTheOldToForOneRelease(@TempDir Path dir) {
    String byFormat = Cli.ok("convert", "-q", "--format", "csv", "--cpu", "0", TRACE);
    assertThat(Cli.ok("convert", "-q", "-f", "csv", "--cpu", "0", TRACE)).isEqualTo(byFormat);
    Cli.Run old = Cli.run("convert", "--to", "csv", "--cpu", "0", TRACE);
    assertThat(old.exit()).isZero();
    assertThat(old.out()).isEqualTo(byFormat);
    assertThat(old.err()).contains("kreplay: convert --to is deprecated and will go: use --format csv");
    assertThat(Cli.ok("convert", "--help")).contains("--format").doesNotContain("--to");

    Cli.Run none = Cli.run("convert", TRACE);
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("--format");
    Cli.Run clash = Cli.run("convert", "--format", "csv", "--to", "jsonl", TRACE);
    assertThat(clash.exit()).isEqualTo(2);
  }

  @Test
  void analyzeKeepsToAsATime() {
    assertThat(Cli.ok("analyze", "-q", "-f", "csv", "--to", "410.9", TRACE))
        .isEqualTo(Cli.ok("analyze", "-q", "-f", "csv", "--until", "410.9", TRACE));
  }

  @Test
  void oneFileIsOneFile(@TempDir Path dir) {
    Cli.Run r = Cli.run("batch", TRACE);
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("  1 file, 1 analysed, 0 unreadable;");
    assertThat(r.err()).startsWith("kreplay: batch: 1 file, 0 unreadable, ");
  }

  @Test
  void theTextReportNamesTheCountersAsCsvAndJsonDo() {
    String text = Cli.ok("analyze", "-q", TRACE);
    String csvHeader = Cli.ok("analyze", "-q", "-f", "csv", TRACE).lines().findFirst().orElseThrow();
    String json = Cli.ok("analyze", "-q", "-f", "json", TRACE);
    for (String counter : new String[] {"unmatched_enqueue", "unmatched_execute", "across_gap"}) {
      assertThat(csvHeader).contains(counter);
      assertThat(json).contains("\"" + counter + "\"");
      assertThat(text).contains(counter.replace('_', ' '));
    }
    assertThat(text).doesNotContain("pending at end", "no enqueue");
  }

  @Test
  void completionIsGeneratedForEveryCommand() throws IOException {
    String script = Cli.ok("generate-completion");
    assertThat(script).contains("Bash completion support for the `kreplay` command");
    for (String command : COMMANDS) assertThat(script).contains(command);
    assertThat(script).contains("--csv-table", "--fail-on");
    // the build writes the same script beside the jar (exec-maven-plugin, before the tests run)
    Path built = Path.of("target", "kreplay_completion");
    assertThat(built).exists();
    assertThat(Files.readString(built)).contains("Bash completion support for the `kreplay` command", "batch");
    assertThat(Path.of("target", "man", "kreplay-analyze.adoc")).exists();
  }

  private record Captured(Cli.Run run, String stderr) {}

  /** Picocli's own warnings go to System.err, not to the command line's error writer. */
  private static Captured captureStderr(java.util.function.Supplier<Cli.Run> action) {
    PrintStream old = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      Cli.Run r = action.get();
      return new Captured(r, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(old);
    }
  }
}
