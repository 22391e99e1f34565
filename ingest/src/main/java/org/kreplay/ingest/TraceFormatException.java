package org.kreplay.ingest;

import java.io.IOException;

/** An input that cannot be read, with the file and line where reading stopped. */
public final class TraceFormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient InputProblem problem;

  public TraceFormatException(InputProblem problem) {
    super(problem.toString());
    this.problem = problem;
  }

  public InputProblem problem() {
    return problem;
  }
}
