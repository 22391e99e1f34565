package org.kreplay.analyze;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What kernel lock classes and functions mean, as data: lock class → lock type, function →
 * effect (takes a lock, allocates, frees, enqueues a deferral, enters a context), hrtimer and
 * irq_work callbacks → HARD or not, irq handlers that are never threaded, and the frames skipped
 * when looking for a culprit. The built-in catalog (catalog.yaml in this module, every entry
 * with its kernel source) can be extended or overridden by user files with the same format.
 */
public final class Catalog {
  public static final int SCHEMA_VERSION = 1;
  private static final String BUILTIN = "/org/kreplay/analyze/catalog.yaml";
  /** Part two of the built-in catalog: how syzkaller reads a report (titles, skip lists), as data. */
  private static final String BUILTIN_TITLES = "/org/kreplay/analyze/report-titles.yaml";

  /** A lock class entry. */
  public record LockClassEntry(String name, String type, String source, String match, String note) {}

  /** A function entry. */
  public record FunctionEntry(String name, String effect, String lockType, Boolean read, String irq,
      String context, String mechanism, Boolean rtOnly, String source) {}

  /** An hrtimer callback and the mode its timer is set up with. */
  public record HrtimerEntry(String name, String mode, String source) {}

  /**
   * What the lock code has disabled when it emits contention_begin with this flag (RT, MUTEX): the
   * event's flags then show its wait_lock, not the caller.
   */
  public record ContentionEntry(String flag, boolean irqsOff, int preempt, String source) {}

  /** A kernel thread name prefix ("irq_work/") that only PREEMPT_RT kernels have. */
  public record RtThreadEntry(String name, String source) {}

  /** An irq_work callback and whether it is IRQ_WORK_HARD_IRQ. */
  public record IrqWorkEntry(String name, boolean hard, String source) {}

  /** A device or IPI interrupt handler name and its threading flags. */
  public record IrqEntry(String name, List<String> flags, String source) {}

  /** A frame (or frame prefix) that is infrastructure, not a culprit. */
  public record SkipEntry(String name, String match, String why) {}

  /** A frame syzkaller never blames (linux.go's linuxStackParams.skipPatterns), as a regex. */
  public record BlameSkipEntry(String pattern, String why, String source) {}

  /** A line with an oops header that does not start a report (linux.go's oops suppressions). */
  public record ReportIgnoreEntry(String header, String pattern, String source) {}

  /** One of syzkaller's report-reading rules (stack starts, frame regexes, title normalisation, …). */
  public record ReportRuleEntry(String rule, String pattern, String value, String source) {}

  /** One of syzkaller's oops formats: the header, title regex, title format and stack parts. */
  public record ReportTitleEntry(String header,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> title,
      List<String> report, String fmt, List<String> alt, List<String> stack, List<String> stack2,
      List<String> skip, String extractor, Boolean noStackTrace, Boolean corrupted, String source) {}

  /** A catalog that cannot be used, with where in which file; one line, whatever text of the file it quotes. */
  public static final class CatalogException extends IOException {
    private static final long serialVersionUID = 1L;

    CatalogException(String message) {
      super(YamlMessages.escapeControls(message));
    }
  }

  private final Map<String, LockClassEntry> exactClasses = new HashMap<>();
  private final TreeMap<String, LockClassEntry> prefixClasses = new TreeMap<>();
  private final Map<String, FunctionEntry> functions = new HashMap<>();
  private final Map<String, HrtimerEntry> hrtimers = new HashMap<>();
  private final Map<String, IrqWorkEntry> irqWorks = new HashMap<>();
  private final Map<String, ContentionEntry> contention = new HashMap<>();
  private final List<RtThreadEntry> rtThreads = new ArrayList<>();
  private final Map<String, IrqEntry> irqs = new HashMap<>();
  private final Map<String, SkipEntry> skipExact = new HashMap<>();
  private final List<SkipEntry> skipPrefixes = new ArrayList<>();
  private final List<String> files = new ArrayList<>();
  private final List<ReportTitleEntry> reportTitles = new ArrayList<>();
  private final List<ReportIgnoreEntry> reportIgnores = new ArrayList<>();
  private final List<BlameSkipEntry> blameSkips = new ArrayList<>();
  private final List<ReportRuleEntry> reportRules = new ArrayList<>();
  private volatile SyzkallerRules syzkallerRules;

