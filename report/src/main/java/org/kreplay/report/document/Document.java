package org.kreplay.report.document;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/**
 * One result a command reports, able to render itself in every {@link Format}. {@link Documents#write}
 * is the one place that picks the format and sets up the output for it.
 */
public interface Document {
  /** The terminal report (plain text) or the same as Markdown. */
  String text(boolean markdown);

  /** JSON, written as bytes: the generator does its own encoding and escaping. */
  void json(OutputStream out, String toolVersion) throws IOException;

  void csv(Writer out) throws IOException;

  void html(Writer out, String toolVersion) throws IOException;
}
