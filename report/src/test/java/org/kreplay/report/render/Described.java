package org.kreplay.report.render;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.Traces;

/**
 * A result as the analyzer makes one, for renderer tests that then add findings or rows by hand:
 * the analysis of a two-line ftrace text named {@code source} (one lock_acquire) under {@code rules},
 * with {@code lost} lost-events markers (each resets the held-lock state).
 */
public final class Described {
  private Described() {}

  public static AnalysisResult result(String source, int lost, KernelConfig rules) {
    StringBuilder text = new StringBuilder("# tracer: nop\n");
    text.append("            life-2848    [001] d...1  4999.900010: lock_acquire: 000000002e8f1a40 &rq->__lock\n");
    for (int i = 0; i < lost; i++) text.append("CPU:1 [LOST 3 EVENTS]\n");
    try {
      return Analyzer.analyze(Traces.open(source, new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
          ReadOptions.defaults()), new AnalysisOptions(rules, Catalog.builtin(), true), Analyzer.Progress.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
