package org.kreplay.report.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.kreplay.analyze.DeferralRow;
import org.kreplay.analyze.Mechanism;

class ChartsTest {
  static Distribution dist(String name, long... values) {
    long[] counts = new long[values.length];
    java.util.Arrays.fill(counts, 1);
    return Distribution.of(name, "ns", values, counts);
  }

  @Test
  void namesInChartsShowExactlyAsInTheTrace() {
    List<String> names = List.of("&amp;", "&lt;b&gt;", "a&b", "</svg>", "\"q\" 'x'");
    Charts charts = new Charts();
    List<Charts.Series> series = names.stream().map(n -> new Charts.Series(dist(n, 1000, 2000, 5000), Charts.PRIMARY)).toList();
    Charts.Chart chart = charts.cdf("</svg> &amp; latency", series);
    assertThat(chart.failure()).isNull();
    Element svg = Jsoup.parse("<body>" + chart.svg()).selectFirst("svg");
    assertThat(svg.select("text").eachText()).contains("</svg> &amp; latency").containsAll(names);
    assertThat(chart.svg().indexOf("</svg>")).isEqualTo(chart.svg().length() - "</svg>".length());
  }

  @Test
  void chartsOfOnePageHaveDistinctIdsAndDefs() {
    Charts charts = new Charts();
    String a = charts.cdf("a", List.of(new Charts.Series(dist("x", 10, 20), Charts.PRIMARY))).svg();
    String b = charts.cdf("b", List.of(new Charts.Series(dist("x", 10, 20), Charts.PRIMARY))).svg();
    assertThat(a).contains("id='chart-0'", "id='k0-clip-0'");
    assertThat(b).contains("id='chart-1'", "id='k1-clip-0'").doesNotContain("k0-");
  }

  @Test
  void logBinsCoverTheSmallestAndTheLargestSample() {
    Distribution d = dist("d", 0, 1, 999, 1_000_000_000);
    Distribution.LogBins bins = Distribution.LogBins.covering(List.of(d), Charts.HISTOGRAM_BINS);
    assertThat(bins.count()).isLessThanOrEqualTo(Charts.HISTOGRAM_BINS + 1);
    assertThat(bins.low(0)).isLessThan(1);
    assertThat(bins.high(bins.count() - 1)).isGreaterThan(1e9);
    assertThat(bins.indexOf(0)).isZero();
    assertThat(bins.indexOf(1_000_000_000)).isEqualTo(bins.count() - 1);
    double[] counts = d.countsIn(bins);
    assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(4);
    assertThat(java.util.Arrays.stream(d.sharesIn(bins)).sum()).isCloseTo(100, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void cdfRisesToAHundredPercentThinnedOnTheTimeAxis() {
    long[] values = new long[1000];
    for (int i = 0; i < values.length; i++) values[i] = 1000 + i; // 1.000µs .. 1.999µs
    List<double[]> cdf = dist("d", values).cdf(Charts.CDF_STEP);
    assertThat(cdf.size()).isLessThan(40);
    assertThat(cdf.get(cdf.size() - 1)).containsExactly(1999, 100);
    for (int i = 1; i < cdf.size(); i++) assertThat(cdf.get(i)[1]).isGreaterThanOrEqualTo(cdf.get(i - 1)[1]);
  }

  @Test
  void timerRowsInJiffiesAreScaledToNanosecondsWhenHzIsKnown() {
    DeferralRow row = new DeferralRow(Mechanism.TIMER, DeferralRow.Metric.LATENCY, "process_timeout", 2);
    row.stats().record(1);
    row.stats().record(3);
    row.setUnitNs(4_000_000); // HZ=250
    Distribution d = Distribution.of("t", row);
    assertThat(d.unit()).isEqualTo("ns");
    assertThat(d.min()).isEqualTo(4_000_000);
    assertThat(d.max()).isEqualTo(12_000_000);
  }
}
