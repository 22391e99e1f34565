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
  private final OutputStream special;

  private OutputTarget(AtomicOutput file, OutputStream stream, OutputStream special) {
    this.file = file;
    this.stream = stream;
    this.special = special;
  }

  static OutputTarget open(Path output) throws IOException {
    if (output == null || output.toString().equals("-")) {
      return new OutputTarget(null, new NonClosing(System.out), null);
    }
    if (java.nio.file.Files.exists(output) && !java.nio.file.Files.isRegularFile(output)) {
      // /dev/null, a named pipe, a terminal: written in place. Renaming a temporary file onto one
      // would replace the device itself with a regular file.
      if (java.nio.file.Files.isDirectory(output)) throw new IOException("cannot write " + output + ": a directory");
      OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(output), 1 << 16);
      return new OutputTarget(null, out, out);
    }
    try {
      AtomicOutput a = AtomicOutput.create(output);
      return new OutputTarget(a, a, null);
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
    if (special != null) special.close();
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
