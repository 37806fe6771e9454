package dev.lddm.harness.board;

import dev.lddm.harness.AtomicFiles;
import dev.lddm.harness.Csv;
import dev.lddm.harness.UserDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code leaderboard.csv} (Commons CSV, RFC 4180, {@code \n}, {@link Locale#ROOT}) and its Markdown
 * rendering {@code LEADERBOARD.md}. Rows are sorted by their {@link LeaderboardRow#key()} so the same
 * results always give the same bytes whatever order the cells finished in.
 */
public final class Leaderboard {
  public static final String CSV_NAME = "leaderboard.csv";
  public static final String MD_NAME = "LEADERBOARD.md";

  private Leaderboard() {}

  /** Writes the rows atomically, sorted by key. */
  public static void writeCsv(Path file, List<LeaderboardRow> rows) throws IOException {
    List<LeaderboardRow> sorted = sorted(rows);
    AtomicFiles.write(file, w -> {
      CSVPrinter csv = Csv.printer(w, LeaderboardRow.HEADER.toArray(String[]::new));
      for (LeaderboardRow r : sorted) {
        csv.printRecord(r.columns().values());
      }
      csv.flush();
    });
  }

  /** Reads a leaderboard written by {@link #writeCsv}. */
  public static List<LeaderboardRow> readCsv(Path file) {
    List<LeaderboardRow> rows = new ArrayList<>();
    try (CSVParser parser = Csv.parse(file)) {
      for (CSVRecord rec : parser) {
        rows.add(LeaderboardRow.fromColumns(rec.toMap()));
      }
    } catch (IOException | RuntimeException e) {
      throw new UserDataException("cannot read leaderboard " + file + ": " + e.getMessage(), e);
    }
    return rows;
  }

  /** Rows sorted by key. */
  public static List<LeaderboardRow> sorted(List<LeaderboardRow> rows) {
    return rows.stream().sorted(Comparator.comparing(LeaderboardRow::key)).toList();
  }

  /**
   * Markdown: per (task, split), models ranked by pooled strict accuracy over seeds, one line per (model,
   * preset, training task, decoder, T, variant) with its Wilson 95% interval and each seed's training steps.
   */
  public static String markdown(String title, List<LeaderboardRow> allRows) {
    return markdown(title, allRows, "");
  }

  /**
   * {@link #markdown(String, List)} with further sections (e.g. {@link PairedComparisons#markdown}) after the
   * learning curves.
   */
  public static String markdown(String title, List<LeaderboardRow> allRows, String sections) {
    List<LeaderboardRow> rows = finalRows(allRows);
    StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
    b.append("Strict accuracy (exact verifier) with Wilson 95% intervals; `mgdm` is MGDM's lenient metric; `T` is the")
        .append(" number of denoising steps (0: the autoregressive baseline decodes left to right); `train steps` lists")
        .append(" each seed's optimizer steps.\n");
    Map<String, List<LeaderboardRow>> byTask = new TreeMap<>();
    for (LeaderboardRow r : rows) {
      byTask.computeIfAbsent(r.task() + " (" + r.split() + ")", k -> new ArrayList<>()).add(r);
    }
    for (var e : byTask.entrySet()) {
      b.append("\n## ").append(e.getKey()).append("\n\n");
      b.append("| rank | model | preset | train task | decoder | T | variant | seeds | train steps | n | strict | 95% CI"
          + " | mgdm |\n");
      b.append("|---:|---|---|---|---|---:|---|---|---|---:|---:|---|---:|\n");
      Map<String, List<LeaderboardRow>> groups = e.getValue().stream().collect(Collectors.groupingBy(
          r -> String.join("|", r.model(), r.presetLabel(), r.trainTask(), r.decoder(),
              Integer.toString(r.decodeSteps()), r.variant()), TreeMap::new, Collectors.toList()));
      List<List<LeaderboardRow>> ranked = new ArrayList<>(groups.values());
      ranked.sort(Comparator.comparingDouble((List<LeaderboardRow> g) -> -pooledAccuracy(g))
          .thenComparing(g -> g.get(0).key()));
      int rank = 0;
      for (List<LeaderboardRow> g : ranked) {
        rank++;
        LeaderboardRow f = g.get(0);
        int n = g.stream().mapToInt(LeaderboardRow::n).sum();
        int correct = g.stream().mapToInt(LeaderboardRow::correct).sum();
        int mgdm = g.stream().mapToInt(LeaderboardRow::mgdmCorrect).sum();
        var w = dev.lddm.harness.stats.Wilson.of95(correct, n);
        List<LeaderboardRow> bySeed = g.stream().sorted(Comparator.comparingLong(LeaderboardRow::seed)).toList();
        b.append(String.format(Locale.ROOT,
            "| %d | %s | %s | %s | %s | %d | %s | %s | %s | %d | %.1f%% | %.1f–%.1f | %.1f%% |%n",
            rank, f.model(), f.presetLabel(), f.trainTask(), f.decoder(), f.decodeSteps(), f.variant(),
            bySeed.stream().map(r -> Long.toString(r.seed())).collect(Collectors.joining(",")),
            bySeed.stream().map(r -> Long.toString(r.trainSteps())).collect(Collectors.joining(",")),
            n, 100.0 * correct / Math.max(1, n), 100 * w.low(), 100 * w.high(), 100.0 * mgdm / Math.max(1, n)));
      }
    }
    curves(b, allRows);
    b.append(sections);
    List<String> plugins = rows.stream().map(LeaderboardRow::taskSource)
        .filter(s -> !s.equals(dev.lddm.harness.TaskSource.BUILT_IN)).distinct().sorted().toList();
    if (!plugins.isEmpty()) {
      b.append("\nTasks from plug-ins (jar @ SHA-256 of its bytes): ").append(String.join("; ", plugins)).append(".\n");
    }
    b.append("\nSeeds are pooled per row (n = instances × seeds; the interval treats them as independent although")
        .append(" the instances repeat across seeds, so it is somewhat narrow); per-seed rows are in")
        .append(" `leaderboard.csv`. Compare two models across seeds with")
        .append(" `lddm compare BASE1 CAND1 BASE2 CAND2 ...` (paired, exact McNemar).\n");
    return b.toString();
  }

  /**
   * The rows of each cell's trained model: those with the most training steps of their run id (a learning
   * curve's earlier checkpoints are left out).
   */
  public static List<LeaderboardRow> finalRows(List<LeaderboardRow> rows) {
    Map<String, Long> last = new TreeMap<>();
    rows.forEach(r -> last.merge(r.runId(), r.trainSteps(), Math::max));
    return rows.stream().filter(r -> r.trainSteps() == last.get(r.runId())).toList();
  }

  /** Whether some run has rows at more than one training step. */
  public static boolean hasCurves(List<LeaderboardRow> rows) {
    return rows.stream().collect(Collectors.groupingBy(LeaderboardRow::runId,
        Collectors.mapping(LeaderboardRow::trainSteps, Collectors.toSet()))).values().stream().anyMatch(s -> s.size() > 1);
  }

  /**
   * One learning-curve point: a configuration (model, preset, decoder, T, variant, training task) at a number
   * of training steps, seeds pooled.
   */
  public record CurvePoint(String label, long steps, double flops, int n, int correct) {}

  /**
   * The learning-curve points of one (task, split), label to points by ascending steps: only the decoding
   * every checkpoint was evaluated with (rows at one step only are left out). FLOPs are the seeds' mean.
   */
  public static Map<String, List<CurvePoint>> curvePoints(List<LeaderboardRow> rows) {
    Map<String, java.util.Set<Long>> stepsOf = new TreeMap<>();
    for (LeaderboardRow r : rows) {
      stepsOf.computeIfAbsent(curveLabel(r), k -> new java.util.TreeSet<>()).add(r.trainSteps());
    }
    Map<String, TreeMap<Long, List<LeaderboardRow>>> grouped = new TreeMap<>();
    for (LeaderboardRow r : rows) {
      String label = curveLabel(r);
      if (stepsOf.get(label).size() > 1) {
        grouped.computeIfAbsent(label, k -> new TreeMap<>()).computeIfAbsent(r.trainSteps(), k -> new ArrayList<>())
            .add(r);
      }
    }
    Map<String, List<CurvePoint>> out = new TreeMap<>();
    grouped.forEach((label, bySteps) -> out.put(label, bySteps.entrySet().stream().map(e -> new CurvePoint(label,
        e.getKey(), e.getValue().stream().mapToDouble(LeaderboardRow::trainFlops).average().orElse(Double.NaN),
        e.getValue().stream().mapToInt(LeaderboardRow::n).sum(),
        e.getValue().stream().mapToInt(LeaderboardRow::correct).sum())).toList()));
    return out;
  }

  private static String curveLabel(LeaderboardRow r) {
    return r.model() + "/" + r.presetLabel() + "/" + r.decoder() + "/T" + r.decodeSteps()
        + ("-".equals(r.variant()) ? "" : "/" + r.variant()) + (r.trainTask().equals(r.task()) ? "" : " (trained on "
        + r.trainTask() + ")");
  }

  private static void curves(StringBuilder b, List<LeaderboardRow> rows) {
    if (!hasCurves(rows)) {
      return;
    }
    Map<String, List<LeaderboardRow>> byTask = new TreeMap<>();
    for (LeaderboardRow r : rows) {
      byTask.computeIfAbsent(r.task() + " (" + r.split() + ")", k -> new ArrayList<>()).add(r);
    }
    for (var e : byTask.entrySet()) {
      Map<String, List<CurvePoint>> points = curvePoints(e.getValue());
      if (points.isEmpty()) {
        continue;
      }
      b.append("\n## Learning curve: ").append(e.getKey()).append("\n\n");
      b.append("Strict accuracy of earlier checkpoints (seeds pooled) against training steps and analytic training")
          .append(" FLOPs (matrix products; LDDM's self-conditioning pass included).\n\n");
      b.append("| model / preset / decoder / T | train steps | train FLOPs | n | strict | 95% CI |\n");
      b.append("|---|---:|---:|---:|---:|---|\n");
      for (List<CurvePoint> line : points.values()) {
        for (CurvePoint p : line) {
          var w = dev.lddm.harness.stats.Wilson.of95(p.correct(), p.n());
          b.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %.1f%% | %.1f–%.1f |%n", p.label(), p.steps(),
              Double.isNaN(p.flops()) ? "" : String.format(Locale.ROOT, "%.3g", p.flops()), p.n(),
              100.0 * p.correct() / Math.max(1, p.n()), 100 * w.low(), 100 * w.high()));
        }
      }
    }
  }

  private static double pooledAccuracy(List<LeaderboardRow> g) {
    int n = g.stream().mapToInt(LeaderboardRow::n).sum();
    return n == 0 ? 0 : (double) g.stream().mapToInt(LeaderboardRow::correct).sum() / n;
  }
}
