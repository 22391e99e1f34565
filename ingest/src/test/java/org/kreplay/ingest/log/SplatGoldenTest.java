package org.kreplay.ingest.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every test log, parsed and rendered compactly (kind, task, kernel, facts, locks, frames with their
 * sections, problems), equals its {@code .golden} file beside it. After a deliberate change, regenerate
 * with {@code -Dkreplay.updateGolden=true} and review the diff.
 */
class SplatGoldenTest {
  static List<String> logs() {
    return TestLogs.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("logs")
  void matchesItsGoldenFile(String name) throws IOException {
    SplatText.Result r = TestLogs.read(name);
    String actual = SplatText.render(r);
    Path golden = TestLogs.DIR.resolve(name.substring(0, name.lastIndexOf('.')) + ".golden");
    if (Boolean.getBoolean("kreplay.updateGolden")) Files.writeString(golden, actual, StandardCharsets.UTF_8);
    assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("logs")
  void everyLineIsAccountedFor(String name) throws IOException {
    SplatText.Result r = TestLogs.read(name);
    assertThat(r.stats().accountedLines()).isEqualTo(r.stats().lines());
    for (Splat s : r.splats()) {
      assertThat(s.where().firstLine()).isBetween(1L, r.stats().lines());
      assertThat(s.where().lastLine()).isBetween(s.where().firstLine(), r.stats().lines());
      assertThat(s.damage().problems().isEmpty()).as(s + " problems").isEqualTo(!s.damage().truncated() && !s.damage().corrupted());
    }
  }
}
