package org.kreplay.report.cli;

/** Entry point: runs the command line and exits with its code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    org.kreplay.analyze.Catalog.preload(); // overlaps reading the catalog with starting up
    OutputTarget.useProcessStdout(); // so that a failed write to stdout (a full disk) is an error, not a silent loss
    System.exit(run(args));
  }

  /** Runs kreplay in-process and returns the exit code (for tests and for main). */
  public static int run(String... args) {
    return KreplayCommand.commandLine(args).execute(args);
  }
}
