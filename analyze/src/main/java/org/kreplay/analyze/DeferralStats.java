package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every deferral row of an analysis: per mechanism and metric an "all" row and one row per key.
 * Keys per mechanism are capped at {@link #MAX_KEYS}; later keys are folded into {@link
 * #OTHER_KEY} so memory stays bounded.
 */
public final class DeferralStats implements java.io.Serializable {
  public static final int MAX_KEYS = 2000;
  public static final String OTHER_KEY = "(other keys)";
  static final int ALL_DIGITS = 3;
  static final int KEY_DIGITS = 2;

  private static final int METRICS = DeferralRow.Metric.values().length;

  private int worst = DeferralRow.DEFAULT_WORST;

  /** How many worst samples each row created from now on keeps ({@code --worst N}; 0: none). */
  public void setWorst(int n) {
    if (n < 0) throw new IllegalArgumentException("--worst must be 0 or more, not " + n);
    this.worst = n;
  }

  public int worst() {
    return worst;
  }

  /** Rows by key, one map per (mechanism, metric), indexed by {@link #slot}. */
  @SuppressWarnings("unchecked")
  private final Map<String, DeferralRow>[] rows = new Map[Mechanism.values().length * METRICS];

  private static int slot(Mechanism m, DeferralRow.Metric metric) {
    return m.ordinal() * METRICS + metric.ordinal();
  }

  /** Key rows per mechanism and metric that keep the blame of their tail (the first ones seen). */
  public static final int TAILED_KEYS = 64;
  private final int[] tailedKeys = new int[Mechanism.values().length * METRICS];

  /** The row for a key, created on first use ("all" rows included). */
  public DeferralRow row(Mechanism m, DeferralRow.Metric metric, String key) {
    int slot = slot(m, metric);
    Map<String, DeferralRow> byKey = rows[slot];
    if (byKey == null) {
      byKey = new HashMap<>();
      rows[slot] = byKey;
    }
    DeferralRow r = byKey.get(key);
    if (r != null) return r;
    boolean aggregate = key.equals(DeferralRow.ALL) || key.startsWith(DeferralRow.ALL + " ");
    if (!aggregate && byKey.size() >= MAX_KEYS) {
      return byKey.computeIfAbsent(OTHER_KEY, k -> new DeferralRow(m, metric, k, KEY_DIGITS, worst));
    }
    r = new DeferralRow(m, metric, key, aggregate ? ALL_DIGITS : KEY_DIGITS, worst);
    // the tail's blame for the aggregate rows and the first keys seen: memory stays bounded however
    // many keys a trace has (2,000 wakeup comms would otherwise each keep one)
    if (!aggregate && tailedKeys[slot]++ >= TAILED_KEYS) r.trackNoTail();
    byKey.put(key, r);
    return r;
  }

  /** Removes the row of a key (a chain found to end in a periodic callback). */
  public void remove(Mechanism m, DeferralRow.Metric metric, String key) {
    Map<String, DeferralRow> byKey = rows[slot(m, metric)];
    if (byKey != null) byKey.remove(key);
  }

  /** The row if it exists, else null. */
  public DeferralRow find(Mechanism m, DeferralRow.Metric metric, String key) {
    Map<String, DeferralRow> byKey = rows[slot(m, metric)];
    return byKey == null ? null : byKey.get(key);
  }

  /**
   * All rows in report order: by mechanism, then metric, then aggregate rows first, then keys by
   * descending count.
   */
  public List<DeferralRow> rows() {
    List<DeferralRow> out = new ArrayList<>();
    for (Map<String, DeferralRow> byKey : rows) {
      if (byKey == null) continue;
      {
        List<DeferralRow> list = new ArrayList<>(byKey.values());
        list.sort(Comparator.comparing((DeferralRow r) -> !isAggregate(r.key()))
            .thenComparing(DeferralRow::key, (a, b) -> isAggregate(a) ? a.compareTo(b) : 0)
            .thenComparing(r -> -(r.count() + r.unmatchedEnqueue() + r.unmatchedExecute()))
            .thenComparing(DeferralRow::key));
        out.addAll(list);
      }
    }
    return out;
  }

  static boolean isAggregate(String key) {
    return key.equals(DeferralRow.ALL) || key.startsWith(DeferralRow.ALL + " ");
  }

  public boolean isEmpty() {
    for (Map<String, DeferralRow> byKey : rows) {
      if (byKey != null && !byKey.isEmpty()) return false;
    }
    return true;
  }

  /**
   * Moves the row of {@code from} into the row of {@code to} (merging if both exist), for keys
   * learned late, e.g. a raw address whose symbol became known.
   */
  public void renameKey(Mechanism m, DeferralRow.Metric metric, String from, String to) {
    Map<String, DeferralRow> byKey = rows[slot(m, metric)];
    if (byKey == null) return;
    DeferralRow old = byKey.remove(from);
    if (old != null) row(m, metric, to).add(old);
  }

  public DeferralStats add(DeferralStats other) {
    for (DeferralRow r : other.rows()) {
      row(r.mechanism(), r.metric(), r.key()).add(r);
    }
    return this;
  }
}
