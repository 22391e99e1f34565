package org.kreplay.analyze;

/**
 * How to analyse: which kernel rules to apply and what the catalog says about lock classes and
 * functions.
 *
 * @param config the kernel configuration the rules assume
 * @param catalog lock classes and functions
 * @param kernelChosen whether the user stated what the traced kernel was; when false, a trace
 *     whose flags show PREEMPT_RT is judged as one (else {@code config.tracedRt()} stands)
 * @param worst how many of its largest samples each deferral row keeps with their events
 */
public record AnalysisOptions(KernelConfig config, Catalog catalog, boolean kernelChosen, int worst) {
  public AnalysisOptions(KernelConfig config, Catalog catalog, boolean kernelChosen) {
    this(config, catalog, kernelChosen, DeferralRow.DEFAULT_WORST);
  }

  /** Non-RT rules with raw-lock nesting unless the trace shows PREEMPT_RT; the built-in catalog. */
  public static AnalysisOptions defaults() {
    return new AnalysisOptions(KernelConfig.DEFAULT, Catalog.builtin(), false);
  }

  /** These rules, the kernel detected from the trace where it says; the built-in catalog. */
  public static AnalysisOptions of(KernelConfig config) {
    return new AnalysisOptions(config, Catalog.builtin(), false);
  }

  public AnalysisOptions withCatalog(Catalog c) {
    return new AnalysisOptions(config, c, kernelChosen, worst);
  }

  public AnalysisOptions withWorst(int n) {
    return new AnalysisOptions(config, catalog, kernelChosen, n);
  }
}
