package org.kreplay.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.kreplay.report.document.BatchDocument;

/** The bundled inputs the module's tests run on, and the batch JSON of a merged result. */
final class Corpora {
  static final Path ROOT = Path.of("..");

  private Corpora() {}

  /**
   * Traces of every format kreplay reads (the seeds as text, real recordings as trace.dat and
   * compressed text, the PREEMPT_RT VM's recordings) and kernel logs (the reader's test logs).
   */
  static List<Path> bundled() {
    List<Path> files = new ArrayList<>();
    for (String seed : List.of("1-put-task-struct", "2-kvfree-rcu", "3-irq-work-rt", "4-srcu-rq-abba")) {
      files.add(ROOT.resolve("traces/seeds/" + seed + "/before.txt"));
      files.add(ROOT.resolve("traces/seeds/" + seed + "/after.txt"));
    }
    files.add(ROOT.resolve("traces/cyclictest/trace.dat"));
    files.add(ROOT.resolve("traces/stress-ng-deadline/trace.txt.xz"));
    files.addAll(under(ROOT.resolve("traces/rt-vm/rec/lockdep-rt"), "trace.dat"));
    files.addAll(under(ROOT.resolve("ingest/src/test/resources/org/kreplay/ingest/log"), ".log"));
    return files;
  }

  private static List<Path> under(Path dir, String suffix) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code kreplay batch -f json} writes for this merged run of files. */
  static String json(Partial p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new BatchDocument(p.rows, p.traces, p.reports).json(out, "test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
