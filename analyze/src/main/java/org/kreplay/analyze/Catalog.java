package org.kreplay.analyze;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What kernel lock classes and functions mean, as data: lock class → lock type, function →
 * effect (takes a lock, allocates, frees, enqueues a deferral, enters a context), hrtimer and
 * irq_work callbacks → HARD or not, irq handlers that are never threaded, and the frames skipped
 * when looking for a culprit. The built-in catalog (catalog.yaml in this module, every entry
 * with its kernel source) can be extended or overridden by user files with the same format
 * (docs/catalog.md). Entries are typed when loaded ({@link CatalogLoader}): the code compares
 * enums, and every value a file gives is checked, with its file and line, before any is used.
 */
public final class Catalog {
  public static final int SCHEMA_VERSION = 1;
  private static final String BUILTIN = "/org/kreplay/analyze/catalog.yaml";
  /** Part two of the built-in catalog: how syzkaller reads a report (titles, skip lists), as data. */
  private static final String BUILTIN_TITLES = "/org/kreplay/analyze/report-titles.yaml";

  /** A catalog that cannot be used, with where in which file; one line, whatever text of the file it quotes. */
  public static final class CatalogException extends IOException {
    private static final long serialVersionUID = 1L;

    CatalogException(String message) {
      super(YamlMessages.escapeControls(message));
    }
  }

  final Map<String, CatalogTypes.LockClassEntry> exactClasses = new HashMap<>();
  final TreeMap<String, CatalogTypes.LockClassEntry> prefixClasses = new TreeMap<>();
  final Map<String, CatalogTypes.FunctionEntry> functions = new HashMap<>();
  final Map<String, CatalogTypes.HrtimerEntry> hrtimers = new HashMap<>();
  final Map<String, CatalogTypes.IrqWorkEntry> irqWorks = new HashMap<>();
  final Map<CatalogTypes.ContentionFlag, CatalogTypes.ContentionEntry> contention =
      new EnumMap<>(CatalogTypes.ContentionFlag.class);
  final List<CatalogTypes.NamedFact> rtThreads = new ArrayList<>();
  final Map<String, CatalogTypes.IrqEntry> irqs = new HashMap<>();
  final Map<String, CatalogTypes.SkipEntry> skipExact = new HashMap<>();
  final List<CatalogTypes.SkipEntry> skipPrefixes = new ArrayList<>();
  final Set<String> irqWorkRunners = new HashSet<>();
  final Set<String> schedulerCore = new HashSet<>();
  final Set<String> gfpBlocking = new HashSet<>();
  final List<String> files = new ArrayList<>();
  final List<CatalogTypes.ReportTitleEntry> reportTitles = new ArrayList<>();
  final List<CatalogTypes.ReportIgnoreEntry> reportIgnores = new ArrayList<>();
  final List<CatalogTypes.BlameSkipEntry> blameSkips = new ArrayList<>();
  final List<CatalogTypes.ReportRuleEntry> reportRules = new ArrayList<>();
  final Map<String, CatalogTypes.DeferralMechanismEntry> deferralMechanisms = new java.util.LinkedHashMap<>();
  final List<CatalogTypes.NamedFact> tickInterrupts = new ArrayList<>();
  /** Whether the built-in report rules (part two, read on first use) come before this catalog's own. */
  private boolean withBuiltinReportRules;
  private volatile SyzkallerRules syzkallerRules;

  Catalog() {}

