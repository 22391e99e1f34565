package org.kreplay.report.document;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import org.kreplay.analyze.Comparison;
import org.kreplay.analyze.whatif.PredictionCheck;
import org.kreplay.report.render.ComparisonCsv;
import org.kreplay.report.render.ComparisonJson;
import org.kreplay.report.render.ComparisonText;
import org.kreplay.report.render.PredictionCheckText;
import org.kreplay.report.render.html.HtmlReport;

/**
 * Before against after (compare); csv writes one of its tables. With {@code check} (--predicted-from
 * {@code from}) the whatif prediction beside what the after side measured, in text, md and json.
 */
public record ComparisonDocument(Comparison comparison, ComparisonCsv.CsvTable csvTable, PredictionCheck check, String from)
    implements Document {
  public ComparisonDocument(Comparison comparison, ComparisonCsv.CsvTable csvTable) {
    this(comparison, csvTable, null, null);
  }

  @Override
  public String text(boolean markdown) {
    String base = markdown ? ComparisonText.markdown(comparison) : ComparisonText.text(comparison);
    return check == null ? base : base + PredictionCheckText.render(check, from, markdown);
  }

  @Override
  public void json(OutputStream out, String toolVersion) throws IOException {
    ComparisonJson.write(comparison, check, from, toolVersion, out);
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
