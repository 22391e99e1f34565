package org.kreplay.analyze.internal.context;

import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.DeferralStats;
import org.kreplay.analyze.Findings;

/**
 * What the replay records into an analysis result besides findings and deferral rows: the
 * summary's counters and each CPU's context time. The result values publish these read-only;
 * only the analyzer hands the replay a recorder for the result it fills.
 */
public interface ResultRecorder {
  /** Context time of one CPU. */
  interface CpuTimeRecorder {
    void addTime(Category c, long delta);

    /** Moves time from one category to another (reattribution of unknown time). */
    void moveTime(Category from, Category to, long delta);

    void addIrqsTime(boolean off, long delta);

    void countEvent();
  }

  CpuTimeRecorder cpuTimes(int cpu);

  Findings findings();

  DeferralStats deferrals();

  void addCpu(int cpu);

  void countEvent(String name, long count);

  void addSpan(long first, long last);

  void countLostMarker();

  void countBufferStarted();

  void countOutOfOrder();

  void countContextRepair();

  void countUnmatchedExit();

  void addHeldLockResets(long n);

  void addUntracked(long n);

  void setHz(int hz);

  void addTimestampResolution(long ns);
}
