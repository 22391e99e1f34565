package org.kreplay.ingest.log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.kreplay.ingest.InputStats;
import org.kreplay.ingest.ReadOptions;

/**
 * Benchmark driver (run by bench/splat-bench.sh until the CLI reads logs): reads every report of a log
 * and prints throughput and what was found. Not a test.
 */
public final class SplatBench {
  private SplatBench() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    long size = Files.size(file);
    long start = System.nanoTime();
    Map<SplatKind, Integer> kinds = new EnumMap<>(SplatKind.class);
    long frames = 0;
    int truncated = 0;
    int corrupted = 0;
    InputStats stats;
    try (LogReader r = KernelLogs.open(file.toString(), ReadOptions.defaults())) {
      for (Splat s; (s = r.next()) != null; ) {
        kinds.merge(s.kind(), 1, Integer::sum);
        frames += s.stacks().frames().size();
        if (s.damage().truncated()) truncated++;
        if (s.damage().corrupted()) corrupted++;
      }
      stats = r.stats();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    int total = kinds.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf(Locale.ROOT, "%.2f s  %.1f MB/s  %d lines  %d splats (%d truncated, %d corrupted)  %d frames%n",
        secs, size / 1e6 / secs, stats.lines(), total, truncated, corrupted, frames);
    System.out.println("  " + kinds);
    System.out.printf(Locale.ROOT, "  lines: report %d, frames %d, log %d, blank %d, skipped %d%n", stats.reportLines(),
        stats.stackFrames(), stats.logLines(), stats.blankLines(), stats.skippedTotal());
  }
}
