package org.kreplay.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;
import org.kreplay.report.cli.BatchOptions;
import org.kreplay.report.corpus.FileAnalysis;
import org.kreplay.report.render.BatchReport.FileResult;

/**
 * What a Spark task does with one file: what {@code kreplay batch} does on a worker thread
 * ({@link FileAnalysis}), under the options of the command line, which travels as its arguments
 * and is parsed again on each executor (the options hold a loaded catalog, not worth shipping).
 */
final class FileTask implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Parsed once per executor JVM, not per file. */
  private static final ConcurrentHashMap<List<String>, BatchOptions.Settings> SETTINGS = new ConcurrentHashMap<>();

  private final List<String> args;
  private final Broadcast<byte[]> hadoop;
  private transient Configuration conf;

  FileTask(List<String> args, Broadcast<byte[]> hadoop) {
    this.args = List.copyOf(args);
    this.hadoop = hadoop;
  }

  /** The file's outcome (a bad file is one too), encoded to travel. */
  byte[] analyse(String file) {
    return ResultCodec.encode(Partial.of(outcome(file)));
  }

  FileAnalysis.Outcome outcome(String file) {
    BatchOptions.Settings s = settings(args);
    PrintWriter err = new PrintWriter(System.err, true);
    if (!HadoopFiles.isUrl(file)) return FileAnalysis.analyse(file, s.read(), s.analysis(), err);
    Path local;
    long t0 = System.nanoTime();
    try {
      local = HadoopFiles.copyToLocal(file, conf());
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new FileAnalysis.Outcome(null, null, new FileResult(file, null, 0, 0, 0, 0,
          (System.nanoTime() - t0) / 1_000_000, "cannot copy it from its file system: " + why));
    }
    try {
      return FileAnalysis.analyse(file, local, s.read(), s.analysis(), err);
    } finally {
      try {
        Files.deleteIfExists(local);
      } catch (IOException e) {
        err.println("kreplay: cannot delete the local copy " + local + ": " + e.getMessage());
      }
    }
  }

  /** The --worst N of the command line: what every merge node starts from. */
  int worst() {
    return settings(args).analysis().worst();
  }

  private Configuration conf() {
    if (conf == null) conf = HadoopFiles.decode(hadoop.value());
    return conf;
  }

  static BatchOptions.Settings settings(List<String> args) {
    return SETTINGS.computeIfAbsent(args, a -> {
      try {
        return Main.batchCommand(a).settings();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e); // the driver parsed the same arguments without error
      }
    });
  }
}
