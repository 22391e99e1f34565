package org.kreplay.report.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.kreplay.ingest.TraceReader;

/**
 * Progress on stderr for long inputs: silent for the first two seconds, then one line every two
 * seconds with how far into the file the reader is. A daemon thread, so it never delays exit.
 */
final class ProgressMeter implements AutoCloseable {
  private static final long QUIET_MS = 2000;

  private final PrintWriter err;
  private final String name;
  private final TraceReader reader;
  private final Thread thread;
  private volatile long events;
  private volatile boolean done;

  private ProgressMeter(PrintWriter err, String name, TraceReader reader) {
    this.err = err;
    this.name = name;
    this.reader = reader;
    this.thread = new Thread(this::loop, "kreplay-progress");
    this.thread.setDaemon(true);
  }

  static ProgressMeter start(PrintWriter err, String name, TraceReader reader, boolean quiet) {
    ProgressMeter m = new ProgressMeter(err, name, reader);
    if (!quiet) m.thread.start();
    return m;
  }

  void events(long n) {
    events = n;
  }

  private void loop() {
    long start = System.currentTimeMillis();
    try {
      Thread.sleep(QUIET_MS);
      while (!done) {
        long read = reader.inputBytesRead();
        long size = reader.inputSize();
        double secs = (System.currentTimeMillis() - start) / 1000.0;
        String where = size > 0 && read >= 0
            ? String.format(Locale.ROOT, "%.0f%% of %.1f MB", 100.0 * read / size, size / 1e6)
            : read >= 0 ? String.format(Locale.ROOT, "%.1f MB", read / 1e6) : "";
        synchronized (err) {
          err.printf(Locale.ROOT, "kreplay: %s: %s, %,d events, %.0f s%n", name, where, events, secs);
          err.flush();
        }
        Thread.sleep(QUIET_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    done = true;
    thread.interrupt();
  }
}
