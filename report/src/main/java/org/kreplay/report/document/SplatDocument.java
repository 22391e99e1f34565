package org.kreplay.report.document;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import org.kreplay.analyze.SplatResult;
import org.kreplay.report.render.SplatJson;
import org.kreplay.report.render.SplatText;
import org.kreplay.report.render.html.HtmlReport;

/** Kernel logs' reports grouped into problems (splat, and analyze given logs); details in text only. */
public record SplatDocument(SplatResult result, boolean details) implements Document {
  @Override
  public String text(boolean markdown) {
    return markdown ? SplatText.markdown(result, details) : SplatText.text(result, details);
  }

  @Override
  public void json(OutputStream out, String toolVersion) throws IOException {
    SplatJson.write(result, toolVersion, out);
  }

  @Override
  public void csv(Writer out) throws IOException {
    SplatJson.csv(result, out);
  }

  @Override
  public void html(Writer out, String toolVersion) throws IOException {
    HtmlReport.splats(result, toolVersion, out);
  }
}
