package org.kreplay.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's documentation: README.md and every docs/*.md. */
final class DocsFiles {
  /** The repository root, seen from the report module where the tests run. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private DocsFiles() {}

  static List<Path> all() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  /** The file's name as the docs write it, relative to the root ({@code docs/cli.md}). */
  static String name(Path file) {
    return ROOT.relativize(file).toString().replace('\\', '/');
  }

  /** Whether a line opens or closes a fenced code block. */
  static boolean isFence(String line) {
    String t = line.strip();
    return t.startsWith("```") || t.startsWith("~~~");
  }
}
