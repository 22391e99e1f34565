package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kreplay.report.corpus.BatchTotals;
import org.kreplay.report.corpus.FileAnalysis;
import org.kreplay.report.corpus.PathOrder;
import org.kreplay.report.corpus.ProgressLine;
import org.kreplay.report.render.TerminalSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    headerHeading = "%n",
    header = "Analyse a corpus of traces and kernel logs on all cores into one merged report.",
    description = {
      "Analyses every file given and every file under the directories given (hidden ones skipped), several at"
          + " a time, and merges the results in path order, so the report is the same as analysing the files"
          + " one by one and merging. Kernel logs (content decides) have their reports grouped as kreplay splat"
          + " does. A file that cannot be read is named with the reason and the batch goes on;"
          + " the report has a row per file and the merged analysis."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay batch traces/",
      "  kreplay batch --jobs 8 -f json -o corpus.json /srv/ci-traces/",
      "  kreplay batch --fail-on any nightly/*.txt.xz"
    })
final class BatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BatchOptions batch;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N",
      description = "Files analysed at once (default: the number of CPUs, ${sys:kreplay.cpus:-this machine's}).")
  int jobs = Runtime.getRuntime().availableProcessors();

  @Override
  public Integer call() throws IOException {
    if (jobs < 1) throw new KreplayCommand.UsageException("--jobs must be at least 1");
    BatchOptions.Settings settings = batch.settings();
    PrintWriter err = TerminalSafe.printWriter(spec.commandLine().getErr());
    List<String> files = batch.files();

    BatchTotals totals = new BatchTotals(batch.emptyResult());
    long started = System.nanoTime();
    long[] lastProgress = {started};
    ProgressLine progress = ProgressLine.on(err);
    PathOrder.run(files, jobs, "batch", f -> FileAnalysis.analyse(f, settings.read(), settings.analysis(), err), o -> {
      totals.add(o);
      int done = totals.files().size();
      long now = System.nanoTime();
      if (!batch.quiet() && now - lastProgress[0] > progress.intervalMs() * 1_000_000L) {
        double secs = (now - started) / 1e9;
        progress.show(String.format(Locale.ROOT, "kreplay: batch %,d/%,d files, %,.1f files/s%s", done,
            files.size(), done / secs, ProgressLine.eta(done, files.size(), secs)));
        lastProgress[0] = now;
      }
    });
    progress.clear();
    return batch.finish(totals, started, err);
  }
}
