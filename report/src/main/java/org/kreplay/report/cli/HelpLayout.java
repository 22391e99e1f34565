package org.kreplay.report.cli;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Lays out help to the terminal's width breaking lines at spaces only. Picocli wraps with the JDK's
 * line breaker, which splits "trace.dat", "trace-cmd" and "--csv-table" after their punctuation; so
 * picocli lays out each section on lines too long to wrap, and they are wrapped here instead, each
 * continuation under the column its line's text starts in. The footers (examples, exit codes) are
 * laid out by hand and printed as written: a command line is never split into two that would not run.
 */
final class HelpLayout {
  /** Wide enough that picocli never wraps a line itself. */
  private static final int UNWRAPPED = 10_000;
  /** "  -f, --format=FORMAT      text": an option or a command, then its description's column. */
  private static final Pattern TWO_COLUMNS = Pattern.compile("^(\\s+\\S.*?\\s{2,})\\S");
  /** "kreplay analyze [-hqV]..." (after the heading "Usage: "): continued under the first option. */
  private static final Pattern SYNOPSIS = Pattern.compile("^((?:[\\w-]+ )+?)[\\[<(-]");

  private HelpLayout() {}

  /** Applies the layout to {@code cl} and every subcommand, wrapping to {@code width} columns. */
  static void apply(CommandLine cl, int width) {
    cl.setUsageHelpWidth(UNWRAPPED);
    // plain: the layout counts characters, and colour codes would count as wide as words
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    Map<String, IHelpSectionRenderer> sections = cl.getHelpSectionMap();
    for (Map.Entry<String, IHelpSectionRenderer> e : sections.entrySet()) {
      IHelpSectionRenderer picocli = e.getValue();
      String key = e.getKey();
      e.setValue(key.equals(UsageMessageSpec.SECTION_KEY_FOOTER) ? HelpLayout::verbatimFooter
          : key.equals(UsageMessageSpec.SECTION_KEY_SYNOPSIS) ? help -> synopsis(help, picocli.render(help), width)
          : help -> wrap(picocli.render(help), width));
    }
    cl.setHelpSectionMap(sections);
    for (CommandLine sub : cl.getSubcommands().values()) apply(sub, width);
  }

  private static String verbatimFooter(CommandLine.Help help) {
    StringBuilder sb = new StringBuilder();
    for (String line : help.commandSpec().usageMessage().footer()) {
      sb.append(String.format(Locale.ROOT, line)).append(System.lineSeparator());
    }
    return sb.toString();
  }

  /**
   * The synopsis follows its heading ("Usage: ") on the same line: its first line has that much less
   * room, and its continuations start under its first option, as picocli's own do.
   */
  private static String synopsis(CommandLine.Help help, String text, int width) {
    int heading = help.synopsisHeading().length();
    String line = text.stripTrailing(); // picocli ends it with a line separator
    Matcher m = SYNOPSIS.matcher(line);
    if (line.contains("\n") || heading >= width / 2 || !m.find()) return wrap(text, width);
    String padded = " ".repeat(heading) + line;
    return wrapLine(padded, width, heading + m.end(1), new StringBuilder()).substring(heading)
        + text.substring(line.length());
  }

  /** Every line longer than {@code width} broken at spaces; a word longer than a line stays whole. */
  static String wrap(String text, int width) {
    StringBuilder out = new StringBuilder();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) out.append(System.lineSeparator());
      wrapLine(lines[i], width, hangingIndent(lines[i], width), out);
    }
    return out.toString();
  }

  private static StringBuilder wrapLine(String line, int width, int indent, StringBuilder out) {
    if (line.length() <= width) return out.append(line);
    StringBuilder current = new StringBuilder(line.substring(0, indent)); // the option, or the indent, stays
    String pad = " ".repeat(indent);
    boolean empty = true;
    for (String word : line.substring(indent).split(" +")) {
      if (word.isEmpty()) continue;
      if (!empty && current.length() + 1 + word.length() > width) {
        out.append(current.toString().stripTrailing()).append(System.lineSeparator());
        current = new StringBuilder(pad);
        empty = true;
      }
      if (!empty) current.append(' ');
      current.append(word);
      empty = false;
    }
    return out.append(current.toString().stripTrailing());
  }

  /** The column a long line's continuations start in. */
  private static int hangingIndent(String line, int width) {
    Matcher m = TWO_COLUMNS.matcher(line);
    if (m.find() && m.end(1) < width / 2) return m.end(1);
    int lead = 0;
    while (lead < line.length() && line.charAt(lead) == ' ') lead++;
    return lead < width / 2 ? lead : 0;
  }
}
