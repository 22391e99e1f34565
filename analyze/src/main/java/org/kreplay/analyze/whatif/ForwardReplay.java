package org.kreplay.analyze.whatif;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.CatalogTypes.NamedFact;
import org.kreplay.analyze.CatalogTypes.WaitStep;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.LatencyStats;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.ReplayedState;
import org.kreplay.analyze.TimelineListener;
import org.kreplay.ingest.ContextFlags;
import org.kreplay.ingest.EventKind;
import org.kreplay.ingest.EventSelection;
import org.kreplay.ingest.TraceEvent;

/**
 * The replay as {@code whatif} hears it: each moment the code to defer runs (an occurrence of a
 * finding it is the culprit of, or else a run of it as a deferral's callback), and from there a
 * {@link Watcher} per mechanism asked (two where PREEMPT_RT differs: which applies is known at
 * the end), fed every later context change until its steps are met or the trace ends.
 */
final class ForwardReplay implements TimelineListener {
  /** Occurrences followed at once, at most; those beyond are counted as not replayed. */
  static final int MAX_OPEN = 100_000;

  /** The occurrences of one kind (from findings, or from callback runs) and what follows them. */
  static final class Source {
    final List<Followed> followed = new ArrayList<>();
    long occurrences;
    final Set<Integer> cpus = new TreeSet<>();
    final Set<FindingKind> kinds = EnumSet.noneOf(FindingKind.class);
    Mechanism callbackOf;
    private long[] lastChange = new long[8];

    /** Whether an occurrence on {@code cpu} is a new run of the code, not the same one again. */
    boolean newRun(int cpu, long changes) {
      if (cpu >= lastChange.length) lastChange = Arrays.copyOf(lastChange, Math.max(cpu + 1, lastChange.length * 2));
      if (occurrences > 0 && cpus.contains(cpu) && lastChange[cpu] == changes) return false;
      lastChange[cpu] = changes;
      return true;
    }
  }

  /** One mechanism under one kernel's rules: its predicted latencies and its open watchers. */
  static final class Followed {
    final Via via;
    final boolean rt;
    final List<WaitStep> steps;
    final LatencyStats latencies = new LatencyStats(3);
    /** Occurrences the trace ends before their steps are done. */
    long unresolved;
    /** Occurrences whose runner the trace does not show within {@link Watcher#HORIZON_NS}, nor where it could have run. */
    long notSeen;
    /** Occurrences ended where their woken runner could first have run (it does not show up in the trace then). */
    long modeled;
    final List<Watcher> open = new ArrayList<>();
    /** Whether a step before the last may end by the model at a time no event marks (Watcher#dueNow). */
    final boolean dueSteps;

    Followed(Via via, boolean rt) {
      this.via = via;
      this.rt = rt;
      this.steps = via.mechanism().waits(rt);
      this.dueSteps = Watcher.runnerBeforeLast(steps);
    }
  }

  private final String what;
  private final List<Pattern> tickLabels = new ArrayList<>();
  private final CpuStates cpus = new CpuStates();
  private final RunnerCosts costs;
  private String pendingWakeup;
  private long pendingLatency;
  /** An occurrence of the event being replayed, started once event() has its flags. */
  private record Pending(Source source, long ts, int cpu) {}

  private final List<Pending> pendingOccurrences = new ArrayList<>();
  /** Whether an interrupt context ended at the event being replayed (its exit event is logged inside it). */
  private boolean endedHere;
  private final Watcher.Replay replay = new Watcher.Replay() {
    @Override
    public boolean isTick(String label) {
      return ForwardReplay.this.isTick(label);
    }

    @Override
    public long wakeCost(Pattern runner, String family, boolean rt) {
      return runner == null ? 0 : costs.median(runner, family, rt);
    }
  };
  final Source fromFindings = new Source();
  final Source fromCallbacks = new Source();
  private long openWatchers;
  /** Every Followed of both sources, for the per-event loops (no iterator per event). */
  private final Followed[] all;

