package org.kreplay.ingest.internal.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.ReadLimits;
import org.kreplay.ingest.internal.Bytes;
import org.kreplay.ingest.log.ChainLink;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.LabeledStack;
import org.kreplay.ingest.log.LockLine;
import org.kreplay.ingest.log.Section;
import org.kreplay.ingest.log.Splat;
import org.kreplay.ingest.log.SplatKind;

/**
 * Assembles one report from its lines: which stack a frame belongs to (the main call trace, a chain
 * link, a labelled stack such as "Preemption disabled at:"), the section markers around it, which lock
 * a lock line names (the one being acquired, held, the irq-safe one...), and the facts. Says for every
 * line whether it belongs to the report, so that the caller can end the report at the right place.
 */
final class ReportBuilder {
  /** What a line was to the report. */
  enum Disposition { FRAME, REPORT, MALFORMED, UNRELATED }

  /** Why a report ended. */
  enum End { MARKER, NEXT_REPORT, UNRELATED_LINES, TIME_GAP, END_OF_INPUT, TOO_LONG }

  /** How much of one report is kept (ReadLimits): frames, further stacks, held locks, lines. */
  private final int maxFrames;
  private final int maxStacks;
  private final int maxLocks;
  final int maxLines;

  final SplatDraft sb;
  private final String source;
  private final FrameParser fp;
  private final LockLineParser lp;
  private final boolean closedByBanner;

  long lastLine;
  private double lastClock = -1;
  private int lines;
  private boolean onlyHeaders = true;
  private boolean expectIdent;
  private boolean timeWentBack;
  private boolean unprintable;

  // ---- stacks
  private enum Target { NONE, MAIN, CHAIN, OTHER }

  private Target target = Target.NONE;
  private List<Frame> current;
  private String currentLabel;
  private long currentLine;
  private boolean mainOpened;
  private boolean mainEnded;
  /** "stack backtrace:" was seen: the next "Call Trace:" or frame opens the main trace. */
  private boolean mainAnnounced;
  private final List<Frame> pendingRip = new ArrayList<>();
  /** The open stack ended with x86's user-space "RIP: 0033:" registers. */
  private boolean userRegisters;
  private int totalFrames;
  private boolean tooManyFrames;

  // ---- sections of the current stack
  private Section section = Section.UNKNOWN;
  private final Section[] sectionStack = new Section[8];
  private int depth;
  /** Open markers that have a closing marker ({@code <TASK>}, {@code <IRQ>}, ...): the trace is not over. */
  private int markerDepth;

  // ---- ARM's "callee from caller+off/size": the caller part waits for the next line
  private String fromFunction;
  private long fromOffset = -1;
  private long fromSize = -1;

  // ---- locks
  enum Role { NONE, ACQUIRING, HOLDING, LOCK, SAFE, UNSAFE, HELD, OTHER_HELD, NEW_DEPENDENCY, CHAIN_EXISTS }

  Role role = Role.NONE;
  /** Whether "this lock" of an irq-inversion report is the irq-safe one (else the unsafe one). */
  private boolean inversionForward;
  private String blockLock;
  private String lastLabel;
  boolean preemptionLabel;
  private final List<LockLine> held;

  private String bootRelease;

  ReportBuilder(SplatKind kind, String source, LogLine header, FrameParser fp, LockLineParser lp, long firstLine,
      boolean closedByBanner, ReadLimits limits) {
    this.maxFrames = limits.maxReportFrames();
    this.maxStacks = limits.maxReportStacks();
    this.maxLocks = limits.maxReportLocks();
    this.maxLines = limits.maxReportLines();
    this.sb = new SplatDraft(kind);
    this.source = source;
    this.fp = fp;
    this.lp = lp;
    this.closedByBanner = closedByBanner;
    this.held = sb.heldLocks();
    String text = header.text();
    sb.source(source).firstLine(firstLine).header(text).timestamp(header.timestamp()).wallTime(header.wallTime())
        .callerTag(header.tagText());
    Facts.fromHeader(kind, text, sb);
    expectIdent = kind.isLockdep() && kind != SplatKind.SLEEP_IN_ATOMIC;
    if (kind == SplatKind.STACK_DUMP) {
      consumeStackDumpStart(header);
    }
    noteLine(header);
  }

