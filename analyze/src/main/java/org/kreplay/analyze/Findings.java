package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings keyed by signature, mergeable. At most {@link #MAX_SIGNATURES} distinct problems are
 * kept; further ones are counted in {@link #dropped()}, so a pathological input cannot exhaust memory.
 */
public final class Findings implements java.io.Serializable {
  public static final int MAX_SIGNATURES = 10_000;

  private final Map<String, Finding> bySignature = new LinkedHashMap<>();
  private long dropped;
  /** Told every reported occurrence while a replay with a timeline runs; null otherwise. */
  private transient java.util.function.Consumer<Finding> observer;

  public Finding get(String signature) {
    return bySignature.get(signature);
  }

  /** Adds a new finding or counts another occurrence of a known one. */
  public void report(Finding f, String source) {
    if (observer != null) observer.accept(f);
    Finding known = bySignature.get(f.signature());
    if (known != null) {
      known.occurred(f.firstTimestamp(), source);
    } else if (bySignature.size() < MAX_SIGNATURES) {
      bySignature.put(f.signature(), f);
    } else {
      dropped++;
    }
  }

  /** Set by the analyzer for a replay with a timeline listener; null stops it. */
  void observe(java.util.function.Consumer<Finding> o) {
    this.observer = o;
  }

  /** Findings by kind, then by descending count. */
  public List<Finding> all() {
    List<Finding> list = new ArrayList<>(bySignature.values());
    list.sort(Comparator.comparing((Finding f) -> f.kind().ordinal())
        .thenComparing(f -> -f.count())
        .thenComparing(Finding::signature));
    return list;
  }

  public int size() {
    return bySignature.size();
  }

  public boolean isEmpty() {
    return bySignature.isEmpty();
  }

  /** Occurrences of problems beyond {@link #MAX_SIGNATURES} distinct ones. */
  public long dropped() {
    return dropped;
  }

  public Findings add(Findings other) {
    for (Finding f : other.bySignature.values()) {
      Finding known = bySignature.get(f.signature());
      if (known != null) {
        known.add(f);
      } else if (bySignature.size() < MAX_SIGNATURES) {
        bySignature.put(f.signature(), f.copy());
      } else {
        dropped += f.count();
      }
    }
    dropped += other.dropped;
    return this;
  }
}
