package org.kreplay.report;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.kreplay.ingest.IoErrors;

/**
 * An output file that appears complete or not at all: bytes go to a temporary file beside the
 * target, which {@link #commit()} renames over it. Closing without commit deletes the temporary
 * file, so an interrupted run never leaves half a report behind. Failures to create, finish or
 * rename it say why ("permission denied", "no such directory: /x") and never name the temporary
 * file, which the user did not ask for; the caller names the target.
 */
public final class AtomicOutput extends FilterOutputStream {
  private final Path target;
  private final Path temp;
  private boolean committed;
  private boolean closed;

  private AtomicOutput(Path target, Path temp, OutputStream out) {
    super(out);
    this.target = target;
    this.temp = temp;
  }

  public static AtomicOutput create(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      Path missing = dir;
      // the nearest ancestor that is not a directory: missing, or a regular file in the way
      while (missing.getParent() != null && !Files.isDirectory(missing.getParent())) missing = missing.getParent();
      throw new IOException(Files.exists(missing) ? "not a directory: " + missing : "no such directory: " + missing);
    }
    // Not Files.createTempFile: it makes the file 0600, and the report would keep that mode.
    // CREATE_NEW with a random name gets the permissions the umask gives any new file.
    java.util.SplittableRandom random = new java.util.SplittableRandom();
    for (int attempt = 0; ; attempt++) {
      Path temp = (dir == null ? Path.of(".") : dir)
          .resolve("." + target.getFileName() + "." + Long.toUnsignedString(random.nextLong(), 36) + ".tmp");
      try {
        java.io.OutputStream out = Files.newOutputStream(temp, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return new AtomicOutput(target, temp, new java.io.BufferedOutputStream(out, 1 << 16));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt == 8) throw new IOException(IoErrors.reason(e), e);
      } catch (IOException e) {
        throw new IOException(IoErrors.reason(e), e); // the message of an nio exception is the temporary path
      }
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  /** Flushes, closes and renames the temporary file over the target. */
  public void commit() throws IOException {
    try {
      out.flush();
      out.close();
      closed = true;
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new IOException(IoErrors.reason(e), e);
    }
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (committed) return;
    try {
      if (!closed) out.close();
    } catch (IOException e) {
      // the run failed already (that is why it was not committed); the temporary file still goes
    } finally {
      closed = true;
      Files.deleteIfExists(temp);
    }
  }

  public Path target() {
    return target;
  }
}
