package org.kreplay.report.cli;

import java.math.BigDecimal;
import java.util.BitSet;
import org.kreplay.ingest.ReadOptions;
import picocli.CommandLine.Option;

/** Options that choose what is read from each input; applied inside the reader. */
final class InputOptions {
  @Option(names = "--cpu", paramLabel = "LIST",
      description = "Only these CPUs, e.g. 0 or 0,2-3.")
  String cpus;

  @Option(names = "--from", paramLabel = "SECONDS",
      description = "Only events at or after this trace timestamp (as printed in the trace, e.g. 98.6511).")
  String from;

  @Option(names = "--until", paramLabel = "SECONDS",
      description = "Only events at or before this trace timestamp.")
  String to;

  @Option(names = "--instance", paramLabel = "NAME",
      description = "Read the trace.dat ring buffer of this instance (trace-cmd record -B NAME) instead of the top one.")
  String instance;

  @Option(names = "--strict",
      description = "Stop at the first line that cannot be read (exit code 3, with file:line) instead of skipping and counting it.")
  boolean strict;

  ReadOptions toReadOptions() {
    ReadOptions o = ReadOptions.defaults().strict(strict).instance(instance);
    if (cpus != null) o.cpus(parseCpus(cpus));
    long f = from == null ? Long.MIN_VALUE : parseSeconds("--from", from);
    long t = to == null ? Long.MAX_VALUE : parseSeconds("--until", to);
    if (f > t) throw new KreplayCommand.UsageException("--from " + from + " is after --until " + to);
    return o.timeRange(f, t).selectionLabel(selectionLabel());
  }

  /** The selection as the user gave it, for "selected: K of N events (--cpu 1 --from 411)"; null without one. */
  private String selectionLabel() {
    StringBuilder sb = new StringBuilder();
    if (cpus != null) sb.append("--cpu ").append(cpus.strip());
    if (from != null) sb.append(sb.length() > 0 ? " " : "").append("--from ").append(from.strip());
    if (to != null) sb.append(sb.length() > 0 ? " " : "").append("--until ").append(to.strip());
    return sb.length() == 0 ? null : sb.toString();
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

  static long parseSeconds(String option, String value) {
    try {
      BigDecimal s = new BigDecimal(value.strip());
      if (s.signum() < 0) throw new NumberFormatException();
      return s.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new KreplayCommand.UsageException(option + ": '" + value + "' is not a timestamp in seconds (e.g. 98.651)");
    }
  }
}
