package org.kreplay.report.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kreplay.report.timeline.TrackWriter.Arg;
import org.kreplay.report.timeline.TrackWriter.Kind;

/**
 * The writer on its own thread writes the bytes it writes on the caller's: every kind of call, in
 * any mix, over many chunks, in both formats; and a failing output reaches the caller instead of
 * hanging it.
 */
class ThreadedTrackWriterTest {
  static LongStream seeds() {
    return LongStream.range(1, 9);
  }

  /** The same seeded calls on {@code w}: tracks declared first, slices nested, late arrow starts. */
  private static void calls(long seed, TrackWriter w) throws IOException {
    Random rnd = new Random(seed);
    List<Track> tracks = new ArrayList<>();
    long ts = 1_000;
    int[] open = new int[8];
    for (int i = 0; i < 30_000; i++) {
      ts += rnd.nextInt(50);
      int op = rnd.nextInt(10);
      if (tracks.size() < 8 && (tracks.isEmpty() || op == 0)) {
        Track t = new Track(tracks.size() + 1, "CPU " + tracks.size(), null, Kind.SLICES, 0, tracks.size());
        tracks.add(t);
        w.declare(t);
        continue;
      }
      int k = rnd.nextInt(tracks.size());
      Track t = tracks.get(k);
      if (op < 3) {
        w.begin(ts, t, "task " + rnd.nextInt(100), "task", rnd.nextBoolean() ? List.of() : List.of(new Arg("pid", i)));
        open[k]++;
      } else if (op < 6 && open[k] > 0) {
        w.end(ts, t);
        open[k]--;
      } else if (op < 9) {
        long id = i + 1L;
        w.instant(Math.max(0, ts - rnd.nextInt(2_000)), t, "queue " + rnd.nextInt(20), "deferral", List.of(), id, 0);
        w.instant(ts, t, "run", "deferral", List.of(new Arg("latency_ns", rnd.nextInt(1_000))), 0, id);
      } else {
        w.counter(ts, t, rnd.nextInt(5));
      }
    }
    for (int k = 0; k < tracks.size(); k++) for (; open[k] > 0; open[k]--) w.end(ts, tracks.get(k));
  }

  private static TrackWriter writer(boolean perfetto, OutputStream out) throws IOException {
    return perfetto ? new PerfettoWriter(out) : new ChromeJsonWriter(out);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theBytesAreThoseOfTheWriterOnOneThread(long seed) throws IOException {
    for (boolean perfetto : new boolean[] {true, false}) {
      ByteArrayOutputStream direct = new ByteArrayOutputStream();
      ByteArrayOutputStream threaded = new ByteArrayOutputStream();
      TrackWriter one = writer(perfetto, direct);
      calls(seed, one);
      one.close();
      TrackWriter two = new ThreadedTrackWriter(writer(perfetto, threaded), "test-writer");
      calls(seed, two);
      two.close();
      assertThat(threaded.size()).as("seed %d, perfetto %s", seed, perfetto).isGreaterThan(100_000);
      assertThat(threaded.toByteArray()).as("seed %d, perfetto %s", seed, perfetto).isEqualTo(direct.toByteArray());
      assertThat(two.outOfOrder()).isEqualTo(one.outOfOrder());
    }
  }

  @Test
  void aFailingOutputIsThrownToTheCallerNotHungOn() {
    OutputStream full = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("No space left on device");
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        throw new IOException("No space left on device");
      }
    };
    Track t = new Track(1, "CPU 0", null, Kind.SLICES, 0, 0);
    assertThatThrownBy(() -> {
      TrackWriter w = new ThreadedTrackWriter(new PerfettoWriter(full), "test-writer");
      w.declare(t);
      // far more than the chunks in flight: the writer failed on the first output
      for (int i = 0; i < 20 * ThreadedTrackWriter.CALLS * ThreadedTrackWriter.CHUNKS; i++) w.counter(i, t, i);
      w.close();
    }).isInstanceOf(IOException.class).hasMessage("No space left on device");
  }
}