  private Catalog() {}

  /** Duplicate keys are refused: with them one of the user's values would be dropped without a word. */
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** The shipped catalog, read once: after loading a catalog is only read, so it can be shared. */
  private static final class Shipped {
    static final Catalog CATALOG = readBuiltin();
  }

  private static Catalog readBuiltin() {
    Catalog c = new Catalog();
    for (String resource : new String[] {BUILTIN, BUILTIN_TITLES}) {
      try (InputStream in = Catalog.class.getResourceAsStream(resource)) {
        if (in == null) throw new IllegalStateException("built-in catalog missing: " + resource);
        c.load("built-in catalog", in);
      } catch (IOException e) {
        throw new IllegalStateException("built-in catalog is invalid: " + e.getMessage(), e);
      }
    }
    c.files.subList(1, c.files.size()).clear(); // two resources, one built-in catalog
    return c;
  }

  /** The catalog shipped with kreplay (shared; read on first use). */
  public static Catalog builtin() {
    return Shipped.CATALOG;
  }

  /**
   * Reads the shipped catalog in the background, so a command line can overlap it with opening
   * its inputs (it is needed once the first event is read).
   */
  public static void preload() {
    Thread t = new Thread(Catalog::builtin, "catalog-preload");
    t.setDaemon(true);
    t.start();
  }

  /** The built-in catalog with the entries of these user files added or overriding, in order. */
  public static Catalog builtinWith(List<Path> userFiles) throws IOException {
    Catalog shipped = builtin();
    Catalog c = new Catalog();
    c.exactClasses.putAll(shipped.exactClasses);
    c.prefixClasses.putAll(shipped.prefixClasses);
    c.functions.putAll(shipped.functions);
    c.hrtimers.putAll(shipped.hrtimers);
    c.irqWorks.putAll(shipped.irqWorks);
    c.contention.putAll(shipped.contention);
    c.rtThreads.addAll(shipped.rtThreads);
    c.irqs.putAll(shipped.irqs);
    c.skipExact.putAll(shipped.skipExact);
    c.skipPrefixes.addAll(shipped.skipPrefixes);
    c.reportTitles.addAll(shipped.reportTitles);
    c.reportIgnores.addAll(shipped.reportIgnores);
    c.blameSkips.addAll(shipped.blameSkips);
    c.reportRules.addAll(shipped.reportRules);
    c.files.addAll(shipped.files);
    for (Path p : userFiles) {
      if (!Files.isRegularFile(p)) throw new CatalogException(p + ": no such catalog file");
      try (InputStream in = Files.newInputStream(p)) {
        c.load(p.toString(), in);
      }
    }
    return c;
  }

