package org.kreplay.report.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kreplay.analyze.AnalysisResult;
import org.kreplay.analyze.Comparison;
import org.kreplay.analyze.KernelConfig;

/** The comparison page on real recordings (idle against loaded) and on a seed fix (before against after). */
class ComparisonPageTest {
  static Document loaded;
  static Document seed;

  @BeforeAll
  static void compare() throws IOException {
    String page = Reports.html(Comparison.of(Reports.analyze(Reports.CYCLICTEST), Reports.analyze(Reports.CYCLICTEST_LOADED)));
    loaded = Jsoup.parse(page);
    KernelConfig rt = new KernelConfig(true, false, true);
    String seedPage = Reports.html(Comparison.of(Reports.analyze(Reports.SEED_BEFORE, rt), Reports.analyze(Reports.SEED_AFTER, rt)));
    seed = Jsoup.parse(seedPage);
    Path target = Path.of("target");
    if (Files.isDirectory(target)) { // for a look in a browser
      Files.writeString(target.resolve("html-comparison.html"), page);
      Files.writeString(target.resolve("html-comparison-seed.html"), seedPage);
    }
  }

  @Test
  void bothSidesAreSummarisedSideBySide() {
    assertThat(loaded.select("main > section").eachAttr("id")).containsExactly("summary", "findings", "latency", "runtime");
    Element summary = loaded.getElementById("summary");
    assertThat(summary.select("table.sides")).hasSize(1);
    assertThat(summary.select("th").stream().map(Element::text).toList()).containsExactly("", "before", "after");
    Element inputs = summary.select("tbody tr").first();
    assertThat(inputs.select("td").eachText()).containsExactly("inputs", Reports.CYCLICTEST.toString(),
        Reports.CYCLICTEST_LOADED.toString());
    assertThat(loaded.select("header.head p").eachText()).containsExactly("before: " + Reports.CYCLICTEST,
        "after: " + Reports.CYCLICTEST_LOADED);
  }

  @Test
  void aLoadedMachineShowsSignificantShiftsWithTheirTests() {
    Element table = loaded.getElementById("latency-hrtimer");
    List<String> headers = table.select("thead th").eachText();
    assertThat(headers).contains("key", "class", "verdict", "count before", "count after", "p99 before", "p99 after", "p99 shift",
        "Mann-Whitney p", "KS p", "Cliff's δ");
    int verdict = headers.indexOf("verdict");
    // A busy machine never idles: hrtimers expire sooner; the timer softirq waits longer.
    Element hrtimers = row(table, "all");
    // the bulk is earlier, the tail far later: a tail regression, red, with the bulk said
    assertThat(hrtimers.child(verdict).text()).isEqualTo("slower tail (bulk faster)");
    assertThat(hrtimers.child(verdict).selectFirst(".badge").hasClass("slower")).isTrue();
    assertThat(Double.parseDouble(hrtimers.child(headers.indexOf("tail p")).attr("data-v"))).isLessThan(1e-6);
    assertThat(hrtimers.child(headers.indexOf("p50 shift")).text()).isEqualTo("-79.6%");
    Element softirqs = loaded.getElementById("latency-softirq");
    headers = softirqs.select("thead th").eachText();
    assertThat(headers).doesNotContain("class");
    verdict = headers.indexOf("verdict");
    Element timerSoftirq = row(softirqs, "TIMER");
    assertThat(timerSoftirq.child(verdict).selectFirst(".badge").hasClass("slower")).isTrue();
    double p = Double.parseDouble(timerSoftirq.child(headers.indexOf("Mann-Whitney p")).attr("data-v"));
    assertThat(p).isLessThan(Comparison.ALPHA);
    double delta = Double.parseDouble(timerSoftirq.child(headers.indexOf("Cliff's δ")).attr("data-v"));
    assertThat(delta).isPositive();
    assertThat(timerSoftirq.child(headers.indexOf("p50 shift")).text()).startsWith("+").endsWith("%");
    // A key on one side only shows its side and dashes for the other.
    Element wakeups = loaded.getElementById("latency-wakeup");
    headers = wakeups.select("thead th").eachText();
    verdict = headers.indexOf("verdict");
    Element io = row(wakeups, "stress-ng-io");
    assertThat(io.child(verdict).text()).isEqualTo("only after");
    assertThat(io.child(headers.indexOf("p50 before")).text()).isEqualTo("-");
    assertThat(io.child(headers.indexOf("p50 after")).text()).endsWith("µs");
    assertThat(loaded.select("header .badge.slower")).hasSize(1);
    // slower tails count as slower in the summary
    assertThat(loaded.select("header .badge.slower").text()).matches("\\d+ latency rows slower \\(\\d+ in the tail\\)");
  }

