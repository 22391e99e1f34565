package org.kreplay.report.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a command writes its result, and whether it talks on stderr meanwhile. */
final class OutputOptions {
  @Option(names = {"-o", "--output"}, paramLabel = "FILE",
      description = "Write to FILE (atomically) instead of standard output.")
  Path output;

  @Option(names = {"-q", "--quiet"}, description = "No progress messages on standard error (warnings about the input are still shown).")
  boolean quiet;
}