  /** An empty catalog plus the given YAML text (for tests and embedding). */
  public static Catalog of(String name, String yaml) throws IOException {
    return read(name, new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** An empty catalog plus the file read from {@code in}, bytes as a user's file gives them (for the fuzz target). */
  static Catalog read(String name, InputStream in) throws IOException {
    Catalog c = new Catalog();
    c.load(name, in);
    return c;
  }

  /**
   * Reads a catalog file entry by entry, so every problem names the line of the entry it is in
   * (the whole file is checked before any of it is used).
   */
  private void load(String name, InputStream in) throws IOException {
    Catalog staged = new Catalog();
    int schema = -1;
    try (JsonParser p = YAML.getFactory().createParser(in)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new CatalogException(name + ": empty catalog");
      if (t != JsonToken.START_OBJECT) throw problem(name, p, "expected a mapping with schema_version and sections");
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String section = p.currentName();
        p.nextToken();
        if (section.equals("schema_version")) {
          schema = p.getValueAsInt(-1);
          if (schema != SCHEMA_VERSION) {
            throw problem(name, p, "schema_version " + p.getText() + " is not " + SCHEMA_VERSION);
          }
          continue;
        }
        Class<?> type = SECTIONS.get(section);
        if (type == null) {
          throw problem(name, p, "unknown section '" + section + "' (known: schema_version, "
              + String.join(", ", SECTIONS.keySet()) + ")");
        }
        if (p.currentToken() == JsonToken.VALUE_NULL) continue;
        if (p.currentToken() != JsonToken.START_ARRAY) throw problem(name, p, section + " must be a list");
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          long line = p.currentLocation().getLineNr();
          String at = name + ":" + line + ": " + section + "[" + index++ + "]";
          Object entry;
          try {
            entry = YAML.readValue(p, type);
          } catch (UnrecognizedPropertyException e) {
            throw new CatalogException(at + ": unknown field '" + e.getPropertyName() + "' (known: "
                + String.join(", ", fieldNames(type)) + ")");
          } catch (JsonProcessingException e) {
            throw new CatalogException(at + ": " + YamlMessages.readable(e.getOriginalMessage()));
          }
          staged.add(at, entry);
        }
      }
      if (t != JsonToken.END_OBJECT && t != null) throw problem(name, p, "unexpected " + t);
      if (t != null && p.nextToken() != null) {
        throw problem(name, p, "a second YAML document: a catalog file holds one (its entries would be ignored)");
      }
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String where = l == null ? name : name + ":" + l.getLineNr() + ":" + l.getColumnNr();
      throw new CatalogException(where + ": " + YamlMessages.readable(e.getOriginalMessage()));
    }
    if (schema < 0) throw new CatalogException(name + ": schema_version missing (it is " + SCHEMA_VERSION + ")");
    exactClasses.putAll(staged.exactClasses);
    prefixClasses.putAll(staged.prefixClasses);
    functions.putAll(staged.functions);
    hrtimers.putAll(staged.hrtimers);
    irqWorks.putAll(staged.irqWorks);
    contention.putAll(staged.contention);
    rtThreads.addAll(staged.rtThreads);
    irqs.putAll(staged.irqs);
    skipExact.putAll(staged.skipExact);
    skipPrefixes.addAll(staged.skipPrefixes);
    reportTitles.addAll(staged.reportTitles);
    reportIgnores.addAll(staged.reportIgnores);
    blameSkips.addAll(staged.blameSkips);
    reportRules.addAll(staged.reportRules);
    files.add(name);
  }

  private static final Map<String, Class<?>> SECTIONS = new java.util.LinkedHashMap<>();

  static {
    SECTIONS.put("lock_classes", LockClassEntry.class);
    SECTIONS.put("functions", FunctionEntry.class);
    SECTIONS.put("hrtimer_callbacks", HrtimerEntry.class);
    SECTIONS.put("irq_work_callbacks", IrqWorkEntry.class);
    SECTIONS.put("contention_begin", ContentionEntry.class);
    SECTIONS.put("rt_only_threads", RtThreadEntry.class);
    SECTIONS.put("irqs", IrqEntry.class);
    SECTIONS.put("skip_frames", SkipEntry.class);
    SECTIONS.put("report_titles", ReportTitleEntry.class);
    SECTIONS.put("report_ignores", ReportIgnoreEntry.class);
    SECTIONS.put("blame_skip", BlameSkipEntry.class);
    SECTIONS.put("report_rules", ReportRuleEntry.class);
  }

  private static List<String> fieldNames(Class<?> type) {
    List<String> names = new ArrayList<>();
    for (var c : type.getRecordComponents()) {
      names.add(PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(c.getName()));
    }
    return names;
  }

  private static CatalogException problem(String file, JsonParser p, String what) {
    return new CatalogException(file + ":" + p.currentLocation().getLineNr() + ": " + what);
  }