  /** Adds every entry of {@code other} (its entries override this one's of the same name). */
  void addAll(Catalog other) {
    exactClasses.putAll(other.exactClasses);
    prefixClasses.putAll(other.prefixClasses);
    functions.putAll(other.functions);
    hrtimers.putAll(other.hrtimers);
    irqWorks.putAll(other.irqWorks);
    contention.putAll(other.contention);
    rtThreads.addAll(other.rtThreads);
    irqs.putAll(other.irqs);
    skipExact.putAll(other.skipExact);
    skipPrefixes.addAll(other.skipPrefixes);
    irqWorkRunners.addAll(other.irqWorkRunners);
    schedulerCore.addAll(other.schedulerCore);
    gfpBlocking.addAll(other.gfpBlocking);
    reportTitles.addAll(other.reportTitles);
    reportIgnores.addAll(other.reportIgnores);
    blameSkips.addAll(other.blameSkips);
    reportRules.addAll(other.reportRules);
    deferralMechanisms.putAll(other.deferralMechanisms);
    tickInterrupts.addAll(other.tickInterrupts);
    withBuiltinReportRules |= other.withBuiltinReportRules;
    files.addAll(other.files);
  }

  /** The shipped catalog, read once: after loading a catalog is only read, so it can be shared. */
  private static final class Shipped {
    static final Catalog CATALOG = readBuiltin(BUILTIN);

    static {
      CATALOG.withBuiltinReportRules = true;
    }
  }

  /**
   * Part two, read on first use: only kernel logs need syzkaller's rules, and a trace's analysis
   * should not pay for reading them.
   */
  private static final class ShippedReportRules {
    static final Catalog RULES = readBuiltin(BUILTIN_TITLES);
  }

  /**
   * Reads a built-in resource as the build compiled it to JSON ({@link CatalogCompiler}); from the
   * YAML itself where the compiled copy is missing (classes run from an IDE's own build).
   */
  private static Catalog readBuiltin(String yamlResource) {
    Catalog c = new Catalog();
    try (InputStream json = Catalog.class.getResourceAsStream(CatalogCompiler.compiledName(yamlResource))) {
      if (json != null) {
        CatalogLoader.loadCompiled(c, "built-in catalog", json);
        return c;
      }
      try (InputStream in = Catalog.class.getResourceAsStream(yamlResource)) {
        if (in == null) throw new IllegalStateException("built-in catalog missing: " + yamlResource);
        CatalogLoader.load(c, "built-in catalog", in);
      }
    } catch (IOException e) {
      throw new IllegalStateException("built-in catalog is invalid: " + e.getMessage(), e);
    }
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
    Catalog c = new Catalog();
    c.addAll(builtin());
    for (Path p : userFiles) {
      if (!Files.isRegularFile(p)) throw new CatalogException(p + ": no such catalog file");
      try (InputStream in = Files.newInputStream(p)) {
        CatalogLoader.load(c, p.toString(), in);
      }
    }
    return c;
  }

