package dev.lddm.harness.board;

import dev.lddm.harness.eval.Pairing;
import dev.lddm.harness.eval.Prediction;
import dev.lddm.harness.stats.Newcombe;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The "Paired comparisons" section of {@code LEADERBOARD.md}: what {@code lddm compare BASE1 CAND1 BASE2 CAND2
 * ...} would print for every pair a suite invites, pooled over the seeds both sides have (seeds as strata: the
 * 2x2 tables add up; exact McNemar on the summed discordant pairs, Newcombe's 95% interval for the difference).
 *
 * <p>Which pairs, per (task, split, preset and precision, training task):
 * <ul>
 *   <li><b>models</b>: every two models in the suite's order (the earlier is the baseline, so {@code mgdm, lddm}
 *       gives LDDM minus MGDM) at every decoding both were evaluated with, plain (no latent ablation), at every
 *       training budget both have (the final models, and each learning-curve checkpoint). The autoregressive
 *       baseline decodes greedily: it is compared with a diffusion model's headline decoding (the suite's first
 *       decoder and step count) only;
 *   <li><b>ablations</b>: a model's ablation (e.g. {@code latent-off}) against the same model's plain decoding,
 *       at each decoding (candidate minus plain, so a negative difference means the latent helps).
 * </ul>
 * A seed counts only where both sides have its predictions ({@code predictions.csv}) on the same problems; pairs
 * without such a seed are left out and counted in a note.
 */
public final class PairedComparisons {
  private PairedComparisons() {}

  /**
   * One comparison.
   *
   * @param task evaluation task
   * @param split evaluation split
   * @param kind {@code models} or {@code ablation}
   * @param base the baseline's label ({@code mgdm/small})
   * @param cand the candidate's label
   * @param decoding the decoding compared ({@code masked-only T=20}; {@code greedy vs masked-only T=20})
   * @param steps training steps ({@code 10000}; several values joined by {@code /} for time budgets)
   * @param finalModel whether these are the trained models (not a learning curve's earlier checkpoint)
   * @param seeds the seeds pooled
   * @param pooled the summed 2x2 table
   */
  public record Line(String task, String split, String kind, String base, String cand, String decoding, String steps,
                     boolean finalModel, List<Long> seeds, Pairing pooled) {}

  /** Where the comparisons find a row's predictions. */
  @FunctionalInterface
  public interface Source {
    /**
     * The row's predictions, or empty when its file is missing.
     *
     * @param finalModel whether the row is of the cell's trained model (else a learning curve's checkpoint)
     */
    Optional<List<Prediction>> predictions(LeaderboardRow row, boolean finalModel);
  }

  /** The comparisons and how many were left out for want of predictions. */
  public record Result(List<Line> lines, int leftOut) {}