  ForwardReplay(String what, List<Via> vias, Catalog catalog) {
    this.what = what;
    for (NamedFact t : catalog.tickInterrupts()) tickLabels.add(EventSelection.globPattern(t.name()));
    for (Source s : List.of(fromFindings, fromCallbacks)) {
      for (Via v : vias) {
        s.followed.add(new Followed(v, false));
        if (!v.mechanism().waits(true).equals(v.mechanism().waits(false)) || hasThreadStep(v.mechanism().waits(true))) {
          s.followed.add(new Followed(v, true)); // a CFS runner's modeled end differs too (Watcher)
        }
      }
    }
    costs = new RunnerCosts(runnerFamilies(vias));
    List<Followed> both = new ArrayList<>(fromFindings.followed);
    both.addAll(fromCallbacks.followed);
    all = both.toArray(new Followed[0]);
  }

  /** The families of the threads the mechanisms run in. */
  private static List<String> runnerFamilies(List<Via> vias) {
    List<String> out = new ArrayList<>();
    for (Via v : vias) {
      for (boolean rt : new boolean[] {false, true}) {
        for (WaitStep w : v.mechanism().waits(rt)) {
          if (w.kind() == WaitStep.Kind.THREAD || w.kind() == WaitStep.Kind.RT_THREAD) {
            out.add(RunnerCosts.family(w.pattern()));
          }
        }
      }
    }
    return out;
  }

  private static boolean hasThreadStep(List<WaitStep> steps) {
    for (WaitStep w : steps) if (w.kind() == WaitStep.Kind.THREAD) return true;
    return false;
  }

  private boolean isTick(String label) {
    for (Pattern p : tickLabels) if (p.matcher(label).matches()) return true;
    return false;
  }

  /** Whether a finding is about the code asked for: its culprit, its signature or a frame of its chain. */
  boolean matches(Finding f) {
    return what.equals(f.culprit()) || what.equals(f.signature()) || f.chain().contains(what);
  }

  @Override
  public void finding(long ts, int cpu, Finding f) {
    if (!matches(f)) return;
    fromFindings.kinds.add(f.kind());
    pendingOccurrences.add(new Pending(fromFindings, ts, cpu));
  }

  @Override
  public void deferral(Mechanism m, String key, long enqueueTs, int enqueueCpu, long executeTs, int executeCpu,
      long latencyNs) {
    if (m == Mechanism.WAKEUP) {
      // the sample comes with the woken task's sched_switch, whose priority event() sees next
      pendingWakeup = key;
      pendingLatency = latencyNs;
    }
    if (!what.equals(key)) return;
    if (fromCallbacks.callbackOf == null) fromCallbacks.callbackOf = m;
    pendingOccurrences.add(new Pending(fromCallbacks, executeTs, executeCpu));
  }

  private void startPending() {
    if (pendingOccurrences.isEmpty()) return;
    for (Pending p : pendingOccurrences) occurrence(p.source(), p.ts(), p.cpu());
    pendingOccurrences.clear();
  }

  private void occurrence(Source s, long ts, int cpu) {
    if (!s.newRun(cpu, cpus.changes(cpu))) return;
    s.occurrences++;
    s.cpus.add(cpu);
    for (Followed f : s.followed) {
      if (openWatchers >= MAX_OPEN) {
        f.unresolved++;
        continue;
      }
      Watcher w = new Watcher(cpu, ts, f.steps, f.via.jiffies(), f.rt, replay, cpus);
      if (w.done()) {
        record(f, w);
        continue;
      }
      Watcher same = sameStateAs(f.open, w);
      if (same != null) {
        same.absorb(w);
      } else {
        f.open.add(w);
      }
      openWatchers++;
    }
  }

  @Override
  public void contextBegin(long ts, int cpu, Category kind, String name, int pid) {
    fireDue(ts);
    cpus.begin(cpu, kind);
    if (openWatchers == 0) return;
    for (Followed f : all) {
      List<Watcher> open = f.open;
      if (open.isEmpty()) continue;
      boolean any = false;
      for (int i = 0; i < open.size(); i++) any |= open.get(i).contextBegin(ts, cpu, kind, name, cpus);
      if (any) collect(f);
    }
  }

