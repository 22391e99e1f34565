package org.kreplay.report.cli;

/** kreplay's exit codes, documented in docs/cli.md and in {@code kreplay --help}. */
public final class ExitCodes {
  public static final int OK = 0;
  /** A gate condition held: analyze --fail-on found findings of the kinds asked for (later: compare). */
  public static final int GATE_FAILED = 1;
  public static final int USAGE = 2;
  /** An input could not be read (message names file and line), or an output could not be written. */
  public static final int INPUT = 3;
  /** A bug in kreplay. */
  public static final int INTERNAL = 4;

  private ExitCodes() {}
}