  /** Checks one entry and files it; {@code at} is "file:line: section[i]". */
  private void add(String at, Object entry) throws CatalogException {
    if (entry instanceof LockClassEntry e) {
      require(at, e.name(), "name");
      require(at, e.type(), "type of " + e.name());
      if (LockType.parse(e.type()) == null) {
        throw new CatalogException(at + ": lock class '" + e.name() + "': unknown type '" + e.type() + "' (known: "
            + knownLockTypes() + ")");
      }
      if ("prefix".equals(e.match())) prefixClasses.put(e.name(), e);
      else if (e.match() == null || "exact".equals(e.match())) exactClasses.put(e.name(), e);
      else throw new CatalogException(at + ": lock class '" + e.name() + "': match must be exact or prefix");
    } else if (entry instanceof FunctionEntry e) {
      require(at, e.name(), "name");
      require(at, e.effect(), "effect of " + e.name());
      if (!EFFECTS.contains(e.effect())) {
        throw new CatalogException(at + ": function '" + e.name() + "': unknown effect '" + e.effect() + "' (known: "
            + String.join(", ", new java.util.TreeSet<>(EFFECTS)) + ")");
      }
      if (e.lockType() != null && LockType.parse(e.lockType()) == null) {
        throw new CatalogException(at + ": function '" + e.name() + "': unknown lock_type '" + e.lockType() + "'");
      }
      functions.put(e.name(), e);
    } else if (entry instanceof HrtimerEntry e) {
      require(at, e.name(), "name");
      if (modeBits(e.mode()) < 0) {
        throw new CatalogException(at + ": hrtimer callback '" + e.name() + "': mode must be HARD, SOFT or plain");
      }
      hrtimers.put(e.name(), e);
    } else if (entry instanceof IrqWorkEntry e) {
      require(at, e.name(), "name");
      irqWorks.put(e.name(), e);
    } else if (entry instanceof ContentionEntry e) {
      require(at, e.flag(), "flag");
      if (!CONTENTION_FLAGS.contains(e.flag())) {
        throw new CatalogException(at + ": contention_begin flag '" + e.flag() + "' is not one the tracepoint has (known: "
            + String.join(", ", CONTENTION_FLAGS) + ")");
      }
      if (e.preempt() < 0) throw new CatalogException(at + ": contention_begin " + e.flag() + ": preempt must be 0 or more");
      contention.put(e.flag(), e);
    } else if (entry instanceof RtThreadEntry e) {
      require(at, e.name(), "name");
      rtThreads.add(e);
    } else if (entry instanceof IrqEntry e) {
      require(at, e.name(), "name");
      irqs.put(e.name(), e);
    } else if (entry instanceof SkipEntry e) {
      require(at, e.name(), "name");
      if ("prefix".equals(e.match())) skipPrefixes.add(e);
      else if (e.match() == null || "exact".equals(e.match())) skipExact.put(e.name(), e);
      else throw new CatalogException(at + ": skip frame '" + e.name() + "': match must be exact or prefix");
    } else if (entry instanceof ReportTitleEntry e) {
      require(at, e.header(), "header");
      if (e.title() == null || e.title().isEmpty()) throw new CatalogException(at + ": missing title of " + e.header());
      require(at, e.fmt(), "fmt of " + e.header());
      if (e.extractor() != null && !e.extractor().equals("stall") && !e.extractor().equals("hang")) {
        throw new CatalogException(at + ": report title '" + e.fmt() + "': extractor must be stall or hang");
      }
      SyzkallerRules.check(at, e);
      reportTitles.add(e);
    } else if (entry instanceof ReportIgnoreEntry e) {
      require(at, e.header(), "header");
      require(at, e.pattern(), "pattern");
      SyzkallerRules.checkPattern(at, e.pattern());
      reportIgnores.add(e);
    } else if (entry instanceof BlameSkipEntry e) {
      require(at, e.pattern(), "pattern");
      SyzkallerRules.checkPattern(at, e.pattern());
      blameSkips.add(e);
    } else if (entry instanceof ReportRuleEntry e) {
      require(at, e.rule(), "rule");
      if (!SyzkallerRules.RULES.contains(e.rule())) {
        throw new CatalogException(at + ": unknown rule '" + e.rule() + "' (known: "
            + String.join(", ", new TreeSet<>(SyzkallerRules.RULES)) + ")");
      }
      require(at, e.pattern(), "pattern of " + e.rule());
      if (!Set.of("template", "crash_type", "strip_frame_prefix", "hang_skip").contains(e.rule())) {
        SyzkallerRules.checkPattern(at, e.pattern());
      }
      reportRules.add(e);
    }
  }

