package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The prefilters of the report-title rules: they never rule out a line the full check would accept. */
class SyzkallerRulesTest {
  private static final Path CORPUS = Path.of("../corpora/syzkaller-linux-report/files");

  /** The one-pass header check says what a search for every header would say, on every line of the test logs. */
  @Test
  void holdsHeaderAgreesWithSearchingForEachHeader() throws IOException {
    SyzkallerRules rules = Catalog.builtin().syzkallerRules();
    int holding = 0;
    List<String> lines = corpusLines(1);
    for (String line : lines) {
      boolean any = rules.oopses.stream().anyMatch(o -> line.contains(o.header()));
      assertThat(rules.holdsHeader(line)).as(line).isEqualTo(any);
      if (any) holding++;
    }
    assertThat(holding).isGreaterThan(500).isLessThan(lines.size() / 2);
  }

  /**
   * For every pattern of the built-in rules, on the lines of a quarter of syzkaller's test logs
   * (every fourth file) and on each of those files whole (a report's text is searched whole too):
   * wherever the pattern finds a match, the text contains its literal, and the prefiltered search
   * finds the very match a plain search finds. The prefilter never hides or moves a match.
   */
  @Test
  void literalsNeverHideOrMoveAMatchInRealLogs() throws IOException {
    SyzkallerRules rules = Catalog.builtin().syzkallerRules();
    List<String> texts = corpusLines(4);
    assertThat(texts).hasSizeGreaterThan(5_000);
    texts.addAll(corpusFiles(4));
    int withLiteral = 0;
    int matches = 0;
    for (Pattern p : rules.patterns()) {
      String lit = rules.literalOf(p).text();
      if (lit.isEmpty()) continue;
      withLiteral++;
      for (String text : texts) {
        Matcher plain = p.matcher(text);
        Matcher filtered = rules.firstMatch(p, text);
        if (plain.find()) {
          matches++;
          assertThat(text).as("a match of %s", p.pattern()).contains(lit);
          assertThat(filtered).as("a match of %s", p.pattern()).isNotNull();
          assertThat(new int[] {filtered.start(), filtered.end()}).as("the match of %s", p.pattern())
              .containsExactly(plain.start(), plain.end());
        } else {
          assertThat(filtered).as("no match of %s", p.pattern()).isNull();
        }
      }
    }
    // the check is only worth something if most patterns have a literal and they do match
    assertThat(withLiteral).isGreaterThan(rules.patterns().size() / 2);
    assertThat(matches).isGreaterThan(1_000);
  }

  /** Every {@code step}-th test log whole, in name order. */
  private static List<String> corpusFiles(int step) throws IOException {
    List<String> texts = new ArrayList<>();
    try (Stream<Path> files = Files.list(CORPUS)) {
      List<Path> sorted = files.sorted().toList();
      for (int i = 0; i < sorted.size(); i += step) {
        texts.add(new String(Files.readAllBytes(sorted.get(i)), StandardCharsets.UTF_8));
      }
    }
    return texts;
  }

  /** The lines of every {@code step}-th test log, in name order. */
  private static List<String> corpusLines(int step) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(CORPUS)) {
      List<Path> sorted = files.sorted().toList();
      for (int i = 0; i < sorted.size(); i += step) {
        lines.addAll(new String(Files.readAllBytes(sorted.get(i)), StandardCharsets.UTF_8).lines().toList());
      }
    }
    return lines;
  }
}
