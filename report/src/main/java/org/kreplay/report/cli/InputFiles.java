package org.kreplay.report.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Command-line inputs as files: a file stays itself, '-' is standard input, a directory stands
 * for every regular file under it (hidden ones skipped), in path order so results do not depend
 * on the file system's listing order.
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

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) return true;
    }
    return false;
  }
}