  SplatKind kind() {
    return sb.kind();
  }

  boolean closedByBanner() {
    return closedByBanner;
  }

  /** The main call trace began. */
  boolean mainOpened() {
    return mainOpened;
  }

  /** The main call trace is over: its closing marker or a line after its last frame was seen. */
  boolean traceDone() {
    return mainEnded;
  }

  /** Inside a call trace whose section markers are still open: the trace is not over yet. */
  boolean inMarkedTrace() {
    return target != Target.NONE && markerDepth > 0;
  }

  int lines() {
    return lines;
  }

  double lastClock() {
    return lastClock;
  }

  /**
   * Whether a header line continues this report rather than starting the next: the oops line after
   * "BUG: unable to handle..." / "kernel BUG at", a WARNING header the symbolizer printed twice.
   */
  boolean absorbs(Headers.Match h, byte[] b, int s, int e) {
    if (h.oopsLine && (kind() == SplatKind.OOPS || kind() == SplatKind.BUG) && !mainOpened) return true;
    if (h.kind == SplatKind.WARNING && kind() == SplatKind.WARNING && onlyHeaders) return true;
    // "BUG: kernel NULL pointer dereference" then "BUG: unable to handle page fault" on some kernels
    return h.kind == SplatKind.OOPS && kind() == SplatKind.OOPS && onlyHeaders && !h.oopsLine;
  }

  /** Adds a header line that {@link #absorbs} the report. */
  void absorbHeader(LogLine l) {
    String t = l.text();
    if (kind() == SplatKind.WARNING) Facts.fromHeader(SplatKind.WARNING, t, sb);
    else Facts.put(sb, "oops", t);
    noteLine(l);
  }

  /** The WARN() message printed between "cut here" and the header (6.x kernels). */
  void message(String text) {
    Facts.put(sb, "message", text);
  }

  /** A report line that is part of the report but carries nothing to parse (banners, end markers). */
  void addPlain(LogLine l) {
    noteLine(l);
  }

  /** Includes a line already accounted for, such as a pending banner, in the report's span. */
  void extendTo(long line) {
    if (line > lastLine) lastLine = line;
  }

  private void noteLine(LogLine l) {
    lines++;
    lastLine = l.number;
    double c = l.clock();
    if (c >= 0) {
      if (lastClock >= 0 && c < lastClock - 1e-6 && !timeWentBack) {
        timeWentBack = true;
        corrupt(l, "timestamps go backwards inside the report");
      }
      lastClock = Math.max(lastClock, c);
    }
  }

  /** Marks the report damaged by a line with bytes no kernel prints. */
  void unprintable(LogLine l) {
    if (!unprintable) {
      unprintable = true;
      corrupt(l, "unprintable bytes in the report");
    }
  }

  void corrupt(LogLine l, String reason) {
    sb.corrupted(true);
    sb.problem(InputProblem.of(source, l.number, reason, l.excerpt()).toString());
  }

  // ---------------------------------------------------------------- lines

