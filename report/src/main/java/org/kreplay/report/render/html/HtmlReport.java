package org.kreplay.report.render.html;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Comparison;

/**
 * Self-contained HTML reports: one file with its styles, a small script (sorting tables, expanding
 * findings) and inline SVG charts, that opens offline in any browser and loads nothing. Every
 * text that comes from an input is escaped, and the page's Content-Security-Policy allows only its
 * own script.
 *
 * <p>The output is streamed to {@code out} in pieces of about {@value HtmlOut#FLUSH_THRESHOLD}
 * characters; lists are capped (findings, keys per mechanism, evidence) and the page says what it
 * left out. {@code out} is flushed, not closed.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /**
   * The report of one analysis: summary, findings (sortable, expandable), deferral latency per
   * mechanism with histogram and CDF charts, context time per CPU, run time, input accounting.
   *
   * @param version kreplay's version, shown in the footer
   * @throws IOException when {@code out} fails
   */
  public static void analysis(AnalysisResult r, String version, Writer out) throws IOException {
    run(() -> AnalysisPage.write(r, version, out));
  }

  /**
   * The report of a before/after comparison: both sides' summaries, findings new, fixed and
   * unchanged, latency rows side by side with their tests and verdicts, and per mechanism
   * before/after charts.
   *
   * @throws IOException when {@code out} fails
   */
  public static void comparison(Comparison c, String version, Writer out) throws IOException {
    run(() -> ComparisonPage.write(c, version, out));
  }

  /**
   * The report of a batch: every file (what it held, or why it could not be read), the kernel logs'
   * reports as distinct problems (when there were logs), then the traces' merged analysis with the
   * same sections as {@link #analysis}.
   *
   * @throws IOException when {@code out} fails
   */
  public static void batch(java.util.List<org.kreplay.report.render.BatchReport.FileResult> files, AnalysisResult total,
      org.kreplay.analyze.SplatResult reports, String version, Writer out) throws IOException {
    run(() -> BatchPage.write(files, total, reports, version, out));
  }

  /**
   * The report of kernel logs: reports grouped into distinct problems, each expandable to its
   * verdict, context and first report.
   *
   * @throws IOException when {@code out} fails
   */
  public static void splats(org.kreplay.analyze.SplatResult r, String version, Writer out) throws IOException {
    run(() -> SplatsPage.write(r, version, out));
  }

  /** A whatif prediction: a row per mechanism and their predicted latency CDFs overlaid. */
  public static void whatif(org.kreplay.analyze.whatif.WhatIfResult r, String input, String version, Writer out)
      throws IOException {
    run(() -> WhatIfPage.write(r, input, version, out));
  }

  /** Rendering code throws unchecked; the caller sees the writer's IOException again. */
  private static void run(Runnable page) throws IOException {
    try {
      page.run();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
