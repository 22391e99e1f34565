package org.kreplay.analyze;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Set;

/**
 * Facts about the traces analysed: formats, span, events per name, lost events and how the
 * analysis coped with the mess real traces contain. Mergeable: spans add up (traces are separate
 * recordings), counts add up.
 */
public final class TraceSummary implements java.io.Serializable {
  private final Set<String> sources = new TreeSet<>();
  private final Set<String> formats = new TreeSet<>();
  private final Set<String> flagsFormats = new TreeSet<>();
  private final Set<String> kernels = new TreeSet<>();
  private final Set<String> rules = new TreeSet<>();
  private final Set<Integer> cpus = new TreeSet<>();
  private final Map<String, Long> eventsByName = new TreeMap<>();
  private long events;
  private long durationNs;
  private long firstTimestamp = Long.MAX_VALUE;
  private long lastTimestamp = Long.MIN_VALUE;
  private long lostMarkers;
  private long bufferStartedMarkers;
  private long overwrittenEvents;
  private long outOfOrder;
  private long contextRepairs;
  private long unmatchedExits;
  private int hz;
  private long timestampResolutionNs = 1;
  private long untracked;
  private long heldLockResets;

  public Set<String> sources() {
    return Collections.unmodifiableSet(sources);
  }

  public Set<String> formats() {
    return Collections.unmodifiableSet(formats);
  }

  /** How the flags column of each input was read (what context bits are real). */
  public Set<String> flagsFormats() {
    return Collections.unmodifiableSet(flagsFormats);
  }

  /** What kernel each input was taken for, and why ("PREEMPT_RT: 7 flag columns (…)"). */
  public Set<String> kernels() {
    return Collections.unmodifiableSet(kernels);
  }

  void addKernel(String why) {
    kernels.add(why);
  }

  /** The rules the traces were judged by ("non-RT kernel", "PREEMPT_RT kernel", …). */
  public Set<String> rules() {
    return Collections.unmodifiableSet(rules);
  }

  void addRules(String label) {
    rules.add(label);
  }

  public Set<Integer> cpus() {
    return Collections.unmodifiableSet(cpus);
  }

  public Map<String, Long> eventsByName() {
    return Collections.unmodifiableMap(eventsByName);
  }

  public long events() {
    return events;
  }

  /** Sum over traces of last − first timestamp. */
  public long durationNs() {
    return durationNs;
  }

  /** First timestamp (meaningful for a single trace); Long.MAX_VALUE if no events. */
  public long firstTimestamp() {
    return firstTimestamp;
  }

  public long lastTimestamp() {
    return lastTimestamp;
  }

  /** Lost-events markers ({@code CPU:N [LOST M EVENTS]}). */
  public long lostMarkers() {
    return lostMarkers;
  }

  /** {@code ##### CPU N buffer started ####} markers (that CPU's earlier events were overwritten). */
  public long bufferStartedMarkers() {
    return bufferStartedMarkers;
  }

  /** Events overwritten before reading, per the tracefs header. */
  public long overwrittenEvents() {
    return overwrittenEvents;
  }

  /** Events whose timestamp was earlier than the one before them. */
  public long outOfOrder() {
    return outOfOrder;
  }

  /** Times the context stack disagreed with the flags and was corrected from them. */
  public long contextRepairs() {
    return contextRepairs;
  }

  /** Exit events (irq, softirq) with no matching entry, e.g. at the start of a trace. */
  public long unmatchedExits() {
    return unmatchedExits;
  }

  /** The coarsest timestamp resolution of the inputs, in ns (1000 for the kernel's text). */
  public long timestampResolutionNs() {
    return timestampResolutionNs;
  }

  /** Kernel HZ detected from timer events (0 = unknown). */
  public int hz() {
    return hz;
  }

  // ---- recording

  void addSource(String source, String format, String flagsFormat) {
    sources.add(source);
    formats.add(format);
    flagsFormats.add(flagsFormat);
  }

  void countEvent(String name, long count) {
    eventsByName.merge(name, count, Long::sum);
    events += count;
  }

  void addCpu(int cpu) {
    cpus.add(cpu);
  }

  void addSpan(long first, long last) {
    if (last < first) return;
    durationNs += last - first;
    firstTimestamp = Math.min(firstTimestamp, first);
    lastTimestamp = Math.max(lastTimestamp, last);
  }

  void countLostMarker() {
    lostMarkers++;
  }

  void countBufferStarted() {
    bufferStartedMarkers++;
  }

  void addOverwritten(long n) {
    overwrittenEvents += n;
  }

  void countOutOfOrder() {
    outOfOrder++;
  }

  void countContextRepair() {
    contextRepairs++;
  }

  void countUnmatchedExit() {
    unmatchedExits++;
  }

  /** Enqueues not tracked because the table of pending deferrals was full (corrupt input). */
  public long untracked() {
    return untracked;
  }

  /** Times the held-lock state was dropped because events were lost. */
  public long heldLockResets() {
    return heldLockResets;
  }

  void addHeldLockResets(long n) {
    heldLockResets += n;
  }

  void addUntracked(long n) {
    untracked += n;
  }

  void setHz(int hz) {
    this.hz = hz;
  }

  void addTimestampResolution(long ns) {
    timestampResolutionNs = Math.max(timestampResolutionNs, ns);
  }

  public TraceSummary add(TraceSummary o) {
    sources.addAll(o.sources);
    formats.addAll(o.formats);
    flagsFormats.addAll(o.flagsFormats);
    kernels.addAll(o.kernels);
    rules.addAll(o.rules);
    cpus.addAll(o.cpus);
    o.eventsByName.forEach((k, v) -> eventsByName.merge(k, v, Long::sum));
    events += o.events;
    durationNs += o.durationNs;
    firstTimestamp = Math.min(firstTimestamp, o.firstTimestamp);
    lastTimestamp = Math.max(lastTimestamp, o.lastTimestamp);
    lostMarkers += o.lostMarkers;
    bufferStartedMarkers += o.bufferStartedMarkers;
    overwrittenEvents += o.overwrittenEvents;
    outOfOrder += o.outOfOrder;
    contextRepairs += o.contextRepairs;
    unmatchedExits += o.unmatchedExits;
    if (hz == 0) hz = o.hz;
    timestampResolutionNs = Math.max(timestampResolutionNs, o.timestampResolutionNs);
    untracked += o.untracked;
    heldLockResets += o.heldLockResets;
    return this;
  }
}
