package org.kreplay.ingest.internal.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.ingest.log.ChainLink;
import org.kreplay.ingest.log.Frame;
import org.kreplay.ingest.log.LabeledStack;
import org.kreplay.ingest.log.LockLine;
import org.kreplay.ingest.log.Splat;
import org.kreplay.ingest.log.SplatKind;

/**
 * A {@link Splat} while its lines are read: the report reader fills it fact by fact, in whatever
 * order the kernel printed them, then {@link #build} groups them into the report's records. Not
 * thread-safe.
 */
final class SplatDraft {
  private SplatKind kind;
  private String header = "";
  private String source = "";
  private long firstLine;
  private long lastLine;
  private double timestamp = -1;
  private String wallTime;
  private int cpu = -1;
  private int pid = -1;
  private String comm;
  private String callerTag;
  private String kernelRelease;
  private String taint;
  private String hardware;
  private String location;
  private final Map<String, String> facts = new LinkedHashMap<>();
  private int preemptCount = -1;
  private int expectedPreemptCount = -1;
  private Boolean inAtomic;
  private Boolean irqsDisabled;
  private int rcuNestDepth = -1;
  private int expectedRcuNestDepth = -1;
  private String preemptionDisabledAt;
  private final List<LockLine> heldLocks = new ArrayList<>();
  private int heldLocksDeclared = -1;
  private LockLine acquiring;
  private LockLine holding;
  private LockLine lock;
  private LockLine safeLock;
  private LockLine unsafeLock;
  private final List<ChainLink> chain = new ArrayList<>();
  private String usageTransition;
  private final Map<String, String> irqEventStamps = new LinkedHashMap<>();
  private final List<Frame> frames = new ArrayList<>();
  private final List<LabeledStack> otherStacks = new ArrayList<>();
  private boolean truncated;
  private boolean corrupted;
  private final List<String> problems = new ArrayList<>();

  SplatDraft(SplatKind kind) {
    this.kind = kind;
  }

  Splat build() {
    return new Splat(kind, header, location, 
        Collections.unmodifiableMap(new LinkedHashMap<>(facts)),
        new Splat.Where(source, firstLine, lastLine, timestamp, wallTime),
        new Splat.Task(cpu, pid, comm, callerTag),
        new Splat.Kernel(kernelRelease, taint, hardware),
        new Splat.AtomicFacts(preemptCount, expectedPreemptCount, inAtomic, irqsDisabled, rcuNestDepth,
            expectedRcuNestDepth, preemptionDisabledAt),
        new Splat.Lockdep(List.copyOf(heldLocks), heldLocksDeclared, acquiring, holding, lock, safeLock, unsafeLock,
            List.copyOf(chain), usageTransition, Collections.unmodifiableMap(new LinkedHashMap<>(irqEventStamps))),
        new Splat.Stacks(List.copyOf(frames), List.copyOf(otherStacks)),
        new Splat.Damage(truncated, corrupted, List.copyOf(problems)),
        Splat.Text.NONE);
  }

  SplatKind kind() {
    return kind;
  }

  SplatDraft kind(SplatKind v) {
    kind = v;
    return this;
  }

  SplatDraft header(String v) {
    header = v;
    return this;
  }

  SplatDraft source(String v) {
    source = v;
    return this;
  }

  SplatDraft firstLine(long v) {
    firstLine = v;
    return this;
  }

  SplatDraft lastLine(long v) {
    lastLine = v;
    return this;
  }

  long lastLine() {
    return lastLine;
  }

  SplatDraft timestamp(double v) {
    timestamp = v;
    return this;
  }

  SplatDraft wallTime(String v) {
    wallTime = v;
    return this;
  }

  SplatDraft cpu(int v) {
    cpu = v;
    return this;
  }

  int cpu() {
    return cpu;
  }

  SplatDraft pid(int v) {
    pid = v;
    return this;
  }

  int pid() {
    return pid;
  }

  SplatDraft comm(String v) {
    comm = v;
    return this;
  }

  String comm() {
    return comm;
  }

  SplatDraft callerTag(String v) {
    callerTag = v;
    return this;
  }

  SplatDraft kernelRelease(String v) {
    kernelRelease = v;
    return this;
  }

  String kernelRelease() {
    return kernelRelease;
  }

  SplatDraft taint(String v) {
    taint = v;
    return this;
  }

  String taint() {
    return taint;
  }

  SplatDraft hardware(String v) {
    hardware = v;
    return this;
  }

  String hardware() {
    return hardware;
  }

  SplatDraft location(String v) {
    location = v;
    return this;
  }

  String location() {
    return location;
  }

  SplatDraft fact(String key, String value) {
    facts.putIfAbsent(key, value);
    return this;
  }

  Map<String, String> facts() {
    return facts;
  }

  SplatDraft preemptCount(int v) {
    preemptCount = v;
    return this;
  }

  int preemptCount() {
    return preemptCount;
  }

  SplatDraft expectedPreemptCount(int v) {
    expectedPreemptCount = v;
    return this;
  }

  SplatDraft inAtomic(Boolean v) {
    inAtomic = v;
    return this;
  }

  Boolean inAtomic() {
    return inAtomic;
  }

  SplatDraft irqsDisabled(Boolean v) {
    irqsDisabled = v;
    return this;
  }

  SplatDraft rcuNestDepth(int v) {
    rcuNestDepth = v;
    return this;
  }

  SplatDraft expectedRcuNestDepth(int v) {
    expectedRcuNestDepth = v;
    return this;
  }

  SplatDraft preemptionDisabledAt(String v) {
    preemptionDisabledAt = v;
    return this;
  }

  String preemptionDisabledAt() {
    return preemptionDisabledAt;
  }

  List<LockLine> heldLocks() {
    return heldLocks;
  }

  SplatDraft heldLocksDeclared(int v) {
    heldLocksDeclared = v;
    return this;
  }

  int heldLocksDeclared() {
    return heldLocksDeclared;
  }

  SplatDraft acquiring(LockLine v) {
    acquiring = v;
    return this;
  }

  SplatDraft holding(LockLine v) {
    holding = v;
    return this;
  }

  SplatDraft lock(LockLine v) {
    lock = v;
    return this;
  }

  LockLine lock() {
    return lock;
  }

  SplatDraft safeLock(LockLine v) {
    safeLock = v;
    return this;
  }

  SplatDraft unsafeLock(LockLine v) {
    unsafeLock = v;
    return this;
  }

  List<ChainLink> chain() {
    return chain;
  }

  SplatDraft usageTransition(String v) {
    usageTransition = v;
    return this;
  }

  Map<String, String> irqEventStamps() {
    return irqEventStamps;
  }

  List<Frame> frames() {
    return frames;
  }

  List<LabeledStack> otherStacks() {
    return otherStacks;
  }

  SplatDraft truncated(boolean v) {
    truncated = v;
    return this;
  }

  boolean truncated() {
    return truncated;
  }

  SplatDraft corrupted(boolean v) {
    corrupted = v;
    return this;
  }

  boolean corrupted() {
    return corrupted;
  }

  List<String> problems() {
    return problems;
  }

  SplatDraft problem(String v) {
    problems.add(v);
    return this;
  }

  }
