package org.kreplay.report.document;

import java.io.OutputStream;
import java.io.Writer;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.SplatResult;
import org.kreplay.report.render.AnalysisText;
import org.kreplay.report.render.SplatText;

/**
 * Traces and kernel logs given to analyze together: the traces' analysis, then the logs' reports.
 * Only the text formats pair them; the others have a document of one kind each.
 */
public record TracesAndLogsDocument(AnalysisResult traces, SplatResult logs) implements Document {
  @Override
  public String text(boolean markdown) {
    return (markdown ? AnalysisText.markdown(traces) : AnalysisText.text(traces)) + "\n"
        + (markdown ? SplatText.markdown(logs, false) : SplatText.text(logs, false));
  }

  @Override
  public void json(OutputStream out, String toolVersion) {
    throw new UnsupportedOperationException("traces with kernel logs: text or md only");
  }

  @Override
  public void csv(Writer out) {
    throw new UnsupportedOperationException("traces with kernel logs: text or md only");
  }

  @Override
  public void html(Writer out, String toolVersion) {
    throw new UnsupportedOperationException("traces with kernel logs: text or md only");
  }
}
