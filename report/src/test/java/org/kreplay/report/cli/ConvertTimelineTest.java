package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert --format perfetto|chrome-json} as a user runs it: files written whole or not at all. */
class ConvertTimelineTest {
  private static final String TRACE = "../traces/seeds/1-put-task-struct/before.txt";

  @Test
  void perfettoWritesAFileAndSaysWhatIsInIt(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("seed.pftrace");
    Cli.Run r = Cli.run("convert", "-f", "perfetto", "-o", out.toString(), TRACE);
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).isEmpty();
    // a Trace message: field 1 (packet), length-delimited
    assertThat(Files.readAllBytes(out)[0]).isEqualTo((byte) 0x0A);
    assertThat(r.err()).contains("wrote " + out).contains("1 deferral arrow").contains("4 findings");
  }

  @Test
  void chromeJsonTakesItsNameAsHelpShowsIt(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("seed.json");
    Cli.Run r = Cli.run("convert", "-q", "--format", "chrome-json", "-o", out.toString(), TRACE);
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(out)).startsWith("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
    assertThat(Cli.ok("convert", "--help")).contains("csv, jsonl, perfetto, chrome-json").contains("ui.perfetto.dev");
  }

  @Test
  void anInputThatIsNotATraceWritesNothing(@TempDir Path dir) throws Exception {
    Path readme = dir.resolve("README.md");
    Files.writeString(readme, "# notes\nnothing here is a trace\n");
    Path out = dir.resolve("out.pftrace");
    Cli.Run r = Cli.run("convert", "-f", "perfetto", "-o", out.toString(), readme.toString());
    assertThat(r.exit()).isNotEqualTo(ExitCodes.OK);
    assertThat(r.err()).contains(readme.toString());
    assertThat(out).doesNotExist();
  }
}
