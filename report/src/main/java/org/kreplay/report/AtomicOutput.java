package org.kreplay.report;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file that appears complete or not at all: bytes go to a temporary file beside the
 * target, which {@link #commit()} renames over it. Closing without commit deletes the temporary
 * file, so an interrupted run never leaves half a report behind.
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
      throw new IOException("directory does not exist: " + dir);
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
        if (attempt == 8) throw e;
      }
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  /** Flushes, closes and renames the temporary file over the target. */
  public void commit() throws IOException {
    out.flush();
    out.close();
    closed = true;
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (committed) return;
    try {
      if (!closed) out.close();
    } finally {
      closed = true;
      Files.deleteIfExists(temp);
    }
  }

  public Path target() {
    return target;
  }
}
