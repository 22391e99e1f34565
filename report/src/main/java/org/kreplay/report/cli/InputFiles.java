package org.kreplay.report.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.kreplay.ingest.log.KernelLogs;

/**
 * Command-line inputs as files: a file stays itself, '-' is standard input, a directory stands
 * for every regular file under it (hidden ones skipped), in path order so results do not depend
 * on the file system's listing order. Which of them are kernel logs is decided by content.
 */
final class InputFiles {
  private InputFiles() {}

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

  /**
   * Whether an argument is a kernel log rather than a trace (content decides). Anything that cannot
   * be sniffed (stdin, a missing file, a directory, an unreadable one) goes to the trace readers,
   * whose errors name the file.
   */
  static boolean isKernelLog(String arg) {
    if (arg.equals("-")) return false;
    Path file = Path.of(arg);
    if (!Files.isRegularFile(file)) return false;
    try {
      return KernelLogs.looksLikeKernelLog(file);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) return true;
    }
    return false;
  }
}
