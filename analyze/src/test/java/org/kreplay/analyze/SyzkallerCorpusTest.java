package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.log.KernelLogs;
import org.kreplay.ingest.log.LogReader;
import org.kreplay.ingest.log.Splat;

/**
 * kreplay reads syzkaller's own Linux report test logs (corpora/syzkaller-linux-report, 607 real
 * console logs with syzkaller's answers in their headers) and must agree with syzkaller: find a
 * report exactly where syzkaller does, call the same ones corrupted, title them the same, blame the
 * same function, and group them the same. The per-file outcome is pinned in
 * {@code syzkaller-corpus.golden} (regenerate with {@code -Dkreplay.updateGolden=true} and review
 * the diff); the agreement figures are printed and held to the thresholds.
 */
class SyzkallerCorpusTest {
  private static final Path CORPUS = Path.of("../corpora/syzkaller-linux-report/files");
  private static final Path GOLDEN = Path.of("src/test/resources/org/kreplay/analyze/syzkaller-corpus.golden");
  /** syzkaller's reportFrameRe: a title's frame is the text after its last " in ". */
  private static final Pattern FRAME_RE = Pattern.compile(".* in ((?:<[a-zA-Z0-9_: ]+>)?[a-zA-Z0-9_:]+)");

  /** One test file: syzkaller's answers and the log. */
  record Expected(String name, String title, List<String> alts, String type, String frame, boolean corrupted,
      byte[] log) {
    boolean hasReport() {
      return !title.isEmpty();
    }

    /** The frame syzkaller reports: FRAME:, else the title's; "" for none or "corrupted". */
    String expectedFrame() {
      String f = frame;
      if (f == null) {
        Matcher m = FRAME_RE.matcher(title);
        f = m.find() ? m.group(1) : "";
      }
      return f.equals("corrupted") ? "" : f;
    }

    /** Lock and context reports (lockdep, sleeping/atomic), stalls and hangs, or other. */
    String family() {
      if (type.equals("LOCKDEP") || type.equals("ATOMIC_SLEEP") || title.startsWith("INFO: suspicious RCU usage")) {
        return "lock+context";
      }
      if (type.equals("HANG") || title.startsWith("BUG: workqueue lockup")) return "stall+hang";
      if (type.startsWith("KASAN") || type.startsWith("KMSAN") || type.startsWith("KFENCE") || type.startsWith("KCSAN")
          || type.contains("UBSAN") || type.startsWith("MEMORY_SAFETY") || type.contains("NULL-POINTER")
          || type.equals("LEAK")) {
        return "memory";
      }
      if (type.contains("WARNING")) return "warning";
      return "other";
    }
  }

  /** What kreplay made of one log. */
  record Outcome(Expected want, int reports, SplatVerdict first, String error) {
    SyzkallerReading reading() {
      return first == null ? null : first.syzkaller();
    }

    String title() {
      return reading() == null ? "" : reading().title();
    }

    boolean corrupted() {
      return reading() != null && reading().corrupted();
    }

    String frame() {
      return first == null || first.frame() == null ? "" : first.frame();
    }

    boolean titleAgrees() {
      return want.title.equals(title()) || want.alts.contains(title());
    }

    boolean kindAgrees() {
      if (reading() == null) return false;
      String got = SyzkallerReading.kindPrefix(title());
      if (got.equals(SyzkallerReading.kindPrefix(want.title))) return true;
      for (String a : want.alts) if (got.equals(SyzkallerReading.kindPrefix(a))) return true;
      return false;
    }

    boolean typeAgrees() {
      return reading() != null && reading().type().equals(want.type);
    }
  }

  private static final List<Outcome> OUTCOMES = new ArrayList<>();

