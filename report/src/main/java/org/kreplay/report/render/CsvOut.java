package org.kreplay.report.render;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * CSV printers over a writer the caller owns: closing the printer (try-with-resources) flushes the
 * rows but leaves the writer, and the output file or standard output under it, open for the caller
 * to finish. Without this a closed printer closes standard output and the command's own final
 * flush fails with "Stream closed".
 */
final class CsvOut {
  private CsvOut() {}

  static CSVPrinter printer(Writer out, String... header) throws IOException {
    return new CSVPrinter(new FilterWriter(out) {
      @Override
      public void close() throws IOException {
        flush();
      }
    }, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader(header).get());
  }
}
