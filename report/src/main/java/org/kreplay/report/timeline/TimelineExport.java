package org.kreplay.report.timeline;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.Mechanism;
import org.kreplay.analyze.TimelineListener;
import org.kreplay.report.timeline.TrackWriter.Arg;
import org.kreplay.report.timeline.TrackWriter.Kind;

/**
 * The replayed timeline as tracks: per CPU its nested contexts (task, softirq, hardirq, NMI) with
 * the findings and deferral arrows where they happened, and counters for its preempt depth and
 * irqs-off; per task its running and runnable periods. Streams: only the open slices and the
 * tracks declared are kept.
 */
public final class TimelineExport implements TimelineListener, AutoCloseable {
  /** The formats it writes. */
  public enum Format { PERFETTO, CHROME_JSON }

  private static final int CPUS_GROUP = 1;
  private static final int TASKS_GROUP = 2;
  /**
   * Track uuids: the two groups are 1 and 2, the others 8 times their CPU or pid plus their kind,
   * small numbers because every event carries its track's (a varint of 1 to 3 bytes for most).
   */
  private static final int CPU_TRACK = 3;
  private static final int PREEMPT_TRACK = 4;
  private static final int IRQS_TRACK = 5;
  private static final int TASK_TRACK = 6;

  private final TrackWriter writer;
  private final Track cpus = new Track(CPUS_GROUP, "CPUs (replayed context)", null, Kind.GROUP, CPUS_GROUP, 0);
  private final Track tasks = new Track(TASKS_GROUP, "Tasks (scheduler state)", null, Kind.GROUP, TASKS_GROUP, 0);
  private final Map<Long, Track> declared = new HashMap<>();
  /** Per CPU (by number): its slice track, counter tracks and open slices. */
  private Track[] cpuTracks = new Track[0];
  private Track[] preemptTracks = new Track[0];
  private Track[] irqsTracks = new Track[0];
  private int[] openOnCpu = new int[0];
  /** Per task (by the replay's number): its track, and since when its state slice is open. */
  private TaskTrack[] taskTracks = new TaskTrack[0];
  private long taskSlicesBegun;
  private long flows;
  private long slices;
  /** Deferral instants' names by mechanism and key, and "Running on CPU N" by CPU: made once each. */
  private static final int MAX_CACHED_NAMES = 65_536;
  private final Map<Mechanism, Map<String, String[]>> deferralNames = new EnumMap<>(Mechanism.class);
  private String[] runningNames = new String[0];

  /** A task's track; a task is in one state at a time, so at most one slice is open on it. */
  private static final class TaskTrack {
    final Track track;
    /** When its open slice began, counted in slices begun on task tracks; 0: none is open. */
    long openSince;

    TaskTrack(Track track) {
      this.track = track;
    }
  }

  private TimelineExport(TrackWriter writer) {
    this.writer = writer;
  }

  /** Writes {@code format} to {@code out}; {@link #close} ends the document (the stream stays open). */
  public static TimelineExport open(Format format, OutputStream out) throws IOException {
    TrackWriter w = format == Format.PERFETTO ? new PerfettoWriter(out) : new ChromeJsonWriter(out);
    return new TimelineExport(new ThreadedTrackWriter(w, "kreplay-timeline-writer"));
  }

  /** Slices begun, instants and counter values written: what the viewer will show. */
  public long slices() {
    return slices;
  }

  /** Deferral arrows drawn. */
  public long flows() {
    return flows;
  }

  /** Records put out of timestamp order because they were held back too long (see SortedRecords). */
  public long outOfOrder() {
    return writer.outOfOrder();
  }

  @Override
  public void contextBegin(long ts, int cpu, Category kind, String name, int pid) {
    Track t = cpuTrack(cpu);
    List<Arg> args = pid > 0 ? List.of(new Arg("pid", pid)) : List.of();
    io(() -> writer.begin(ts, t, name, kind.label(), args));
    openOnCpu[cpu]++;
    slices++;
  }

  @Override
  public void contextEnd(long ts, int cpu) {
    Track t = cpuTrack(cpu);
    if (openOnCpu[cpu] == 0) return;
    io(() -> writer.end(ts, t));
    openOnCpu[cpu]--;
  }

  @Override
  public void preemptDepth(long ts, int cpu, int depth) {
    counter(ts, cpu, false, depth);
  }

  @Override
  public void irqsOff(long ts, int cpu, boolean off) {
    counter(ts, cpu, true, off ? 1 : 0);
  }

  /** A value on one of the CPU's two counter tracks, declared on first use. */
  private void counter(long ts, int cpu, boolean irqs, long value) {
    cpuTrack(cpu);
    Track[] tracks = irqs ? irqsTracks : preemptTracks;
    Track t = tracks[cpu];
    if (t == null) {
      t = tracks[cpu] = declare(new Track(uuid(irqs ? IRQS_TRACK : PREEMPT_TRACK, cpu),
          "CPU " + cpu + (irqs ? " irqs off" : " preempt depth"), cpus, Kind.COUNTER, CPUS_GROUP, cpu));
    }
    Track track = t;
    io(() -> writer.counter(ts, track, value));
  }

  @Override
  public void taskState(long ts, int task, int pid, String comm, TaskState state, int cpu) {
    TaskTrack t = taskTrack(task, pid, comm);
    Track track = t.track;
    if (t.openSince > 0) io(() -> writer.end(ts, track));
    t.openSince = 0;
    if (state == TaskState.SLEEPING) return;
    String name = state == TaskState.RUNNING ? runningOn(cpu) : state.label();
    io(() -> writer.begin(ts, track, name, "sched", List.of()));
    t.openSince = ++taskSlicesBegun;
    slices++;
  }