  /** Classifies and records one line of the report. */
  Disposition consume(LogLine l) {
    byte[] b = l.b;
    int s = l.text;
    int e = l.end;
    while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) e--;
    Disposition d = classify(l, b, s, e);
    if (d != Disposition.UNRELATED) {
      noteLine(l);
      if (d != Disposition.FRAME || target != Target.NONE) onlyHeaders = false;
    }
    return d;
  }

  private Disposition classify(LogLine l, byte[] b, int s, int e) {
    // section markers, possibly followed by a frame on the same line (old x86: "<IRQ>  [<...>] f+0x1/0x2")
    fp.marker(b, s, e);
    if (fp.marker != FrameParser.NO_MARKER) {
      if (target == Target.NONE) openStack(mainOpened ? Target.OTHER : Target.MAIN, "Call Trace", l.number);
      applyMarker(fp.marker);
      int after = fp.afterMarker;
      if (after < e) return frameOrMalformed(l, b, after, e, true);
      if (fp.marker == FrameParser.CLOSE_TASK && markerDepth == 0) endStack();
      return Disposition.REPORT;
    }
    if (Bytes.startsWith(b, s, e, "RIP: ") || Bytes.startsWith(b, s, e, "EIP: ")) return rip(l, b, s, e);
    if (target != Target.NONE) {
      fp.parse(b, s, e);
      if (fp.malformed) return malformed(l, fp.reason);
      if (fp.frame) {
        addFrame(l, b, s, e);
        return Disposition.FRAME;
      }
      if (RelatedLines.isNeutralInTrace(b, s, e)) {
        registerFacts(b, s, e);
        return Disposition.REPORT;
      }
      if (markerDepth > 0) return Disposition.UNRELATED; // another CPU's line inside a marked trace
      if (!current.isEmpty() || target == Target.CHAIN) endStack();
    }
    return outsideStack(l, b, s, e);
  }

  /** A line while no stack is open. */
  private Disposition outsideStack(LogLine l, byte[] b, int s, int e) {
    String t = null;
    // stack headers
    if (Bytes.startsWith(b, s, e, "Call Trace:") || Bytes.startsWith(b, s, e, "Call trace:")
        || Bytes.startsWith(b, s, e, "Backtrace:")) {
      openStack(mainOpened ? Target.OTHER : Target.MAIN, lastLabel != null ? lastLabel : "Call Trace", l.number);
      return Disposition.REPORT;
    }
    if (Bytes.startsWith(b, s, e, "stack backtrace:")) {
      mainAnnounced = true;
      lastLabel = null;
      blockLock = null;
      return Disposition.REPORT;
    }
    // lockdep chain: "-> #N (lock){..}-{..}:" and dependency blocks "-> (lock){..}-{..} {"
    if (b[s] == '-' && s + 1 < e && b[s + 1] == '>') return arrow(l, b, s, e);
    if (b[s] == '}' && s + 1 == e) return Disposition.REPORT; // end of a dependency block
    // lock lines for a pending role or a held-lock list
    if (role != Role.NONE && LockLineParser.hasLockShape(b, s, e)) return lockLine(l, b, s, e);
    if (b[s] == '#' && s + 1 < e && Bytes.isDigit(b[s + 1]) && LockLineParser.hasLockShape(b, s, e)) {
      if (role == Role.NONE) role = Role.OTHER_HELD;
      return lockLine(l, b, s, e);
    }
    if (role != Role.CHAIN_EXISTS && role != Role.NEW_DEPENDENCY) role = Role.NONE;
    if (b[s] != '[' && LockLineParser.hasLockShape(b, s, e)) {
      LockLine lock = lp.parse(b, s, e); // a lock line whose role line was lost (interleaved output)
      if (lock != null) return Disposition.REPORT;
      if (lp.malformed != null) return malformed(l, lp.malformed);
    }
    // a frame outside a trace: the stack of the last "... at:" line
    fp.parse(b, s, e);
    if (fp.malformed && (b[s] == '[' || b[s] == '?')) return malformed(l, fp.reason);
    if (fp.frame && fp.strong) {
      openStack(Target.OTHER, lastLabel != null ? lastLabel : "stack", l.number);
      addFrame(l, b, s, e);
      return Disposition.FRAME;
    }
    if (role == Role.CHAIN_EXISTS || role == Role.NEW_DEPENDENCY) {
      Facts.put(sb, role == Role.CHAIN_EXISTS ? "chain exists of" : "new dependency", text(b, s, e));
      role = Role.NONE;
      return Disposition.REPORT;
    }
    t = text(b, s, e);
    if (factLine(l, t)) return Disposition.REPORT;
    if (kind().isLockdep() && sb.location() == null && startsWithFileLine(t)) {
      // "include/linux/rcupdate.h:594 rcu_read_lock() used illegally while idle!"
      int sp = t.indexOf(' ');
      sb.location(t.substring(0, sp));
      Facts.put(sb, "message", t.substring(sp + 1));
      expectIdent = false;
      return Disposition.REPORT;
    }
    if (expectIdent) {
      expectIdent = false;
      if (Facts.ident(t, sb)) return Disposition.REPORT;
    }
    boolean related = RelatedLines.isRelated(b, s, e);
    if (!related && !l.indented && kind() == SplatKind.WARNING && onlyHeaders && !sb.facts().containsKey("message")) {
      Facts.put(sb, "message", t); // WARN(cond, fmt): old kernels print the message after the header
      return Disposition.REPORT;
    }
    if (related || l.indented || hungTaskStateLine(t)) {
      if (t.startsWith("the dependencies between") || t.startsWith("the shortest dependencies")) blockLock = null;
      if (b[e - 1] == ':' && !t.startsWith("Stack") && !t.startsWith("Exception stack")) {
        label(t.substring(0, t.length() - 1).strip());
      }
      if (related && !l.indented) genericFact(t);
      return Disposition.REPORT;
    }
    return Disposition.UNRELATED;
  }

  // ---------------------------------------------------------------- facts

  /** The report's specific fact lines; true when the line was one. */
  /** A line of facts around the report (see {@link FactLines}), or lockdep's held-lock and role lines. */
  private boolean factLine(LogLine l, String t) {
    if (FactLines.handle(this, t)) return true;
    char c = t.charAt(0);
    if (Character.isDigit(c)) {
      int held = t.indexOf(" held by ");
      if (held > 0 && (t.contains(" lock held by ") || t.contains(" locks held by "))) {
        String owner = t.endsWith(":") ? t.substring(held + 9, t.length() - 1) : t.substring(held + 9);
        if (heldListIsOurs(owner) && sb.heldLocksDeclared() < 0) {
          sb.heldLocksDeclared(Facts.parseInt(t.substring(0, t.indexOf(' ')), -1));
          role = Role.HELD;
        } else {
          role = Role.OTHER_HELD;
        }
        return true;
      }
    }
    return roleLine(t);
  }

  /** Lockdep's lines that announce which lock the next lock line is. */
  private boolean roleLine(String t) {
    if (t.endsWith(" is trying to acquire lock:") || t.endsWith(" is trying to lock:") || t.endsWith("is trying to acquire:")) {
      lockdepTask(t, t.indexOf(" is trying to "));
      role = Role.ACQUIRING;
      return true;
    }
    if (t.startsWith("but task is already holding lock") || t.startsWith("and this task is already holding")) {
      role = Role.HOLDING;
      return true;
    }
    if (t.endsWith("] takes:")) {
      int bracket = t.lastIndexOf(" [");
      lockdepTask(t, bracket);
      if (bracket > 0) Facts.put(sb, "irq context", t.substring(bracket + 2, t.length() - 8));
      role = Role.LOCK;
      return true;
    }
    if (t.endsWith(" just changed the state of lock:")) {
      lockdepTask(t, t.indexOf(" just changed"));
      role = Role.LOCK;
      return true;
    }
    if (t.startsWith("but this lock took another, ")) {
      inversionForward = true;
      role = Role.UNSAFE;
      if (sb.lock() != null) sb.safeLock(sb.lock());
      return true;
    }
    if (t.startsWith("but this lock was taken by another, ")) {
      inversionForward = false;
      role = Role.SAFE;
      if (sb.lock() != null) sb.unsafeLock(sb.lock());
      return true;
    }
    if (t.startsWith("but this new dependency connects a ")) {
      role = Role.SAFE;
      return true;
    }
    if (t.startsWith("to a ") && t.endsWith("-irq-unsafe lock:")) {
      role = Role.UNSAFE;
      return true;
    }
    int release = t.indexOf(" is trying to release lock (");
    if (release > 0) {
      lockdepTask(t, release);
      int open = release + 27;
      int close = t.lastIndexOf(") at");
      if (close > open) sb.lock(new LockLine(null, t.substring(open + 1, close), null, -1, -1, null, -1));
      label("release at");
      return true;
    }
    return false;
  }

  /** "comm/pid" before {@code end}, with lockdep's optional " [HC0[0]:SC0[0]:HE0:SE1]". */
  private void lockdepTask(String t, int end) {
    if (end <= 0) return;
    String who = t.substring(0, end);
    int bracket = who.indexOf(" [HC");
    if (bracket > 0) {
      int close = who.lastIndexOf(']');
      if (close > bracket) Facts.put(sb, "irq context", who.substring(bracket + 2, close));
      who = who.substring(0, bracket);
    }
    Facts.commSlashPid(sb, who.strip());
  }

  /** Whether "N locks held by comm/pid:" lists the report's task (or the report names no task). */
  boolean heldListIsOurs(String owner) {
    String o = owner.strip();
    if (o.endsWith(".")) o = o.substring(0, o.length() - 1);
    int slash = o.lastIndexOf('/');
    int pid = slash > 0 ? Facts.parseInt(o.substring(slash + 1), -1) : -1;
    return sb.pid() < 0 || pid == sb.pid();
  }

  /** "dir/file.c:123 ..." */
  private static boolean startsWithFileLine(String t) {
    int sp = t.indexOf(' ');
    if (sp <= 0) return false;
    byte[] b = t.substring(0, sp).getBytes(StandardCharsets.UTF_8);
    return b.length > 3 && b[0] != '[' && FrameParser.isLocation(b, 0, b.length) && t.indexOf('/') < sp;
  }

  private boolean hungTaskStateLine(String t) {
    // old hung-task reports: "jbd2/sda2-8     D 0000000000000010     0   349      2 0x00000000"
    return kind() == SplatKind.HUNG_TASK && sb.comm() != null && t.startsWith(sb.comm()) && t.length() > sb.comm().length()
        && t.charAt(sb.comm().length()) == ' ';
  }

  void stamp(String key, String value) {
    if (sb.irqEventStamps().size() < 16 || sb.irqEventStamps().containsKey(key)) {
      sb.irqEventStamps().put(key, Facts.clip(value)); // the last line of a key wins: syzbot expands [inline] callers first
    }
  }

  /** "Key: value" of a known report line, raw. */
  private void genericFact(String t) {
    int colon = t.indexOf(": ");
    if (colon <= 0 || colon > 40 || t.startsWith("...")) return;
    String key = t.substring(0, colon).strip();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == ' ' || c == '_' || c == '-' || c == '(' || c == ')' || c == '.' || c == '#')) return;
    }
    Facts.put(sb, key, t.substring(colon + 2).strip());
  }

  private void registerFacts(byte[] b, int s, int e) {
    if (RelatedLines.isRegisterLine(b, s, e) || Bytes.startsWith(b, s, e, "Code: ")) genericFact(text(b, s, e));
  }

  void label(String l) {
    lastLabel = blockLock != null ? blockLock + ": " + l : l;
    preemptionLabel = false;
  }

  // ---------------------------------------------------------------- locks

  private Disposition lockLine(LogLine l, byte[] b, int s, int e) {
    LockLine lock = lp.parse(b, s, e);
    if (lock == null) {
      if (lp.malformed != null) return malformed(l, lp.malformed);
      role = Role.NONE;
      return outsideStack(l, b, s, e);
    }
    switch (role) {
      case ACQUIRING:
        sb.acquiring(lock);
        break;
      case HOLDING:
        sb.holding(lock);
        break;
      case LOCK:
        sb.lock(lock);
        break;
      case SAFE:
        sb.safeLock(lock);
        break;
      case UNSAFE:
        sb.unsafeLock(lock);
        break;
      case HELD:
        addHeld(lock);
        break;
      case NEW_DEPENDENCY:
      case CHAIN_EXISTS:
        Facts.put(sb, role == Role.CHAIN_EXISTS ? "chain exists of" : "new dependency", text(b, s, e));
        role = Role.NONE;
        break;
      default:
        break;
    }
    return Disposition.REPORT;
  }

  /** One entry per #N: syzbot repeats a held lock once per inlined caller; the last is the real one. */
  private void addHeld(LockLine lock) {
    int idx = lock.index();
    if (idx >= 0) {
      for (int i = held.size() - 1; i >= 0; i--) {
        if (held.get(i).index() == idx) {
          held.set(i, lock);
          return;
        }
      }
    }
    if (held.size() < maxLocks) held.add(lock);
  }

  /** "-> #N (lock){..}:" chain links and "-> (lock){..} {" dependency blocks. */
  private Disposition arrow(LogLine l, byte[] b, int s, int e) {
    LockLine lock = lp.parse(b, s, e);
    if (lock == null) {
      if (lp.malformed != null) return malformed(l, lp.malformed);
      return Disposition.REPORT; // "-> ..." scenario text
    }
    if (lock.index() >= 0) {
      if (sb.chain().size() >= maxStacks) return Disposition.REPORT;
      openStack(Target.CHAIN, null, l.number);
      chainLock = lock;
      chainN = lock.index();
    } else {
      blockLock = lock.className();
      lastLabel = null;
    }
    return Disposition.REPORT;
  }

  private LockLine chainLock;
  private int chainN;

  // ---------------------------------------------------------------- frames

  private Disposition rip(LogLine l, byte[] b, int s, int e) {
    registerFacts(b, s, e);
    int p = s + 5;
    p = PrefixParser.skipBlanks(b, p, e);
    // "RIP: 0010:func+0x1/0x2": kernel code segment; "RIP: 0033:0x7f.." is user space, not a frame
    if (p + 5 <= e && b[p + 4] == ':' && Bytes.hexValue(b[p]) >= 0 && Bytes.hexValue(b[p + 3]) >= 0) {
      boolean kernel = Bytes.startsWith(b, p, e, "0010:") || Bytes.startsWith(b, p, e, "0060:");
      if (!kernel) {
        // the user-space registers x86 prints at the end of a task's trace: the trace is complete
        if (target != Target.NONE && !current.isEmpty()) userRegisters = true;
        return Disposition.REPORT;
      }
      p += 5;
    }
    fp.parse(b, p, e);
    if (!fp.frame) return Disposition.REPORT;
    Frame f = frame(b, s, e);
    if (target != Target.NONE) {
      add(f);
    } else if (pendingRip.size() < 8) {
      pendingRip.add(f); // x86 WARN/oops: the faulting function, printed before "Call Trace:"
    }
    return Disposition.FRAME;
  }

  private Disposition frameOrMalformed(LogLine l, byte[] b, int s, int e, boolean afterMarker) {
    fp.parse(b, s, e);
    if (fp.malformed) return malformed(l, fp.reason);
    if (!fp.frame) return afterMarker ? Disposition.REPORT : Disposition.UNRELATED;
    addFrame(l, b, s, e);
    return Disposition.FRAME;
  }

  private void addFrame(LogLine l, byte[] b, int s, int e) {
    if (target == Target.NONE) openStack(mainOpened ? Target.OTHER : Target.MAIN, "Call Trace", l.number);
    String function = fp.function;
    long offset = fp.offset;
    long size = fp.size;
    // ARM "callee from caller+off": this line's callee is the previous line's caller, with its offset
    if (fromFunction != null && fromFunction.equals(function) && offset < 0) {
      offset = fromOffset;
      size = fromSize;
    }
    fromFunction = fp.fromFunction;
    fromOffset = fp.fromOffset;
    fromSize = fp.fromSize;
    add(new Frame(function, offset, size, fp.module, fp.unreliable, section, section != Section.UNKNOWN,
        text(b, l.text, e)));
    if (preemptionLabel && sb.preemptionDisabledAt() == null) sb.preemptionDisabledAt(function);
  }

  private Frame frame(byte[] b, int s, int e) {
    return new Frame(fp.function, fp.offset, fp.size, fp.module, fp.unreliable, section, section != Section.UNKNOWN,
        text(b, s, e));
  }

  private void add(Frame f) {
    if (totalFrames >= maxFrames) {
      if (!tooManyFrames) {
        tooManyFrames = true;
        sb.truncated(true);
        sb.problem(InputProblem.of(source, lastLine, "more than " + maxFrames + " frames; the rest are left out", "").toString());
      }
      return;
    }
    totalFrames++;
    current.add(f);
  }

  private void openStack(Target t, String label, long line) {
    if (target != Target.NONE) endStack();
    if (t == Target.MAIN || (mainAnnounced && !mainOpened)) {
      t = Target.MAIN;
      mainOpened = true;
      mainAnnounced = false;
      current = sb.frames();
      current.addAll(pendingRip);
      totalFrames += pendingRip.size();
    } else {
      current = new ArrayList<>(pendingRip);
      totalFrames += pendingRip.size();
    }
    pendingRip.clear();
    target = t;
    userRegisters = false;
    currentLabel = label;
    currentLine = line;
    section = Section.UNKNOWN;
    depth = 0;
    markerDepth = 0;
    fromFunction = null;
  }

  private void endStack() {
    if (target == Target.NONE) return;
    if (fromFunction != null && current.size() < maxFrames) {
      // the last ARM "from" caller is the outermost frame
      current.add(new Frame(fromFunction, fromOffset, fromSize, null, false, section, section != Section.UNKNOWN,
          fromFunction + "+0x" + Long.toHexString(Math.max(0, fromOffset)) + "/0x" + Long.toHexString(Math.max(0, fromSize))));
      fromFunction = null;
    }
    switch (target) {
      case MAIN:
        mainEnded = true;
        break;
      case CHAIN:
        sb.chain().add(new ChainLink(chainN, chainLock, current));
        break;
      case OTHER:
        if (!current.isEmpty() && sb.otherStacks().size() < maxStacks) {
          sb.otherStacks().add(new LabeledStack(currentLabel == null ? "stack" : currentLabel, currentLine, current));
        }
        break;
      default:
        break;
    }
    target = Target.NONE;
    current = null;
    lastLabel = null;
    preemptionLabel = false;
    markerDepth = 0;
  }

  private void applyMarker(int m) {
    switch (m) {
      case FrameParser.OPEN_IRQ:
        push(Section.IRQ);
        break;
      case FrameParser.OPEN_NMI:
        push(Section.NMI);
        break;
      case FrameParser.OPEN_SOFTIRQ:
        push(Section.SOFTIRQ);
        break;
      case FrameParser.OPEN_TASK:
        push(Section.TASK);
        break;
      case FrameParser.OPEN_OTHER:
        push(Section.UNKNOWN);
        break;
      case FrameParser.CLOSE_IRQ:
      case FrameParser.EOI:
      case FrameParser.CLOSE_SOFTIRQ:
        // below the irq stack is the interrupted task's stack unless a marker says otherwise
        pop(Section.TASK);
        break;
      case FrameParser.CLOSE_NMI:
      case FrameParser.CLOSE_OTHER:
        pop(Section.UNKNOWN);
        break;
      case FrameParser.CLOSE_TASK:
        pop(Section.UNKNOWN);
        break;
      default:
        break;
    }
  }

  private void push(Section s) {
    if (depth < sectionStack.length) sectionStack[depth++] = section;
    section = s;
    markerDepth++;
  }

  private void pop(Section below) {
    if (markerDepth > 0) markerDepth--;
    if (depth > 0) {
      Section outer = sectionStack[--depth];
      section = outer == Section.UNKNOWN && below == Section.TASK ? Section.TASK : outer;
    } else {
      section = below;
    }
  }

  private Disposition malformed(LogLine l, String reason) {
    corrupt(l, reason);
    malformedReason = reason;
    return Disposition.MALFORMED;
  }

  /** Why the last line was {@link Disposition#MALFORMED}. */
  String malformedReason;

  /** The header of a header-less stack dump ("CPU: 1 PID: 2 Comm: x", "Call Trace:"). */
  private void consumeStackDumpStart(LogLine l) {
    String t = l.text();
    if (t.startsWith("CPU: ") || t.startsWith("Pid: ")) {
      Facts.cpuLine(t, sb);
    } else {
      openStack(Target.MAIN, "Call Trace", l.number);
    }
  }

  // ---------------------------------------------------------------- end

  /** The finished report. */
  Splat finish(End end, long atLine, boolean cutLine) {
    boolean openMarked = target != Target.NONE && markerDepth > 0;
    boolean stackStillOpen = target != Target.NONE;
    List<Frame> lastStack = current;
    endStack();
    sb.lastLine(lastLine);
    if (sb.kind() == SplatKind.SMP_PROCESSOR_ID_PREEMPTIBLE || sb.kind() == SplatKind.SCHEDULE_WHILE_ATOMIC) {
      if (sb.inAtomic() == null && sb.preemptCount() >= 0) sb.inAtomic(sb.preemptCount() != 0);
    }
    if (end != End.MARKER) {
      String why = null;
      if (sb.kind().expectsCallTrace() && !mainOpened) {
        why = end == End.END_OF_INPUT ? "the input ends before the report's call trace" : "the report ends before its call trace";
      } else if (openMarked) {
        why = "the call trace is cut short (its section markers are not closed)";
      } else if (end == End.END_OF_INPUT && cutLine) {
        why = "the input ends in the middle of the report's last line";
      } else if (end == End.END_OF_INPUT && stackStillOpen && !userRegisters && !endsAtBottom(lastStack)) {
        why = "the input ends inside a call trace";
      } else if (end == End.TOO_LONG) {
        why = "the report is longer than " + maxLines + " lines";
      }
      if (why != null) {
        if (end == End.NEXT_REPORT) why += "; the next report starts at line " + atLine;
        if (end == End.TIME_GAP) why += "; line " + atLine + " is over " + (int) ReportStream.GAP_SECONDS + " s later";
        sb.truncated(true);
        sb.problem(InputProblem.of(source, end == End.END_OF_INPUT ? lastLine : atLine, why, "").toString());
      }
    }
    int declared = sb.heldLocksDeclared();
    if (declared > 0 && held.size() < declared) {
      sb.truncated(true);
      sb.problem(InputProblem.of(source, lastLine, "held-lock list shows " + held.size() + " of " + declared + " locks", "")
          .toString());
    }
    if (sb.kernelRelease() == null && bootRelease != null) sb.kernelRelease(bootRelease);
    return sb.build();
  }

  /**
   * The release of the "Linux version" banner of the boot the report is in: a report without a CPU
   * line (an RCU stall's task dump) is still from that kernel, PREEMPT_RT or not.
   */
  void bootRelease(String release) {
    this.bootRelease = release;
  }

  /** Whether the stack's last symbolized frame is a stack bottom (thread start, syscall or boot entry). */
  private static boolean endsAtBottom(List<Frame> frames) {
    if (frames == null) return false;
    for (int i = frames.size() - 1; i >= 0; i--) {
      String f = frames.get(i).function();
      if (f.startsWith("0x")) continue; // a user-space address after the syscall entry
      return StackBottoms.isBottom(frames.get(i).baseFunction());
    }
    return false;
  }

  private static String text(byte[] b, int s, int e) {
    return new String(b, s, e - s, StandardCharsets.UTF_8);
  }
}
