package org.kreplay.report.document;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.List;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.SplatResult;
import org.kreplay.report.render.AnalysisText;
import org.kreplay.report.render.BatchReport;
import org.kreplay.report.render.BatchReport.FileResult;
import org.kreplay.report.render.SplatText;
import org.kreplay.report.render.html.HtmlReport;

/** A corpus (batch): a row per file, the kernel logs' problems, the traces' merged analysis. */
public record BatchDocument(List<FileResult> files, AnalysisResult traces, SplatResult reports) implements Document {
  @Override
  public String text(boolean markdown) {
    StringBuilder sb = new StringBuilder(BatchReport.filesSection(files, markdown));
    if (!reports.logs().isEmpty()) {
      // The kernel logs' problems first: short, and what a reader acts on.
      sb.append(markdown ? SplatText.markdown(reports, false) : SplatText.text(reports, false)).append('\n');
    }
    return sb.append(markdown ? AnalysisText.markdown(traces) : AnalysisText.text(traces)).toString();
  }

  @Override
  public void json(OutputStream out, String toolVersion) throws IOException {
    BatchReport.json(files, traces, reports, toolVersion, out);
  }

  @Override
  public void csv(Writer out) throws IOException {
    BatchReport.csv(files, traces, out);
  }

  @Override
  public void html(Writer out, String toolVersion) throws IOException {
    HtmlReport.batch(files, traces, reports, toolVersion, out);
  }
}
