package org.kreplay.analyze;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.kreplay.analyze.internal.rules.LockGraph;
import org.kreplay.ingest.InputStats;

/**
 * Everything one analysis found, as mergeable values: merging the results of two sets of traces
 * gives the result of analysing both sets together.
 */
public final class AnalysisResult implements java.io.Serializable {
  private final TraceSummary summary = new TraceSummary();
  private final InputStats input = new InputStats();
  private final Map<Integer, CpuTimes> cpus = new TreeMap<>();
  private final DeferralStats deferrals = new DeferralStats();
  private final Findings findings = new Findings();
  private final LockGraph lockGraph = new LockGraph();

  public TraceSummary summary() {
    return summary;
  }

  /** Line accounting of every input. */
  public InputStats input() {
    return input;
  }

  /** Per-CPU context time, by CPU number. */
  public Map<Integer, CpuTimes> cpus() {
    return Collections.unmodifiableMap(cpus);
  }

  public CpuTimes cpu(int cpu) {
    return cpus.computeIfAbsent(cpu, CpuTimes::new);
  }

  public DeferralStats deferrals() {
    return deferrals;
  }

  /** Violations found, by signature. */
  public Findings findings() {
    return findings;
  }

  /** lockdep's dependency graph of every lock class seen (the analyzer's, for merging and tests). */
  LockGraph lockGraph() {
    return lockGraph;
  }

  /** Adds {@code other}'s values into this result, all but the lock graph ({@link Analyzer#merge} merges that). */
  void addValues(AnalysisResult other) {
    summary.add(other.summary);
    input.add(other.input);
    other.cpus.forEach((cpu, t) -> cpu(cpu).add(t));
    deferrals.add(other.deferrals);
    findings.add(other.findings);
  }
}
