package org.kreplay.ingest;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which events the user asked for by task and name: {@code --pid}, {@code --comm} (globs) and
 * {@code --event} (globs). An event is selected when its name matches one of the event globs (or
 * none is given) and its task matches: its pid is one of the pids (if given) and its comm matches
 * one of the comm globs (if given). A scheduler event also matches by the task it switches from or
 * to, wakes or migrates (prev/next), so a task's own switches and wakeups are its events.
 *
 * <p>Readers ask {@link #atHeader} as soon as pid, comm and name are decoded, before the body.
 */
public final class EventSelection {
  /** What a reader does with an event, decided from its header. */
  public enum Verdict {
    /** The user asked for it. */
    SELECTED,
    /** Not asked for: deliver it for context only when context is kept, else drop it. */
    NOT_SELECTED,
    /** Decided by the prev/next task in its body: decode it, then ask {@link #selectsByBody}. */
    BY_BODY
  }

  /**
   * Kinds whose fields the replay's context tracking reads (ContextUpdates: the interrupt
   * entry/exit frames and the task a switch puts on the CPU) and the scheduler events, whose body
   * decides a task match: an unselected one still has its body decoded when context is kept.
   */
  private static final Set<EventKind> CONTEXT_KINDS = EnumSet.of(EventKind.IRQ_HANDLER_ENTRY,
      EventKind.IRQ_HANDLER_EXIT, EventKind.VECTOR_ENTRY, EventKind.VECTOR_EXIT, EventKind.IRQ_WORK_ENTRY,
      EventKind.IRQ_WORK_EXIT, EventKind.SOFTIRQ_ENTRY, EventKind.SOFTIRQ_EXIT, EventKind.NMI_HANDLER,
      EventKind.SCHED_SWITCH, EventKind.SCHED_WAKING, EventKind.SCHED_WAKEUP, EventKind.SCHED_WAKEUP_NEW,
      EventKind.SCHED_MIGRATE_TASK);

  private static final Set<EventKind> TASK_BODIES = EnumSet.of(EventKind.SCHED_SWITCH, EventKind.SCHED_WAKING,
      EventKind.SCHED_WAKEUP, EventKind.SCHED_WAKEUP_NEW, EventKind.SCHED_MIGRATE_TASK);

  private final BitSet pids;
  private final Pattern comms;
  private final Pattern events;

  private EventSelection(BitSet pids, Pattern comms, Pattern events) {
    this.pids = pids;
    this.comms = comms;
    this.events = events;
  }

  /**
   * @param pids null or empty for any task; else the pids asked for
   * @param commGlobs null or empty for any comm
   * @param eventGlobs null or empty for any event name
   */
  public static EventSelection of(BitSet pids, List<String> commGlobs, List<String> eventGlobs) {
    return new EventSelection(pids == null || pids.isEmpty() ? null : (BitSet) pids.clone(), globs(commGlobs),
        globs(eventGlobs));
  }

  /** Whether it selects every event. */
  public boolean isEmpty() {
    return pids == null && comms == null && events == null;
  }

  public boolean filtersTasks() {
    return pids != null || comms != null;
  }

  /** The decision for an event whose header says this task and name. */
  public Verdict atHeader(int pid, String comm, String name, EventKind kind) {
    if (events != null && (name == null || !events.matcher(name).matches())) return Verdict.NOT_SELECTED;
    if (kind.isMarker()) return filtersTasks() ? Verdict.NOT_SELECTED : Verdict.SELECTED; // no task
    if (task(pid, comm)) return Verdict.SELECTED;
    return TASK_BODIES.contains(kind) ? Verdict.BY_BODY : Verdict.NOT_SELECTED;
  }

  /** For a {@link Verdict#BY_BODY} event, decoded: whether its prev or next task is asked for. */
  public boolean selectsByBody(TraceEvent e) {
    return task(e.nextPid(), e.nextComm()) || (e.kind() == EventKind.SCHED_SWITCH && task(e.prevPid(), e.prevComm()));
  }

  /** Whether an unselected event of this kind still needs its body decoded for the replay's context. */
  public static boolean contextNeedsBody(EventKind kind) {
    return CONTEXT_KINDS.contains(kind);
  }

  private boolean task(int pid, String comm) {
    if (pids != null && (pid < 0 || !pids.get(pid))) return false;
    return comms == null || (comm != null && comms.matcher(comm).matches());
  }

  /** Shell-style globs ({@code *}, {@code ?}, {@code [..]}) as one pattern; null for none. */
  static Pattern globs(List<String> globs) {
    if (globs == null || globs.isEmpty()) return null;
    List<String> parts = new ArrayList<>();
    for (String g : globs) parts.add(glob(g));
    return Pattern.compile(String.join("|", parts));
  }

  /** One shell-style glob ({@code *}, {@code ?}, {@code [..]}) as a pattern matching the whole text. */
  public static Pattern globPattern(String g) {
    return Pattern.compile(glob(g));
  }

  static String glob(String g) {
    StringBuilder sb = new StringBuilder("(?:");
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*') {
        sb.append(".*");
      } else if (c == '?') {
        sb.append('.');
      } else if (c == '[') {
        int close = g.indexOf(']', i + 2);
        if (close < 0) {
          sb.append("\\[");
        } else {
          String set = g.substring(i + 1, close);
          if (set.startsWith("!")) set = "^" + set.substring(1);
          sb.append('[').append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
          i = close;
        }
      } else {
        sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return sb.append(')').toString();
  }
}
