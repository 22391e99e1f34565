package org.kreplay.report.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors say why, about the file the user named: never a bare path, a temporary file's name or an
 * exception's class; a binary input's position is a byte offset, labelled as one.
 */
class ErrorMessagesTest {
  private static final String TRACE = Path.of("..", "traces", "seeds", "1-put-task-struct", "before.txt").toString();
  private static final Path DAT = Path.of("..", "traces", "cyclictest", "trace.dat");

  @TempDir Path dir;

  private static void assertInputError(Cli.Run r, String expected) {
    assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.err()).isEqualTo("kreplay: " + expected + "\n");
    assertThat(r.err()).doesNotContain(".tmp").doesNotContain("Exception");
  }

  @Test
  void unreadableInputsSayWhy() throws IOException {
    Path file = Files.writeString(dir.resolve("notes"), "x\n");
    // as root every file is readable: a path through a regular file fails whoever runs it
    String under = file.resolve("trace.txt").toString();
    assertInputError(Cli.run("analyze", under), under + ": not a directory");
    assertInputError(Cli.run("convert", "--format", "csv", under), under + ": not a directory");
    assertInputError(Cli.run("convert", "-f", "csv", dir.toString()), dir + ": is a directory, not a trace");
    // analyze reads a directory's files (here one that is no trace), as batch and compare do
    assertInputError(Cli.run("analyze", dir.toString()), file + ": not a trace or kernel log (1 line of text without a"
        + " trace event, a trace header, a kernel log line or a kernel report; line 1: x)");
    String missing = dir.resolve("nope.txt").toString();
    assertInputError(Cli.run("analyze", missing), missing + ": no such file or directory");
    assertInputError(Cli.run("compare", TRACE, missing), missing + ": no such file or directory");
  }

  @Test
  void unwritableOutputsSayWhichAndWhy() throws IOException {
    assertInputError(Cli.run("analyze", "-q", "-o", dir.toString(), TRACE), "cannot write " + dir + ": is a directory");
    Path noDir = dir.resolve("reports").resolve("today.txt");
    assertInputError(Cli.run("analyze", "-q", "-o", noDir.toString(), TRACE),
        "cannot write " + noDir + ": no such directory: " + dir.resolve("reports"));
    Path file = Files.writeString(dir.resolve("notes"), "x\n");
    Path underFile = file.resolve("today.txt");
    assertInputError(Cli.run("analyze", "-q", "-o", underFile.toString(), TRACE),
        "cannot write " + underFile + ": not a directory: " + file);
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString()).toList()).containsExactly("notes"); // no temporary left
    }
  }

  @Test
  void aFullDiskIsAnErrorThatSaysSo() throws Exception {
    Path full = Path.of("/dev/full");
    assumeTrue(Files.exists(full), "no /dev/full here");
    assertInputError(Cli.run("analyze", "-q", "-o", full.toString(), TRACE), "cannot write /dev/full: no space left on device");
    // standard output on a full disk: a real process, since System.out would swallow the error
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "analyze", "-q", TRACE)
        .redirectOutput(full.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.INPUT);
    assertThat(err).isEqualTo("kreplay: cannot write standard output: no space left on device\n");
  }

  @Test
  void aPipeClosedByItsReaderIsNotAnError() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "analyze", "-q", AnalyzeCommandTest.TRACE).redirectError(ProcessBuilder.Redirect.PIPE).start();
    p.getInputStream().close(); // as `| head -0` does
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(err).isEmpty();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void aBinaryInputGivesAByteOffsetLabelledAsOne() throws IOException {
    byte[] whole = Files.readAllBytes(DAT);
    Path cut = Files.write(dir.resolve("cut.dat"), java.util.Arrays.copyOf(whole, 3000));
    Cli.Run r = Cli.run("analyze", cut.toString());
    assertThat(r.exit()).isEqualTo(ExitCodes.INPUT);
    assertThat(r.err()).matches("kreplay: " + java.util.regex.Pattern.quote(cut.toString())
        + ": byte offset [0-9,]+: .*\n");
    // a damaged record inside the data, skipped and listed where the report shows skipped lines
    byte[] damaged = whole.clone();
    for (int i = damaged.length / 2; i < damaged.length / 2 + 64; i++) damaged[i] ^= 0x5a;
    Path bad = Files.write(dir.resolve("bad.dat"), damaged);
    Cli.Run lenient = Cli.run("analyze", "-q", bad.toString());
    String where = lenient.exit() == 0 ? lenient.out() + lenient.err() : lenient.err();
    assertThat(where).contains(bad + ": byte offset ");
    assertThat(List.of(where.split("\n"))).noneMatch(l -> l.matches(".*bad\\.dat:[0-9].*"));
  }
}
