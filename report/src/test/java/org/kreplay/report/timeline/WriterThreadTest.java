package org.kreplay.report.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writer thread writes the bytes one thread would: records held for their timestamp and
 * records written straight out, in any mix and size (chunks filled, records bigger than a chunk),
 * and a failure of the output reaches the replay's thread instead of hanging it.
 */
class WriterThreadTest {
  static LongStream seeds() {
    return LongStream.range(1, 11);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theOutputIsWhatOneThreadWrites(long seed) throws IOException {
    Random rnd = new Random(seed);
    ByteArrayOutputStream direct = new ByteArrayOutputStream();
    ByteArrayOutputStream threaded = new ByteArrayOutputStream();
    SortedRecords sorted = new SortedRecords(direct::write);
    WriterThread writer = new WriterThread(threaded::write, "test-writer");
    long ts = 0;
    for (int i = 0; i < 20_000; i++) {
      ts += rnd.nextInt(3);
      byte[] b = new byte[rnd.nextInt(2_000) == 0 ? WriterThread.CHUNK_BYTES + rnd.nextInt(100) : 1 + rnd.nextInt(200)];
      rnd.nextBytes(b);
      if (rnd.nextInt(10) == 0) {
        direct.write(b, 0, b.length); // a declaration: ahead of the held records
        writer.straight(b, 0, b.length);
      } else {
        long t = rnd.nextInt(5) == 0 ? Math.max(0, ts - rnd.nextInt(100)) : ts; // an arrow's start, late
        sorted.add(t, b, 0, b.length);
        writer.add(t, b, 0, b.length);
      }
    }
    sorted.flush();
    writer.finish();
    assertThat(threaded.size()).as("seed %d", seed).isEqualTo(direct.size());
    assertThat(threaded.toByteArray()).as("seed %d", seed).isEqualTo(direct.toByteArray());
    assertThat(writer.outOfOrder()).isEqualTo(sorted.outOfOrder());
  }

  @Test
  void aFailingOutputIsThrownToTheReplayNotHungOn() {
    WriterThread writer = new WriterThread((b, off, len) -> {
      throw new IOException("No space left on device");
    }, "test-writer");
    byte[] record = new byte[1000];
    assertThatThrownBy(() -> {
      for (int i = 0; i < 100_000; i++) writer.straight(record, 0, record.length); // many chunks: the writer failed on the first
      writer.finish();
    }).isInstanceOf(IOException.class).hasMessage("No space left on device");
  }
}
