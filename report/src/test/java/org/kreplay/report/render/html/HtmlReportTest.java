package org.kreplay.report.render.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.Evidence;
import org.kreplay.analyze.Finding;
import org.kreplay.analyze.FindingKind;
import org.kreplay.analyze.KernelConfig;
import org.kreplay.analyze.Mechanism;
import org.kreplay.report.render.Described;

/**
 * The analysis page as a browser's parser sees it (jsoup parses HTML5 like browsers do): its
 * sections and tables, its charts, what it caps, and that nothing from the input becomes markup.
 */
class HtmlReportTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Elements the page itself writes; anything else would have come from the input. */
  static final Set<String> OUR_ELEMENTS = Set.of("html", "head", "body", "meta", "title", "style", "script",
      "header", "h1", "h2", "h3", "p", "div", "span", "nav", "a", "main", "section", "footer", "table", "thead",
      "tbody", "tr", "th", "td", "button", "dl", "dt", "dd", "ol", "li", "figure", "figcaption",
      // JFreeSVG's
      "svg", "defs", "clippath", "path", "g", "rect", "line", "text");

  static String realPage;
  static Document real;

  @BeforeAll
  static void analyseTheRealTrace() {
    realPage = Reports.html(Reports.analyze(Reports.STRESS_NG, Reports.JUDGE_AS_RT));
    real = Jsoup.parse(realPage);
  }

  @Test
  void summaryComesFirstThenFindingsLatencyAndCpus() {
    List<String> ids = real.select("main > section").eachAttr("id");
    assertThat(ids).containsExactly("summary", "findings", "latency", "cpus", "runtime", "input");
    assertThat(real.select("nav.toc a").eachAttr("href"))
        .containsExactly("#summary", "#findings", "#latency", "#cpus", "#runtime", "#input");
    Element facts = real.selectFirst("#summary dl.facts");
    assertThat(facts.select("dt").eachText()).startsWith("inputs", "format", "flags column", "kernel", "rules", "CPUs",
        "duration", "events", "HZ", "timestamps", "lost events", "input lines", "lines skipped", "findings");
    assertThat(facts.select("dd").eachText()).contains(Reports.STRESS_NG.toString(), "ftrace text (xz)",
        "non-RT kernel judged as PREEMPT_RT", "2 [0, 1]", "50,069", "none",
        "2 (0 certain, 2 possible), 89 occurrences");
    assertThat(real.select("header.head .badge").first().text()).isEqualTo("2 findings (0 certain)");
  }

  @Test
  void findingsAreRowsWithTheirDetailsReadyToExpand() {
    Element table = real.getElementById("findings-table");
    assertThat(table.hasClass("sortable")).isTrue();
    assertThat(table.select("tbody.finding")).hasSize(2);
    Element first = table.selectFirst("tbody.finding");
    assertThat(first.select("tr").first().select("td").stream().map(Element::text).toList())
        .containsExactly("", "1", "rt-alloc-in-atomic", "possible", "45", "538.739927", "release_task",
            first.select("td.msg").text());
    assertThat(first.selectFirst("button.expand").attr("aria-expanded")).isEqualTo("false");
    String detail = first.selectFirst("tr.detail").text();
    assertThat(detail).contains("BUG: sleeping function called from invalid context", "culprit release_task",
        "remedy use spin_lock_irqsave()", "45 times, 538.739927 to 540.071819");
    assertThat(first.select("tr.detail ol.chain li").eachText()).containsExactly("release_task", "kmem_cache_free");
    assertThat(first.select("tr.detail table.evidence td").eachText())
        .contains(Reports.STRESS_NG + ":18024", "stress-ng-mmapf/5439");
    assertThat(real.getElementById("findings").text()).contains("rt-alloc-in-atomic 2 0 2 89",
        "The input has no lock_acquire events");
  }

  @Test
  void eachMechanismHasItsChartsAndASortableTable() {
    Element latency = real.getElementById("latency");
    assertThat(latency.select("h3").eachText())
        .containsExactly("workqueue", "hrtimer", "timer", "softirq", "wakeup", "chain");
    assertThat(latency.select("table.sortable:not([id$=-worst])").eachAttr("id")).containsExactly("latency-workqueue",
        "latency-hrtimer", "latency-timer", "latency-softirq", "latency-wakeup", "latency-chain",
        "latency-chain-stages");
    // each followed by its overall row's worst samples
    assertThat(latency.select("table.sortable[id$=-worst]").eachAttr("id")).containsExactly("latency-workqueue-worst",
        "latency-hrtimer-worst", "latency-timer-worst", "latency-softirq-worst", "latency-wakeup-worst",
        "latency-chain-worst");
    // a chain's row says where its time went, stage by stage, and its shares add up
    Element stages = real.getElementById("latency-chain-stages");
    assertThat(stages.select("tbody tr").eachText()).allMatch(t -> t.contains(" wait ") && t.contains("%"));
    Element hrtimers = real.getElementById("latency-hrtimer");
    assertThat(hrtimers.select("thead th").eachText()).startsWith("key", "class", "count", "min", "p50");
    Element all = hrtimers.selectFirst("tbody tr");
    assertThat(all.hasClass("all")).isTrue();
    assertThat(all.child(0).text()).isEqualTo("all");
    assertThat(all.child(2).attr("data-v")).isEqualTo(all.child(2).text().replace(",", ""));
    Element p50 = all.child(4);
    assertThat(p50.text()).endsWith("µs");
    assertThat(Long.parseLong(p50.attr("data-v"))).isBetween(1_000L, 10_000L);
    // No class column where no row has a class.
    assertThat(real.select("#latency-softirq thead th").eachText()).doesNotContain("class");

    // A histogram and a CDF per mechanism (chains too), the CPU chart, a p99-tail chart for each
    // mechanism with a tail (the four latency ones but the timer wheel's, in jiffies, and the chains',
    // whose stages ran on several CPUs; both run-time ones), and the chains' stages.
    assertThat(real.select("figure.chart svg")).hasSize(2 * 6 + 1 + 4 + 2 + 1);
    assertThat(latency.select("svg text").eachText()).contains("chains: where the time went");
    assertThat(latency.select("svg text").eachText()).contains("wakeup: what the CPUs did in the p99 tail");
    for (Element svg : real.select("figure.chart svg")) {
      assertThat(svg.select("path").size()).as(svg.id()).isGreaterThan(3);
      assertThat(svg.select("text").eachText()).as(svg.id()).isNotEmpty();
    }
    assertThat(latency.select("svg text").eachText())
        .contains("wakeup latency: CDF", "stress-ng-mmapf", "time (log scale)", "1.00ms");
    assertThat(real.select("svg").eachAttr("id")).doesNotHaveDuplicates();
    assertThat(real.getElementById("runtime").select("h3").eachText()).containsExactly("workqueue", "softirq");
    // run times: no distribution charts, only what the CPUs did while the p99 tail ran
    assertThat(real.getElementById("runtime").select("svg")).hasSize(2).allSatisfy(svg ->
        assertThat(svg.select("text").eachText()).anySatisfy(t -> assertThat(t).contains("what the CPUs did in the p99 tail")));
  }

  @Test
  void cpuContextTimeIsAStackedChartAndATable() {
    Element cpus = real.getElementById("cpus");
    assertThat(cpus.select("svg text").eachText()).contains("CPU 0", "CPU 1", "task", "softirq", "hardirq", "nmi",
        "idle", "unknown");
    assertThat(cpus.select("#cpu-table tbody tr")).hasSize(2);
  }

  @Test
  void thePageDescribesItselfForTools() throws IOException {
    JsonNode meta = JSON.readTree(real.getElementById("kreplay-meta").data());
    assertThat(meta.get("kind").asText()).isEqualTo("analysis");
    assertThat(meta.get("tool").get("version").asText()).isEqualTo(Reports.VERSION);
    assertThat(meta.get("findings").asInt()).isEqualTo(2);
    assertThat(meta.get("sources").get(0).asText()).isEqualTo(Reports.STRESS_NG.toString());
  }

  @Test
  void nothingIsLoadedFromAnywhere() {
    assertThat(real.select("[src], link, img, iframe, object, embed")).isEmpty();
    assertThat(real.select("[href]").eachAttr("href")).allMatch(h -> h.startsWith("#"));
    assertThat(real.selectFirst("meta[http-equiv=Content-Security-Policy]").attr("content"))
        .startsWith("default-src 'none';").contains("script-src 'sha256-");
  }

  @Test
  void namesFromTheTraceAreTextNeverMarkup(@TempDir Path dir) throws IOException {
    Path trace = Reports.writeHostileTrace(dir);
    String page = Reports.html(Reports.analyze(trace, Reports.JUDGE_AS_RT));
    Document doc = Jsoup.parse(page);

    // Only the page's own elements, and only its two scripts (the data block and the code).
    for (Element e : doc.getAllElements()) {
      if (e == doc) continue;
      assertThat(OUR_ELEMENTS).as("element <%s>", e.tagName()).contains(e.tagName().toLowerCase());
      e.attributes().forEach(a -> assertThat(a.getKey()).as("attribute on <%s>", e.tagName()).doesNotStartWith("on"));
    }
    assertThat(doc.select("script")).hasSize(2);
    assertThat(doc.select("script").get(0).id()).isEqualTo("kreplay-meta");

    // Every name is shown as the trace wrote it.
    String text = doc.body().text();
    assertThat(text).contains(Reports.SCRIPT_COMM + "/300", Reports.QUOTES_COMM, Reports.AMP_COMM,
        "call_site=" + Reports.SVG_FUNCTION + "+0x1c/0x40", "name=<b>cache</b>", "</svg>&lock", "\"quoted\"<lock>",
        Reports.SVG_COMM, Reports.HOSTILE_FILE);
    assertThat(doc.title()).contains(Reports.HOSTILE_FILE);
    // In charts too: each figure holds exactly one whole SVG, with the names as its text.
    for (Element f : doc.select("figure.chart")) assertThat(f.select("svg")).hasSize(1);
    assertThat(doc.getElementById("latency").select("svg text").eachText())
        .contains(Reports.SVG_COMM, Reports.QUOTES_COMM, Reports.AMP_COMM);
    // And in the data block, as JSON.
    JsonNode meta = JSON.readTree(doc.getElementById("kreplay-meta").data());
    assertThat(meta.get("sources").get(0).asText()).endsWith(Reports.HOSTILE_FILE);
    assertThat(page).doesNotContain("<script>alert", "<b>cache", "<img");
  }

  @Test
  void anEmptyResultSaysSoInEverySection() {
    Document doc = Jsoup.parse(Reports.html(new AnalysisResult()));
    assertThat(doc.getElementById("findings").text()).contains("No findings under no rules (nothing was analysed).");
    assertThat(doc.getElementById("latency").text()).contains("none: the trace has no events to pair for this.");
    assertThat(doc.getElementById("cpus").text()).contains("No CPU was seen.");
    assertThat(doc.select("svg")).isEmpty();
    assertThat(doc.select("header .badge").first().text()).isEqualTo("no findings");
  }

  @Test
  void findingsBeyondTheCapAreCountedNotListed() {
    AnalysisResult r = Described.result("t.txt", 0, KernelConfig.DEFAULT);
    List<Evidence> evidence = new ArrayList<>();
    for (int i = 0; i < FindingsHtml.MAX_EVIDENCE + 3; i++) evidence.add(new Evidence("t.txt", i + 1, i, 0, "a/1", "what " + i));
    List<String> chain = new ArrayList<>();
    for (int i = 0; i < FindingsHtml.MAX_CHAIN + 4; i++) chain.add("frame_" + i);
    int n = FindingsHtml.MAX_ROWS + 20;
    for (int i = 0; i < n; i++) {
      String culprit = "culprit_" + i;
      r.findings().report(new Finding(FindingKind.SLEEP_IN_ATOMIC, Finding.signature(FindingKind.SLEEP_IN_ATOMIC, culprit,
          List.of()), culprit, chain, List.of(), "task a/1", "message", "remedy", Finding.Certainty.CERTAIN,
          "non-RT kernel", evidence, "t.txt", 1000L + i), "t.txt");
    }
    Document doc = Jsoup.parse(Reports.html(r));
    assertThat(doc.select("#findings-table tbody.finding")).hasSize(FindingsHtml.MAX_ROWS);
    assertThat(doc.getElementById("findings").text()).contains("… 20 more findings (the least frequent possible"
        + " ones last) left out here; all are in --format json and --format csv --csv-table findings.");
    Element detail = doc.selectFirst("tr.detail");
    assertThat(detail.select("ol.chain li")).hasSize(FindingsHtml.MAX_CHAIN);
    assertThat(detail.text()).contains("… 4 more frames", "… 3 more (all in --format json)");
    assertThat(detail.select("table.evidence tbody tr")).hasSize(FindingsHtml.MAX_EVIDENCE);
  }

  @Test
  void keysBeyondTheCapAreCountedAndOnlyTheMostFrequentCharted() {
    AnalysisResult r = new AnalysisResult();
    int keys = DeferralHtml.MAX_KEYS + 7;
    for (int k = 0; k < keys; k++) {
      for (int i = 0; i <= keys - k; i++) { // key_0 most frequent
        r.deferrals().row(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, "key_" + k).stats().record(1000 + 10L * i);
        r.deferrals().row(Mechanism.WORKQUEUE, DeferralRow.Metric.LATENCY, DeferralRow.ALL).stats().record(1000 + 10L * i);
      }
    }
    Document doc = Jsoup.parse(Reports.html(r));
    assertThat(doc.select("#latency-workqueue tbody tr")).hasSize(1 + DeferralHtml.MAX_KEYS);
    assertThat(doc.getElementById("latency").text()).contains("… 7 more keys (the least frequent) left out"
        + " here; all are in --format json and --format csv.");
    List<String> legend = doc.select("#latency figure.chart").get(1).select("svg text").eachText();
    assertThat(legend).contains("all", "key_0", "key_1", "key_2", "key_3").doesNotContain("key_4");
  }

  @Test
  void theOutputIsStreamedInBoundedPieces() throws IOException {
    List<Integer> pieces = new ArrayList<>();
    Writer recorder = new Writer() {
      @Override
      public void write(char[] buf, int off, int len) {
        pieces.add(len);
      }

      @Override
      public Writer append(CharSequence s) {
        pieces.add(s.length());
        return this;
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    HtmlReport.analysis(Reports.analyze(Reports.STRESS_NG, Reports.JUDGE_AS_RT), Reports.VERSION, recorder);
    assertThat(pieces.size()).isGreaterThan(10);
    // A piece is a threshold's worth plus at most one chart or template part.
    assertThat(pieces).allMatch(n -> n < HtmlOut.FLUSH_THRESHOLD + 120_000);
    assertThat(pieces.stream().mapToInt(Integer::intValue).sum()).isEqualTo(realPage.length());
  }

  @Test
  void aFailingWriterFailsTheReportWithItsIOException() {
    Writer broken = new Writer() {
      @Override
      public void write(char[] buf, int off, int len) throws IOException {
        throw new IOException("No space left on device");
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    assertThatThrownBy(() -> HtmlReport.analysis(Reports.analyze(Reports.CYCLICTEST), Reports.VERSION, broken))
        .isInstanceOf(IOException.class).hasMessage("No space left on device");
  }
}
