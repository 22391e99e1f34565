package org.kreplay.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineSourceTest {
  private static List<String> lines(int bufferSize, InputStream in) throws IOException {
    LineSource src = new LineSource(in, bufferSize);
    List<String> out = new ArrayList<>();
    while (src.next()) {
      out.add(src.tooLong() ? "<too long>" : new String(src.buffer(), src.start(), src.end() - src.start(), StandardCharsets.UTF_8));
      assertThat(src.lineNumber()).isEqualTo(out.size());
    }
    return out;
  }

  @Test
  void crlfAndMissingFinalNewline() throws IOException {
    byte[] d = "a\r\nbb\n\nccc".getBytes(StandardCharsets.UTF_8);
    assertThat(lines(4, new ByteArrayInputStream(d))).containsExactly("a", "bb", "", "ccc");
  }

  /** The eight-byte newline search must find every position, across buffer refills. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 20261122})
  void randomLineLengthsAcrossSmallBuffers(long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<String> expected = new ArrayList<>();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      int len = rnd.nextInt(40);
      char[] c = new char[len];
      Arrays.fill(c, (char) ('a' + rnd.nextInt(26)));
      expected.add(new String(c));
      sb.append(c).append('\n');
    }
    byte[] d = sb.toString().getBytes(StandardCharsets.UTF_8);
    int buffer = 16 + rnd.nextInt(48);
    int chunk = 1 + (int) (seed % 7);
    // A stream that returns few bytes per read exercises every refill boundary.
    InputStream trickle = new ByteArrayInputStream(d) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
    assertThat(lines(buffer, trickle)).as("seed " + seed + ", buffer " + buffer).isEqualTo(expected);
  }

  @Test
  void newlineSearchAtEveryOffset() {
    for (int len = 1; len < 40; len++) {
      for (int pos = 0; pos < len; pos++) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) 'x');
        b[pos] = '\n';
        assertThat(LineSource.indexOfNewline(b, 0, len)).as("len " + len + " pos " + pos).isEqualTo(pos);
        assertThat(LineSource.indexOfNewline(b, Math.min(pos + 1, len), len)).isEqualTo(-1);
      }
    }
  }

  @Test
  void overlongLinesAreCutAndFlagged() throws IOException {
    byte[] big = new byte[LineSource.MAX_LINE + 5000];
    Arrays.fill(big, (byte) 'y');
    byte[] tail = "\nok\nz\n".getBytes(StandardCharsets.UTF_8);
    byte[] d = Arrays.copyOf(big, big.length + tail.length);
    System.arraycopy(tail, 0, d, big.length, tail.length);
    assertThat(lines(1 << 16, new ByteArrayInputStream(d))).containsExactly("<too long>", "ok", "z");
  }
}
