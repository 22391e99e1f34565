package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import org.kreplay.ingest.IoErrors;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.report.corpus.NoSuchInputException;
import org.kreplay.report.render.TerminalSafe;
import org.kreplay.report.render.TerminalWidth;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "kreplay",
    mixinStandardHelpOptions = true,
    versionProvider = KreplayCommand.Version.class,
    description = {
      "Replays Linux kernel traces (ftrace text, trace-cmd report, trace-cmd trace.dat, kreplay CSV/JSONL)"
          + " to rebuild what every CPU was doing and how long deferred work waited, checks them against the"
          + " kernel's locking and context rules, and replays the reports in kernel logs through the same rules."
    },
    subcommands = {AnalyzeCommand.class, SplatCommand.class, CompareCommand.class, BatchCommand.class, ExplainCommand.class, WhatIfCommand.class, ConvertCommand.class,
        CommandLine.HelpCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  a gate condition held: --fail-on found findings or kernel reports of",
      "     those kinds (analyze, splat, batch), or a compare condition held;",
      "     batch and splat: some inputs were unreadable (unless --allow-unreadable)",
      "  2  usage error (unknown option, bad value; batch and splat: a path or",
      "     pattern that matches no file)",
      "  3  input error: a trace or log could not be read, or holds nothing kreplay",
      "     recognises (the message names file:line and why), or an output could not",
      "     be written; batch and splat: none of their inputs could be read",
      "  4  internal error in kreplay",
      "",
      "Run 'kreplay help COMMAND' for the options of a command."
    })
public final class KreplayCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  /** No command given is a usage error: the usage goes to stderr, as for any other. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The configured command line: exit-code mapping and error messages without stack traces. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new KreplayCommand());
    cl.addSubcommand(new AutoComplete.GenerateCompletion());
    return configure(cl);
  }

  /**
   * The command line for these arguments. When they start with a command's name, only that command
   * is built: picocli reflects over every option of every command it is given, which cost a fifth of
   * a second of each run; help, completion and anything else get the whole tree.
   */
  public static CommandLine commandLine(String... args) {
    if (args.length > 0) {
      for (Class<?> sub : KreplayCommand.class.getAnnotation(Command.class).subcommands()) {
        Command c = sub.getAnnotation(Command.class);
        if (sub != CommandLine.HelpCommand.class && c.name().equals(args[0])) {
          CommandLine cl = new CommandLine(new Top());
          cl.addSubcommand(sub);
          return configure(cl);
        }
      }
    }
    return commandLine();
  }

  /** The top of a tree built for one command: the same name, so usage and messages read "kreplay COMMAND". */
  @Command(name = "kreplay")
  static final class Top implements java.util.concurrent.Callable<Integer> {
    @Override
    public Integer call() {
      return ExitCodes.USAGE; // unreachable: built only when a command's name comes first
    }
  }

  /** Exit-code mapping and error messages without stack traces, for any command line (kreplay-spark's too). */
  public static CommandLine configure(CommandLine cl) {
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    HelpLayout.apply(cl, helpWidth());
    cl.setExecutionExceptionHandler(KreplayCommand::handle);
    cl.setExitCodeExceptionMapper(t -> ExitCodes.INTERNAL);
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = TerminalSafe.printWriter(ex.getCommandLine().getErr());
      err.println("kreplay: " + ex.getMessage());
      err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
      return ExitCodes.USAGE;
    });
    return cl;
  }

  /**
   * Help as wide as the terminal it is shown on ($COLUMNS); 80 columns into a pipe or a file, so that
   * what is captured does not depend on the window it was made in.
   */
  private static int helpWidth() {
    return System.console() == null ? 80 : TerminalWidth.columns();
  }

  private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = TerminalSafe.printWriter(cl.getErr()); // messages quote inputs: file names, excerpts
    if (ex instanceof TraceFormatException) {
      err.println("kreplay: " + ex.getMessage());
      return ExitCodes.INPUT;
    }
    if (ex instanceof UsageException || ex instanceof NoSuchInputException
        || ex instanceof org.kreplay.ingest.TimeBound.NotPlaceable) {
      err.println("kreplay: " + ex.getMessage());
      return ExitCodes.USAGE;
    }
    if (ex instanceof java.nio.file.FileSystemException fs) {
      // nio's message is the bare path: say why
      err.println("kreplay: " + (fs.getFile() == null ? "" : fs.getFile() + ": ") + IoErrors.reason(fs));
      return ExitCodes.INPUT;
    }
    if (ex instanceof IOException) {
      err.println("kreplay: " + ex.getMessage());
      return ExitCodes.INPUT;
    }
    err.println("kreplay: internal error: " + ex);
    if (System.getenv("KREPLAY_DEBUG") != null) {
      ex.printStackTrace(err);
    } else {
      err.println("(set KREPLAY_DEBUG=1 for a stack trace, and please report it)");
    }
    return ExitCodes.INTERNAL;
  }

  /** A bad option value found after parsing (e.g. an unreadable --cpu list). */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kreplay " + version()};
    }
  }

  static String version() {
    return org.kreplay.report.Version.get();
  }
}
