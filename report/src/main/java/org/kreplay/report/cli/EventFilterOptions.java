package org.kreplay.report.cli;

import java.util.BitSet;
import java.util.List;
import org.kreplay.ingest.EventSelection;
import picocli.CommandLine.Option;

/**
 * {@code --pid}, {@code --comm} and {@code --event}: which events a command looks at, decided
 * inside the reader. Shared by the commands that read a trace ({@link InputOptions}) and by
 * {@code explain}, whose other options differ.
 */
final class EventFilterOptions {
  @Option(names = "--pid", paramLabel = "PID[,PID...]", split = ",",
      description = "Only events of these tasks: the pid the trace shows (repeatable). A scheduler event"
          + " also matches by the task it switches from or to, wakes or migrates. What --pid, --comm and"
          + " --event leave out: convert -f csv|jsonl drops it; analyze, compare, batch, explain and the timeline"
          + " formats still charge it in the per-CPU context (so that stays as without the filter), never in deferrals, findings"
          + " or event counts. Left-out events are counted as filtered, never lost.")
  List<String> pids;

  @Option(names = "--comm", paramLabel = "GLOB",
      description = "Only events of tasks whose comm matches this glob, e.g. 'cyclictest*' (* ? [..];"
          + " repeatable, any may match; with --pid both must match). Markers (lost events) have no task:"
          + " convert drops them, analysis keeps them.")
  List<String> comms;

  @Option(names = "--event", paramLabel = "GLOB",
      description = "Only events whose name matches this glob, e.g. 'sched_*' (repeatable, any may match;"
          + " lost_events names the lost-events markers).")
  List<String> events;

  /** The selection as the readers take it (validated: usage errors for a bad pid or an empty glob). */
  EventSelection selection() {
    return EventSelection.of(parsePids(pids), globs("--comm", comms), globs("--event", events));
  }

  /** Whether any of the three was given. */
  boolean given() {
    return pids != null || comms != null || events != null;
  }

  /** " --pid 1,2 --comm x --event y" as the user gave them, "" without any. */
  String label() {
    StringBuilder sb = new StringBuilder();
    if (pids != null) sb.append(" --pid ").append(String.join(",", pids).replace(" ", ""));
    if (comms != null) for (String c : comms) sb.append(" --comm ").append(c);
    if (events != null) for (String e : events) sb.append(" --event ").append(e);
    return sb.toString();
  }

  static BitSet parsePids(List<String> list) {
    if (list == null) return null;
    BitSet set = new BitSet();
    for (String p : list) {
      try {
        int pid = Integer.parseInt(p.strip());
        if (pid < 0) throw new NumberFormatException();
        set.set(pid);
      } catch (NumberFormatException e) {
        throw new KreplayCommand.UsageException("--pid: '" + p + "' is not a pid (a number, e.g. 1234 or 1234,1240)");
      }
    }
    return set;
  }

  static List<String> globs(String option, List<String> globs) {
    if (globs == null) return null;
    for (String g : globs) {
      if (g.isBlank()) throw new KreplayCommand.UsageException(option + ": an empty pattern matches nothing; give a name or a glob such as 'cyclictest*'");
    }
    return globs;
  }
}
