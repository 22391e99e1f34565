package org.kreplay.report.corpus;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.SplatResult;
import org.kreplay.report.render.BatchReport.FileResult;

/** What a batch has merged so far: a row per file, the traces' merged analysis, the kernel logs' reports. */
public final class BatchTotals {
  private final AnalysisResult traces;
  private final SplatResult reports;
  private final List<FileResult> files;

  /** Nothing merged yet into {@code traces} (empty, with the --worst the batch keeps). */
  public BatchTotals(AnalysisResult traces) {
    this(traces, new SplatResult(), new ArrayList<>());
  }

  /** Results merged elsewhere (kreplay-spark's tree), with their files' rows in path order. */
  public BatchTotals(AnalysisResult traces, SplatResult reports, List<FileResult> files) {
    this.traces = traces;
    this.reports = reports;
    this.files = files;
  }

  /** The next file in path order. */
  public void add(FileAnalysis.Outcome o) {
    if (o.result() != null) Analyzer.merge(traces, o.result());
    if (o.reports() != null) reports.merge(o.reports());
    files.add(o.row());
  }

  public AnalysisResult traces() {
    return traces;
  }

  public SplatResult reports() {
    return reports;
  }

  public List<FileResult> files() {
    return files;
  }

  public long unreadable() {
    return files.stream().filter(r -> r.error() != null).count();
  }
}
