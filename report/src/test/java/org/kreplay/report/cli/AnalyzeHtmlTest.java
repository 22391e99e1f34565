package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kreplay analyze --format html` as a user runs it. */
class AnalyzeHtmlTest {
  static final String TRACE = AnalyzeCommandTest.TRACE;

  @Test
  void htmlGoesToStandardOutputWithoutOutputOption() {
    Cli.Run r = Cli.run("analyze", "-q", "--format", "html", TRACE);
    assertThat(r.exit()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    Document doc = Jsoup.parse(r.out());
    assertThat(doc.title()).isEqualTo("kreplay analysis: " + TRACE);
    assertThat(doc.getElementById("summary").text()).contains("73,840");
    assertThat(doc.selectFirst("meta[name=generator]").attr("content")).startsWith("kreplay ").doesNotContain("${");
  }

  @Test
  void outputFileIsWrittenAtomically(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("report.html");
    Cli.Run r = Cli.run("analyze", "-q", "-f", "html", "-o", out.toString(), "--judge-as", "rt",
        Path.of("..", "traces", "stress-ng-deadline", "trace.txt.xz").toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).isEmpty();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.html");
    }
    Document doc = Jsoup.parse(out.toFile());
    assertThat(doc.select("#findings-table tbody.finding")).hasSize(2);
  }

  @Test
  void aFailedRunLeavesNoPartialReport(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("report.html");
    Cli.Run r = Cli.run("analyze", "-q", "-f", "html", "-o", out.toString(), dir.resolve("missing.txt").toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void helpListsTheHtmlFormat() {
    assertThat(Cli.run("analyze", "--help").out()).contains("text, md, json, csv, html", "--format html -o report.html");
  }
}
