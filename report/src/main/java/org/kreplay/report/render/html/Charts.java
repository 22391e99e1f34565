package org.kreplay.report.render.html;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;
import org.jfree.svg.ViewBox;
import org.kreplay.report.render.Units;

/**
 * Charts drawn by JFreeChart into JFreeSVG, as inline {@code <svg>} elements: latency histograms
 * and CDFs on a log time axis, and stacked shares (per-CPU context time). One instance per page,
 * so element ids and SVG defs are unique within it. Text in charts (series and category names
 * from the trace) is escaped by JFreeSVG like any SVG text.
 *
 * <p>A chart that cannot be drawn (e.g. a JDK without any font) becomes a note, not a failed
 * report.
 */
final class Charts {
  static {
    // Charts are drawn off-screen: never ask for a display, even when one is set.
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    // Rotated labels as SVG text (the workaround draws them as glyph outlines: larger, not selectable).
    org.jfree.chart.text.TextUtils.setUseDrawRotatedStringWorkaround(false);
  }

  static final int WIDTH = 560;
  static final int HEIGHT = 320;
  /** Bins of a latency histogram. */
  static final int HISTOGRAM_BINS = 48;
  /** Consecutive CDF points closer than this ratio on the time axis are thinned. */
  static final double CDF_STEP = 1.03;

  /** The 'all' row, or "before". */
  static final Color PRIMARY = new Color(0x2f5d9b);
  /** "after". */
  static final Color SECONDARY = new Color(0xd9480f);
  /** Keys drawn over the 'all' row. */
  static final Color[] KEYS = {
    new Color(0xd9480f), new Color(0x2b8a3e), new Color(0x862e9c), new Color(0xc2255c), new Color(0x1098ad)
  };

  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
  private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  private static final Color GRID = new Color(0xdde1e8);

  /** An SVG element, or null with the reason it could not be drawn. */
  record Chart(String svg, String failure) {}

  /** A named series with its colour. */
  record Series(Distribution data, Color color) {}

  private int next;

  /** What a histogram's bars measure. */
  enum Scale {
    /** Samples per bin: keys drawn over their 'all' row fit inside its bars. */
    COUNT("samples"),
    /** Percent of each series' own samples: sides of different size compare by shape. */
    SHARE("% of the row's samples");

    final String label;

    Scale(String label) {
      this.label = label;
    }
  }

  /**
   * A histogram of samples per log-width bin: {@code bars} are filled (translucent, so two
   * overlay), {@code outlines} drawn as step lines over them.
   */
  Chart histogram(String title, Scale scale, List<Series> bars, List<Series> outlines) {
    return draw(() -> {
      List<Distribution> all = new ArrayList<>();
      bars.forEach(s -> all.add(s.data()));
      outlines.forEach(s -> all.add(s.data()));
      Distribution.LogBins bins = Distribution.LogBins.covering(all, HISTOGRAM_BINS);
      Set<String> names = new HashSet<>();

      XYIntervalSeriesCollection barData = new XYIntervalSeriesCollection();
      XYBarRenderer barRenderer = new XYBarRenderer();
      barRenderer.setBarPainter(new StandardXYBarPainter());
      barRenderer.setShadowVisible(false);
      barRenderer.setDrawBarOutline(false);
      for (Series s : bars) {
        XYIntervalSeries series = new XYIntervalSeries(unique(names, s.data().name()));
        double[] pct = scale == Scale.SHARE ? s.data().sharesIn(bins) : s.data().countsIn(bins);
        for (int i = 0; i < pct.length; i++) {
          if (pct[i] > 0) series.add(Math.sqrt(bins.low(i) * bins.high(i)), bins.low(i), bins.high(i), pct[i], 0, pct[i]);
        }
        barRenderer.setSeriesPaint(barData.getSeriesCount(), translucent(s.color(), bars.size() > 1 ? 0.55 : 0.8));
        barData.addSeries(series);
      }
      XYPlot plot = new XYPlot(barData, timeAxis(all, bins.low(0), bins.high(bins.count() - 1)),
          new NumberAxis(scale.label), barRenderer);

      if (!outlines.isEmpty()) {
        XYSeriesCollection lineData = new XYSeriesCollection();
        XYLineAndShapeRenderer lines = pathRenderer();
        for (Series s : outlines) {
          XYSeries series = new XYSeries(unique(names, s.data().name()), false, true);
          double[] pct = scale == Scale.SHARE ? s.data().sharesIn(bins) : s.data().countsIn(bins);
          // The outline of the bars: up and down at each bin edge.
          series.add(bins.low(0), 0);
          for (int i = 0; i < pct.length; i++) {
            series.add(bins.low(i), pct[i]);
            series.add(bins.high(i), pct[i]);
          }
          series.add(bins.high(pct.length - 1), 0);
          lines.setSeriesPaint(lineData.getSeriesCount(), s.color());
          lines.setSeriesStroke(lineData.getSeriesCount(), new BasicStroke(1.5f));
          lineData.addSeries(series);
        }
        plot.setDataset(1, lineData);
        plot.setRenderer(1, lines);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
      }
      return chart(title, plot, WIDTH, HEIGHT);
    });
  }

