package org.kreplay.analyze;

import java.util.Set;
import java.util.TreeSet;
import org.kreplay.analyze.Catalog.CatalogException;

/** Checks the report-title part of a catalog (syzkaller's rules: regexes, formats, rule names) and files it. */
final class ReportEntryChecks {
  private ReportEntryChecks() {}

  /** Rules whose pattern is a template or a plain word, not a regex. */
  private static final Set<String> NOT_REGEX = Set.of("template", "crash_type", "strip_frame_prefix", "hang_skip");

  static void add(Catalog c, String at, Object entry) throws CatalogException {
    if (entry instanceof CatalogTypes.ReportTitleEntry e) {
      CatalogEntryTyper.require(at, e.header(), "header");
      if (e.title() == null || e.title().isEmpty()) throw new CatalogException(at + ": missing title of " + e.header());
      CatalogEntryTyper.require(at, e.fmt(), "fmt of " + e.header());
      if (e.extractor() != null && !e.extractor().equals("stall") && !e.extractor().equals("hang")) {
        throw new CatalogException(at + ": report title '" + e.fmt() + "': extractor must be stall or hang");
      }
      SyzkallerRules.check(at, e);
      c.reportTitles.add(e);
    } else if (entry instanceof CatalogTypes.ReportIgnoreEntry e) {
      CatalogEntryTyper.require(at, e.header(), "header");
      CatalogEntryTyper.require(at, e.pattern(), "pattern");
      SyzkallerRules.checkPattern(at, e.pattern());
      c.reportIgnores.add(e);
    } else if (entry instanceof CatalogTypes.BlameSkipEntry e) {
      CatalogEntryTyper.require(at, e.pattern(), "pattern");
      SyzkallerRules.checkPattern(at, e.pattern());
      c.blameSkips.add(e);
    } else if (entry instanceof CatalogTypes.ReportRuleEntry e) {
      CatalogEntryTyper.require(at, e.rule(), "rule");
      if (!SyzkallerRules.RULES.contains(e.rule())) {
        throw new CatalogException(at + ": unknown rule '" + e.rule() + "' (known: "
            + String.join(", ", new TreeSet<>(SyzkallerRules.RULES)) + ")");
      }
      CatalogEntryTyper.require(at, e.pattern(), "pattern of " + e.rule());
      if (!NOT_REGEX.contains(e.rule())) SyzkallerRules.checkPattern(at, e.pattern());
      c.reportRules.add(e);
    } else {
      throw new IllegalArgumentException("not a catalog entry: " + entry);
    }
  }
}
