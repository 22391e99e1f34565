package org.kreplay.report.document;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.report.render.AnalysisCsv;
import org.kreplay.report.render.AnalysisJson;
import org.kreplay.report.render.AnalysisText;
import org.kreplay.report.render.html.HtmlReport;

/** A trace analysis (analyze); csv writes one of its tables. */
public record AnalysisDocument(AnalysisResult result, AnalysisCsv.CsvTable csvTable) implements Document {
  @Override
  public String text(boolean markdown) {
    return markdown ? AnalysisText.markdown(result) : AnalysisText.text(result);
  }

  @Override
  public void json(OutputStream out, String toolVersion) throws IOException {
    AnalysisJson.write(result, toolVersion, out);
  }

  @Override
  public void csv(Writer out) throws IOException {
    AnalysisCsv.write(result, csvTable, out);
  }

  @Override
  public void html(Writer out, String toolVersion) throws IOException {
    HtmlReport.analysis(result, toolVersion, out);
  }
}
