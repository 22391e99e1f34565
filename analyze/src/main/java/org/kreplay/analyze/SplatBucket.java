package org.kreplay.analyze;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One distinct problem among many reports: the first report's verdict, how many reports share its
 * signature, when and where they were seen (first and last as {@code log:line}, kernel
 * timestamps), and in which logs. Mergeable.
 */
public final class SplatBucket implements java.io.Serializable {
  /** Logs named per bucket; beyond, only counted. */
  static final int MAX_SOURCES = 50;

  private final SplatVerdict first;
  private long count;
  private String firstWhere;
  private String lastWhere;
  private double firstTimestamp;
  private double lastTimestamp;
  private final Set<String> sources = new LinkedHashSet<>();
  private long moreSources;
  private long truncated;

  SplatBucket(SplatVerdict v) {
    this.first = v;
    this.firstWhere = where(v);
    this.firstTimestamp = v.splat().where().timestamp();
    this.lastWhere = firstWhere;
    this.lastTimestamp = firstTimestamp;
    count = 1;
    addSource(v.splat().where().source());
    if (v.splat().damage().truncated()) truncated++;
  }

  private static String where(SplatVerdict v) {
    return v.splat().where().source() + ":" + v.splat().where().firstLine();
  }

  void occurred(SplatVerdict v) {
    count++;
    lastWhere = where(v);
    lastTimestamp = v.splat().where().timestamp();
    addSource(v.splat().where().source());
    if (v.splat().damage().truncated()) truncated++;
  }

  private void addSource(String s) {
    if (sources.contains(s)) return;
    if (sources.size() < MAX_SOURCES) sources.add(s);
    else moreSources++;
  }

  void add(SplatBucket other) {
    count += other.count;
    lastWhere = other.lastWhere;
    lastTimestamp = other.lastTimestamp;
    truncated += other.truncated;
    for (String s : other.sources) addSource(s);
    moreSources += other.moreSources;
  }

  /** The verdict of the first report with this signature (its structured report is the example). */
  public SplatVerdict verdict() {
    return first;
  }

  public String signature() {
    return first.signature();
  }

  public long count() {
    return count;
  }

  /** "log:line" of the first report. */
  public String firstSeen() {
    return firstWhere;
  }

  public String lastSeen() {
    return lastWhere;
  }

  /** Kernel timestamp (seconds) of the first report, or -1 when the log has none. */
  public double firstTimestamp() {
    return firstTimestamp;
  }

  public double lastTimestamp() {
    return lastTimestamp;
  }

  /** The logs it appeared in (the first {@value #MAX_SOURCES}). */
  public List<String> sources() {
    return Collections.unmodifiableList(new ArrayList<>(sources));
  }

  /** Logs beyond those named. */
  public long moreSources() {
    return moreSources;
  }

  /** Reports of this signature that were cut short in their log. */
  public long truncated() {
    return truncated;
  }
}
