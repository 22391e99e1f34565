package org.kreplay.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's {@code --catalog} file, any bytes: it loads, or it is refused with a
 * {@link Catalog.CatalogException} of one line that names the file and, where there is one, a line
 * of it; no other exception, no class names in the message. A loaded catalog answers lookups. The
 * normal build runs the inputs under {@code CatalogFuzzTestInputs/} (sections of the shipped catalog,
 * user files like the one in docs/catalog.md, and every input the fuzzer once broke it with);
 * {@code bench/fuzz.sh} fuzzes from them.
 *
 * <p>As in the ingest targets, a first byte 0x01 repeats the rest to 256 KiB, so that work growing
 * faster than the file shows as a timeout while fuzzing.
 */
class CatalogFuzzTest {
  private static final Pattern LOCATED = Pattern.compile("fuzz\\.yaml(?::(\\d+))?(?::\\d+)?: \\S.*");

  @FuzzTest(maxDuration = "30s")
  void readsAnyYaml(byte[] data) throws IOException {
    byte[] input = data;
    if (data.length > 1 && data[0] == 0x01) {
      input = new byte[256 * 1024];
      for (int at = 0; at < input.length; at += data.length - 1) {
        System.arraycopy(data, 1, input, at, Math.min(data.length - 1, input.length - at));
      }
    }
    Catalog c;
    try {
      c = Catalog.read("fuzz.yaml", new ByteArrayInputStream(input));
    } catch (Catalog.CatalogException e) {
      String m = e.getMessage();
      Matcher at = LOCATED.matcher(m);
      assertThat(at.matches()).as("names the file: %s", m).isTrue();
      assertThat(m).doesNotContain("\n").doesNotContain("\r").doesNotContain("org.kreplay")
          .doesNotContain("com.fasterxml").doesNotContain("org.yaml");
      if (at.group(1) != null) {
        assertThat(Long.parseLong(at.group(1))).as("line inside the file: %s", m).isBetween(1L, lines(input) + 1);
      }
      return;
    }
    assertThat(c.files()).containsExactly("fuzz.yaml");
    for (String name : Arrays.asList("&rq->__lock/1", "kmem_cache_free.part.0", "inactive_task_timer", "", "x")) {
      c.lockType(name);
      c.function(name);
      c.hrtimerCallback(name);
      c.irqWorkHard(name);
      c.irqNeverThreaded(name);
      c.skipReason(name);
      c.tracingFrame(name);
    }
  }

  /** Lines as YAML counts them: LF, CR LF, CR, and NEL, LS, PS (U+0085, U+2028, U+2029) each end one. */
  private static long lines(byte[] b) {
    long n = 1;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n' || (b[i] == '\r' && (i + 1 == b.length || b[i + 1] != '\n'))) n++;
      else if ((b[i] & 0xff) == 0xc2 && i + 1 < b.length && (b[i + 1] & 0xff) == 0x85) n++;
      else if ((b[i] & 0xff) == 0xe2 && i + 2 < b.length && (b[i + 1] & 0xff) == 0x80
          && ((b[i + 2] & 0xff) == 0xa8 || (b[i + 2] & 0xff) == 0xa9)) n++;
    }
    return n;
  }
}
