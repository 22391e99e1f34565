package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelpLayoutTest {
  private static final String[] COMMANDS = {"analyze", "splat", "compare", "batch", "convert"};

  @Test
  void longLinesBreakAtSpacesOnlyUnderTheirTextColumn() {
    String option = "  -f, --format=FORMAT      Read the trace.dat ring buffer of this instance (trace-cmd record -B NAME)"
        + " instead of the top one.";
    assertThat(HelpLayout.wrap(option, 60)).isEqualTo(String.join(System.lineSeparator(),
        "  -f, --format=FORMAT      Read the trace.dat ring buffer of",
        "                           this instance (trace-cmd record",
        "                           -B NAME) instead of the top one."));
  }

  @Test
  void aWordLongerThanALineStaysWhole() {
    String wrapped = HelpLayout.wrap("see /a/very/long/path/that/does/not/fit/anywhere/at/all for more", 20);
    assertThat(wrapped.lines()).containsExactly("see", "/a/very/long/path/that/does/not/fit/anywhere/at/all", "for more");
  }

  @Test
  void helpFitsEightyColumnsAndNeverSplitsAWord() {
    for (String command : COMMANDS) {
      List<String> lines = Cli.ok(command, "--help").lines().toList();
      int examples = lines.indexOf("Examples:");
      assertThat(examples).as(command).isPositive();
      // the examples are printed as written (one of them is longer on purpose); the rest fits
      assertThat(lines.subList(0, examples)).as(command).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
      // the JDK's line breaker would split these after their punctuation
      assertThat(lines).as(command).noneMatch(l -> l.endsWith("trace.") || l.endsWith("trace-") || l.endsWith("--[no-]"));
    }
  }
}
