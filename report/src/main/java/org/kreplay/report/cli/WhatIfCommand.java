package org.kreplay.report.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.whatif.Via;
import org.kreplay.analyze.whatif.WhatIf;
import org.kreplay.analyze.whatif.WhatIfResult;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.report.document.Format;
import org.kreplay.report.document.WhatIfDocument;
import org.kreplay.report.render.TerminalSafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "whatif",
    mixinStandardHelpOptions = true,
    headerHeading = "%n",
    header = "Predict what deferring a piece of code would cost, from a trace taken before the change.",
    description = {
      "Finds each moment the code runs in the context its findings object to (--defer: a finding's culprit or"
          + " signature, a function of its call chain, finding:N of analyze's list, or else a deferral callback), and"
          + " replays the trace forward from there on that CPU through what each --via mechanism waits for, as the"
          + " trace shows the kernel doing it then: the pool's kworker next running, the next tick, every CPU passing"
          + " a quiescent state, the irq_work or rcuc thread. Prints the predicted latency of each mechanism, what"
          + " it adds per second, whether the new context still breaks the findings' rules, and the trade-off."
          + " Occurrences the trace ends too soon to replay are counted, with the trace's own measured latency of"
          + " that mechanism beside them. The mechanisms and their steps are catalog data (docs/catalog.md)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  kreplay whatif traces/seeds/1-put-task-struct/before.txt --defer inactive_task_timer --via call_rcu,workqueue,irq_work-lazy",
      "  kreplay whatif trace.dat --defer finding:1 --via workqueue,delayed-work:1,irq_work -f json"
    })
final class WhatIfCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TRACE", arity = "1..*",
      description = "Trace files (any format analyze reads) from before the change; several are predicted one by one"
          + " and their predictions merged.")
  List<String> traces;

  @Option(names = "--defer", required = true, paramLabel = "WHAT",
      description = "The code to defer: a finding's culprit (inactive_task_timer), its signature, a function of its"
          + " call chain, finding:N (the N-th finding analyze lists), or a deferral callback's name.")
  String defer;

  @Option(names = "--via", required = true, split = ",", paramLabel = "MECH[,MECH...]",
      description = "The mechanisms to predict: call_rcu, workqueue, workqueue:highpri, workqueue:unbound,"
          + " delayed-work:JIFFIES, irq_work (HARD), irq_work:plain, irq_work-lazy, hrtimer+workqueue, softirq, kthread.")
  List<String> via;

  @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); html has the predicted"
          + " latency CDFs overlaid.")
  Format format;

  @Mixin InputOptions input;

  @Mixin RuleOptions rules;

  @Mixin OutputOptions target;

  @Override
  public Integer call() throws IOException {
    AnalysisOptions analysis = rules.toAnalysisOptions();
    ReadOptions options = input.toReadOptions();
    options.probeFrames(analysis.catalog()::probeFrame);
    List<Via> vias = WhatIfRun.vias(via, analysis);
    PrintWriter err = TerminalSafe.printWriter(spec.commandLine().getErr());
    List<WhatIfResult> each = new java.util.ArrayList<>();
    for (String trace : traces) each.add(WhatIfRun.predict(trace, defer, vias, options, analysis, err, target.quiet));
    WhatIfResult merged = WhatIf.merge(each);
    WhatIfRun.requireOccurrences(merged, defer, traces);
    OutputTarget.write(new WhatIfDocument(merged, String.join(", ", traces)), format, target.output);
    return ExitCodes.OK;
  }
}
