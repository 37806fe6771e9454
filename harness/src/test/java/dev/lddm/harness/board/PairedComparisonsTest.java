package dev.lddm.harness.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lddm.harness.eval.Pairing;
import dev.lddm.harness.eval.Prediction;
import dev.lddm.tasks.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The leaderboard's paired comparisons: which pairs, pooled over which seeds, from which predictions. */
class PairedComparisonsTest {
  private final List<LeaderboardRow> rows = new ArrayList<>();
  private final Map<String, List<Prediction>> predictions = new HashMap<>();

  /** A row whose predictions get {@code right} problems right (1 = right, 0 = wrong), in problem order. */
  private LeaderboardRow row(String model, long seed, String decoder, int t, String variant, long steps, int... right) {
    String run = model + "-s" + seed;
    int correct = java.util.Arrays.stream(right).sum();
    LeaderboardRow r = new LeaderboardRow(run, "countdown3", "test", model, "small", 1000, seed, decoder, t, variant,
        right.length, correct, correct, steps, 1, 1, 1, "countdown3", "0.1.0", "abc", false, "17", "2.18.0",
        "linux/amd64", 1, "cpu", "h", "c", "2026-12-03T00:00:00Z");
    rows.add(r);
    List<Prediction> p = new ArrayList<>();
    for (int i = 0; i < right.length; i++) {
      p.add(new Prediction("countdown3", "test", i, "in" + i, "out", right[i] == 1 ? Verdict.CORRECT : Verdict.MALFORMED,
          right[i] == 1));
    }
    predictions.put(r.key(), p);
    return r;
  }

  private PairedComparisons.Result compute() {
    return PairedComparisons.of(Leaderboard.sorted(rows), List.of("mgdm", "lddm", "ar"), List.of("masked-only", "remask"),
        List.of(20, 4), (r, fin) -> Optional.ofNullable(predictions.get(r.key())));
  }

  @Test
  void poolsTheSeedsBothModelsHaveAtEachDecodingAndBudget() {
    row("mgdm", 1, "masked-only", 20, "-", 100, 1, 1, 0, 0);
    row("lddm", 1, "masked-only", 20, "-", 100, 1, 0, 1, 1);
    row("mgdm", 2, "masked-only", 20, "-", 100, 0, 1, 0, 0);
    row("lddm", 2, "masked-only", 20, "-", 100, 0, 0, 0, 1);
    row("mgdm", 3, "masked-only", 20, "-", 100, 1, 1, 1, 1); // no LDDM seed 3: left out of the pool
    row("mgdm", 1, "remask", 4, "-", 100, 1, 0, 0, 0);
    row("lddm", 1, "remask", 4, "-", 100, 1, 1, 0, 0);
    row("mgdm", 1, "masked-only", 20, "-", 50, 0, 0, 0, 0); // learning-curve checkpoints
    row("lddm", 1, "masked-only", 20, "-", 50, 0, 0, 1, 0);
    List<PairedComparisons.Line> lines = compute().lines();
    assertEquals(List.of("masked-only T=20 100 true [1, 2]", "remask T=4 100 true [1]",
        "masked-only T=20 50 false [1]"), lines.stream().map(l -> l.decoding() + " " + l.steps() + " " + l.finalModel()
        + " " + l.seeds()).toList());
    // seed 1: b01 = 2 (problems 2, 3), b10 = 1 (problem 1); seed 2: b01 = 1, b10 = 1.
    assertEquals(new Pairing(8, 3, 4, 3, 2), lines.get(0).pooled());
    assertEquals("mgdm/small", lines.get(0).base());
    assertEquals("lddm/small", lines.get(0).cand());
    String md = PairedComparisons.markdown(compute());
    assertTrue(md.contains("| mgdm/small | lddm/small | masked-only T=20 | 100 | 1,2 | 8 | 37.5% | 50.0% | +12.50 ["), md);
    assertTrue(md.contains("| 3 / 2 | 1 |"), md);
    assertTrue(md.contains("| 50 (curve) | 1 | 4 | 0.0% | 25.0% |"), md);
  }

