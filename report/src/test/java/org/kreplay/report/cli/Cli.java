package org.kreplay.report.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs kreplay in-process, as a user would from the shell, capturing what it prints. */
public final class Cli {
  public record Run(int exit, String out, String err) {}

  private Cli() {}

  public static synchronized Run run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  /**
   * Runs a command that must succeed and returns what it printed; a failure shows its stderr (a
   * report that printed well and then failed, e.g. on its final flush, must not pass a test).
   */
  public static String ok(String... args) {
    Run r = run(args);
    if (r.exit() != 0) {
      throw new AssertionError("kreplay " + String.join(" ", args) + " exited " + r.exit() + ": " + r.err());
    }
    return r.out();
  }

  public static synchronized Run runWithStdin(byte[] stdin, String... args) {
    PrintStream oldOut = System.out;
    InputStream oldIn = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setIn(new ByteArrayInputStream(stdin));
      var cl = KreplayCommand.commandLine(args);
      cl.setErr(new PrintWriter(err, true));
      cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
      int exit = cl.execute(args);
      System.out.flush();
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(oldOut);
      System.setIn(oldIn);
    }
  }
}
