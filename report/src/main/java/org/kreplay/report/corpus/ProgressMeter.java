package org.kreplay.report.corpus;

import java.io.PrintWriter;
import java.util.Locale;
import org.kreplay.ingest.TraceReader;

/**
 * Progress of one long input on stderr: silent for the first two seconds, then how far into the
 * file the reader is, how fast and how long it has to go ({@link ProgressLine}: in place on a
 * terminal, a line every two seconds elsewhere). A daemon thread, so it never delays exit.
 */
public final class ProgressMeter implements AutoCloseable {
  private static final long QUIET_MS = 2000;

  private final ProgressLine line;
  private final String name;
  private final TraceReader reader;
  private final Thread thread;
  private volatile long events;
  private volatile boolean done;

  private ProgressMeter(PrintWriter err, String name, TraceReader reader) {
    this.line = ProgressLine.on(err);
    this.name = name;
    this.reader = reader;
    this.thread = new Thread(this::loop, "kreplay-progress");
    this.thread.setDaemon(true);
  }

  public static ProgressMeter start(PrintWriter err, String name, TraceReader reader, boolean quiet) {
    ProgressMeter m = new ProgressMeter(err, name, reader);
    if (!quiet) m.thread.start();
    return m;
  }

  public void events(long n) {
    events = n;
  }

  private void loop() {
    long start = System.currentTimeMillis();
    try {
      Thread.sleep(QUIET_MS);
      while (!done) {
        line.show(status((System.currentTimeMillis() - start) / 1000.0));
        Thread.sleep(line.intervalMs());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String status(double secs) {
    long read = reader.inputBytesRead();
    long size = reader.inputSize();
    String where = size > 0 && read >= 0
        ? String.format(Locale.ROOT, "%.0f%% of %,.1f MB", 100.0 * read / size, size / 1e6)
        : read >= 0 ? String.format(Locale.ROOT, "%,.1f MB", read / 1e6) : "";
    String rate = read > 0 ? String.format(Locale.ROOT, ", %,.1f MB/s", read / 1e6 / secs) : "";
    String eta = size > 0 && read >= 0 ? ProgressLine.eta(read, size, secs) : "";
    return String.format(Locale.ROOT, "kreplay: %s: %s, %,d events%s, %s%s", name, where, events, rate,
        ProgressLine.duration(secs), eta);
  }

  /** Stops the meter and erases its line: call before printing anything else about the input. */
  @Override
  public void close() {
    done = true;
    thread.interrupt();
    try {
      thread.join(1000); // so that its last line is drawn before it is erased
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    line.clear();
  }
}
