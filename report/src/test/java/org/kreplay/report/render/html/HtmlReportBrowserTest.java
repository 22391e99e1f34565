package org.kreplay.report.render.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real browser: headless Chromium opens it, runs its script, and a probe
 * injected into a copy of the page records script errors, console errors, CSP refusals and
 * alerts, whether the charts were laid out, and what clicking a header or a finding did. The DOM
 * after all that (--dump-dom) is checked with jsoup. A screenshot of the real trace's report is
 * kept as report/target/html-report.png.
 *
 * <p>Skipped when Chromium is not installed ({@code apt-get install chromium}; .ci/run does it).
 */
class HtmlReportBrowserTest {
  static final Path SCREENSHOT = Path.of("target", "html-report.png");
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PROBE = probe();

  @TempDir static Path dir;
  static Chromium chromium;

  static final String NO_CHROMIUM = "Chromium is not installed (no chromium, chromium-browser or google-chrome on"
      + " the PATH, or KREPLAY_CHROMIUM names no executable): skipping the browser test of the HTML report;"
      + " apt-get install chromium to run it";

  @BeforeAll
  static void findChromium() {
    chromium = Chromium.find(dir);
    if (chromium == null) System.err.println("HtmlReportBrowserTest: " + NO_CHROMIUM);
  }

  /** Each test is reported as skipped, with the reason, when there is no browser. */
  @BeforeEach
  void needsChromium() {
    assumeTrue(chromium != null, NO_CHROMIUM);
  }

