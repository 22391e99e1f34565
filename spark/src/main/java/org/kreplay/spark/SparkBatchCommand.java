package org.kreplay.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.SplatResult;
import org.kreplay.report.cli.BatchOptions;
import org.kreplay.report.cli.ExitCodes;
import org.kreplay.report.corpus.BatchTotals;
import org.kreplay.report.corpus.Corpus;
import org.kreplay.report.render.TerminalSafe;
import org.kreplay.report.render.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    headerHeading = "%n",
    header = "Analyse a corpus of traces and kernel logs on a Spark cluster into one merged report.",
    description = {
      "kreplay batch as a Spark job: one task per file, each analysed by the same code and options as kreplay"
          + " batch, the results merged in path order by a tree of merges whose shape depends only on the"
          + " files, so the report equals kreplay batch's whatever the partitioning. Inputs are local paths"
          + " (seen at the same path by every executor) or Hadoop file system URLs (file:, hdfs:, s3a:)."
          + " A file that cannot be read is named with the reason and the batch goes on."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay-spark batch -f json -o corpus.json traces/",
      "  kreplay-spark batch --master local[2] --per-file files.csv -o corpus.html -f html traces/",
      "  spark-submit --class org.kreplay.spark.Main --master spark://host:7077 \\",
      "      spark/target/kreplay-spark.jar batch -f json -o corpus.json hdfs://nn/traces/"
    })
final class SparkBatchCommand implements Callable<Integer> {
  /** Nodes merged into one at each level of the tree. */
  static final int DEFAULT_FANOUT = 16;

  @Spec CommandSpec spec;

  @Mixin BatchOptions batch;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master: local[N], local[*], spark://host:7077, yarn, k8s://… (default: what spark-submit"
          + " set, else local[*]).")
  String master;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions of the file list (default: one per file, so one task per file).")
  Integer partitions;

  @Option(names = "--fanout", paramLabel = "N", defaultValue = "" + DEFAULT_FANOUT,
      description = "Adjacent results merged into one at each level of the merge tree (default: ${DEFAULT-VALUE}).")
  int fanout;

  @Option(names = "--per-file", paramLabel = "FILE",
      description = "Also write the per-file table as CSV to FILE (atomically), for querying.")
  Path perFile;

  private final List<String> args;
  private final JavaSparkContext given;

  /**
   * @param args the command's arguments (after "batch"): they travel to the executors, which parse them again
   * @param given a running context to use (tests share one), or null to start one and stop it at the end
   */
  SparkBatchCommand(List<String> args, JavaSparkContext given) {
    this.args = args;
    this.given = given;
  }

  @Override
  public Integer call() throws IOException {
    if (partitions != null && partitions < 1) throw new ParameterException(spec.commandLine(), "--partitions must be at least 1");
    if (fanout < 2) throw new ParameterException(spec.commandLine(), "--fanout must be at least 2");
    batch.settings(); // a usage error (a bad option, a missing catalog) before Spark starts
    PrintWriter err = TerminalSafe.printWriter(spec.commandLine().getErr());
    long started = System.nanoTime();
    JavaSparkContext sc = given != null ? given : start(master);
    try {
      Configuration hadoop = sc.hadoopConfiguration();
      List<String> files = files(hadoop);
      FileTask task = new FileTask(args, sc.broadcast(HadoopFiles.encode(hadoop)));
      int slices = partitions == null ? files.size() : partitions;
      TreeMerge.Merged merged;
      try {
        merged = TreeMerge.run(sc, files, task, slices, fanout);
      } catch (Exception e) { // Scala declares no exceptions: SparkException is checked, thrown unchecked
        if (!(e instanceof SparkException)) throw e;
        // a lost executor, a task out of memory: not about an input (those are rows of the report)
        String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        err.println("kreplay: spark: the job failed: " + why);
        return ExitCodes.INTERNAL;
      }
      if (!batch.quiet()) {
        err.printf(Locale.ROOT, "kreplay: spark: %s in %s, merged by %s (fanout %d), %s of results moved%n",
            Units.count(files.size(), "task", "tasks"), Units.count(Math.min(slices, files.size()), "partition", "partitions"),
            Units.count(merged.levels(), "level", "levels"), fanout, bytes(merged.bytesMoved()));
      }
      BatchTotals totals = totals(merged.root());
      if (perFile != null) BatchOptions.writeFileTable(totals, perFile);
      return batch.finish(totals, started, err);
    } finally {
      if (given == null) sc.close();
    }
  }

  /** A context on {@code master}, else on what spark-submit set, else on all local cores. */
  static JavaSparkContext start(String master) {
    SparkConf conf = new SparkConf().setAppName("kreplay batch");
    if (master != null) conf.setMaster(master);
    conf.setIfMissing("spark.master", "local[*]");
    if (conf.get("spark.master").startsWith("local")) {
      // a laptop or CI: no web UI to serve, and no network interface to guess
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
    }
    JavaSparkContext sc = new JavaSparkContext(conf);
    sc.setLogLevel("WARN");
    return sc;
  }

  private static String bytes(long n) {
    return n < 1 << 20 ? String.format(Locale.ROOT, "%,.1f KB", n / 1024.0) : String.format(Locale.ROOT, "%,.1f MB", n / 1048576.0);
  }

  /** Arguments in the order given; a local directory's files in path order, as batch lists them. */
  private List<String> files(Configuration hadoop) throws IOException {
    List<String> files = new ArrayList<>();
    for (String input : batch.inputs()) {
      if (input.equals("-")) throw new ParameterException(spec.commandLine(), "standard input cannot be read by a cluster: name files");
      files.addAll(HadoopFiles.isUrl(input) ? HadoopFiles.list(input, hadoop) : Corpus.expandCorpus(List.of(input)));
    }
    return files;
  }

  /** The root of the tree merged into what batch starts from, as batch would merge one more file. */
  private BatchTotals totals(Partial root) {
    AnalysisResult traces = batch.emptyResult();
    if (root.traces != null) Analyzer.merge(traces, root.traces);
    SplatResult reports = new SplatResult();
    if (root.reports != null) reports.merge(root.reports);
    return new BatchTotals(traces, reports, root.rows);
  }
}