  /**
   * Computes the comparisons of {@code rows}.
   *
   * @param models the suite's models in order
   * @param decoders the suite's decoders in order (the first is the headline one)
   * @param decodeSteps the suite's step counts in order (the first is the headline one)
   * @param predictions a row's predictions, or empty when its file is missing
   */
  public static Result of(List<LeaderboardRow> rows, List<String> models, List<String> decoders,
                          List<Integer> decodeSteps, Source predictions) {
    Map<String, Long> last = new TreeMap<>();
    rows.forEach(r -> last.merge(r.runId(), r.trainSteps(), Math::max));
    // group: task|split|preset|trainTask -> (model, variant, decoding, budget) -> seed -> row
    Map<String, Map<Setting, Map<Long, LeaderboardRow>>> groups = new TreeMap<>();
    for (LeaderboardRow r : rows) {
      boolean fin = r.trainSteps() == last.get(r.runId());
      Setting s = new Setting(r.model(), r.variant(), r.decoder(), r.decodeSteps(), fin ? -1 : r.trainSteps());
      groups.computeIfAbsent(String.join("|", r.task(), r.split(), r.presetLabel(), r.trainTask()),
          k -> new LinkedHashMap<>()).computeIfAbsent(s, k -> new TreeMap<>()).put(r.seed(), r);
    }
    Map<LeaderboardRow, Optional<List<Prediction>>> cache = new java.util.IdentityHashMap<>();
    Function<LeaderboardRow, Optional<List<Prediction>>> load =
        r -> cache.computeIfAbsent(r, x -> predictions.predictions(x, x.trainSteps() == last.get(x.runId())));
    List<Line> lines = new ArrayList<>();
    int[] leftOut = {0};
    String headDecoder = decoders.isEmpty() ? "" : decoders.get(0);
    int headSteps = decodeSteps.isEmpty() ? 0 : decodeSteps.get(0);
    for (Map<Setting, Map<Long, LeaderboardRow>> g : groups.values()) {
      List<Setting> settings = g.keySet().stream().sorted(order(models, decoders, decodeSteps)).toList();
      for (int i = 0; i < models.size(); i++) {
        for (int j = i + 1; j < models.size(); j++) {
          for (Setting a : settings) {
            if (!a.model().equals(models.get(i)) || !a.variant().equals("-")) {
              continue;
            }
            for (Setting b : settings) {
              if (!b.model().equals(models.get(j)) || !b.variant().equals("-") || b.budget() != a.budget()) {
                continue;
              }
              boolean aGreedy = isGreedy(a);
              boolean bGreedy = isGreedy(b);
              boolean sameDecoding = !aGreedy && !bGreedy && a.decoder().equals(b.decoder())
                  && a.decodeSteps() == b.decodeSteps();
              boolean greedyVsHeadline = aGreedy != bGreedy && (aGreedy ? b : a).decoder().equals(headDecoder)
                  && (aGreedy ? b : a).decodeSteps() == headSteps;
              if (aGreedy && bGreedy || !sameDecoding && !greedyVsHeadline) {
                continue;
              }
              String decoding = sameDecoding ? decoding(a) : decoding(a) + " vs " + decoding(b);
              add(lines, leftOut, "models", g.get(a), g.get(b), a.model(), b.model(), "", decoding, a.budget(), load);
            }
          }
        }
      }
      for (Setting a : settings) {
        if (!a.variant().equals("-")) {
          Setting plain = new Setting(a.model(), "-", a.decoder(), a.decodeSteps(), a.budget());
          if (g.containsKey(plain)) {
            add(lines, leftOut, "ablation", g.get(plain), g.get(a), a.model(), a.model(), " " + a.variant(), decoding(a),
                a.budget(), load);
          }
        }
      }
    }
    return new Result(lines, leftOut[0]);
  }

