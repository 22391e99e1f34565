package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * batch and splat over a corpus: a gate never passes what it could not read, a corpus of which
 * nothing could be read is an input error, and a path or pattern that matches nothing is a usage error.
 */
class CorpusInputsTest {
  private static final Path SEEDS = Path.of("..", "traces", "seeds");
  /** A trace without a finding: a gate on it alone passes. */
  private static final String CLEAN = SEEDS.resolve("2-kvfree-rcu").resolve("after.txt").toString();
  private static final String CLEAN_LOG = SplatCommandTest.LOGS.resolve("boot-normal-2.6.32.log").toString();

  @TempDir Path dir;

  private Path readme() throws IOException {
    return Files.writeString(dir.resolve("README.md"), "# traces of the nightly run\nrecorded with trace-cmd\n");
  }

  @Test
  void aBatchOfWhichNothingCouldBeReadIsAnInputError() throws IOException {
    Path garbage = Files.write(dir.resolve("garbage.bin"), new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
    Cli.Run r = Cli.run("batch", "-q", readme().toString(), garbage.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.err()).contains("kreplay: " + dir.resolve("README.md") + ": not a trace or kernel log (")
        .contains("kreplay: " + garbage + ": not a trace or kernel log (binary data, 8 bytes)")
        .contains("kreplay: batch: none of the 2 files could be read");
    // the per-file report is still written: it says which and why
    assertThat(r.out()).startsWith("Files\n  2 files, 0 analysed, 2 unreadable;");
    assertThat(Cli.run("splat", "-q", readme().toString(), garbage.toString()).exit()).isEqualTo(ExitCodes.INPUT);
  }

  @Test
  void aGateDoesNotPassWhatItCouldNotReadUnlessAllowed() throws IOException {
    String readme = readme().toString();
    assertThat(Cli.run("batch", "-q", "--fail-on", "any", CLEAN).exit()).isZero(); // the gate on the trace alone
    Cli.Run gated = Cli.run("batch", "-q", "--fail-on", "any", CLEAN, readme);
    assertThat(gated.exit()).isEqualTo(ExitCodes.GATE_FAILED);
    assertThat(gated.err()).contains("kreplay: " + readme + ": not a trace or kernel log (")
        .contains("kreplay: --fail-on: 1 of 2 inputs could not be read (named above), so the gate cannot pass;"
            + " --allow-unreadable lets it pass them");
    assertThat(gated.out()).contains("2 files, 1 analysed, 1 unreadable").contains(readme);
    Cli.Run allowed = Cli.run("batch", "-q", "--fail-on", "any", "--allow-unreadable", CLEAN, readme);
    assertThat(allowed.exit()).as(allowed.err()).isZero();
    assertThat(allowed.err()).contains(readme + ": not a trace or kernel log"); // still named
    // without a gate the batch reports and passes, as before
    assertThat(Cli.run("batch", "-q", CLEAN, readme).exit()).isZero();

    // splat the same way
    assertThat(Cli.run("splat", "-q", "--fail-on", "any", CLEAN_LOG).exit()).isZero();
    Cli.Run splat = Cli.run("splat", "-q", "--fail-on", "any", CLEAN_LOG, readme);
    assertThat(splat.exit()).isEqualTo(ExitCodes.GATE_FAILED);
    assertThat(splat.err()).contains(readme + ": not a trace or kernel log").contains("--allow-unreadable");
    assertThat(Cli.run("splat", "-q", "--fail-on", "any", "--allow-unreadable", CLEAN_LOG, readme).exit()).isZero();
  }

  @Test
  void aPathOrPatternThatMatchesNothingIsAUsageError() throws IOException {
    String pattern = dir.resolve("nightly").resolve("*.txt.xz").toString(); // as the shell passes an unmatched glob
    for (String cmd : new String[] {"batch", "splat"}) {
      Cli.Run glob = Cli.run(cmd, "--fail-on", "any", pattern);
      assertThat(glob.exit()).as(cmd).isEqualTo(ExitCodes.USAGE);
      assertThat(glob.err()).as(cmd).isEqualTo("kreplay: '" + pattern + "' matches no file (a pattern the shell found no"
          + " match for)\n");
      String missing = dir.resolve("trace-2024-01-01.txt").toString();
      Cli.Run path = Cli.run(cmd, CLEAN, missing);
      assertThat(path.exit()).as(cmd).isEqualTo(ExitCodes.USAGE);
      assertThat(path.err()).as(cmd).isEqualTo("kreplay: " + missing + ": no such file or directory\n");
      Path empty = Files.createDirectories(dir.resolve("empty-" + cmd));
      Cli.Run none = Cli.run(cmd, empty.toString());
      assertThat(none.exit()).as(cmd).isEqualTo(ExitCodes.USAGE);
      assertThat(none.err()).as(cmd).isEqualTo("kreplay: " + empty + ": no files in this directory\n");
    }
  }
}
