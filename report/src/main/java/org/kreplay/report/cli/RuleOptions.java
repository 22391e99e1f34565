package org.kreplay.report.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.Catalog;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.report.corpus.OneLine;
import picocli.CommandLine.Option;

/** Options that choose the kernel rules a trace is judged by and what the catalog says. */
final class RuleOptions {
  /** What the traced kernel was. */
  enum Kernel { rt, nonrt }

  /** The rules to judge by as a what-if; PREEMPT_RT is the only one there is. */
  enum JudgeAs { rt }

  @Option(names = "--kernel", paramLabel = "rt|nonrt",
      description = "What the traced kernel was: rt (PREEMPT_RT) or nonrt. Default: PREEMPT_RT where the"
          + " trace shows it (seven flag columns), else non-RT.")
  Kernel kernel;

  @Option(names = "--judge-as", paramLabel = "rt",
      description = "Judge a non-RT trace by PREEMPT_RT rules, as a what-if: spinlock_t sleeps, non-HARD"
          + " hrtimers, irq_work, softirqs and device irq handlers run in threads.")
  JudgeAs judgeAs;

  // fallbackValue: without it picocli 4.7 toggles a true-by-default negatable option, so the
  // positive form would switch it off.
  @Option(names = "--prove-raw-lock-nesting", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "lockdep's CONFIG_PROVE_RAW_LOCK_NESTING: a spinlock_t inside a raw_spinlock_t is an"
          + " invalid wait context even on a non-RT kernel (default: on; always on under PREEMPT_RT rules).")
  boolean proveRawLockNesting = true;

  @Option(names = "--catalog", paramLabel = "FILE",
      description = "A catalog file (YAML or JSON, format in docs/catalog.md) whose entries add to or override the"
          + " built-in ones: lock class types, functions, callbacks. Repeatable; later files win.")
  List<Path> catalogs = new ArrayList<>();

  /** The analysis options; a catalog that cannot be used is an input error naming file:line. */
  AnalysisOptions toAnalysisOptions() throws IOException {
    KernelConfig config = new KernelConfig(kernel == Kernel.rt, judgeAs == JudgeAs.rt, proveRawLockNesting);
    // Without --kernel the analyzer may still switch to RT where a trace shows it was recorded there.
    boolean kernelChosen = kernel != null;
    Catalog catalog = catalogs.isEmpty() ? AnalysisOptions.defaults().catalog() : loadCatalogs();
    return new AnalysisOptions(config, catalog, kernelChosen);
  }

  private Catalog loadCatalogs() throws IOException {
    try {
      return Catalog.builtinWith(catalogs);
    } catch (Catalog.CatalogException e) {
      throw new IOException(OneLine.of(e.getMessage()), e);
    } catch (FileSystemException e) {
      String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
      throw new IOException(e.getFile() + ": cannot read catalog: " + reason, e);
    }
  }
}
