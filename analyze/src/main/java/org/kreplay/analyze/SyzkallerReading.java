package org.kreplay.analyze;

import java.util.List;

/**
 * A kernel report as syzkaller reads it (its title rules are catalog data, report-titles.yaml): the
 * normalised title syzbot files the report under, the alternative titles it deduplicates with, the
 * function it blames, the crash type, and whether it calls the report corrupted and why.
 *
 * @param title the title, normalised as syzkaller normalises it ("possible deadlock in foo",
 *     "KASAN: use-after-free Read in bar", "WARNING in baz"); the report's kind prefix and frame
 * @param frame the function the title blames (the text after its last " in "), or null when the
 *     title blames none or syzkaller could not find one ("... in corrupted")
 * @param type syzkaller's crash type of the title ("LOCKDEP", "ATOMIC_SLEEP", "HANG", "KASAN-READ", …,
 *     "UNKNOWN")
 * @param corruptedReason why the report is corrupted (syzkaller's reasons), or null when it is not
 * @param rule the source of the title format that matched (report-titles.yaml), or null when none
 *     did and the title is the header line itself
 */
public record SyzkallerReading(String title, List<String> altTitles, String frame, String type,
    String corruptedReason, String rule) implements java.io.Serializable {

  public SyzkallerReading {
    altTitles = List.copyOf(altTitles);
  }

  public boolean corrupted() {
    return corruptedReason != null;
  }

  /** The title without its frame: syzkaller's bucket ("possible deadlock", "WARNING: refcount bug"). */
  public String kindPrefix() {
    return kindPrefix(title);
  }

  /** A title's text before its last " in " (the whole title when it has none). */
  public static String kindPrefix(String title) {
    if (title == null) return null;
    java.util.regex.Matcher m = SyzkallerTitles.FRAME_IN_TITLE.matcher(title);
    return m.find() ? title.substring(0, m.start(1) - 4) : title;
  }
}