  @BeforeAll
  static void readCorpus() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files = new ArrayList<>(s.toList());
    }
    files.sort((a, b) -> Integer.compare(Integer.parseInt(a.getFileName().toString()),
        Integer.parseInt(b.getFileName().toString())));
    for (Path f : files) OUTCOMES.add(read(parse(f)));
  }

  /** syzkaller's test format (pkg/report/report_test.go): headers, a blank line, the log, maybe "REPORT:". */
  static Expected parse(Path file) throws IOException {
    String data = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).replace("\r", "");
    String[] lines = data.split("\n", -1);
    String title = "";
    String type = "UNKNOWN";
    String frame = null;
    boolean corrupted = false;
    List<String> alts = new ArrayList<>();
    int i = 0;
    for (; i < lines.length && !lines[i].isEmpty(); i++) {
      String l = lines[i];
      if (l.startsWith("TITLE: ")) title = l.substring(7);
      else if (l.startsWith("ALT: ")) alts.add(l.substring(5));
      else if (l.startsWith("TYPE: ")) type = l.substring(6);
      else if (l.startsWith("FRAME: ")) frame = l.substring(7);
      else if (l.startsWith("CORRUPTED: ")) corrupted = l.endsWith("Y");
    }
    StringBuilder log = new StringBuilder();
    boolean prevEmpty = false;
    int last = lines.length - (data.endsWith("\n") ? 1 : 0);
    for (i = i + 1; i < last; i++) {
      if (prevEmpty && lines[i].equals("REPORT:")) break;
      log.append(lines[i]).append('\n');
      prevEmpty = lines[i].isEmpty();
    }
    return new Expected(file.getFileName().toString(), title, alts, type, frame, corrupted,
        log.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** kreplay's reading: every report of the log; syzkaller's is the first it would title. */
  static Outcome read(Expected e) {
    int reports = 0;
    SplatVerdict first = null;
    SplatVerdict firstTitled = null;
    try (LogReader r = KernelLogs.open(e.name(), new ByteArrayInputStream(e.log()),
        ReadOptions.defaults().reportHeaders(Catalog.builtin().reportHeaders()))) {
      for (Splat s; (s = r.next()) != null; ) {
        SplatVerdict v = SplatAnalyzer.verdict(s, AnalysisOptions.defaults());
        reports++;
        if (first == null) first = v;
        if (firstTitled == null && v.syzkaller() != null) firstTitled = v;
      }
    } catch (IOException | RuntimeException | StackOverflowError ex) {
      return new Outcome(e, reports, null, ex.toString());
    }
    return new Outcome(e, reports, firstTitled != null ? firstTitled : first, null);
  }

  // ---------------------------------------------------------------- figures

  /** Agreement counts of one measure, with the files that miss it. */
  static final class Tally {
    int agree;
    int total;
    final List<String> misses = new ArrayList<>();

    void add(boolean ok, String name) {
      total++;
      if (ok) agree++;
      else misses.add(name);
    }

    double share() {
      return total == 0 ? 1 : agree / (double) total;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d/%d (%.1f%%)", agree, total, 100 * share());
    }
  }

  static Map<String, Tally> figures() {
    Map<String, Tally> t = new LinkedHashMap<>();
    for (String k : List.of("no exception", "report found where syzkaller finds one", "no report where syzkaller finds none",
        "corrupted", "kind", "type", "syz_title", "frame (all)", "frame lock+context", "frame stall+hang", "frame memory",
        "frame warning", "frame other")) {
      t.put(k, new Tally());
    }
    for (Outcome o : OUTCOMES) {
      Expected e = o.want();
      t.get("no exception").add(o.error() == null, e.name());
      if (!e.hasReport()) {
        t.get("no report where syzkaller finds none").add(o.reports() == 0, e.name());
        continue;
      }
      t.get("report found where syzkaller finds one").add(o.reports() > 0, e.name());
      t.get("corrupted").add(o.corrupted() == e.corrupted(), e.name());
      t.get("kind").add(o.kindAgrees(), e.name());
      t.get("type").add(o.typeAgrees(), e.name());
      t.get("syz_title").add(o.titleAgrees(), e.name());
      if (!e.expectedFrame().isEmpty()) {
        boolean ok = e.expectedFrame().equals(o.frame());
        t.get("frame (all)").add(ok, e.name());
        t.get("frame " + e.family()).add(ok, e.name());
      }
    }
    return t;
  }

  /** Titles that occur in several logs: how many get one kreplay signature, and signatures shared by titles. */
  record Bucketing(int repeatedTitles, int consistent, List<String> split, int signatures, List<String> merged) {}

  static Bucketing bucketing() {
    Map<String, Set<String>> sigsByTitle = new TreeMap<>();
    Map<String, Integer> titleCount = new TreeMap<>();
    Map<String, Set<String>> titlesBySig = new TreeMap<>();
    for (Outcome o : OUTCOMES) {
      if (!o.want().hasReport() || o.first() == null) continue;
      String t = o.want().title();
      titleCount.merge(t, 1, Integer::sum);
      sigsByTitle.computeIfAbsent(t, k -> new LinkedHashSet<>()).add(o.first().signature());
      titlesBySig.computeIfAbsent(o.first().signature(), k -> new LinkedHashSet<>()).add(t);
    }
    int repeated = 0;
    int consistent = 0;
    List<String> split = new ArrayList<>();
    for (Map.Entry<String, Integer> e : titleCount.entrySet()) {
      if (e.getValue() < 2) continue;
      repeated++;
      if (sigsByTitle.get(e.getKey()).size() == 1) consistent++;
      else split.add(e.getKey() + " -> " + sigsByTitle.get(e.getKey()));
    }
    List<String> merged = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : titlesBySig.entrySet()) {
      if (e.getValue().size() > 1) merged.add(e.getKey() + " <- " + e.getValue());
    }
    return new Bucketing(repeated, consistent, split, titlesBySig.size(), merged);
  }

  private static String figuresText() {
    StringBuilder out = new StringBuilder("kreplay vs syzkaller on " + OUTCOMES.size() + " syzkaller test logs\n");
    Map<String, Tally> t = figures();
    for (Map.Entry<String, Tally> e : t.entrySet()) {
      out.append(String.format(Locale.ROOT, "  %-40s %s%n", e.getKey(), e.getValue()));
    }
    Bucketing b = bucketing();
    out.append(String.format(Locale.ROOT, "  %-40s %d/%d titles seen more than once get one signature%n", "bucketing",
        b.consistent(), b.repeatedTitles()));
    out.append(String.format(Locale.ROOT, "  %-40s %d of %d signatures hold several syzkaller titles%n", "confusion",
        b.merged().size(), b.signatures()));
    for (Map.Entry<String, Tally> e : t.entrySet()) {
      if (!e.getValue().misses.isEmpty()) out.append("  misses, ").append(e.getKey()).append(": ").append(e.getValue().misses).append('\n');
    }
    for (String s : b.split()) out.append("  split: ").append(s).append('\n');
    for (String s : b.merged()) out.append("  merged: ").append(s).append('\n');
    return out.toString();
  }

  // ---------------------------------------------------------------- tests

  @Test
  void perFileResultsMatchTheGoldenFile() throws IOException {
    StringBuilder g = new StringBuilder();
    g.append("# kreplay's reading of syzkaller's Linux report test logs (SyzkallerCorpusTest)\n");
    g.append("# file | agreement (T title, K kind, F frame, C corrupted; - disagrees, . not applicable) | syzkaller | kreplay\n");
    for (Outcome o : OUTCOMES) {
      Expected e = o.want();
      StringBuilder flags = new StringBuilder();
      if (e.hasReport()) {
        flags.append(o.titleAgrees() ? 'T' : '-').append(o.kindAgrees() ? 'K' : '-');
        flags.append(e.expectedFrame().isEmpty() ? '.' : e.expectedFrame().equals(o.frame()) ? 'F' : '-');
        flags.append(o.corrupted() == e.corrupted() ? 'C' : '-');
      } else {
        flags.append(o.reports() == 0 ? "none" : "-extra");
      }
      g.append(e.name()).append(" | ").append(flags).append(" | ");
      g.append(e.hasReport() ? e.title() + (e.corrupted() ? " [corrupted]" : "") : "(no report)").append(" | ");
      if (o.error() != null) {
        g.append("ERROR ").append(o.error());
      } else if (o.first() == null) {
        g.append("(no report)");
      } else {
        SplatVerdict v = o.first();
        g.append(v.syzkaller() == null ? "(not titled)" : v.syzTitle() + (v.syzkaller().corrupted()
            ? " [corrupted: " + v.syzkaller().corruptedReason() + "]" : ""));
        g.append("; frame ").append(v.frame() == null ? "-" : v.frame());
        g.append("; kind ").append(v.kind()).append(", culprit ").append(v.culprit());
        if (o.reports() > 1) g.append("; ").append(o.reports()).append(" reports");
      }
      g.append('\n');
    }
    g.append('\n').append(figuresText().lines().map(l -> "# " + l).reduce((a, b) -> a + "\n" + b).orElse("")).append('\n');
    String actual = g.toString();
    if (Boolean.getBoolean("kreplay.updateGolden")) Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
    assertThat(actual).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));
  }

  @Test
  void agreesWithSyzkallerOnTheWholeCorpus() {
    System.out.print(figuresText());
    Map<String, Tally> t = figures();
    assertThat(OUTCOMES).hasSize(607);
    assertThat(t.get("no exception").misses).as("no crash or exception on any log").isEmpty();
    assertThat(t.get("report found where syzkaller finds one").misses).as("a report in every log with a TITLE").isEmpty();
    assertThat(t.get("no report where syzkaller finds none").misses).as("no report in logs without").isEmpty();
    assertThat(t.get("corrupted").share()).as("corrupted " + t.get("corrupted")).isGreaterThanOrEqualTo(0.95);
    assertThat(t.get("kind").share()).as("kind " + t.get("kind")).isGreaterThanOrEqualTo(0.97);
    assertThat(t.get("frame lock+context").share()).as("frame lock+context " + t.get("frame lock+context"))
        .isGreaterThanOrEqualTo(0.95);
    assertThat(t.get("frame (all)").share()).as("frame " + t.get("frame (all)")).isGreaterThanOrEqualTo(0.85);
    assertThat(t.get("syz_title").share()).as("syz_title " + t.get("syz_title")).isGreaterThanOrEqualTo(0.85);
    Bucketing b = bucketing();
    assertThat(b.consistent() / (double) b.repeatedTitles()).as("same title, same signature: " + b.split())
        .isGreaterThanOrEqualTo(0.95);
  }
}
