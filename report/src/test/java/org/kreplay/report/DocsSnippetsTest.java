package org.kreplay.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outputs the README and docs/*.md quote are what kreplay prints now. A fenced block right
 * after {@code <!-- output: ./kreplay analyze traces/… -->} must equal that command's standard
 * output (trailing spaces aside); a line holding only {@code …} stands for any number of output
 * lines, so a block can quote the start of a report, or its start and end. A first line
 * {@code $ COMMAND} in the block must be the marker's command. The commands run from the
 * repository root, as a user types them there. With {@code -Dkreplay.updateGolden=true} blocks
 * without {@code …} are rewritten to the current output (review the diff).
 */
class DocsSnippetsTest {
  private static final Pattern MARKER = Pattern.compile("^<!-- output: (.+?) -->$");
  private static final String ELISION = "…";
  /** Characters a shell would interpret; the test runs commands without one. */
  private static final Pattern SHELL = Pattern.compile("['\"*?|<>$;&`\\\\]");

  /** One quoted output: where it is, the command, and the block's lines between the fences. */
  record Snippet(Path file, int line, String command, int firstLine, List<String> block) {
    String where() {
      return DocsFiles.name(file) + ":" + line;
    }

    /** The command's arguments after the program name ({@code kreplay} or {@code ./kreplay}). */
    String[] args() {
      String[] words = command.strip().split("\\s+");
      return Arrays.copyOfRange(words, 1, words.length);
    }

    /** The block without its {@code $ COMMAND} line. */
    List<String> expected() {
      return !block.isEmpty() && block.get(0).startsWith("$ ") ? block.subList(1, block.size()) : block;
    }
  }

