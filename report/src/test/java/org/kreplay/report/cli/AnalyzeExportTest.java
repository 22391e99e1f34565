package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze --export timeline=FILE}: the report and the timeline from one pass, as convert writes it. */
class AnalyzeExportTest {
  private static final String TRACE = "../traces/seeds/1-put-task-struct/before.txt";

  @Test
  void theTimelineIsTheOneConvertWritesAndTheReportIsUnchanged(@TempDir Path dir) throws Exception {
    Path exported = dir.resolve("seed.pftrace");
    Path converted = dir.resolve("converted.pftrace");
    Cli.Run r = Cli.run("analyze", "-f", "json", "--export", "timeline=" + exported, TRACE);
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.err()).contains("wrote " + exported).contains("1 deferral arrow").contains("4 findings");
    assertThat(r.out()).isEqualTo(Cli.ok("analyze", "-f", "json", TRACE));
    Cli.ok("convert", "-q", "-f", "perfetto", "-o", converted.toString(), TRACE);
    assertThat(Files.readAllBytes(exported)).isEqualTo(Files.readAllBytes(converted));
  }

  /** A real recording ends with several tasks' slices open: they end in the same order every run. */
  @Test
  void aRealRecordingExportsTheSameBytesAsConvert(@TempDir Path dir) throws Exception {
    String loaded = "../traces/cyclictest-loaded/trace.dat";
    Path exported = dir.resolve("loaded.pftrace");
    Path converted = dir.resolve("converted.pftrace");
    Cli.ok("analyze", "-q", "--export", "timeline=" + exported, loaded);
    Cli.ok("convert", "-q", "-f", "perfetto", "-o", converted.toString(), loaded);
    assertThat(Files.mismatch(exported, converted)).isEqualTo(-1L);
  }

  /** Seed 4's lockdep graph: the srcu_sup lock → pool->lock edge its fix removes is in it, in JSON and DOT. */
  @Test
  void theLockGraphIsWrittenAsJsonOrDot(@TempDir Path dir) throws Exception {
    String seed4 = "../traces/seeds/4-srcu-rq-abba/before.txt";
    Path json = dir.resolve("locks.json");
    Path dot = dir.resolve("locks.dot");
    Cli.Run twice = Cli.run("analyze", "--export", "lock-graph=" + json, "--export", "lock-graph=" + dot, seed4);
    assertThat(twice.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(twice.err()).contains("--export lock-graph is given twice");
    Cli.ok("analyze", "-q", "--export", "lock-graph=" + json, seed4);
    Cli.ok("analyze", "-q", "--export", "lock-graph=" + dot, seed4);
    com.fasterxml.jackson.databind.JsonNode g = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
    assertThat(g.get("kind").asText()).isEqualTo("lock-graph");
    assertThat(g.get("edges")).hasSize(6);
    assertThat(g.get("edges").toString()).contains("{\"held\":\"&ACCESS_PRIVATE(ssp->srcu_sup, lock)\",\"taken\":\"&pool->lock\","
        + "\"types\":[\"EN\"]");
    assertThat(g.get("classes").toString()).contains("{\"name\":\"&rq->__lock\",\"type\":\"raw_spinlock_t\"}");
    List<String> lines = Files.readAllLines(dot);
    assertThat(lines.get(0)).isEqualTo("digraph lock_dependencies {");
    assertThat(lines).contains("  \"&ACCESS_PRIVATE(ssp->srcu_sup, lock)\" -> \"&pool->lock\" [label=\"EN\", tooltip=\"first seen "
            + seed4 + ":47\"];")
        .contains("  \"&rq->__lock\" [label=\"&rq->__lock\\nraw_spinlock_t\"];");
    assertThat(lines.stream().filter(l -> l.contains(" -> ")).count()).isEqualTo(6);
    assertThat(lines.get(lines.size() - 1)).isEqualTo("}");
    Cli.Run bad = Cli.run("analyze", "--export", "lock-graph=" + dir.resolve("locks.txt"), seed4);
    assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("name the file .json for JSON, or .dot or .gv for Graphviz");
    assertThat(Cli.run("analyze", "--export", "lock-graph=", seed4).err()).contains("--export lock-graph=: needs a file name");
    assertThat(Cli.run("analyze", "--export", "callgraph=x.json", seed4).err()).contains("--export callgraph: unknown; known: timeline, lock-graph");
  }

  @Test
  void aJsonNameGivesChromeJson(@TempDir Path dir) throws Exception {
    Path exported = dir.resolve("seed.json");
    Cli.Run r = Cli.run("analyze", "-q", "--export", "timeline=" + exported, TRACE);
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.err()).isEmpty();
    assertThat(Files.readString(exported)).startsWith("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
  }

  @Test
  void anUnknownNameOrSeveralTracesAreUsageErrorsBeforeAnythingIsRead(@TempDir Path dir) throws Exception {
    Path txt = dir.resolve("timeline.txt");
    Cli.Run r = Cli.run("analyze", "--export", "timeline=" + txt, TRACE);
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("name the file .pftrace, .perfetto-trace or .pb for Perfetto, or .json for Chrome JSON");
    assertThat(txt).doesNotExist();

    Path out = dir.resolve("two.pftrace");
    r = Cli.run("analyze", "--export", "timeline=" + out, TRACE, "../traces/seeds/1-put-task-struct/after.txt");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--export timeline replays one trace; 2 traces given");
    assertThat(out).doesNotExist();
  }

  @Test
  void anInputThatIsNotATraceLeavesNoTimeline(@TempDir Path dir) throws Exception {
    Path readme = dir.resolve("README.md");
    Files.writeString(readme, "# notes\nnothing here is a trace\n");
    Path out = dir.resolve("out.pftrace");
    Cli.Run r = Cli.run("analyze", "--export", "timeline=" + out, readme.toString());
    assertThat(r.exit()).isNotEqualTo(ExitCodes.OK);
    assertThat(r.err()).contains(readme.toString());
    assertThat(out).doesNotExist();
  }
}
