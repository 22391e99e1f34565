package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The catalog's report-title data (report-titles.yaml: syzkaller's oops formats, skip lists and
 * title rules) compiled into patterns, once per catalog. Read-only after construction.
 */
final class SyzkallerRules {
  /** The rule kinds of the {@code report_rules} section. */
  static final Set<String> RULES = Set.of("template", "stack_start", "stack_start_riscv", "frame", "corrupted_line",
      "strip_frame_prefix", "report_start_ignore", "info_with_stack", "skip_line", "cut_after", "cut_after_kmsan",
      "cpu_traceback", "console_hangup", "corrupted_title", "title_replace", "stall_anchor", "hang_anchor", "hang_skip",
      "crash_type");

  /** Marks "parse a stack trace from here" among a format's stack parts. */
  static final Pattern STACK = Pattern.compile("\\{\\{STACK\\}\\}");

  /** One line regex of a multi-line title or report; {@code nextLine}: it must match the very next line. */
  record Segment(Pattern pattern, boolean nextLine) {}

  /**
   * A literal text every match of each pattern this rule set compiled contains ("" for none), found
   * once when the pattern is compiled; written only while constructing, read-only after.
   */
  private final java.util.IdentityHashMap<Pattern, RegexLiteral> literals = new java.util.IdentityHashMap<>();

  /** Whether the text can hold a match: it contains the literal every match of the pattern contains. */
  boolean mayFind(Pattern p, String text) {
    String lit = literalOf(p).text();
    return lit.isEmpty() || text.contains(lit);
  }

  /**
   * The pattern's first match in the text, or null. Where a match's text before its literal has a
   * fixed length, the search starts that far before the literal's first place in the text (no match
   * can start earlier), instead of trying every position of a long report from its start.
   */
  Matcher firstMatch(Pattern p, String text) {
    return firstMatch(p, literalOf(p), text);
  }

  /** The literal of a pattern this rule set compiled ({@link RegexLiteral#NONE} for another). */
  RegexLiteral literalOf(Pattern p) {
    RegexLiteral lit = literals.get(p);
    return lit == null ? RegexLiteral.NONE : lit;
  }

  /**
   * {@link #firstMatch(Pattern, String)} with the pattern's literal looked up once for many texts.
   * With a fixed lead, a match has its literal at most {@code 2 * lead} chars (a fixed-length atom is
   * one code point) after its start: only those starts before each place the literal appears are
   * tried, in order, so the first found is the leftmost, as a plain search finds it.
   */
  static Matcher firstMatch(Pattern p, RegexLiteral lit, String text) {
    if (lit.text().isEmpty()) {
      Matcher m = p.matcher(text);
      return m.find() ? m : null;
    }
    int at = text.indexOf(lit.text());
    if (at < 0) return null;
    Matcher m = p.matcher(text);
    if (lit.lead() < 0) return m.find() ? m : null;
    // the text around a start stays visible to lookbehinds and anchors, as in a plain search
    m.useTransparentBounds(true).useAnchoringBounds(false);
    int untried = 0;
    for (; at >= 0; at = text.indexOf(lit.text(), at + 1)) {
      for (int start = Math.max(untried, at - 2 * lit.lead()); start <= at; start++) {
        m.region(start, text.length());
        if (m.lookingAt()) return m;
      }
      untried = at + 1;
    }
    return null;
  }

  /** Every pattern this rule set compiled (for tests of the literals). */
  Set<Pattern> patterns() {
    return java.util.Collections.unmodifiableSet(literals.keySet());
  }

  /**
   * Whether the line contains some oops header: one pass over the line, trying the headers that
   * begin with each character, instead of a search of the whole line per header (most lines of a
   * report hold none). Exact: false only when {@code line.contains(o.header())} is false for all.
   */
  boolean holdsHeader(String line) {
    if (headerOutsideAscii) return true;
    for (int k = 0, n = line.length() - 1; k < n; k++) {
      char c0 = line.charAt(k);
      char c1 = line.charAt(k + 1);
      if ((c0 | c1) >= 128) continue;
      int key = c0 << 7 | c1;
      // the 2 KB bit set rules most pairs out without touching the 64 KB table
      if ((headerPairs[key >>> 6] & 1L << key) == 0) continue;
      String[] candidates = headersByFirstTwo[key];
      for (String h : candidates) {
        if (line.startsWith(h, k)) return true;
      }
    }
    return false;
  }


  /** Frames each format's skip pattern was tried on (function names repeat across reports); bounded. */
  private final java.util.concurrent.ConcurrentHashMap<Pattern, java.util.concurrent.ConcurrentHashMap<String, Boolean>>
      skipped = new java.util.concurrent.ConcurrentHashMap<>();

  /** Whether the format's skip pattern (the global skip list and its own) matches the frame. */
  boolean skips(Format f, String frame) {
    java.util.concurrent.ConcurrentHashMap<String, Boolean> seen =
        skipped.computeIfAbsent(f.skip(), k -> new java.util.concurrent.ConcurrentHashMap<>());
    Boolean hit = seen.get(frame);
    if (hit == null) {
      hit = f.skip().matcher(frame).find();
      if (seen.size() > 20_000) seen.clear();
      seen.put(frame, hit);
    }
    return hit;
  }

