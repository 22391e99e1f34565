package org.kreplay.report.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.kreplay.ingest.log.KernelLogs;

/**
 * Command-line inputs as files: a file stays itself, '-' is standard input, a directory stands
 * for every regular file under it (hidden ones skipped), in path order so results do not depend
 * on the file system's listing order. Which of them are kernel logs is decided by content.
 */
public final class Corpus {
  private Corpus() {}

  /** The files given, kernel logs sorted from traces, each kind in the order given. */
  public record Sorted(List<String> traces, List<String> logs) {}

  /**
   * The files of arguments read as one result (analyze, each side of compare): a directory without
   * a file is an input error naming it; a missing path is left to the reader to name.
   */
  public static List<String> expandInputs(List<String> args) throws IOException {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      List<String> files = expand(List.of(a));
      if (files.isEmpty()) throw new IOException(a + ": no files in this directory");
      out.addAll(files);
    }
    return out;
  }

  /**
   * The files of a corpus (batch, splat): an argument that names nothing — a mistyped path, or a
   * glob the shell found no match for and passed on as it was — or a directory without a file is
   * a usage error naming it, not an empty run that passes.
   */
  public static List<String> expandCorpus(List<String> args) throws IOException {
    for (String a : args) {
      if (a.equals("-")) continue;
      if (missing(Path.of(a))) {
        throw new NoSuchInputException(isPattern(a)
            ? "'" + a + "' matches no file (a pattern the shell found no match for)"
            : a + ": no such file or directory");
      }
      if (Files.isDirectory(Path.of(a)) && expand(List.of(a)).isEmpty()) {
        throw new NoSuchInputException(a + ": no files in this directory");
      }
    }
    return expand(args);
  }

  /** Kernel logs sorted from traces (content decides), each kind keeping its order. */
  public static Sorted sort(List<String> files) {
    List<String> traces = new ArrayList<>();
    List<String> logs = new ArrayList<>();
    for (String f : files) (isKernelLog(f) ? logs : traces).add(f);
    return new Sorted(traces, logs);
  }

  /**
   * Whether an argument is a kernel log rather than a trace (content decides). Anything that cannot
   * be sniffed (stdin, a missing file, a directory, an unreadable one) goes to the trace readers,
   * whose errors name the file.
   */
  public static boolean isKernelLog(String arg) {
    if (arg.equals("-")) return false;
    Path file = Path.of(arg);
    if (!Files.isRegularFile(file)) return false;
    try {
      return KernelLogs.looksLikeKernelLog(file);
    } catch (IOException e) {
      return false;
    }
  }

  static List<String> expand(List<String> args) throws IOException {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      if (a.equals("-")) {
        out.add(a);
        continue;
      }
      Path p = Path.of(a);
      if (!Files.isDirectory(p)) {
        out.add(a);
        continue;
      }
      try (Stream<Path> walk = Files.walk(p)) {
        walk.filter(Files::isRegularFile)
            .filter(f -> !hidden(p.relativize(f)))
            .map(Path::toString)
            .sorted()
            .forEach(out::add);
      }
    }
    return out;
  }

  /** Nothing at that path (a path through a regular file, or one not readable, is left to the reader to name). */
  private static boolean missing(Path p) {
    try {
      Files.readAttributes(p, BasicFileAttributes.class);
      return false;
    } catch (NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isPattern(String a) {
    return a.indexOf('*') >= 0 || a.indexOf('?') >= 0 || a.indexOf('[') >= 0;
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) return true;
    }
    return false;
  }
}
