package org.kreplay.report.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import org.kreplay.ingest.IoErrors;
import org.kreplay.ingest.TraceFormatException;
import org.kreplay.report.render.TerminalSafe;
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
    subcommands = {AnalyzeCommand.class, SplatCommand.class, CompareCommand.class, BatchCommand.class, ConvertCommand.class,
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
public final class KreplayCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line: exit-code mapping and error messages without stack traces. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new KreplayCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
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

  private static int handle(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = TerminalSafe.printWriter(cl.getErr()); // messages quote inputs: file names, excerpts
    if (ex instanceof TraceFormatException) {
      err.println("kreplay: " + ex.getMessage());
      return ExitCodes.INPUT;
    }
    if (ex instanceof UsageException) {
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
    Properties p = new Properties();
    try (InputStream in = KreplayCommand.class.getResourceAsStream("/kreplay-version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return p.getProperty("version", "unknown");
  }
}
