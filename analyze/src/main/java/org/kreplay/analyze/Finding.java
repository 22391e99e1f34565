package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A violation of the kernel's locking or context rules, with every occurrence that has the same
 * {@link #signature()} folded in: how often, first and last seen, and the evidence of the first.
 */
public final class Finding implements java.io.Serializable {
  /**
   * The culprit when the input does not show the code (a lock tracepoint without a stack); the task
   * is in the context instead, so one problem in many tasks stays one finding.
   */
  public static final String NO_STACK = "(no stack)";

  /** How sure the verdict is. */
  public enum Certainty {
    /** The rules say so from what the input shows. */
    CERTAIN("certain"),
    /** The input leaves open whether the rule is broken (e.g. flags show preemption disabled but not by whom). */
    POSSIBLE("possible");

    private final String label;

    Certainty(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final FindingKind kind;
  private final String signature;
  private final String culprit;
  private final List<String> chain;
  private final List<String> locks;
  private final String context;
  private final String message;
  private final String remedy;
  private final Certainty certainty;
  private final String rules;
  private final List<Evidence> evidence;
  private final Set<String> sources = new TreeSet<>();
  private long count;
  private long firstTimestamp;
  private long lastTimestamp;

  public Finding(FindingKind kind, String signature, String culprit, List<String> chain, List<String> locks,
      String context, String message, String remedy, Certainty certainty, String rules, List<Evidence> evidence,
      String source, long timestamp) {
    this.kind = kind;
    this.signature = signature;
    this.culprit = culprit;
    this.chain = List.copyOf(chain);
    this.locks = List.copyOf(locks);
    this.context = context;
    this.message = message;
    this.remedy = remedy;
    this.certainty = certainty;
    this.rules = rules;
    this.evidence = new ArrayList<>(evidence);
    this.count = 1;
    this.firstTimestamp = timestamp;
    this.lastTimestamp = timestamp;
    if (source != null) sources.add(source);
  }

  /** The signature used to fold occurrences: kind, culprit and lock classes; no addresses, no times. */
  public static String signature(FindingKind kind, String culprit, List<String> locks) {
    StringBuilder sb = new StringBuilder(kind.label()).append(':').append(culprit);
    if (!locks.isEmpty()) sb.append(':').append(String.join("+", locks));
    return sb.toString();
  }

  public FindingKind kind() {
    return kind;
  }

  public String signature() {
    return signature;
  }

  /** The first frame or event that is not locking, allocator or tracing infrastructure. */
  public String culprit() {
    return culprit;
  }

  /** The call chain from the context's entry to the offending operation, outermost first. */
  public List<String> chain() {
    return chain;
  }

  /** Lock classes involved, in the order that matters for the kind (held before acquired). */
  public List<String> locks() {
    return locks;
  }

  /** The context: hardirq/softirq/task, what it runs, irqs and preemption state, locks held. */
  public String context() {
    return context;
  }

  /** One line saying what is wrong. */
  public String message() {
    return message;
  }

  /** The remedy class that fits the context, as a hint. */
  public String remedy() {
    return remedy;
  }

  public Certainty certainty() {
    return certainty;
  }

  /** The rules the verdict applies ("PREEMPT_RT kernel", "non-RT kernel judged as PREEMPT_RT"…). */
  public String rules() {
    return rules;
  }

  /** Evidence of the first occurrence. */
  public List<Evidence> evidence() {
    return Collections.unmodifiableList(evidence);
  }

  public Set<String> sources() {
    return Collections.unmodifiableSet(sources);
  }

  public long count() {
    return count;
  }

  public long firstTimestamp() {
    return firstTimestamp;
  }

  public long lastTimestamp() {
    return lastTimestamp;
  }

  /** Another occurrence of the same problem. */
  public void occurred(long timestamp, String source) {
    count++;
    firstTimestamp = Math.min(firstTimestamp, timestamp);
    lastTimestamp = Math.max(lastTimestamp, timestamp);
    if (source != null) sources.add(source);
  }

  /** Folds in the occurrences of {@code other} (same signature). */
  public void add(Finding other) {
    count += other.count;
    firstTimestamp = Math.min(firstTimestamp, other.firstTimestamp);
    lastTimestamp = Math.max(lastTimestamp, other.lastTimestamp);
    sources.addAll(other.sources);
  }

  /** An independent copy, for merging into another result. */
  public Finding copy() {
    Finding f = new Finding(kind, signature, culprit, chain, locks, context, message, remedy, certainty, rules,
        evidence, null, firstTimestamp);
    f.count = count;
    f.lastTimestamp = lastTimestamp;
    f.sources.addAll(sources);
    return f;
  }
}
