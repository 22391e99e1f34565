package org.kreplay.ingest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kreplay.ingest.InputProblem;
import org.kreplay.ingest.IoErrors;
import org.kreplay.ingest.TraceFormatException;

/** Opens an input file with the error messages every reader gives ("file: reason"). */
public final class InputFiles {
  private InputFiles() {}

  /** An open stream and the stored size in bytes. */
  public record Opened(InputStream in, long size) {}

  /** @param what what the input should be, for "is a directory, not a trace" */
  public static Opened open(String path, String what) throws IOException {
    Path p = Path.of(path);
    if (Files.isDirectory(p)) {
      throw new TraceFormatException(new InputProblem(path, 0, "is a directory, not " + what, ""));
    }
    try {
      InputStream in = Files.newInputStream(p);
      return new Opened(in, Files.size(p));
    } catch (IOException e) {
      throw new TraceFormatException(new InputProblem(path, 0, IoErrors.reason(e), ""));
    }
  }
}