  private TaskTrack taskTrack(int task, int pid, String comm) {
    if (task >= taskTracks.length) taskTracks = Arrays.copyOf(taskTracks, Math.max(task + 1, taskTracks.length * 2));
    TaskTrack t = taskTracks[task];
    if (t == null) {
      t = taskTracks[task] = new TaskTrack(declare(new Track(uuid(TASK_TRACK, pid), (comm == null ? "pid" : comm) + " " + pid,
          tasks, Kind.SLICES, TASKS_GROUP, pid)));
    }
    return t;
  }

  @Override
  public void finding(long ts, int cpu, Finding f) {
    if (cpu < 0) return;
    Track t = cpuTrack(cpu);
    List<Arg> args = new ArrayList<>();
    args.add(new Arg("kind", f.kind().label()));
    if (f.culprit() != null) args.add(new Arg("culprit", f.culprit()));
    if (!f.chain().isEmpty()) args.add(new Arg("chain", String.join(" > ", f.chain()))); // outermost first, as the text report
    if (!f.locks().isEmpty()) args.add(new Arg("locks", String.join(", ", f.locks())));
    args.add(new Arg("signature", f.signature()));
    io(() -> writer.instant(ts, t, f.kind().label() + (f.culprit() == null ? "" : ": " + f.culprit()), "finding", args,
        0, 0));
    slices++;
  }

  @Override
  public void deferral(Mechanism m, String key, long enqueueTs, int enqueueCpu, long executeTs, int executeCpu,
      long latencyNs) {
    if (executeCpu < 0) return;
    long id = ++flows;
    // The names say what and which; the latency rides on the execution end only (a trace of
    // millions of deferrals is mostly these two instants).
    String[] names = deferralNames(m, key);
    if (enqueueCpu >= 0) {
      Track from = cpuTrack(enqueueCpu);
      io(() -> writer.instant(enqueueTs, from, names[0], "deferral", List.of(), id, 0));
    }
    Track to = cpuTrack(executeCpu);
    List<Arg> args = latencyNs >= 0 ? List.of(new Arg("latency_ns", latencyNs)) : List.of();
    io(() -> writer.instant(executeTs, to, names[1], "deferral", args, 0, enqueueCpu >= 0 ? id : 0));
    slices += 2;
  }

  /** "MECH queued: KEY" and "MECH runs: KEY", made once per key (most of a trace's instants are these). */
  private String[] deferralNames(Mechanism m, String key) {
    Map<String, String[]> byKey = deferralNames.computeIfAbsent(m, k -> new HashMap<>());
    String[] names = byKey.get(key);
    if (names == null) {
      names = new String[] {m.label() + " queued: " + key, m.label() + " runs: " + key};
      if (byKey.size() < MAX_CACHED_NAMES) byKey.put(key, names);
    }
    return names;
  }

  private String runningOn(int cpu) {
    if (cpu < 0) return "Running on CPU " + cpu;
    if (cpu >= runningNames.length) runningNames = Arrays.copyOf(runningNames, Math.max(cpu + 1, runningNames.length * 2));
    String n = runningNames[cpu];
    if (n == null) n = runningNames[cpu] = "Running on CPU " + cpu;
    return n;
  }

  @Override
  public void end(long ts) {
    for (int cpu = 0; cpu < cpuTracks.length; cpu++) {
      Track t = cpuTracks[cpu];
      for (; openOnCpu[cpu] > 0; openOnCpu[cpu]--) io(() -> writer.end(ts, t));
    }
    // the tasks' open slices end in the order they began: the same file every run
    List<TaskTrack> open = new ArrayList<>();
    for (TaskTrack t : taskTracks) {
      if (t != null && t.openSince > 0) open.add(t);
    }
    open.sort(java.util.Comparator.comparingLong(t -> t.openSince));
    for (TaskTrack t : open) {
      io(() -> writer.end(ts, t.track));
      t.openSince = 0;
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  private Track cpuTrack(int cpu) {
    if (cpu >= cpuTracks.length) {
      int n = Math.max(cpu + 1, cpuTracks.length * 2);
      cpuTracks = Arrays.copyOf(cpuTracks, n);
      preemptTracks = Arrays.copyOf(preemptTracks, n);
      irqsTracks = Arrays.copyOf(irqsTracks, n);
      openOnCpu = Arrays.copyOf(openOnCpu, n);
    }
    Track t = cpuTracks[cpu];
    if (t == null) t = cpuTracks[cpu] = declare(new Track(uuid(CPU_TRACK, cpu), "CPU " + cpu, cpus, Kind.SLICES, CPUS_GROUP, cpu));
    return t;
  }

  private static long uuid(int kind, int cpuOrPid) {
    return 8L * cpuOrPid + kind;
  }

  private Track declare(Track t) {
    if (t.parent() != null && !declared.containsKey(t.parent().uuid())) declare(t.parent());
    io(() -> writer.declare(t));
    declared.put(t.uuid(), t);
    return t;
  }

  private interface Write {
    void run() throws IOException;
  }

  /** The listener cannot throw IOException: it travels unchecked and the caller unwraps it. */
  private static void io(Write w) {
    try {
      w.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
