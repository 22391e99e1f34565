package org.kreplay.analyze;

import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.internal.context.ResultRecorder;

/** The replay's write access to one {@link AnalysisResult}, made only by the analyzer. */
final class ResultRecording implements ResultRecorder {
  private final AnalysisResult result;
  private final TraceSummary summary;

  ResultRecording(AnalysisResult result) {
    this.result = result;
    this.summary = result.summary();
  }

  @Override
  public CpuTimeRecorder cpuTimes(int cpu) {
    CpuTimes t = result.cpu(cpu);
    return new CpuTimeRecorder() {
      @Override
      public void addTime(Category c, long delta) {
        t.addTime(c, delta);
      }

      @Override
      public void moveTime(Category from, Category to, long delta) {
        t.moveTime(from, to, delta);
      }

      @Override
      public void addIrqsTime(boolean off, long delta) {
        t.addIrqsTime(off, delta);
      }

      @Override
      public void countEvent() {
        t.countEvent();
      }
    };
  }

  @Override
  public Findings findings() {
    return result.findings();
  }

  @Override
  public DeferralStats deferrals() {
    return result.deferrals();
  }

  @Override
  public void addCpu(int cpu) {
    summary.addCpu(cpu);
  }

  @Override
  public void countEvent(String name, long count) {
    summary.countEvent(name, count);
  }

  @Override
  public void addSpan(long first, long last) {
    summary.addSpan(first, last);
  }

  @Override
  public void countLostMarker() {
    summary.countLostMarker();
  }

  @Override
  public void countBufferStarted() {
    summary.countBufferStarted();
  }

  @Override
  public void countOutOfOrder() {
    summary.countOutOfOrder();
  }

  @Override
  public void countContextRepair() {
    summary.countContextRepair();
  }

  @Override
  public void countUnmatchedExit() {
    summary.countUnmatchedExit();
  }

  @Override
  public void addHeldLockResets(long n) {
    summary.addHeldLockResets(n);
  }

  @Override
  public void addUntracked(long n) {
    summary.addUntracked(n);
  }

  @Override
  public void setHz(int hz) {
    summary.setHz(hz);
  }

  @Override
  public void addTimestampResolution(long ns) {
    summary.addTimestampResolution(ns);
  }
}