  /** An empty catalog plus the given YAML text (for tests and embedding). */
  public static Catalog of(String name, String yaml) throws IOException {
    return read(name, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }

  /** An empty catalog plus the file read from {@code in}, bytes as a user's file gives them (for the fuzz target). */
  static Catalog read(String name, InputStream in) throws IOException {
    Catalog c = new Catalog();
    CatalogLoader.load(c, name, in);
    return c;
  }

  // ---- syzkaller's report rules

  /** syzkaller's oops formats, in catalog order. */
  public List<CatalogTypes.ReportTitleEntry> reportTitles() {
    return withBuiltin(c -> c.reportTitles);
  }

  public List<CatalogTypes.ReportIgnoreEntry> reportIgnores() {
    return withBuiltin(c -> c.reportIgnores);
  }

  public List<CatalogTypes.BlameSkipEntry> blameSkips() {
    return withBuiltin(c -> c.blameSkips);
  }

  public List<CatalogTypes.ReportRuleEntry> reportRules() {
    return withBuiltin(c -> c.reportRules);
  }

  /** One report-rule list: the built-in entries (when this catalog has them), then this catalog's own. */
  private <T> List<T> withBuiltin(java.util.function.Function<Catalog, List<T>> list) {
    if (!withBuiltinReportRules) return Collections.unmodifiableList(list.apply(this));
    List<T> all = new ArrayList<>(list.apply(ShippedReportRules.RULES));
    all.addAll(list.apply(this));
    return Collections.unmodifiableList(all);
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

  // ---- lookups

  /** The files this catalog was built from, built-in first. */
  public List<String> files() {
    return Collections.unmodifiableList(files);
  }

  public int lockClassCount() {
    return exactClasses.size() + prefixClasses.size();
  }

  /** The entry for a lock class name (exact, else the longest matching prefix), or null. */
  public CatalogTypes.LockClassEntry lockClass(String className) {
    if (className == null) return null;
    CatalogTypes.LockClassEntry e = exactClasses.get(className);
    if (e != null) return e;
    // Lockdep appends "#2" (class key version) or "/1" (subclass) to names; match without them.
    String base = baseClassName(className);
    if (!base.equals(className)) {
      e = exactClasses.get(base);
      if (e != null) return e;
    }
    CatalogTypes.LockClassEntry best = null;
    for (Map.Entry<String, CatalogTypes.LockClassEntry> p : prefixClasses.entrySet()) {
      if (base.startsWith(p.getKey()) && (best == null || p.getKey().length() > best.name().length())) {
        best = p.getValue();
      }
    }
    return best;
  }

  /** The lock type of a class, or null when the catalog does not know it. */
  public LockType lockType(String className) {
    CatalogTypes.LockClassEntry e = lockClass(className);
    return e == null ? null : e.type();
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
  public CatalogTypes.FunctionEntry function(String name) {
    if (name == null) return null;
    CatalogTypes.FunctionEntry e = functions.get(name);
    return e != null ? e : functions.get(stripSuffix(name));
  }

  /** An hrtimer callback's entry (mode and kernel source), or null when the catalog does not know it. */
  public CatalogTypes.HrtimerEntry hrtimerCallback(String callback) {
    return callback == null ? null : hrtimers.get(stripSuffix(callback));
  }

  /** The RT-only thread whose name {@code comm} starts with ("irq_work/"), or null. */
  public CatalogTypes.NamedFact rtOnlyThread(String comm) {
    if (comm == null) return null;
    for (CatalogTypes.NamedFact t : rtThreads) if (comm.startsWith(t.name())) return t;
    return null;
  }

  /** The deferral mechanism {@code kreplay whatif --via NAME} names, or null. */
  public CatalogTypes.DeferralMechanismEntry deferralMechanism(String name) {
    return deferralMechanisms.get(name);
  }

  /** Every deferral mechanism, in catalog order. */
  public java.util.Collection<CatalogTypes.DeferralMechanismEntry> deferralMechanisms() {
    return java.util.Collections.unmodifiableCollection(deferralMechanisms.values());
  }

  /** The context labels (globs) of the interrupt that is the scheduler tick: "local_timer vector", "irq * (arch_timer)". */
  public List<CatalogTypes.NamedFact> tickInterrupts() {
    return java.util.Collections.unmodifiableList(tickInterrupts);
  }

  /** What the lock code holds when it traces contention_begin with this LCB_F_* flag, or null. */
  public CatalogTypes.ContentionEntry contentionBegin(CatalogTypes.ContentionFlag flag) {
    return contention.get(flag);
  }

  /** Whether an irq_work callback is IRQ_WORK_HARD_IRQ; null when unknown. */
  public Boolean irqWorkHard(String callback) {
    if (callback == null) return null;
    CatalogTypes.IrqWorkEntry e = irqWorks.get(stripSuffix(callback));
    return e == null ? null : e.hard();
  }

  /** Whether a device interrupt handler is never force-threaded (NO_THREAD, PERCPU, ONESHOT). */
  public boolean irqNeverThreaded(String irqName) {
    if (irqName == null) return false;
    CatalogTypes.IrqEntry e = irqs.get(irqName);
    return e != null && !e.flags().isEmpty();
  }

  /** Whether {@code fn} enqueues work of {@code mechanism} (catalog effect enqueue). */
  public boolean enqueues(String fn, Mechanism mechanism) {
    CatalogTypes.FunctionEntry e = function(fn);
    return e != null && e.effect() == CatalogTypes.Effect.ENQUEUE && e.mechanism() == mechanism;
  }

  /** Whether {@code fn} calls irq_work callbacks itself (a callback traced with it as parent runs as irq_work). */
  public boolean runsIrqWorkCallbacks(String fn) {
    return fn != null && irqWorkRunners.contains(stripSuffix(fn));
  }

  /** Whether {@code fn} is the scheduler's own code, which runs with preemption disabled by __schedule(). */
  public boolean schedulerCore(String fn) {
    return fn != null && schedulerCore.contains(stripSuffix(fn));
  }

  /** Whether gfp flags ("GFP_KERNEL|__GFP_ZERO") allow direct reclaim (gfpflags_allow_blocking()), by name. */
  public boolean gfpAllowsBlocking(String gfp) {
    if (gfp == null) return false;
    for (String f : gfp.split("\\|")) if (gfpBlocking.contains(f)) return true;
    return false;
  }

  // ---- frames that are infrastructure

  /** Whether a frame is infrastructure (locking, lockdep, allocator, printk, tracing…) rather than a culprit. */
  public boolean skipFrame(String frame) {
    return frame == null || skipReason(frame) != null;
  }

  /** Whether a frame belongs to the tracer, a probe handler or lockdep. */
  public boolean tracingFrame(String frame) {
    CatalogTypes.SkipReason why = skipReason(frame);
    return why != null && why.tracing();
  }

  /**
   * Whether a frame is a kprobe/fprobe handler's: a stack that starts with such frames was
   * recorded by the probe's stacktrace trigger, on top of the probed function.
   */
  public boolean probeFrame(String frame) {
    return skipReason(frame) == CatalogTypes.SkipReason.PROBE;
  }

  /** Whether a frame is an interrupt's entry: frames beyond it belong to the interrupted code. */
  public boolean irqEntryFrame(String frame) {
    return skipReason(frame) == CatalogTypes.SkipReason.IRQ_ENTRY;
  }

  /** Why a frame is skipped when looking for a culprit (locking, irq entry, …), or null if it is not. */
  public CatalogTypes.SkipReason skipReason(String frame) {
    if (frame == null) return null;
    // Frames repeat endlessly across events and reports; the prefix scan is done once per name.
    Object cached = reasons.get(frame);
    if (cached != null) return cached == NOT_SKIPPED ? null : (CatalogTypes.SkipReason) cached;
    String f = stripSuffix(frame);
    CatalogTypes.SkipReason why = null;
    CatalogTypes.SkipEntry e = skipExact.get(f);
    if (e != null) {
      why = e.why();
    } else {
      for (CatalogTypes.SkipEntry p : skipPrefixes) {
        if (f.startsWith(p.name())) {
          why = p.why();
          break;
        }
      }
    }
    if (reasons.size() < MAX_CACHED) reasons.put(frame, why == null ? NOT_SKIPPED : why);
    return why;
  }

  /**
   * The culprit of a call trace given innermost first: the first frame that is not
   * infrastructure, or null. The search stops at an interrupt entry: frames beyond it belong to
   * the interrupted code. There, the innermost subsystem frame that ran the work (rcu_do_batch(),
   * a timer or workqueue runner) stands in.
   */
  public String culpritOf(List<String> frames) {
    String runner = null;
    for (String f : frames) {
      CatalogTypes.SkipReason why = skipReason(f);
      if (why == null) return stripSuffix(f);
      if (why == CatalogTypes.SkipReason.IRQ_ENTRY) return runner;
      if (runner == null && why.runsWork()) runner = stripSuffix(f);
    }
    return runner;
  }

  /** Cached for a frame that is not skipped (the map holds no nulls). */
  private static final Object NOT_SKIPPED = new Object();
  private static final int MAX_CACHED = 100_000;
  /** skipReason() per frame name as given; filled after loading only, so shared readers see a fixed catalog. */
  private final ConcurrentHashMap<String, Object> reasons = new ConcurrentHashMap<>();

  /** "refill_obj_stock.part.0" → "refill_obj_stock". */
  public static String stripSuffix(String name) {
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