  @Test
  void theGreedyBaselineMeetsTheHeadlineDecodingOnlyAndAblationsTheirPlainDecoding() {
    row("mgdm", 1, "masked-only", 20, "-", 100, 1, 0);
    row("mgdm", 1, "remask", 4, "-", 100, 1, 1);
    row("ar", 1, "greedy", 0, "-", 100, 1, 1);
    row("lddm", 1, "masked-only", 20, "-", 100, 0, 1);
    row("lddm", 1, "masked-only", 20, "latent-off", 100, 0, 0);
    row("lddm", 1, "remask", 4, "latent-off", 100, 0, 0); // its plain decoding is missing: no ablation line
    List<String> got = compute().lines().stream().map(l -> l.kind() + ": " + l.base() + " vs " + l.cand() + " at "
        + l.decoding()).toList();
    assertEquals(List.of(
        "models: mgdm/small vs lddm/small at masked-only T=20",
        "models: mgdm/small vs ar/small at masked-only T=20 vs greedy",
        "models: lddm/small vs ar/small at masked-only T=20 vs greedy",
        "ablation: lddm/small vs lddm/small latent-off at masked-only T=20"), got);
  }

  @Test
  void pairsWithoutPredictionsOnBothSidesAreCountedNotShown() {
    row("mgdm", 1, "masked-only", 20, "-", 100, 1, 0);
    LeaderboardRow l = row("lddm", 1, "masked-only", 20, "-", 100, 0, 1);
    predictions.remove(l.key());
    PairedComparisons.Result r = compute();
    assertEquals(List.of(), r.lines());
    assertEquals(1, r.leftOut());
    assertTrue(PairedComparisons.markdown(r).contains("1 comparison is left out"), PairedComparisons.markdown(r));
    // Predictions of other problems (another split's file, say) do not pair either.
    predictions.put(l.key(), List.of(new Prediction("countdown3", "test", 0, "other", "x", Verdict.CORRECT, true),
        new Prediction("countdown3", "test", 1, "in1", "x", Verdict.CORRECT, true)));
    assertEquals(1, compute().leftOut());
  }

  @Test
  void chartsShowTheTrainedModelsAsAForestAndTheCurveAgainstSteps(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    row("mgdm", 1, "masked-only", 20, "-", 100, 1, 1, 0, 0);
    row("lddm", 1, "masked-only", 20, "-", 100, 1, 0, 1, 1);
    row("mgdm", 1, "remask", 4, "-", 100, 1, 0, 0, 0);
    row("lddm", 1, "remask", 4, "-", 100, 1, 1, 0, 0); // one budget only: no curve of its own
    row("mgdm", 1, "masked-only", 20, "-", 50, 0, 0, 0, 0);
    row("lddm", 1, "masked-only", 20, "-", 50, 0, 0, 1, 0);
    List<Path> pngs = Charts.pairedCharts(dir, compute());
    assertEquals(List.of(dir.resolve("paired-countdown3-test.png"), dir.resolve("paired-vs-steps-countdown3-test.png")),
        pngs);
    for (Path p : pngs) {
      java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(p.toFile());
      assertTrue(img.getWidth() > 100 && img.getHeight() > 100, p.toString());
    }
  }

  @Test
  void theGreedyBaselineAloneDrawsNoChart(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    row("mgdm", 1, "masked-only", 20, "-", 100, 1, 0);
    row("ar", 1, "greedy", 0, "-", 100, 1, 1);
    assertEquals(1, compute().lines().size());
    assertEquals(List.of(), Charts.pairedCharts(dir, compute()));
  }

  @Test
  void pValuesKeepTwoDigitsAndNeverShowZero() {
    assertEquals("1", PairedComparisons.pValue(1.0));
    assertEquals("0.0023", PairedComparisons.pValue(0.00229397));
    assertEquals("6.6e-06", PairedComparisons.pValue(6.6e-6));
    assertEquals("<1e-300", PairedComparisons.pValue(0.0));
  }
}
