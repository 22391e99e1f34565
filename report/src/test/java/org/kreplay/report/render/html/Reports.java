package org.kreplay.report.render.html;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kreplay.analyze.AnalysisOptions;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Analyzer;
import org.kreplay.analyze.Comparison;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.ingest.ReadOptions;
import org.kreplay.ingest.TraceReader;
import org.kreplay.ingest.Traces;

/** Analyses and pages for the HTML tests: bundled traces, and a trace whose names are markup. */
final class Reports {
  static final Path TRACES = Path.of("..", "traces");
  /** Recorded on this project's machine; with --judge-as rt it has findings. */
  static final Path STRESS_NG = TRACES.resolve("stress-ng-deadline/trace.txt.xz");
  static final Path CYCLICTEST = TRACES.resolve("cyclictest/trace.txt.xz");
  static final Path CYCLICTEST_LOADED = TRACES.resolve("cyclictest-loaded/trace.txt.xz");
  static final Path SEED_BEFORE = TRACES.resolve("seeds/1-put-task-struct/before.txt");
  static final Path SEED_AFTER = TRACES.resolve("seeds/1-put-task-struct/after.txt");
  static final String VERSION = "0.1.0-test";

  static final KernelConfig JUDGE_AS_RT = new KernelConfig(false, true, true);

  /** A file name that is markup: the report must show it, never parse it. */
  static final String HOSTILE_FILE = "<img src=x onerror=alert(3)> \"q\" &amp; 'x'.txt";
  static final String SCRIPT_COMM = "<script>alert(1)</script>";
  static final String QUOTES_COMM = "\"quotes\"";
  static final String AMP_COMM = "&amp;";
  static final String SVG_FUNCTION = "</svg>";
  static final String SVG_COMM = "</svg><img/src=x/onerror=alert(2)>";

  private Reports() {}

  /**
   * ftrace text whose comms, function names, lock classes and cache names are markup: a task
   * {@code <script>alert(1)</script>} frees to a cache called {@code <b>cache</b>} from a function
   * {@code </svg>} with preemption off (a possible finding under PREEMPT_RT rules), queues work
   * whose function is {@code </svg>} and wakes tasks called {@code "quotes"}, {@code &amp;} and
   * {@code </svg><img …>} (wakeup keys, so they reach the charts' legends), and two tasks take
   * lock classes {@code </svg>&lock} and {@code "quoted"<lock>} in opposite orders (an ABBA).
   */
  static String hostileTrace() {
    String s = " " + SCRIPT_COMM + "-300   [000] ";
    String q = " " + QUOTES_COMM + "-301   [001] ";
    String a = " " + AMP_COMM + "-302   [000] ";
    String v = " " + SVG_COMM + "-303   [001] ";
    return String.join("\n",
        "# tracer: nop",
        "#",
        "#                                _-----=> irqs-off/BH-disabled",
        "#                               / _----=> need-resched",
        "#                              | / _---=> hardirq/softirq",
        "#                              || / _--=> preempt-depth",
        "#                              ||| / _-=> migrate-disable",
        "#                              |||| /     delay",
        "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
        "#              | |         |   |||||     |         |",
        s + ".....   100.000100: lock_acquire: 00000000000a1000 </svg>&lock",
        s + ".....   100.000200: lock_acquire: 00000000000b2000 \"quoted\"<lock>",
        s + ".....   100.000300: lock_release: 00000000000b2000 \"quoted\"<lock>",
        s + ".....   100.000400: lock_release: 00000000000a1000 </svg>&lock",
        q + ".....   100.001000: lock_acquire: 00000000000b2000 \"quoted\"<lock>",
        q + ".....   100.001100: lock_acquire: 00000000000a1000 </svg>&lock",
        q + ".....   100.001200: lock_release: 00000000000a1000 </svg>&lock",
        q + ".....   100.001300: lock_release: 00000000000b2000 \"quoted\"<lock>",
        s + "...1.   100.002000: kmem_cache_free: call_site=" + SVG_FUNCTION
            + "+0x1c/0x40 ptr=00000000aa00bb00 name=<b>cache</b>",
        s + ".....   100.002100: workqueue_queue_work: work struct=00000000aa00bb00 function=" + SVG_FUNCTION
            + " workqueue=events req_cpu=0 cpu=0",
        s + ".....   100.002200: sched_waking: comm=" + AMP_COMM + " pid=302 prio=120 target_cpu=000",
        s + ".....   100.002300: sched_switch: prev_comm=" + SCRIPT_COMM + " prev_pid=300 prev_prio=120"
            + " prev_state=S ==> next_comm=" + AMP_COMM + " next_pid=302 next_prio=120",
        a + ".....   100.002400: workqueue_execute_start: work struct 00000000aa00bb00: function " + SVG_FUNCTION,
        a + ".....   100.002500: workqueue_execute_end: work struct 00000000aa00bb00: function " + SVG_FUNCTION,
        q + ".....   100.002600: sched_waking: comm=" + SVG_COMM + " pid=303 prio=120 target_cpu=001",
        q + ".....   100.002700: sched_switch: prev_comm=" + QUOTES_COMM + " prev_pid=301 prev_prio=120"
            + " prev_state=S ==> next_comm=" + SVG_COMM + " next_pid=303 next_prio=120",
        v + ".....   100.002900: sched_waking: comm=" + QUOTES_COMM + " pid=301 prio=120 target_cpu=001",
        v + ".....   100.003000: sched_switch: prev_comm=" + SVG_COMM + " prev_pid=303 prev_prio=120"
            + " prev_state=S ==> next_comm=" + QUOTES_COMM + " next_pid=301 next_prio=120",
        "");
  }

  /** The hostile trace written to {@code dir} under {@link #HOSTILE_FILE}. */
  static Path writeHostileTrace(Path dir) throws IOException {
    Path p = dir.resolve(HOSTILE_FILE);
    Files.writeString(p, hostileTrace());
    return p;
  }

  static AnalysisResult analyze(Path trace, KernelConfig config) {
    AnalysisOptions options = new AnalysisOptions(config, AnalysisOptions.defaults().catalog(), true);
    try (TraceReader r = Traces.open(trace.toString(), ReadOptions.defaults())) {
      return Analyzer.analyze(r, options, Analyzer.Progress.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AnalysisResult analyze(Path trace) {
    try (TraceReader r = Traces.open(trace.toString(), ReadOptions.defaults())) {
      return Analyzer.analyze(r, AnalysisOptions.defaults(), Analyzer.Progress.NONE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String html(AnalysisResult r) {
    StringWriter w = new StringWriter();
    try {
      HtmlReport.analysis(r, VERSION, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  static String html(Comparison c) {
    StringWriter w = new StringWriter();
    try {
      HtmlReport.comparison(c, VERSION, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }
}
