package org.kreplay.report.document;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import org.kreplay.analyze.whatif.WhatIfResult;
import org.kreplay.report.render.WhatIfCsv;
import org.kreplay.report.render.WhatIfJson;
import org.kreplay.report.render.WhatIfText;
import org.kreplay.report.render.html.HtmlReport;

/** A whatif prediction (whatif); {@code input} names the trace it was made from. */
public record WhatIfDocument(WhatIfResult result, String input) implements Document {
  @Override
  public String text(boolean markdown) {
    return WhatIfText.render(result, input, markdown);
  }

  @Override
  public void json(OutputStream out, String toolVersion) throws IOException {
    WhatIfJson.write(result, input, toolVersion, out);
  }

  @Override
  public void csv(Writer out) throws IOException {
    WhatIfCsv.write(result, out);
  }

  @Override
  public void html(Writer out, String toolVersion) throws IOException {
    HtmlReport.whatif(result, input, toolVersion, out);
  }
}
