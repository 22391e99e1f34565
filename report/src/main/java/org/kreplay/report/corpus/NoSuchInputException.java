package org.kreplay.report.corpus;

/** A corpus argument that names no file: a usage error (exit code 2), as the command line maps it. */
public final class NoSuchInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NoSuchInputException(String message) {
    super(message);
  }
}