  /** Cumulative share of samples up to each time, one step line per series. */
  Chart cdf(String title, List<Series> lines) {
    return draw(() -> {
      List<Distribution> all = lines.stream().map(Series::data).toList();
      Distribution.LogBins bins = Distribution.LogBins.covering(all, HISTOGRAM_BINS);
      Set<String> names = new HashSet<>();
      XYSeriesCollection data = new XYSeriesCollection();
      XYLineAndShapeRenderer renderer = pathRenderer();
      for (Series s : lines) {
        XYSeries series = new XYSeries(unique(names, s.data().name()), false, true);
        double previous = 0;
        for (double[] p : s.data().cdf(CDF_STEP)) { // a step function: flat, then up at each value
          series.add(p[0], previous);
          series.add(p[0], p[1]);
          previous = p[1];
        }
        renderer.setSeriesPaint(data.getSeriesCount(), s.color());
        renderer.setSeriesStroke(data.getSeriesCount(), new BasicStroke(1.6f));
        data.addSeries(series);
      }
      NumberAxis y = new NumberAxis("% of samples ≤ time");
      y.setRange(0, 100.5);
      XYPlot plot = new XYPlot(data, timeAxis(all, bins.low(0), bins.high(bins.count() - 1)), y, renderer);
      return chart(title, plot, WIDTH, HEIGHT);
    });
  }

  /**
   * Horizontal stacked bars of percentages: one bar per category (CPU), one segment per series
   * (context), {@code values[series][category]}.
   */
  Chart stackedShares(String title, List<String> categories, List<String> series, Color[] colors,
      double[][] values, String valueLabel) {
    return draw(() -> {
      DefaultCategoryDataset data = new DefaultCategoryDataset();
      for (int s = 0; s < series.size(); s++) {
        for (int c = 0; c < categories.size(); c++) data.addValue(values[s][c], series.get(s), categories.get(c));
      }
      StackedBarRenderer renderer = new StackedBarRenderer();
      renderer.setBarPainter(new StandardBarPainter());
      renderer.setShadowVisible(false);
      renderer.setDrawBarOutline(false);
      renderer.setMaximumBarWidth(0.8);
      for (int s = 0; s < colors.length; s++) renderer.setSeriesPaint(s, colors[s]);
      NumberAxis x = new NumberAxis(valueLabel);
      x.setRange(0, 100);
      CategoryAxis cats = new CategoryAxis();
      cats.setTickLabelFont(LABEL);
      CategoryPlot plot = new CategoryPlot(data, cats, x, renderer);
      plot.setOrientation(PlotOrientation.HORIZONTAL);
      plot.setRangeAxisLocation(org.jfree.chart.axis.AxisLocation.BOTTOM_OR_RIGHT);
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(GRID);
      plot.setOutlineVisible(false);
      return chart(title, plot, 2 * WIDTH, 90 + 22 * categories.size());
    });
  }

  // ---- building blocks

  private interface Drawing {
    JFreeChartSized draw();
  }

  private record JFreeChartSized(JFreeChart chart, int width, int height) {}

