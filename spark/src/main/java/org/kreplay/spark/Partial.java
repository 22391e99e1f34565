package org.kreplay.spark;

import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.SplatResult;
import org.kreplay.report.corpus.FileAnalysis;
import org.kreplay.report.render.BatchReport.FileResult;

/**
 * The merged result of a run of consecutive files (one file, or a node of the merge tree): their
 * rows in path order, their traces' merged analysis and their kernel logs' merged reports (null
 * when the run has none). What travels between Spark tasks, encoded by {@link ResultCodec}.
 */
final class Partial {
  final List<FileResult> rows;
  final AnalysisResult traces;
  final SplatResult reports;

  Partial(List<FileResult> rows, AnalysisResult traces, SplatResult reports) {
    this.rows = rows;
    this.traces = traces;
    this.reports = reports;
  }

  /** One file's outcome. */
  static Partial of(FileAnalysis.Outcome o) {
    List<FileResult> rows = new ArrayList<>(1);
    rows.add(o.row());
    return new Partial(rows, o.result(), o.reports());
  }

  /** Nothing merged yet, as batch starts: a result that keeps the global worst N samples per row. */
  static Partial empty(int worst) {
    AnalysisResult traces = new AnalysisResult();
    traces.deferrals().setWorst(worst);
    return new Partial(new ArrayList<>(), traces, new SplatResult());
  }

  /** Merges the run of files that follows this one, as batch merges the next file. */
  Partial add(Partial next) {
    rows.addAll(next.rows);
    if (next.traces != null) Analyzer.merge(traces, next.traces);
    if (next.reports != null) reports.merge(next.reports);
    return this;
  }
}