  /** syzkaller's oops formats, in catalog order. */
  public List<ReportTitleEntry> reportTitles() {
    return Collections.unmodifiableList(reportTitles);
  }

  public List<ReportIgnoreEntry> reportIgnores() {
    return Collections.unmodifiableList(reportIgnores);
  }

  public List<BlameSkipEntry> blameSkips() {
    return Collections.unmodifiableList(blameSkips);
  }

  public List<ReportRuleEntry> reportRules() {
    return Collections.unmodifiableList(reportRules);
  }

  /** The lines that start a report as syzkaller reads logs (its oops headers), for the log reader. */
  public org.kreplay.ingest.ReportHeaders reportHeaders() {
    return syzkallerRules().reportHeaders;
  }

  /** The report-title rules compiled, once per catalog. */
  SyzkallerRules syzkallerRules() {
    SyzkallerRules r = syzkallerRules;
    if (r == null) {
      synchronized (this) {
        r = syzkallerRules;
        if (r == null) syzkallerRules = r = new SyzkallerRules(this);
      }
    }
    return r;
  }

  private static String knownLockTypes() {
    List<String> names = new ArrayList<>();
    for (LockType t : LockType.values()) names.add(t.label());
    return String.join(", ", names);
  }

  private static void require(String at, String value, String what) throws CatalogException {
    if (value == null || value.isBlank()) throw new CatalogException(at + ": missing " + what);
  }

  /** HRTIMER_MODE bits of HARD (0x8), SOFT (0x4), plain (0), or -1. */
  static int modeBits(String mode) {
    if (mode == null) return -1;
    switch (mode.toUpperCase(Locale.ROOT)) {
      case "HARD": return 0x8;
      case "SOFT": return 0x4;
      case "PLAIN": return 0;
      default: return -1;
    }
  }

  // ---- lookups

  /** The files this catalog was built from, built-in first. */
  public List<String> files() {
    return Collections.unmodifiableList(files);
  }

  public int lockClassCount() {
    return exactClasses.size() + prefixClasses.size();
  }

  /** The entry for a lock class name (exact, else the longest matching prefix), or null. */
  public LockClassEntry lockClass(String className) {
    if (className == null) return null;
    LockClassEntry e = exactClasses.get(className);
    if (e != null) return e;
    // Lockdep appends "#2" (class key version) or "/1" (subclass) to names; match without them.
    String base = baseClassName(className);
    if (!base.equals(className)) {
      e = exactClasses.get(base);
      if (e != null) return e;
    }
    LockClassEntry best = null;
    for (Map.Entry<String, LockClassEntry> p : prefixClasses.entrySet()) {
      if (base.startsWith(p.getKey()) && (best == null || p.getKey().length() > best.name().length())) {
        best = p.getValue();
      }
    }
    return best;
  }

  /** The lock type of a class, or null when the catalog does not know it. */
  public LockType lockType(String className) {
    LockClassEntry e = lockClass(className);
    return e == null ? null : LockType.parse(e.type());
  }

  static String baseClassName(String name) {
    int i = name.length();
    int hash = name.lastIndexOf('#');
    int slash = name.lastIndexOf('/');
    if (hash > 0 && name.substring(hash + 1).chars().allMatch(Character::isDigit)) i = Math.min(i, hash);
    if (slash > 0 && slash < i && name.substring(slash + 1, i).chars().allMatch(Character::isDigit)) i = slash;
    return name.substring(0, i);
  }

  /** A function by name, compiler suffixes (.part.0, .cold, .isra.0, .constprop.0) ignored; or null. */
  public FunctionEntry function(String name) {
    if (name == null) return null;
    FunctionEntry e = functions.get(name);
    return e != null ? e : functions.get(stripSuffix(name));
  }

  /** The HRTIMER_MODE bits (HARD 0x8, SOFT 0x4, plain 0) a callback is set up with, or -1. */
  public int hrtimerMode(String callback) {
    if (callback == null) return -1;
    HrtimerEntry e = hrtimers.get(stripSuffix(callback));
    return e == null ? -1 : modeBits(e.mode());
  }

