package org.kreplay.analyze.whatif;

import java.util.List;
import java.util.Set;
import org.kreplay.analyze.AnalysisResult;

/**
 * {@code kreplay whatif}'s answer: what was deferred ({@link #what()}, found as {@link #foundAs()}),
 * its occurrences, and one {@link Prediction} per mechanism asked, in the order asked.
 */
public record WhatIfResult(String what, String foundAs, long occurrences, Set<Integer> cpus, Set<String> findingKinds,
    boolean rt, long spanNs, List<Prediction> predictions, AnalysisResult analysis) {

  /** Whether the trace spans the second a rate per second needs to mean anything. */
  public boolean hasRate() {
    return spanNs >= 1_000_000_000L;
  }

  /** Occurrences per second of trace; 0 when the trace spans no time. */
  public double perSecond() {
    return spanNs <= 0 ? 0 : occurrences * 1e9 / spanNs;
  }
}