  /** A compiled report format. */
  record Format(String header, List<Segment> title, List<Segment> report, String fmt, List<String> alt,
      List<Pattern> stack, List<Pattern> stack2, Pattern skip, String extractor, boolean noStackTrace,
      boolean corrupted, String source) {
    boolean hasStack() {
      return stack != null;
    }
  }

  /** The formats of one oops header, in order, and the lines with that header that start nothing. */
  record Oops(String header, List<Format> formats, List<Pattern> ignores) {}

  /** A title normalisation step. */
  record Replacement(Pattern match, String with) {}

  final List<Oops> oopses = new ArrayList<>();
  final List<Pattern> blameSkips = new ArrayList<>();
  final List<Pattern> stackStarts = new ArrayList<>();
  final Pattern riscvStackStart;
  final List<Pattern> frames = new ArrayList<>();
  final List<Pattern> corruptedLines = new ArrayList<>();
  final List<String> stripPrefixes = new ArrayList<>();
  final List<Pattern> reportStartIgnores = new ArrayList<>();
  final List<Pattern> infoWithStack = new ArrayList<>();
  final List<Pattern> skipLines = new ArrayList<>();
  /** Patterns after which the rest of a report is left out, once it has this many lines. */
  final Map<Pattern, Integer> cutAfter = new LinkedHashMap<>();
  /** The oops line pattern that lowers the cut threshold (KMSAN), and the lower threshold. */
  final Pattern cutAfterLow;
  final int cutAfterLowLines;
  final List<Pattern> cpuTraceback = new ArrayList<>();
  final List<String> consoleHangup = new ArrayList<>();
  final List<Pattern> corruptedTitles = new ArrayList<>();
  final List<Replacement> titleReplacements = new ArrayList<>();
  final List<Pattern> stallAnchors = new ArrayList<>();
  final Map<String, String> hangAnchors = new LinkedHashMap<>();
  final List<String> hangSkips = new ArrayList<>();
  final Map<String, String> crashTypes = new LinkedHashMap<>();
  /** The oops headers by their first two (ASCII) characters, for {@link #holdsHeader}. */
  private final String[][] headersByFirstTwo = new String[128 * 128][];
  private final long[] headerPairs = new long[128 * 128 / 64];
  /** A header shorter than two characters or beginning outside ASCII: {@link #holdsHeader} cannot rule out. */
  private final boolean headerOutsideAscii;
  /** The oops headers, for the log reader: lines with them start a report. */
  final org.kreplay.ingest.ReportHeaders reportHeaders;
  private final Map<String, String> templates = new LinkedHashMap<>();

  SyzkallerRules(Catalog c) {
    for (CatalogTypes.ReportRuleEntry r : c.reportRules()) {
      if (r.rule().equals("template")) templates.put(r.value(), r.pattern());
    }
    Pattern riscv = null;
    Pattern low = null;
    int lowLines = Integer.MAX_VALUE;
    for (CatalogTypes.ReportRuleEntry r : c.reportRules()) {
      String p = r.pattern();
      switch (r.rule()) {
        case "stack_start" -> stackStarts.add(compile(p));
        case "stack_start_riscv" -> riscv = compile(p);
        case "frame" -> frames.add(compile(p));
        case "corrupted_line" -> corruptedLines.add(compile(p));
        case "strip_frame_prefix" -> stripPrefixes.add(p);
        case "report_start_ignore" -> reportStartIgnores.add(compile(p));
        case "info_with_stack" -> infoWithStack.add(compile(p));
        case "skip_line" -> skipLines.add(compile(p));
        case "cut_after" -> cutAfter.put(compile(p), Integer.parseInt(r.value()));
        case "cut_after_kmsan" -> {
          low = compile(p);
          lowLines = Integer.parseInt(r.value());
        }
        case "cpu_traceback" -> cpuTraceback.add(compile(p));
        case "console_hangup" -> consoleHangup.add(p);
        case "corrupted_title" -> corruptedTitles.add(compile(p));
        case "title_replace" -> titleReplacements.add(new Replacement(compile(p), r.value() == null ? "" : r.value()));
        case "stall_anchor" -> stallAnchors.add(compile(p));
        case "hang_anchor" -> hangAnchors.put(p, r.value() == null ? "" : r.value());
        case "hang_skip" -> hangSkips.add(p);
        case "crash_type" -> crashTypes.put(p, r.value());
        default -> { }
      }
    }
    if (riscv != null) stackStarts.add(riscv);
    riscvStackStart = riscv;
    cutAfterLow = low;
    cutAfterLowLines = lowLines;
    for (CatalogTypes.BlameSkipEntry e : c.blameSkips()) blameSkips.add(compile(e.pattern()));
    Map<String, List<Pattern>> ignores = new LinkedHashMap<>();
    for (CatalogTypes.ReportIgnoreEntry e : c.reportIgnores()) {
      ignores.computeIfAbsent(e.header(), k -> new ArrayList<>()).add(compile(e.pattern()));
    }
    Map<String, List<Format>> byHeader = new LinkedHashMap<>();
    for (CatalogTypes.ReportTitleEntry e : c.reportTitles()) {
      byHeader.computeIfAbsent(e.header(), k -> new ArrayList<>()).add(format(e));
    }
    List<org.kreplay.ingest.ReportHeaders.Header> headers = new ArrayList<>();
    for (Map.Entry<String, List<Format>> en : byHeader.entrySet()) {
      List<Pattern> ig = List.copyOf(ignores.getOrDefault(en.getKey(), List.of()));
      oopses.add(new Oops(en.getKey(), List.copyOf(en.getValue()), ig));
      headers.add(new org.kreplay.ingest.ReportHeaders.Header(en.getKey(), ig));
    }
    reportHeaders = new org.kreplay.ingest.ReportHeaders(headers);
    boolean outside = false;
    for (Oops o : oopses) {
      String h = o.header();
      if (h.length() < 2 || (h.charAt(0) | h.charAt(1)) >= 128) {
        outside = true;
        continue;
      }
      int key = h.charAt(0) << 7 | h.charAt(1);
      String[] had = headersByFirstTwo[key] == null ? new String[0] : headersByFirstTwo[key];
      headersByFirstTwo[key] = java.util.Arrays.copyOf(had, had.length + 1);
      headersByFirstTwo[key][had.length] = h;
      headerPairs[key >>> 6] |= 1L << key;
    }
    headerOutsideAscii = outside;
  }

