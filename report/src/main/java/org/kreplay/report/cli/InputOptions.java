package org.kreplay.report.cli;

import java.util.BitSet;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TimeBound;
import picocli.CommandLine.Mixin;
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

  @Mixin EventFilterOptions tasks;

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
    o.select(tasks.selection());
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
    sb.append(tasks.label());
    return sb.length() == 0 ? null : sb.substring(1);
  }

  private static TimeBound time(String option, String value) {
    try {
      return TimeBound.parse(option, value);
    } catch (IllegalArgumentException e) {
      throw new KreplayCommand.UsageException(e.getMessage());
    }
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
