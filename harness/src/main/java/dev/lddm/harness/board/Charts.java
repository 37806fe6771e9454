package dev.lddm.harness.board;

import dev.lddm.harness.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG charts (JFreeChart, headless). Each chart is written atomically (temporary file, then rename).
 */
public final class Charts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;
  /** One marker per run, the same in every panel of a stacked chart. */
  private static final java.awt.Shape[] SHAPES =
      org.jfree.chart.plot.DefaultDrawingSupplier.createStandardSeriesShapes();
  /** One colour per run, the same in every panel. */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
  };

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** A point with an asymmetric interval. */
  public record Interval(String label, double value, double low, double high) {}

  /**
   * Points with interval bars, one per label along the x axis, e.g. accuracy per model with Wilson 95%
   * intervals.
   */
  public static void intervals(Path png, String title, String yLabel, List<Interval> points) throws IOException {
    YIntervalSeries s = new YIntervalSeries(yLabel);
    String[] labels = new String[points.size()];
    for (int i = 0; i < points.size(); i++) {
      Interval p = points.get(i);
      s.add(i, p.value(), p.low(), p.high());
      labels[i] = p.label();
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(s);
    SymbolAxis x = new SymbolAxis("", labels);
    // Horizontal labels only when every one fits its slot (~7 px a character); JFreeChart silently drops
    // labels that would overlap.
    int longest = java.util.Arrays.stream(labels).mapToInt(String::length).max().orElse(0);
    x.setVerticalTickLabels(points.size() > 6 || longest * 7 > WIDTH / Math.max(1, points.size()));
    x.setGridBandsVisible(false);
    NumberAxis y = new NumberAxis(yLabel);
    y.setRange(0, 1);
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDrawXError(false);
    r.setErrorStroke(new BasicStroke(2f));
    r.setCapLength(10);
    r.setSeriesPaint(0, new Color(0x1f77b4));
    XYPlot plot = new XYPlot(data, x, y, r);
    save(png, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false));
  }

  /** Lines: series name → (x, y) points, one line per series (e.g. TPE against step, one line per model). */
  public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, List<double[]>> series)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (var e : new TreeMap<>(series).entrySet()) {
      XYSeries s = new XYSeries(e.getKey(), true, true);
      for (double[] p : e.getValue()) {
        s.add(p[0], p[1]);
      }
      data.addSeries(s);
    }
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    XYPlot plot = new XYPlot(data, new NumberAxis(xLabel), new NumberAxis(yLabel), r);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
    save(png, new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
  }

  /**
   * Per-step decoding curves of one or more runs, stacked on a shared step axis: token-prediction entropy,
   * temporal KL and the idle-step fraction, one line per run.
   *
   * @param runs label → rows of {@code steps.csv}
   */
  public static void stepCurves(Path png, String title,
                                Map<String, List<dev.lddm.harness.diag.StepDiagnostics.Row>> runs) throws IOException {
    String[] names = {"token-prediction entropy (nats)", "temporal KL", "idle fraction"};
    XYPlot legendSource = null;
    org.jfree.chart.plot.CombinedDomainXYPlot combined =
        new org.jfree.chart.plot.CombinedDomainXYPlot(new NumberAxis("decoding step"));
    for (int k = 0; k < names.length; k++) {
      XYSeriesCollection data = new XYSeriesCollection();
      for (var e : new TreeMap<>(runs).entrySet()) {
        XYSeries s = new XYSeries(e.getKey(), true, true);
        for (var r : e.getValue()) {
          s.add(r.step(), k == 0 ? r.tpe() : k == 1 ? r.tkl() : r.idle());
        }
        data.addSeries(s);
      }
      NumberAxis y = new NumberAxis(names[k]);
      y.setAutoRangeIncludesZero(true);
      XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
      for (int i = 0; i < data.getSeriesCount(); i++) {
        r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        r.setSeriesShape(i, SHAPES[i % SHAPES.length]);
      }
      XYPlot sub = new XYPlot(data, null, y, r);
      combined.add(sub);
      if (k == 0) {
        legendSource = sub;
      }
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, combined, false);
    org.jfree.chart.title.LegendTitle legend = new org.jfree.chart.title.LegendTitle(legendSource);
    legend.setPosition(org.jfree.chart.ui.RectangleEdge.BOTTOM);
    chart.addSubtitle(legend);
    save(png, chart, HEIGHT * 2);
  }

  /**
   * Lines with shaded interval bands: series name to points {@code {x, y, low, high}}, one line per series
   * (a learning curve with Wilson 95% bands).
   */
  public static void bands(Path png, String title, String xLabel, String yLabel, Map<String, List<double[]>> series)
      throws IOException {
    save(png, bandsChart(title, xLabel, yLabel, series));
  }

  private static JFreeChart bandsChart(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (var e : new TreeMap<>(series).entrySet()) {
      YIntervalSeries s = new YIntervalSeries(e.getKey());
      for (double[] p : e.getValue()) {
        s.add(p[0], p[1], p[2], p[3]);
      }
      data.addSeries(s);
    }
    org.jfree.chart.renderer.xy.DeviationRenderer r = new org.jfree.chart.renderer.xy.DeviationRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      Color c = PALETTE[i % PALETTE.length];
      r.setSeriesPaint(i, c);
      r.setSeriesFillPaint(i, c);
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    r.setAlpha(0.18f);
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, new NumberAxis(xLabel), y, r);
    return new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
  }

  /**
   * The leaderboard charts per (task, split): accuracy per model with intervals (trained models), and
   * accuracy against training steps; with learning curves ({@code eval_every}) the curves against steps and
   * against training FLOPs, with Wilson 95% bands, seeds pooled.
   */
  public static List<Path> leaderboardCharts(Path dir, List<LeaderboardRow> allRows) throws IOException {
    List<Path> written = new ArrayList<>();
    boolean curves = Leaderboard.hasCurves(allRows);
    List<LeaderboardRow> rows = Leaderboard.finalRows(allRows);
    Map<String, List<LeaderboardRow>> byTask = new TreeMap<>();
    for (LeaderboardRow r : rows) {
      byTask.computeIfAbsent(r.task() + "-" + r.split(), k -> new ArrayList<>()).add(r);
    }
    for (var e : byTask.entrySet()) {
      Map<String, int[]> pooled = new TreeMap<>();
      Map<String, List<double[]>> bySteps = new LinkedHashMap<>();
      for (LeaderboardRow r : e.getValue()) {
        String label = r.model() + "/" + r.preset() + ("-".equals(r.variant()) ? "" : "/" + r.variant())
            + "/" + r.decoder();
        int[] c = pooled.computeIfAbsent(label, k -> new int[2]);
        c[0] += r.correct();
        c[1] += r.n();
        bySteps.computeIfAbsent(label, k -> new ArrayList<>()).add(new double[] {r.trainSteps(), r.accuracy()});
      }
      List<Interval> points = new ArrayList<>();
      for (var p : pooled.entrySet()) {
        var w = dev.lddm.harness.stats.Wilson.of95(p.getValue()[0], p.getValue()[1]);
        points.add(new Interval(p.getKey(), (double) p.getValue()[0] / Math.max(1, p.getValue()[1]), w.low(),
            w.high()));
      }
      Path acc = dir.resolve("accuracy-" + e.getKey() + ".png");
      intervals(acc, e.getKey() + ": strict accuracy (Wilson 95%, seeds pooled)", "accuracy", points);
      Path steps = dir.resolve("accuracy-vs-steps-" + e.getKey() + ".png");
      written.add(acc);
      written.add(steps);
      if (!curves) {
        lines(steps, e.getKey() + ": accuracy against training steps", "training steps", "accuracy", bySteps);
        continue;
      }
      List<LeaderboardRow> all = allRows.stream().filter(r -> (r.task() + "-" + r.split()).equals(e.getKey())).toList();
      Map<String, List<double[]>> vsSteps = new TreeMap<>();
      Map<String, List<double[]>> vsFlops = new TreeMap<>();
      Map<String, List<Leaderboard.CurvePoint>> curve = Leaderboard.curvePoints(all);
      double maxFlops = curve.values().stream().flatMap(List::stream).mapToDouble(Leaderboard.CurvePoint::flops)
          .filter(f -> !Double.isNaN(f)).max().orElse(1);
      // The largest unit that keeps the axis at 1 or more: GFLOP, TFLOP, PFLOP or EFLOP.
      int exp = Math.max(9, Math.min(18, 3 * (int) Math.floor(Math.log10(Math.max(1, maxFlops)) / 3)));
      String unit = switch (exp) {
        case 9 -> "GFLOP";
        case 12 -> "TFLOP";
        case 15 -> "PFLOP";
        default -> "EFLOP";
      };
      double scale = Math.pow(10, exp);
      for (var line : curve.entrySet()) {
        for (Leaderboard.CurvePoint p : line.getValue()) {
          var w = dev.lddm.harness.stats.Wilson.of95(p.correct(), p.n());
          double acc1 = (double) p.correct() / Math.max(1, p.n());
          vsSteps.computeIfAbsent(line.getKey(), k -> new ArrayList<>())
              .add(new double[] {p.steps(), acc1, w.low(), w.high()});
          if (!Double.isNaN(p.flops())) {
            vsFlops.computeIfAbsent(line.getKey(), k -> new ArrayList<>())
                .add(new double[] {p.flops() / scale, acc1, w.low(), w.high()});
          }
        }
      }
      bands(steps, e.getKey() + ": learning curve (strict accuracy, Wilson 95%, seeds pooled)", "training steps",
          "accuracy", vsSteps);
      Path flops = dir.resolve("accuracy-vs-flops-" + e.getKey() + ".png");
      bands(flops, e.getKey() + ": accuracy against training compute (Wilson 95%, seeds pooled)",
          "training " + unit + " (analytic, matrix products)", "accuracy", vsFlops);
      written.add(flops);
    }
    return written;
  }

  /**
   * The paired comparisons as pictures, per (task, split): {@code paired-TASK-SPLIT.png}, a forest plot of the
   * trained models' comparisons at the same decoding and of the ablations (candidate minus baseline in
   * percentage points, Newcombe 95% bars, a line at zero; significant at p &lt; 0.05 in a second colour); and,
   * with a learning curve, {@code paired-vs-steps-TASK-SPLIT.png}, each pair's difference against training
   * steps with its band. The autoregressive baseline's greedy-against-diffusion lines stay in the table: their
   * tens of points would squash every other bar.
   */
  public static List<Path> pairedCharts(Path dir, PairedComparisons.Result result) throws IOException {
    List<Path> written = new ArrayList<>();
    Map<String, List<PairedComparisons.Line>> byTask = new TreeMap<>();
    for (PairedComparisons.Line l : result.lines()) {
      byTask.computeIfAbsent(l.task() + "-" + l.split(), k -> new ArrayList<>()).add(l);
    }
    for (var e : byTask.entrySet()) {
      List<PairedComparisons.Line> forest = e.getValue().stream()
          .filter(l -> l.finalModel() && !l.decoding().contains(" vs ")).toList();
      if (!forest.isEmpty()) {
        Path png = dir.resolve("paired-" + e.getKey() + ".png");
        forest(png, e.getKey() + ": paired differences, trained models (seeds pooled)", forest);
        written.add(png);
      }
      Map<String, List<double[]>> curves = new TreeMap<>();
      for (PairedComparisons.Line l : e.getValue()) {
        if (l.kind().equals("models") && !l.decoding().contains(" vs ")) {
          var ci = l.pooled().ci95();
          long steps = java.util.Arrays.stream(l.steps().split("/")).mapToLong(Long::parseLong).max().orElse(0);
          curves.computeIfAbsent(pairLabel(l), k -> new ArrayList<>())
              .add(new double[] {steps, 100 * l.pooled().delta(), 100 * ci.low(), 100 * ci.high()});
        }
      }
      curves.values().removeIf(points -> points.size() < 2);
      if (!curves.isEmpty()) {
        curves.values().forEach(points -> points.sort(java.util.Comparator.comparingDouble(p -> p[0])));
        Path png = dir.resolve("paired-vs-steps-" + e.getKey() + ".png");
        JFreeChart chart = bandsChart(e.getKey() + ": paired difference against training steps (Newcombe 95%, seeds"
            + " pooled)", "training steps", "candidate minus baseline (percentage points)", curves);
        chart.getXYPlot().addRangeMarker(new org.jfree.chart.plot.ValueMarker(0, Color.BLACK, new BasicStroke(1f)));
        save(png, chart);
        written.add(png);
      }
    }
    return written;
  }

  /** A comparison's row label: {@code lddm/small − mgdm/small · masked-only T=20}. */
  private static String pairLabel(PairedComparisons.Line l) {
    String cand = l.kind().equals("ablation") ? l.cand() + " − plain" : l.cand() + " − " + l.base();
    return cand + " · " + l.decoding();
  }

  private static void forest(Path png, String title, List<PairedComparisons.Line> lines) throws IOException {
    org.jfree.data.xy.XYIntervalSeries significant = new org.jfree.data.xy.XYIntervalSeries("p < 0.05 (exact McNemar)");
    org.jfree.data.xy.XYIntervalSeries not = new org.jfree.data.xy.XYIntervalSeries("not significant");
    String[] labels = new String[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      PairedComparisons.Line l = lines.get(i);
      var ci = l.pooled().ci95();
      (l.pooled().pValue() < 0.05 ? significant : not)
          .add(100 * l.pooled().delta(), 100 * ci.low(), 100 * ci.high(), i, i, i);
      labels[i] = pairLabel(l) + (l.seeds().size() > 1 ? " (" + l.seeds().size() + " seeds)" : "");
    }
    org.jfree.data.xy.XYIntervalSeriesCollection data = new org.jfree.data.xy.XYIntervalSeriesCollection();
    data.addSeries(significant);
    data.addSeries(not);
    NumberAxis x = new NumberAxis("candidate minus baseline (percentage points, Newcombe 95%)");
    x.setAutoRangeIncludesZero(true);
    SymbolAxis y = new SymbolAxis("", labels);
    y.setInverted(true);
    y.setGridBandsVisible(false);
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDrawYError(false);
    r.setErrorStroke(new BasicStroke(2f));
    r.setCapLength(8);
    r.setErrorPaint(null);
    r.setSeriesPaint(0, PALETTE[1]);
    r.setSeriesPaint(1, new Color(0x7f7f7f));
    XYPlot plot = new XYPlot(data, x, y, r);
    org.jfree.chart.plot.ValueMarker zero = new org.jfree.chart.plot.ValueMarker(0, Color.BLACK, new BasicStroke(1f));
    plot.addDomainMarker(zero);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    save(png, chart, Math.max(HEIGHT, 140 + 26 * lines.size()));
  }

  private static void save(Path png, JFreeChart chart) throws IOException {
    save(png, chart, HEIGHT);
  }

  private static void save(Path png, JFreeChart chart, int height) throws IOException {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(Color.WHITE);
    AtomicFiles.writeBytes(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, height));
  }
}
