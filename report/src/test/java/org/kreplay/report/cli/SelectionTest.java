package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * --cpu/--from/--until: "selected: K of N events" in every format whenever a selection was given,
 * and a selection that holds nothing of a trace with events is warned about, --quiet or not.
 */
class SelectionTest {
  private static final String TRACE = AnalyzeCommandTest.TRACE;
  private static final String DAT = Path.of("..", "traces", "cyclictest", "trace.dat").toString();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static long events(String... args) throws IOException {
    return JSON.readTree(Cli.ok(args)).at("/summary/events").asLong();
  }

  @Test
  void aSelectionOfNothingIsWarnedAboutAndShownInEveryFormat() throws IOException {
    long all = events("analyze", "-q", "-f", "json", TRACE); // the independent count: no selection at all
    assertThat(all).isEqualTo(73_840);
    String selected = "0 of 73,840 events (--from 9000)";
    String warning = "kreplay: warning: " + TRACE + ": the selection holds no event: selected " + selected + "\n";

    Cli.Run text = Cli.run("analyze", "-q", "--from", "9000", TRACE);
    assertThat(text.exit()).isZero();
    assertThat(text.err()).isEqualTo(warning); // -q hides progress, never this
    assertThat(text.out()).contains("  selected      " + selected + "\n");
    assertThat(Cli.run("analyze", "-q", "-f", "md", "--from", "9000", TRACE).out()).contains("| selected | " + selected + " |");
    Cli.Run csv = Cli.run("analyze", "-q", "-f", "csv", "--from", "9000", TRACE);
    assertThat(csv.err()).isEqualTo(warning);
    assertThat(csv.out()).startsWith("# selected: " + selected + "\nmechanism,metric,key,");
    assertThat(Cli.run("analyze", "-q", "-f", "html", "--from", "9000", TRACE).out()).contains(selected);
    JsonNode json = JSON.readTree(Cli.run("analyze", "-q", "-f", "json", "--from", "9000", TRACE).out());
    JsonNode sel = json.at("/summary/selection");
    assertThat(sel.get("options").asText()).isEqualTo("--from 9000");
    assertThat(sel.get("selected").asLong()).isZero();
    assertThat(sel.get("of").asLong()).isEqualTo(all);
    assertThat(sel.get("of_is_lower_bound").asBoolean()).isFalse();

    // convert and batch say the same; compare for each side
    assertThat(Cli.run("convert", "-q", "--format", "csv", "--cpu", "7", TRACE).err())
        .isEqualTo("kreplay: warning: " + TRACE + ": the selection holds no event: selected 0 of 73,840 events (--cpu 7)\n");
    Cli.Run batch = Cli.run("batch", "-q", "--until", "1", TRACE);
    assertThat(batch.err()).isEqualTo("kreplay: warning: " + TRACE
        + ": the selection holds no event: selected 0 of 73,840 events (--until 1)\n");
    assertThat(batch.out()).contains("selected      0 of 73,840 events (--until 1)");
    Cli.Run compare = Cli.run("compare", "-q", "--from", "9000", TRACE, AnalyzeCommandTest.LOADED);
    assertThat(compare.err()).contains(warning);
    assertThat(compare.out()).contains("selected: before " + selected + "; after 0 of ");
    JsonNode cj = JSON.readTree(Cli.run("compare", "-q", "-f", "json", "--from", "9000", TRACE, TRACE).out());
    assertThat(cj.at("/before/selection/of").asLong()).isEqualTo(all);
    assertThat(cj.at("/after/selection/selected").asLong()).isZero();
    assertThat(Cli.run("compare", "-q", "-f", "csv", "--from", "9000", TRACE, TRACE).out())
        .startsWith("# selected: before " + selected + "; after " + selected + "\n");
  }

  @Test
  void aSelectionThatHoldsEventsSaysHowManyOfHowMany() throws IOException {
    long all = events("analyze", "-q", "-f", "json", TRACE);
    JsonNode cpu1 = JSON.readTree(Cli.ok("analyze", "-q", "-f", "json", "--cpu", "1", TRACE));
    JsonNode cpu0 = JSON.readTree(Cli.ok("analyze", "-q", "-f", "json", "--cpu", "0", TRACE));
    long k1 = cpu1.at("/summary/events").asLong();
    long k0 = cpu0.at("/summary/events").asLong();
    assertThat(k0 + k1).isEqualTo(all); // each CPU's selection and the other add up to the whole
    assertThat(cpu1.at("/summary/selection/selected").asLong()).isEqualTo(k1);
    assertThat(cpu1.at("/summary/selection/of").asLong()).isEqualTo(all);
    Cli.Run text = Cli.run("analyze", "-q", "--cpu", "1", "--from", "411", TRACE);
    assertThat(text.err()).isEmpty();
    assertThat(text.out()).containsPattern("  selected      [0-9,]+ of 73,840 events \\(--cpu 1 --from 411\\)\n");
    // without a selection there is no such line
    assertThat(Cli.ok("analyze", "-q", TRACE)).doesNotContain("selected");
    assertThat(JSON.readTree(Cli.ok("analyze", "-q", "-f", "json", TRACE)).at("/summary/selection").isMissingNode()).isTrue();
  }

  @Test
  void aTraceDatIsNotReadOutsideTheSelectionAndSaysSo() throws IOException {
    long all = events("analyze", "-q", "-f", "json", DAT);
    Cli.Run none = Cli.run("analyze", "-q", "--cpu", "5", DAT);
    assertThat(none.exit()).isZero();
    assertThat(none.err()).isEqualTo("kreplay: warning: " + DAT + ": the selection holds no event: selected 0 events"
        + " (--cpu 5; the trace.dat outside the selection is not read, so not counted)\n");
    JsonNode from = JSON.readTree(Cli.ok("analyze", "-q", "-f", "json", "--from", "9000", DAT));
    // --from alone reads everything: the count is exact
    assertThat(from.at("/summary/selection/of").asLong()).isEqualTo(all);
    assertThat(from.at("/summary/selection/of_is_lower_bound").asBoolean()).isFalse();
    JsonNode until = JSON.readTree(Cli.ok("analyze", "-q", "-f", "json", "--until", "412", DAT));
    assertThat(until.at("/summary/selection/of_is_lower_bound").asBoolean()).isTrue();
    assertThat(until.at("/summary/selection/of").asLong()).isBetween(until.at("/summary/events").asLong(), all);
  }
}