  @Override
  public void event(TraceEvent e, ReplayedState state) {
    int flags = e.flags();
    boolean off = ContextFlags.irqsKnown(flags) && ContextFlags.irqsOff(flags) && !endedHere;
    endedHere = false;
    if (e.cpu() >= 0) {
      long on = cpus.eventIrqsOff(e.cpu(), off, e.timestamp());
      if (on >= 0) stateChanged(on);
    }
    startPending();
    if (e.kind() != EventKind.SCHED_SWITCH) return;
    cpus.switchedTo(e.cpu(), e.nextPrio());
    switched(e.timestamp(), e.cpu(), e.nextPrio() >= 0 && e.nextPrio() < 100);
    if (pendingWakeup != null) {
      costs.wakeup(pendingWakeup, e.nextPrio() < 100, pendingLatency);
      pendingWakeup = null;
    }
  }

  @Override
  public void contextEnd(long ts, int cpu) {
    fireDue(ts);
    endedHere = true;
    cpus.end(cpu);
    stateChanged(ts);
  }

  @Override
  public void preemptDepth(long ts, int cpu, int depth) {
    fireDue(ts);
    cpus.preemptDepth(cpu, depth);
    stateChanged(ts);
  }

  @Override
  public void irqsOff(long ts, int cpu, boolean off) {
    fireDue(ts);
    cpus.irqsOff(cpu, off);
    stateChanged(ts);
  }

  private void switched(long ts, int cpu, boolean toRtTask) {
    if (openWatchers == 0) return;
    for (Followed f : all) {
      List<Watcher> open = f.open;
      if (open.isEmpty()) continue;
      boolean any = false;
      for (int i = 0; i < open.size(); i++) any |= open.get(i).switched(ts, cpu, toRtTask, cpus);
      if (any) collect(f);
    }
  }

  /** Steps whose modeled end came before this change end first, in the CPU state before it. */
  private void fireDue(long ts) {
    if (openWatchers == 0) return;
    for (Followed f : all) {
      if (!f.dueSteps || f.open.isEmpty()) continue;
      boolean any = false;
      for (int i = 0; i < f.open.size(); i++) any |= f.open.get(i).dueNow(ts, cpus);
      if (any) collect(f);
    }
  }

  private void stateChanged(long ts) {
    if (openWatchers == 0) return;
    for (Followed f : all) {
      List<Watcher> open = f.open;
      if (open.isEmpty()) continue;
      boolean any = false;
      for (int i = 0; i < open.size(); i++) any |= open.get(i).stateChanged(ts, cpus);
      if (any) collect(f);
    }
  }

  /**
   * Records the watchers that are done and drops them; one that moved to another step joins a
   * watcher already waiting there in the same state, so their number stays that of the states.
   */
  private void collect(Followed f) {
    List<Watcher> open = f.open;
    for (int i = open.size() - 1; i >= 0; i--) {
      Watcher w = open.get(i);
      if (w.done()) {
        record(f, w);
        openWatchers -= w.count();
      } else if (w.takeMoved()) {
        Watcher same = sameStateAs(open, w);
        if (same == null) continue;
        same.absorb(w);
      } else {
        continue;
      }
      open.set(i, open.get(open.size() - 1));
      open.remove(open.size() - 1);
    }
  }

  /** An open watcher other than {@code w} waiting where {@code w} does, in the same state; null when none. */
  private static Watcher sameStateAs(List<Watcher> open, Watcher w) {
    for (Watcher o : open) if (o != w && o.sameState(w)) return o;
    return null;
  }

  /** Each of the watcher's occurrences that has an end (observed or modeled) is a latency; a missed one is counted. */
  private static void record(Followed f, Watcher w) {
    for (int i = 0; i < w.count(); i++) {
      if (w.missed(i)) {
        f.notSeen++;
      } else if (w.settled(i)) {
        if (w.modeled(i)) f.modeled++;
        f.latencies.record(Math.max(0, w.end(i) - w.start(i)));
      } else {
        f.unresolved++;
      }
    }
  }

  @Override
  public void end(long ts) {
    startPending();
    fireDue(ts);
    for (Followed f : all) {
      for (Watcher w : f.open) {
        w.traceEnded(ts);
        record(f, w);
        openWatchers -= w.count();
      }
      f.open.clear();
    }
  }
}
