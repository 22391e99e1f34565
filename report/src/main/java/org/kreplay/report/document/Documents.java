package org.kreplay.report.document;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.kreplay.report.Version;
import org.kreplay.report.render.TerminalSafe;

/** Writes a document in a format: the one switch over {@link Format}. */
public final class Documents {
  private Documents() {}

  /**
   * Writes {@code document} as {@code format} to {@code out} and flushes it (closing is the caller's).
   * Text and Markdown have control characters from the inputs escaped, so a crafted name cannot drive
   * the terminal; JSON, CSV and HTML escape by their own rules.
   */
  public static void write(Document document, Format format, OutputStream out) throws IOException {
    if (format == Format.json) {
      document.json(out, Version.get());
      out.flush();
      return;
    }
    Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    switch (format) {
      case csv:
        document.csv(w);
        break;
      case html:
        document.html(w, Version.get());
        break;
      default:
        Writer text = TerminalSafe.writer(w);
        text.write(document.text(format == Format.md));
        text.flush();
    }
    w.flush();
  }
}
