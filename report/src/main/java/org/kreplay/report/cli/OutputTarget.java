package org.kreplay.report.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kreplay.ingest.IoErrors;
import org.kreplay.report.AtomicOutput;
import org.kreplay.report.document.Document;
import org.kreplay.report.document.Documents;
import org.kreplay.report.document.Format;
import org.kreplay.report.render.TerminalSafe;

/**
 * Where a command's data goes: stdout, or a file written atomically (complete or not at all). Every
 * failure to write says which output and why: "cannot write report.json: no space left on device".
 */
final class OutputTarget implements AutoCloseable {
  static final String STDOUT = "standard output";

  /**
   * The process's standard output as a plain stream, set by {@link Main#main}: System.out is a
   * PrintStream, which swallows write errors (a full disk would pass as success). In-process runs
   * (tests) write to System.out and learn of an error only from its error flag.
   */
  private static volatile OutputStream processStdout;

  private final String name;
  private final AtomicOutput file;
  private final Guarded stream;
  private final OutputStream special;

  private OutputTarget(String name, AtomicOutput file, OutputStream out, OutputStream special) {
    this.name = name;
    this.file = file;
    this.stream = new Guarded(out, name);
    this.special = special;
  }

  static void useProcessStdout() {
    processStdout = new FileOutputStream(FileDescriptor.out);
  }

  static OutputTarget open(Path output) throws IOException {
    if (output == null || output.toString().equals("-")) {
      OutputStream raw = processStdout;
      return new OutputTarget(STDOUT, null, new NonClosing(raw != null ? raw : System.out), null);
    }
    String name = output.toString();
    if (Files.isDirectory(output)) throw new IOException("cannot write " + name + ": is a directory");
    if (Files.exists(output) && !Files.isRegularFile(output)) {
      // /dev/null, a named pipe, a terminal: written in place. Renaming a temporary file onto one
      // would replace the device itself with a regular file.
      try {
        OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(output), 1 << 16);
        return new OutputTarget(name, null, out, out);
      } catch (IOException e) {
        throw new IOException("cannot write " + name + ": " + IoErrors.reason(e), e);
      }
    }
    try {
      AtomicOutput a = AtomicOutput.create(output);
      return new OutputTarget(name, a, a, null);
    } catch (IOException e) {
      throw new IOException("cannot write " + name + ": " + e.getMessage(), e);
    }
  }

  /** Writes a command's report in its format to FILE or stdout, complete or not at all. */
  static void write(Document document, Format format, Path output) throws IOException {
    try (OutputTarget out = open(output)) {
      Documents.write(document, format, out.stream());
      out.commit();
    }
  }

  OutputStream stream() {
    return stream;
  }

  /** For JSON, CSV and HTML, which escape by their own rules. */
  Writer writer() {
    return new OutputStreamWriter(stream, StandardCharsets.UTF_8);
  }

  /** For text and Markdown reports: control characters from inputs shown escaped ({@link TerminalSafe}). */
  Writer text() {
    return TerminalSafe.writer(writer());
  }

  /** Makes the output visible: renames the file into place, or flushes stdout. */
  void commit() throws IOException {
    stream.flush();
    if (file != null) {
      try {
        file.commit();
      } catch (IOException e) {
        throw new IOException("cannot write " + name + ": " + e.getMessage(), e);
      }
    }
    stream.checkPrintStream();
  }

  @Override
  public void close() throws IOException {
    if (file != null) file.close();
    if (special != null) {
      try {
        special.close();
      } catch (IOException e) {
        throw new IOException("cannot write " + name + ": " + IoErrors.reason(e), e);
      }
    }
  }

  /**
   * Turns a failing write into "cannot write NAME: why". A pipe closed by its reader (`| head`) is
   * not an error: the rest is discarded, as a reader that has had enough wants.
   */
  private static final class Guarded extends FilterOutputStream {
    private final String name;
    private boolean closedPipe;

    Guarded(OutputStream out, String name) {
      super(out);
      this.name = name;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closedPipe) return;
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        fail(e);
      }
    }

    @Override
    public void flush() throws IOException {
      if (closedPipe) return;
      try {
        out.flush();
      } catch (IOException e) {
        fail(e);
      }
    }

    @Override
    public void close() throws IOException {
      flush();
      if (!closedPipe) out.close();
    }

    private void fail(IOException e) throws IOException {
      String why = IoErrors.reason(e);
      if (name.equals(STDOUT) && why.equalsIgnoreCase("broken pipe")) {
        closedPipe = true;
        return;
      }
      throw new IOException("cannot write " + name + ": " + why, e);
    }

    /** System.out keeps its errors to itself; its flag is all there is to ask. */
    void checkPrintStream() throws IOException {
      if (out instanceof NonClosing nc && nc.out() instanceof PrintStream ps && ps.checkError()) {
        throw new IOException("cannot write " + name + ": write error");
      }
    }
  }

  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    OutputStream out() {
      return out;
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