  private Chart draw(Drawing drawing) {
    try {
      JFreeChartSized c = drawing.draw();
      int id = next++;
      SVGGraphics2D g = new SVGGraphics2D(c.width(), c.height());
      g.setDefsKeyPrefix("k" + id + "-"); // clip-path ids must not collide between charts of a page
      g.setGeomDoubleConverter(SVGUtils.createDoubleConverter(2)); // 2 decimals: a fraction of a pixel
      c.chart().draw(g, new Rectangle(0, 0, c.width(), c.height()));
      return new Chart(g.getSVGElement("chart-" + id, true, new ViewBox(0, 0, c.width(), c.height()), null, null), null);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      // Drawing needs fonts from the JDK; the report's tables stand on their own without charts.
      return new Chart(null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private static JFreeChartSized chart(String title, Plot plot, int width, int height) {
    if (plot instanceof XYPlot xy) {
      xy.setBackgroundPaint(Color.WHITE);
      xy.setDomainGridlinePaint(GRID);
      xy.setRangeGridlinePaint(GRID);
      xy.setOutlineVisible(false);
      xy.getRangeAxis().setLabelFont(LABEL);
      xy.getDomainAxis().setLabelFont(LABEL);
    }
    JFreeChart chart = new JFreeChart(svgText(title), TITLE, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new org.jfree.chart.ui.RectangleInsets(2, 2, 2, 14)); // room for the last tick label
    LegendTitle legend = chart.getLegend();
    legend.setItemFont(LABEL);
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
    return new JFreeChartSized(chart, width, height);
  }

  /** Lines drawn as one SVG path per series (a step renderer writes an element per segment). */
  private static XYLineAndShapeRenderer pathRenderer() {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setDrawSeriesLineAsPath(true);
    return r;
  }

  private static ValueAxis timeAxis(List<Distribution> data, double lo, double hi) {
    boolean jiffies = data.stream().anyMatch(d -> d.unit().equals("jiffies"));
    LogAxis x = new TextLogAxis(jiffies ? "lateness (jiffies, log scale)" : "time (log scale)");
    x.setBase(10);
    x.setSmallestValue(1);
    x.setRange(lo, hi);
    x.setNumberFormatOverride(jiffies ? NumberFormat.getIntegerInstance(java.util.Locale.ROOT) : new DurationFormat());
    x.setMinorTickMarksVisible(false);
    return x;
  }

  private static Color translucent(Color c, double alpha) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(alpha * 255));
  }

  /** JFreeChart requires distinct series keys; inputs can repeat a name (a task called "all"). */
  private static String unique(Set<String> seen, String name) {
    String n = svgText(name);
    for (int i = 2; !seen.add(n); i++) n = svgText(name) + " (" + i + ")";
    return n;
  }

  /**
   * Text for JFreeSVG, which escapes {@code < > " '} and a bare {@code &} but passes the five XML
   * entities through as written: a comm "&amp;" would show as "&". Escaping every {@code &} first
   * makes the text show exactly as in the trace (at the cost of a slightly wider legend entry).
   */
  static String svgText(String s) {
    return s.replace("&", "&amp;");
  }

  /**
   * A log axis whose tick labels are plain strings: LogAxis labels are attributed strings, which
   * JFreeSVG can only draw as glyph outlines (several KB each instead of a {@code <text>}).
   */
  private static final class TextLogAxis extends LogAxis {
    private static final long serialVersionUID = 1L;

    TextLogAxis(String label) {
      super(label);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
      List ticks = new ArrayList();
      for (Object o : super.refreshTicks(g2, state, dataArea, edge)) {
        if (o instanceof LogTick t) {
          String label = t.getAttributedLabel() == null ? "" : getNumberFormatOverride().format(t.getValue());
          ticks.add(new NumberTick(t.getTickType(), t.getValue(), label, t.getTextAnchor(), t.getRotationAnchor(),
              t.getAngle()));
        } else {
          ticks.add(o);
        }
      }
      return ticks;
    }
  }

  /** Axis labels for nanosecond values: "10µs", "1.00ms". */
  private static final class DurationFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double ns, StringBuffer to, FieldPosition pos) {
      return to.append(Units.duration(Math.round(ns)));
    }

    @Override
    public StringBuffer format(long ns, StringBuffer to, FieldPosition pos) {
      return to.append(Units.duration(ns));
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      return null; // labels are only ever written
    }
  }
}
