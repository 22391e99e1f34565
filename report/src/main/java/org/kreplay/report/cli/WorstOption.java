package org.kreplay.report.cli;

import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.DeferralRow;
import picocli.CommandLine.Option;

/** {@code --worst N}: how many of its largest samples each deferral row keeps with their events. */
final class WorstOption {
  /** Memory is N samples per row: a bound keeps a typo from costing the heap. */
  static final int MAX = 100;

  @Option(names = "--worst", paramLabel = "N", defaultValue = "" + DeferralRow.DEFAULT_WORST,
      description = "Keep the N largest samples of each deferral row with the two events each lies between"
          + " (time, CPU, task, file:line or file@offset), 0 to " + MAX + " (default: ${DEFAULT-VALUE}).")
  int worst = DeferralRow.DEFAULT_WORST;

  AnalysisOptions apply(AnalysisOptions options) {
    if (worst < 0 || worst > MAX) {
      throw new KreplayCommand.UsageException("--worst " + worst + ": must be between 0 and " + MAX);
    }
    return options.withWorst(worst);
  }

  /** A result that merges several analyses keeps the global worst N. */
  AnalysisResult result() {
    AnalysisResult r = new AnalysisResult();
    r.deferrals().setWorst(worst);
    return r;
  }
}