  static List<Snippet> snippets(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Snippet> found = new ArrayList<>();
    boolean inFence = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (DocsFiles.isFence(line)) {
        inFence = !inFence;
        continue;
      }
      Matcher m = MARKER.matcher(line.strip());
      if (inFence || !m.matches()) continue;
      int open = i + 1;
      while (open < lines.size() && lines.get(open).isBlank()) open++;
      if (open >= lines.size() || !DocsFiles.isFence(lines.get(open))) {
        fail(DocsFiles.name(file) + ":" + (i + 1) + ": an output marker must be followed by a fenced block");
      }
      int close = open + 1;
      while (close < lines.size() && !DocsFiles.isFence(lines.get(close))) close++;
      if (close >= lines.size()) fail(DocsFiles.name(file) + ":" + (open + 1) + ": the block is not closed");
      found.add(new Snippet(file, i + 1, m.group(1), open + 1, List.copyOf(lines.subList(open + 1, close))));
      i = close;
    }
    return found;
  }

  static List<Snippet> allSnippets() throws IOException {
    List<Snippet> all = new ArrayList<>();
    for (Path file : DocsFiles.all()) all.addAll(snippets(file));
    return all;
  }

  /** Output lines as a document can hold them: no trailing spaces, no trailing blank lines. */
  static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\n", -1)) out.add(l.stripTrailing());
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
    return out;
  }

  /**
   * Whether the output matches the quoted lines: equal, where each {@code …} line stands for any
   * number of lines.
   */
  static boolean matches(List<String> quoted, List<String> output) {
    List<List<String>> parts = new ArrayList<>();
    List<String> part = new ArrayList<>();
    for (String q : lines(String.join("\n", quoted))) {
      if (q.strip().equals(ELISION)) {
        parts.add(part);
        part = new ArrayList<>();
      } else {
        part.add(q);
      }
    }
    parts.add(part);
    if (parts.size() == 1) return parts.get(0).equals(output);
    List<String> first = parts.get(0);
    List<String> last = parts.get(parts.size() - 1);
    int end = output.size() - last.size();
    if (end < first.size() || !output.subList(0, first.size()).equals(first)
        || !output.subList(end, output.size()).equals(last)) {
      return false;
    }
    int pos = first.size();
    for (List<String> middle : parts.subList(1, parts.size() - 1)) {
      int at = indexOf(output.subList(0, end), middle, pos);
      if (at < 0) return false;
      pos = at + middle.size();
    }
    return true;
  }

  private static int indexOf(List<String> in, List<String> part, int from) {
    for (int i = from; i + part.size() <= in.size(); i++) {
      if (in.subList(i, i + part.size()).equals(part)) return i;
    }
    return -1;
  }

  /** Runs every command in one JVM started in the repository root (see {@link DocsCommandRunner}). */
  static List<JsonNode> run(List<Snippet> snippets, Path dir) throws IOException, InterruptedException {
    List<String> commands = new ArrayList<>();
    for (Snippet s : snippets) commands.add(String.join("\t", s.args()));
    Path in = Files.write(dir.resolve("commands.txt"), commands, StandardCharsets.UTF_8);
    Path out = dir.resolve("results.json");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", classpath, DocsCommandRunner.class.getName(), in.toString(), out.toString())
        .directory(DocsFiles.ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("runner.log").toFile()).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the docs' commands did not finish in 10 minutes");
    }
    assertThat(p.exitValue()).as(Files.readString(dir.resolve("runner.log"))).isZero();
    List<JsonNode> results = new ArrayList<>();
    new ObjectMapper().readTree(out.toFile()).forEach(results::add);
    return results;
  }

  @TestFactory
  List<DynamicTest> quotedOutputsAreWhatKreplayPrints(@TempDir Path dir) throws Exception {
    List<Snippet> snippets = allSnippets();
    assertThat(snippets).as("output markers in README.md and docs/*.md").hasSizeGreaterThanOrEqualTo(5);
    for (Snippet s : snippets) {
      assertThat(s.command()).as(s.where()).matches("(\\./)?kreplay .+").doesNotContainPattern(SHELL);
      if (!s.block().isEmpty() && s.block().get(0).startsWith("$ ")) {
        assertThat(s.block().get(0)).as(s.where() + ": the block's command line").isEqualTo("$ " + s.command());
      }
    }
    List<JsonNode> results = run(snippets, dir);
    boolean update = Boolean.getBoolean("kreplay.updateGolden");
    List<Snippet> rewrite = new ArrayList<>();
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      Snippet s = snippets.get(i);
      JsonNode r = results.get(i);
      List<String> output = lines(r.get("out").asText());
      boolean same = matches(s.expected(), output);
      if (!same && update && s.expected().stream().noneMatch(l -> l.strip().equals(ELISION))) rewrite.add(s);
      tests.add(DynamicTest.dynamicTest(s.where() + " " + s.command(), () -> {
        assertThat(r.get("exit").asInt()).as(s.where() + ": exit code; stderr: " + r.get("err").asText())
            .isBetween(0, 1);
        if (!same) {
          assertThat(String.join("\n", output))
              .as(s.where() + ": what '" + s.command() + "' prints now, against the quoted output ('…' lines stand"
                  + " for any lines)")
              .isEqualTo(String.join("\n", lines(String.join("\n", s.expected()))));
        }
      }));
    }
    if (!rewrite.isEmpty()) rewrite(rewrite, results, snippets);
    return tests;
  }

  /** Replaces each block's output lines by the current output, keeping its {@code $ COMMAND} line. */
  private static void rewrite(List<Snippet> stale, List<JsonNode> results, List<Snippet> all) throws IOException {
    for (Path file : stale.stream().map(Snippet::file).distinct().toList()) {
      List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
      List<Snippet> here = stale.stream().filter(s -> s.file().equals(file)).toList();
      for (int k = here.size() - 1; k >= 0; k--) { // bottom up, so earlier line numbers stay valid
        Snippet s = here.get(k);
        int from = s.firstLine() + (s.expected().size() < s.block().size() ? 1 : 0);
        int to = s.firstLine() + s.block().size();
        lines.subList(from, to).clear();
        lines.addAll(from, lines(results.get(all.indexOf(s)).get("out").asText()));
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
    }
  }

  @Test
  void elisionsStandForAnyLinesAndNothingElseDiffers() {
    List<String> out = List.of("Trace", "", "  events  18", "Findings", "  none");
    assertThat(matches(List.of("Trace", "", "  events  18", "Findings", "  none"), out)).isTrue();
    assertThat(matches(List.of("Trace", "…"), out)).isTrue();
    assertThat(matches(List.of("Trace", "…", "Findings", "…"), out)).isTrue();
    assertThat(matches(List.of("…", "  none"), out)).isTrue();
    assertThat(matches(List.of("Trace", "…", "  events  19", "…"), out)).isFalse();
    assertThat(matches(List.of("Trace"), out)).isFalse(); // without '…' the whole output is quoted
    assertThat(matches(List.of("Findings", "…"), out)).isFalse(); // the start is the output's start
    assertThat(matches(List.of("Trace", "…", "Findings"), out)).isFalse(); // the end is the output's end
  }

  @Test
  void aBlockStartsRightAfterItsMarker(@TempDir Path dir) throws IOException {
    Path doc = Files.writeString(dir.resolve("x.md"), "text\n<!-- output: ./kreplay --version -->\n\n```\n$ ./kreplay"
        + " --version\nkreplay 0.1.0\n```\n```\n<!-- output: not a marker inside a block -->\n```\n");
    List<Snippet> found = snippets(doc);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).line()).isEqualTo(2);
    assertThat(found.get(0).args()).containsExactly("--version");
    assertThat(found.get(0).expected()).containsExactly("kreplay 0.1.0");
  }
}
