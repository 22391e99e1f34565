package org.kreplay.report.cli;

import java.util.BitSet;
import java.util.List;
import org.kreplay.ingest.EventSelection;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TimeBound;
import picocli.CommandLine.Option;

/** Options that choose what is read from each input; applied inside the reader. */
final class InputOptions {
  @Option(names = "--cpu", paramLabel = "LIST",
      description = "Only these CPUs, e.g. 0 or 0,2-3.")
  String cpus;

  @Option(names = "--from", paramLabel = "TIME",
      description = "Only events at or after this time: a trace timestamp in seconds as printed (98.6511),"
          + " +N after the trace's first event (+1.5s), -N before its last (-2s), or a share of its span"
          + " (25%%); units s (default), ms, us, ns.")
  String from;

  @Option(names = "--until", paramLabel = "TIME",
      description = "Only events at or before this time, written as for --from (411.2, +3s, -2s, 75%%)."
          + " -N and %% need the trace's end: found from the end of a file, not possible on standard input.")
  String to;

  @Option(names = "--pid", paramLabel = "PID[,PID...]", split = ",",
      description = "Only events of these tasks: the pid the trace shows (repeatable). A scheduler event"
          + " also matches by the task it switches from or to, wakes or migrates. What --pid, --comm and"
          + " --event leave out: convert -f csv|jsonl drops it; analyze, compare, batch and the timeline"
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

  @Option(names = "--instance", paramLabel = "NAME",
      description = "Read the trace.dat ring buffer of this instance (trace-cmd record -B NAME) instead of the top one.")
  String instance;

  @Option(names = "--strict",
      description = "Stop at the first line that cannot be read (exit code 3, with file:line) instead of skipping and counting it.")
  boolean strict;

  /**
   * The options as the readers take them. A scheduler event matches --pid/--comm also by the task
   * it switches from or to, wakes or migrates. With {@code keepContext} (analysis) events not
   * selected still reach the replay's per-CPU context, not its deferrals, rules or counts; without
   * (convert) they are dropped.
   */
  ReadOptions toReadOptions(boolean keepContext) {
    ReadOptions o = ReadOptions.defaults().strict(strict).instance(instance).keepContext(keepContext);
    if (cpus != null) o.cpus(parseCpus(cpus));
    TimeBound f = from == null ? null : time("--from", from);
    TimeBound t = to == null ? null : time("--until", to);
    if (f != null && t != null && f.base() == TimeBound.Base.ABSOLUTE && t.base() == TimeBound.Base.ABSOLUTE
        && f.resolve(0, 0) > t.resolve(0, 0)) {
      throw new KreplayCommand.UsageException("--from " + from + " is after --until " + to);
    }
    o.window(f, t);
    o.select(EventSelection.of(parsePids(pids), globs("--comm", comms), globs("--event", events)));
    return o.selectionLabel(selectionLabel());
  }

  /** For analysis: events not selected are kept for the per-CPU context. */
  ReadOptions toReadOptions() {
    return toReadOptions(true);
  }

  /** The selection as the user gave it, for "selected: K of N events (--cpu 1 --from 411)"; null without one. */
  private String selectionLabel() {
    StringBuilder sb = new StringBuilder();
    if (cpus != null) sb.append(" --cpu ").append(cpus.strip());
    if (from != null) sb.append(" --from ").append(from.strip());
    if (to != null) sb.append(" --until ").append(to.strip());
    if (pids != null) sb.append(" --pid ").append(String.join(",", pids).replace(" ", ""));
    if (comms != null) for (String c : comms) sb.append(" --comm ").append(c);
    if (events != null) for (String e : events) sb.append(" --event ").append(e);
    return sb.length() == 0 ? null : sb.substring(1);
  }

  private static TimeBound time(String option, String value) {
    try {
      return TimeBound.parse(option, value);
    } catch (IllegalArgumentException e) {
      throw new KreplayCommand.UsageException(e.getMessage());
    }
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

  static BitSet parseCpus(String list) {
    BitSet set = new BitSet();
    for (String part : list.split(",")) {
      String p = part.strip();
      try {
        int dash = p.indexOf('-');
        int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
        int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1));
        if (lo < 0 || hi < lo || hi > 65535) throw new NumberFormatException();
        set.set(lo, hi + 1);
      } catch (NumberFormatException e) {
        throw new KreplayCommand.UsageException("--cpu: '" + p + "' is not a CPU number or range (e.g. 0,2-3)");
      }
    }
    return set;
  }
}
