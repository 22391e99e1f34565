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
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    return new AtomicOutput(target, temp, new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 16));
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
