package org.kreplay.report.corpus;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Works on the files of a corpus several at a time and hands the results on strictly in path
 * order: a bounded window of at most twice as many files in flight as there are workers keeps
 * memory bounded, and the merged result does not depend on --jobs.
 */
public final class PathOrder {
  private PathOrder() {}

  /**
   * Runs {@code work} on every file with {@code jobs} threads and gives each result to {@code merge}
   * on the calling thread, in the order of {@code files}. {@code work} reports a bad file in its
   * result; an exception it throws is a bug and stops the run.
   */
  public static <R> void run(List<String> files, int jobs, String threadName, Function<String, R> work,
      Consumer<R> merge) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    try {
      Deque<Future<R>> window = new ArrayDeque<>();
      int next = 0;
      while (next < files.size() || !window.isEmpty()) {
        while (next < files.size() && window.size() < 2 * jobs) {
          String f = files.get(next++);
          window.add(pool.submit(() -> work.apply(f)));
        }
        merge.accept(await(window.removeFirst()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <R> R await(Future<R> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
