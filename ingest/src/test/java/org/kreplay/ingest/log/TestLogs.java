package org.kreplay.ingest.log;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.kreplay.ingest.ReadOptions;

/** The test logs under src/test/resources/org/kreplay/ingest/log and helpers to read them. */
final class TestLogs {
  private TestLogs() {}

  /** Where the logs are in the source tree (tests run in the module directory). */
  static final Path DIR = Path.of("src/test/resources/org/kreplay/ingest/log");

  /** Names of every test log (*.log and the seed's *.txt). */
  static List<String> names() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log") || n.endsWith(".txt")).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String name) {
    try (InputStream in = TestLogs.class.getResourceAsStream("/org/kreplay/ingest/log/" + name)) {
      if (in == null) throw new IllegalArgumentException("no test log " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SplatText.Result read(String name) throws IOException {
    return SplatText.read(name, new ByteArrayInputStream(bytes(name)), ReadOptions.defaults());
  }

  static SplatText.Result readText(String text) throws IOException {
    return readText(text, ReadOptions.defaults());
  }

  static SplatText.Result readText(String text, ReadOptions options) throws IOException {
    return SplatText.read("test.log", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), options);
  }

  /** The only splat of a log (fails otherwise). */
  static Splat only(SplatText.Result r) {
    if (r.splats().size() != 1) throw new AssertionError("expected one splat, got " + r.splats());
    return r.splats().get(0);
  }
}
