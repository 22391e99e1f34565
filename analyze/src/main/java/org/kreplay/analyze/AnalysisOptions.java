package org.kreplay.analyze;

/**
 * How to analyse: which kernel rules to apply and what the catalog says about lock classes and
 * functions.
 *
 * @param config the kernel configuration the rules assume
 * @param catalog lock classes and functions
 * @param kernelDetected whether {@code config.tracedRt()} was chosen by the user (false: detect
 *     from the trace where it says, else non-RT)
 */
public record AnalysisOptions(KernelConfig config, Catalog catalog, boolean kernelDetected) {
  private static final class Builtin {
    static final Catalog CATALOG = Catalog.builtin();
  }

  /** Non-RT rules with raw-lock nesting, the built-in catalog. */
  public static AnalysisOptions defaults() {
    return new AnalysisOptions(KernelConfig.DEFAULT, Builtin.CATALOG, true);
  }

  public static AnalysisOptions of(KernelConfig config) {
    return new AnalysisOptions(config, Builtin.CATALOG, false);
  }

  public AnalysisOptions withCatalog(Catalog c) {
    return new AnalysisOptions(config, c, kernelDetected);
  }
}
