package org.kreplay.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Build step (the analyze module's process-classes phase): compiles the built-in YAML catalog to
 * JSON beside it in the classes directory. Reading 220 KB of YAML cost about half a second of every
 * run's start-up (SnakeYAML warming up); the same document as JSON reads in a fraction of that.
 * The YAML stays the source people edit; each file is loaded and checked exactly as a user's
 * catalog is before its JSON is written, so a bad entry fails the build with its line.
 */
public final class CatalogCompiler {
  private CatalogCompiler() {}

  /** Where the compiled copy of a built-in resource lives: the same name with .json. */
  static String compiledName(String yamlResource) {
    return yamlResource.substring(0, yamlResource.length() - ".yaml".length()) + ".json";
  }

  /** {@code CatalogCompiler FILE.yaml...}: writes FILE.json beside each one. */
  public static void main(String[] args) throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (String arg : args) {
      Path source = Path.of(arg);
      byte[] bytes = Files.readAllBytes(source);
      try (InputStream in = new ByteArrayInputStream(bytes)) {
        CatalogLoader.load(new Catalog(), source.toString(), in); // refuses what a user's file would be refused for
      }
      JsonNode tree = CatalogLoader.yamlTree(bytes);
      Path target = source.resolveSibling(compiledName(source.getFileName().toString()));
      Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
      json.writeValue(tmp.toFile(), tree);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
