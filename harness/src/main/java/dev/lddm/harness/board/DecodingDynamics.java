package dev.lddm.harness.board;

import dev.lddm.harness.diag.StepDiagnostics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The "Decoding dynamics" section of {@code LEADERBOARD.md}: the per-step diagnostics of a suite's final
 * evaluations ({@code steps.csv}: token-prediction entropy, temporal KL, idle steps, oscillations; the Loopholing
 * paper's measures of the sampling wall, arXiv 2510.19304 Sec. 6) summed up in one line per (model, preset,
 * decoder, T, variant), seeds pooled. What each number means is {@link StepDiagnostics.Summary}'s.
 */
public final class DecodingDynamics {
  private DecodingDynamics() {}

  /**
   * One decoding's dynamics.
   *
   * @param task evaluation task
   * @param split evaluation split
   * @param model model id ({@code mgdm})
   * @param preset preset label ({@code small}, {@code small/bf16})
   * @param trainTask the task the model was trained on
   * @param decoder decoder id
   * @param steps decoding steps T
   * @param variant latent variant ({@code -}, {@code latent-off}, {@code latent-reset-5})
   * @param seeds the seeds pooled, ascending
   * @param rows the per-step rows pooled over those seeds ({@link StepDiagnostics#pool})
   */
  public record Line(String task, String split, String model, String preset, String trainTask, String decoder,
                     int steps, String variant, List<Long> seeds, List<StepDiagnostics.Row> rows) {
    public Line {
      seeds = List.copyOf(seeds);
      rows = List.copyOf(rows);
    }

    /**
     * The label of this decoding on a chart: {@code lddm/small/masked-only}, plus the variant if any and the training
     * task if it is not the evaluated one (so that no two lines of a chart share a label).
     */
    public String chartLabel() {
      return model + "/" + preset + "/" + decoder + (variant.equals("-") ? "" : " " + variant)
          + (trainTask.equals(task) ? "" : " (trained on " + trainTask + ")");
    }
  }

  /**
   * Groups final leaderboard rows (one per cell, decoding and seed) with their diagnostics into lines, pooling
   * seeds. Rows without diagnostics (greedy decoding, a cell carried without its evaluations) are left out.
   *
   * @param rows final rows ({@link Leaderboard#finalRows})
   * @param diagnostics a row's per-step diagnostics, or {@code null} when it has none
   */
  public static List<Line> of(List<LeaderboardRow> rows,
                              Function<LeaderboardRow, List<StepDiagnostics.Row>> diagnostics) {
    Map<String, List<LeaderboardRow>> groups = new TreeMap<>();
    Map<String, List<List<StepDiagnostics.Row>>> runs = new TreeMap<>();
    for (LeaderboardRow r : rows) {
      List<StepDiagnostics.Row> s = diagnostics.apply(r);
      if (s == null || s.isEmpty()) {
        continue;
      }
      String key = String.join("|", r.task(), r.split(), r.model(), r.presetLabel(), r.decoder(),
          Integer.toString(r.decodeSteps()), r.variant(), r.trainTask());
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      runs.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
    }
    List<Line> lines = new ArrayList<>();
    for (var e : groups.entrySet()) {
      LeaderboardRow f = e.getValue().get(0);
      List<Long> seeds = e.getValue().stream().map(LeaderboardRow::seed).sorted().toList();
      lines.add(new Line(f.task(), f.split(), f.model(), f.presetLabel(), f.trainTask(), f.decoder(),
          f.decodeSteps(), f.variant(), seeds, StepDiagnostics.pool(runs.get(e.getKey()))));
    }
    lines.sort(ORDER);
    return lines;
  }

  /** Task and split, then the decoding (decoder, most steps first), model, preset, training task, plain first. */
  static final Comparator<Line> ORDER = Comparator.comparing(Line::task).thenComparing(Line::split)
      .thenComparing(Line::decoder).thenComparing(Comparator.comparingInt(Line::steps).reversed())
      .thenComparing(Line::model).thenComparing(Line::preset).thenComparing(Line::trainTask)
      .thenComparing(l -> l.variant().equals("-") ? "" : l.variant());

  /** The lines of each (task, split) at its largest T: what its chart shows. */
  public static Map<String, List<Line>> atMostSteps(List<Line> lines) {
    Map<String, List<Line>> byTask = lines.stream().collect(Collectors.groupingBy(
        l -> l.task() + "-" + l.split(), TreeMap::new, Collectors.toList()));
    Map<String, List<Line>> out = new TreeMap<>();
    byTask.forEach((k, v) -> {
      int most = v.stream().mapToInt(Line::steps).max().orElse(0);
      out.put(k, v.stream().filter(l -> l.steps() == most).toList());
    });
    return out;
  }

  /** The markdown section, empty when no line has diagnostics. */
  public static String markdown(List<Line> lines) {
    if (lines.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    Map<String, List<Line>> byTask = lines.stream().collect(Collectors.groupingBy(
        l -> l.task() + " (" + l.split() + ")", TreeMap::new, Collectors.toList()));
    for (var e : byTask.entrySet()) {
      b.append("\n## Decoding dynamics: ").append(e.getKey()).append("\n\n");
      b.append("Per-step diagnostics of each final evaluation (`steps.csv`; charts/steps-*.png shows the largest T),")
          .append(" seeds pooled: token-prediction entropy at the first step and averaged over all steps, temporal KL")
          .append(" between consecutive steps' predictions and the fraction of idle steps (no argmax changed)")
          .append(" averaged over steps 1 to T−1, and oscillations (an argmax returning to a value it had left)")
          .append(" per sequence over the whole decoding. The Loopholing paper reads lower entropy, fewer idle")
          .append(" steps and fewer oscillations as less of the sampling wall (Sec. 6).\n\n");
      b.append("| model | preset | train task | decoder | T | variant | seeds | entropy, step 0 | entropy, mean")
          .append(" | temporal KL, mean | idle steps | oscillations / sequence |\n");
      b.append("|---|---|---|---|---:|---|---|---:|---:|---:|---:|---:|\n");
      for (Line l : e.getValue()) {
        StepDiagnostics.Summary s = StepDiagnostics.summarize(l.rows());
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s | %.3f | %.3f | %s | %s | %.2f |%n",
            l.model(), l.preset(), l.trainTask(), l.decoder(), l.steps(), l.variant(),
            l.seeds().stream().map(String::valueOf).collect(Collectors.joining(",")),
            s.firstEntropy(), s.entropy(), fmt(s.temporalKl(), "%.4f"), fmt(s.idle(), "%.3f"),
            s.oscillationsPerSequence()));
      }
    }
    return b.toString();
  }

  private static String fmt(double v, String format) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, format, v);
  }
}
