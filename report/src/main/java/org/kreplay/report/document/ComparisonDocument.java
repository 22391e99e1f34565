package org.kreplay.report.document;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import org.kreplay.analyze.Comparison;
import org.kreplay.report.render.ComparisonCsv;
import org.kreplay.report.render.ComparisonJson;
import org.kreplay.report.render.ComparisonText;
import org.kreplay.report.render.html.HtmlReport;

/** Before against after (compare); csv writes one of its tables. */
public record ComparisonDocument(Comparison comparison, ComparisonCsv.CsvTable csvTable) implements Document {
  @Override
  public String text(boolean markdown) {
    return markdown ? ComparisonText.markdown(comparison) : ComparisonText.text(comparison);
  }

  @Override
  public void json(OutputStream out, String toolVersion) throws IOException {
    ComparisonJson.write(comparison, toolVersion, out);
  }

  @Override
  public void csv(Writer out) throws IOException {
    ComparisonCsv.write(comparison, csvTable, out);
  }

  @Override
  public void html(Writer out, String toolVersion) throws IOException {
    HtmlReport.comparison(comparison, toolVersion, out);
  }
}
