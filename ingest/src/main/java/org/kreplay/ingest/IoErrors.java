package org.kreplay.ingest;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Why an I/O operation failed, in the words of the system's error ("permission denied", "is a
 * directory", "no space left on device"). java.nio's exceptions often carry only the path as their
 * message (NoSuchFileException, AccessDeniedException), and for an atomic output that path is a
 * temporary file the user never named; the caller names the file, this says why.
 */
public final class IoErrors {
  private IoErrors() {}

  /** The reason alone, lower case, never a path. */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) return "no such file or directory";
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof NotDirectoryException) return "not a directory";
    if (e instanceof FileAlreadyExistsException) return "already exists";
    if (e instanceof DirectoryNotEmptyException) return "directory not empty";
    if (e instanceof FileSystemException fs) {
      return fs.getReason() != null ? lower(fs.getReason()) : "cannot access (" + e.getClass().getSimpleName() + ")";
    }
    String m = e.getMessage();
    if (e instanceof FileNotFoundException && m != null && m.endsWith(")") && m.lastIndexOf(" (") > 0) {
      // java.io's form: "/path/to/file (Permission denied)"
      return lower(m.substring(m.lastIndexOf(" (") + 2, m.length() - 1));
    }
    if (m == null || m.isBlank()) return e.getClass().getSimpleName();
    return lower(m);
  }

  /** "No space left on device" → "no space left on device"; an acronym ("EOF") stays as it is. */
  private static String lower(String s) {
    String t = s.strip();
    if (t.length() > 1 && Character.isUpperCase(t.charAt(0)) && Character.isLowerCase(t.charAt(1))) {
      return t.substring(0, 1).toLowerCase(Locale.ROOT) + t.substring(1);
    }
    return t;
  }
}
