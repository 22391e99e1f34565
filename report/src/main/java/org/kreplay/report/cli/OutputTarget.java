package org.kreplay.report.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.kreplay.report.AtomicOutput;

/**
 * Where a command's data goes: stdout, or a file written atomically (complete or not at all).
 */
final class OutputTarget implements AutoCloseable {
  private final AtomicOutput file;
  private final OutputStream stream;

  private OutputTarget(AtomicOutput file, OutputStream stream) {
    this.file = file;
    this.stream = stream;
  }

  static OutputTarget open(Path output) throws IOException {
    if (output == null || output.toString().equals("-")) {
      return new OutputTarget(null, new NonClosing(System.out));
    }
    try {
      AtomicOutput a = AtomicOutput.create(output);
      return new OutputTarget(a, a);
    } catch (IOException e) {
      throw new IOException("cannot write " + output + ": " + e.getMessage(), e);
    }
  }

  OutputStream stream() {
    return stream;
  }

  /** Makes the output visible: renames the file into place, or flushes stdout. */
  void commit() throws IOException {
    if (file != null) file.commit();
    else stream.flush();
  }

  @Override
  public void close() throws IOException {
    if (file != null) file.close();
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(PrintStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
