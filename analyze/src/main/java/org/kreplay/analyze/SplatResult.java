package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kreplay.ingest.InputStats;

/**
 * The reports of one or many logs grouped into distinct problems by signature. Mergeable, like
 * {@link AnalysisResult}: merging the results of two halves of a corpus equals the result of the
 * whole (in order).
 */
public final class SplatResult implements java.io.Serializable {
  /** Distinct problems kept; reports of further ones are counted as dropped. */
  public static final int MAX_BUCKETS = 10_000;

  private final Map<String, SplatBucket> buckets = new LinkedHashMap<>();
  private final Map<String, Long> reportsByKind = new TreeMap<>();
  private long reports;
  private long truncated;
  private long corrupted;
  private long reproduced;
  private long dropped;
  private final List<String> logs = new ArrayList<>();
  private final InputStats input = new InputStats();

  public void add(SplatVerdict v) {
    reports++;
    reportsByKind.merge(v.kind(), 1L, Long::sum);
    if (v.splat().damage().truncated()) truncated++;
    if (v.splat().damage().corrupted()) corrupted++;
    if (v.reproduced()) reproduced++;
    SplatBucket b = buckets.get(v.signature());
    if (b != null) b.occurred(v);
    else if (buckets.size() < MAX_BUCKETS) buckets.put(v.signature(), new SplatBucket(v));
    else dropped++;
  }

  void addLog(String source, InputStats stats) {
    logs.add(source);
    input.add(stats);
  }

  public SplatResult merge(SplatResult other) {
    reports += other.reports;
    truncated += other.truncated;
    corrupted += other.corrupted;
    reproduced += other.reproduced;
    dropped += other.dropped;
    other.reportsByKind.forEach((k, n) -> reportsByKind.merge(k, n, Long::sum));
    for (SplatBucket b : other.buckets.values()) {
      SplatBucket mine = buckets.get(b.signature());
      if (mine != null) mine.add(b);
      else if (buckets.size() < MAX_BUCKETS) buckets.put(b.signature(), b);
      else dropped += b.count();
    }
    logs.addAll(other.logs);
    input.add(other.input);
    return this;
  }

  /** Distinct problems, most reports first (then by first appearance). */
  public List<SplatBucket> buckets() {
    List<SplatBucket> list = new ArrayList<>(buckets.values());
    list.sort(Comparator.comparingLong((SplatBucket b) -> -b.count()));
    return list;
  }

  /** The problem with this signature, or null. */
  public SplatBucket get(String signature) {
    return buckets.get(signature);
  }

  public long reports() {
    return reports;
  }

  public Map<String, Long> reportsByKind() {
    return reportsByKind;
  }

  public long truncated() {
    return truncated;
  }

  public long corrupted() {
    return corrupted;
  }

  /** Reports whose call trace, replayed through the kernel model, gave a finding. */
  public long reproduced() {
    return reproduced;
  }

  /** Reports of distinct problems beyond {@link #MAX_BUCKETS}. */
  public long dropped() {
    return dropped;
  }

  public List<String> logs() {
    return logs;
  }

  /** Line accounting of every log read. */
  public InputStats input() {
    return input;
  }
}