  /** An hrtimer callback's entry (mode and kernel source), or null when the catalog does not know it. */
  public HrtimerEntry hrtimerCallback(String callback) {
    return callback == null ? null : hrtimers.get(stripSuffix(callback));
  }

  /** The LCB_F_* flags of lock:contention_begin, bit 0 first (include/trace/events/lock.h). */
  public static final List<String> CONTENTION_FLAGS = List.of("SPIN", "READ", "WRITE", "RT", "PERCPU", "MUTEX");

  /** The RT-only thread whose name {@code comm} starts with ("irq_work/"), or null. */
  public RtThreadEntry rtOnlyThread(String comm) {
    if (comm == null) return null;
    for (RtThreadEntry t : rtThreads) if (comm.startsWith(t.name())) return t;
    return null;
  }

  /** What the lock code holds when it traces contention_begin with this LCB_F_* flag, or null. */
  public ContentionEntry contentionBegin(String flag) {
    return contention.get(flag);
  }

  /** Whether an irq_work callback is IRQ_WORK_HARD_IRQ; null when unknown. */
  public Boolean irqWorkHard(String callback) {
    if (callback == null) return null;
    IrqWorkEntry e = irqWorks.get(stripSuffix(callback));
    return e == null ? null : e.hard();
  }

  /** Whether a device interrupt handler is never force-threaded (NO_THREAD, PERCPU, ONESHOT). */
  public boolean irqNeverThreaded(String irqName) {
    if (irqName == null) return false;
    IrqEntry e = irqs.get(irqName);
    return e != null && e.flags() != null && !e.flags().isEmpty();
  }

  /** Whether a frame is infrastructure (locking, lockdep, allocator, printk, tracing…) rather than a culprit. */
  public boolean skipFrame(String frame) {
    return frame == null || skipReason(frame) != null;
  }

  /** Whether a frame belongs to the tracer, a probe handler or lockdep (why "tracing", "probe" or "lockdep"). */
  public boolean tracingFrame(String frame) {
    String why = skipReason(frame);
    return "tracing".equals(why) || "probe".equals(why) || "lockdep".equals(why);
  }

  /**
   * Whether a frame is a kprobe/fprobe handler's (why "probe"): a stack that starts with such frames
   * was recorded by the probe's stacktrace trigger, on top of the probed function.
   */
  public boolean probeFrame(String frame) {
    return "probe".equals(skipReason(frame));
  }

  /** Why a frame is skipped when looking for a culprit ("locking", "irq_entry", …), or null if it is not. */
  public String skipReason(String frame) {
    if (frame == null) return null;
    // Frames repeat endlessly across events and reports; the prefix scan is done once per name.
    String cached = reasons.get(frame);
    if (cached != null) return cached == NOT_SKIPPED ? null : cached;
    String f = stripSuffix(frame);
    String why = null;
    SkipEntry e = skipExact.get(f);
    if (e != null) {
      why = e.why() == null ? "" : e.why();
    } else {
      for (SkipEntry p : skipPrefixes) {
        if (f.startsWith(p.name())) {
          why = p.why() == null ? "" : p.why();
          break;
        }
      }
    }
    if (reasons.size() < MAX_CACHED) reasons.put(frame, why == null ? NOT_SKIPPED : why);
    return why;
  }

  private static final String NOT_SKIPPED = new String("(not skipped)");
  private static final int MAX_CACHED = 100_000;
  /** skipReason() per frame name as given; filled after loading only, so shared readers see a fixed catalog. */
  private final java.util.concurrent.ConcurrentHashMap<String, String> reasons = new java.util.concurrent.ConcurrentHashMap<>();

  /** "refill_obj_stock.part.0" → "refill_obj_stock". */
  public static String stripSuffix(String name) {
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** Effects of function entries, for callers that switch on them. */
  public static final Set<String> EFFECTS =
      Set.of("lock", "trylock", "unlock", "alloc", "free", "may_sleep", "enqueue", "context", "rt_defers");
}
