package org.kreplay.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and docs/*.md leads to a file of the repository (never outside
 * it, as to a workspace the repository was made in), and every {@code #anchor} to a heading of the
 * file it names.
 */
class DocsLinksTest {
  /** {@code [text](target)} and {@code ![alt](target)}; a title after the target is not used here. */
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*$");

  /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
  static String anchor(String heading) {
    String text = heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "");
    return text.replace(' ', '-');
  }

  static Set<String> anchors(Path md) throws IOException {
    Set<String> out = new HashSet<>();
    boolean inFence = false;
    for (String line : Files.readAllLines(md, StandardCharsets.UTF_8)) {
      if (DocsFiles.isFence(line)) inFence = !inFence;
      Matcher m = HEADING.matcher(line);
      if (!inFence && m.matches()) out.add(anchor(m.group(1)));
    }
    return out;
  }

  /** The link targets of a document, outside code blocks and code spans. */
  static List<String> links(Path md) throws IOException {
    List<String> out = new ArrayList<>();
    boolean inFence = false;
    for (String line : Files.readAllLines(md, StandardCharsets.UTF_8)) {
      if (DocsFiles.isFence(line)) {
        inFence = !inFence;
        continue;
      }
      if (inFence) continue;
      Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
      while (m.find()) out.add(m.group(1));
    }
    return out;
  }

  @Test
  void relativeLinksLeadToFilesAndHeadingsOfTheRepository() throws IOException {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path doc : DocsFiles.all()) {
      for (String target : links(doc)) {
        if (target.matches("^[a-z]+:.*")) continue; // https:, mailto:
        checked++;
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path file = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
        String where = DocsFiles.name(doc) + ": " + target;
        if (!file.startsWith(DocsFiles.ROOT)) {
          broken.add(where + " (outside the repository)");
        } else if (!Files.exists(file)) {
          broken.add(where + " (no such file)");
        } else if (hash >= 0 && file.toString().endsWith(".md") && !anchors(file).contains(target.substring(hash + 1))) {
          broken.add(where + " (no such heading in " + DocsFiles.name(file) + ")");
        }
      }
    }
    assertThat(checked).as("relative links checked").isGreaterThan(20);
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void anchorsAreGithubs() {
    assertThat(anchor("`kreplay splat`: kernel logs and their reports"))
        .isEqualTo("kreplay-splat-kernel-logs-and-their-reports");
    assertThat(anchor("Fuzzing (`bench/fuzz.sh`)")).isEqualTo("fuzzing-benchfuzzsh");
    assertThat(anchor("HTML report (`--format html`)")).isEqualTo("html-report---format-html");
  }
}
