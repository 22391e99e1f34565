package org.kreplay.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.kreplay.report.cli.BatchOptions;
import org.kreplay.report.cli.ExitCodes;
import org.kreplay.report.cli.KreplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of kreplay-spark (./kreplay-spark, or spark-submit --class org.kreplay.spark.Main). */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs in-process and returns the exit code (for tests and for main). */
  public static int run(String... args) {
    return commandLine(null, args).execute(args);
  }

  /** @param sc a running context to run in (tests share one), or null to start one */
  static CommandLine commandLine(JavaSparkContext sc, String... args) {
    List<String> batchArgs = args.length > 0 && args[0].equals("batch")
        ? Arrays.asList(args).subList(1, args.length) : List.of();
    CommandLine cl = new CommandLine(new Top());
    cl.addSubcommand(new SparkBatchCommand(List.copyOf(batchArgs), sc));
    return KreplayCommand.configure(cl);
  }

  /** The batch options of a command line, parsed again where a task runs. */
  static BatchOptions batchCommand(List<String> batchArgs) {
    SparkBatchCommand cmd = new SparkBatchCommand(batchArgs, null);
    new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(batchArgs.toArray(new String[0]));
    return cmd.batch;
  }

  @Command(name = "kreplay-spark", mixinStandardHelpOptions = true,
      description = "kreplay's corpus analysis (batch) on Apache Spark.",
      subcommands = CommandLine.HelpCommand.class)
  static final class Top implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCodes.USAGE;
    }
  }
}
