package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  @Test
  void versionAndHelp() {
    Cli.Run v = Cli.run("--version");
    assertThat(v.exit()).isZero();
    assertThat(v.out()).matches("kreplay \\d+\\.\\d+\\.\\d+\\s*");
    Cli.Run h = Cli.run("--help");
    assertThat(h.exit()).isZero();
    assertThat(h.out()).contains("analyze", "convert", "Exit codes:", "3  input error");
    for (String sub : new String[] {"analyze", "convert"}) {
      Cli.Run s = Cli.run(sub, "--help");
      assertThat(s.exit()).isZero();
      assertThat(s.out()).as(sub).contains("Usage: kreplay " + sub, "Examples:", "kreplay " + sub + " ");
    }
    assertThat(Cli.run().err()).contains("Usage: kreplay");
  }

  @Test
  void convertRoundTripsThroughBothCanonicalFormats(@TempDir Path dir) throws IOException {
    String trace = AnalyzeCommandTest.TRACE;
    String expected = Cli.ok("analyze", "-q", "-f", "csv", trace);
    for (String to : new String[] {"csv", "jsonl"}) {
      Path out = dir.resolve("events." + to);
      Cli.Run c = Cli.run("convert", "-q", "--format", to, "-o", out.toString(), trace);
      assertThat(c.exit()).as(to).isZero();
      assertThat(Files.size(out)).isPositive();
      assertThat(Cli.ok("analyze", "-q", "-f", "csv", out.toString())).as(to).isEqualTo(expected);
    }
    // to stdout, filtered
    Cli.Run s = Cli.run("convert", "--format", "jsonl", "--cpu", "0", "--until", "410.9", trace);
    assertThat(s.exit()).isZero();
    assertThat(s.out().lines().findFirst().orElseThrow()).isEqualTo("{\"kreplay\":\"events\",\"schema_version\":1}");
    assertThat(s.out().lines().skip(1)).allSatisfy(l -> assertThat(l).contains("\"cpu\":0"));
  }

  @Test
  void inputErrorsNameTheFileAndExitWithThree(@TempDir Path dir) {
    Cli.Run r = Cli.run("analyze", dir.resolve("nope.txt").toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).isEqualTo("kreplay: " + dir.resolve("nope.txt") + ": no such file or directory\n");
    Cli.Run c = Cli.run("convert", "--format", "csv", dir.toString());
    assertThat(c.exit()).isEqualTo(3);
    assertThat(c.err()).contains("is a directory");
  }
}