  @Test
  void theRealTracesReportWorksInABrowser() throws Exception {
    String page = Reports.html(Reports.analyze(Reports.STRESS_NG, Reports.JUDGE_AS_RT));
    Path file = write("html-report.html", page);
    Chromium.Run run = chromium.dumpDom(write("probed.html", withProbe(page)));
    Document dom = Jsoup.parse(run.stdout());

    assertNothingWentWrong(dom, run);
    // The page's own script ran under its Content-Security-Policy (it is the last thing it does).
    assertThat(dom.selectFirst("html").attr("data-kreplay-ready")).isEqualTo("1");
    assertThat(dom.selectFirst("html").hasClass("js")).isTrue();
    assertThat(dom.select("main > section").eachAttr("id"))
        .containsExactly("summary", "findings", "latency", "cpus", "runtime", "input");
    // 5 mechanisms × (histogram + CDF) + the CPU chart + a p99-tail chart for each mechanism with a
    // tail (4 latency, 2 run time), each laid out with visible paths.
    assertThat(dom.select("figure.chart svg")).hasSize(20);
    assertThat(dom.selectFirst("html").attr("data-probe-charts")).isEqualTo("20");
    assertThat(dom.selectFirst("html").attr("data-probe-sort")).isEqualTo("ascending,descending");
    assertThat(dom.selectFirst("html").attr("data-probe-expand")).isEqualTo("hidden,shown,sorted in groups");

    chromium.screenshot(file, SCREENSHOT, 1280, 2000);
    byte[] png = Files.readAllBytes(SCREENSHOT);
    assertThat(png.length).isGreaterThan(20_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  /**
   * The other pages work in a browser too: compare (before/after charts overlaid, a side with a
   * kernel log), splat, and batch over traces and logs — each as the command line writes it.
   */
  @Test
  void compareSplatAndBatchPagesWorkInABrowser() throws Exception {
    Path log = Path.of("..", "ingest", "src", "test", "resources", "org", "kreplay", "ingest", "log",
        "seed-put-task-struct.txt");
    Path before = Files.createDirectories(dir.resolve("before"));
    Files.copy(Reports.CYCLICTEST, before.resolve("trace.txt.xz"));
    Files.copy(log, before.resolve("dmesg.txt"));
    String compare = org.kreplay.report.cli.Cli.ok("compare", "-q", "-f", "html", before.toString(),
        Reports.CYCLICTEST_LOADED.toString());
    String splat = org.kreplay.report.cli.Cli.ok("splat", "-q", "-f", "html", log.toString());
    String batch = org.kreplay.report.cli.Cli.ok("batch", "-q", "-f", "html", before.toString());

    Document c = open("compare.html", compare);
    assertThat(c.select("main > section").eachAttr("id")).containsExactly("summary", "findings", "reports", "latency",
        "runtime");
    assertThat(c.getElementById("reports").text()).contains("fixed", "inactive_task_timer");
    assertThat(c.getElementById("latency").select("figure.chart svg")).isNotEmpty();
    assertThat(c.selectFirst("html").attr("data-probe-charts")).isEqualTo(Integer.toString(c.select("figure.chart svg").size()));
    assertThat(c.selectFirst("html").attr("data-probe-sort")).isEqualTo("ascending,descending");
    Document sp = open("splat.html", splat);
    assertThat(sp.getElementById("problems").text()).contains("inactive_task_timer", "HARD hrtimer callback");
    Document b = open("batch.html", batch);
    assertThat(b.getElementById("files").text()).contains("kernel log", "dmesg.txt", "trace.txt.xz");
    assertThat(b.getElementById("reports").text()).contains("inactive_task_timer");
    assertThat(b.select("figure.chart svg")).isNotEmpty();
  }

  /** Opens a page (with the probe) in Chromium: nothing went wrong, the page's script ran; the DOM after. */
  private static Document open(String name, String page) throws Exception {
    Chromium.Run run = chromium.dumpDom(write(name, withProbe(page)));
    Document dom = Jsoup.parse(run.stdout());
    assertNothingWentWrong(dom, run);
    assertThat(dom.selectFirst("html").attr("data-kreplay-ready")).as(name).isEqualTo("1");
    return dom;
  }

  @Test
  void markupInTheTraceIsShownAndRunsNothing() throws Exception {
    String page = Reports.html(Reports.analyze(Reports.writeHostileTrace(dir), Reports.JUDGE_AS_RT));
    // Without the Content-Security-Policy, so that escaping alone has to keep the scripts out.
    String unprotected = page.replaceFirst("<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "");
    assertThat(unprotected).isNotEqualTo(page);
    Chromium.Run run = chromium.dumpDom(write("hostile.html", withProbe(unprotected)));
    Document dom = Jsoup.parse(run.stdout());

    assertNothingWentWrong(dom, run);
    assertThat(dom.selectFirst("html").attr("data-kreplay-ready")).isEqualTo("1");
    assertThat(dom.select("script")).hasSize(3); // the probe, the data block, the page's script
    assertThat(dom.select("img, b, i")).isEmpty();
    String text = dom.body().text();
    assertThat(text).contains(Reports.SCRIPT_COMM + "/300", Reports.QUOTES_COMM + "/301", Reports.AMP_COMM,
        Reports.SVG_COMM, "call_site=" + Reports.SVG_FUNCTION + "+0x1c/0x40", "name=<b>cache</b>",
        "</svg>&lock", Reports.HOSTILE_FILE);
    assertThat(dom.getElementById("latency").select("svg text").eachText())
        .contains(Reports.SVG_COMM, Reports.QUOTES_COMM, Reports.AMP_COMM);
    assertThat(dom.select("figure.chart")).allMatch(f -> f.select("svg").size() == 1);
    assertThat(dom.selectFirst("html").attr("data-probe-expand")).isEqualTo("hidden,shown,sorted in groups");
  }

  @Test
  void theContentSecurityPolicyStopsAScriptThatEscapingMissed() throws Exception {
    String page = Reports.html(Reports.analyze(Reports.CYCLICTEST));
    String injected = page.replace("<main>", "<main><script>alert('injected')</script>");
    Chromium.Run run = chromium.dumpDom(write("injected.html", withProbe(injected)));
    Document dom = Jsoup.parse(run.stdout());
    assertThat(alerts(dom)).isEmpty();
    assertThat(errors(dom)).containsExactly("CSP blocked script-src-elem");
    assertThat(dom.selectFirst("html").attr("data-kreplay-ready")).isEqualTo("1");
  }

  @Test
  void theProbeCatchesAThrownErrorAndAnAlert() throws Exception {
    String broken = "<!DOCTYPE html><html><head><title>broken</title></head><body><p>page</p>"
        + "<script>alert(1)</script><script>throw new Error('deliberately broken')</script></body></html>";
    Chromium.Run run = chromium.dumpDom(write("broken.html", withProbe(broken)));
    Document dom = Jsoup.parse(run.stdout());
    assertThat(errors(dom)).containsExactly("Uncaught Error: deliberately broken");
    assertThat(alerts(dom)).containsExactly("1");
    assertThat(run.consoleMessages()).anyMatch(l -> l.contains("Uncaught Error: deliberately broken"));
  }

  private static void assertNothingWentWrong(Document dom, Chromium.Run run) throws IOException {
    assertThat(errors(dom)).as("script errors").isEmpty();
    assertThat(alerts(dom)).as("alerts").isEmpty();
    assertThat(run.consoleMessages()).as("console messages").isEmpty();
  }

  private static List<String> errors(Document dom) throws IOException {
    return List.of(JSON.readValue(dom.selectFirst("html").attr("data-probe-errors"), String[].class));
  }

  private static List<String> alerts(Document dom) throws IOException {
    return List.of(JSON.readValue(dom.selectFirst("html").attr("data-probe-alerts"), String[].class));
  }

  /** The page with the probe as the first thing in its head, before the CSP and every script. */
  private static String withProbe(String page) {
    int head = page.indexOf("<head>") + "<head>".length();
    return page.substring(0, head) + "\n<script>" + PROBE + "</script>" + page.substring(head);
  }

  private static Path write(String name, String page) throws IOException {
    Path target = Path.of("target");
    Path p = (Files.isDirectory(target) ? target : dir).resolve(name);
    Files.writeString(p, page, StandardCharsets.UTF_8);
    return p;
  }

  private static String probe() {
    try (InputStream in = HtmlReportBrowserTest.class.getResourceAsStream("probe.js")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