  private Format format(CatalogTypes.ReportTitleEntry e) {
    // syzkaller joins the global skip patterns and the format's own into one alternation
    Pattern skipRe = null;
    if (e.stack() != null) {
      List<String> all = new ArrayList<>();
      for (Pattern p : blameSkips) all.add(p.pattern());
      if (e.skip() != null) all.addAll(e.skip());
      skipRe = all.isEmpty() ? null : Pattern.compile(String.join("|", all));
    }
    return new Format(e.header(), segments(e.title()), e.report() == null ? null : segments(e.report()), e.fmt(),
        e.alt() == null ? List.of() : List.copyOf(e.alt()), parts(e.stack()), parts(e.stack2()), skipRe, e.extractor(),
        Boolean.TRUE.equals(e.noStackTrace()), Boolean.TRUE.equals(e.corrupted()), e.source());
  }

  private List<Segment> segments(List<String> regexes) {
    List<Segment> out = new ArrayList<>();
    for (String r : regexes) {
      boolean next = r.startsWith("{{NEXT}}");
      out.add(new Segment(compile(next ? r.substring(8) : r), next));
    }
    return List.copyOf(out);
  }

  private List<Pattern> parts(List<String> regexes) {
    if (regexes == null) return null;
    List<Pattern> out = new ArrayList<>();
    for (String r : regexes) out.add(r.equals("{{STACK}}") ? STACK : compile(r));
    return List.copyOf(out);
  }

  /** The regex with its {{TEMPLATES}} expanded (templates may use templates). */
  Pattern compile(String regex) {
    Pattern p = Pattern.compile(expand(regex, templates));
    literals.put(p, RegexLiteral.of(p.pattern()));
    return p;
  }

  private static String expand(String regex, Map<String, String> templates) {
    String r = regex;
    for (int round = 0; round < 4 && r.contains("{{"); round++) {
      for (Map.Entry<String, String> t : templates.entrySet()) r = r.replace(t.getKey(), t.getValue());
    }
    return r;
  }

  // ---- checks while loading (templates are the built-in ones; a user file cannot redefine them per entry)

  private static final Map<String, String> BUILTIN_TEMPLATES = Map.of(
      "{{ADDR}}", "0x[0-9a-f]+", "{{PC}}", "\\[<?(?:0x)?[0-9a-f]+>?\\]", "{{FUNC}}", "([a-zA-Z0-9_]+)(?:\\.|\\+)",
      "{{SRC}}", "([a-zA-Z0-9_/.-]+\\.[a-z]+:[0-9]+)", "{{RIP}}", "(?:IP|PC)", "{{CALLTRACE}}", "Call Trace:",
      "{{NEXT}}", "", "{{STACK}}", "");

  static void checkPattern(String at, String regex) throws Catalog.CatalogException {
    try {
      Pattern.compile(expand(regex, BUILTIN_TEMPLATES));
    } catch (PatternSyntaxException e) {
      throw new Catalog.CatalogException(at + ": bad regex '" + regex + "': " + e.getDescription());
    }
  }

  static void check(String at, CatalogTypes.ReportTitleEntry e) throws Catalog.CatalogException {
    for (List<String> list : List.of(e.title(), nullToEmpty(e.report()), nullToEmpty(e.stack()), nullToEmpty(e.stack2()),
        nullToEmpty(e.skip()))) {
      for (String r : list) checkPattern(at, r);
    }
  }

  private static List<String> nullToEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }
}
