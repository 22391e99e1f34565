package org.kreplay.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The key scanner learns the order a body prints its keys in and tries that order first; it must
 * find exactly what a plain search of every token finds, whatever order the next body has.
 */
class KeyScannerTest {
  private static final String[] KEYS = {"prev_comm", "prev_pid", "pid", "next_pid", "comm", "function"};

  @Test
  void findsEachKeysValueInAnyOrder() {
    KeyScanner k = new KeyScanner("pid", "comm", "prio");
    byte[] a = bytes("comm=cyclictest pid=1234 prio=19");
    k.scan(a, a.length);
    assertThat(new int[] {k.value(0), k.value(1), k.value(2)}).containsExactly(20, 5, 30);
    byte[] b = bytes("pid=7 prio=120 comm=sh");
    k.scan(b, b.length);
    assertThat(new int[] {k.value(0), k.value(1), k.value(2)}).containsExactly(4, 20, 11);
    byte[] c = bytes("xpid=1 [pid=2] (comm=a=b) pidx=3");
    k.scan(c, c.length);
    assertThat(new int[] {k.value(0), k.value(1), k.value(2)}).containsExactly(12, 21, -1);
  }

  static LongStream seeds() {
    return LongStream.range(1, 41).map(i -> i * 0x9E3779B97F4A7C15L);
  }

  /** Random bodies, one scanner for all of them (as a decoder keeps one per event type). */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void agreesWithSearchingEveryTokenOnRandomBodies(long seed) {
    Random r = new Random(seed);
    KeyScanner k = new KeyScanner(KEYS);
    for (int round = 0; round < 200; round++) {
      byte[] body = bytes(randomBody(r));
      k.scan(body, body.length);
      int[] want = plainSearch(body);
      for (int j = 0; j < KEYS.length; j++) {
        assertThat(k.value(j)).as("seed %d, body '%s', key %s", seed, new String(body, StandardCharsets.US_ASCII), KEYS[j])
            .isEqualTo(want[j]);
      }
    }
  }

  private static String randomBody(Random r) {
    List<String> tokens = new ArrayList<>();
    int n = r.nextInt(9);
    String[] junk = {"==>", "x", "pid", "=", "prev", "a=b", "comm=", "[", "(", ""};
    String[] seps = {" ", " ", " ", "[", "(", "  "};
    StringBuilder sb = new StringBuilder();
    for (int t = 0; t < n; t++) {
      if (t > 0) sb.append(seps[r.nextInt(seps.length)]);
      if (r.nextInt(4) == 0) sb.append(junk[r.nextInt(junk.length)]);
      else sb.append(KEYS[r.nextInt(KEYS.length)]).append('=').append(r.nextInt(3) == 0 ? "v w" : Integer.toString(r.nextInt(999)));
    }
    return sb.toString();
  }

  /** The reference: every token start in order, each key's first occurrence as "key=". */
  private static int[] plainSearch(byte[] b) {
    int[] st = new int[KEYS.length];
    java.util.Arrays.fill(st, -1);
    int i = 0;
    while (i < b.length) {
      int k = i;
      while (k < b.length && (Character.isLetterOrDigit(b[k]) || b[k] == '_')) k++;
      if (k > i && k < b.length && b[k] == '=') {
        String key = new String(b, i, k - i, StandardCharsets.US_ASCII);
        for (int j = 0; j < KEYS.length; j++) {
          if (st[j] < 0 && KEYS[j].equals(key)) st[j] = k + 1;
        }
      }
      while (k < b.length && b[k] != ' ' && b[k] != '[' && b[k] != '(') k++;
      i = k + 1;
    }
    return st;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
