package org.kreplay.report.render;

import java.io.IOException;
import java.io.Writer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.CpuTimes;
import org.kreplay.analyze.CpuTimes.Category;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.Finding;

/**
 * The analysis as CSV tables (Apache Commons CSV): one table per file, chosen by {@link
 * CsvTable}. The deferrals table has exactly the columns of the JSON deferral rows; the findings
 * table has one row per finding, in the order of the reports (certain first).
 */
public final class AnalysisCsv {
  /** Which table a CSV output holds. */
  public enum CsvTable { DEFERRALS, CPUS, EVENTS, FINDINGS, WORST, BLAME, CHAINS }

  /** One line per kept sample: the row it belongs to, the sample, its two events. */
  static final String[] WORST_COLUMNS = {
    "mechanism", "metric", "row_key", "rank", "key", "unit", "latency_ns", "source",
    "enqueue_ts_ns", "enqueue_cpu", "enqueue_pid", "enqueue_comm", "enqueue_position",
    "execute_ts_ns", "execute_cpu", "execute_pid", "execute_comm", "execute_position", "position_kind"
  };

  /** One line per part of a kept sample's blame: the sample as in the worst table, what ran, for how long. */
  static final String[] BLAME_COLUMNS = {
    "mechanism", "metric", "row_key", "rank", "key", "latency_ns", "execute_cpu", "execute_ts_ns", "what", "ns", "percent"
  };

  static final String[] DEFERRAL_COLUMNS = {
    "mechanism", "metric", "key", "class", "unit", "count", "min_ns", "p50_ns", "p90_ns", "p99_ns",
    "p999_ns", "max_ns", "mean_ns", "unmatched_enqueue", "unmatched_execute", "across_gap",
    "already_running", "resolution_ns"
  };

  static final String[] FINDING_COLUMNS = {
    "kind", "certainty", "signature", "culprit", "count", "first_s", "last_s", "locks", "context", "message", "remedy"
  };

  private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

  private AnalysisCsv() {}

  /**
   * A first line {@code # selected: 0 of 73,840 events (--from 500)} when a selection was given: a
   * table can say nothing else about it (readers skip it as a comment, as the canonical CSV's first line).
   */
  public static void selectionComment(org.kreplay.ingest.InputStats in, Writer out) throws IOException {
    String selected = SelectionText.of(in);
    if (selected != null) out.write("# selected: " + selected.replace('\n', ' ') + "\n");
  }

  static boolean isNumeric(int column) {
    return column >= 5;
  }

  static String[] deferralValues(DeferralRow r) {
    return new String[] {
      r.mechanism().label(), r.metric().label(), r.key(), r.classLabel(), r.unit(),
      Long.toString(r.count()), Long.toString(r.minNs()), Long.toString(r.percentileNs(50)),
      Long.toString(r.percentileNs(90)), Long.toString(r.percentileNs(99)),
      Long.toString(r.percentileNs(99.9)), Long.toString(r.maxNs()), Long.toString(r.meanNs()),
      Long.toString(r.unmatchedEnqueue()), Long.toString(r.unmatchedExecute()), Long.toString(r.acrossGap()),
      Long.toString(r.alreadyRunning()), Long.toString(r.resolutionNs())
    };
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  static String[] findingValues(Finding f) {
    return new String[] {
      f.kind().label(), f.certainty().label(), f.signature(), f.culprit(), Long.toString(f.count()),
      FindingsView.seconds(f.firstTimestamp()), FindingsView.seconds(f.lastTimestamp()), String.join(";", f.locks()),
      f.context(), f.message(), f.remedy()
    };
  }

  public static void write(AnalysisResult r, CsvTable table, Writer out) throws IOException {
    selectionComment(r.input(), out);
    CSVPrinter p = new CSVPrinter(out, FORMAT);
    switch (table) {
      case DEFERRALS:
        p.printRecord((Object[]) DEFERRAL_COLUMNS);
        for (DeferralRow row : r.deferrals().rows()) p.printRecord((Object[]) deferralValues(row));
        break;
      case CPUS:
        p.print("cpu");
        p.print("span_ns");
        for (Category c : Category.values()) p.print(c.label() + "_ns");
        p.printRecord("irqs_off_ns", "irqs_known_ns", "events");
        for (CpuTimes c : r.cpus().values()) {
          p.print(c.cpu());
          p.print(c.totalNs());
          for (Category cat : Category.values()) p.print(c.ns(cat));
          p.printRecord(c.irqsOffNs(), c.irqsKnownNs(), c.events());
        }
        break;
      case WORST:
        p.printRecord((Object[]) WORST_COLUMNS);
        for (DeferralRow row : r.deferrals().rows()) {
          int rank = 0;
          for (org.kreplay.analyze.DeferralSample w : row.worst()) {
            p.printRecord(row.mechanism().label(), row.metric().label(), row.key(), ++rank, w.key(), row.unit(),
                w.latencyNs(), w.source(), w.enqueue().timestampNs(), w.enqueue().cpu(), w.enqueue().pid(),
                nullToEmpty(w.enqueue().comm()), w.enqueue().position(), w.execute().timestampNs(), w.execute().cpu(),
                w.execute().pid(), nullToEmpty(w.execute().comm()), w.execute().position(),
                w.byteOffsets() ? "byte_offset" : "line");
          }
        }
        break;
      case BLAME:
        p.printRecord((Object[]) BLAME_COLUMNS);
        for (DeferralRow row : r.deferrals().rows()) {
          // rank 0: the row's p99 tail (latency_ns: where it starts; no one CPU or time)
          org.kreplay.analyze.TailBlame.Tail tail = row.tailBlame();
          if (tail != null) {
            for (org.kreplay.analyze.Blame.Share part : tail.blame().shares()) {
              p.printRecord(row.mechanism().label(), row.metric().label(), row.key(), 0, row.key(), tail.fromNs(), "", "",
                  part.what(), part.ns(), String.format(java.util.Locale.ROOT, "%.1f", tail.blame().percent(part)));
            }
          }
          int rank = 0;
          for (org.kreplay.analyze.DeferralSample w : row.worst()) {
            rank++;
            for (org.kreplay.analyze.Blame.Share part : w.blame().shares()) {
              p.printRecord(row.mechanism().label(), row.metric().label(), row.key(), rank, w.key(), w.latencyNs(),
                  w.execute().cpu(), w.execute().timestampNs(), part.what(), part.ns(),
                  String.format(java.util.Locale.ROOT, "%.1f", w.blame().percent(part)));
            }
          }
        }
        break;
      case CHAINS:
        // a line per segment of each chain: where its time went, in order
        p.printRecord("chain", "count", "segment_index", "segment", "mean_ns", "percent");
        for (DeferralRow row : ChainView.rows(r.deferrals())) {
          org.kreplay.analyze.ChainStages st = row.stages();
          for (int i = 0; i < st.segments().size(); i++) {
            p.printRecord(row.key(), row.count(), i, st.segments().get(i), st.meanNs(i),
                String.format(java.util.Locale.ROOT, "%.1f", st.share(i) * 100));
          }
        }
        break;
      case FINDINGS:
        p.printRecord((Object[]) FINDING_COLUMNS);
        for (Finding f : FindingsView.ordered(r)) p.printRecord((Object[]) findingValues(f));
        break;
      default:
        p.printRecord("event", "count");
        for (var e : r.summary().eventsByName().entrySet()) p.printRecord(e.getKey(), e.getValue());
    }
    p.flush();
  }
}