  /** Markdown: one table per (task, split), models first (final models, then the curve by steps), ablations. */
  public static String markdown(Result result) {
    if (result.lines().isEmpty() && result.leftOut() == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    Map<String, List<Line>> byTask = result.lines().stream().collect(Collectors.groupingBy(
        l -> l.task() + " (" + l.split() + ")", TreeMap::new, Collectors.toList()));
    for (var e : byTask.entrySet()) {
      b.append("\n## Paired comparisons: ").append(e.getKey()).append("\n\n");
      b.append("Candidate minus baseline on the same problems, seeds pooled as strata (`lddm compare B1 C1 B2 C2 ...`):")
          .append(" b01 = problems only the candidate solves, b10 = only the baseline; exact McNemar p on the")
          .append(" summed table and Newcombe's 95% interval. Ablations are against the same model's plain decoding.\n\n");
      b.append("| baseline | candidate | decoding | train steps | seeds | n | baseline | candidate | difference [95% CI]"
          + " | b01 / b10 | p |\n");
      b.append("|---|---|---|---:|---|---:|---:|---:|---|---:|---:|\n");
      for (Line l : e.getValue()) {
        Pairing p = l.pooled();
        Newcombe ci = p.ci95();
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %.1f%% | %.1f%% | %+.2f [%+.2f, %+.2f] |"
                + " %d / %d | %s |%n", l.base(), l.cand(), l.decoding(), l.finalModel() ? l.steps() : l.steps() + " (curve)",
            l.seeds().stream().map(String::valueOf).collect(Collectors.joining(",")), p.n(), 100 * p.baseAccuracy(),
            100 * p.candAccuracy(), 100 * p.delta() + 0.0, 100 * ci.low() + 0.0, 100 * ci.high() + 0.0, p.b01(),
            p.b10(), pValue(p.pValue())));
      }
    }
    if (result.leftOut() > 0) {
      b.append("\n").append(result.leftOut()).append(result.leftOut() == 1 ? " comparison is" : " comparisons are")
          .append(" left out: no seed has both sides' `predictions.csv` on the same problems.\n");
    }
    return b.toString();
  }

  /**
   * Two significant digits ({@code 0.0023}, {@code 5.0e-10}); {@code 1} without discordant pairs; {@code <1e-300}
   * where the exact tail underflows.
   */
  static String pValue(double p) {
    return p >= 0.995 ? "1" : p < 1e-300 ? "<1e-300" : p >= 1e-4 ? String.format(Locale.ROOT, "%.2g", p) : String.format(Locale.ROOT, "%.1e", p);
  }

  private record Setting(String model, String variant, String decoder, int decodeSteps, long budget) {}

  private static boolean isGreedy(Setting s) {
    return s.decodeSteps() == 0;
  }

  private static String decoding(Setting s) {
    return isGreedy(s) ? s.decoder() : s.decoder() + " T=" + s.decodeSteps();
  }

  /** Final models first, then the curve's steps ascending; within, the suite's decoder and step order. */
  private static Comparator<Setting> order(List<String> models, List<String> decoders, List<Integer> steps) {
    return Comparator.comparingLong((Setting s) -> s.budget() < 0 ? Long.MIN_VALUE : s.budget())
        .thenComparingInt(s -> indexOf(models, s.model()))
        .thenComparingInt(s -> indexOf(decoders, s.decoder()))
        .thenComparingInt(s -> indexOf(steps, s.decodeSteps()))
        .thenComparing(Setting::variant);
  }

  private static <T> int indexOf(List<T> list, T x) {
    int i = list.indexOf(x);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  private static void add(List<Line> lines, int[] leftOut, String kind, Map<Long, LeaderboardRow> base,
                          Map<Long, LeaderboardRow> cand, String baseModel, String candModel, String candSuffix,
                          String decoding, long budget, Function<LeaderboardRow, Optional<List<Prediction>>> load) {
    List<Pairing> strata = new ArrayList<>();
    List<Long> seeds = new ArrayList<>();
    TreeSet<Long> steps = new TreeSet<>();
    LeaderboardRow any = null;
    for (var e : base.entrySet()) {
      LeaderboardRow c = cand.get(e.getKey());
      if (c == null) {
        continue;
      }
      Optional<List<Prediction>> x = load.apply(e.getValue());
      Optional<List<Prediction>> y = load.apply(c);
      if (x.isEmpty() || y.isEmpty()) {
        continue;
      }
      try {
        strata.add(Pairing.of(x.get(), y.get()));
      } catch (Pairing.MismatchException notTheSameProblems) {
        continue;
      }
      seeds.add(e.getKey());
      steps.add(e.getValue().trainSteps());
      steps.add(c.trainSteps());
      any = e.getValue();
    }
    if (strata.isEmpty()) {
      leftOut[0]++;
      return;
    }
    String preset = any.presetLabel();
    lines.add(new Line(any.task(), any.split(), kind, baseModel + "/" + preset, candModel + "/" + preset + candSuffix,
        decoding,
        steps.stream().map(String::valueOf).collect(Collectors.joining("/")), budget < 0, List.copyOf(seeds),
        Pairing.pooled(strata)));
  }
}