  @Test
  void theLatencySectionSaysWhatEachVerdictMeans() {
    Element legend = loaded.getElementById("latency").selectFirst("dl.facts");
    assertThat(legend).isNotNull();
    assertThat(legend.select("dt").eachText()).containsExactly("slower", "slower tail", "faster", "faster tail",
        "no significant change", "not enough samples", "only before", "only after");
    assertThat(legend.select("dd").get(1).text()).isEqualTo(Comparison.Verdict.SLOWER_TAIL.meaning());
  }

  @Test
  void everyMechanismHasBeforeAndAfterOverlaid() {
    Element latency = loaded.getElementById("latency");
    assertThat(latency.select("h3").eachText())
        .containsExactly("workqueue", "hrtimer", "timer", "softirq", "wakeup", "chain");
    Element hrtimer = latency.select("h3").stream().filter(h -> h.text().equals("hrtimer")).findFirst().orElseThrow()
        .nextElementSibling();
    assertThat(hrtimer.hasClass("charts")).isTrue();
    // The 'all' row and the two keys that changed most, each as a histogram and a CDF.
    assertThat(hrtimer.select("figure.chart svg")).hasSize(6);
    assertThat(hrtimer.select("figure.chart").first().select("svg text").eachText())
        .contains("hrtimer latency: histogram", "before", "after", "% of the row's samples");
    assertThat(hrtimer.select("figcaption").first().text())
        .isEqualTo("verdict: slower tail (bulk faster); before 6,876 samples, after 2,090 samples.");
    assertThat(hrtimer.select("figure.chart svg text").eachText()).contains("hrtimer tick_nohz_handler latency: CDF");
  }

  @Test
  void aFixShowsItsFindingFixedAndItsNewDeferralAsOnlyAfter() throws IOException {
    assertThat(seed.select("header .badge").eachText()).contains("no new findings");
    Element table = seed.getElementById("findings-table");
    List<Element> rows = table.select("tbody.finding > tr:first-child");
    assertThat(rows).isNotEmpty();
    assertThat(rows).allMatch(r -> r.select(".badge").first().text().equals("fixed"));
    assertThat(rows.get(0).select("td").eachText()).contains("fixed", "sleep-in-atomic", "inactive_task_timer");
    Element rcu = row(seed.getElementById("latency-rcu"), "all");
    assertThat(rcu.select(".badge").text()).isEqualTo("only after");
    assertThat(rcu.select("td").eachText()).contains("-");
    JsonNode meta = new ObjectMapper().readTree(seed.getElementById("kreplay-meta").data());
    assertThat(meta.get("kind").asText()).isEqualTo("comparison");
    assertThat(meta.get("findings").get("new").asInt()).isZero();
    assertThat(meta.get("findings").get("fixed").asInt()).isEqualTo(rows.size());
  }

  @Test
  void aResultComparedWithItselfChangesNothing() {
    AnalysisResult r = Reports.analyze(Reports.CYCLICTEST);
    Document doc = Jsoup.parse(Reports.html(Comparison.of(r, r)));
    assertThat(doc.select("#latency .badge.slower, #latency .badge.faster")).isEmpty();
    assertThat(doc.select("#latency .badge").eachText()).contains("no significant change");
    assertThat(doc.select("header .badge").eachText()).contains("no new findings", "0 latency rows slower", "0 faster");
    assertThat(doc.getElementById("findings").text()).contains("No findings on either side");
  }

  private static Element row(Element table, String key) {
    return table.select("tbody tr").stream().filter(r -> r.child(0).text().equals(key))
        .findFirst().orElseThrow(() -> new AssertionError("no row " + key + " in " + table.id()));
  }
}
